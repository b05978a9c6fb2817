"""The selection configuration: a typed object, saved as JSON with every run.

Every number a partnership may want to tune is here, with the default OpenIOM ships and
the reasoning for it in `docs/metrics.md`. Nothing else in the scoring decides anything.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from openiom.reference import offence_codes

__all__ = [
    "Band",
    "CohortRules",
    "ConfigError",
    "RFGConfig",
    "SelectionConfig",
]

COUNTABLE_OUTCOMES = ("arrest", "charge", "conviction", "caution", "no_further_action")
COHORTS = ("PPO", "DIP", "HCC")


class ConfigError(ValueError):
    """A configuration that cannot be used, with every problem in plain words."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Band(_Strict):
    """`points` are given when the measured value is at least `at_least` (or at most `at_most`)."""

    at_least: float | None = None
    at_most: float | None = None
    points: Annotated[float, Field(ge=0)]

    @model_validator(mode="after")
    def _one_bound(self) -> Band:
        if (self.at_least is None) == (self.at_most is None):
            raise ValueError("a band needs exactly one of at_least or at_most")
        return self


def _bands(*pairs: tuple[str, float, float]) -> list[Band]:
    return [Band(**{kind: value, "points": points}) for kind, value, points in pairs]


class RFGConfig(_Strict):
    """Recency, frequency and gravity: points from bands, then a weighted sum."""

    recency_bands: list[Band] = Field(
        default_factory=lambda: _bands(
            ("at_most", 30, 5), ("at_most", 90, 4), ("at_most", 180, 3), ("at_most", 270, 2), ("at_most", 365, 1)
        ),
        description="Days since the latest counted offence: the first band whose at_most it meets gives the points.",
    )
    frequency_bands: list[Band] = Field(
        default_factory=lambda: _bands(
            ("at_least", 8, 5), ("at_least", 5, 4), ("at_least", 3, 3), ("at_least", 2, 2), ("at_least", 1, 1)
        ),
        description="Counted offences in the look-back window: the first band whose at_least it meets.",
    )
    gravity_bands: list[Band] = Field(
        default_factory=lambda: _bands(
            ("at_least", 365, 5), ("at_least", 180, 4), ("at_least", 30, 3), ("at_least", 5, 2), ("at_least", 1, 1)
        ),
        description="Harm (CCHI days) of the most harmful counted offence in the window.",
    )
    recency_weight: Annotated[float, Field(ge=0)] = 1.0
    frequency_weight: Annotated[float, Field(ge=0)] = 1.0
    gravity_weight: Annotated[float, Field(ge=0)] = 1.0

    @field_validator("recency_bands")
    @classmethod
    def _recency_uses_at_most(cls, bands: list[Band]) -> list[Band]:
        if any(b.at_most is None for b in bands):
            raise ValueError("recency bands are given with at_most (days)")
        return sorted(bands, key=lambda b: b.at_most or 0)

    @field_validator("frequency_bands", "gravity_bands")
    @classmethod
    def _uses_at_least(cls, bands: list[Band]) -> list[Band]:
        if any(b.at_least is None for b in bands):
            raise ValueError("frequency and gravity bands are given with at_least")
        return sorted(bands, key=lambda b: -(b.at_least or 0))

    @staticmethod
    def _top(bands: list[Band]) -> float:
        return max((b.points for b in bands), default=0.0)

    @property
    def maximum(self) -> float:
        return (
            self.recency_weight * self._top(self.recency_bands)
            + self.frequency_weight * self._top(self.frequency_bands)
            + self.gravity_weight * self._top(self.gravity_bands)
        )


RoshLevel = Literal["low", "medium", "high", "very_high"]
CohortName = Literal["PPO", "DIP", "HCC"]
MappaLevel = Literal[1, 2, 3]
Outcome = Literal["arrest", "charge", "conviction", "caution", "no_further_action"]


def _high_rosh() -> list[RoshLevel]:
    return ["high", "very_high"]


def _cohort_order() -> list[CohortName]:
    return ["PPO", "DIP", "HCC"]


def _mappa_managed() -> list[MappaLevel]:
    return [2, 3]


