from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "openiom.cases"
    label = "cases"
    verbose_name = "IOM cases"

    def ready(self) -> None:
        from openiom.audit.registry import register_personal_data

        from . import jobs  # noqa: F401  (registers the reminders job handler)
        from .models import (
            Assessment,
            Case,
            CohortMembership,
            Contact,
            Enforcement,
            Intervention,
            Involvement,
            PathwayNeed,
            PlanAction,
            ReviewPrompt,
            Task,
            Tier,
            TierChange,
            Victim,
        )

        register_personal_data(Case, exclude_fields=["updated_at", "version"])
        for model in (
            Assessment,
            CohortMembership,
            Contact,
            Enforcement,
            Intervention,
            Involvement,
            PathwayNeed,
            PlanAction,
            ReviewPrompt,
            Task,
            TierChange,
            Victim,
        ):
            register_personal_data(model, exclude_fields=["version"] if hasattr(model, "version") else [])
        register_personal_data(Tier, personal=False)
