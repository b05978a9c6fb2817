"""Sealing audit entries into a hash chain, and checking the chain.

`seal_entry` runs in the transaction that wrote the entry (see `signals.py`), so an entry and its
seal are committed together when the writer is inside `transaction.atomic` (every service function
is). The chain head row is locked with `select_for_update` so that concurrent writers on
PostgreSQL take turns; SQLite serialises writes by itself.

`sealing_deferred` is a transaction for a bulk operation (a linkage run's thousands of merges)
that seals its entries together when it finishes, with one lock and three writes, instead of
each entry taking the lock, a savepoint and five queries of its own. The entries and their seals
are still committed together.

`verify_chain` recomputes every hash in order and reports the first entry that was changed,
deleted, or added without a seal, and seals cut off the end of the chain.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from auditlog.models import LogEntry
from django.db import transaction

from .models import GENESIS_HASH, AuditChainHead, AuditSeal

HEAD_PK = 1


def canonical_content(entry: Any) -> bytes:
    """The entry's content as stable bytes (every stored field; works on historical models too)."""
    data = {
        "id": entry.pk,
        "timestamp": entry.timestamp.astimezone(UTC).isoformat(),
        "action": entry.action,
        "content_type": entry.content_type_id,
        "object_pk": entry.object_pk,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "serialized_data": entry.serialized_data,
        "changes": entry.changes,
        "changes_text": entry.changes_text,
        "actor": entry.actor_id,
        "actor_email": entry.actor_email,
        "cid": entry.cid,
        "remote_addr": entry.remote_addr,
        "remote_port": entry.remote_port,
        "additional_data": entry.additional_data,
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def entry_hash(entry: Any, previous_hash: str) -> str:
    return hashlib.sha256(previous_hash.encode("ascii") + b"\n" + canonical_content(entry)).hexdigest()


_deferral = threading.local()


@contextmanager
def sealing_deferred() -> Iterator[None]:
    """Seal the audit entries written inside the block together, at its end, in the order written.

    The block is its own `transaction.atomic` (a savepoint inside a caller's transaction): its
    entries and their seals commit together, and if it raises, its entries are rolled back with
    everything else it wrote, whatever the caller does with the exception. Entries rolled back by
    a savepoint inside the block are not sealed. Nested use joins the outer block.
    """
    if getattr(_deferral, "pending", None) is not None:
        yield
        return
    with transaction.atomic():
        _deferral.pending = []
        try:
            yield
            pending, _deferral.pending = _deferral.pending, None
            seal_entries(pending)
        finally:
            _deferral.pending = None


def defer_seal(entry_id: int) -> bool:
    """Inside `sealing_deferred`: note the entry for sealing at the end of the block and return True."""
    pending = getattr(_deferral, "pending", None)
    if pending is None:
        return False
    pending.append(entry_id)
    return True


def seal_entry(entry_id: int) -> AuditSeal:
    """Add the entry to the end of the chain. Idempotent: an entry already sealed keeps its seal."""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=HEAD_PK)
        existing = AuditSeal.objects.filter(entry_id=entry_id).first()
        if existing is not None:
            return existing
        # Read back what the database stored, so the hash is of the stored values, not the caller's.
        entry = LogEntry.objects.get(pk=entry_id)
        digest = entry_hash(entry, head.last_hash)
        seal = AuditSeal.objects.create(entry_id=entry_id, previous_hash=head.last_hash, hash=digest)
        head.last_hash, head.last_seal_id, head.length = digest, seal.pk, head.length + 1
        head.save(update_fields=["last_hash", "last_seal_id", "length"])
        return seal


def seal_entries(entry_ids: Sequence[int]) -> list[AuditSeal]:
    """Add several entries to the end of the chain, in the order given, with one lock and three writes.

    The same chain as calling `seal_entry` for each in turn (each seal holds the previous one's
    hash), for a page that logs every row it lists. Entries already sealed keep their seal.
    """
    if not entry_ids:
        return []
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=HEAD_PK)
        sealed = set(AuditSeal.objects.filter(entry_id__in=entry_ids).values_list("entry_id", flat=True))
        wanted = [i for i in dict.fromkeys(entry_ids) if i not in sealed]
        entries = LogEntry.objects.in_bulk(wanted)  # what the database stored, as in seal_entry
        previous, seals = head.last_hash, []
        for entry_id in (i for i in wanted if i in entries):  # (not those a savepoint rolled back)
            digest = entry_hash(entries[entry_id], previous)
            seals.append(AuditSeal(entry_id=entry_id, previous_hash=previous, hash=digest))
            previous = digest
        if not seals:
            return []
        created = AuditSeal.objects.bulk_create(seals)
        head.last_hash, head.last_seal_id, head.length = previous, created[-1].pk, head.length + len(created)
        head.save(update_fields=["last_hash", "last_seal_id", "length"])
        return created


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head_hash: str
    broken_entry_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def verify_chain(*, batch_size: int = 2000) -> ChainReport:
    """Recompute the whole chain, in order. Stops at the first problem."""
    previous = GENESIS_HASH
    checked = 0
    last_pk = 0
    while True:
        seals = list(AuditSeal.objects.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not seals:
            break
        entries = LogEntry.objects.in_bulk([s.entry_id for s in seals])
        for seal in seals:
            if seal.previous_hash != previous:
                problem = "the seal before this entry was removed or altered"
                return ChainReport(checked, previous, seal.entry_id, problem)
            entry = entries.get(seal.entry_id)
            if entry is None:
                return ChainReport(checked, previous, seal.entry_id, "this entry was deleted")
            if entry_hash(entry, previous) != seal.hash:
                return ChainReport(checked, previous, seal.entry_id, "this entry's content was changed")
            previous = seal.hash
            checked += 1
        last_pk = seals[-1].pk
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    if head is not None and (head.last_hash != previous or head.length != checked):
        return ChainReport(checked, previous, head.last_seal_id, "seals at the end of the chain were removed")
    sealed = AuditSeal.objects.values("entry_id")
    unsealed = LogEntry.objects.exclude(pk__in=sealed).order_by("pk").values_list("pk", flat=True).first()
    if unsealed is not None:
        return ChainReport(checked, previous, unsealed, "this entry is not in the chain (written around the seal)")
    return ChainReport(checked, previous)
