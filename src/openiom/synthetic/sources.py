"""From one true person to the records each agency holds about them.

Each agency writes the person down itself: names, date of birth and postcode vary a little
between agencies (nicknames, spelling variants, typing slips, day and month swapped, a changed
family name, a move), so that linking the records is hard but feasible. Each agency has its own
id scheme, and holds the events and flags it would really hold.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .model import DIP_TRIGGERS, RATE_MEDIAN, SEXUAL, Career, Offence, age_on, first_within_year
from .names import ETHNIC_NAMES, GROUPS, OUTSIDE_DISTRICTS, VARIANTS, WARDS, postcode, typo

SOURCES = ("police", "probation", "yot", "prison", "substance")
PROBATION_DISPOSALS = frozenset(("community_order", "suspended_sentence", "immediate_custody"))
SANCTIONS = frozenset(("conviction", "caution"))
VIOLENT_FOR_ROSH = frozenset(
    ("homicide", "violence_with_injury", "robbery_personal", "robbery_business", "weapons_possession", *SEXUAL)
)
DOMESTIC = frozenset(("violence_with_injury", "violence_without_injury", "stalking_harassment"))
DYO_SANCTIONS_IN_YEAR = 4  # the same for a Deter Young Offender, under 18
MARAC_CHANCE = 0.035  # of a violence or harassment arrest being a high-risk domestic abuse case
DIP_ASSESSED = 0.6  # of trigger-offence arrests of a drug misuser that test positive and are assessed
CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"  # the PNC check character: (YY and number) mod 23
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Style:
    """How carefully an agency records identities (multipliers on the base rates)."""

    variation: float
    pnc_missing: float


STYLES = {
    "police": Style(0.7, 0.0),  # custody records, fingerprint-verified
    "probation": Style(1.0, 0.08),
    "yot": Style(1.0, 0.3),
    "prison": Style(0.6, 0.03),
    "substance": Style(1.6, 0.7),  # self-reported at a drug service, rarely with a PNC id
}
NICKNAME = 0.07  # of names that have a short form or a spelling variant
TYPO = 0.015  # each of given and family name
DOB_SWAP = 0.03  # day and month swapped, when the day is 12 or less
DOB_SLIP = 0.006  # a day or a year out
MOVED = 0.07  # an older or newer address
NO_POSTCODE = 0.04
NAME_CHANGE_WOMEN = 0.10  # marriage or divorce, women over 20
NAME_CHANGE_MEN = 0.005
GENDER_UNKNOWN = 0.004
ETHNICITY_NOT_STATED = 0.04
ETHNICITY_OTHERWISE = 0.02  # recorded differently (officer-defined against self-defined)
PNC_SLIP = 0.003
NAMES_REVERSED = 0.006  # given and family name the wrong way round


class Ids:
    """Unique ids in a fixed space: an affine permutation of a counter, so they look unordered."""

    def __init__(self, rng: random.Random, size: int, fmt: Callable[[int], str]) -> None:
        self.size, self.fmt, self.count = size, fmt, 0
        self.step = rng.randrange(size // 3, size)
        while math.gcd(self.step, size) != 1:
            self.step += 1
        self.offset = rng.randrange(size)

    def next(self) -> str:
        if self.count >= self.size:
            raise OverflowError("the id space is used up")
        value = (self.count * self.step + self.offset) % self.size
        self.count += 1
        return self.fmt(value)


def _prison_id(v: int) -> str:  # NOMIS-like: A1234BC
    first, rest = divmod(v, 10_000 * 676)
    digits, letters = divmod(rest, 676)
    return f"{'AG'[first]}{digits:04d}{LETTERS[letters // 26]}{LETTERS[letters % 26]}"


def id_schemes(rng: random.Random) -> dict[str, Ids]:
    return {
        "police": Ids(rng, 10_000_000, lambda v: f"PN{v:07d}"),
        "probation": Ids(rng, 26_000_000, lambda v: f"{LETTERS[v // 1_000_000]}{v % 1_000_000:06d}"),  # CRN-like
        "yot": Ids(rng, 10_000_000, lambda v: f"YJ{v:07d}"),
        "prison": Ids(rng, 2 * 10_000 * 676, _prison_id),
        "substance": Ids(rng, 10_000_000, lambda v: f"DIP{v:07d}"),
        "event": Ids(rng, 1_000_000_000, lambda v: f"{v:09d}"),
        "pnc": Ids(rng, 10_000_000, lambda v: f"{v:07d}"),
    }


@dataclass(slots=True)
class Identity:
    """The true person: what each agency's record is a more or less faithful copy of."""

    given: str
    family: str
    family_group: str
    gender: str
    ethnicity: str
    dob: date
    pnc: str
    postcode: str
    ward: str


