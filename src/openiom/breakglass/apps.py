from django.apps import AppConfig


class BreakGlassConfig(AppConfig):
    name = "openiom.breakglass"
    label = "breakglass"
    verbose_name = "Break-glass access"

    def ready(self) -> None:
        from openiom.audit.registry import register_personal_data

        from .models import Grant

        # The reason is free text about a person's case: personal data, read and changed on the record.
        register_personal_data(Grant)
