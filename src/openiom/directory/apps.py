from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "openiom.directory"
    label = "directory"
    verbose_name = "Service directory"

    def ready(self) -> None:
        from openiom.audit.registry import register_personal_data

        from .models import Service

        register_personal_data(Service, personal=False, exclude_fields=["updated_at", "version"])
