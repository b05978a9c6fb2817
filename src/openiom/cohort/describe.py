"""A selection configuration in words, for the run page's summary list."""

from __future__ import annotations

from openiom.analytics import COHORT_LABELS, SelectionConfig, offence_label
from openiom.analytics.config import Band

from .forms import OUTCOME_WORDS


def _n(value: float) -> str:
    return f"{value:,g}"


def _list(words: list[str], joiner: str = "and") -> str:
    if not words:
        return "none"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {joiner} " + words[-1]


def _bands(bands: list[Band], unit: str) -> str:
    parts = []
    for band in bands:
        if band.at_most is not None:
            parts.append(f"{_n(band.points)} for {_n(band.at_most)} {unit} or fewer")
        else:
            parts.append(f"{_n(band.points)} for {_n(band.at_least or 0)} {unit} or more")
    return "; ".join(parts) + "; otherwise 0" if parts else "always 0"


def _codes(codes: list[str]) -> str:
    return _list([offence_label(c) for c in codes])


def _overrides(values: dict[str, float], unit: str) -> str:
    if not values:
        return "None: the offence vocabulary's values are used"
    return "; ".join(f"{offence_label(code)}: {unit}{_n(v)}" for code, v in sorted(values.items()))


def describe_config(config: SelectionConfig) -> list[tuple[str, str]]:
    """(setting, what it means) for every setting of a run, in the order a co-ordinator reads them."""
    rules = config.cohorts
    rfg = config.rfg
    outcomes = dict(OUTCOME_WORDS)
    rosh = [level.replace("_", " ") for level in rules.dyo_rosh_levels]
    return [
        (
            "Look-back window",
            f"{_n(config.lookback_days)} days before the as-of date (for someone in custody, before the day they "
            "went in)",
        ),
        ("What counts as an offence", _list([outcomes[o] for o in config.counted_outcomes])),
        ("Recency points", _bands(rfg.recency_bands, "days since the latest offence")),
        ("Frequency points", _bands(rfg.frequency_bands, "offences")),
        ("Gravity points", _bands(rfg.gravity_bands, "harm days (most harmful offence)")),
        (
            "RFG score",
            f"Recency × {_n(rfg.recency_weight)} + frequency × {_n(rfg.frequency_weight)} + gravity × "
            f"{_n(rfg.gravity_weight)} (highest possible {_n(rfg.maximum)})",
        ),
        (
            "Adults",
            f"{rules.adult_age} or over on the as-of date go on the IOM route; younger people on the "
            "Deter Young Offenders route",
        ),
        (
            COHORT_LABELS["PPO"],
            f"A PPO flag in force, or {rules.ppo_min_sanction_occasions} or more sanction occasions in the window",
        ),
        (
            COHORT_LABELS["DIP"],
            "A DIP flag in force and at least one trigger offence in the window "
            f"({_codes(rules.dip_trigger_offence_codes)})",
        ),
        (COHORT_LABELS["HCC"], f"An RFG score of {_n(rules.hcc_min_rfg_score)} or more"),
        (
            COHORT_LABELS["DYO"],
            f"Under {rules.adult_age} with a DYO flag, an Asset score of {rules.dyo_min_asset_score} or more, or a "
            f"risk of serious harm of {_list(rosh, 'or')}",
        ),
        ("When more than one cohort fits", "The first of " + ", then ".join(rules.cohort_priority)),
        (
            "Excluded",
            "Under 10s, and people managed under MAPPA at level "
            + _list([str(level) for level in sorted(rules.excluded_mappa_levels)], "or")
            if rules.excluded_mappa_levels
            else "Under 10s only",
        ),
        ("Local priorities (Flex)", _codes(rules.flex_offence_codes)),
        (
            "Nominations wanted",
            f"{config.nominations_wanted:,} IOM and {config.dyo_nominations_wanted:,} Deter Young Offenders, "
            "highest RFG score first (then harm, then OGRS3)",
        ),
        (
            "Pre-release planning",
            f"People in custody who will not be released within {config.pre_release_days:,} days are flagged for "
            "pre-release planning",
        ),
        ("Harm weights changed", _overrides(config.harm_overrides, "")),
        ("Unit costs changed", _overrides(config.cost_overrides, "£")),
        (
            "Small numbers",
            f"In the fairness view, counts from 1 to {config.small_number - 1} are not shown"
            if config.small_number > 1
            else "In the fairness view, every count is shown",
        ),
    ]


_PATH_LABELS = {
    "as-of date": "As-of date",
    "version": "Configuration version",
    "lookback_days": "Look-back window in days",
    "counted_outcomes": "What counts as an offence",
    "nominations_wanted": "IOM nominations wanted",
    "dyo_nominations_wanted": "Deter Young Offenders nominations wanted",
    "pre_release_days": "Pre-release planning: release more than this many days away",
    "small_number": "Fairness view: smallest count shown",
    "rfg.recency_bands": "Recency points",
    "rfg.frequency_bands": "Frequency points",
    "rfg.gravity_bands": "Gravity points",
    "rfg.recency_weight": "Recency weight",
    "rfg.frequency_weight": "Frequency weight",
    "rfg.gravity_weight": "Gravity weight",
    "cohorts.adult_age": "Age at which the IOM route starts",
    "cohorts.ppo_min_sanction_occasions": "Prolific and Priority Offender: fewest sanction occasions in the window",
    "cohorts.hcc_min_rfg_score": "High Crime Causer: lowest RFG score",
    "cohorts.dyo_min_asset_score": "Deter Young Offenders: lowest Asset score",
    "cohorts.dyo_rosh_levels": "Deter Young Offenders: risk of serious harm levels",
    "cohorts.dip_trigger_offence_codes": "Drug Interventions Programme: trigger offences",
    "cohorts.flex_offence_codes": "Local priorities (Flex)",
    "cohorts.cohort_priority": "When more than one cohort fits",
    "cohorts.excluded_mappa_levels": "MAPPA levels excluded",
}


def setting_label(path: str) -> str:
    """A setting's name in words (`cohorts.hcc_min_rfg_score` -> "High Crime Causer: lowest RFG score")."""
    if path in _PATH_LABELS:
        return _PATH_LABELS[path]
    kind, _, code = path.partition(".")
    if kind == "harm_overrides":
        return f"Harm weight of {offence_label(code)}"
    if kind == "cost_overrides":
        return f"Unit cost of {offence_label(code)}"
    return path


def setting_value(value: object) -> str:
    """A setting's value in words, for a table."""
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return _n(float(value))
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return "; ".join(
                f"{_n(v['points'])} for {'at most' if v.get('at_most') is not None else 'at least'} "
                f"{_n(v['at_most'] if v.get('at_most') is not None else v['at_least'])}"
                for v in value
            )
        return ", ".join(offence_label(str(v)) if isinstance(v, str) and "_" in v else str(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {setting_value(v)}" for k, v in value.items()) or "none"
    return str(value)
