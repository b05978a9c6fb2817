"""Performance against targets, on hand-made case records whose figures were worked out by hand.

The people (cut-off 31 October 2026, the latest outcome; today 24 November 2026):

- 12 PPO entrants on 1 February 2024, each with one proven offence in 2023 (before entry).
  7 commit an offence on 1 June 2024, convicted on 1 August 2024: proven reoffences. Rate 7/12
  = 58.3%; reoffences per offender 7/12 = 0.58; proven offences 12 before, 7 after: -41.7%.
- 10 PPO entrants on 1 March 2023 (a baseline period): 5 reoffend. Rate 5/10 = 50.0%.
- 3 DIP entrants on 1 February 2024, none reoffends: too few to publish anything.
- 6 HCC entrants on 10 January 2026: their 18 months end in July 2027, after the cut-off.
  One is convicted on 31 October 2026 of an offence of 1 October 2026 (it sets the cut-off).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from itertools import count as counter
from typing import Any

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from openiom.accounts.models import Agency, User
from openiom.cases.locking import StaleEditError
from openiom.cases.models import Case, Tier
from openiom.cases.services import default_tiers, open_case
from openiom.evaluation.models import Measure, Target, TargetKind, TargetStatus
from openiom.evaluation.targets import (
    TargetData,
    TargetError,
    create_target,
    deactivate_target,
    evaluate,
    targets_report,
    update_target,
)
from openiom.offending.models import Offence
from openiom.people.models import Person, PersonRecord

pytestmark = pytest.mark.django_db
events = counter(1)
people = counter(1)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel("2026-11-24 12:00:00+00:00", tick=False):
        yield


def offence(person: Person, committed: date, decided: date, outcome: str = "conviction") -> None:
    record = PersonRecord.objects.get_or_create(
        source=Agency.objects.get(code="police"), source_person_id=f"P-{person.pk}", person=person,
        defaults={"given_name": person.given_name, "family_name": person.family_name,
                  "date_of_birth": person.date_of_birth, "gender": person.gender, "ethnicity": person.ethnicity},
    )[0]  # fmt: skip
    Offence.objects.create(
        source=Agency.objects.get(code="police"), event_id=f"T{next(events)}", record=record,
        offence_code="shoplifting", offence_date=committed, outcome=outcome, outcome_date=decided,
    )  # fmt: skip


@pytest.fixture
def enter(partnership: dict[str, User]) -> Callable[[str, date], Person]:
    """A new person entering a cohort on a day (an open case, tier 2, led by the offender manager)."""
    default_tiers()
    tier = Tier.objects.get(level=2)

    def make(cohort: str, on: date) -> Person:
        person = Person.objects.create(
            given_name=f"Target{next(people)}", family_name="Testperson", date_of_birth=date(1995, 5, 17),
            gender="M", ethnicity="W",
        )  # fmt: skip
        case: Case = open_case(
            person=person, tier=tier, lead_professional=partnership["offender_manager"],
            by=partnership["iom_coordinator"], cohort=cohort, statutory=True, opened_on=on,
        )  # fmt: skip
        return case.person

    return make


@pytest.fixture
def cohorts(enter: Callable[[str, date], Person]) -> None:
    for i in range(12):
        person = enter("PPO", date(2024, 2, 1))
        offence(person, date(2023, 6, 1), date(2023, 7, 1))
        if i < 7:
            offence(person, date(2024, 6, 1), date(2024, 8, 1))
    for i in range(10):
        person = enter("PPO", date(2023, 3, 1))
        if i < 5:
            offence(person, date(2023, 6, 1), date(2023, 8, 1))
    for _ in range(3):
        enter("DIP", date(2024, 2, 1))
    late = [enter("HCC", date(2026, 1, 10)) for _ in range(6)]
    offence(late[0], date(2026, 10, 1), date(2026, 10, 31))


def data(**changes: Any) -> TargetData:
    values: dict[str, Any] = {
        "name": "NI30 PPO reoffending",
        "measure": Measure.REOFFENDING_RATE,
        "cohort": "PPO",
        "entered_from": date(2024, 1, 1),
        "entered_to": date(2024, 3, 31),
        "kind": TargetKind.REDUCE_BY,
        "target_value": Decimal(10),
        "baseline_value": Decimal(70),
    }
    values.update(changes)
    return TargetData(**values)


def target(**changes: Any) -> Target:
    return create_target(data(**changes), by=None)


# ---- measuring --------------------------------------------------------------------------------
def test_a_ten_percent_reduction_on_a_baseline_of_70_percent_is_met(cohorts: None) -> None:
    result = evaluate(target())
    assert result.status == TargetStatus.MET
    assert result.current_text == "58.3%"  # 7 of 12
    assert result.threshold == pytest.approx(63.0)  # 70% less a tenth
    assert result.target_text == "63.0% or lower (10% below the baseline)"
    assert result.baseline_text == "70.0% (set)"
    assert "7 of the 12 people measured" in result.reason


def test_a_twenty_percent_reduction_on_the_same_baseline_is_not_met(cohorts: None) -> None:
    result = evaluate(target(target_value=Decimal(20)))
    assert result.threshold == pytest.approx(56.0)
    assert result.status == TargetStatus.NOT_MET  # 58.3% > 56.0%


def test_a_baseline_period_is_measured_the_same_way(cohorts: None) -> None:
    result = evaluate(target(baseline_value=None, baseline_from=date(2023, 1, 1), baseline_to=date(2023, 12, 31)))
    assert result.baseline == pytest.approx(50.0)  # 5 of the 10 who entered in 2023
    assert result.baseline_text == "50.0% (entered 1 January 2023 to 31 December 2023)"
    assert result.threshold == pytest.approx(45.0)
    assert result.status == TargetStatus.NOT_MET


def test_other_measures(cohorts: None) -> None:
    fewer = evaluate(target(measure=Measure.OFFENCES_CHANGE, kind=TargetKind.AT_MOST, target_value=Decimal(-25),
                            baseline_value=None))  # fmt: skip
    assert (fewer.current_text, fewer.status) == ("-41.7%", TargetStatus.MET)  # 12 before, 7 after
    per = evaluate(target(name="Per offender", measure=Measure.REOFFENCES_PER_OFFENDER, kind=TargetKind.AT_MOST,
                          target_value=Decimal("0.5"), baseline_value=None))  # fmt: skip
    assert (per.current_text, per.status) == ("0.58", TargetStatus.NOT_MET)


def test_a_cohort_too_small_to_publish_is_not_yet_measurable(cohorts: None) -> None:
    result = evaluate(target(cohort="DIP"))  # 3 measured, none reoffended
    assert result.status == TargetStatus.NOT_MEASURABLE
    assert result.current is None
    assert result.current_text == "not shown"
    assert "Too few people" in result.reason
    assert "3" not in result.reason


def test_an_incomplete_follow_up_is_not_yet_measurable(cohorts: None) -> None:
    result = evaluate(target(cohort="HCC", entered_from=date(2026, 1, 1), entered_to=date(2026, 3, 31)))
    assert result.status == TargetStatus.NOT_MEASURABLE
    assert result.current_text == "–"
    assert "follow-up is complete" in result.reason


def test_a_partly_followed_period_gives_an_interim_status(cohorts: None) -> None:
    # All IOM cohorts, 2024 to 2026: 12 PPO and 3 DIP measured (7 of 15 = 46.7%), 6 HCC still followed.
    result = evaluate(target(cohort="IOM", entered_to=date(2026, 12, 31), kind=TargetKind.AT_MOST,
                             target_value=Decimal(50), baseline_value=None))  # fmt: skip
    assert (result.current_text, result.status) == ("46.7%", TargetStatus.ON_TRACK)
    assert "6 more people" in result.reason


def test_a_baseline_period_not_yet_measurable_makes_the_target_not_measurable(cohorts: None) -> None:
    baseline = {"baseline_value": None, "baseline_from": date(2024, 1, 1), "baseline_to": date(2024, 3, 31)}
    result = evaluate(target(cohort="DIP", entered_from=date(2024, 6, 1), entered_to=date(2024, 12, 31), **baseline))
    assert result.status == TargetStatus.NOT_MEASURABLE
    assert result.reason.startswith("The baseline period cannot be measured")


def test_the_report_has_a_row_per_active_target(cohorts: None) -> None:
    target()
    target(name="DIP reoffending", cohort="DIP")
    deactivate_target(target(name="Old target"), by=None, version=1)
    report = targets_report()
    assert report.cutoff == date(2026, 10, 31)
    (section,) = report.sections
    rows = {row[0]: row for row in section.tables[0].rows}
    assert set(rows) == {"NI30 PPO reoffending", "DIP reoffending"}
    assert rows["NI30 PPO reoffending"] == [
        "NI30 PPO reoffending",
        "Binary proven reoffending rate",
        "Prolific and Priority Offender, entered 1 January 2024 to 31 March 2024",
        "70.0% (set)",
        "63.0% or lower (10% below the baseline)",
        "58.3%",
        "Met",
    ]
    assert rows["DIP reoffending"][5:] == ["not shown", "Not yet measurable"]


# ---- setting targets --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "Enter a name"),
        ({"entered_to": date(2023, 12, 31)}, "entered_to", "on or after its start"),
        ({"baseline_value": None}, "baseline_value", "Give the baseline"),
        ({"baseline_from": date(2023, 1, 1), "baseline_to": date(2023, 12, 31)}, "baseline_value", "not both"),
        (
            {"baseline_value": None, "baseline_from": date(2023, 1, 1), "baseline_to": date(2024, 2, 1)},
            "baseline_to",
            "must end before",
        ),
        ({"target_value": Decimal(100)}, "target_value", "less than 100"),
        ({"measure": Measure.HARM_CHANGE}, "kind", "set it as at most a value"),
        ({"kind": TargetKind.AT_MOST, "target_value": Decimal(63)}, "baseline_value", "has no baseline"),
        (
            {"kind": TargetKind.AT_MOST, "target_value": Decimal(130), "baseline_value": None},
            "target_value",
            "from 0 to 100",
        ),
        ({"cohort": "XYZ"}, "cohort", "Choose the cohort"),
    ],
)
def test_a_target_that_makes_no_sense_is_refused(
    partnership: dict[str, User], changes: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(TargetError) as refused:
        target(**changes)
    assert message in refused.value.problems[field]
    assert not Target.objects.exists()


def test_two_active_targets_may_not_share_a_name(partnership: dict[str, User]) -> None:
    target()
    with pytest.raises(TargetError, match="already a target called"):
        target(name="ni30 PPO REOFFENDING")


def test_an_edit_from_an_old_version_is_refused(partnership: dict[str, User]) -> None:
    saved = target()
    update_target(saved, data(target_value=Decimal(15)), by=None, version=1)
    with pytest.raises(StaleEditError):
        update_target(Target.objects.get(), data(target_value=Decimal(5)), by=None, version=1)
    assert Target.objects.get().target_value == Decimal(15)


# ---- the pages --------------------------------------------------------------------------------
FORM = {
    "name": "NI30 PPO reoffending",
    "measure": "reoffending_rate",
    "cohort": "PPO",
    "entered_from": "2024-01-01",
    "entered_to": "2024-03-31",
    "kind": "reduce_by",
    "target_value": "10",
    "baseline_value": "70",
    "baseline_from": "",
    "baseline_to": "",
    "notes": "LAA target",
}


def test_an_analyst_adds_and_changes_a_target(
    cohorts: None, partnership: dict[str, User], client_for: Callable[[str], Client]
) -> None:
    analyst = client_for("analyst")
    assert analyst.get("/reports/targets/add/").status_code == 200
    response = analyst.post("/reports/targets/add/", FORM)
    assert response.status_code == 302
    saved = Target.objects.get()
    assert (saved.created_by, saved.baseline_value, saved.version) == (partnership["analyst"], Decimal(70), 1)
    page = analyst.get("/reports/targets/")
    assert "58.3%" in page.content.decode()
    assert f"/reports/targets/{saved.pk}/" in page.content.decode()
    assert analyst.get(f"/reports/targets/{saved.pk}/").status_code == 200
    response = analyst.post(f"/reports/targets/{saved.pk}/", {**FORM, "target_value": "20", "version": "1"})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.target_value, saved.version) == (Decimal(20), 2)
    assert "Not met" in analyst.get("/reports/targets/").content.decode()


def test_who_may_see_and_set_targets(cohorts: None, client_for: Callable[[str], Client]) -> None:
    target()
    strategic = client_for("strategic_member")
    page = strategic.get("/reports/targets/")
    assert page.status_code == 200
    assert "NI30 PPO reoffending" in page.content.decode()
    assert "Add a target" not in page.content.decode()
    assert strategic.get("/reports/targets/add/").status_code == 403
    assert strategic.post("/reports/targets/add/", FORM).status_code == 403
    assert strategic.post(f"/reports/targets/{Target.objects.get().pk}/", {**FORM, "version": "1"}).status_code == 403
    assert client_for("partner_practitioner").get("/reports/targets/").status_code == 403
    assert client_for("iom_coordinator").get("/reports/targets/add/").status_code == 200
    assert Target.objects.get().version == 1


def test_a_refused_target_keeps_what_was_typed(
    partnership: dict[str, User], client_for: Callable[[str], Client]
) -> None:
    page = client_for("analyst").post(
        "/reports/targets/add/", {**FORM, "name": "Typed by hand", "entered_to": "2023-01-01", "notes": "My notes"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "The end of the period must be on or after its start" in html
    assert 'value="Typed by hand"' in html
    assert "My notes" in html
    assert 'value="2023-01-01"' in html
    assert not Target.objects.exists()


def test_a_stale_edit_is_refused_and_shows_what_is_saved(
    partnership: dict[str, User], client_for: Callable[[str], Client]
) -> None:
    saved = target()
    update_target(saved, data(target_value=Decimal(15)), by=None, version=1)  # someone else, meanwhile
    page = client_for("analyst").post(f"/reports/targets/{saved.pk}/", {**FORM, "target_value": "12", "version": "1"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Someone else changed this target" in html
    assert "15.00" in html  # saved now
    assert 'value="12"' in html  # theirs, kept
    assert 'name="version" value="2"' in html  # saving again starts from the version saved now
    assert Target.objects.get().target_value == Decimal(15)


def test_the_spreadsheet_has_the_target_row(cohorts: None, client_for: Callable[[str], Client]) -> None:
    target()
    response = client_for("strategic_member").get("/reports/targets/?format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = [list(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    assert ["NI30 PPO reoffending", "Binary proven reoffending rate",
            "Prolific and Priority Offender, entered 1 January 2024 to 31 March 2024", "70.0% (set)",
            "63.0% or lower (10% below the baseline)", "58.3%", "Met"] in rows  # fmt: skip
    pdf = client_for("strategic_member").get("/reports/targets/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"


def test_stopping_a_target_takes_it_out_of_the_report(cohorts: None, client_for: Callable[[str], Client]) -> None:
    saved = target()
    coordinator = client_for("iom_coordinator")
    stopped = coordinator.post(f"/reports/targets/{saved.pk}/stop/", {"version": "1"}, follow=True)
    assert "The target NI30 PPO reoffending is no longer reported" in stopped.content.decode()
    assert not Target.objects.get().is_active
    assert "NI30 PPO reoffending" not in coordinator.get("/reports/targets/").content.decode()
    assert coordinator.get(f"/reports/targets/{saved.pk}/").status_code == 404
