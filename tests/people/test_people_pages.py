from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.test import Client

from openiom.accounts.services import create_api_token
from openiom.people.models import Person, PersonRecord
from tests.conftest import PERSONAS
from tests.imports.test_import import delivery, run

CAN_VIEW_PEOPLE = {"iom_coordinator", "police_officer", "offender_manager", "yot_worker", "panel_chair"}


@pytest.fixture
def jay(partnership) -> Person:
    run(delivery())
    return PersonRecord.objects.get(source__code="police", source_person_id="P1").person


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_can_search_and_read_people(client_for, jay, persona: str) -> None:
    client = client_for(persona)
    expected = 200 if persona in CAN_VIEW_PEOPLE else 403
    assert client.get("/people/").status_code == expected
    assert client.get(f"/people/{jay.pk}/").status_code == expected


def test_search_by_name_is_a_post_and_finds_records_of_every_agency(client_for, jay) -> None:
    client = client_for("police_officer")
    response = client.post("/people/", {"name": "holis"})  # the probation record's spelling
    results = response.context["results"]
    assert [(p.family_name, p.records.get().source.code) for p in results] == [("Holis", "probation")]
    assert "Holis" not in response.request["PATH_INFO"] + response.request.get("QUERY_STRING", "")


@pytest.mark.parametrize(
    ("criteria", "found"),
    [
        ({"date_of_birth": "2001-09-12"}, ["Reid"]),
        ({"identifier": "2015/0012345A"}, ["Hollis"]),
        ({"identifier": "x1"}, ["Holis"]),
        ({"name": "jay hollis"}, ["Hollis"]),
        ({"name": "nobody"}, []),
    ],
)
def test_search_criteria(client_for, jay, criteria: dict[str, str], found: list[str]) -> None:
    results = client_for("iom_coordinator").post("/people/", criteria).context["results"]
    assert sorted(p.family_name for p in results) == found


def test_empty_or_bad_search_explains_itself(client_for, jay) -> None:
    client = client_for("iom_coordinator")
    assert "Enter a name, a date of birth or an identifier" in client.post("/people/", {"name": " "}).content.decode()
    bad = client.post("/people/", {"date_of_birth": "1999-02-30"}).content.decode()
    assert "Enter the date of birth as a real date" in bad
    assert 'value="1999-02-30"' in bad


def test_person_page_shows_identity_records_history_and_is_audited(client_for, partnership, jay) -> None:
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, content_type__model="person").count()
    response = client_for("offender_manager").get(f"/people/{jay.pk}/")
    html = response.content.decode()
    assert "Jay HOLLIS" in html
    assert "2015/0012345A" in html
    assert "Residential burglary" in html
    assert "Immediate custody (180 days)" in html
    assert "Received into custody" in html  # the timeline
    assert "Released from custody" in html
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, content_type__model="person")
    assert entries.count() == before + 1
    entry = entries.latest("pk")
    assert entry.actor == partnership["offender_manager"]
    assert entry.object_pk == str(jay.pk)
    assert entry.additional_data == {"purpose": "case_management"}


def test_api_search_read_and_offences(partnership, jay) -> None:
    _t, raw = create_api_token(user=partnership["police_officer"], name="t")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    found = client.post("/api/v1/people/search", {"name": "Hollis"}, content_type="application/json").json()
    assert found["total"] == 1
    assert found["results"][0]["sources"] == ["police"]
    person = client.get(f"/api/v1/people/{jay.pk}").json()
    assert person["pnc_id"] == "2015/0012345A"
    assert [r["source"] for r in person["records"]] == ["police"]
    offences = client.get(f"/api/v1/people/{jay.pk}/offences").json()
    assert [o["event_id"] for o in offences] == ["E2", "E1"]
    assert client.get("/api/v1/people/999999").status_code == 404
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__purpose="api").count() == 2


def test_api_people_refused_without_the_capability(partnership, jay) -> None:
    _t, raw = create_api_token(user=partnership["strategic_member"], name="t")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get(f"/api/v1/people/{jay.pk}").status_code == 403
    response = client.post("/api/v1/people/search", {"name": "Hollis"}, content_type="application/json")
    assert response.status_code == 403
    assert "Hollis" not in response.content.decode()
