"""The audit log is a hash chain: editing, deleting or slipping in an entry is found by `audit_verify`."""

from __future__ import annotations

import threading

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from openiom.audit.chain import sealing_deferred, verify_chain
from openiom.audit.models import AuditChainHead, AuditSeal
from openiom.audit.services import record_access


@pytest.fixture
def three_reads(partnership) -> list[LogEntry]:
    admin, target = partnership["administrator"], partnership["panel_chair"]
    return [record_access(user=admin, obj=target, purpose=p) for p in ("administration", "panel", "other")]


def verify() -> tuple[int, str]:
    try:
        call_command("audit_verify", stdout=(out := _Buffer()))
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.text


class _Buffer:
    def __init__(self) -> None:
        self.text = ""

    def write(self, s: str) -> None:
        self.text += s

    def flush(self) -> None:
        pass


def test_every_entry_is_sealed_in_order_and_the_chain_is_intact(three_reads) -> None:
    seals = list(AuditSeal.objects.filter(entry_id__in=[e.pk for e in three_reads]).order_by("pk"))
    assert [s.entry_id for s in seals] == [e.pk for e in three_reads]
    assert seals[1].previous_hash == seals[0].hash
    assert seals[2].previous_hash == seals[1].hash
    assert AuditChainHead.objects.get().last_hash == seals[2].hash
    code, out = verify()
    assert code == 0
    assert f"{LogEntry.objects.count()} entries checked" in out
    assert seals[2].hash in out


def test_changes_to_a_record_are_sealed_too(partnership) -> None:
    user = partnership["yot_worker"]
    user.job_title = "Senior YOT case manager"
    user.save()
    entry = LogEntry.objects.filter(action=LogEntry.Action.UPDATE, object_pk=str(user.pk)).latest("pk")
    assert AuditSeal.objects.filter(entry_id=entry.pk).exists()
    assert verify_chain().ok


def test_editing_a_log_row_in_the_database_is_found(three_reads) -> None:
    middle = three_reads[1]
    with connection.cursor() as cursor:  # straight to the table, as someone with database access would
        cursor.execute(
            f"UPDATE {LogEntry._meta.db_table} SET additional_data = %s WHERE id = %s",  # noqa: S608
            ['{"purpose": "case_management"}', middle.pk],
        )
    code, message = verify()
    assert code == 1
    assert f"broken at entry {middle.pk}: this entry's content was changed" in message


def test_deleting_a_log_row_is_found(three_reads) -> None:
    middle = three_reads[1]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LogEntry._meta.db_table} WHERE id = %s", [middle.pk])  # noqa: S608
    code, message = verify()
    assert code == 1
    assert f"broken at entry {middle.pk}: this entry was deleted" in message


def test_deleting_a_row_and_its_seal_is_found_at_the_next_entry(three_reads) -> None:
    middle, last = three_reads[1], three_reads[2]
    LogEntry.objects.filter(pk=middle.pk).delete()
    AuditSeal.objects.filter(entry_id=middle.pk).delete()
    report = verify_chain()
    assert (report.broken_entry_id, report.problem) == (last.pk, "the seal before this entry was removed or altered")


def test_cutting_off_the_end_of_the_chain_is_found(three_reads) -> None:
    last = three_reads[2]
    LogEntry.objects.filter(pk=last.pk).delete()
    AuditSeal.objects.filter(entry_id=last.pk).delete()
    assert verify_chain().problem == "seals at the end of the chain were removed"


def test_an_entry_slipped_in_without_a_seal_is_found(three_reads) -> None:
    (sneaked,) = LogEntry.objects.bulk_create(  # bulk_create sends no signal: no seal
        [LogEntry(content_type=three_reads[0].content_type, object_pk="1", object_repr="x", action=3)]
    )
    sneaked_pk = sneaked.pk or LogEntry.objects.latest("pk").pk
    report = verify_chain()
    assert (report.broken_entry_id, report.problem) == (
        sneaked_pk,
        "this entry is not in the chain (written around the seal)",
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain(partnership) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers by itself; the row lock matters on PostgreSQL")
    admin, target = partnership["administrator"], partnership["panel_chair"]
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer() -> None:
        try:
            start.wait()
            for _ in range(10):
                with transaction.atomic():
                    record_access(user=admin, obj=target, purpose="administration")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = verify_chain()
    assert report.ok, report
    assert AuditSeal.objects.count() == LogEntry.objects.count() >= 40


def test_deferred_sealing_seals_the_block_together_in_order(partnership) -> None:
    admin, target = partnership["administrator"], partnership["panel_chair"]
    with transaction.atomic(), sealing_deferred():
        entries = [record_access(user=admin, obj=target, purpose=p) for p in ("administration", "panel", "other")]
        assert not AuditSeal.objects.filter(entry_id__in=[e.pk for e in entries]).exists()  # not yet
        with transaction.atomic(), sealing_deferred():  # nested: joins the outer block
            entries.append(record_access(user=admin, obj=target, purpose="other"))
        assert not AuditSeal.objects.filter(entry_id=entries[-1].pk).exists()
    sealed = list(AuditSeal.objects.filter(entry_id__in=[e.pk for e in entries]).order_by("pk"))
    assert [s.entry_id for s in sealed] == [e.pk for e in entries]
    assert verify()[0] == 0
    record_access(user=admin, obj=target, purpose="other")  # after the block: sealed at once again
    assert LogEntry.objects.exclude(pk__in=AuditSeal.objects.values("entry_id")).count() == 0


def _read_then_fail(user, obj, error: type[Exception]) -> None:
    record_access(user=user, obj=obj, purpose="other")
    raise error("rolled back")


def test_deferred_sealing_skips_entries_a_savepoint_rolled_back(partnership) -> None:
    admin, target = partnership["administrator"], partnership["panel_chair"]
    with transaction.atomic(), sealing_deferred():
        kept = record_access(user=admin, obj=target, purpose="panel")
        with pytest.raises(RuntimeError, match="rolled back"), transaction.atomic():
            _read_then_fail(admin, target, RuntimeError)
    assert AuditSeal.objects.filter(entry_id=kept.pk).exists()
    assert verify()[0] == 0


def _deferred_block_that_fails(user, obj) -> None:
    with sealing_deferred():
        _read_then_fail(user, obj, ValueError)


def test_a_deferred_block_that_fails_leaves_no_entry_behind(partnership) -> None:
    """The block is a transaction of its own: a caller that catches the error keeps no unsealed entry."""
    admin, target = partnership["administrator"], partnership["panel_chair"]
    entries, seals = LogEntry.objects.count(), AuditSeal.objects.count()
    with pytest.raises(ValueError, match="rolled back"):
        _deferred_block_that_fails(admin, target)
    assert (LogEntry.objects.count(), AuditSeal.objects.count()) == (entries, seals)
    assert verify()[0] == 0
