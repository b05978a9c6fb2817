"""Parquet output carries exactly the data of the CSV output, with dates and numbers typed."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from openiom.datastandard import read_delivery
from openiom.datastandard.validate import files_from_dir
from openiom.synthetic import Settings, generate

from .conftest import END, PEOPLE, SEED, YEARS


@pytest.fixture(scope="module")
def parquet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("borough_parquet")
    generate(Settings(PEOPLE, YEARS, SEED, folder, format="parquet"))
    return folder


@pytest.mark.parametrize("name", ["people", "offences", "custody", "flags"])
def test_parquet_and_csv_hold_the_same_rows(borough_dir: Path, parquet_dir: Path, name: str) -> None:
    from_csv = pl.read_csv(borough_dir / f"{name}.csv", infer_schema=False)
    from_parquet = pl.read_parquet(parquet_dir / f"{name}.parquet")
    as_text = from_parquet.with_columns([pl.col(c).cast(pl.Utf8) for c in from_parquet.columns])
    assert as_text.columns == from_csv.columns
    assert as_text.equals(from_csv), f"{name} differs"
    assert from_parquet.height > 0


def test_parquet_types_and_ground_truth(borough_dir: Path, parquet_dir: Path) -> None:
    schema = pq.read_schema(parquet_dir / "offences.parquet")
    assert str(schema.field("offence_date").type) == "date32[day]"
    assert str(schema.field("sentence_days").type) == "int32"
    assert str(schema.field("event_id").type) == "string"
    assert (parquet_dir / "ground_truth.csv").read_bytes() == (borough_dir / "ground_truth.csv").read_bytes()
    assert not list(parquet_dir.glob("*.csv.*"))
    assert not list(parquet_dir.glob(".*"))


def test_the_import_validator_accepts_parquet(parquet_dir: Path) -> None:
    delivery = read_delivery(
        files_from_dir(parquet_dir), known_sources=["police", "probation", "yot", "prison", "substance"], today=END
    )
    assert delivery.ok, [str(e) for e in delivery.errors[:10]]
