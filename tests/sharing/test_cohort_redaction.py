"""Cohort selection results show special categories only to the agency types the sharing matrix allows.

The borough of tests/cohort/conftest.py, plus Ivan: a rape (1 Jun 2026, his most harmful offence) and
a conviction for another sexual offence (25 Jun 2026, his latest and current offence), MAPPA level 1
and MARAC flags. He scores R5 F2 G5 = 12 and is ranked first (3 nominations wanted). Carl (MAPPA level 2) is excluded.

Under the default matrix the co-ordinator and the analyst (community safety) may read domestic abuse
(MARAC) but not MAPPA or sexual offending; the police read all three; the offender manager (probation)
may read all three too, but has no access to cohort selection at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from openiom.accounts.models import Agency, User
from openiom.accounts.services import create_api_token
from openiom.cohort.models import SelectionRun
from openiom.cohort.services import export_nominations
from openiom.offending.models import Flag, Offence
from openiom.people.models import Person, PersonRecord
from openiom.sharing.cohort import RESTRICTED_EXCLUSION
from openiom.sharing.constants import Category
from openiom.sharing.models import SharingRule
from tests.cohort.conftest import Borough, borough, start_run, today  # noqa: F401

MAPPA = "MAPPA level"
SEXUAL = ("other sexual offences", "rape", "Sexual (not against child)")
RESTRICTED = "an offence in a restricted category"

SHOWN, HIDDEN, REFUSED = "shown", "hidden", "refused"


@pytest.fixture
def ivan(borough: Borough) -> Person:  # noqa: F811
    police = Agency.objects.get(code="police")
    person = Person.objects.create(
        given_name="Ivan", family_name="Testperson", date_of_birth=date(1986, 4, 4), gender="M", ethnicity="W"
    )
    record = PersonRecord.objects.create(
        source=police, source_person_id="T-Ivan", person=person, given_name="Ivan", family_name="Testperson",
        date_of_birth=date(1986, 4, 4), gender="M", ethnicity="W",
    )  # fmt: skip
    for event, code, day, outcome in (
        ("I1", "rape", date(2026, 6, 1), "arrest"),
        ("I2", "other_sexual", date(2026, 6, 25), "conviction"),
    ):
        Offence.objects.create(
            source=police, event_id=event, record=record, offence_code=code, offence_date=day, outcome=outcome,
            outcome_date=day, disposal="community_order" if outcome == "conviction" else "",
        )  # fmt: skip
    for kind in ("mappa_1", "marac"):
        Flag.objects.create(source=police, record=record, flag=kind, start_date=date(2026, 1, 1))
    borough.people["Ivan"] = person
    return person


@pytest.fixture
def run(ivan: Person, start_run: Callable[..., SelectionRun]) -> SelectionRun:  # noqa: F811
    return start_run(nominations_wanted=3)


def _api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {create_api_token(user=user, name='t')[1]}"})


def _csv_text(content: bytes) -> str:
    return " ".join(" ".join(r.values()) for r in csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _read(surface: str, persona: str, *, users: dict[str, User], run: SelectionRun, borough: Borough) -> Any:  # noqa: F811
    """(status, text) of one surface as one persona sees it."""
    carl, ivan = borough.key("Carl"), borough.key("Ivan")
    client = Client()
    client.force_login(users[persona])
    if surface == "exclusions page":
        response = client.get(f"/cohort/runs/{run.pk}/exclusions/")
    elif surface == "explanation page (MAPPA)":
        response = client.get(f"/cohort/runs/{run.pk}/people/{carl}/")
    elif surface == "explanation page (sexual offence)":
        response = client.get(f"/cohort/runs/{run.pk}/people/{ivan}/")
    elif surface == "CSV export":
        response = client.post(f"/cohort/runs/{run.pk}/export/", {"export": "all"})
        if response.status_code == 200:
            return 200, _csv_text(response.content)
    elif surface == "API explanation (MAPPA)":
        response = _api(users[persona]).get(f"/api/v1/selection-runs/{run.pk}/people/{carl}/explanation")
    elif surface == "API explanation (sexual offence)":
        response = _api(users[persona]).get(f"/api/v1/selection-runs/{run.pk}/people/{ivan}/explanation")
    else:  # pragma: no cover - a typo in the table
        raise AssertionError(surface)
    return response.status_code, response.content.decode()


# (surface, what it would name, persona, expected): the table of the done-means.
TABLE = [
    (surface, persona, expected)
    for surface, by_persona in {
        "exclusions page": {"iom_coordinator": HIDDEN, "analyst": HIDDEN, "police_officer": SHOWN},
        "explanation page (MAPPA)": {"iom_coordinator": HIDDEN, "analyst": HIDDEN, "police_officer": SHOWN},
        "explanation page (sexual offence)": {"iom_coordinator": HIDDEN, "analyst": HIDDEN, "police_officer": SHOWN},
        # Exporting needs "run and configure cohort selection": the co-ordinator and the analyst only.
        "CSV export": {"iom_coordinator": HIDDEN, "analyst": HIDDEN, "police_officer": REFUSED},
        "API explanation (MAPPA)": {"iom_coordinator": HIDDEN, "analyst": HIDDEN, "police_officer": SHOWN},
        "API explanation (sexual offence)": {"iom_coordinator": HIDDEN, "analyst": HIDDEN, "police_officer": SHOWN},
    }.items()
    for persona, expected in {**by_persona, "offender_manager": REFUSED}.items()
]


def _names(surface: str, text: str) -> dict[str, bool]:
    if "MAPPA" in surface or surface == "exclusions page":
        return {MAPPA: MAPPA in text, RESTRICTED_EXCLUSION: RESTRICTED_EXCLUSION.lower() in text.lower()}
    named = any(word in text for word in SEXUAL)
    return {"the sexual offence": named, RESTRICTED: RESTRICTED in text}


@pytest.mark.parametrize(("surface", "persona", "expected"), TABLE)
def test_who_sees_mappa_and_sexual_offences_in_cohort_results(
    surface: str,
    persona: str,
    expected: str,
    partnership: dict[str, User],
    run: SelectionRun,
    borough: Borough,  # noqa: F811
) -> None:
    status, text = _read(surface, persona, users=partnership, run=run, borough=borough)
    if expected == REFUSED:
        assert status in {403, 404}
        assert MAPPA not in text
        assert not any(word in text for word in SEXUAL)
        return
    assert status == 200, text[:300]
    named, neutral = _names(surface, text).values()
    assert (named, neutral) == ((True, False) if expected == SHOWN else (False, True))


def test_the_co_ordinator_reads_marac_which_community_safety_may_read(
    client_for: Callable[[str], Client],
    run: SelectionRun,
    borough: Borough,  # noqa: F811
) -> None:
    url = f"/cohort/runs/{run.pk}/people/{borough.key('Ivan')}/"
    coordinator = client_for("iom_coordinator").get(url).content.decode()
    assert "MARAC" in coordinator  # domestic abuse: community safety co-ordinates MARAC
    assert "MAPPA level 1" not in coordinator
    assert "mappa_level" not in coordinator
    police = client_for("police_officer").get(url).content.decode()
    assert "MAPPA level 1" in police
    assert "MARAC" in police


def test_the_explanation_keeps_every_score_and_the_exclusion_itself(
    client_for: Callable[[str], Client],
    run: SelectionRun,
    borough: Borough,  # noqa: F811
) -> None:
    text = client_for("analyst").get(f"/cohort/runs/{run.pk}/people/{borough.key('Ivan')}/").content.decode()
    assert f"Latest counted offence: {RESTRICTED} on 25 Jun 2026" in text
    assert f"Most harmful offence in the window: {RESTRICTED}," in text
    assert "12 of 15: recency 5 × 1 + frequency 2 × 1 + gravity 5 × 1." in text
    assert "Ranked 1st of" in text
    carl = client_for("analyst").get(f"/cohort/runs/{run.pk}/people/{borough.key('Carl')}/").content.decode()
    assert f"Excluded: {RESTRICTED_EXCLUSION}. Shown on the exclusions list" in carl
    # Only what is shown changes: the stored run still says why, and still excludes Carl.
    carl_score = run.scores.get(person_key=borough.key("Carl"))
    assert (carl_score.outcome, carl_score.exclusion) == ("excluded", "MAPPA level 2: managed under MAPPA arrangements")


def test_the_api_figures_leave_out_what_the_reader_may_not_read(
    partnership: dict[str, User],
    run: SelectionRun,
    borough: Borough,  # noqa: F811
) -> None:
    url = f"/api/v1/selection-runs/{run.pk}/people/{borough.key('Ivan')}/explanation"
    figures = _api(partnership["analyst"]).get(url).json()["figures"]
    assert "mappa_level" not in figures
    assert figures["marac_flag"] is True
    assert {figures[c] for c in ("latest_offence_code", "gravity_code", "current_offence_code")} == {RESTRICTED}
    assert figures["offence_category"] == "restricted"
    police = _api(partnership["police_officer"]).get(url).json()["figures"]
    assert (police["mappa_level"], police["gravity_code"], police["current_offence_code"]) == (
        1,
        "rape",
        "other_sexual",
    )
    carl = _api(partnership["analyst"]).get(url.replace(str(borough.key("Ivan")), str(borough.key("Carl")))).json()
    assert carl["exclusion"] == carl["figures"]["exclusion"] == RESTRICTED_EXCLUSION


def test_run_comparison_words_a_mappa_exclusion_as_the_matrix_allows(
    client_for: Callable[[str], Client],
    start_run: Callable[..., SelectionRun],  # noqa: F811
    run: SelectionRun,
    borough: Borough,  # noqa: F811
) -> None:
    # With no MAPPA exclusion Carl (RFG 11, more harm than Gina) is nominated third; the default run excludes him.
    before = start_run(nominations_wanted=3, cohorts={"excluded_mappa_levels": []})
    url = f"/cohort/compare/?a={before.pk}&b={run.pk}"
    analyst = client_for("analyst").get(url).content.decode()
    assert "TESTPERSON, Carl" in analyst
    assert RESTRICTED_EXCLUSION in analyst
    assert "MAPPA level 2" not in analyst
    police = client_for("police_officer").get(url).content.decode()
    assert "MAPPA level 2: managed under MAPPA arrangements" in police
    assert RESTRICTED_EXCLUSION not in police


def test_the_matrix_decides_a_changed_rule_opens_the_csv_export(
    client_for: Callable[[str], Client], partnership: dict[str, User], run: SelectionRun
) -> None:
    def exported() -> str:
        return _csv_text(
            client_for("iom_coordinator").post(f"/cohort/runs/{run.pk}/export/", {"export": "all"}).content
        )

    assert "other sexual offences" not in exported()
    assert RESTRICTED in exported()
    SharingRule.objects.create(agency_type="community_safety", category=Category.SEXUAL_OFFENDING, can_read=True)
    assert "other sexual offences" in exported()
    assert RESTRICTED not in exported()
    # A rule that rests on consent does not open a list of the whole offending population.
    SharingRule.objects.filter(agency_type="community_safety", category=Category.SEXUAL_OFFENDING).update(
        needs_consent=True
    )
    assert "other sexual offences" not in exported()
    # The export service asked for a police user names the offence (the page refuses them the export).
    police = _csv_text(export_nominations(run, user=partnership["police_officer"]))
    assert "other sexual offences" in police
    assert "MAPPA level 1" in police


def test_the_fairness_view_names_no_one_and_no_special_category(
    client_for: Callable[[str], Client], run: SelectionRun
) -> None:
    text = client_for("police_officer").get(f"/cohort/runs/{run.pk}/fairness/").content.decode()
    assert "By gender" in text
    assert "Testperson" not in text
    assert MAPPA not in text
    assert not any(word in text for word in SEXUAL)
