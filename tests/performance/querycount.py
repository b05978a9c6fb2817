"""Counting the database queries of one request, and saying which ones grew when a count grows.

`measure` runs one request inside `CaptureQueriesContext` and returns the count with the response.
`assert_same_count` compares the count of a small world with the count of the same request once
much more data has been added: when they differ, the message lists the statements (numbers and
quoted values blanked) that were run more often with more data, which is where the N+1 is.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass
class Measured:
    """One request: how many queries it made, their SQL, and the response."""

    count: int
    response: Any
    statements: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return str(self.response.content.decode())


def measure(client: Client, url: str, *, method: str = "get", **kwargs: Any) -> Measured:
    """Make one request and count its queries. Fails unless the response is a 200."""
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 200, f"{method.upper()} {url} answered {response.status_code}"
    return Measured(len(captured), response, [q["sql"] for q in captured.captured_queries])


def _shape(sql: str) -> str:
    """A statement with its values blanked, so that the same query for another row compares equal."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    sql = re.sub(r"\((?:\s*\?\s*,)+\s*\?\s*\)", "(?...)", sql)  # IN lists of any length
    sql = re.sub(r"\"?SAVEPOINT\"? \"?s[\w?]+\"?", "SAVEPOINT s", sql)
    return sql[:300]


def grown(small: Measured, large: Measured) -> str:
    """The statements run more often in the larger world, most repeated first."""
    before, after = Counter(map(_shape, small.statements)), Counter(map(_shape, large.statements))
    lines = [f"{after[s] - before[s]:+d} x {s}" for s in after if after[s] > before[s]]
    lines += [f"{after[s] - before[s]:+d} x {s}" for s in before if after[s] < before[s]]
    lines.sort(key=lambda line: -abs(int(line.split(" x ")[0])))
    return "\n".join(lines[:12])


def assert_same_count(small: Measured, large: Measured, page: str) -> None:
    """The page makes as many queries with much more data as with a little."""
    assert large.count == small.count, (
        f"{page}: {small.count} queries with a little data, {large.count} with more. Grown:\n{grown(small, large)}"
    )
