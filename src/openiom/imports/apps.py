from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "openiom.imports"
    label = "imports"
    verbose_name = "Data deliveries"

    def ready(self) -> None:
        from openiom.audit.registry import register_personal_data

        from . import jobs  # noqa: F401  (registers the import job handler)
        from .models import Delivery

        # A delivery is the audit record of the rows it wrote (bulk writes bypass per-row history).
        register_personal_data(Delivery, exclude_fields=["errors"], personal=False)
