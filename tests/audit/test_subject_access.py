"""The subject access export: everything held on a person with its source and its readers; victims withheld."""

from __future__ import annotations

import json

import pytest
from auditlog.models import LogEntry

from openiom.audit.services import record_access
from openiom.people.models import PersonRecord
from openiom.testing.pdf import pdf_text
from tests.cases.case_world import VICTIM_NOTE, world_fixture  # noqa: F401


@pytest.fixture
def subject(world, agency):
    person = world.case.person
    record = PersonRecord.objects.create(
        source=agency("police"), source_person_id="RP-77", person=person, given_name="Jordan", family_name="Quill",
        date_of_birth=person.date_of_birth, gender="M", ethnicity="W", postcode="RV1 2AB",
    )  # fmt: skip
    record_access(user=world.users["police_officer"], obj=world.case, purpose="case_management")
    record_access(user=world.users["analyst"], obj=record, purpose="selection")
    return person


def download(client, person_id: int, fmt: str) -> bytes:
    response = client.post(
        "/administration/audit/subject-access/", {"person": person_id, "format": fmt, "reference": "SAR-2026-014"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="subject-access-{person_id}-2026-11-24.{fmt}"'
    return response.content


def test_the_json_export_holds_every_record_its_source_and_its_readers(client_for, subject, world) -> None:
    data = json.loads(download(client_for("administrator"), subject.pk, "json"))
    sections = {s["title"]: s["items"] for s in data["sections"]}
    assert data["person_id"] == subject.pk
    assert data["reference"] == "SAR-2026-014"
    for title in ["The person", "Records held by each agency", "IOM cases", "Cohort memberships", "Agencies involved",
                  "Moves in the pyramid of service levels", "Tier review prompts", "Needs assessments", "Plan actions",
                  "Contacts and appointments", "Tasks", "Needs by pathway"]:  # fmt: skip
        assert sections.get(title), title
    (record,) = sections["Records held by each agency"]
    assert record["source"] == "Riverside Police"
    assert record["fields"]["postcode"] == "RV1 2AB"
    analyst = world.users["analyst"]
    assert [(s["user"], s["agency"], s["purpose"]) for s in record["seen_by"]] == [
        (str(analyst), str(analyst.agency), "Cohort selection")
    ]
    (case,) = sections["IOM cases"]
    assert case["source"] == world.users["offender_manager"].agency.name
    assert ("PC Dev Patel", "Case management") in [(s["user"], s["purpose"]) for s in case["seen_by"]]
    assert len(sections["Needs by pathway"]) == 7
    # Victims are third parties: withheld, and counted.
    assert data["withheld"] == {"victims": 1}
    assert "Victims linked to a case" not in sections
    raw = json.dumps(data)
    assert VICTIM_NOTE not in raw
    assert "Victim A" not in raw
    # Another person's case is not there.
    assert world.other.pk not in [c["id"] for c in sections["IOM cases"]]


def test_the_pdf_export_is_readable(client_for, subject, world) -> None:
    text = pdf_text(download(client_for("administrator"), subject.pk, "pdf"))
    assert "Subject access request: Jordan Quill" in text
    assert "SAR-2026-014" in text
    assert "Source: Riverside Police" in text
    assert "Who has read this record" in text
    assert "PC Dev Patel" in text
    assert "Find a hostel place" in text
    assert "1 record of victims linked to a case" in text
    assert VICTIM_NOTE not in text
    assert "Victim A" not in text


def test_the_export_is_itself_audited(client_for, subject, partnership) -> None:
    download(client_for("administrator"), subject.pk, "pdf")
    entry = LogEntry.objects.filter(content_type__model="person", object_id=subject.pk).latest("pk")
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor == partnership["administrator"]
    assert entry.additional_data == {"purpose": "subject_access", "export": "pdf", "reference": "SAR-2026-014"}


@pytest.mark.parametrize(("persona", "status"), [
    ("administrator", 200), ("iom_coordinator", 403), ("offender_manager", 403), ("police_officer", 403),
    ("analyst", 403), ("strategic_member", 403),
])  # fmt: skip
def test_only_administrators_can_export(client_for, subject, persona, status) -> None:
    client = client_for(persona)
    assert client.get(f"/administration/audit/subject-access/?person={subject.pk}").status_code == status
    response = client.post("/administration/audit/subject-access/", {"person": subject.pk, "format": "json"})
    assert response.status_code == status


def test_an_unknown_person_number_is_explained(client_for, subject) -> None:
    html = (
        client_for("administrator")
        .post("/administration/audit/subject-access/", {"person": subject.pk + 1000, "format": "pdf"})
        .content.decode()
    )
    assert "There is no person with that number" in html
