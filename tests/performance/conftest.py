"""Fixtures for the query-count tests: a frozen clock, the case builder, and the grow-and-compare check."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from openiom.accounts.models import User

from .case_builder import NOW, CaseBuilder
from .querycount import Measured, assert_same_count, measure


@pytest.fixture
def frozen() -> Iterator[None]:
    """The clock at noon on Tuesday 24 November 2026, as in the other page tests."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def builder(frozen: None, partnership: dict[str, User]) -> CaseBuilder:
    return CaseBuilder(partnership)


def grows_flat(
    client: Client,
    url: str,
    grow: Callable[[], Any],
    *,
    page: str,
    method: str = "get",
    fewer_allowed: bool = False,
    **kwargs: Any,
) -> tuple[Measured, Measured]:
    """Request the page (once to warm the per-process caches, then to count), grow the world, count again.

    When `grow` returns an address, the second count is of that address: the same page of a bigger
    thing (a run's results are fixed once it has run, so a busier borough needs a new run).
    Fails when the count with more data differs from the count with less (or, with `fewer_allowed`,
    is more: for a page whose first page may hold fewer kinds of thing when there is more data).
    Returns both measures so that the test can check the larger page shows the data that was added.
    """
    measure(client, url, method=method, **kwargs)
    small = measure(client, url, method=method, **kwargs)
    grown = grow()
    large = measure(client, grown if isinstance(grown, str) else url, method=method, **kwargs)
    if fewer_allowed and large.count < small.count:
        print(f"query count: {page} {small.count}, then {large.count}")
        return small, large
    assert_same_count(small, large, page)
    print(f"query count: {page} {small.count}")  # shown with `pytest -s`: the figures in docs/architecture.md
    return small, large
