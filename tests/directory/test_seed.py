"""The demo directory: about 25 services, seeded once, never duplicated or overwritten."""

from __future__ import annotations

import pytest

from openiom.cases.constants import Pathway
from openiom.directory.models import Service
from openiom.directory.seed import seed_demo_services
from openiom.directory.services import ServiceData, update_service

pytestmark = pytest.mark.django_db


def test_seeding_twice_creates_each_demo_service_once() -> None:
    first = seed_demo_services()
    second = seed_demo_services()
    assert 20 <= len(first) <= 30
    assert [s.pk for s in second] == [s.pk for s in first]
    assert Service.objects.count() == len(first)


def test_every_pathway_has_a_demo_service_and_shift_is_for_ppos() -> None:
    services = seed_demo_services()
    covered = {p for s in services for p in s.pathways}
    assert covered == set(Pathway.values)
    shift = next(s for s in services if s.name == "SHIFT care farm")
    assert shift.cohorts == ["PPO"]


def test_seeding_again_keeps_a_users_edit() -> None:
    shift = next(s for s in seed_demo_services() if s.name == "SHIFT care farm")
    data = ServiceData.of(shift)
    update_service(shift, ServiceData(**{**data.__dict__, "capacity": 20}), by=None, version=shift.version)
    seed_demo_services()
    shift.refresh_from_db()
    assert shift.capacity == 20
