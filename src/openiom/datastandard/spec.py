"""The data standard as code: files, columns, types and the rule each check applies.

docs/data-standard.md describes the same rules for people; keep the two in step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from openiom.reference import offence_codes

GENDERS = ("M", "F", "X", "U")
ETHNICITIES = ("A", "B", "M", "W", "O", "NS")
OUTCOMES = ("arrest", "charge", "conviction", "caution", "no_further_action")
SANCTIONS = ("conviction", "caution")
DISPOSALS = (
    "immediate_custody",
    "suspended_sentence",
    "community_order",
    "fine",
    "discharge",
    "caution",
    "youth_caution",
    "referral_order",
    "youth_rehabilitation_order",
    "other",
)
CAUTION_DISPOSALS = ("caution", "youth_caution")
SENTENCE_DISPOSALS = ("immediate_custody", "suspended_sentence")
FLAGS = ("mappa_1", "mappa_2", "mappa_3", "marac", "dip", "ppo", "dyo", "asset_score", "rosh")
ROSH_LEVELS = ("low", "medium", "high", "very_high")
EARLIEST_BIRTH = date(1900, 1, 1)
PNC_PATTERN = re.compile(r"^\d{4}/\d{7}[A-Z]$")
FORMULA_PATTERN = re.compile(r"^(=|\+|@|-(?!\d))")


class RuleError(ValueError):
    """A value broke a rule. The message is the rule, in words a sender understands."""


Parser = Callable[[str], Any]


def text(max_length: int) -> Parser:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise RuleError(f"longer than {max_length} characters")
        return value

    return parse


def code(*allowed: str) -> Parser:
    allowed_set = frozenset(allowed)
    shown = ", ".join(allowed) if len(allowed) <= 10 else f"{len(allowed)} allowed codes"

    def parse(value: str) -> str:
        if value not in allowed_set:
            raise RuleError(f"not one of {shown}")
        return value

    return parse


def offence_code(value: str) -> str:
    if value not in offence_codes():
        raise RuleError("not a code in the offence vocabulary (offence_categories.csv)")
    return value


def iso_date(value: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise RuleError("not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RuleError("not a real date (YYYY-MM-DD)") from None


def integer(minimum: int, maximum: int) -> Parser:
    def parse(value: str) -> int:
        if not value.isdigit():
            raise RuleError("not a whole number")
        number = int(value)
        if not minimum <= number <= maximum:
            raise RuleError(f"must be between {minimum} and {maximum}")
        return number

    return parse


def pnc_id(value: str) -> str:
    if not PNC_PATTERN.match(value):
        raise RuleError("not a PNC id in the form YYYY/NNNNNNNL")
    return value


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = True  # the column must be in the header and every cell filled


@dataclass(frozen=True)
class FileSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


PEOPLE = FileSpec(
    "people",
    (
        Column("person_id", text(40)),
        Column("source", text(40)),
        Column("given_name", text(100)),
        Column("family_name", text(100)),
        Column("date_of_birth", iso_date),
        Column("gender", code(*GENDERS)),
        Column("ethnicity", code(*ETHNICITIES)),
        Column("pnc_id", pnc_id, required=False),
        Column("postcode", text(10), required=False),
        Column("ward", text(100), required=False),
    ),
    key=("source", "person_id"),
)

OFFENCES = FileSpec(
    "offences",
    (
        Column("event_id", text(40)),
        Column("person_id", text(40)),
        Column("source", text(40)),
        Column("offence_code", offence_code),
        Column("offence_date", iso_date),
        Column("outcome", code(*OUTCOMES)),
        Column("outcome_date", iso_date),
        Column("disposal", code(*DISPOSALS), required=False),
        Column("sentence_days", integer(1, 36500), required=False),
        Column("ward", text(100), required=False),
    ),
    key=("source", "event_id"),
)

CUSTODY = FileSpec(
    "custody",
    (
        Column("person_id", text(40)),
        Column("source", text(40)),
        Column("reception_date", iso_date),
        Column("release_date", iso_date, required=False),
    ),
    key=("source", "person_id", "reception_date"),
)

FLAGS_FILE = FileSpec(
    "flags",
    (
        Column("person_id", text(40)),
        Column("source", text(40)),
        Column("flag", code(*FLAGS)),
        Column("value", text(20), required=False),
        Column("start_date", iso_date),
        Column("end_date", iso_date, required=False),
    ),
    key=("source", "person_id", "flag", "start_date"),
)

FILES: tuple[FileSpec, ...] = (PEOPLE, OFFENCES, CUSTODY, FLAGS_FILE)
