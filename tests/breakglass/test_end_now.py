"""Ending a grant early ("end now"): the holder or a reviewer, by POST; access stops at once; who
and when are recorded and shown in the report. And break-glass access is for reading only."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from openiom.breakglass.constants import Outcome
from openiom.breakglass.models import Grant
from openiom.breakglass.services import BreakGlassError, ask_for_access, end_grant, review_grant
from openiom.cases.access import Access, can_work_on, case_access

from .conftest import REASON


@pytest.fixture
def grant(partnership, case) -> Grant:
    return ask_for_access(user=partnership["partner_practitioner"], case=case, reason=REASON)


def test_the_holder_ends_the_access_and_it_stops_at_once(client_for, partnership, case, grant) -> None:
    holder = partnership["partner_practitioner"]
    client = client_for("partner_practitioner")
    mine = client.get("/break-glass/mine/")
    assert list(mine.context["active"]) == [grant]
    assert f'action="/break-glass/{grant.pk}/end/"' in mine.content.decode()
    assert client.get(f"/cases/{case.pk}/timeline/").status_code == 200

    response = client.post(f"/break-glass/{grant.pk}/end/")
    assert response.status_code == 302
    assert response["Location"] == "/break-glass/mine/"
    assert client.get(f"/cases/{case.pk}/timeline/").status_code == 403  # the same session, at once
    assert case_access(holder, case) is Access.MINIMAL
    grant.refresh_from_db()
    assert grant.ended_by == holder
    assert grant.ended_at is not None
    assert not grant.is_active

    history = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Grant), object_pk=str(grant.pk), action=LogEntry.Action.UPDATE
    ).get()
    assert history.actor == holder
    assert set(history.changes_dict) == {"ended_at", "ended_by"}

    report = client_for("iom_coordinator").get("/break-glass/").content.decode()
    assert f"Ended early by {holder.full_name}" in report
    page = client_for("iom_coordinator").get(f"/break-glass/{grant.pk}/").content.decode()  # the reviewers' page
    assert f"(ended early by the holder, {holder.full_name})" in page
    assert "End this access now" not in page


@pytest.mark.parametrize("reviewer", ["iom_coordinator", "administrator"])
def test_a_reviewer_ends_someone_elses_grant(client_for, partnership, case, grant, reviewer) -> None:
    client = client_for(reviewer)
    assert "End this access now" in client.get(f"/break-glass/{grant.pk}/").content.decode()
    response = client.post(f"/break-glass/{grant.pk}/end/")
    assert response.status_code == 302
    assert response["Location"] == f"/break-glass/{grant.pk}/"
    grant.refresh_from_db()
    assert grant.ended_by == partnership[reviewer]
    assert case_access(partnership["partner_practitioner"], case) is Access.MINIMAL


@pytest.mark.parametrize("persona", ["offender_manager", "police_officer", "analyst", "panel_chair"])
def test_no_one_else_can_end_or_see_a_grant(client_for, partnership, case, grant, persona) -> None:
    client = client_for(persona)
    assert client.post(f"/break-glass/{grant.pk}/end/").status_code == 403
    grant.refresh_from_db()
    assert grant.is_active
    assert grant.ended_by is None
    assert client.get("/break-glass/mine/").context["active"] == []
    with pytest.raises(PermissionDenied):
        end_grant(grant=grant, by=partnership[persona])


def test_ending_needs_a_post(client_for, grant) -> None:
    assert client_for("partner_practitioner").get(f"/break-glass/{grant.pk}/end/").status_code == 405
    grant.refresh_from_db()
    assert grant.is_active


def test_an_ended_grant_cannot_be_ended_again(client_for, partnership, grant) -> None:
    end_grant(grant=grant, by=partnership["partner_practitioner"])
    with pytest.raises(BreakGlassError):
        end_grant(grant=grant, by=partnership["iom_coordinator"])
    client = client_for("iom_coordinator")
    client.post(f"/break-glass/{grant.pk}/end/")
    grant.refresh_from_db()
    assert grant.ended_by == partnership["partner_practitioner"]


def test_the_holder_sees_their_grants_on_their_own_page_only(client_for, grant) -> None:
    client = client_for("partner_practitioner")
    html = client.get("/break-glass/mine/").content.decode()
    assert f"IOM case {grant.case_id}" in html
    assert REASON not in html  # the reason and the review stay on the reviewers' page
    assert client.get(f"/break-glass/{grant.pk}/").status_code == 403
    assert client_for("offender_manager").get("/break-glass/mine/").context["active"] == []


def test_a_not_justified_review_records_who_ended_the_grant(partnership, grant) -> None:
    coordinator = partnership["iom_coordinator"]
    review_grant(grant=grant, by=coordinator, outcome=Outcome.NOT_JUSTIFIED, notes="No emergency.")
    grant.refresh_from_db()
    assert grant.ended_by == coordinator


def test_break_glass_access_is_read_only(partnership, case, grant) -> None:
    holder = partnership["partner_practitioner"]
    assert case_access(holder, case) is Access.FULL
    assert not can_work_on(holder, case)
