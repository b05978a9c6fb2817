from django.db import models


class RecordType(models.TextChoices):
    """The kinds of record that retention reviews. Audit entries are never one of them."""

    CLOSED_CASE = "closed_case", "Closed IOM cases (with every case record)"
    PERSON_RECORD = "person_record", "Agency records of a person (with their offences, custody and flags)"
    PERSON = "person", "People with no agency records and no case left"
    REJECTED_DELIVERY = "rejected_delivery", "Rejected or interrupted deliveries"
    SELECTION_RUN = "selection_run", "Finished selection runs (with everyone they scored)"
    UNSELECTED_REFERRAL = "unselected_referral", "Panel referrals rejected or withdrawn (never a case)"
    MATCH_CANDIDATE = "match_candidate", "Decided possible matches between agency records"


class ActionKind(models.TextChoices):
    DELETED = "deleted", "Deleted"
    ANONYMISED = "anonymised", "Anonymised"


# The defaults seeded by migration 0002 (months) and the reason for each, shown to administrators.
DEFAULT_PERIODS: dict[str, tuple[int, str]] = {
    RecordType.CLOSED_CASE: (72, "Six years after the case closed (the partnership's information-sharing agreement)."),
    RecordType.PERSON_RECORD: (72, "Six years after any delivery last created or changed the record."),
    RecordType.PERSON: (12, "One year after the person's last agency record and case went."),
    RecordType.REJECTED_DELIVERY: (12, "One year: nothing was imported; the error report may quote personal data."),
    RecordType.SELECTION_RUN: (72, "Six years after the run, so a past selection can still be explained."),
    RecordType.UNSELECTED_REFERRAL: (24, "Two years after the panel's decision or the withdrawal: no case was opened."),
    RecordType.MATCH_CANDIDATE: (
        12,
        "One year after the decision. A 'different people' decision is anonymised, not deleted: "
        "it keeps the linkage run from joining the records again.",
    ),
}
