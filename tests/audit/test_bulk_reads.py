"""`record_accesses` logs a list of reads as `record_access` logs one: the same entries, sealed in the chain."""

from __future__ import annotations

import itertools

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openiom.audit.chain import verify_chain
from openiom.audit.models import AuditChainHead, AuditSeal
from openiom.audit.services import NotPersonalDataError, record_access, record_accesses
from openiom.panels.models import Panel

COMPARED = ("content_type_id", "object_pk", "object_id", "object_repr", "serialized_data", "action", "changes",
            "actor_id", "actor_email", "remote_addr", "remote_port", "additional_data")  # fmt: skip


def _fields(entry: LogEntry) -> dict[str, object]:
    entry.refresh_from_db()
    return {name: getattr(entry, name) for name in COMPARED}


def test_the_entries_are_those_record_access_writes(partnership) -> None:
    reader, people = partnership["administrator"], [partnership["panel_chair"], partnership["yot_worker"]]
    with set_actor(reader, remote_addr="10.0.0.7", remote_port=4431):
        one_by_one = [
            record_access(user=reader, obj=p, purpose="panel", remote_addr="10.0.0.7", details={"ref": 3})
            for p in people
        ]
        at_once = record_accesses(
            user=reader, objects=people, purpose="panel", remote_addr="10.0.0.7", details={"ref": 3}
        )
    assert [_fields(e) for e in at_once] == [_fields(e) for e in one_by_one]
    assert at_once[0].remote_port == 4431  # from the request context, as LogEntry.save() would have it
    assert at_once[0].actor_id == reader.pk
    assert at_once[0].object_repr == str(people[0])
    assert at_once[0].additional_data == {"ref": 3, "purpose": "panel"}


def test_they_are_sealed_in_order_and_the_chain_holds(partnership) -> None:
    reader = partnership["administrator"]
    before = record_access(user=reader, obj=partnership["panel_chair"], purpose="other")
    entries = record_accesses(user=reader, objects=list(partnership.values()), purpose="administration")
    after = record_access(user=reader, obj=partnership["analyst"], purpose="other")
    ids = [before.pk, *(e.pk for e in entries), after.pk]
    seals = list(AuditSeal.objects.filter(entry_id__in=ids).order_by("pk"))
    assert [s.entry_id for s in seals] == ids
    assert all(b.previous_hash == a.hash for a, b in itertools.pairwise(seals))
    head = AuditChainHead.objects.get()
    assert head.last_hash == seals[-1].hash
    assert head.last_seal_id == seals[-1].pk
    assert head.length == AuditSeal.objects.count()
    assert verify_chain().ok


def test_the_number_of_queries_does_not_grow_with_the_list(partnership) -> None:
    reader, users = partnership["administrator"], list(partnership.values())
    record_accesses(user=reader, objects=users[:1])  # warm the content type cache
    with CaptureQueriesContext(connection) as two:
        record_accesses(user=reader, objects=users[:2])
    with CaptureQueriesContext(connection) as all_of_them:
        record_accesses(user=reader, objects=users)
    assert len(users) > 2
    assert len(all_of_them) == len(two)


def test_nothing_to_log_writes_nothing(partnership) -> None:
    with CaptureQueriesContext(connection) as captured:
        assert record_accesses(user=partnership["administrator"], objects=[]) == []
    assert len(captured) == 0


def test_a_model_without_personal_data_is_refused_and_nothing_is_written(partnership) -> None:
    count = LogEntry.objects.count()
    with pytest.raises(NotPersonalDataError):
        record_accesses(user=partnership["administrator"], objects=[partnership["analyst"], Panel.objects.first()])
    assert LogEntry.objects.count() == count
