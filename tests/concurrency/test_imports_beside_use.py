"""Imports and scoring runs beside people using the pages, and the same delivery imported twice at once.

A synthetic delivery of 2,000 people (about 3,300 agency records and 6,500 offences) is made with
`openiom.synthetic`. A quarter of it (every fourth record, with its events) is imported first, as an earlier
delivery; the whole of it is then imported while people work:

- the import is held half-way, inside its transaction (its new people written, its offences not yet);
- meanwhile a cohort scoring run, two people reading the caseload, a case, a person and the search, and
  two people saving (a contact, the case details) all run at once, and must all finish: the import's open
  transaction blocks none of them;
- the import is then let go and finishes while the pages are read again.

Every request succeeds, the import's rows all land, the users' changes all land, and the scoring run used
the data as it was before the import (its inputs' fingerprint) since the import had not committed.

Imports are safe to repeat: the same delivery (here of 500 people) imported twice at once ends with one copy
of every record, the second finding everything unchanged (before, it failed on the database's unique index).
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from openiom.accounts.models import User
from openiom.cases.models import Contact
from openiom.cohort.adapter import inputs_fingerprint
from openiom.cohort.constants import RunStatus
from openiom.cohort.models import SelectionRun
from openiom.cohort.services import start_selection_run
from openiom.imports.constants import DeliveryStatus, Origin
from openiom.imports.models import Delivery
from openiom.imports.services import import_files
from openiom.offending.models import CustodyPeriod, Flag, Offence
from openiom.people.models import Person, PersonRecord
from openiom.synthetic.generate import Settings, generate
from tests.cases.case_world import CaseWorld, date_fields
from tests.concurrency.racing import Hold, Worker, race, requires_postgresql, together

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]

PEOPLE = 2000
EARLIER = 4  # every fourth record is in the earlier delivery
TODAY = date(2026, 11, 24)
FILES = ("people.csv", "offences.csv", "custody.csv", "flags.csv")
MODELS = {"people.csv": PersonRecord, "offences.csv": Offence, "custody.csv": CustodyPeriod, "flags.csv": Flag}


@dataclass(frozen=True)
class Deliveries:
    whole: dict[str, bytes]
    earlier: dict[str, bytes]

    def rows(self, which: str = "whole") -> dict[str, int]:
        files = self.whole if which == "whole" else self.earlier
        return {name: content.decode().count("\n") - 1 for name, content in files.items()}


def _part(files: dict[str, bytes], every: int) -> dict[str, bytes]:
    """Every `every`th record of the delivery, with its offences, custody periods and flags."""
    people = list(csv.DictReader(io.StringIO(files["people.csv"].decode())))[::every]
    keep = {(row["source"], row["person_id"]) for row in people}
    part: dict[str, bytes] = {}
    for name, content in files.items():
        lines = content.decode().splitlines(keepends=True)
        rows = csv.DictReader(lines)
        kept = [lines[0]] + [line for line, row in zip(lines[1:], rows, strict=True)
                             if (row["source"], row["person_id"]) in keep]  # fmt: skip
        part[name] = "".join(kept).encode()
    return part


@pytest.fixture
def deliveries(tmp_path: Path) -> Deliveries:
    generate(Settings(people=PEOPLE, years=3, seed=29, out=tmp_path))
    whole = {name: (tmp_path / name).read_bytes() for name in FILES}
    return Deliveries(whole=whole, earlier=_part(whole, EARLIER))


def _import(files: dict[str, bytes], who: str) -> Delivery:
    return import_files(files, origin=Origin.COMMAND, command_user=who, today=TODAY)


def _held_rows() -> dict[str, int]:
    return {name: model._default_manager.count() for name, model in MODELS.items()}


# ---- what people do meanwhile ------------------------------------------------------------------------
@dataclass(frozen=True)
class Seen:
    address: str
    status: int
    seconds: float
    found: bool  # the page showed what it should


def _reading(client: Client, world: CaseWorld, person: Person) -> Callable[[], list[Seen]]:
    pages: list[tuple[str, dict[str, str] | None, str]] = [
        ("/cases/", None, "QUILL, Jordan"),
        (world.url(), None, f"IOM case {world.case.pk}"),
        (f"/people/{person.pk}/", None, person.family_name),
        ("/people/", {"name": f"{person.given_name} {person.family_name}"}, f'href="/people/{person.pk}/"'),
    ]

    def read() -> list[Seen]:
        seen = []
        for address, data, words in pages:
            started = time.monotonic()
            response = client.get(address) if data is None else client.post(address, data)
            seen.append(
                Seen(address, response.status_code, time.monotonic() - started, words in response.content.decode())
            )
        return seen

    return read


def _check_pages(seen: list[Seen]) -> None:
    assert seen
    wrong = [s for s in seen if s.status != 200 or not s.found]
    assert not wrong, wrong


def test_an_import_and_a_scoring_run_beside_people_using_the_pages(
    world: CaseWorld, client_for: Callable[[str], Client], deliveries: Deliveries
) -> None:
    earlier = _import(deliveries.earlier, "earlier delivery")
    assert earlier.status == DeliveryStatus.IMPORTED
    before, known = inputs_fingerprint(), Person.objects.filter(records__delivery=earlier).order_by("pk").first()
    assert known is not None
    coordinator: User = world.users["iom_coordinator"]
    om_client, police_client = client_for("offender_manager"), client_for("police_officer")
    readers = [
        _reading(client_for("iom_coordinator"), world, known),
        _reading(client_for("police_officer"), world, known),
    ]

    importer = Worker("import", lambda: _import(deliveries.whole, "whole delivery"),
                      hold=Hold(r'^INSERT INTO "offending_offence"', after=False))  # fmt: skip
    importer.start()
    try:
        assert importer.reached.wait(60), "the import did not reach its offences"
        assert importer.held, importer.error

        def add_contact() -> Any:
            return om_client.post(world.url("contacts/add/"), {
                "kind": "phone", **date_fields("day", date(2026, 11, 23)), "at": "09:30", "outcome": "attended",
                "notes": "Called during the import"})  # fmt: skip

        def save_details() -> Any:
            version = world.fresh().version
            return police_client.post(world.url("details/"), {"statutory": "yes", "rosh_level": "very_high",
                                                               "version": version})  # fmt: skip

        def score() -> SelectionRun:
            return start_selection_run(user=coordinator, as_of=date(2026, 10, 31), config={}, in_background=False)

        # All at once, while the import's transaction is open half-way: none may wait for it.
        scorer, reader_one, reader_two, contact, details = together(
            score, *readers, add_contact, save_details, names=["score", "read 1", "read 2", "contact", "details"]
        )
        assert importer.is_alive()  # the import really was still open, half-way, meanwhile
        assert importer.held
    finally:
        importer.release.set()
    seen_after = []
    while importer.is_alive():  # pages read while the import finishes
        seen_after += readers[0]()
    importer.join(60)
    assert not importer.is_alive()

    delivery: Delivery = importer.outcome()
    assert delivery.status == DeliveryStatus.IMPORTED
    rows, earlier_rows = deliveries.rows(), deliveries.rows("earlier")
    new_records = rows["people.csv"] - earlier_rows["people.csv"]
    assert delivery.changes["people"] == {"created": new_records, "updated": 0, "unchanged": earlier_rows["people.csv"]}
    assert _held_rows() == rows  # every row of the delivery landed, once
    for worker in (reader_one, reader_two):
        _check_pages(worker.outcome())
    _check_pages(seen_after)
    assert contact.outcome().status_code == 302
    assert details.outcome().status_code == 302
    assert Contact.objects.filter(case=world.case, notes="Called during the import").count() == 1
    assert world.fresh().rosh_level == "very_high"
    run = scorer.outcome()
    assert run.status == RunStatus.SUCCEEDED, run.error_message
    assert run.inputs_fingerprint == before  # it read the data as committed when it ran: not the open import
    assert 0 < run.population <= Person.objects.count() - new_records  # the earlier delivery's people only


def test_the_same_delivery_imported_twice_at_once_leaves_one_copy(tmp_path: Path, partnership: Any) -> None:
    generate(Settings(people=500, years=3, seed=31, out=tmp_path))
    deliveries = Deliveries(whole={name: (tmp_path / name).read_bytes() for name in FILES}, earlier={})
    result = race(
        lambda: _import(deliveries.whole, "first"),
        lambda: _import(deliveries.whole, "second"),
        hold=Hold(r'^INSERT INTO "people_personrecord"'),
    )
    assert result.second_waited
    first, second = result.first.outcome(), result.second.outcome()
    rows = deliveries.rows()
    assert (first.status, second.status) == (DeliveryStatus.IMPORTED, DeliveryStatus.IMPORTED)
    assert first.changes["people"]["created"] == rows["people.csv"]
    assert all(c["created"] == c["updated"] == 0 for c in second.changes.values())  # it found everything there
    assert _held_rows() == rows
    assert Person.objects.count() == rows["people.csv"]
