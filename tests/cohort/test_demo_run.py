"""`make demo` ends with one selection run on the demo data; setting the demo up again adds none."""

from __future__ import annotations

from openiom.cohort.models import SelectionRun
from openiom.demo import DEMO_RUN_LABEL, load_demo_selection


def test_demo_selection_run_is_created_once(partnership, borough, today) -> None:
    first = load_demo_selection()
    run = SelectionRun.objects.get()
    # The default settings want 50 IOM nominations: Adam, Gina and Bella, and Dan for Deter Young Offenders.
    assert first == {"run": run.pk, "created": True, "status": "succeeded", "nominated": 4}
    assert run.label == DEMO_RUN_LABEL
    assert run.created_by == partnership["iom_coordinator"]
    assert str(run.as_of) == "2026-06-25"  # the latest outcome in the data
    assert run.job is not None
    assert run.job.status == "succeeded"
    second = load_demo_selection()
    assert second["created"] is False
    assert SelectionRun.objects.count() == 1
