"""Every rule of docs/data-standard.md, each on a tiny delivery that breaks only that rule."""

from __future__ import annotations

import io
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from openiom.datastandard import Problem, read_delivery

TODAY = date(2026, 11, 23)
SOURCES = {"police", "probation"}
PEOPLE_HEADER = "person_id,source,given_name,family_name,date_of_birth,gender,ethnicity,pnc_id,postcode,ward"
PERSON = "P1,police,Jay,Hollis,1999-04-02,M,W,2015/0012345A,RV1 2AB,Northbank"
OFFENCES_HEADER = "event_id,person_id,source,offence_code,offence_date,outcome,outcome_date,disposal,sentence_days,ward"
OFFENCE = "E1,P1,police,burglary_residential,2025-01-10,conviction,2025-03-01,immediate_custody,180,Northbank"


def csv_bytes(header: str, *rows: str) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def check(files: dict[str, bytes], known=None):
    return read_delivery(files, known_sources=SOURCES, known_people=known, today=TODAY)


def problems(files: dict[str, bytes], known=None) -> list[str]:
    return [str(p) for p in check(files, known).errors]


def people(*rows: str) -> dict[str, bytes]:
    return {"people.csv": csv_bytes(PEOPLE_HEADER, *rows)}


def with_offence(row: str) -> dict[str, bytes]:
    return {**people(PERSON), "offences.csv": csv_bytes(OFFENCES_HEADER, row)}


