"""The audit trail names the records a change pointed to as auditlog does, with one query per model."""

from __future__ import annotations

from datetime import date

from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openiom.audit.selectors import with_changes_shown
from openiom.cases.models import ReviewPrompt
from openiom.offending.models import Offence
from openiom.people.models import PersonRecord


def test_every_change_is_shown_as_auditlog_shows_it(make_case, partnership, agency) -> None:
    case = make_case()
    police = agency("police")
    record = PersonRecord.objects.create(
        source=police, source_person_id="X1", person=case.person, given_name="A", family_name="B",
        date_of_birth=date(1990, 1, 1), gender="M", ethnicity="W",
    )  # fmt: skip
    offence = Offence.objects.create(
        source=police, event_id="X1", record=record, offence_code="burglary_residential",
        offence_date=date(2026, 1, 1), outcome="arrest", outcome_date=date(2026, 1, 1),
    )  # fmt: skip
    ReviewPrompt.objects.create(case=case, kind="escalation", reason="Arrested", key="x", offence=offence)
    offence.delete()  # the prompt's change now names a record that is gone
    entries = list(LogEntry.objects.exclude(action=LogEntry.Action.ACCESS).select_related("content_type"))
    expected = [e.changes_display_dict for e in entries]
    assert any("Deleted 'Offence'" in str(d) for d in expected)
    assert any(str(case.lead_professional) in str(d) for d in expected)
    shown = with_changes_shown(LogEntry.objects.filter(pk__in=[e.pk for e in entries]).select_related("content_type"))
    shown.sort(key=lambda e: [x.pk for x in entries].index(e.pk))
    with CaptureQueriesContext(connection) as captured:
        assert [e.changes_display_dict for e in shown] == expected
    assert len(captured) == 0  # every record named was fetched beforehand


def test_the_records_are_fetched_once_per_model(make_case, partnership) -> None:
    for _ in range(3):
        make_case()
    entries = LogEntry.objects.exclude(action=LogEntry.Action.ACCESS).select_related("content_type")
    with CaptureQueriesContext(connection) as captured:
        with_changes_shown(entries)
    models = {e.content_type.model_class() for e in entries}
    assert 0 < len(captured) <= len(models) + 1  # the entries, then one per model named
