from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "openiom.cases"
    label = "cases"
    verbose_name = "IOM cases"

    def ready(self) -> None:
        from openiom.audit.registry import register_personal_data

        from .models import Case

        register_personal_data(Case, exclude_fields=["updated_at", "version"])
