"""Which models hold personal data, and their change history.

Every model that holds personal data is registered here, once, from its app's
`ready()`. Registration turns on field-level change history (django-auditlog),
and marks the model so that `record_access` accepts it and a test can check
that no personal-data model was forgotten.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditlog.registry import auditlog
from django.db import models

_PERSONAL_DATA_MODELS: set[type[models.Model]] = set()
_AUDITED_MODELS: set[type[models.Model]] = set()


def register_personal_data(
    model: type[models.Model], *, exclude_fields: Sequence[str] = (), personal: bool = True
) -> None:
    """Record every change to `model`; with `personal=True` it also counts as personal data."""
    if model not in _AUDITED_MODELS:
        auditlog.register(model, exclude_fields=list(exclude_fields), m2m_fields=_m2m_names(model))
        _AUDITED_MODELS.add(model)
    if personal:
        _PERSONAL_DATA_MODELS.add(model)


def _m2m_names(model: type[models.Model]) -> set[str]:
    return {f.name for f in model._meta.get_fields() if isinstance(f, models.ManyToManyField)}


def personal_data_models() -> frozenset[type[models.Model]]:
    return frozenset(_PERSONAL_DATA_MODELS)


def audited_models() -> frozenset[type[models.Model]]:
    return frozenset(_AUDITED_MODELS)
