"""Exporting chosen nominations as CSV for the panel (until panels are in OpenIOM): content and audit."""

from __future__ import annotations

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from openiom.cohort.models import SelectionRun
from openiom.cohort.services import export_nominations


def _rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # a byte-order mark, so spreadsheets read UTF-8 names
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _selection_reads() -> int:
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__purpose="selection").count()


def test_export_chosen_nominations_from_the_run_page(client_for, partnership, borough, start_run) -> None:
    run = start_run()
    before = _selection_reads()
    response = client_for("iom_coordinator").post(
        f"/cohort/runs/{run.pk}/export/",
        {"export": "chosen", "person": [str(borough.key("Gina")), str(borough.key("Dan")), str(borough.key("Fred"))]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="selection-run-{run.pk}-nominations.csv"'
    rows = _rows(response.content)
    # Fred is not nominated, so he is not exported even though his id was sent.
    assert [(r["Rank"], r["Route"], r["Cohort"], r["Given name"]) for r in rows] == [
        ("2", "IOM", "HCC", "Gina"),
        ("1", "DYO", "DYO", "Dan"),
    ]
    gina = rows[0]
    assert gina["Person id"] == str(borough.key("Gina"))
    assert gina["Date of birth"] == "1988-09-09"
    assert (gina["RFG score"], gina["Recency points"], gina["Frequency points"], gina["Gravity points"]) == (
        "11",
        "5",
        "4",
        "2",
    )
    assert gina["Harm (CCHI days)"] == "25"
    assert gina["Cost of crime (GBP)"] == "51450"
    assert "Ranked 2nd of 3 ranked on the IOM route" in gina["Explanation"]
    assert gina["Explanation"].startswith("Recency: Latest counted offence:")
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__purpose="selection")
    assert _selection_reads() == before + 2
    assert {(e.object_pk, e.actor_id) for e in entries.order_by("-pk")[:2]} == {
        (str(borough.key("Gina")), partnership["iom_coordinator"].pk),
        (str(borough.key("Dan")), partnership["iom_coordinator"].pk),
    }


def test_export_all_nominations(client_for, borough, start_run) -> None:
    run = start_run()
    rows = _rows(client_for("analyst").post(f"/cohort/runs/{run.pk}/export/", {"export": "all"}).content)
    assert [r["Given name"] for r in rows] == ["Adam", "Gina", "Dan"]


def test_export_with_nothing_chosen_explains_itself(client_for, borough, start_run) -> None:
    run = start_run()
    client = client_for("analyst")
    response = client.post(f"/cohort/runs/{run.pk}/export/", {"export": "chosen"}, follow=True)
    assert "Choose at least one nominated person to export" in response.content.decode()
    assert response.redirect_chain == [(f"/cohort/runs/{run.pk}/", 302)]


def test_an_unfinished_run_cannot_be_exported(partnership) -> None:
    run = SelectionRun.objects.create(as_of="2026-06-30", config={}, created_by=partnership["analyst"])
    with pytest.raises(ValidationError, match="finished run"):
        export_nominations(run, user=partnership["analyst"])


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_kept_as_text(partnership, borough, start_run) -> None:
    gina = borough["Gina"]
    gina.given_name = "=HYPERLINK(1)"
    gina.save()
    run = start_run()
    rows = _rows(export_nominations(run, user=partnership["analyst"], person_keys=[gina.pk]))
    assert rows[0]["Given name"] == "'=HYPERLINK(1)"


def test_chosen_nominations_are_referred_to_a_panel_from_the_run_page(
    client_for, partnership, borough, start_run
) -> None:
    from openiom.panels.models import Panel, Referral

    run = start_run()
    nominated = list(run.scores.filter(nominated=True).order_by("rank")[:2])
    iom = Panel.objects.get(code="iom")
    page = client_for("iom_coordinator").get(f"/cohort/runs/{run.pk}/")
    assert b"Refer chosen nominations to the panel" in page.content
    response = client_for("iom_coordinator").post(
        f"/cohort/runs/{run.pk}/refer/", {"panel": iom.pk, "person": [s.person_key for s in nominated]}, follow=True
    )
    assert "Referred 2 people to the IOM Panel" in response.content.decode()
    referrals = Referral.objects.filter(selection_run=run).order_by("person_id")
    assert sorted(r.person_id for r in referrals) == sorted(s.person_id for s in nominated)
    assert all(r.nominating_officer == partnership["iom_coordinator"] for r in referrals)
    again = client_for("iom_coordinator").post(
        f"/cohort/runs/{run.pk}/refer/", {"panel": iom.pk, "person": [nominated[0].person_key]}, follow=True
    )
    assert "already has an open referral to the IOM Panel" in again.content.decode()
    assert client_for("analyst").post(f"/cohort/runs/{run.pk}/refer/", {"panel": iom.pk}).status_code == 403
