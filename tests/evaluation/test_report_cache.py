"""Reports are built once while their data is unchanged, and again as soon as any of it changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openiom.cases.contacts import add_contact
from openiom.cases.models import Case, CohortMembership, Intervention
from openiom.cases.services import end_membership
from openiom.directory.models import Service
from openiom.evaluation.cache import data_version
from openiom.evaluation.models import Measure, TargetKind
from openiom.evaluation.targets import TargetData, create_target, deactivate_target
from openiom.imports.constants import DeliveryStatus, Origin
from openiom.imports.models import Delivery
from openiom.people.linking import merge_people, undo_merge
from tests.evaluation.conftest import offence, record

pytestmark = pytest.mark.django_db

PAGE = "/reports/outcomes/?cohort=PPO"
MEMBERSHIPS = '"cases_cohortmembership"'  # the report's first step reads the cohort's entries


def _request(client: object, url: str) -> tuple[HttpResponse, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def _get(client: object, url: str = PAGE) -> tuple[str, list[str]]:
    response, sql = _request(client, url)
    return response.content.decode(), sql


def _built(sql: list[str]) -> bool:
    return any(MEMBERSHIPS in q and "started_on" in q for q in sql)


def test_a_report_is_built_once_while_its_data_is_unchanged(
    cohort: list[Case], client_for: Callable[..., object]
) -> None:
    first, built = _get(client_for("analyst"))
    again, fetched = _get(client_for("strategic_member"))  # another user: the same figures, not rebuilt
    assert "58.3%" in first
    assert "58.3%" in again
    assert _built(built)
    assert not _built(fetched)
    assert len(fetched) < len(built)


def test_new_offending_from_an_import_is_in_the_next_report(
    cohort: list[Case], client_for: Callable[..., object], partnership: dict
) -> None:
    analyst = client_for("analyst")
    assert "58.3%" in _get(analyst)[0]  # 7 of 12
    person = cohort[10].person  # did not reoffend: now convicted within the year, delivered by an import
    offence(person, date(2024, 9, 1), "conviction", date(2024, 10, 1))
    Delivery.objects.create(origin=Origin.COMMAND, status=DeliveryStatus.IMPORTED, fingerprint="f" * 64)
    page, sql = _get(analyst)
    assert _built(sql)
    assert "66.7%" in page  # 8 of 12


def test_the_strategic_pack_reads_the_data_version_once(cohort: list[Case], client_for: Callable[..., object]) -> None:
    """Five reports in one download: the version's aggregates are read once, not once a report."""
    watched = '"evaluation_target"'  # one of the tables data_version() aggregates
    for persona in ("strategic_member", "analyst"):
        response, sql = _request(client_for(persona), "/reports/pack/")
        assert response["Content-Type"] == "application/pdf"
        assert sum(1 for q in sql if watched in q and "SUM" in q.upper()) == 1
    assert not _built(sql)  # the second download: every report from the cache


def test_with_the_cache_off_every_request_builds_the_report(
    cohort: list[Case], client_for: Callable[..., object], settings
) -> None:
    settings.REPORT_CACHE_SECONDS = 0
    analyst = client_for("analyst")
    assert _built(_get(analyst)[1])
    assert _built(_get(analyst)[1])


def test_the_data_version_moves_with_every_kind_of_change_a_report_reads(
    cohort: list[Case], partnership: dict, make_person: Callable[..., object], make_case: Callable[..., Case]
) -> None:
    coordinator, analyst = partnership["iom_coordinator"], partnership["analyst"]
    seen = [data_version()]

    def changed() -> bool:
        now = data_version()
        moved = now != seen[-1]
        seen.append(now)
        return moved

    # Something reports do not read: the version stays.
    add_contact(
        case=cohort[0], kind="phone", scheduled_at=timezone.now() - timedelta(hours=1), outcome="attended",
        notes="Spoke about housing", by=partnership["offender_manager"],
    )  # fmt: skip
    assert not changed()

    make_case(cohort="HCC", opened_on=date(2026, 3, 1))  # a cohort entry
    assert changed()
    case = cohort[0]
    extra = CohortMembership.objects.create(case=case, cohort="DIP", started_on=date(2024, 4, 1), added_by=coordinator)
    assert changed()
    end_membership(membership=extra, by=coordinator, reason="Left the drug programme", ended_on=date(2024, 9, 1))
    assert changed()  # a cohort exit

    service = Service.objects.create(name="Tenancy support", provider="Riverside Housing", pathways=["accommodation"])
    assert changed()
    intervention = Intervention.objects.create(case=case, service=service, pathway="accommodation", referred_by=analyst)
    assert changed()
    intervention.started_on, intervention.version = date(2024, 5, 1), intervention.version + 1
    intervention.save()
    assert changed()  # started

    target = create_target(
        TargetData(
            name="Fewer PPO reoffenders", measure=Measure.REOFFENDING_RATE, cohort="PPO",
            entered_from=date(2024, 1, 1), entered_to=date(2024, 12, 31), kind=TargetKind.AT_MOST,
            target_value=Decimal(50),
        ),
        by=analyst,
    )  # fmt: skip
    assert changed()
    deactivate_target(target, by=analyst, version=target.version)
    assert changed()

    Delivery.objects.create(origin=Origin.COMMAND, status=DeliveryStatus.CHECKING, fingerprint="a" * 64)
    assert not changed()  # still being checked: nothing imported yet
    delivery = Delivery.objects.latest("pk")
    delivery.status = DeliveryStatus.IMPORTED
    delivery.save()
    assert changed()

    kept, other = make_person(), make_person()
    record(kept), record(other)
    assert not changed()  # people and their records come with an import (its delivery) or a merge
    merge = merge_people(kept, other, by=coordinator)
    assert changed()
    undo_merge(merge, by=coordinator)
    assert changed()

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert changed()  # a new day: the cut-off may move
