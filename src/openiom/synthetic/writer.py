"""Write a delivery as it is generated, in bounded memory.

Rows arrive person by person. Each (file, source) pair goes to its own part file in a
temporary folder; at the end the parts are joined in source order, so each file lists one
agency's rows after another (as a real multi-agency delivery would), not the same person's
records on neighbouring lines. CSV parts are copied; Parquet parts are copied row group by row
group. Memory stays at one batch of rows per part.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from openiom.datastandard import FILES

# The standard's files and column order come from the data standard itself.
COLUMNS: dict[str, tuple[str, ...]] = {
    **{spec.name: spec.column_names for spec in FILES},
    "ground_truth": ("source", "person_id", "true_person_id"),
}
DATE_COLUMNS = frozenset(
    ("date_of_birth", "offence_date", "outcome_date", "reception_date", "release_date", "start_date", "end_date")
)
INTEGER_COLUMNS = frozenset(("sentence_days",))
STANDARD_FILES = ("people", "offences", "custody", "flags")
PARTS_DIR = ".openiom-generate-parts"
Row = tuple[str, ...]


def parquet_schema(table: str) -> Any:
    import pyarrow as pa

    def kind(name: str) -> Any:
        if name in DATE_COLUMNS:
            return pa.date32()
        if name in INTEGER_COLUMNS:
            return pa.int32()
        return pa.string()

    return pa.schema([pa.field(c, kind(c)) for c in COLUMNS[table]])


def _typed(column: Any, name: str) -> Any:
    if name in DATE_COLUMNS:
        return column.str.to_date("%Y-%m-%d")
    if name in INTEGER_COLUMNS:
        return column.cast(int)
    return column


class _CsvPart:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.file: IO[str] = path.open("w", newline="", encoding="utf-8")
        self.writer = csv.writer(self.file, lineterminator="\n")
        self.rows = 0

    def add(self, row: Row) -> None:
        self.writer.writerow(row)
        self.rows += 1

    def close(self) -> None:
        self.file.close()


class _ParquetPart:
    def __init__(self, path: Path, table: str, batch_rows: int) -> None:
        self.path, self.table, self.batch_rows = path, table, batch_rows
        self.schema = parquet_schema(table)
        self.buffer: list[Row] = []
        self.writer: Any = None
        self.rows = 0

    def add(self, row: Row) -> None:
        self.buffer.append(row)
        self.rows += 1
        if len(self.buffer) >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        import polars as pl
        import pyarrow.parquet as pq

        # Built with polars: pyarrow's own list conversion imports pandas, seconds when bytecode is not cached.
        columns = {
            name: list(values) for name, values in zip(COLUMNS[self.table], zip(*self.buffer, strict=True), strict=True)
        }
        frame = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.Utf8)).with_columns(
            [_typed(pl.col(name).replace("", None), name) for name in columns]
        )
        batch = frame.to_arrow().cast(self.schema)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, self.schema, compression="zstd")
        self.writer.write_table(batch)
        self.buffer = []

    def close(self) -> None:
        self.flush()
        if self.writer is not None:
            self.writer.close()


class DeliveryWriter:
    """Collects rows by (file, source) and joins them into the delivery's files on `close`."""

    def __init__(self, out: Path, fmt: str, sources: tuple[str, ...], batch_rows: int = 50_000) -> None:
        if fmt not in ("csv", "parquet"):
            raise ValueError(f"unknown format {fmt!r}")
        self.out, self.fmt, self.sources, self.batch_rows = out, fmt, sources, batch_rows
        out.mkdir(parents=True, exist_ok=True)
        for name in STANDARD_FILES:  # a previous run's delivery, in either format, is replaced
            for ext in ("csv", "parquet"):
                (out / f"{name}.{ext}").unlink(missing_ok=True)
        (out / "ground_truth.csv").unlink(missing_ok=True)
        self.parts_dir = out / PARTS_DIR
        shutil.rmtree(self.parts_dir, ignore_errors=True)
        self.parts_dir.mkdir()
        self.parts: dict[tuple[str, str], _CsvPart | _ParquetPart] = {}

    def add(self, table: str, source: str, row: Row) -> None:
        part = self.parts.get((table, source))
        if part is None:
            part = self._open(table, source)
        part.add(row)

    def adder(self, table: str, source: str) -> Callable[[Row], None]:
        """The function that adds a row to this file for this source (for a loop over many rows)."""
        part = self.parts.get((table, source))
        if part is None:
            part = self._open(table, source)
        return part.add

    def _open(self, table: str, source: str) -> _CsvPart | _ParquetPart:
        if source not in self.sources:
            raise ValueError(f"unknown source {source!r}")
        part: _CsvPart | _ParquetPart
        if self.fmt == "csv" or table == "ground_truth":
            part = _CsvPart(self.parts_dir / f"{table}.{source}.csv")
        else:
            part = _ParquetPart(self.parts_dir / f"{table}.{source}.parquet", table, self.batch_rows)
        self.parts[table, source] = part
        return part

    def close(self) -> dict[str, int]:
        """Join the parts into the delivery; returns rows per file written (empty files are left out)."""
        for part in self.parts.values():
            part.close()
        written: dict[str, int] = {}
        for table in (*STANDARD_FILES, "ground_truth"):
            parts = [self.parts[table, s] for s in self.sources if (table, s) in self.parts]
            rows = sum(p.rows for p in parts)
            if rows == 0:
                continue  # the standard refuses a file with a header and no rows
            if self.fmt == "csv" or table == "ground_truth":
                name = f"{table}.csv"
                _join_csv(self.out / name, COLUMNS[table], [p.path for p in parts])
            else:
                name = f"{table}.parquet"
                _join_parquet(self.out / name, parquet_schema(table), [p.path for p in parts])
            written[name] = rows
        self.abort()
        return written

    def abort(self) -> None:
        for part in self.parts.values():
            if isinstance(part, _CsvPart) and not part.file.closed:
                part.file.close()
        shutil.rmtree(self.parts_dir, ignore_errors=True)


def _join_csv(target: Path, header: tuple[str, ...], parts: list[Path]) -> None:
    with target.open("w", newline="", encoding="utf-8") as out:
        out.write(",".join(header) + "\n")
        for path in parts:
            with path.open(encoding="utf-8", newline="") as f:
                shutil.copyfileobj(f, out, 1 << 20)


def _join_parquet(target: Path, schema: Any, parts: list[Path]) -> None:
    import pyarrow.parquet as pq

    with pq.ParquetWriter(target, schema, compression="zstd") as writer:
        for path in parts:
            source = pq.ParquetFile(path)
            for i in range(source.num_row_groups):
                writer.write_table(source.read_row_group(i))
