"""The panels API: terms of reference, meetings with working-day deadlines, referrals, attendance, decisions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from openiom.accounts.models import Agency, User
from openiom.accounts.services import create_api_token
from openiom.cases.models import Case
from openiom.panels.models import Panel
from openiom.people.models import Person


@pytest.fixture
def api_for(partnership: dict[str, User]) -> Callable[[str], Callable[..., Any]]:
    def make(persona: str) -> Callable[..., Any]:
        token = create_api_token(user=partnership[persona], name="test")[1]
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

        def call(method: str, path: str, body: dict[str, Any] | None = None) -> Any:
            if method == "get":
                return client.get(f"/api/v1{path}")
            return client.post(f"/api/v1{path}", body or {}, content_type="application/json")

        return call

    return make


def travel(day: str) -> Any:
    return time_machine.travel(
        datetime.fromisoformat(day).replace(hour=12, tzinfo=ZoneInfo("Europe/London")), tick=False
    )


def test_panels_list_their_terms_of_reference(api_for: Callable[[str], Callable[..., Any]]) -> None:
    response = api_for("offender_manager")("get", "/panels")
    assert response.status_code == 200
    asb = next(p for p in response.json() if p["code"] == "asb")
    assert asb["referral_cutoff_working_days"] == 10
    assert asb["papers_working_days_before"] == 5
    assert asb["minutes_working_days_after"] == 5
    assert asb["quorum_organisations"] == 4
    assert asb["chair"].startswith("Acting Chief Inspector")


@pytest.mark.parametrize(
    ("meeting", "referral", "papers", "minutes"),
    [
        ("2027-01-12", "2026-12-24", "2027-01-05", "2027-01-19"),  # Christmas and New Year
        ("2026-12-22", "2026-12-08", "2026-12-15", "2026-12-31"),  # minutes over Christmas and Boxing Day (observed)
        ("2027-04-06", "2027-03-19", "2027-03-30", "2027-04-13"),  # Easter 2027
        ("2027-03-23", "2027-03-09", "2027-03-16", "2027-04-01"),  # minutes over Good Friday and Easter Monday
    ],
)
def test_a_new_meeting_returns_its_deadlines(
    api_for: Callable[[str], Callable[..., Any]], meeting: str, referral: str, papers: str, minutes: str
) -> None:
    asb = Panel.objects.get(code="asb")
    call = api_for("iom_coordinator")
    with travel("2026-11-24"):
        created = call("post", f"/panels/{asb.pk}/meetings", {"date": meeting})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["referral_deadline"], body["papers_due"], body["minutes_due"]) == (referral, papers, minutes)
    again = call("get", f"/meetings/{body['id']}").json()
    assert (again["referral_deadline"], again["papers_due"], again["minutes_due"]) == (referral, papers, minutes)


def test_meetings_need_the_right_role_and_a_good_date(api_for: Callable[[str], Callable[..., Any]]) -> None:
    iom = Panel.objects.get(code="iom")
    assert api_for("offender_manager")("post", f"/panels/{iom.pk}/meetings", {"date": "2027-01-12"}).status_code == 403
    call = api_for("iom_coordinator")
    assert call("post", f"/panels/{iom.pk}/meetings", {"date": "12/01/2027"}).status_code == 422
    with travel("2026-11-24"):
        past = call("post", f"/panels/{iom.pk}/meetings", {"date": "2026-01-13"})
    assert past.status_code == 409
    assert past.json()["message"] == "a meeting cannot be scheduled in the past"


def test_refer_attend_and_decide_through_the_api(
    api_for: Callable[[str], Callable[..., Any]], partnership: dict[str, User]
) -> None:
    iom = Panel.objects.get(code="iom")
    person = Person.objects.create(
        given_name="Api", family_name="Person", date_of_birth=date(1995, 5, 5), gender="M", ethnicity="W"
    )
    coordinator, officer = api_for("iom_coordinator"), api_for("police_officer")
    with travel("2026-11-10"):
        meeting = coordinator("post", f"/panels/{iom.pk}/meetings", {"date": "2026-12-08"}).json()
        referral = officer(
            "post", "/referrals", {"panel_id": iom.pk, "person_id": person.pk, "reason": "Prolific burglar"}
        )
    assert referral.status_code == 201, referral.content
    assert referral.json()["meeting_id"] == meeting["id"]
    from openiom.panels.services import build_agenda

    with travel("2026-11-30"):
        (item,) = build_agenda(meeting=iom.meetings.get(pk=meeting["id"]), by=partnership["iom_coordinator"])
    agencies = {a.code: a.pk for a in Agency.objects.all()}
    votes = [{"agency_id": agencies[c], "vote": "for"} for c in ("probation", "police", "housing", "substance")]
    decision = {
        "outcome": "select", "reasons": "Meets HCC", "votes": votes, "cohort": "HCC", "tier_level": 1,
        "lead_professional_id": partnership["offender_manager"].pk,
    }  # fmt: skip
    refused = coordinator("post", f"/agenda-items/{item.pk}/decision", decision)
    assert refused.status_code == 409
    assert refused.json()["message"].startswith("No decision can be recorded: Not quorate: 0 organisations present")
    for code in ("probation", "police", "housing"):
        attended = coordinator(
            "post", f"/meetings/{meeting['id']}/attendance", {"agency_id": agencies[code], "name": f"Rep {code}"}
        )
        assert attended.status_code == 201
    assert attended.json()["quorate"] is False
    attended = coordinator(
        "post", f"/meetings/{meeting['id']}/attendance", {"agency_id": agencies["substance"], "name": "Rep"}
    )
    assert attended.json()["quorate"] is True
    with travel("2026-12-08"):
        decided = coordinator("post", f"/agenda-items/{item.pk}/decision", decision)
    assert decided.status_code == 201, decided.content
    assert decided.json()["message"] == "Carried: 4 for, 0 against, 0 abstaining."
    case = Case.objects.get(pk=decided.json()["case_id"])
    assert (case.person, case.cohort, case.lead_professional) == (person, "HCC", partnership["offender_manager"])
    history = officer("get", f"/referrals/{referral.json()['id']}").json()["history"]
    assert [h["status"] for h in history] == ["received", "on_agenda", "selected"]


def test_text_with_a_nul_character_is_refused_not_a_server_error(
    api_for: Callable[[str], Callable[..., Any]],
) -> None:
    iom = Panel.objects.get(code="iom")
    person = Person.objects.create(
        given_name="N", family_name="Ul", date_of_birth=date(1990, 1, 1), gender="M", ethnicity="W"
    )
    response = api_for("police_officer")(
        "post", "/referrals", {"panel_id": iom.pk, "person_id": person.pk, "reason": "a\x00b"}
    )
    assert response.status_code == 422
    search = api_for("police_officer")("post", "/people/search", {"name": "Sm\x00ith"})
    assert search.status_code == 422
