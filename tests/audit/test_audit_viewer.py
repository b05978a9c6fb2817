from __future__ import annotations

import csv
import io

import pytest
from auditlog.models import LogEntry

from openiom.audit.services import record_access
from openiom.jobs.models import Job


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("administrator", 200),
        ("iom_coordinator", 403),
        ("analyst", 403),
        ("strategic_member", 403),
        ("offender_manager", 403),
    ],
)
def test_only_auditors_can_search_the_audit_trail(client_for, persona: str, status: int) -> None:
    assert client_for(persona).get("/administration/audit/").status_code == status


def test_filter_by_user_and_action(client_for, partnership) -> None:
    admin, analyst, target = partnership["administrator"], partnership["analyst"], partnership["panel_chair"]
    record_access(user=analyst, obj=target, purpose="panel")
    record_access(user=admin, obj=target, purpose="administration")
    response = client_for("administrator").get(
        "/administration/audit/", {"actor": analyst.pk, "action": LogEntry.Action.ACCESS}
    )
    page = response.context["page_obj"]
    assert [e.actor for e in page] == [analyst]
    assert page[0].additional_data["purpose"] == "panel"


def test_invalid_dates_are_explained_and_kept(client_for) -> None:
    response = client_for("administrator").get(
        "/administration/audit/", {"date_from": "2026-02-31", "date_to": "2026-01-01"}
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter the start date as a real date" in html
    assert 'value="2026-02-31"' in html


def test_export_runs_as_a_job_and_produces_csv(client_for, partnership) -> None:
    admin, target = partnership["administrator"], partnership["panel_chair"]
    record_access(user=admin, obj=target, purpose="administration")
    client = client_for("administrator")
    response = client.post("/administration/audit/export/", {"actor": admin.pk, "action": LogEntry.Action.ACCESS})
    job = Job.objects.get(owner=admin)
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "succeeded"
    download = client.get(f"/jobs/{job.pk}/download/")
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert len(rows) == LogEntry.objects.filter(actor=admin, action=LogEntry.Action.ACCESS).count() >= 1
    assert {r["user"] for r in rows} == {admin.email}
    assert rows[0]["purpose"] == "administration"
    # Another user cannot see or download it.
    other = client_for("iom_coordinator")
    assert other.get(f"/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/jobs/{job.pk}/download/").status_code == 404
