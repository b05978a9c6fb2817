from django.apps import AppConfig


class CohortConfig(AppConfig):
    name = "openiom.cohort"
    label = "cohort"
    verbose_name = "Cohort selection"

    def ready(self) -> None:
        from openiom.audit.registry import register_personal_data

        from . import jobs  # noqa: F401  (registers the selection-run job handler)
        from .models import ScoredPerson, SelectionRun

        # A scored person is personal data (scores, cohort, exclusion reasons about one person);
        # rows are written in bulk, so the run is their record of who made them and how.
        register_personal_data(ScoredPerson, exclude_fields=["components"])
        register_personal_data(SelectionRun, personal=False)
