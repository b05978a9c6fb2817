"""Every use of a grant is logged and counted; the report lists grants and records their review."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from openiom.accounts.services import create_api_token
from openiom.audit.constants import Purpose
from openiom.breakglass.constants import Outcome
from openiom.breakglass.models import Grant
from openiom.breakglass.services import BreakGlassError, ask_for_access, review_grant
from openiom.cases.access import Access, case_access
from openiom.cases.models import Case

from .conftest import REASON


def _break_glass_reads(user, case) -> int:
    return LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS,
        actor=user,
        content_type=ContentType.objects.get_for_model(Case),
        object_pk=str(case.pk),
        additional_data__purpose=Purpose.BREAK_GLASS.value,
    ).count()


def test_every_read_during_the_grant_is_logged_with_the_break_glass_purpose(client_for, partnership, case) -> None:
    practitioner = partnership["partner_practitioner"]
    client = client_for("partner_practitioner")
    with time_machine.travel("2026-11-24 09:00:00+00:00", tick=False) as clock:
        client.get(f"/cases/{case.pk}/")  # the minimal view: no grant yet, not a break-glass read
        assert _break_glass_reads(practitioner, case) == 0
        grant = ask_for_access(user=practitioner, case=case, reason=REASON)
        for path in ("", "timeline/", "needs/", "contacts/"):
            assert client.get(f"/cases/{case.pk}/{path}").status_code == 200
        _t, raw = create_api_token(user=practitioner, name="housing system")
        api = client.get(f"/api/v1/cases/{case.pk}", headers={"Authorization": f"Bearer {raw}"})
        assert api.status_code == 200
        assert _break_glass_reads(practitioner, case) == 5
        grant.refresh_from_db()
        assert grant.reads == 5

        clock.shift(timedelta(hours=4, seconds=1))
        client = client_for("partner_practitioner")  # hours idle: the old session has timed out
        assert client.get(f"/cases/{case.pk}/timeline/").status_code == 403
        client.get(f"/cases/{case.pk}/")
        assert _break_glass_reads(practitioner, case) == 5
        # Someone else reading the case is not counted against the grant.
        client_for("offender_manager").get(f"/cases/{case.pk}/")
        grant.refresh_from_db()
        assert grant.reads == 5


def test_the_report_lists_the_grant_for_the_coordinator_and_administrators(client_for, partnership, case) -> None:
    grant = ask_for_access(user=partnership["partner_practitioner"], case=case, reason=REASON)
    client_for("partner_practitioner").get(f"/cases/{case.pk}/")
    for persona in ("iom_coordinator", "administrator"):
        page = client_for(persona).get("/break-glass/")
        assert page.status_code == 200
        rows = list(page.context["grants"])
        assert rows == [grant]
        html = page.content.decode()
        assert partnership["partner_practitioner"].full_name in html
        assert f"IOM case {case.pk}" in html
        assert "Housing needs the licence conditions" in html
        assert f'<td class="govuk-table__cell govuk-table__cell--numeric">{1}</td>' in html
    awaiting = client_for("iom_coordinator").get("/break-glass/?status=awaiting")
    assert list(awaiting.context["grants"]) == [grant]


@pytest.mark.parametrize(
    "persona",
    ["partner_practitioner", "offender_manager", "police_officer", "panel_chair", "analyst", "strategic_member"],
)
def test_nobody_else_sees_the_report(client_for, partnership, case, persona: str) -> None:
    grant = ask_for_access(user=partnership["partner_practitioner"], case=case, reason=REASON)
    client = client_for(persona)
    assert client.get("/break-glass/").status_code == 403
    assert client.get(f"/break-glass/{grant.pk}/").status_code == 403
    assert client.post(f"/break-glass/{grant.pk}/", {"outcome": "justified"}).status_code == 403
    with pytest.raises(PermissionDenied):
        review_grant(grant=grant, by=partnership[persona], outcome=Outcome.JUSTIFIED, notes="")
    grant.refresh_from_db()
    assert grant.reviewed_at is None


def test_the_coordinator_reviews_a_grant(client_for, partnership, case) -> None:
    grant = ask_for_access(user=partnership["partner_practitioner"], case=case, reason=REASON)
    client = client_for("iom_coordinator")
    response = client.post(f"/break-glass/{grant.pk}/", {"outcome": "justified", "notes": "Agreed by phone."})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert (grant.outcome, grant.reviewed_by, grant.review_notes) == (
        Outcome.JUSTIFIED,
        partnership["iom_coordinator"],
        "Agreed by phone.",
    )
    assert grant.is_active  # a justified review leaves the access running
    report = client.get("/break-glass/?status=awaiting")
    assert list(report.context["grants"]) == []
    # A second review is refused.
    with pytest.raises(BreakGlassError):
        review_grant(grant=grant, by=partnership["administrator"], outcome=Outcome.NOT_JUSTIFIED, notes="No.")


def test_not_justified_needs_notes_and_ends_the_access(client_for, partnership, case) -> None:
    practitioner = partnership["partner_practitioner"]
    grant = ask_for_access(user=practitioner, case=case, reason=REASON)
    page = client_for("iom_coordinator").post(f"/break-glass/{grant.pk}/", {"outcome": "not_justified", "notes": ""})
    assert page.status_code == 200
    assert "Say why the access was not justified" in page.content.decode()
    review_grant(grant=grant, by=partnership["iom_coordinator"], outcome="not_justified", notes="Could have waited.")
    grant.refresh_from_db()
    assert grant.ended_at is not None
    assert not Grant.objects.active().exists()
    assert case_access(practitioner, case) is Access.MINIMAL


def test_nobody_reviews_their_own_grant(partnership, case) -> None:
    # A co-ordinator outside the case is impossible (they see every case), so give the practitioner the role.
    from openiom.accounts.models import Role

    practitioner = partnership["partner_practitioner"]
    grant = ask_for_access(user=practitioner, case=case, reason=REASON)
    practitioner.roles.add(Role.objects.get(code="administrator"))
    practitioner = type(practitioner).objects.get(pk=practitioner.pk)
    with pytest.raises(BreakGlassError):
        review_grant(grant=grant, by=practitioner, outcome=Outcome.JUSTIFIED, notes="")
