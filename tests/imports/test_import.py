"""Importing deliveries: all or nothing, safe to repeat, corrections update by key."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from openiom.imports.constants import DeliveryStatus, Origin
from openiom.imports.models import Delivery
from openiom.imports.services import import_files
from openiom.offending.models import CustodyPeriod, Flag, Offence
from openiom.people.models import Person, PersonRecord

TODAY = date(2026, 11, 23)
PEOPLE = """person_id,source,given_name,family_name,date_of_birth,gender,ethnicity,pnc_id,postcode,ward
P1,police,Jay,Hollis,1999-04-02,M,W,2015/0012345A,RV1 2AB,Northbank
P2,police,Ann,Reid,2001-09-12,F,B,,RV2 3CD,Southmere
X1,probation,Jay,Holis,1999-04-02,M,W,,RV1 2AB,Northbank
"""
OFFENCES = """event_id,person_id,source,offence_code,offence_date,outcome,outcome_date,disposal,sentence_days,ward
E1,P1,police,burglary_residential,2025-01-10,conviction,2025-03-01,immediate_custody,180,Northbank
E2,P1,police,shoplifting,2025-06-10,arrest,2025-06-10,,,Northbank
E3,P2,police,violence_with_injury,2024-02-01,caution,2024-02-03,caution,,Southmere
"""
CUSTODY = "person_id,source,reception_date,release_date\nP1,police,2025-03-01,2025-05-30\n"
FLAGS = """person_id,source,flag,value,start_date,end_date
X1,probation,rosh,high,2025-03-10,
X1,probation,mappa_1,,2025-03-10,
"""


def delivery(**overrides: str) -> dict[str, bytes]:
    files = {"people.csv": PEOPLE, "offences.csv": OFFENCES, "custody.csv": CUSTODY, "flags.csv": FLAGS, **overrides}
    return {name: content.encode() for name, content in files.items() if content is not None}


def run(files: dict[str, bytes]) -> Delivery:
    return import_files(files, origin=Origin.COMMAND, command_user="test", today=TODAY)


def snapshot() -> tuple[int, int, int, int, int]:
    return (
        Person.objects.count(),
        PersonRecord.objects.count(),
        Offence.objects.count(),
        CustodyPeriod.objects.count(),
        Flag.objects.count(),
    )


def test_a_delivery_is_imported_with_a_report(partnership) -> None:
    result = run(delivery())
    assert result.status == DeliveryStatus.IMPORTED
    assert snapshot() == (3, 3, 3, 1, 2)
    assert result.changes == {
        "people": {"created": 3, "updated": 0, "unchanged": 0},
        "offences": {"created": 3, "updated": 0, "unchanged": 0},
        "custody": {"created": 1, "updated": 0, "unchanged": 0},
        "flags": {"created": 2, "updated": 0, "unchanged": 0},
    }
    jay = PersonRecord.objects.get(source__code="police", source_person_id="P1")
    assert jay.person.pnc_id == "2015/0012345A"
    assert [o.event_id for o in Offence.objects.for_person(jay.person_id)] == ["E1", "E2"]
    assert Offence.objects.get(event_id="E1").sentence_days == 180
    assert Offence.objects.get(event_id="E2").disposal == ""


def test_importing_the_same_delivery_again_changes_nothing(partnership) -> None:
    run(delivery())
    before = snapshot()
    again = run(delivery())
    assert again.status == DeliveryStatus.IMPORTED
    assert snapshot() == before
    assert all(c["created"] == c["updated"] == 0 for c in again.changes.values())
    assert again.fingerprint == Delivery.objects.order_by("pk").first().fingerprint


def test_a_corrected_redelivery_updates_by_key_without_duplicates(partnership) -> None:
    run(delivery())
    corrected_people = PEOPLE.replace("Ann,Reid", "Anne,Reid")
    corrected_offences = OFFENCES.replace("violence_with_injury", "violence_without_injury").replace(
        "E2,P1,police", "E2,P2,police"
    )
    result = run(delivery(**{"people.csv": corrected_people, "offences.csv": corrected_offences}))
    assert snapshot() == (3, 3, 3, 1, 2)
    assert result.changes["people"] == {"created": 0, "updated": 1, "unchanged": 2}
    assert result.changes["offences"] == {"created": 0, "updated": 2, "unchanged": 1}
    ann = PersonRecord.objects.get(source__code="police", source_person_id="P2")
    assert ann.given_name == "Anne"
    assert ann.person.given_name == "Anne"  # the person's identity follows the record
    assert Offence.objects.get(event_id="E3").offence_code == "violence_without_injury"
    assert Offence.objects.get(event_id="E2").record == ann  # moved to the right person
    assert ann.delivery == result


def test_a_delivery_with_one_bad_row_imports_nothing(partnership) -> None:
    bad = OFFENCES.replace("2024-02-03", "2024-02-31")
    result = run(delivery(**{"offences.csv": bad}))
    assert result.status == DeliveryStatus.REJECTED
    assert snapshot() == (0, 0, 0, 0, 0)
    assert result.error_count == 1
    assert result.errors == [
        {
            "file": "offences.csv",
            "row": 4,
            "column": "outcome_date",
            "value": "2024-02-31",
            "rule": "not a real date (YYYY-MM-DD)",
        }
    ]


def test_a_crash_part_way_leaves_nothing_behind(partnership) -> None:
    with (
        mock.patch("openiom.imports.services._apply_events", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        run(delivery())
    assert snapshot() == (0, 0, 0, 0, 0)  # the people written before the crash were rolled back
    assert Delivery.objects.get().status == DeliveryStatus.INTERRUPTED
    # ... and the same delivery can simply be imported again.
    assert run(delivery()).status == DeliveryStatus.IMPORTED
    assert snapshot() == (3, 3, 3, 1, 2)


def test_events_may_refer_to_people_imported_earlier(partnership) -> None:
    run(delivery(**{"offences.csv": None, "custody.csv": None, "flags.csv": None}))
    result = run(delivery(**{"people.csv": None}))
    assert result.status == DeliveryStatus.IMPORTED
    assert result.changes["offences"]["created"] == 3
    assert snapshot() == (3, 3, 3, 1, 2)


def test_unknown_agency_codes_are_refused(partnership) -> None:
    result = run(delivery(**{"people.csv": PEOPLE.replace("probation", "mi5")}))
    assert result.status == DeliveryStatus.REJECTED
    assert any(e["column"] == "source" and e["value"] == "mi5" for e in result.errors)


def test_import_command_prints_the_report_and_fails_on_errors(partnership, tmp_path, capsys) -> None:
    for name, content in delivery().items():
        (tmp_path / name).write_bytes(content)
    call_command("import", str(tmp_path))
    out = capsys.readouterr().out
    assert "people: 3 created, 0 updated, 0 unchanged" in out
    (tmp_path / "people.csv").write_text(PEOPLE.replace(",M,W,2015", ",Q,W,2015"))
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import", str(tmp_path))
    assert 'people.csv, row 2, gender "Q": not one of M, F, X, U' in capsys.readouterr().out


def test_import_command_refuses_a_missing_folder(db: None) -> None:
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("import", "/nonexistent/folder")
