"""The audit viewer filters by person, user, agency and purpose, and exports exactly what it shows."""

from __future__ import annotations

import csv
import io

import pytest
from auditlog.models import LogEntry
from openpyxl import load_workbook

from openiom.audit.services import record_access
from openiom.jobs.models import Job
from openiom.people.models import PersonRecord


@pytest.fixture
def reads(partnership, make_case, agency):
    """Reads of two people's records by users of three agencies."""
    case = make_case()
    person = case.person
    record = PersonRecord.objects.create(
        source=agency("police"), source_person_id="P-1", person=person, given_name=person.given_name,
        family_name=person.family_name, date_of_birth=person.date_of_birth, gender="M", ethnicity="W",
    )  # fmt: skip
    other = make_case().person
    om, officer = partnership["offender_manager"], partnership["police_officer"]
    coordinator = partnership["iom_coordinator"]
    expected = {
        "person": [
            record_access(user=om, obj=case, purpose="case_management"),
            record_access(user=officer, obj=record, purpose="case_management"),
            record_access(user=coordinator, obj=person, purpose="panel"),
        ],
        "other": [record_access(user=officer, obj=other, purpose="panel")],
    }
    return person, expected


def shown(client, params) -> list[int]:
    response = client.get("/administration/audit/", params)
    assert response.status_code == 200
    return [e.pk for e in response.context["page_obj"]]


def test_filter_by_person_finds_reads_of_everything_held_on_them(client_for, reads) -> None:
    person, expected = reads
    ids = shown(client_for("administrator"), {"person": person.pk, "action": LogEntry.Action.ACCESS})
    assert sorted(ids) == sorted(e.pk for e in expected["person"])


def test_filter_by_person_includes_the_case_changes(client_for, reads) -> None:
    person, _ = reads
    ids = shown(client_for("administrator"), {"person": person.pk, "action": LogEntry.Action.CREATE})
    created = LogEntry.objects.filter(pk__in=ids)
    assert {e.content_type.model for e in created} >= {"case", "tierchange", "cohortmembership"}
    assert all(e.content_type.model != "person" or e.object_id == person.pk for e in created)


def test_filter_by_agency_of_the_user(client_for, reads, agency) -> None:
    _, expected = reads
    police = agency("police")
    ids = shown(client_for("administrator"), {"agency": police.pk, "action": LogEntry.Action.ACCESS})
    police_reads = {expected["person"][1].pk, expected["other"][0].pk}
    assert police_reads <= set(ids)
    assert all(e.actor.agency_id == police.pk for e in LogEntry.objects.filter(pk__in=ids))


def test_filter_by_purpose_and_person_together(client_for, reads) -> None:
    person, expected = reads
    ids = shown(client_for("administrator"), {"person": person.pk, "purpose": "panel"})
    assert ids == [expected["person"][2].pk]


def test_filter_by_user(client_for, reads, partnership) -> None:
    _, expected = reads
    officer = partnership["police_officer"]
    ids = shown(client_for("administrator"), {"actor": officer.pk, "action": LogEntry.Action.ACCESS})
    assert sorted(ids) == sorted([expected["person"][1].pk, expected["other"][0].pk])


def test_a_person_number_that_is_not_a_number_is_explained(client_for) -> None:
    html = client_for("administrator").get("/administration/audit/", {"person": "Smith"}).content.decode()
    assert "Enter the person number as a whole number" in html


def _download(client, job: Job) -> bytes:
    return b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)


def test_csv_export_has_exactly_the_filtered_entries(client_for, reads, partnership) -> None:
    person, expected = reads
    client = client_for("administrator")
    client.post("/administration/audit/export/", {"person": person.pk, "purpose": "case_management", "format": "csv"})
    job = Job.objects.get(owner=partnership["administrator"])
    rows = list(csv.DictReader(io.StringIO(_download(client, job).decode())))
    assert sorted(r["record_id"] for r in rows) == sorted(str(e.object_pk) for e in expected["person"][:2])
    assert {r["purpose"] for r in rows} == {"case_management"}


def test_excel_export_has_exactly_the_filtered_entries(client_for, reads, partnership) -> None:
    person, expected = reads
    client = client_for("administrator")
    client.post("/administration/audit/export/", {"person": person.pk, "action": 3, "format": "xlsx"})
    job = Job.objects.get(owner=partnership["administrator"])
    assert job.status == "succeeded"
    assert job.title == "Audit trail export (Excel)"
    sheet = load_workbook(io.BytesIO(_download(client, job))).active
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header[:3] == ["timestamp", "action", "user"]
    users = sorted(r[2] for r in rows)
    assert users == sorted(e.actor.email for e in expected["person"])
