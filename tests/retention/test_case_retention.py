"""A closed case past its period is in the review queue and is deleted whole, recorded, with nothing orphaned."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from auditlog.models import LogEntry
from django.apps import apps
from django.db import models

from openiom.audit.chain import verify_chain
from openiom.cases import models as cm
from openiom.cases.services import close_case
from openiom.directory.models import Service
from openiom.people.models import Person
from openiom.retention.models import RetentionAction
from openiom.retention.selectors import review_queue
from openiom.retention.services import RetentionRefused, apply_retention

CLOSED = date(2026, 11, 24)
SIX_YEARS_ON = date(2032, 11, 24)

SUB_RECORDS = [
    cm.CohortMembership, cm.Involvement, cm.TierChange, cm.ReviewPrompt, cm.Assessment, cm.PlanAction,
    cm.Intervention, cm.Contact, cm.Enforcement, cm.Task, cm.Victim,
]  # fmt: skip


def orphans() -> list[str]:
    """Every foreign key in the project that points at a row that is not there."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.ForeignKey):
                continue
            target = field.related_model._default_manager.values(field.target_field.attname)
            dangling = model._default_manager.filter(**{f"{field.attname}__isnull": False}).exclude(
                **{f"{field.attname}__in": target}
            )
            if dangling.exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


@pytest.fixture
def closed_case(world):
    """The case world's case with an intervention and an enforcement too, closed on 24 November 2026."""
    case, om = world.case, world.users["offender_manager"]
    service = Service.objects.create(name="Hostel", provider="Riverside Housing", pathways=["accommodation"])
    cm.Intervention.objects.create(case=case, service=service, pathway="accommodation", referred_by=om)
    cm.Enforcement.objects.create(case=case, kind="warning", agency=om.agency, by=om, details="Missed appointment")
    close_case(case=case, reason="Completed the programme", closed_on=CLOSED, by=om)
    return case


def queued(today: date) -> list[int]:
    group = next(g for g in review_queue(today) if g.rule.record_type == "closed_case")
    return [i.object_id for i in group.items]


def test_a_closed_case_enters_the_queue_six_years_after_closing(closed_case, world) -> None:
    assert closed_case.pk not in queued(date(2032, 11, 23))
    assert closed_case.pk in queued(SIX_YEARS_ON)
    assert world.other.pk not in queued(date(2040, 1, 1))  # still open


def test_deleting_a_case_removes_it_with_every_sub_record_and_records_the_action(closed_case, world) -> None:
    admin = world.users["administrator"]
    assert all(m._default_manager.filter(case=closed_case).exists() for m in SUB_RECORDS)
    other_before = {m: m._default_manager.filter(case=world.other).count() for m in SUB_RECORDS}
    audit_about_case = LogEntry.objects.filter(content_type__model="case", object_id=closed_case.pk).count()
    person_id = closed_case.person_id

    action = apply_retention(
        record_type="closed_case", object_id=closed_case.pk, by=admin, reason="Annual review", today=SIX_YEARS_ON
    )

    assert not cm.Case.objects.filter(pk=closed_case.pk).exists()
    for model in SUB_RECORDS:
        assert not model._default_manager.filter(case_id=closed_case.pk).exists(), model
    assert not cm.PathwayNeed.objects.filter(assessment__case_id=closed_case.pk).exists()
    assert {m: m._default_manager.filter(case=world.other).count() for m in SUB_RECORDS} == other_before
    assert orphans() == []
    # The person had nothing else held on them, so they went too.
    assert not Person.objects.filter(pk=person_id).exists()
    # Who, when, what and why; nothing personal in the label.
    assert (action.by, action.reason, action.action, action.label) == (
        admin,
        "Annual review",
        "deleted",
        "IOM case " + str(closed_case.pk),
    )
    assert action.counts["cases.Case"] == 1
    assert action.counts["cases.Victim"] == 1
    assert action.counts["cases.PathwayNeed"] == 7
    assert action.counts["people.Person"] == 1
    assert action.due_on == SIX_YEARS_ON
    assert RetentionAction.objects.get() == action
    # The audit trail is kept, and its chain is intact (deletions are themselves logged).
    assert LogEntry.objects.filter(content_type__model="case", object_id=closed_case.pk).count() == audit_about_case + 1
    assert verify_chain().ok


