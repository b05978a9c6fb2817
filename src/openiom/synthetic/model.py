"""The offending model: one person's criminal career, simulated event by event.

A person gets a latent offending rate from a heavy-tailed (log-normal) distribution, an age
at onset, a career length and an offence profile. Offences then arrive as a Poisson process
whose intensity follows an age-crime curve (rising to a plateau from 19 to 28, then falling
away), stops at the end of the career (desistance) and is switched off while the person is in
custody. Each offence gets an outcome (no further action, caution, charge, conviction) and, for
a conviction, a sentence that escalates with the person's previous convictions. See
docs/synthetic-data.md for every parameter and why it has its value.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from typing import Any, NamedTuple

from openiom.reference import offence_categories

from .names import WARDS

YEAR = 365.25
EARLIEST_BIRTH = date(1900, 1, 1).toordinal()

# --- who offends --------------------------------------------------------------------------------
RATE_MEDIAN = 0.17  # offences a year (arrests of an identified suspect) at the peak of the age curve
RATE_SIGMA = 1.5  # spread of the log-normal offending rate: the heavy tail of prolific offenders
RATE_CAP = 30.0
FEMALE_SHARE = 0.21  # of people starting to offend
FEMALE_RATE = 0.3  # women offend less often, and are rarer the more prolific the group
OTHER_GENDER_SHARE = 0.003  # recorded as X
JUVENILE_ONSET_SHARE = 0.35  # careers starting at 10 to 17 (mostly) versus adult onset
EARLY_ONSET_RATE = 2.0  # an early start goes with a more persistent, more frequent career
CAREER_MEDIAN_YEARS = 2.5  # a career's length before desistance, times (1 + ln(1 + rate))
CAREER_SIGMA = 1.0
LOOKBACK_YEARS = 20  # careers may start this long before the window and still be active in it
ETHNICITY = (("W", 0.64), ("A", 0.14), ("B", 0.11), ("M", 0.07), ("O", 0.04))

# --- the age-crime curve -------------------------------------------------------------------------
PLATEAU = (19.0, 28.0)
AGE_DECLINE_YEARS = 15.0  # after the plateau the rate falls by e every this many years

# --- what they do --------------------------------------------------------------------------------
BASE_WEIGHTS: dict[str, float] = {
    "homicide": 0.03,
    "violence_with_injury": 10.0,
    "violence_without_injury": 14.0,
    "stalking_harassment": 5.0,
    "weapons_possession": 3.0,
    "rape": 0.3,
    "other_sexual": 0.8,
    "sexual_child": 0.3,
    "robbery_personal": 2.0,
    "robbery_business": 0.4,
    "burglary_residential": 3.0,
    "burglary_non_residential": 1.5,
    "vehicle_taking": 1.2,
    "theft_from_vehicle": 1.5,
    "theft_from_person": 1.5,
    "shoplifting": 14.0,
    "bicycle_theft": 1.0,
    "other_theft": 5.0,
    "handling_stolen_goods": 1.0,
    "fraud_forgery": 2.0,
    "criminal_damage": 6.0,
    "arson": 0.3,
    "drug_possession": 7.0,
    "drug_supply": 2.0,
    "drug_production_import": 0.3,
    "public_order": 5.0,
    "bail_absconding": 1.5,
    "breach_of_order": 3.0,
    "soliciting_prostitution": 0.2,
    "drink_driving": 2.0,
    "other_motoring": 3.0,
    "misc_against_society": 1.0,
    "other": 1.0,
}
VIOLENCE = ("homicide", "violence_with_injury", "violence_without_injury", "stalking_harassment", "weapons_possession")
SEXUAL = ("rape", "other_sexual", "sexual_child")
ROBBERY = ("robbery_personal", "robbery_business")
BURGLARY = ("burglary_residential", "burglary_non_residential")
THEFT = (
    "vehicle_taking",
    "theft_from_vehicle",
    "theft_from_person",
    "shoplifting",
    "bicycle_theft",
    "other_theft",
    "handling_stolen_goods",
)
MOTORING = ("drink_driving", "other_motoring")
DRUGS = ("drug_possession", "drug_supply", "drug_production_import")
# Offences that trigger a drug test on arrest (the Drug Interventions Programme "trigger offences").
DIP_TRIGGERS = frozenset((*ROBBERY, *BURGLARY, *THEFT, "fraud_forgery", "drug_possession", "drug_supply"))

PROFILES: dict[str, dict[tuple[str, ...], float]] = {
    "general": {},
    "acquisitive": {THEFT: 2.8, BURGLARY: 2.2, ROBBERY: 1.5, ("drug_possession",): 1.6, VIOLENCE: 0.5, MOTORING: 0.4},
    "violent": {VIOLENCE: 2.6, ("public_order", "criminal_damage"): 1.4, THEFT: 0.45, BURGLARY: 0.6},
    "motoring": {MOTORING: 7.0, ("vehicle_taking",): 2.0},
}
YOUTH_FACTORS: dict[tuple[str, ...], float] = {
    ROBBERY: 2.5,
    ("criminal_damage", "arson"): 1.8,
    ("theft_from_person", "bicycle_theft", "vehicle_taking"): 1.6,
    ("weapons_possession",): 1.5,
    MOTORING: 0.08,
    ("fraud_forgery", "breach_of_order", "bail_absconding"): 0.4,
    ("soliciting_prostitution", "drug_production_import"): 0.0,
}
FEMALE_FACTORS: dict[tuple[str, ...], float] = {
    ("shoplifting", "fraud_forgery"): 2.0,
    ("soliciting_prostitution",): 6.0,
    SEXUAL: 0.04,
    ("weapons_possession", "robbery_personal", "robbery_business"): 0.4,
    BURGLARY: 0.4,
    ("violence_with_injury",): 0.7,
}

# --- what happens to them --------------------------------------------------------------------------
NFA_SHARE: dict[str, float] = {  # arrests that end with no further action; default 0.30
    "homicide": 0.1,
    "violence_with_injury": 0.4,
    "violence_without_injury": 0.45,
    "stalking_harassment": 0.45,
    "weapons_possession": 0.25,
    "rape": 0.6,
    "other_sexual": 0.55,
    "sexual_child": 0.5,
    "robbery_personal": 0.4,
    "robbery_business": 0.35,
    "burglary_residential": 0.4,
    "burglary_non_residential": 0.35,
    "theft_from_person": 0.4,
    "shoplifting": 0.12,
    "arson": 0.4,
    "drug_possession": 0.15,
    "bail_absconding": 0.05,
    "breach_of_order": 0.05,
    "drink_driving": 0.05,
    "other_motoring": 0.1,
}
MINOR, MEDIUM, SERIOUS, GRAVE = 0, 1, 2, 3
SEVERITY: dict[str, int] = {
    "homicide": GRAVE,
    "rape": GRAVE,
    "violence_with_injury": SERIOUS,
    "robbery_personal": SERIOUS,
    "robbery_business": SERIOUS,
    "burglary_residential": SERIOUS,
    "other_sexual": SERIOUS,
    "sexual_child": SERIOUS,
    "drug_production_import": SERIOUS,
    "violence_without_injury": MEDIUM,
    "stalking_harassment": MEDIUM,
    "weapons_possession": MEDIUM,
    "burglary_non_residential": MEDIUM,
    "vehicle_taking": MEDIUM,
    "theft_from_vehicle": MEDIUM,
    "theft_from_person": MEDIUM,
    "other_theft": MEDIUM,
    "handling_stolen_goods": MEDIUM,
    "fraud_forgery": MEDIUM,
    "arson": MEDIUM,
    "drug_supply": MEDIUM,
}  # everything else MINOR
NEVER_CAUTIONED = frozenset(("homicide", "rape", "bail_absconding", "breach_of_order", *MOTORING))
CAUTION_CHANCE_YOUTH = (0.6, 0.35, 0.15, 0.04)  # by previous sanctions 0, 1, 2, 3+
CAUTION_CHANCE_ADULT = (0.3, 0.15, 0.1, 0.04)
CAUTION_SEVERITY = (1.2, 0.8, 0.25, 0.0)
YOUTH_DIVERSION = 0.45  # of a child's first detected offences dealt with outside the system (recorded as NFA)
DROPPED_AFTER_CHARGE = 0.08  # charged but discontinued or acquitted: recorded as no further action
ADULT_DISPOSALS = ("fine", "discharge", "community_order", "suspended_sentence", "immediate_custody", "other")
ADULT_DISPOSAL_WEIGHTS = (  # by severity; escalated by previous convictions in _adult_disposal
    (38.0, 12.0, 30.0, 5.0, 2.0, 13.0),
    (16.0, 6.0, 45.0, 12.0, 6.0, 12.0),
    (4.0, 2.0, 50.0, 18.0, 20.0, 4.0),
    (0.0, 0.0, 0.0, 5.0, 95.0, 0.0),
)
CUSTODY_MEDIAN_DAYS = (56.0, 120.0, 540.0, 4000.0)  # immediate custody sentence, by severity
SUSPENDED_DAYS = ((28, 56, 91, 120, 182, 273, 365, 547, 730), (4, 10, 12, 14, 22, 10, 16, 6, 6))
DTO_DAYS = ((120, 182, 243, 365, 547, 730), (30, 28, 12, 18, 6, 6))  # detention and training orders
YOUTH_FIRST = (("referral_order", 65.0), ("discharge", 10.0), ("youth_rehabilitation_order", 10.0),
               ("fine", 3.0), ("immediate_custody", 2.0), ("other", 10.0))  # fmt: skip
YOUTH_LATER = (("youth_rehabilitation_order", 45.0), ("referral_order", 15.0), ("immediate_custody", 8.0),
               ("fine", 7.0), ("discharge", 5.0), ("other", 20.0))  # fmt: skip
PPO_SANCTIONS_IN_YEAR = 6  # adult sanction occasions within 365 days in the window: selected as a PPO
PPO_OFFENDING = 0.6  # a PPO's offending once managed (the 2009 cohort's proven offending fell by 39%)
PPO_CUSTODY = 2.0  # courts and offender managers return PPOs to custody more readily
FURTHER_OFFENCE = 0.33  # chance of one more offence on the same occasion (charge sheet), repeatedly
RELEASE_SHARE = (0.45, 0.55)  # of the sentence served before release (automatic release at half)
COURT_LAG = ((7, 60.0), (14, 100.0), (60, 220.0), (60, 300.0))  # minimum + exponential mean, days
COURT_LAG_CAP = 900  # days: the longest a case waits for court (Crown Court backlogs)


class Offence(NamedTuple):
    day: int  # offence date, as a proleptic Gregorian ordinal
    code: str
    outcome: str
    outcome_day: int
    disposal: str  # "" unless the outcome is a sanction
    sentence_days: int  # 0 unless immediate custody or a suspended sentence
    ward: str
    age: int  # completed years on the offence date


@dataclass(slots=True)
class Custody:
    reception: int
    release: int | None  # None: still inside on the end date
    offence: int  # index in Career.offences of the sentence that began it


@dataclass(slots=True)
class Career:
    gender: str
    ethnicity: str
    dob: date
    rate: float
    profile: str
    drug_misuser: bool
    home_ward: str  # "" when living outside the borough or of no fixed abode
    offences: list[Offence]
    custody: list[Custody]
    ppo_day: int | None = None  # selected as a prolific and other priority offender

    def pack(self) -> tuple[Any, ...]:
        """Plain tuples, quick to pass between processes."""
        custody = [(c.reception, c.release, c.offence) for c in self.custody]
        return (self.gender, self.ethnicity, self.dob.toordinal(), self.rate, self.profile, self.drug_misuser,
                self.home_ward, [tuple(o) for o in self.offences], custody, self.ppo_day)  # fmt: skip

    @classmethod
    def unpack(cls, p: tuple[Any, ...]) -> Career:
        offences = [Offence._make(o) for o in p[7]]
        custody = [Custody(*c) for c in p[8]]
        return cls(p[0], p[1], date.fromordinal(p[2]), p[3], p[4], p[5], p[6], offences, custody, p[9])


def _table(factors: list[dict[tuple[str, ...], float]]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    weights = dict(BASE_WEIGHTS)
    for group in factors:
        for codes, factor in group.items():
            for c in codes:
                weights[c] *= factor
    codes_out = tuple(weights)
    return codes_out, tuple(accumulate(weights[c] for c in codes_out))


def _cumulative(pairs: tuple[tuple[str, float], ...]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    return tuple(p[0] for p in pairs), tuple(accumulate(p[1] for p in pairs))


def age_on(dob: date, day: int) -> int:
    d = date.fromordinal(day)
    return d.year - dob.year - ((d.month, d.day) < (dob.month, dob.day))


def age_factor(age: float) -> float:
    """The age-crime curve, 1 at its plateau."""
    if age < PLATEAU[0]:
        return 0.1 + 0.9 * ((age - 10.0) / (PLATEAU[0] - 10.0)) ** 2
    if age <= PLATEAU[1]:
        return 1.0
    return math.exp(-(age - PLATEAU[1]) / AGE_DECLINE_YEARS)


class Model:
    """Draws careers. All randomness comes from the one `random.Random` passed in."""

    def __init__(self, rng: random.Random, end: date, years: int) -> None:
        missing = set(BASE_WEIGHTS) ^ set(offence_categories())
        if missing:
            raise ValueError(f"offence weights and the offence vocabulary differ: {sorted(missing)}")
        self.rng = rng
        self.end = end.toordinal()
        self.window_start = _years_before(end, years).toordinal()
        self.first_onset = _years_before(end, years + LOOKBACK_YEARS).toordinal()
        self.tables = {
            (profile, youth, female): _table(
                [PROFILES[profile]] + ([YOUTH_FACTORS] if youth else []) + ([FEMALE_FACTORS] if female else [])
            )
            for profile in PROFILES
            for youth in (False, True)
            for female in (False, True)
        }
        self.ethnicity = _cumulative(ETHNICITY)
        self.home_wards = _cumulative(tuple((w.name, w.residents) for w in WARDS))
        self.crime_wards = _cumulative(tuple((w.name, w.offending) for w in WARDS))
        self.youth_first = _cumulative(YOUTH_FIRST)
        self.youth_later = _cumulative(YOUTH_LATER)
        self.suspended = (SUSPENDED_DAYS[0], tuple(accumulate(SUSPENDED_DAYS[1])))
        self.dto = (DTO_DAYS[0], tuple(accumulate(DTO_DAYS[1])))

    def pick(self, table: tuple[tuple[str, ...], tuple[float, ...]]) -> str:
        return table[0][bisect(table[1], self.rng.random() * table[1][-1])]

    def career(self) -> Career | None:
        """One person's career, or None if they committed no recorded offence in the window."""
        rng = self.rng
        u = rng.random()
        female = u < FEMALE_SHARE
        gender = "F" if female else ("X" if u > 1.0 - OTHER_GENDER_SHARE else "M")
        rate = min(RATE_CAP, math.exp(math.log(RATE_MEDIAN) + RATE_SIGMA * rng.gauss(0.0, 1.0)))
        if female:
            rate *= FEMALE_RATE
        if rng.random() < JUVENILE_ONSET_SHARE:
            onset_age = 10.0 + rng.gammavariate(2.5, 2.0)
            rate *= EARLY_ONSET_RATE
        else:
            onset_age = 18.0 + rng.gammavariate(1.6, 8.0)
        onset_age = min(onset_age, 80.0)
        onset = rng.randint(self.first_onset, self.end)
        career_days = YEAR * CAREER_MEDIAN_YEARS * (1.0 + math.log1p(rate)) * math.exp(CAREER_SIGMA * rng.gauss(0, 1))
        stop = min(self.end, onset + int(career_days))
        if stop < self.window_start:
            return None  # desisted before the window: never seen in this extract
        born = onset - max(3654, int(onset_age * YEAR))  # 3654 days: 10 in completed years
        if born < EARLIEST_BIRTH:
            return None  # the standard accepts no birth before 1900
        dob = date.fromordinal(born)
        drug = rng.random() < 0.05 + 0.30 * (1.0 - math.exp(-rate / 2.0))
        if drug:
            profile = "acquisitive" if rng.random() < 0.7 else "general"
        else:
            v = rng.random()
            profile = "general" if v < 0.5 else "violent" if v < 0.8 else "acquisitive" if v < 0.92 else "motoring"
        home = self.pick(self.home_wards) if rng.random() < 0.82 else ""
        career = Career(gender, self.pick(self.ethnicity), dob, rate, profile, drug, home, [], [])
        self._offend(career, onset, stop)
        if not career.offences or career.offences[-1].day < self.window_start:
            return None
        return career

    def _offend(self, career: Career, onset: int, stop: int) -> None:
        rng = self.rng
        per_day = career.rate / YEAR
        dob_day = career.dob.toordinal()
        female = career.gender == "F"
        t = float(onset)
        day = onset
        sanctions = convictions = 0
        had_order = False
        adult_sanction_days: set[int] = set()  # in the window: what selection as a PPO looks at
        while True:
            if day != onset or career.offences:
                t -= math.log(1.0 - rng.random()) / per_day  # exponential gap (as random.expovariate)
                day = int(t)
                if day > stop:
                    return
                if career.custody:
                    inside = next((c for c in career.custody if c.reception <= day <= _until(c, self.end)), None)
                    if inside is not None:
                        if inside.release is None:
                            return  # inside until the end date
                        t = inside.release + 0.5
                        continue
                keep = age_factor((day - dob_day) / YEAR)
                if career.ppo_day is not None and day > career.ppo_day:
                    keep *= PPO_OFFENDING  # managed as a priority offender
                if rng.random() > keep:
                    continue
            age = age_on(career.dob, day)
            code = self.pick(self.tables[career.profile, age < 18, female])
            if code == "breach_of_order" and not had_order:
                code = self.pick(self.tables[career.profile, age < 18, female])
                if code == "breach_of_order":
                    code = "other"
            priority = career.ppo_day is not None and day > career.ppo_day
            offence = self._outcome(career, day, code, age, sanctions, convictions, priority)
            if offence is None:  # not yet detected by the end date
                if not career.offences:
                    return
                continue
            if offence.outcome in ("conviction", "caution"):
                sanctions += 1
                convictions += offence.outcome == "conviction"
                had_order = had_order or offence.disposal not in ("fine", "discharge", "caution", "youth_caution")
                if age >= 18 and day >= self.window_start and offence.outcome_day not in adult_sanction_days:
                    adult_sanction_days.add(offence.outcome_day)
                    career.ppo_day = first_within_year(adult_sanction_days, PPO_SANCTIONS_IN_YEAR)
            if offence.disposal == "immediate_custody":
                self._sentence(career, offence, len(career.offences))
            career.offences.append(offence)
            while rng.random() < FURTHER_OFFENCE:  # dealt with together: same dates, same outcome
                code = self.pick(self.tables[career.profile, age < 18, female])
                if code == "breach_of_order" and not had_order:
                    code = "other"
                career.offences.append(Offence(day, code, *offence[2:]))

    def _ward(self, career: Career) -> str:
        if career.home_ward and self.rng.random() < 0.35:
            return career.home_ward
        return self.pick(self.crime_wards)

    def _outcome(
        self, career: Career, day: int, code: str, age: int, sanctions: int, convictions: int, priority: bool
    ) -> Offence | None:
        rng, end = self.rng, self.end
        arrest = day if rng.random() < 0.7 else day + min(180, int(rng.expovariate(1 / 14)))
        if arrest > end:
            return None
        ward = self._ward(career)
        severity = SEVERITY.get(code, MINOR)
        nfa_share = NFA_SHARE.get(code, 0.30)
        if age < 18 and sanctions == 0:  # diverted from the formal system: a community resolution
            nfa_share += (1.0 - nfa_share) * YOUTH_DIVERSION
        if rng.random() < nfa_share:
            nfa = arrest if rng.random() < 0.4 else arrest + rng.randint(1, 120)
            if nfa > end:
                return Offence(day, code, "arrest", arrest, "", 0, ward, age)
            return Offence(day, code, "no_further_action", nfa, "", 0, ward, age)
        youth = age < 18
        chances = CAUTION_CHANCE_YOUTH if youth else CAUTION_CHANCE_ADULT
        caution = 0.0 if code in NEVER_CAUTIONED else chances[min(sanctions, 3)] * CAUTION_SEVERITY[severity]
        if rng.random() < caution:
            when = arrest if rng.random() < 0.5 else arrest + rng.randint(1, 42)
            if when > end:
                return Offence(day, code, "arrest", arrest, "", 0, ward, age)
            return Offence(day, code, "caution", when, "youth_caution" if youth else "caution", 0, ward, age)
        charge = arrest if rng.random() < 0.75 else arrest + rng.randint(14, 90)
        if charge > end:
            return Offence(day, code, "arrest", arrest, "", 0, ward, age)
        minimum, mean = COURT_LAG[severity]
        court = charge + minimum + min(COURT_LAG_CAP, int(rng.expovariate(1.0 / mean)))
        if court > end:
            return Offence(day, code, "charge", charge, "", 0, ward, age)
        if rng.random() < DROPPED_AFTER_CHARGE:
            return Offence(day, code, "no_further_action", court, "", 0, ward, age)
        if youth:
            disposal = self.pick(self.youth_first if convictions == 0 else self.youth_later)
            if severity >= SERIOUS and disposal != "immediate_custody" and rng.random() < 0.15:
                disposal = "immediate_custody"
        else:
            disposal = self._adult_disposal(severity, convictions, priority)
        days = 0
        if disposal == "immediate_custody":
            if youth and severity < GRAVE:
                days = self.dto[0][bisect(self.dto[1], rng.random() * self.dto[1][-1])]
            else:
                median = CUSTODY_MEDIAN_DAYS[severity] * (1.0 + 0.05 * min(convictions, 20))
                if code == "homicide":
                    median *= 1.8
                days = max(7, min(36500, int(median * math.exp(0.7 * rng.gauss(0.0, 1.0)))))
        elif disposal == "suspended_sentence":
            days = self.suspended[0][bisect(self.suspended[1], rng.random() * self.suspended[1][-1])]
        return Offence(day, code, "conviction", court, disposal, days, ward, age)

    def _adult_disposal(self, severity: int, convictions: int, priority: bool) -> str:
        fine, discharge, community, suspended, custody, other = ADULT_DISPOSAL_WEIGHTS[severity]
        if priority:
            custody *= PPO_CUSTODY
        n = min(convictions, 15)
        lenient = 1.0 / (1.0 + 0.15 * n)
        weights = (
            fine * lenient,
            discharge * lenient,
            community,
            suspended * (1 + 0.05 * n),
            custody * (1 + 0.05 * n * n),
        )
        total = sum(weights) + other
        u = self.rng.random() * total
        for name, w in zip(ADULT_DISPOSALS, weights, strict=False):
            if u < w:
                return name
            u -= w
        return "other"

    def _sentence(self, career: Career, offence: Offence, index: int) -> None:
        low, high = RELEASE_SHARE
        served = round(offence.sentence_days * self.rng.uniform(low, high))
        reception = offence.outcome_day
        release = reception + served
        new = Custody(reception, release if release <= self.end else None, index)
        # Overlapping sentences run alongside each other (concurrently): keep the periods disjoint,
        # each one credited to the sentence that began it.
        merged: list[Custody] = []
        for period in sorted([*career.custody, new], key=lambda c: (c.reception, c.offence)):
            last = merged[-1] if merged else None
            if last is not None and period.reception <= _until(last, self.end):
                if last.release is not None:
                    last.release = None if period.release is None else max(last.release, period.release)
            else:
                merged.append(period)
        career.custody = merged


def first_within_year(days: set[int], count: int) -> int | None:
    """The first day on which `count` of these days (sanction occasions) fall within 365 days."""
    ordered = sorted(days)
    for i in range(count - 1, len(ordered)):
        if ordered[i] - ordered[i - count + 1] <= 365:
            return ordered[i]
    return None


def _until(period: Custody, end: int) -> int:
    return end if period.release is None else period.release


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
