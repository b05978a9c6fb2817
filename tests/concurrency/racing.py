"""Running requests and service calls at the same time, each in its own thread on its own database connection.

`race(first, second, hold=...)` makes two actions really overlap. The first runs until it reaches a chosen
SQL statement inside its transaction (for an edit, the UPDATE that takes the row lock; for an addition, the
INSERT), and is held there. The second then starts. The first is let go only once PostgreSQL shows the
second waiting for a lock (or once the second has finished without waiting, which is what a missing lock
looks like). Both must finish within `TIMEOUT` seconds: a deadlock or a hang fails the test instead of
hanging the run.

`together(*actions)` starts several actions at once behind a barrier, for work that should simply not get
in each other's way (pages read during an import).

Every thread sets `lock_timeout` and `statement_timeout` on its connection, so a wait that would never end
becomes an error the test reports, and closes its connection when it ends.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

TIMEOUT = 20.0  # seconds any one thread may take
LOCK_TIMEOUT = "10s"  # a wait for a row lock longer than this is a failure
STATEMENT_TIMEOUT = "30s"

requires_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "Needs PostgreSQL: two requests at once need two real connections that wait for each other's row "
        "locks; SQLite's in-memory test database (shared cache) refuses a second writer instead of making it wait"
    ),
)


@dataclass(frozen=True)
class Hold:
    """Where the first action stops: at the first SQL statement matching `pattern` (a regular expression,
    searched for in the SQL), just after it has run (`after=True`, e.g. once a row lock is taken) or just
    before (e.g. before an INSERT that a check should have prevented)."""

    pattern: str
    after: bool = True

    def matches(self, sql: str) -> bool:
        return re.search(self.pattern, sql) is not None


def _limit_waits() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
            cursor.execute(f"SET statement_timeout = '{STATEMENT_TIMEOUT}'")


class Worker(threading.Thread):
    """One action in its own thread and database connection; keeps its result or the exception it raised."""

    def __init__(
        self,
        name: str,
        action: Callable[[], Any],
        *,
        hold: Hold | None = None,
        start_together: threading.Barrier | None = None,
    ) -> None:
        super().__init__(name=name, daemon=True)
        self.action = action
        self.hold = hold
        self.start_together = start_together
        self.reached = threading.Event()  # set when held (or finished without ever being held)
        self.release = threading.Event()
        self.held = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.seconds = 0.0

    def _pause(self) -> None:
        self.held = True
        self.reached.set()
        if not self.release.wait(TIMEOUT):
            raise TimeoutError(f"{self.name} was held for more than {TIMEOUT} s")

    def _wrapper(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if self.hold is None or self.held or not self.hold.matches(sql):
            return execute(sql, params, many, context)
        if not self.hold.after:
            self._pause()
            return execute(sql, params, many, context)
        result = execute(sql, params, many, context)
        self._pause()
        return result

    def run(self) -> None:
        started = time.monotonic()
        try:
            _limit_waits()
            if self.start_together is not None:
                self.start_together.wait(TIMEOUT)
            with connection.execute_wrapper(self._wrapper):
                self.result = self.action()
        except BaseException as exc:  # reported by the test
            self.error = exc
        finally:
            self.seconds = time.monotonic() - started
            self.reached.set()  # never leave the main thread waiting
            connection.close()

    def outcome(self) -> Any:
        """The action's result; its exception is raised again here (with the thread named)."""
        if self.error is not None:
            raise AssertionError(f"{self.name} failed: {self.error!r}") from self.error
        return self.result


def _waiting_for_a_lock() -> int:
    """How many other connections to this database are waiting for a lock now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def _finish(*workers: Worker) -> None:
    started = [w for w in workers if w.ident is not None]
    for worker in started:
        worker.release.set()
    for worker in started:
        worker.join(TIMEOUT)
    stuck = [w.name for w in workers if w.is_alive()]
    assert not stuck, f"still running after {TIMEOUT} s (a deadlock or a hang): {', '.join(stuck)}"


@dataclass
class Race:
    first: Worker
    second: Worker
    second_waited: bool  # PostgreSQL showed the second waiting for a lock the first held


def race(first: Callable[[], Any], second: Callable[[], Any], *, hold: Hold) -> Race:
    """Run `first` until `hold`, then `second`; let the first go once the second waits for it (or is done)."""
    one = Worker("first", first, hold=hold)
    two = Worker("second", second)
    try:
        one.start()
        assert one.reached.wait(TIMEOUT), f"the first did not reach {hold.pattern!r} within {TIMEOUT} s"
        assert one.held, f"the first finished without reaching {hold.pattern!r}: {one.error!r}"
        two.start()
        waited = False
        deadline = time.monotonic() + TIMEOUT
        while two.is_alive() and time.monotonic() < deadline:
            if _waiting_for_a_lock():
                waited = True
                break
            time.sleep(0.02)
    finally:
        _finish(one, two)
    return Race(one, two, waited)


def together(*actions: Callable[[], Any], names: list[str] | None = None) -> list[Worker]:
    """Start every action at the same moment (behind a barrier) and wait for all of them."""
    barrier = threading.Barrier(len(actions))
    workers = [
        Worker(names[i] if names else f"worker-{i}", action, start_together=barrier) for i, action in enumerate(actions)
    ]
    try:
        for worker in workers:
            worker.start()
    finally:
        _finish(*workers)
    return workers