def _counted() -> list[Outcome]:
    return ["arrest", "charge", "conviction", "caution"]


class CohortRules(_Strict):
    """Who is suggested for which cohort, and who is excluded."""

    adult_age: Annotated[int, Field(ge=10, le=25)] = 18
    ppo_min_sanction_occasions: Annotated[int, Field(ge=1)] = 6
    hcc_min_rfg_score: Annotated[float, Field(ge=0)] = 9.0
    dyo_min_asset_score: Annotated[int, Field(ge=0, le=64)] = 24
    dyo_rosh_levels: list[RoshLevel] = Field(default_factory=_high_rosh)
    dip_trigger_offence_codes: list[str] = Field(
        default_factory=lambda: [
            "robbery_personal",
            "robbery_business",
            "burglary_residential",
            "burglary_non_residential",
            "vehicle_taking",
            "theft_from_vehicle",
            "theft_from_person",
            "shoplifting",
            "bicycle_theft",
            "other_theft",
            "handling_stolen_goods",
            "fraud_forgery",
            "drug_possession",
            "drug_supply",
        ]
    )
    flex_offence_codes: list[str] = Field(
        default_factory=lambda: ["violence_with_injury", "weapons_possession", "stalking_harassment", "drug_supply"],
        description="Local priorities for the Flex stream of the national framework.",
    )
    cohort_priority: list[CohortName] = Field(default_factory=_cohort_order)
    excluded_mappa_levels: list[MappaLevel] = Field(default_factory=_mappa_managed)

    @field_validator("dip_trigger_offence_codes", "flex_offence_codes")
    @classmethod
    def _known_codes(cls, codes: list[str]) -> list[str]:
        unknown = sorted(set(codes) - offence_codes())
        if unknown:
            raise ValueError(f"unknown offence codes: {', '.join(unknown)}")
        return codes

    @field_validator("cohort_priority")
    @classmethod
    def _each_cohort_once(cls, order: list[CohortName]) -> list[CohortName]:
        if sorted(order) != sorted(COHORTS):
            raise ValueError("list PPO, DIP and HCC once each")
        return order


class SelectionConfig(_Strict):
    """Everything a selection run depends on besides the data and the as-of date."""

    version: Literal[1] = 1
    lookback_days: Annotated[int, Field(ge=30, le=3650)] = 365
    counted_outcomes: list[Outcome] = Field(default_factory=_counted)
    rfg: RFGConfig = Field(default_factory=RFGConfig)
    cohorts: CohortRules = Field(default_factory=CohortRules)
    harm_overrides: dict[str, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict, description="CCHI days by offence code, replacing or filling the vocabulary's value."
    )
    cost_overrides: dict[str, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict, description="Unit cost in pounds by offence code, replacing or filling the vocabulary's."
    )
    nominations_wanted: Annotated[int, Field(ge=0, le=100_000)] = 50
    dyo_nominations_wanted: Annotated[int, Field(ge=0, le=100_000)] = 15
    pre_release_days: Annotated[int, Field(ge=0, le=3650)] = 183
    small_number: Annotated[int, Field(ge=1, le=100)] = 5

    @field_validator("harm_overrides", "cost_overrides")
    @classmethod
    def _override_codes(cls, values: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(values) - offence_codes())
        if unknown:
            raise ValueError(f"unknown offence codes: {', '.join(unknown)}")
        return values

    @field_validator("counted_outcomes")
    @classmethod
    def _some_outcomes(cls, outcomes: list[Outcome]) -> list[Outcome]:
        if not outcomes:
            raise ValueError("count at least one outcome")
        return sorted(set(outcomes), key=COUNTABLE_OUTCOMES.index)

    # ---- JSON --------------------------------------------------------------------------
    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    def as_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, text: str) -> SelectionConfig:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: object) -> SelectionConfig:
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ConfigError(describe_errors(exc)) from None


def describe_errors(exc: ValidationError) -> str:
    """Pydantic's errors as one line each: `cohorts.hcc_min_rfg_score: must be 0 or more`."""
    lines = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "configuration"
        message = error["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        lines.append(f"{where}: {message}")
    return "; ".join(lines)
