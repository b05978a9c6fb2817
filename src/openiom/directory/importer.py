"""Importing the service directory from a CSV file: every row checked first, then all saved, or none.

Safe to repeat: a row whose name and provider (ignoring case) match a service already in the
directory updates that service; a row that changes nothing is counted as unchanged.

Columns (the first row names them, in any order; only name, provider and pathways are required):
name, provider, description, pathways, area, min_age, max_age, gender, cohorts, capacity,
contact, referral_route. Pathways and cohorts are separated by semicolons and may be written as
codes (``drugs_alcohol``) or names (``Drugs and alcohol``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from openiom.cases.constants import Cohort, Pathway
from openiom.cases.locking import CaseError

from .models import Service
from .services import ServiceData, ServiceError, create_service, service_changes, service_problems, update_service

__all__ = ["COLUMNS", "ImportResult", "RowProblem", "import_services", "read_services"]

COLUMNS = (
    "name",
    "provider",
    "description",
    "pathways",
    "area",
    "min_age",
    "max_age",
    "gender",
    "cohorts",
    "capacity",
    "contact",
    "referral_route",
)
REQUIRED_COLUMNS = ("name", "provider", "pathways")
MAX_ROWS = 5000
GENDER_WORDS = {"": "", "m": "M", "male": "M", "men": "M", "f": "F", "female": "F", "women": "F"}


@dataclass(frozen=True)
class RowProblem:
    """One problem with the file: `row` is the spreadsheet row (the header is row 1; 0 is the whole file)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        where = f"Row {self.row}, column {self.column}" if self.column else f"Row {self.row}"
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.problems:
            n = len(self.problems)
            return f"Nothing was imported: {n} problem{'s' if n != 1 else ''} in the file."
        verb = "Imported" if self.saved else "Checked"
        return (
            f"{verb} {self.rows} service{'s' if self.rows != 1 else ''}: {self.created} new, "
            f"{self.updated} updated, {self.unchanged} unchanged."
        )


def _vocabulary(choices: list[tuple[str, str]]) -> dict[str, str]:
    words: dict[str, str] = {}
    for value, label in choices:
        words[value.lower()] = value
        words[label.lower()] = value
    return words


PATHWAY_WORDS = _vocabulary(Pathway.choices)
COHORT_WORDS = _vocabulary(Cohort.choices)


def _decode(content: bytes) -> str | None:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _codes(
    text: str, words: dict[str, str], what: str, options: list[tuple[str, str]], out: list[str], problems: list[str]
) -> None:
    for part in text.split(";"):
        part = " ".join(part.split())
        if not part:
            continue
        code = words.get(part.lower())
        if code is None:
            known = "; ".join(f"{value} ({label})" for value, label in options)
            problems.append(f'"{part}" is not a {what}. Use the codes or names: {known}')
        elif code not in out:
            out.append(code)


