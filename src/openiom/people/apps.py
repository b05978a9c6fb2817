from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "openiom.people"
    label = "people"
    verbose_name = "People and their records"

    def ready(self) -> None:
        from openiom.audit.registry import register_personal_data

        from . import jobs  # noqa: F401  (registers the linkage job handler)
        from .models import MatchCandidate, Person, PersonMerge, PersonRecord

        register_personal_data(Person)
        register_personal_data(MatchCandidate, personal=False)
        register_personal_data(PersonMerge, personal=False)
        register_personal_data(PersonRecord, exclude_fields=["delivery", "updated_at"])
