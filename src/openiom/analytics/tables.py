"""The tables the analytics core reads, and where they come from.

The core works on four person-keyed tables (a `person_key` is one real individual, after
record linkage):

| table | columns |
| --- | --- |
| people | person_key, date_of_birth, gender, ethnicity (and optionally record_priority, record_id) |
| offences | person_key, offence_code, offence_date, outcome, outcome_date, disposal, sentence_days |
| custody | person_key, reception_date, release_date |
| flags | person_key, flag, value, start_date, end_date |

`read_delivery` builds them from files in the data standard (CSV or Parquet) and a link
table (`source`, `person_id`, `person_key`) in DuckDB; the web app's adapter builds them
over its own database tables (`openiom.cohort.adapter`).

`people` has one row per person, or, when it has the columns `record_priority` and
`record_id`, one row per agency record: the scoring then keeps each person's first record in
that order (`one_record_per_person`), and only for the people it scores, which is much
cheaper than de-duplicating everyone first. `read_delivery` gives the records.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

__all__ = [
    "SCHEMAS",
    "Inputs",
    "connect_duckdb",
    "fingerprint_files",
    "inputs_from_rows",
    "one_record_per_person",
    "read_delivery",
]

SCHEMAS: dict[str, dict[str, str]] = {
    "people": {"person_key": "int64", "date_of_birth": "date", "gender": "string", "ethnicity": "string"},
    "offences": {
        "person_key": "int64",
        "offence_code": "string",
        "offence_date": "date",
        "outcome": "string",
        "outcome_date": "date",
        "disposal": "string",
        "sentence_days": "int64",
    },
    "custody": {"person_key": "int64", "reception_date": "date", "release_date": "date"},
    "flags": {"person_key": "int64", "flag": "string", "value": "string", "start_date": "date", "end_date": "date"},
}

# When one person has records at several agencies, whose date of birth, gender and ethnicity
# the scores use: the agency that verifies identity most carefully first.
SOURCE_PRIORITY = ("police", "prison", "probation", "yot", "substance")

_STANDARD_TYPES = {
    "person_id": "string",
    "source": "string",
    "sentence_days": "int64",
    "date_of_birth": "date",
    "offence_date": "date",
    "outcome_date": "date",
    "reception_date": "date",
    "release_date": "date",
    "start_date": "date",
    "end_date": "date",
}


@dataclass(frozen=True)
class Inputs:
    people: ir.Table
    offences: ir.Table
    custody: ir.Table
    flags: ir.Table


def one_record_per_person(people: ir.Table) -> ir.Table:
    """People with one row each: the first record by (`record_priority`, `record_id`) when given."""
    columns = list(SCHEMAS["people"])
    if "record_priority" not in people.columns:
        return people.select(*columns)
    order = [people.record_priority, people.record_id]
    numbered = people.mutate(_n=ibis.row_number().over(group_by=people.person_key, order_by=order))
    return numbered.filter(numbered._n == 0).select(*columns)


def connect_duckdb(threads: int | None = None) -> Any:
    con = ibis.duckdb.connect()
    if threads:
        con.raw_sql(f"SET threads = {int(threads)}")
    return con


def inputs_from_rows(tables: Mapping[str, list[dict[str, Any]]]) -> Inputs:
    """Inputs from plain rows (tests, small hand-made data sets); missing tables are empty."""
    made = {}
    for name, schema in SCHEMAS.items():
        rows = tables.get(name, [])
        made[name] = _typed_memtable({col: [r.get(col) for r in rows] for col in schema}, schema)
    return Inputs(**made)


def _typed_memtable(columns: dict[str, list[Any]], schema: dict[str, str]) -> ir.Table:
    """A memtable whose columns have the schema's types even when it has no rows."""
    import pyarrow as pa

    ibis_schema = ibis.schema(schema)
    arrow = pa.table({c: pa.array(v, type=ibis_schema[c].to_pyarrow()) for c, v in columns.items()})
    return ibis.memtable(arrow)


def _file(folder: Path, name: str) -> Path | None:
    for suffix in (".parquet", ".csv"):
        path = folder / f"{name}{suffix}"
        if path.exists():
            return path
    return None


def _read(con: Any, path: Path, name: str) -> ir.Table:
    if path.suffix == ".parquet":
        table = con.read_parquet(path, table_name=f"std_{name}")
    else:
        table = con.read_csv(path, table_name=f"std_{name}", all_varchar=True, header=True)
    casts = {c: table[c].cast(_STANDARD_TYPES.get(c, "string")) for c in table.columns}
    return table.mutate(**casts)


def read_delivery(con: Any, folder: str | Path, links: ir.Table) -> Inputs:
    """Person-keyed inputs from a folder of standard files and a link table.

    `links` has `source`, `person_id` and `person_key`. Rows whose record is not in it
    are left out (and counted by the caller, see `cli`). `people` holds every linked record,
    with `record_priority` and `record_id` (see the module's docstring).
    """
    folder = Path(folder)
    links = links.select(
        source=links.source.cast("string"), person_id=links.person_id.cast("string"), person_key=links.person_key
    )
    out: dict[str, ir.Table] = {}
    for name, schema in SCHEMAS.items():
        path = _file(folder, name)
        if path is None:
            out[name] = _typed_memtable({c: [] for c in schema}, schema)
            continue
        table = _read(con, path, name)
        keyed = table.join(links, ["source", "person_id"])
        columns = [keyed[c].cast(t).name(c) for c, t in schema.items()]
        if name == "people":  # every record: the scoring keeps one per person (one_record_per_person)
            priority = keyed.source.substitute(
                {s: i for i, s in enumerate(SOURCE_PRIORITY)}, else_=len(SOURCE_PRIORITY)
            )
            columns += [priority.name("record_priority"), keyed.person_id.name("record_id")]
        out[name] = keyed.select(*columns)
    return Inputs(**out)


def fingerprint_files(folder: str | Path, names: tuple[str, ...] = tuple(SCHEMAS)) -> str:
    """SHA-256 over the standard files in a folder (name and bytes), in a fixed order."""
    digest = hashlib.sha256()
    folder = Path(folder)
    for name in names:
        path = _file(folder, name)
        if path is None:
            continue
        digest.update(path.name.encode())
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()
