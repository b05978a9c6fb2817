from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "openiom.evaluation"
    label = "evaluation"
    verbose_name = "Performance and evaluation"

    def ready(self) -> None:
        from openiom.audit.registry import register_personal_data

        from .models import Target

        register_personal_data(Target, personal=False, exclude_fields=["updated_at", "version"])
