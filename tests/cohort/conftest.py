"""A tiny hand-made borough whose selection was worked out by hand (as of 30 June 2026, default rules).

The look-back window is 1 July 2025 to 30 June 2026 (365 days). Recency, frequency and gravity
points come from the default bands (docs/metrics.md); the cut is 2 IOM nominations.

| person | age | what they have | RFG | cohort | outcome |
| --- | --- | --- | --- | --- | --- |
| Adam | 36 | burglary 20 Jun 2026 (10 days: R5); 3 offences (F3); 273.5 harm days (G4) | 12 | HCC | IOM 1, nominated |
| Gina | 37 | 5 vehicle takings, latest 25 Jun 2026 (R5, F4); 5 harm days (G2) | 11 | HCC | IOM 2, nominated |
| Bella | 41 | shoplifting 15 Jan 2026 (166 days: R3, F1, G1); PPO flag | 5 | PPO | IOM 3, below the cut |
| Carl | 46 | violence with injury 1 Jun 2026 (R5, F1, G5); MAPPA level 2 | 11 | HCC | excluded |
| Dan | 16 | criminal damage 1 May 2026 (60 days: R4, F1, G1); Asset score 30 | 6 | DYO | DYO 1, nominated |
| Eve | 30 | in custody from 1 May 2026 (730-day sentence); robbery 11 days before (R5, F2, G5) | 12 | HCC | held |
| Fred | 55 | other theft 1 Aug 2025 (333 days: R1, F1, G1) | 3 | none | not eligible |
| Hal | 50 | an arrest in 2024 and "no further action" in 2026: nothing counted | – | – | not scored |

Eve's window ends the day she went into custody; half her sentence ends 30 April 2027, more than
183 days after the as-of date, so she is held for pre-release planning instead of being ranked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import time_machine

from openiom.accounts.models import Agency, User
from openiom.cohort.models import SelectionRun
from openiom.cohort.services import start_selection_run
from openiom.offending.models import CustodyPeriod, Flag, Offence
from openiom.people.models import Person, PersonRecord

AS_OF = date(2026, 6, 30)
TEST_CONFIG: dict[str, Any] = {"nominations_wanted": 2}


@dataclass
class Borough:
    people: dict[str, Person]

    def __getitem__(self, name: str) -> Person:
        return self.people[name]

    def key(self, name: str) -> int:
        return self.people[name].pk


def _d(text: str) -> date:
    return date.fromisoformat(text)


def make_borough() -> Borough:
    police = Agency.objects.get(code="police")
    people: dict[str, Person] = {}
    counter = iter(range(1, 1000))

    def person(name: str, born: str, gender: str, ethnicity: str) -> PersonRecord:
        p = Person.objects.create(
            given_name=name, family_name="Testperson", date_of_birth=_d(born), gender=gender, ethnicity=ethnicity
        )
        people[name] = p
        return PersonRecord.objects.create(
            source=police,
            source_person_id=f"T-{name}",
            person=p,
            given_name=name,
            family_name="Testperson",
            date_of_birth=_d(born),
            gender=gender,
            ethnicity=ethnicity,
        )

    def offence(
        record: PersonRecord,
        code: str,
        when: str,
        outcome: str = "arrest",
        decided: str | None = None,
        disposal: str = "",
        days: int | None = None,
    ) -> None:
        Offence.objects.create(
            source=police,
            event_id=f"E{next(counter)}",
            record=record,
            offence_code=code,
            offence_date=_d(when),
            outcome=outcome,
            outcome_date=_d(decided or when),
            disposal=disposal,
            sentence_days=days,
        )

    def flag(record: PersonRecord, kind: str, start: str, value: str = "") -> None:
        Flag.objects.create(source=police, record=record, flag=kind, value=value, start_date=_d(start))

    adam = person("Adam", "1990-01-01", "M", "W")
    offence(adam, "burglary_residential", "2026-06-20")
    offence(adam, "shoplifting", "2026-03-01", "conviction", "2026-04-01", "fine")
    offence(adam, "shoplifting", "2025-10-01", "caution", "2025-10-10", "caution")

    gina = person("Gina", "1988-09-09", "F", "W")
    for when in ("2026-06-25", "2026-05-10", "2026-03-01", "2025-12-01", "2025-09-01"):
        offence(gina, "vehicle_taking", when)

    bella = person("Bella", "1985-05-05", "F", "B")
    offence(bella, "shoplifting", "2026-01-15")
    flag(bella, "ppo", "2025-01-01")

    carl = person("Carl", "1980-02-02", "M", "A")
    offence(carl, "violence_with_injury", "2026-06-01")
    flag(carl, "mappa_2", "2025-06-01")

    dan = person("Dan", "2010-03-03", "M", "M")
    offence(dan, "criminal_damage", "2026-05-01")
    flag(dan, "asset_score", "2026-02-01", "30")

    eve = person("Eve", "1995-07-07", "F", "W")
    offence(eve, "robbery_personal", "2026-04-20", "conviction", "2026-04-30", "immediate_custody", 730)
    offence(eve, "theft_from_person", "2026-02-10")
    CustodyPeriod.objects.create(source=police, record=eve, reception_date=_d("2026-05-01"))

    fred = person("Fred", "1970-08-08", "M", "O")
    offence(fred, "other_theft", "2025-08-01")

    hal = person("Hal", "1976-01-01", "M", "W")
    offence(hal, "other_theft", "2024-01-01")
    offence(hal, "other_theft", "2026-06-01", "no_further_action")
    return Borough(people)


@pytest.fixture
def today() -> Any:
    """The day after the as-of date, so that 30 June 2026 is in the past whatever the real clock says."""
    with time_machine.travel(date(2026, 7, 1), tick=False) as traveller:
        yield traveller


@pytest.fixture
def borough(partnership: dict[str, User]) -> Borough:
    return make_borough()


@pytest.fixture
def start_run(partnership: dict[str, User], today: Any) -> Callable[..., SelectionRun]:
    """Start (and, with the immediate task backend, finish) a run as the co-ordinator."""

    def start(label: str = "", as_of: date = AS_OF, **settings: Any) -> SelectionRun:
        config = {**TEST_CONFIG, **settings}
        return start_selection_run(user=partnership["iom_coordinator"], as_of=as_of, config=config, label=label)

    return start