def pnc_id(year: int, number: str) -> str:
    return f"{year}/{number}{CHECK_LETTERS[int(f'{year % 100:02d}{number}') % 23]}"


def identity(rng: random.Random, career: Career, pnc_number: str) -> Identity:
    weights = ETHNIC_NAMES[career.ethnicity]
    u = rng.random() * sum(w for _, _, w in weights)
    given_group, family_group = weights[-1][0], weights[-1][1]
    for g, f, w in weights:
        if u < w:
            given_group, family_group = g, f
            break
        u -= w
    group = GROUPS[given_group]
    female = career.gender == "F" or (career.gender == "X" and rng.random() < 0.5)
    given = rng.choice(group.female if female else group.male)
    family = rng.choice(GROUPS[family_group].family)
    first_year = date.fromordinal(career.offences[0].day).year  # the PNC record starts at the first arrest
    if career.home_ward:
        ward = next(w for w in WARDS if w.name == career.home_ward)
        code = postcode(rng, ward.district, ward.sectors)
    elif rng.random() < 0.8:
        code = postcode(rng, rng.choice(OUTSIDE_DISTRICTS), (1, 2, 3, 4, 5, 6))
    else:
        code = ""  # no fixed abode
    pnc = pnc_id(first_year, pnc_number)
    return Identity(
        given, family, family_group, career.gender, career.ethnicity, career.dob, pnc, code, career.home_ward
    )


