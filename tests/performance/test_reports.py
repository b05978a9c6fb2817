"""The reports make as many Django queries for a big cohort as for a small one.

The reports work their figures out in the analytics core (`openiom.evaluation.data`): on SQLite
the four input tables are read through Django's connection (counted here) into DuckDB; on
PostgreSQL the analytics query runs inside the database on Django's raw connection, which
`CaptureQueriesContext` does not see (docs/architecture.md, "Database queries per page").

The cohort grows from six people who entered the PPO cohort in 2024 to thirty, each with an
offence the year before and half of them reoffending; the targets from two to twelve.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from openiom.cases import services
from openiom.cases.models import Case, Intervention
from openiom.evaluation.models import Measure, TargetKind
from openiom.evaluation.targets import TargetData, create_target
from openiom.offending.models import Offence
from openiom.people.models import PersonRecord

from .conftest import grows_flat

FEW, MANY = 6, 30


@pytest.fixture(autouse=True)
def _reports_built_every_time(settings) -> None:
    """Count the queries of building each report, not of fetching it from the report cache."""
    settings.REPORT_CACHE_SECONDS = 0


def _entered_2024(builder, k: int, *, cohort: str = "PPO") -> list[Case]:
    """People who entered the cohort in March 2024, with a proven offence the year before; every other one
    reoffends within the year."""
    cases = []
    for i in range(k):
        person = builder.person()
        case = services.open_case(
            person=person, tier=builder.tiers[2], lead_professional=builder.users["offender_manager"],
            by=builder.users["iom_coordinator"], cohort=cohort, statutory=True, opened_on=date(2024, 3, 1),
        )  # fmt: skip
        record = PersonRecord.objects.get(person=person)
        police = record.source
        Offence.objects.create(
            source=police, event_id=f"R-{person.pk}-0", record=record, offence_code="burglary_residential",
            offence_date=date(2023, 6, 1), outcome="conviction", outcome_date=date(2023, 7, 1),
        )  # fmt: skip
        if i % 2 == 0:
            Offence.objects.create(
                source=police, event_id=f"R-{person.pk}-1", record=record, offence_code="shoplifting",
                offence_date=date(2024, 6, 1), outcome="conviction", outcome_date=date(2024, 8, 1),
            )  # fmt: skip
        cases.append(case)
    return cases


def _cohort_size(text: str) -> set[str]:
    return set(re.findall(r"\b(\d+) (?:people|person)\b", text))


@pytest.mark.parametrize(
    ("url", "persona"),
    [
        ("/reports/outcomes/", "analyst"),
        ("/reports/outcomes/?cohort=PPO&entered_from=2024-01-01&entered_to=2024-12-31", "strategic_member"),
        ("/reports/profile/?year=2024", "strategic_member"),
    ],
)
def test_cohort_reports_do_not_grow(builder, client_for, url, persona) -> None:
    _entered_2024(builder, FEW)
    small, large = grows_flat(
        client_for(persona), url, lambda: _entered_2024(builder, MANY - FEW), page=f"{url.split('?')[0]} as {persona}"
    )
    assert small.text != large.text
    assert str(MANY) in large.text


def test_impact_report_does_not_grow(builder, client_for) -> None:
    """Intervention impact: a service with six, then thirty, people referred (and the comparison pool)."""
    service = builder.service(9000)

    def refer(cases: list[Case]) -> None:
        for case in cases:
            Intervention.objects.create(
                case=case, service=service, pathway="ete", referred_on=date(2024, 3, 5), started_on=date(2024, 3, 10),
                referred_by=builder.users["iom_coordinator"], status="completed",
            )  # fmt: skip

    refer(_entered_2024(builder, FEW)[: FEW // 2])
    _entered_2024(builder, FEW)  # not referred: the comparison pool

    def more() -> None:
        refer(_entered_2024(builder, MANY)[: MANY // 2])
        _entered_2024(builder, MANY)

    url = f"/reports/impact/?service={service.pk}"
    small, large = grows_flat(client_for("analyst"), url, more, page="/reports/impact/")
    assert service.name in large.text
    assert small.text != large.text


def test_dyo_snapshot_does_not_grow(builder, client_for) -> None:
    """The Deter Young Offenders January-March snapshot."""
    _entered_2024(builder, FEW, cohort="DYO")
    small, large = grows_flat(
        client_for("yot_worker"), "/reports/dyo/", lambda: _entered_2024(builder, MANY - FEW, cohort="DYO"),
        page="/reports/dyo/",
    )  # fmt: skip
    assert small.text != large.text


def _targets(k: int, start: int = 0) -> None:
    for n in range(start, start + k):
        create_target(
            TargetData(
                name=f"Loadtest target {n}", measure=Measure.REOFFENDING_RATE, cohort="PPO",
                entered_from=date(2024, 1, 1), entered_to=date(2024, 12, 31), kind=TargetKind.REDUCE_BY,
                target_value=Decimal(10), baseline_value=Decimal(70),
            ),
            by=None,
        )  # fmt: skip


@pytest.mark.parametrize("persona", ["strategic_member", "analyst"])
def test_targets_do_not_grow(builder, client_for, persona) -> None:
    """Performance against targets: two targets, then twelve, each measured on the same 2024 cohort."""
    _entered_2024(builder, FEW)
    _targets(2)
    small, large = grows_flat(
        client_for(persona), "/reports/targets/", lambda: _targets(10, start=2), page=f"/reports/targets/ as {persona}"
    )
    assert small.text.count("Loadtest target") < large.text.count("Loadtest target")
    assert len(set(re.findall(r"Loadtest target \d+", large.text))) == 12
