"""Plain-English explanations of one person's scores, for panel members who are not analysts.

`explain_row(row, config, ranked_in_route)` takes one row of `score_people`'s output (a
dict of plain Python values) and returns `Explanation`s: a heading and a sentence for each
component, in the order a panel reads them. Nothing here computes a score: every number
comes from the row, so the words always match the figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from openiom.reference import offence_categories

from .config import Band, SelectionConfig

__all__ = ["COHORT_LABELS", "Explanation", "explain_row", "explanation_text", "offence_label"]

COHORT_LABELS = {
    "PPO": "Prolific and Priority Offender",
    "HCC": "High Crime Causer",
    "DIP": "Drug Interventions Programme",
    "DYO": "Deter Young Offenders",
}
OUTCOME_WORDS = {
    "arrest": "arrests",
    "charge": "charges",
    "conviction": "convictions",
    "caution": "cautions",
    "no_further_action": "no further action",
}
ROSH_WORDS = {"low": "low", "medium": "medium", "high": "high", "very_high": "very high"}


@dataclass(frozen=True)
class Explanation:
    heading: str
    text: str


def offence_label(code: str | None) -> str:
    if not code:
        return "unknown offence"
    category = offence_categories().get(code)
    return category.label.lower() if category else code


def _d(value: date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else "unknown date"


def _n(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _plural_n(value: float, word: str) -> str:
    return f"{_n(value)} {word if value == 1 else word + 's'}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def _list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _band_words(bands: list[Band], points: float, unit: str) -> str:
    for band in bands:
        if band.points == points:
            value = band.at_most if band.at_most is not None else band.at_least or 0
            words = f"{_n(value)} {unit[:-1] if value == 1 else unit}"
            return f"{words} or fewer" if band.at_most is not None else f"{words} or more"
    return "no band met"


def _top(bands: list[Band]) -> str:
    return _n(max((b.points for b in bands), default=0))


def explain_row(row: dict[str, Any], config: SelectionConfig, ranked_in_route: int | None = None) -> list[Explanation]:
    rfg = config.rfg
    rules = config.cohorts
    out: list[Explanation] = []
    counted = _list([OUTCOME_WORDS[o] for o in config.counted_outcomes])
    window = f"from {_d(row['window_start'])} to {_d(row['window_end'])}"
    if row.get("in_custody"):
        window += " (the window ends on the day they went into custody)"

    out.append(
        Explanation(
            "Recency",
            f"Latest counted offence: {offence_label(row['latest_offence_code'])} on {_d(row['latest_offence_date'])}, "
            f"{_plural(int(row['recency_days']), 'day')} before the end of the window: recency "
            f"{_n(row['recency_points'])} of {_top(rfg.recency_bands)}"
            + (
                f" ({_band_words(rfg.recency_bands, row['recency_points'], 'days')})." if row["recency_points"] else "."
            ),
        )
    )
    out.append(
        Explanation(
            "Frequency",
            f"{_plural(int(row['window_count']), 'counted offence')} ({counted}) {window}: frequency "
            f"{_n(row['frequency_points'])} of {_top(rfg.frequency_bands)}"
            + (
                f" ({_band_words(rfg.frequency_bands, row['frequency_points'], 'offences')})."
                if row["frequency_points"]
                else "."
            ),
        )
    )
    if row.get("max_harm") is not None:
        gravity = (
            f"Most harmful offence in the window: {offence_label(row['gravity_code'])}, "
            f"{_plural_n(row['max_harm'], 'harm day')}: "
            f"gravity {_n(row['gravity_points'])} of {_top(rfg.gravity_bands)}"
            + (f" ({_band_words(rfg.gravity_bands, row['gravity_points'], 'days')})." if row["gravity_points"] else ".")
        )
    else:
        gravity = (
            "No offence in the window has a known harm weight, so gravity is 0 "
            f"(most serious by the vocabulary's order: {offence_label(row['gravity_code'])})."
        )
    out.append(Explanation("Gravity", gravity))
    out.append(
        Explanation(
            "RFG score",
            f"{_n(row['rfg_score'])} of {_n(rfg.maximum)}: "
            f"recency {_n(row['recency_points'])} × {_n(rfg.recency_weight)}"
            f" + frequency {_n(row['frequency_points'])} × {_n(rfg.frequency_weight)}"
            f" + gravity {_n(row['gravity_points'])} × {_n(rfg.gravity_weight)}.",
        )
    )
    known_harm = int(row["window_count"]) - int(row["harm_unknown"])
    harm = f"{_n(row['harm_days'])} Cambridge Crime Harm Index days from {_plural(known_harm, 'offence')} in the window"
    if row["harm_unknown"]:
        harm += f"; {_plural(int(row['harm_unknown']), 'offence has', 'offences have')} no harm weight and"
        harm += " count as unknown, not zero"
    out.append(Explanation("Harm", harm + "."))
    known_cost = int(row["window_count"]) - int(row["cost_unknown"])
    if known_cost:
        cost = f"£{row['cost_gbp']:,.0f} at 2015/16 prices from {_plural(known_cost, 'offence')} with a known unit cost"
        if row["cost_unknown"]:
            cost += f"; {_plural(int(row['cost_unknown']), 'offence')} of unknown cost not included (not counted as £0)"
    else:
        cost = (
            f"Not known: no offence in the window has a known unit cost ({_plural(int(row['cost_unknown']), 'offence')}"
            " of unknown cost; not counted as £0)"
        )
    out.append(Explanation("Cost of crime", cost + "."))
    if row.get("ogrs3_2yr") is not None:
        out.append(
            Explanation(
                "OGRS3",
                f"{row['ogrs3_2yr'] * 100:.1f}% likely to be reconvicted within 2 years ({row['ogrs3_band']}), "
                f"{row['ogrs3_1yr'] * 100:.1f}% within 1 year. Current sanction on {_d(row['current_sanction_date'])} "
                f"for {offence_label(row['current_offence_code'])} (OGRS3 category: {row['offence_category']}); "
                f"{_plural(int(row['previous_sanctions']), 'previous sanction occasion')}; first sanction on "
                f"{_d(row['first_sanction_date'])}; age taken on {_d(row['date_at_risk'])}.",
            )
        )
    else:
        out.append(Explanation("OGRS3", f"Not scored: {row.get('ogrs3_error') or 'no sanction on record'}."))
    out.append(Explanation("Flags and custody", _flags(row)))
    out.append(Explanation("Cohort", _cohort(row, config)))
    out.append(
        Explanation(
            "National framework",
            {
                "Fixed": f"Fixed: {_plural(int(row['neighbourhood_count']), 'neighbourhood crime')} in the window "
                "(residential burglary, personal robbery, theft from the person, vehicle offences).",
                "Flex": f"Flex: {_plural(int(row['flex_count']), 'offence')} in the window among the local priorities "
                f"({_list([offence_label(c) for c in rules.flex_offence_codes])}).",
                "Free": "Free: no neighbourhood crime and no local priority offence in the window.",
            }[str(row["framework"])],
        )
    )
    out.append(Explanation("Outcome", _outcome(row, config, ranked_in_route)))
    return out


def _flags(row: dict[str, Any]) -> str:
    parts = []
    for key, label in (("ppo_flag", "PPO"), ("dip_flag", "DIP"), ("dyo_flag", "DYO"), ("marac_flag", "MARAC")):
        if row.get(key):
            parts.append(label)
    if row.get("mappa_level"):
        parts.append(f"MAPPA level {row['mappa_level']}")
    if row.get("rosh"):
        parts.append(f"risk of serious harm {ROSH_WORDS[row['rosh']]}")
    if row.get("asset_score") is not None:
        parts.append(f"latest Asset score {row['asset_score']} ({_d(row['asset_date'])})")
    text = f"In force on {_d(row['as_of'])}: {_list(parts)}." if parts else f"No flags in force on {_d(row['as_of'])}."
    if row.get("in_custody"):
        if row.get("release_date"):
            release = f"released on {_d(row['release_date'])}"
        elif row.get("expected_release_date"):
            release = f"release expected about {_d(row['expected_release_date'])} (half the sentence)"
        else:
            release = "release date unknown"
        text += f" In custody since {_d(row['custody_reception'])}, {release}"
        if row.get("pre_release_planning"):
            text += ": in long custody, so listed for pre-release planning instead of being ranked now."
        else:
            text += ": release is near, so ranked as usual; plan through-the-gate support."
    return text


def _cohort(row: dict[str, Any], config: SelectionConfig) -> str:
    rules = config.cohorts
    if row["route"] == "DYO":
        reasons = []
        if row.get("dyo_flag"):
            reasons.append("a DYO flag is in force")
        if row.get("asset_score") is not None and row["asset_score"] >= rules.dyo_min_asset_score:
            reasons.append(f"Asset score {row['asset_score']} is {rules.dyo_min_asset_score} or more")
        if row.get("rosh") in rules.dyo_rosh_levels:
            reasons.append(f"risk of serious harm is {ROSH_WORDS[row['rosh']]}")
        if reasons:
            return f"Under {rules.adult_age}: Deter Young Offenders, because {_list(reasons)}."
        asset = (
            f"Asset score {row['asset_score']} is below {rules.dyo_min_asset_score}"
            if row.get("asset_score") is not None
            else "no Asset score"
        )
        rosh = f"risk of serious harm {ROSH_WORDS[row['rosh']]}" if row.get("rosh") else "no RoSH assessment"
        return (
            f"Under {rules.adult_age}: only the Deter Young Offenders route applies, and its criteria are not met "
            f"({asset}; {rosh}; no DYO flag)."
        )
    met, unmet = [], []
    if row["is_ppo"]:
        met.append(
            "PPO (a PPO flag is in force)"
            if row.get("ppo_flag")
            else f"PPO ({row['window_sanction_occasions']} sanction occasions in the window, "
            f"{rules.ppo_min_sanction_occasions} or more)"
        )
    else:
        unmet.append(
            f"PPO needs a PPO flag or {rules.ppo_min_sanction_occasions} sanction occasions in the window "
            f"(has {row['window_sanction_occasions']})"
        )
    if row["is_dip"]:
        met.append(f"DIP (a DIP flag is in force and {_plural(int(row['trigger_count']), 'trigger offence')})")
    else:
        unmet.append(
            "DIP needs a DIP flag in force and a trigger offence in the window "
            f"({'flag in force' if row.get('dip_flag') else 'no flag'}, "
            f"{_plural(int(row['trigger_count']), 'trigger offence')})"
        )
    if row["is_hcc"]:
        met.append(f"High Crime Causer (RFG score {_n(row['rfg_score'])} is {_n(rules.hcc_min_rfg_score)} or more)")
    else:
        unmet.append(
            f"High Crime Causer needs an RFG score of {_n(rules.hcc_min_rfg_score)} (has {_n(row['rfg_score'])})"
        )
    if row.get("cohort"):
        text = f"Suggested cohort: {COHORT_LABELS[row['cohort']]}. Rules met: {_list(met)}."
        if len(met) > 1:
            text += f" The cohort order is {', '.join(rules.cohort_priority)}."
        return text
    return f"No cohort rule met: {'; '.join(unmet)}."


def _outcome(row: dict[str, Any], config: SelectionConfig, ranked_in_route: int | None) -> str:
    if row.get("exclusion"):
        return f"Excluded: {row['exclusion']}. Shown on the exclusions list, not nominated."
    if not row.get("eligible"):
        return "Not eligible: no cohort rule is met, so not ranked."
    if row.get("pre_release_planning"):
        return (
            f"Meets the {COHORT_LABELS[row['cohort']]} rule but is in long custody (release more than "
            f"{config.pre_release_days} days after {_d(row['as_of'])}): flagged for pre-release planning, not dropped."
        )
    wanted = config.dyo_nominations_wanted if row["route"] == "DYO" else config.nominations_wanted
    route = "Deter Young Offenders" if row["route"] == "DYO" else "IOM"
    of = f" of {ranked_in_route:,} ranked" if ranked_in_route is not None else ""
    verdict = "nominated" if row.get("nominated") else "not nominated (below the cut)"
    return (
        f"Ranked {_ordinal(int(row['rank']))}{of} on the {route} route (by RFG score, then harm, then OGRS3); "
        f"{wanted:,} nominations wanted: {verdict}."
    )


def explanation_text(row: dict[str, Any], config: SelectionConfig, ranked_in_route: int | None = None) -> str:
    """The explanation as one paragraph (for CSV exports)."""
    return " ".join(f"{e.heading}: {e.text}" for e in explain_row(row, config, ranked_in_route))
