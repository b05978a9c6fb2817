"""Read a delivery (CSV or Parquet) and check every rule of the data standard.

`read_delivery` never stops at the first problem: it returns every error it finds
(up to a limit) with file, row, column, value and rule, and the parsed rows only
when there are none. Nothing here touches a database: the caller passes in what it
already holds (agency codes, people already imported).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .spec import (
    CAUTION_DISPOSALS,
    EARLIEST_BIRTH,
    FILES,
    FORMULA_PATTERN,
    ROSH_LEVELS,
    SANCTIONS,
    SENTENCE_DISPOSALS,
    FileSpec,
    RuleError,
)

MAX_ERRORS = 1000
Row = dict[str, Any]
PersonKey = tuple[str, str]


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # the line in the file; the header is line 1
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", {self.column}"
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            where += f' "{shown}"'
        return f"{where}: {self.rule}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe: control characters and broken Unicode are shown escaped, never stored raw."""
        return {
            "file": _safe_text(self.file),
            "row": self.row,
            "column": _safe_text(self.column),
            "value": _safe_text(self.value),
            "rule": _safe_text(self.rule),
        }


def _safe_text(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)


@dataclass
class Delivery:
    """A checked delivery: rows by file name (people, offences, custody, flags)."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    file_names: dict[str, str] = field(default_factory=dict)  # people -> people.csv
    errors: list[Problem] = field(default_factory=list)
    error_count: int = 0
    ignored_files: list[str] = field(default_factory=list)
    fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, problem: Problem) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(problem)

    def row_counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.rows.items()}


def files_from_dir(path: Path) -> dict[str, bytes]:
    if not path.is_dir():
        raise FileNotFoundError(f"{path} is not a folder")
    return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}


def read_delivery(
    files: Mapping[str, bytes],
    *,
    known_sources: Iterable[str],
    known_people: Callable[[set[PersonKey]], dict[PersonKey, date]] | None = None,
    today: date | None = None,
) -> Delivery:
    """Check a delivery given as {file name: content}. See docs/data-standard.md."""
    today = today or date.today()
    delivery = Delivery()
    sources = frozenset(known_sources)
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    delivery.fingerprint = digest.hexdigest()

    by_spec: dict[str, tuple[str, bytes]] = {}
    for name, content in files.items():
        stem, _, ext = name.rpartition(".")
        spec_names = {s.name for s in FILES}
        if stem in spec_names and ext.lower() in {"csv", "parquet"}:
            if stem in by_spec:
                delivery.add(Problem(name, None, None, None, f"the delivery has two {stem} files"))
                continue
            by_spec[stem] = (name, content)
        else:
            delivery.ignored_files.append(name)
    if not by_spec:
        names = ", ".join(f"{s.name}.csv" for s in FILES)
        delivery.add(
            Problem("(delivery)", None, None, None, f"no file of the standard was found ({names}, or .parquet)")
        )

    for spec in FILES:
        if spec.name not in by_spec:
            continue
        file_name, content = by_spec[spec.name]
        delivery.file_names[spec.name] = file_name
        raw = _read_table(file_name, content, spec, delivery)
        if raw is not None:
            delivery.rows[spec.name] = _check_rows(file_name, spec, raw, sources, today, delivery)

    _check_people_references(delivery, known_people)
    if not delivery.ok:
        delivery.rows = {}
    return delivery


def _read_table(
    name: str, content: bytes, spec: FileSpec, delivery: Delivery
) -> list[tuple[int, dict[str, str]]] | None:
    errors_before = delivery.error_count
    if name.lower().endswith(".parquet"):
        header, records = _parquet_records(name, content, delivery)
    else:
        header, records = _csv_records(name, content, delivery)
    if header is None:
        return None
    missing = [c for c in spec.required_names if c not in header]
    unexpected = [c for c in header if c not in spec.column_names]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    for column in missing:
        delivery.add(Problem(name, 1, column, None, "required column is missing from the header"))
    for column in unexpected:
        delivery.add(Problem(name, 1, column, None, f"unexpected column (allowed: {', '.join(spec.column_names)})"))
    for column in duplicated:
        delivery.add(Problem(name, 1, column, None, "column appears more than once"))
    if missing or unexpected or duplicated:
        return None
    if not records:
        if delivery.error_count == errors_before:  # not merely every row unreadable
            delivery.add(Problem(name, None, None, None, "the file has a header but no rows"))
        return None
    return records


def _csv_records(
    name: str, content: bytes, delivery: Delivery
) -> tuple[list[str] | None, list[tuple[int, dict[str, str]]]]:
    if not content.strip():
        delivery.add(Problem(name, None, None, None, "the file is empty"))
        return None, []
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        delivery.add(Problem(name, 1, None, None, "the file is UTF-16; save it as CSV UTF-8"))
        return None, []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        delivery.add(
            Problem(
                name, line, None, None, "the file is not UTF-8 (perhaps Windows-1252 from Excel); save it as CSV UTF-8"
            )
        )
        return None, []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        delivery.add(Problem(name, None, None, None, "the file is empty"))
        return None, []
    except csv.Error as exc:
        delivery.add(Problem(name, 1, None, None, f"the header cannot be read as CSV ({exc})"))
        return None, []
    records: list[tuple[int, dict[str, str]]] = []
    try:
        for values in reader:
            line = reader.line_num
            if not values or all(not v.strip() for v in values):
                continue  # blank lines are allowed
            if len(values) != len(header):
                delivery.add(
                    Problem(
                        name, line, None, None, f"has {len(values)} values but the header has {len(header)} columns"
                    )
                )
                continue
            records.append((line, {h: v.strip() for h, v in zip(header, values, strict=True)}))
    except csv.Error as exc:
        delivery.add(Problem(name, reader.line_num, None, None, f"cannot be read as CSV ({exc})"))
    return header, records


def _parquet_records(
    name: str, content: bytes, delivery: Delivery
) -> tuple[list[str] | None, list[tuple[int, dict[str, str]]]]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(content))
    except Exception as exc:  # pyarrow raises several types for a bad file
        delivery.add(Problem(name, None, None, None, f"cannot be read as Parquet ({type(exc).__name__})"))
        return None, []
    header = list(table.column_names)
    columns = {c: table.column(c).to_pylist() for c in header}
    records = [(i + 1, {c: _cell_text(columns[c][i]) for c in header}) for i in range(table.num_rows)]
    return header, records


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()[:10]
    return str(value).strip()


def _check_rows(
    name: str,
    spec: FileSpec,
    records: list[tuple[int, dict[str, str]]],
    sources: frozenset[str],
    today: date,
    delivery: Delivery,
) -> list[Row]:
    seen: dict[tuple[Any, ...], int] = {}
    rows: list[Row] = []
    for line, record in records:
        row: Row = {"_row": line}
        bad = False
        for column in spec.columns:
            value = record.get(column.name, "")
            if value == "":
                if column.required:
                    delivery.add(Problem(name, line, column.name, value, "required value is missing"))
                    bad = True
                row[column.name] = None
                continue
            if FORMULA_PATTERN.match(value):
                delivery.add(
                    Problem(
                        name, line, column.name, value, "looks like a spreadsheet formula; export values, not formulas"
                    )
                )
                bad = True
                continue
            try:
                row[column.name] = column.parse(value)
            except RuleError as exc:
                delivery.add(Problem(name, line, column.name, value, str(exc)))
                bad = True
        source = row.get("source")
        if source is not None and source not in sources:
            delivery.add(Problem(name, line, "source", source, "not the code of an agency in the partnership"))
            bad = True
        if bad:
            continue
        for column_name, message in _row_rules(spec.name, row, today):
            delivery.add(Problem(name, line, column_name, _shown(row.get(column_name)), message))
            bad = True
        key = tuple(row[k] for k in spec.key)
        if key in seen:
            delivery.add(
                Problem(name, line, ", ".join(spec.key), " / ".join(map(str, key)), f"duplicate of row {seen[key]}")
            )
            bad = True
        else:
            seen[key] = line
        if not bad:
            rows.append(row)
    return rows


def _shown(value: Any) -> str | None:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _row_rules(file: str, row: Row, today: date) -> list[tuple[str, str]]:
    """Rules that involve more than one cell of a row."""
    out: list[tuple[str, str]] = []
    if file == "people":
        dob = row["date_of_birth"]
        if dob > today:
            out.append(("date_of_birth", "is in the future"))
        elif dob < EARLIEST_BIRTH:
            out.append(("date_of_birth", "is before 1900-01-01"))
    elif file == "offences":
        if row["offence_date"] > today:
            out.append(("offence_date", "is in the future"))
        if row["outcome_date"] > today:
            out.append(("outcome_date", "is in the future"))
        if row["outcome_date"] < row["offence_date"]:
            out.append(("outcome_date", f"is before the offence_date {row['offence_date'].isoformat()}"))
        outcome, disposal = row["outcome"], row["disposal"]
        if outcome in SANCTIONS and disposal is None:
            out.append(("disposal", f"is required when the outcome is {outcome}"))
        elif outcome not in SANCTIONS and disposal is not None:
            out.append(("disposal", f"must be blank when the outcome is {outcome}"))
        elif outcome == "caution" and disposal not in CAUTION_DISPOSALS:
            out.append(("disposal", "a caution outcome takes caution or youth_caution"))
        elif outcome == "conviction" and disposal in CAUTION_DISPOSALS:
            out.append(("disposal", "a conviction cannot have a caution disposal"))
        if row["sentence_days"] is not None and disposal not in SENTENCE_DISPOSALS:
            out.append(("sentence_days", "only allowed with immediate_custody or suspended_sentence"))
    elif file == "custody":
        if row["reception_date"] > today:
            out.append(("reception_date", "is in the future"))
        release = row["release_date"]
        if release is not None and release > today:
            out.append(("release_date", "is in the future"))
        if release is not None and release < row["reception_date"]:
            out.append(("release_date", "is before the reception_date"))
    elif file == "flags":
        flag, value = row["flag"], row["value"]
        if flag == "asset_score":
            if value is None or not value.isdigit() or not 0 <= int(value) <= 64:
                out.append(("value", "an asset_score needs a whole number from 0 to 64"))
        elif flag == "rosh":
            if value not in ROSH_LEVELS:
                out.append(("value", "a rosh flag needs low, medium, high or very_high"))
        elif value is not None:
            out.append(("value", f"must be blank for a {flag} flag"))
        if row["start_date"] > today:
            out.append(("start_date", "is in the future"))
        if row["end_date"] is not None and row["end_date"] < row["start_date"]:
            out.append(("end_date", "is before the start_date"))
    return out


_DATE_AFTER_BIRTH = {"offences": "offence_date", "custody": "reception_date"}


def _check_people_references(
    delivery: Delivery, known_people: Callable[[set[PersonKey]], dict[PersonKey, date]] | None
) -> None:
    """Every event points at a person of the same source, and happens after their birth."""
    births: dict[PersonKey, date] = {
        (r["source"], r["person_id"]): r["date_of_birth"] for r in delivery.rows.get("people", [])
    }
    wanted: set[PersonKey] = set()
    for file in ("offences", "custody", "flags"):
        for row in delivery.rows.get(file, []):
            key = (row["source"], row["person_id"])
            if key not in births:
                wanted.add(key)
    if wanted and known_people is not None:
        births.update(known_people(wanted))
    for file in ("offences", "custody", "flags"):
        name = delivery.file_names.get(file, f"{file}.csv")
        for row in delivery.rows.get(file, []):
            key = (row["source"], row["person_id"])
            dob = births.get(key)
            if dob is None:
                delivery.add(
                    Problem(
                        name,
                        row["_row"],
                        "person_id",
                        row["person_id"],
                        f"no person with this id from source {row['source']} in this delivery or already imported",
                    )
                )
                continue
            date_column = _DATE_AFTER_BIRTH.get(file)
            if date_column and row[date_column] < dob:
                delivery.add(
                    Problem(
                        name,
                        row["_row"],
                        date_column,
                        row[date_column].isoformat(),
                        "is before the person's date of birth",
                    )
                )
