"""Importing a delivery: check everything, then write everything in one transaction, or nothing.

Re-importing the same delivery changes nothing; a corrected re-delivery updates rows
by their key (see docs/data-standard.md) and creates no duplicates.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from openiom.accounts.models import Agency
from openiom.datastandard import read_delivery
from openiom.offending.models import CustodyPeriod, Flag, Offence
from openiom.people.models import Person, PersonRecord
from openiom.people.services import refresh_identities

from .constants import DeliveryStatus, Origin
from .models import Delivery

logger = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]
CHUNK = 2000


def _noop(done: int, total: int, message: str = "") -> None:
    return None


def import_files(
    files: Mapping[str, bytes],
    *,
    origin: Origin,
    user: Any = None,
    command_user: str = "",
    today: date | None = None,
    progress: Progress | None = None,
) -> Delivery:
    """Check and import one delivery. Returns the Delivery record with its status and report."""
    progress = progress or _noop
    delivery = Delivery.objects.create(
        origin=origin, imported_by=user if getattr(user, "is_authenticated", False) else None, command_user=command_user
    )
    try:
        progress(0, 1, "Checking the files against the data standard")
        checked = read_delivery(files, known_sources=_agency_codes(), known_people=_known_people, today=today)
        delivery.fingerprint = checked.fingerprint
        delivery.file_names = sorted(checked.file_names.values())
        delivery.ignored_files = checked.ignored_files
        delivery.row_counts = checked.row_counts()
        if not checked.ok:
            delivery.status = DeliveryStatus.REJECTED
            delivery.errors = [p.as_dict() for p in checked.errors]
            delivery.error_count = checked.error_count
        else:
            with transaction.atomic():
                _one_import_at_a_time()
                delivery.changes = _apply(checked.rows, delivery, progress)
            delivery.status = DeliveryStatus.IMPORTED
    except Exception:
        logger.exception("Import of delivery %s was interrupted", delivery.pk)
        delivery.status = DeliveryStatus.INTERRUPTED
        delivery.finished_at = timezone.now()
        delivery.save()
        raise
    delivery.finished_at = timezone.now()
    delivery.save()
    if delivery.status == DeliveryStatus.IMPORTED:  # new arrests and releases raise prompts and tasks at once
        from openiom.cases.reminders import run_reminders

        progress(1, 1, "Raising case review prompts and tasks")
        run_reminders(today)
    return delivery


# The PostgreSQL advisory lock imports take in turn (any number: it only has to be the same for every import).
IMPORT_LOCK = 7_305_214_611


def _one_import_at_a_time() -> None:
    """Wait until no other import is writing, for the rest of this transaction (PostgreSQL).

    Two imports at once, above all of the same delivery (a retried upload, the command run twice),
    would both find a record missing and both add it: the second would then fail on the unique
    index. Taking turns, the second reads what the first wrote and finds it unchanged. The lock is
    released when the import's transaction ends, committed or not. SQLite lets one writer in at a
    time by itself.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def _agency_codes() -> set[str]:
    return set(Agency.objects.values_list("code", flat=True))