def test_a_case_not_yet_past_its_period_is_refused(closed_case, world) -> None:
    with pytest.raises(
        RetentionRefused, match="Not yet past its retention period: kept 72 months from 24 November 2026"
    ):
        apply_retention(
            record_type="closed_case", object_id=closed_case.pk, by=world.users["administrator"], reason="Tidy up",
            today=date(2032, 11, 23),
        )  # fmt: skip
    assert cm.Case.objects.filter(pk=closed_case.pk).exists()
    assert cm.Contact.objects.filter(case=closed_case).exists()
    assert not RetentionAction.objects.exists()


def test_an_open_case_is_refused_however_old(world) -> None:
    with pytest.raises(RetentionRefused, match="no such record under this retention rule"):
        apply_retention(
            record_type="closed_case", object_id=world.other.pk, by=world.users["administrator"], reason="Old",
            today=date(2045, 1, 1),
        )  # fmt: skip
    assert cm.Case.objects.filter(pk=world.other.pk).exists()


@pytest.mark.parametrize(("persona", "reason", "message"), [
    ("iom_coordinator", "Annual review", "Only an administrator"),
    ("administrator", "  ", "Give the reason"),
])  # fmt: skip
def test_only_an_administrator_with_a_reason_may_delete(closed_case, world, persona, reason, message) -> None:
    with pytest.raises(RetentionRefused, match=message):
        apply_retention(
            record_type="closed_case", object_id=closed_case.pk, by=world.users[persona], reason=reason,
            today=SIX_YEARS_ON,
        )  # fmt: skip
    assert cm.Case.objects.filter(pk=closed_case.pk).exists()


def test_the_queue_page_and_deleting_from_the_review_page(closed_case, world, client_for) -> None:
    with time_machine.travel("2032-12-01 12:00:00+00:00", tick=False):
        admin = client_for("administrator")
        html = admin.get("/administration/retention/").content.decode()
        assert f'href="/administration/retention/closed_case/{closed_case.pk}/"' in html
        review = admin.get(f"/administration/retention/closed_case/{closed_case.pk}/").content.decode()
        assert "Delete IOM case" in review
        assert "Victims" in review or "Victim" in review
        refused = admin.post(f"/administration/retention/closed_case/{closed_case.pk}/", {"reason": ""})
        assert "Give the reason for the deletion" in refused.content.decode()
        assert cm.Case.objects.filter(pk=closed_case.pk).exists()
        done = admin.post(f"/administration/retention/closed_case/{closed_case.pk}/", {"reason": "Annual review"})
        assert done["Location"] == "/administration/retention/actions/"
        actions = admin.get("/administration/retention/actions/").content.decode()
    assert not cm.Case.objects.filter(pk=closed_case.pk).exists()
    assert "Annual review" in actions
    assert f"Deleted IOM case {closed_case.pk}" in actions


def test_the_review_page_of_a_case_not_yet_due_offers_no_deletion(closed_case, client_for) -> None:
    with time_machine.travel("2030-01-01 12:00:00+00:00", tick=False):
        admin = client_for("administrator")
        html = admin.get(f"/administration/retention/closed_case/{closed_case.pk}/").content.decode()
        refused = admin.post(f"/administration/retention/closed_case/{closed_case.pk}/", {"reason": "Early"})
    assert "not yet past its retention period" in html
    assert "Delete IOM case" not in html
    assert "Not yet past its retention period" in refused.content.decode()
    assert cm.Case.objects.filter(pk=closed_case.pk).exists()


@pytest.mark.parametrize(("persona", "status"), [
    ("administrator", 200), ("iom_coordinator", 403), ("offender_manager", 403), ("analyst", 403),
    ("strategic_member", 403),
])  # fmt: skip
def test_only_administrators_see_the_retention_pages(client_for, persona, status) -> None:
    assert client_for(persona).get("/administration/retention/").status_code == status
    assert client_for(persona).get("/administration/retention/actions/").status_code == status