def _whole_number(text: str, label: str, problems: dict[str, str], column: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        problems[column] = f'The {label} must be a whole number, or blank (not "{text}")'
        return None


def _row_data(row: dict[str, str]) -> tuple[ServiceData, dict[str, str]]:
    """The service a row describes, and its problems by column."""
    problems: dict[str, str] = {}
    pathways: list[str] = []
    cohorts: list[str] = []
    wrong: list[str] = []
    _codes(row.get("pathways", ""), PATHWAY_WORDS, "pathway", Pathway.choices, pathways, wrong)
    if wrong:
        problems["pathways"] = wrong[0]
    wrong = []
    _codes(row.get("cohorts", ""), COHORT_WORDS, "cohort", Cohort.choices, cohorts, wrong)
    if wrong:
        problems["cohorts"] = wrong[0]
    gender_text = row.get("gender", "").strip()
    gender = GENDER_WORDS.get(gender_text.lower())
    if gender is None:
        problems["gender"] = f'Gender must be blank (everyone), M (men only) or F (women only), not "{gender_text}"'
    data = ServiceData(
        name=row.get("name", ""),
        provider=row.get("provider", ""),
        description=row.get("description", ""),
        pathways=pathways,
        area=row.get("area", ""),
        min_age=_whole_number(row.get("min_age", ""), "minimum age", problems, "min_age"),
        max_age=_whole_number(row.get("max_age", ""), "maximum age", problems, "max_age"),
        gender=gender or "",
        cohorts=cohorts,
        capacity=_whole_number(row.get("capacity", ""), "number of places", problems, "capacity"),
        contact=row.get("contact", ""),
        referral_route=row.get("referral_route", ""),
    ).cleaned()
    return data, problems


def _key(name: str, provider: str) -> tuple[str, str]:
    return (name.casefold(), provider.casefold())


@dataclass(frozen=True)
class CheckedRow:
    row: int
    data: ServiceData
    existing: Service | None


def read_services(content: bytes) -> tuple[list[CheckedRow], list[RowProblem]]:
    """Check a whole file against the directory. Nothing is saved."""
    text = _decode(content)
    if text is None:
        return [], [RowProblem(0, "", "The file is not UTF-8 text. Save it from your spreadsheet as CSV UTF-8")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], [RowProblem(0, "", "The file is empty. The first row must name the columns")]
    except csv.Error as exc:
        return [], [RowProblem(0, "", f"The file cannot be read as CSV ({exc})")]
    columns = [h.strip().lower() for h in header]
    problems: list[RowProblem] = []
    for missing in (c for c in REQUIRED_COLUMNS if c not in columns):
        problems.append(RowProblem(0, missing, f"The file has no {missing} column, which is required"))
    for extra in (c for c in columns if c and c not in COLUMNS):
        known = ", ".join(COLUMNS)
        problems.append(RowProblem(0, extra, f'The file has a column "{extra}" that is not one of: {known}'))
    for repeated in sorted({c for c in columns if c and columns.count(c) > 1}):
        problems.append(RowProblem(0, repeated, f"The file has the column {repeated} more than once"))
    if problems:
        return [], problems

    existing = {_key(s.name, s.provider): s for s in Service.objects.all()}
    seen: dict[tuple[str, str], int] = {}
    rows: list[CheckedRow] = []
    number = 1
    try:
        for values in reader:
            number += 1
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                message = f"The file has more than {MAX_ROWS} services; split it into smaller files"
                problems.append(RowProblem(0, "", message))
                break
            if len(values) > len(columns):
                message = f"This row has {len(values)} values but the header names {len(columns)} columns"
                problems.append(RowProblem(number, "", message))
                continue
            row = dict(zip(columns, values, strict=False))
            data, row_problems = _row_data(row)
            key = _key(data.name, data.provider)
            match = existing.get(key)
            for column, message in service_problems(data, existing=match).items():
                row_problems.setdefault(column, message)
            if data.name and data.provider and key in seen:
                row_problems.setdefault("name", f"The same name and provider are already on row {seen[key]}")
            seen.setdefault(key, number)
            problems.extend(RowProblem(number, column, message) for column, message in _in_column_order(row_problems))
            rows.append(CheckedRow(number, data, match))
    except csv.Error as exc:
        problems.append(RowProblem(number, "", f"This row cannot be read as CSV ({exc})"))
    if not rows and not problems:
        problems.append(RowProblem(0, "", "The file has no services under the header row"))
    return rows, problems


def _in_column_order(problems: dict[str, str]) -> list[tuple[str, str]]:
    order = {c: i for i, c in enumerate(COLUMNS)}
    return sorted(problems.items(), key=lambda item: order.get(item[0], len(order)))


def import_services(content: bytes, *, by: Any = None, check_only: bool = False) -> ImportResult:
    """Check every row; if all are good (and not `check_only`), save them all in one transaction."""
    rows, problems = read_services(content)
    result = ImportResult(rows=len(rows), problems=problems)
    if problems:
        return result
    try:
        with transaction.atomic():
            for checked in rows:
                if checked.existing is None:
                    result.created += 1
                    if not check_only:
                        create_service(checked.data, by=by)
                elif service_changes(checked.existing, checked.data):
                    result.updated += 1
                    if not check_only:
                        update_service(checked.existing, checked.data, by=by, version=checked.existing.version)
                else:
                    result.unchanged += 1
    except (ServiceError, CaseError) as exc:  # someone changed the directory while the file was checked
        return ImportResult(rows=len(rows), problems=[RowProblem(checked.row, "", str(exc))])
    result.saved = not check_only
    return result