def _chunks(items: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _known_people(keys: set[tuple[str, str]]) -> dict[tuple[str, str], date]:
    """Dates of birth of people already imported, for events that refer to them."""
    found: dict[tuple[str, str], date] = {}
    by_source: dict[str, list[str]] = {}
    for source, person_id in keys:
        by_source.setdefault(source, []).append(person_id)
    for source, ids in by_source.items():
        for chunk in _chunks(ids):
            for pid, dob in PersonRecord.objects.filter(source__code=source, source_person_id__in=chunk).values_list(
                "source_person_id", "date_of_birth"
            ):
                found[(source, pid)] = dob
    return found


@dataclass
class _Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def _apply(rows: dict[str, list[dict[str, Any]]], delivery: Delivery, progress: Progress) -> dict[str, dict[str, int]]:
    agencies = {a.code: a.pk for a in Agency.objects.all()}
    total = sum(len(r) for r in rows.values())
    done = 0
    changes: dict[str, dict[str, int]] = {}

    def step(n: int, message: str) -> None:
        nonlocal done
        done += n
        progress(done, total, message)

    changes["people"] = _apply_people(rows.get("people", []), delivery, agencies, step).as_dict()
    record_ids = _record_ids(rows, agencies)
    for name, model in (("offences", Offence), ("custody", CustodyPeriod), ("flags", Flag)):
        if name in rows:
            changes[name] = _apply_events(name, model, rows[name], delivery, agencies, record_ids, step).as_dict()
    return changes


def _value(row: dict[str, Any], field: str) -> Any:
    value = row.get(field)
    return "" if value is None and field not in _NULLABLE else value


_NULLABLE = {"sentence_days", "release_date", "end_date"}


def _apply_people(
    rows: list[dict[str, Any]], delivery: Delivery, agencies: dict[str, int], step: Callable[[int, str], None]
) -> _Counts:
    counts = _Counts()
    fields = PersonRecord.STANDARD_FIELDS
    existing: dict[tuple[int, str], PersonRecord] = {}
    by_source: dict[int, list[str]] = {}
    for row in rows:
        by_source.setdefault(agencies[row["source"]], []).append(row["person_id"])
    for source_id, ids in by_source.items():
        for chunk in _chunks(ids):
            for record in PersonRecord.objects.filter(source_id=source_id, source_person_id__in=chunk):
                existing[(source_id, record.source_person_id)] = record

    new_rows: list[dict[str, Any]] = []
    to_update: list[PersonRecord] = []
    now = timezone.now()
    for row in rows:
        found = existing.get((agencies[row["source"]], row["person_id"]))
        if found is None:
            new_rows.append(row)
            continue
        record = found
        incoming = {f: _value(row, f) for f in fields}
        if all(getattr(record, f) == v for f, v in incoming.items()):
            counts.unchanged += 1
            continue
        for f, v in incoming.items():
            setattr(record, f, v)
        record.delivery = delivery
        record.updated_at = now
        to_update.append(record)
    for chunk in _chunks(to_update):
        PersonRecord.objects.bulk_update(chunk, [*fields, "delivery", "updated_at"])
        step(len(chunk), "Updating people")
    counts.updated = len(to_update)
    refresh_identities({r.person_id for r in to_update})

    for chunk in _chunks(new_rows):
        people = Person.objects.bulk_create(
            [
                Person(
                    given_name=r["given_name"],
                    family_name=r["family_name"],
                    date_of_birth=r["date_of_birth"],
                    gender=r["gender"],
                    ethnicity=r["ethnicity"],
                    pnc_id=r["pnc_id"] or "",
                )
                for r in chunk
            ]
        )
        PersonRecord.objects.bulk_create(
            [
                PersonRecord(
                    source_id=agencies[r["source"]],
                    source_person_id=r["person_id"],
                    person=person,
                    delivery=delivery,
                    **{f: _value(r, f) for f in fields},
                )
                for r, person in zip(chunk, people, strict=True)
            ]
        )
        step(len(chunk), "Adding people")
    counts.created = len(new_rows)
    step(counts.unchanged, "Checked people")
    return counts


def _record_ids(rows: dict[str, list[dict[str, Any]]], agencies: dict[str, int]) -> dict[tuple[int, str], int]:
    wanted: dict[int, set[str]] = {}
    for name in ("offences", "custody", "flags"):
        for row in rows.get(name, []):
            wanted.setdefault(agencies[row["source"]], set()).add(row["person_id"])
    found: dict[tuple[int, str], int] = {}
    for source_id, ids in wanted.items():
        for chunk in _chunks(sorted(ids)):
            for pk, pid in PersonRecord.objects.filter(source_id=source_id, source_person_id__in=chunk).values_list(
                "pk", "source_person_id"
            ):
                found[(source_id, pid)] = pk
    return found


# How each event file is keyed in the database (after `source` and, except offences, the record).
_EVENT_KEYS: dict[str, tuple[str, ...]] = {
    "offences": ("event_id",),
    "custody": ("reception_date",),
    "flags": ("flag", "start_date"),
}


def _apply_events(
    name: str,
    model: type[models.Model],
    rows: list[dict[str, Any]],
    delivery: Delivery,
    agencies: dict[str, int],
    record_ids: dict[tuple[int, str], int],
    step: Callable[[int, str], None],
) -> _Counts:
    counts = _Counts()
    key_fields = _EVENT_KEYS[name]
    keyed_by_record = name != "offences"
    fields: tuple[str, ...] = model.STANDARD_FIELDS  # type: ignore[attr-defined]
    compare = (*fields, "record_id")

    def key_of(source_id: int, record_id: int, values: dict[str, Any]) -> tuple[Any, ...]:
        return (source_id, record_id if keyed_by_record else None, *(values[k] for k in key_fields))

    existing: dict[tuple[Any, ...], Any] = {}
    record_list = sorted(set(record_ids.values()))
    for chunk in _chunks(record_list):
        lookup = {"record_id__in": chunk}
        for held in model._default_manager.filter(**lookup):
            values = held.__dict__
            existing[key_of(values["source_id"], values["record_id"], values)] = held
    if name == "offences":  # an event may have moved to another person: also find it by its id
        event_ids_by_source: dict[int, list[str]] = {}
        for row in rows:
            event_ids_by_source.setdefault(agencies[row["source"]], []).append(row["event_id"])
        for source_id, ids in event_ids_by_source.items():
            for chunk in _chunks(ids):
                for offence in Offence.objects.filter(source_id=source_id, event_id__in=chunk):
                    existing[key_of(offence.source_id, offence.record_id, offence.__dict__)] = offence

    to_create: list[Any] = []
    to_update: list[Any] = []
    for row in rows:
        source_id = agencies[row["source"]]
        record_id = record_ids[(source_id, row["person_id"])]
        incoming = {f: _value(row, f) for f in fields}
        incoming["record_id"] = record_id
        key = key_of(source_id, record_id, row)
        obj = existing.get(key)
        if obj is None:
            values = {k: row[k] for k in key_fields}
            to_create.append(model(source_id=source_id, delivery=delivery, **values, **incoming))
            continue
        if all(getattr(obj, f) == incoming[f] for f in compare):
            counts.unchanged += 1
            continue
        for f, v in incoming.items():
            setattr(obj, f, v)
        obj.delivery = delivery
        to_update.append(obj)
    for chunk in _chunks(to_create):
        model._default_manager.bulk_create(chunk)
        step(len(chunk), f"Adding {name}")
    for chunk in _chunks(to_update):
        model._default_manager.bulk_update(chunk, [*compare, "delivery"])
        step(len(chunk), f"Updating {name}")
    counts.created, counts.updated = len(to_create), len(to_update)
    step(counts.unchanged, f"Checked {name}")
    return counts
