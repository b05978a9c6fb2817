"""The pandas implementation used by scripts/bench_scoring.py computes what the core computes.

A benchmark that compares two implementations that disagree measures nothing, so this
generates a small borough (Parquet, like the benchmark's data), scores it with the analytics
core in DuckDB and with scripts/pandas_scoring.py, and requires every person and every column
of `score_people` to agree (numbers to 1e-9).
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from openiom.analytics import SelectionConfig, connect_duckdb, read_delivery, score
from openiom.analytics.config import CohortRules
from openiom.synthetic import Settings, generate

PEOPLE = 2000
AS_OF = date(2026, 10, 31)
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pandas_scoring.py"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pandas_scoring", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


pandas_scoring = _load_script()


@pytest.fixture(scope="module")
def delivery(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pandas-agrees")
    generate(Settings(PEOPLE, 10, 3, folder, format="parquet"))
    return folder


def _core(folder: Path, config: SelectionConfig) -> pd.DataFrame:
    con = connect_duckdb()
    truth = con.read_csv(folder / "ground_truth.csv", all_varchar=True)
    links = truth.select("source", "person_id", person_key=truth.true_person_id.substr(1).cast("int64"))
    return score(con, read_delivery(con, folder, links), AS_OF, config).to_pandas()


CONFIGS = {
    "default": SelectionConfig(),
    # Other numbers exercise the configuration paths: a longer look-back, NFA counted, harm
    # and cost overrides (which reorder the harm ranks), HCC first, every MAPPA level
    # excluded, more nominations and a longer pre-release window.
    "tuned": SelectionConfig(
        lookback_days=730,
        harm_overrides={"sexual_child": 2555, "shoplifting": 3},
        cost_overrides={"shoplifting": 150},
        counted_outcomes=["arrest", "charge", "conviction", "caution", "no_further_action"],
        cohorts=CohortRules(
            hcc_min_rfg_score=7, cohort_priority=["HCC", "PPO", "DIP"], excluded_mappa_levels=[1, 2, 3]
        ),
        nominations_wanted=500,
        pre_release_days=365,
    ),
}


@pytest.mark.parametrize("name", CONFIGS)
def test_pandas_agrees_with_the_core(delivery: Path, name: str) -> None:
    config = CONFIGS[name]
    core = _core(delivery, config)
    ours = pandas_scoring.score_people_pandas(pandas_scoring.read_delivery_pandas(delivery), AS_OF, config)

    assert list(core.columns) == list(pandas_scoring.OUTPUT_COLUMNS)
    assert len(core) > 200  # enough people scored for the comparison to mean something
    assert core["cohort"].notna().sum() > 20
    assert core["in_custody"].sum() > 5
    check = pandas_scoring.compare(core, ours)
    assert check.total == 0, check.describe()


def test_compare_notices_a_difference(delivery: Path) -> None:
    config = SelectionConfig()
    ours = pandas_scoring.score_people_pandas(pandas_scoring.read_delivery_pandas(delivery), AS_OF, config)
    changed = ours.copy()
    changed.loc[changed.index[1], "cohort"] = "not a cohort"
    changed.loc[changed.index[2], "ogrs3_2yr"] = changed["ogrs3_2yr"].fillna(0.5).iloc[2] + 1e-6
    check = pandas_scoring.compare(ours, changed.iloc[1:])
    assert check.only_in_core == 1
    assert check.mismatches["cohort"] == 1
    assert check.mismatches["ogrs3_2yr"] == 1
    assert check.total == 3
