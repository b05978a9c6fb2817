"""The demo's performance targets are set once, and are valid targets."""

from __future__ import annotations

import pytest

from openiom.evaluation.demo import DEMO_TARGETS, seed_demo_targets
from openiom.evaluation.models import Target

pytestmark = pytest.mark.django_db


def test_demo_targets_are_created_once(partnership: dict) -> None:
    assert seed_demo_targets(partnership["analyst"]) == len(DEMO_TARGETS)
    assert seed_demo_targets(partnership["analyst"]) == 0
    assert Target.objects.filter(is_active=True).count() == len(DEMO_TARGETS)
