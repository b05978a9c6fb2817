from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openiom.accounts.services import create_api_token
from openiom.imports.models import Delivery
from openiom.jobs.models import Job
from openiom.people.models import PersonRecord
from tests.conftest import PERSONAS
from tests.imports.test_import import CUSTODY, OFFENCES, PEOPLE


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_importers_reach_the_import_pages(client_for, persona: str) -> None:
    expected = 200 if persona in {"iom_coordinator", "analyst"} else 403
    client = client_for(persona)
    assert client.get("/imports/").status_code == expected
    assert client.get("/imports/upload/").status_code == expected


def test_upload_runs_a_job_and_reports_the_delivery(client_for, partnership) -> None:
    client = client_for("analyst")
    response = client.post(
        "/imports/upload/",
        {
            "people": SimpleUploadedFile("police-people-2026-11.csv", PEOPLE.encode()),
            "offences": SimpleUploadedFile("offences.csv", OFFENCES.encode()),
            "custody": SimpleUploadedFile("custody.csv", CUSTODY.encode()),
        },
    )
    job = Job.objects.get(owner=partnership["analyst"], kind="import_delivery")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "succeeded"
    delivery = Delivery.objects.get()
    assert delivery.imported_by == partnership["analyst"]
    assert delivery.file_names == ["custody.csv", "offences.csv", "people.csv"]
    assert PersonRecord.objects.count() == 3
    job_page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"/imports/{delivery.pk}/" in job_page
    report = client.get(f"/imports/{delivery.pk}/").content.decode()
    assert "Imported" in report
    history = client.get("/imports/").content.decode()
    assert "Ana Lindqvist" in history


def test_rejected_upload_lists_every_problem(client_for, partnership) -> None:
    client = client_for("iom_coordinator")
    bad = PEOPLE.replace("1999-04-02,M", "1999-02-30,M").replace("2001-09-12,F,B", "2001-09-12,F,Black")
    client.post("/imports/upload/", {"people": SimpleUploadedFile("people.csv", bad.encode())})
    delivery = Delivery.objects.get()
    assert delivery.status == "rejected"
    html = client.get(f"/imports/{delivery.pk}/").content.decode()
    assert "Nothing from this delivery was imported" in html
    assert "not a real date (YYYY-MM-DD)" in html
    assert "Black" in html
    assert PersonRecord.objects.count() == 0


def test_upload_form_errors(client_for) -> None:
    client = client_for("iom_coordinator")
    empty = client.post("/imports/upload/", {}).content.decode()
    assert "Choose at least one file to upload" in empty
    wrong = client.post("/imports/upload/", {"people": SimpleUploadedFile("people.xlsx", b"PK..")}).content.decode()
    assert "must be a CSV (.csv) or Parquet (.parquet) file" in wrong
    assert Delivery.objects.count() == 0


def test_api_ingest_and_report(partnership) -> None:
    _t, raw = create_api_token(user=partnership["iom_coordinator"], name="t")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    response = client.post(
        "/api/v1/deliveries",
        {
            "people": SimpleUploadedFile("people.csv", PEOPLE.encode()),
            "offences": SimpleUploadedFile("o.csv", OFFENCES.encode()),
        },
    )
    body = response.json()
    assert body["status"] == "imported"
    assert body["changes"]["people"] == {"created": 3, "updated": 0, "unchanged": 0}
    again = client.post("/api/v1/deliveries", {"people": SimpleUploadedFile("people.csv", PEOPLE.encode())}).json()
    assert again["changes"]["people"] == {"created": 0, "updated": 0, "unchanged": 3}
    report = client.get(f"/api/v1/deliveries/{body['id']}").json()
    assert report["fingerprint"] == body["fingerprint"]
    bad = client.post(
        "/api/v1/deliveries", {"people": SimpleUploadedFile("people.csv", PEOPLE.replace(",M,", ",Q,").encode())}
    ).json()
    assert bad["status"] == "rejected"
    assert bad["errors"][0]["column"] == "gender"


def test_api_ingest_needs_the_import_capability(partnership) -> None:
    _t, raw = create_api_token(user=partnership["police_officer"], name="t")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    response = client.post("/api/v1/deliveries", {"people": SimpleUploadedFile("people.csv", PEOPLE.encode())})
    assert response.status_code == 403
    assert PersonRecord.objects.count() == 0