def test_a_valid_delivery_passes_with_typed_rows() -> None:
    delivery = check(with_offence(OFFENCE))
    assert delivery.ok, delivery.errors
    assert delivery.row_counts() == {"people": 1, "offences": 1}
    person = delivery.rows["people"][0]
    assert person["date_of_birth"] == date(1999, 4, 2)
    assert delivery.rows["offences"][0]["sentence_days"] == 180


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (PERSON.replace("1999-04-02", "1999-02-31"), 'people.csv, row 2, date_of_birth "1999-02-31": not a real date'),
        (PERSON.replace("1999-04-02", "02/04/1999"), 'date_of_birth "02/04/1999": not a date in the form YYYY-MM-DD'),
        (PERSON.replace("1999-04-02", "2027-01-01"), 'date_of_birth "2027-01-01": is in the future'),
        (PERSON.replace("1999-04-02", "1899-12-31"), "is before 1900-01-01"),
        (PERSON.replace(",M,", ",Male,"), 'gender "Male": not one of M, F, X, U'),
        (PERSON.replace(",W,", ",White,"), 'ethnicity "White": not one of A, B, M, W, O, NS'),
        (PERSON.replace("2015/0012345A", "12345"), 'pnc_id "12345": not a PNC id'),
        (PERSON.replace("Jay", ""), 'given_name "": required value is missing'),
        (PERSON.replace("police", "mi5"), 'source "mi5": not the code of an agency in the partnership'),
        (PERSON.replace("Hollis", '=HYPERLINK("x")'), "looks like a spreadsheet formula"),
        (PERSON.replace("Hollis", "@SUM(A1)"), "looks like a spreadsheet formula"),
        (PERSON.replace("Jay", "J" * 101), "longer than 100 characters"),
    ],
)
def test_people_rules(row: str, expected: str) -> None:
    found = problems(people(row))
    assert any(expected in p for p in found), found


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (OFFENCE.replace("burglary_residential", "burglary"), "not a code in the offence vocabulary"),
        (
            OFFENCE.replace("2025-03-01", "2024-12-31"),
            'outcome_date "2024-12-31": is before the offence_date 2025-01-10',
        ),
        (OFFENCE.replace("2025-03-01", "2026-12-01"), 'outcome_date "2026-12-01": is in the future'),
        (
            OFFENCE.replace("2025-01-10", "1990-01-01").replace("2025-03-01", "1990-02-01"),
            "is before the person's date of birth",
        ),
        (OFFENCE.replace(",conviction,", ",convicted,"), 'outcome "convicted": not one of'),
        (OFFENCE.replace("immediate_custody,180", ","), 'disposal "": is required when the outcome is conviction'),
        (OFFENCE.replace(",conviction,", ",arrest,").replace("immediate_custody,180", ","), None),
        (OFFENCE.replace(",conviction,", ",arrest,"), "must be blank when the outcome is arrest"),
        (OFFENCE.replace(",conviction,", ",caution,"), "a caution outcome takes caution or youth_caution"),
        (OFFENCE.replace("immediate_custody,180", "caution,"), "a conviction cannot have a caution disposal"),
        (
            OFFENCE.replace("immediate_custody,180", "fine,180"),
            "only allowed with immediate_custody or suspended_sentence",
        ),
        (OFFENCE.replace(",180,", ",0,"), "must be between 1 and 36500"),
        (OFFENCE.replace(",180,", ",6 months,"), "not a whole number"),
        (OFFENCE.replace(",P1,", ",P9,"), 'person_id "P9": no person with this id from source police'),
        (OFFENCE.replace("P1,police", "P1,probation"), "no person with this id from source probation"),
    ],
)
def test_offence_rules(row: str, expected: str | None) -> None:
    found = problems(with_offence(row))
    if expected is None:
        assert found == []
    else:
        assert any(expected in p for p in found), found


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (["P1,police,2025-03-01,2025-02-01"], 'release_date "2025-02-01": is before the reception_date'),
        (["P1,police,2027-03-01,"], 'reception_date "2027-03-01": is in the future'),
        (["P1,police,1998-03-01,"], "is before the person's date of birth"),
        (["P1,police,2025-03-01,", "P1,police,2025-03-01,2025-06-01"], "duplicate of row 2"),
    ],
)
def test_custody_rules(rows: list[str], expected: str) -> None:
    files = {**people(PERSON), "custody.csv": csv_bytes("person_id,source,reception_date,release_date", *rows)}
    found = problems(files)
    assert any(expected in p for p in found), found


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("P1,police,asset_score,65,2025-01-01,", "an asset_score needs a whole number from 0 to 64"),
        ("P1,police,asset_score,,2025-01-01,", "an asset_score needs a whole number from 0 to 64"),
        ("P1,police,rosh,extreme,2025-01-01,", "a rosh flag needs low, medium, high or very_high"),
        ("P1,police,mappa_2,yes,2025-01-01,", "must be blank for a mappa_2 flag"),
        ("P1,police,mappa_4,,2025-01-01,", 'flag "mappa_4": not one of'),
        ("P1,police,ppo,,2025-01-01,2024-01-01", 'end_date "2024-01-01": is before the start_date'),
        ("P1,police,ppo,,2027-01-01,", 'start_date "2027-01-01": is in the future'),
    ],
)
def test_flag_rules(row: str, expected: str) -> None:
    files = {**people(PERSON), "flags.csv": csv_bytes("person_id,source,flag,value,start_date,end_date", row)}
    found = problems(files)
    assert any(expected in p for p in found), found


def test_valid_flags_pass() -> None:
    rows = [
        "P1,police,asset_score,33,2025-01-01,",
        "P1,police,rosh,very_high,2025-01-01,",
        "P1,police,mappa_2,,2025-01-01,",
    ]
    files = {**people(PERSON), "flags.csv": csv_bytes("person_id,source,flag,value,start_date,end_date", *rows)}
    assert problems(files) == []


def test_duplicate_ids_name_both_rows() -> None:
    found = problems(people(PERSON, PERSON.replace("Jay", "Jason")))
    assert found == ['people.csv, row 3, source, person_id "police / P1": duplicate of row 2']


def test_missing_and_extra_columns() -> None:
    header = PEOPLE_HEADER.replace(",ethnicity", "") + ",nickname"
    found = problems({"people.csv": csv_bytes(header, "P1,police,Jay,Hollis,1999-04-02,M,,,,Jaybird")})
    assert "people.csv, row 1, ethnicity: required column is missing from the header" in found
    assert any("nickname: unexpected column" in p for p in found)


def test_optional_columns_may_be_left_out() -> None:
    header = "person_id,source,given_name,family_name,date_of_birth,gender,ethnicity"
    assert problems({"people.csv": csv_bytes(header, "P1,police,Jay,Hollis,1999-04-02,M,W")}) == []


