"""Optimistic locking: an edit names the version it started from, and is refused if that has moved on.

`claim(obj, expected_version)` raises the stored version with one conditional UPDATE
(`... WHERE pk = %s AND version = %s`), which is atomic on SQLite and PostgreSQL alike, so two
people who opened the same version can never both save. The caller then changes the fields and
saves inside the same transaction, so the field-level history (django-auditlog) is kept.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class CaseError(ValueError):
    """A case change that is not allowed, said in words."""


class StaleEditError(CaseError):
    """Someone else saved the same thing after this edit started."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"Someone else changed this {what} after you opened it, so your change has not been saved. "
            "Check their change, then make yours again."
        )
        self.what = what


def claim(obj: M, expected_version: int | None, what: str) -> M:
    """Take version `expected_version` of `obj` for an edit, or refuse with `StaleEditError`.

    Returns the object as stored now (with the new version number), ready to change and save.
    `expected_version=None` means the caller did not start from a form (a system change).
    """
    model = type(obj)
    current = model._default_manager.filter(pk=obj.pk)
    guarded = current if expected_version is None else current.filter(version=expected_version)
    updated = guarded.update(version=models.F("version") + 1)
    if updated != 1:
        raise StaleEditError(what)
    return current.get()
