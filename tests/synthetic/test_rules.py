"""Every row the generator writes keeps every rule of the data standard (docs/data-standard.md).

The checks are written out here, independently of the import validator, and then the
validator itself is run over the same files as a second opinion.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date

from openiom.datastandard import read_delivery
from openiom.datastandard.validate import files_from_dir
from openiom.reference import offence_codes

from .conftest import END, PEOPLE, Borough

HEADERS = {
    "people": [
        "person_id",
        "source",
        "given_name",
        "family_name",
        "date_of_birth",
        "gender",
        "ethnicity",
        "pnc_id",
        "postcode",
        "ward",
    ],
    "offences": [
        "event_id",
        "person_id",
        "source",
        "offence_code",
        "offence_date",
        "outcome",
        "outcome_date",
        "disposal",
        "sentence_days",
        "ward",
    ],
    "custody": ["person_id", "source", "reception_date", "release_date"],
    "flags": ["person_id", "source", "flag", "value", "start_date", "end_date"],
    "ground_truth": ["source", "person_id", "true_person_id"],
}
SOURCES = {"police", "probation", "yot", "prison", "substance"}
SANCTIONS = {"conviction", "caution"}
DISPOSALS = {
    "immediate_custody",
    "suspended_sentence",
    "community_order",
    "fine",
    "discharge",
    "caution",
    "youth_caution",
    "referral_order",
    "youth_rehabilitation_order",
    "other",
}
FLAG_SOURCES = {
    "ppo": "police",
    "marac": "police",
    "mappa_1": "probation",
    "mappa_2": "probation",
    "mappa_3": "probation",
    "rosh": "probation",
    "asset_score": "yot",
    "dyo": "yot",
    "dip": "substance",
}
PNC = re.compile(r"^\d{4}/\d{7}[A-Z]$")
FORMULA = re.compile(r"^(=|\+|@|-(?!\d))")


def day(text: str) -> date:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", text), text
    return date.fromisoformat(text)


def age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def test_files_and_headers(borough: Borough) -> None:
    names = sorted(p.name for p in borough.folder.iterdir())
    assert names == ["custody.csv", "flags.csv", "ground_truth.csv", "offences.csv", "people.csv"]
    assert borough.headers == HEADERS
    for name in HEADERS:
        raw = (borough.folder / f"{name}.csv").read_bytes()
        raw.decode("utf-8")
        assert b"\r\n" not in raw


def test_no_cell_looks_like_a_formula_or_is_padded(borough: Borough) -> None:
    for rows in (borough.people, borough.offences, borough.custody, borough.flags):
        for row in rows:
            for value in row.values():
                assert value == value.strip()
                assert not FORMULA.match(value), row


def test_people(borough: Borough) -> None:
    keys = Counter((r["source"], r["person_id"]) for r in borough.people)
    assert max(keys.values()) == 1, "person_id unique within source"
    police = [r for r in borough.people if r["source"] == "police"]
    assert len(police) == PEOPLE
    for r in borough.people:
        assert r["source"] in SOURCES
        assert 0 < len(r["person_id"]) <= 40
        assert 0 < len(r["given_name"]) <= 100
        assert 0 < len(r["family_name"]) <= 100
        dob = day(r["date_of_birth"])
        assert date(1900, 1, 1) <= dob <= END
        assert r["gender"] in {"M", "F", "X", "U"}
        assert r["ethnicity"] in {"A", "B", "M", "W", "O", "NS"}
        assert r["pnc_id"] == "" or PNC.match(r["pnc_id"]), r
        assert len(r["postcode"]) <= 10
        assert len(r["ward"]) <= 100
    schemes = {
        "police": r"PN\d{7}",
        "probation": r"[A-Z]\d{6}",
        "yot": r"YJ\d{7}",
        "prison": r"[AG]\d{4}[A-Z]{2}",
        "substance": r"DIP\d{7}",
    }
    for r in borough.people:
        assert re.fullmatch(schemes[r["source"]], r["person_id"]), r


def test_offences(borough: Borough) -> None:
    births = {(r["source"], r["person_id"]): day(r["date_of_birth"]) for r in borough.people}
    assert Counter((r["source"], r["event_id"]) for r in borough.offences).most_common(1)[0][1] == 1
    codes = offence_codes()
    for r in borough.offences:
        assert r["source"] == "police", "police hold every offence"
        dob = births[r["source"], r["person_id"]]
        offence, outcome = day(r["offence_date"]), day(r["outcome_date"])
        assert dob <= offence <= outcome <= END, r
        assert age(dob, offence) >= 10, r
        assert r["offence_code"] in codes
        assert r["outcome"] in {"arrest", "charge", "conviction", "caution", "no_further_action"}
        if r["outcome"] == "caution":
            assert r["disposal"] in {"caution", "youth_caution"}, r
        elif r["outcome"] == "conviction":
            assert r["disposal"] in DISPOSALS - {"caution", "youth_caution"}, r
        else:
            assert r["disposal"] == "", r
        if r["sentence_days"]:
            assert r["disposal"] in {"immediate_custody", "suspended_sentence"}, r
            assert r["sentence_days"].isdigit()
            assert 1 <= int(r["sentence_days"]) <= 36500
        if r["disposal"] == "immediate_custody":
            assert r["sentence_days"], "a custodial sentence has a length"
        assert len(r["event_id"]) <= 40
        assert len(r["ward"]) <= 100
    police_people = {r["person_id"] for r in borough.people if r["source"] == "police"}
    assert police_people == {r["person_id"] for r in borough.offences}, "police hold a row for each offender only"


def test_custody(borough: Borough) -> None:
    births = {(r["source"], r["person_id"]): day(r["date_of_birth"]) for r in borough.people}
    assert len({(r["source"], r["person_id"], r["reception_date"]) for r in borough.custody}) == len(borough.custody)
    for r in borough.custody:
        assert r["source"] == "prison"
        reception = day(r["reception_date"])
        assert births[r["source"], r["person_id"]] <= reception <= END
        if r["release_date"]:
            assert reception <= day(r["release_date"]) <= END
    prison_people = {r["person_id"] for r in borough.people if r["source"] == "prison"}
    assert prison_people == {r["person_id"] for r in borough.custody}
    assert any(not r["release_date"] for r in borough.custody), "some are still inside on the end date"


def test_flags(borough: Borough) -> None:
    people = {(r["source"], r["person_id"]) for r in borough.people}
    keys = Counter((r["source"], r["person_id"], r["flag"], r["start_date"]) for r in borough.flags)
    assert max(keys.values()) == 1
    for r in borough.flags:
        assert (r["source"], r["person_id"]) in people
        assert FLAG_SOURCES[r["flag"]] == r["source"], r
        start = day(r["start_date"])
        assert start <= END
        if r["end_date"]:
            assert start <= day(r["end_date"]) <= END, r
        if r["flag"] == "asset_score":
            assert r["value"].isdigit()
            assert 0 <= int(r["value"]) <= 64
        elif r["flag"] == "rosh":
            assert r["value"] in {"low", "medium", "high", "very_high"}
        else:
            assert r["value"] == ""
    assert {r["flag"] for r in borough.flags} >= {"ppo", "marac", "mappa_1", "rosh", "asset_score", "dyo", "dip"}


def test_each_agency_holds_whom_it_would(borough: Borough) -> None:
    truth = borough.true_id()
    by_true: dict[str, list[dict[str, str]]] = defaultdict(list)
    dob: dict[str, date] = {}
    for r in borough.offences:
        by_true[truth["police", r["person_id"]]].append(r)
    for r in borough.people:
        if r["source"] == "police":
            dob[truth["police", r["person_id"]]] = day(r["date_of_birth"])
    for r in borough.people:
        t = truth[r["source"], r["person_id"]]
        offences = by_true[t]
        if r["source"] == "probation":
            assert any(
                o["disposal"] in {"community_order", "suspended_sentence", "immediate_custody"}
                and age(dob[t], day(o["offence_date"])) >= 17
                for o in offences
            )
        elif r["source"] == "yot":
            assert any(age(dob[t], day(o["offence_date"])) <= 18 for o in offences)
        elif r["source"] == "prison":
            assert any(o["disposal"] == "immediate_custody" for o in offences)
    substance = {r["person_id"] for r in borough.people if r["source"] == "substance"}
    assert substance == {r["person_id"] for r in borough.flags if r["flag"] == "dip"}


def test_custody_follows_sentences_and_stops_offending(borough: Borough) -> None:
    truth = borough.true_id()
    sentenced: dict[str, set[str]] = defaultdict(set)
    offence_days: dict[str, list[date]] = defaultdict(list)
    for r in borough.offences:
        t = truth["police", r["person_id"]]
        offence_days[t].append(day(r["offence_date"]))
        if r["disposal"] == "immediate_custody":
            sentenced[t].add(r["outcome_date"])
    for r in borough.custody:
        t = truth["prison", r["person_id"]]
        assert r["reception_date"] in sentenced[t], "received into custody on the day of an immediate custody sentence"
        reception = day(r["reception_date"])
        release = day(r["release_date"]) if r["release_date"] else END
        inside = [d for d in offence_days[t] if reception <= d <= release]
        assert not inside, f"offences while in custody: {r} {inside}"


def test_ground_truth_covers_every_people_row(borough: Borough) -> None:
    people = Counter((r["source"], r["person_id"]) for r in borough.people)
    truth = Counter((r["source"], r["person_id"]) for r in borough.truth)
    assert people == truth
    assert len({r["true_person_id"] for r in borough.truth}) == PEOPLE
    police = {r["true_person_id"] for r in borough.truth if r["source"] == "police"}
    assert police == {r["true_person_id"] for r in borough.truth}, "every true person is known to police"


def test_the_import_validator_accepts_the_delivery(borough: Borough) -> None:
    delivery = read_delivery(files_from_dir(borough.folder), known_sources=SOURCES, today=END)
    assert delivery.ok, [str(e) for e in delivery.errors[:10]]
    assert delivery.ignored_files == ["ground_truth.csv"]
    assert delivery.row_counts() == {
        "people": len(borough.people),
        "offences": len(borough.offences),
        "custody": len(borough.custody),
        "flags": len(borough.flags),
    }


def test_police_hold_a_pnc_id_for_everyone_charged(borough: Borough) -> None:
    charged = {r["person_id"] for r in borough.offences if r["outcome"] in {"charge", "conviction", "caution"}}
    police = {r["person_id"]: r["pnc_id"] for r in borough.people if r["source"] == "police"}
    assert all(police[p] for p in charged)
    others = [r for r in borough.people if r["source"] != "police"]
    assert 0 < sum(1 for r in others if not r["pnc_id"]) < len(others) / 3, "other agencies sometimes lack it"
    letters = "ZABCDEFGHJKLMNPQRTUVWXY"  # the PNC check character
    valid = [p for p in police.values() if p and letters[int(p[2:4] + p[5:12]) % 23] == p[12]]
    assert len(valid) >= 0.99 * sum(1 for p in police.values() if p)