def test_empty_file_and_header_only_file() -> None:
    assert problems({"people.csv": b""}) == ["people.csv: the file is empty"]
    assert problems({"people.csv": csv_bytes(PEOPLE_HEADER)}) == ["people.csv: the file has a header but no rows"]


def test_a_delivery_needs_at_least_one_standard_file() -> None:
    found = problems({"notes.txt": b"hello"})
    assert found == [
        "(delivery): no file of the standard was found (people.csv, offences.csv, custody.csv, flags.csv, or .parquet)"
    ]
    # Events alone are fine when their people are known.
    assert any("no person with this id" in p for p in problems({"offences.csv": csv_bytes(OFFENCES_HEADER, OFFENCE)}))


def test_wrong_encodings_are_refused_with_the_line() -> None:
    latin = csv_bytes(PEOPLE_HEADER, PERSON, PERSON.replace("P1", "P2").replace("Jay", "Zoë")).decode().encode("cp1252")
    found = problems({"people.csv": latin})
    assert found == ["people.csv, row 3: the file is not UTF-8 (perhaps Windows-1252 from Excel); save it as CSV UTF-8"]
    utf16 = csv_bytes(PEOPLE_HEADER, PERSON).decode().encode("utf-16")
    assert problems({"people.csv": utf16}) == ["people.csv, row 1: the file is UTF-16; save it as CSV UTF-8"]


def test_byte_order_mark_and_windows_line_ends_are_accepted() -> None:
    content = "\ufeff" + PEOPLE_HEADER + "\r\n" + PERSON + "\r\n"
    assert problems({"people.csv": content.encode()}) == []


def test_ragged_rows_are_reported() -> None:
    found = problems(people(PERSON + ",extra"))
    assert found == ["people.csv, row 2: has 11 values but the header has 10 columns"]


def test_other_files_are_ignored_and_listed() -> None:
    delivery = check({**people(PERSON), "ground_truth.csv": b"a,b\n"})
    assert delivery.ok
    assert delivery.ignored_files == ["ground_truth.csv"]


def test_people_already_imported_satisfy_references() -> None:
    files = {
        "people.csv": csv_bytes(PEOPLE_HEADER, PERSON.replace("P1", "P2")),
        "offences.csv": csv_bytes(OFFENCES_HEADER, OFFENCE),
    }
    assert any("no person with this id" in p for p in problems(files))
    known = lambda keys: {("police", "P1"): date(1999, 4, 2)} if ("police", "P1") in keys else {}  # noqa: E731
    assert problems(files, known) == []


def test_no_rows_are_returned_when_any_row_is_wrong() -> None:
    delivery = check(people(PERSON, PERSON.replace("P1", "P2").replace(",M,", ",Q,")))
    assert not delivery.ok
    assert delivery.rows == {}


def test_fingerprint_is_stable_and_content_sensitive() -> None:
    a = check(people(PERSON)).fingerprint
    assert a == check(people(PERSON)).fingerprint
    assert a != check(people(PERSON.replace("Jay", "Jason"))).fingerprint


def test_parquet_is_read_with_the_same_rules() -> None:
    table = pa.table(
        {
            "person_id": ["P1", "P2"],
            "source": ["police", "police"],
            "given_name": ["Jay", "Ann"],
            "family_name": ["Hollis", "Reid"],
            "date_of_birth": [date(1999, 4, 2), date(2030, 1, 1)],
            "gender": ["M", "F"],
            "ethnicity": ["W", "B"],
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    found = problems({"people.parquet": buffer.getvalue()})
    assert found == ['people.parquet, row 2, date_of_birth "2030-01-01": is in the future']


def test_reported_values_are_safe_to_store_and_show() -> None:
    found = check(people(PERSON.replace("Hollis", "=Hol\x00lis"))).errors
    assert found
    for problem in [p.as_dict() for p in found]:
        assert problem["value"] is None or "\x00" not in problem["value"]
    surrogate = Problem("people.csv", 2, "given_name", "Jay\ud800", "bad").as_dict()
    assert surrogate["value"] == "Jay\\ud800"
    surrogate["value"].encode("utf-8")  # storable
