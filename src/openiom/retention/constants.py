from django.db import models


class RecordType(models.TextChoices):
    """The kinds of record that retention reviews. Audit entries are never one of them."""

    CLOSED_CASE = "closed_case", "Closed IOM cases (with every case record)"
    PERSON_RECORD = "person_record", "Agency records of a person (with their offences, custody and flags)"
    PERSON = "person", "People with no agency records and no case left"
    REJECTED_DELIVERY = "rejected_delivery", "Rejected or interrupted deliveries"


class ActionKind(models.TextChoices):
    DELETED = "deleted", "Deleted"
    ANONYMISED = "anonymised", "Anonymised"


# The defaults seeded by migration 0002 (months) and the reason for each, shown to administrators.
DEFAULT_PERIODS: dict[str, tuple[int, str]] = {
    RecordType.CLOSED_CASE: (72, "Six years after the case closed (the partnership's information-sharing agreement)."),
    RecordType.PERSON_RECORD: (72, "Six years after any delivery last created or changed the record."),
    RecordType.PERSON: (12, "One year after the person's last agency record and case went."),
    RecordType.REJECTED_DELIVERY: (12, "One year: nothing was imported; the error report may quote personal data."),
}
