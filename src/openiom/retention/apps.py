from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "openiom.retention"
    label = "retention"
    verbose_name = "Retention"

    def ready(self) -> None:
        from openiom.audit.registry import register_personal_data

        from .models import RetentionAction, RetentionRule

        register_personal_data(RetentionRule, personal=False)
        register_personal_data(RetentionAction, personal=False)
