"""The demo partnership's performance targets (synthetic), so the Targets report has something to show."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openiom.accounts.models import User

from .models import Measure, Target, TargetKind
from .targets import TargetData, create_target

DEMO_TARGETS = (
    TargetData(
        name="NI30: reduce the reoffending of the IOM cohort",
        measure=Measure.REOFFENDING_RATE,
        cohort="IOM",
        entered_from=date(2023, 4, 1),
        entered_to=date(2024, 3, 31),
        kind=TargetKind.REDUCE_BY,
        target_value=Decimal("10"),
        baseline_from=date(2020, 4, 1),
        baseline_to=date(2021, 3, 31),
        notes="The local version of the national indicator NI30, against the cohort that entered in 2020-21.",
    ),
    TargetData(
        name="Cohort entering in 2024-25: proven reoffending at most 35%",
        measure=Measure.REOFFENDING_RATE,
        cohort="IOM",
        entered_from=date(2024, 4, 1),
        entered_to=date(2025, 3, 31),
        kind=TargetKind.AT_MOST,
        target_value=Decimal("35"),
    ),
    TargetData(
        name="Proven offending down by at least a third after entry",
        measure=Measure.OFFENCES_CHANGE,
        cohort="IOM",
        entered_from=date(2022, 4, 1),
        entered_to=date(2023, 3, 31),
        kind=TargetKind.AT_MOST,
        target_value=Decimal("-33"),
    ),
)


def seed_demo_targets(by: User) -> int:
    """Create the demo targets once (by name); returns how many were created."""
    created = 0
    for data in DEMO_TARGETS:
        if Target.objects.filter(name=data.name).exists():
            continue
        create_target(data, by=by)
        created += 1
    return created