class Recorder:
    """Writes one agency's version of a person's identity."""

    def __init__(self, rng: random.Random, end: date) -> None:
        self.rng = rng
        self.end = end

    def person(
        self, ident: Identity, source: str, *, pnc_known: bool = True, first_event: int | None = None
    ) -> tuple[str, str, str, str, str, str, str, str]:
        """given, family, dob (ISO), gender, ethnicity, pnc, postcode, ward as this agency has them."""
        rng, style = self.rng, STYLES[source]
        k = style.variation
        given, family = ident.given, ident.family
        if given in VARIANTS and rng.random() < NICKNAME * k:
            given = rng.choice(VARIANTS[given])
        if rng.random() < TYPO * k:
            given = typo(rng, given)
        change = NAME_CHANGE_WOMEN if ident.gender == "F" and age_on(ident.dob, self.end.toordinal()) > 20 else 0.0
        if rng.random() < (change or NAME_CHANGE_MEN):
            family = rng.choice(GROUPS[ident.family_group if rng.random() < 0.7 else "british"].family)
        elif family in VARIANTS and rng.random() < NICKNAME * k:
            family = rng.choice(VARIANTS[family])
        if rng.random() < TYPO * k:
            family = typo(rng, family)
        if rng.random() < NAMES_REVERSED * k:
            given, family = family, given
        dob = self._dob(ident.dob, k, first_event)
        gender = "U" if rng.random() < GENDER_UNKNOWN * k else ident.gender
        u = rng.random()
        ethnicity = ident.ethnicity
        if u < ETHNICITY_NOT_STATED * k:
            ethnicity = "NS"
        elif u < (ETHNICITY_NOT_STATED + ETHNICITY_OTHERWISE) * k:
            ethnicity = rng.choice(("M", "W", "B", "O") if ethnicity in ("W", "B", "M") else ("M", "O", "A"))
        pnc = ident.pnc if pnc_known and rng.random() >= style.pnc_missing else ""
        if pnc and rng.random() < PNC_SLIP * k:
            digits = list(pnc)
            i = rng.randrange(5, 11)  # two neighbouring digits of the number swapped
            digits[i], digits[i + 1] = digits[i + 1], digits[i]
            pnc = "".join(digits)
        code, ward = ident.postcode, ident.ward
        v = rng.random()
        if not code or v < NO_POSTCODE * k:
            code, ward = "", ""
        elif v < (NO_POSTCODE + MOVED) * k:
            moved_to = rng.choice(WARDS)
            code, ward = postcode(rng, moved_to.district, moved_to.sectors), moved_to.name
        return given, family, dob.isoformat(), gender, ethnicity, pnc, code, ward

    def _dob(self, dob: date, k: float, first_event: int | None) -> date:
        rng = self.rng
        u = rng.random()
        out = dob
        if u < DOB_SWAP * k:
            if dob.day <= 12 and dob.day != dob.month:
                out = date(dob.year, dob.day, dob.month)
        elif u < (DOB_SWAP + DOB_SLIP) * k:
            try:
                out = (
                    dob.replace(year=dob.year + rng.choice((-1, 1)))
                    if rng.random() < 0.4
                    else date.fromordinal(dob.toordinal() + rng.choice((-2, -1, 1, 2)))
                )
            except ValueError:  # 29 February in a year without one
                out = dob
        if out > self.end or out.year < 1900:
            return dob
        if first_event is not None and age_on(out, first_event) < 10:
            return dob  # a record that made a child under 10 an offender would be caught and corrected
        return out


# --- the events and flags each agency holds ------------------------------------------------------


def dyo_start(offences: list[Offence]) -> int | None:
    """Selection as a Deter Young Offender: DYO_SANCTIONS_IN_YEAR sanctions under 18 within a year."""
    return first_within_year(
        {o.outcome_day for o in offences if o.outcome in SANCTIONS and o.age < 18}, DYO_SANCTIONS_IN_YEAR
    )


def rosh_level(rng: random.Random, offence: Offence, convictions: int) -> str:
    """Risk of serious harm: higher for violent and sexual offences and for longer records."""
    low, medium, high, very_high = (
        (20.0, 52.0, 25.0, 3.0) if offence.code in VIOLENT_FOR_ROSH else (55.0, 38.0, 6.5, 0.5)
    )
    record = min(convictions, 10) / 10.0
    low *= 1.0 - 0.5 * record
    high *= 1.0 + record
    very_high *= 1.0 + record
    u = rng.random() * (low + medium + high + very_high)
    if u < low:
        return "low"
    if u < low + medium:
        return "medium"
    return "high" if u < low + medium + high else "very_high"


def asset_score(rng: random.Random, rate: float, previous: int) -> int:
    score = 10.0 + 6.0 * math.log(rate / RATE_MEDIAN) + 2.5 * previous + rng.gauss(0.0, 6.0)
    return max(0, min(64, round(score)))


def mappa_level(rng: random.Random) -> str:
    u = rng.random()
    return "mappa_1" if u < 0.85 else "mappa_2" if u < 0.98 else "mappa_3"


def dip_starts(rng: random.Random, career: Career, offences: list[Offence]) -> list[int]:
    """Drug Interventions Programme episodes: a positive test on arrest for a trigger offence."""
    if not career.drug_misuser:
        return []
    starts: list[int] = []
    for o in offences:
        trigger = o.age >= 18 and o.code in DIP_TRIGGERS and (not starts or o.day - starts[-1] > 730)
        if trigger and rng.random() < DIP_ASSESSED:
            starts.append(o.day)
    return starts
