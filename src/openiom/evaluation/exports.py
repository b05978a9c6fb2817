"""Reports as spreadsheets (one sheet per table) and PDFs (the page's sections, charts included)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from django.utils import timezone

from openiom.audit.exports import _safe_cell
from openiom.web.pdf import render_pdf

from .reports import Report


def _sheet_name(text: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", text)[:28] or "Sheet"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:25]} {n}", n + 1
    used.add(name)
    return name


def report_xlsx(reports: Sequence[Report]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    about = book.active
    assert about is not None  # noqa: S101 - a new workbook has a sheet
    about.title = "About"
    about.append(["OpenIOM performance and evaluation"])
    about["A1"].font = Font(bold=True, size=14)
    about.append([f"Produced {timezone.localtime():%-d %B %Y %H:%M}"])
    about.append(["Counts from 1 to 4 are shown as 'fewer than 5' and figures built on them as 'not shown'."])
    about.append(["Definitions: docs/metrics.md in the OpenIOM source."])
    used = {"About"}
    for report in reports:
        about.append([])
        about.append([report.title, report.subtitle, f"Data cut-off {report.cutoff:%-d %B %Y}"])
        for section in report.sections:
            for table in section.tables:
                sheet = book.create_sheet(_sheet_name(f"{section.title} {len(used)}", used))
                sheet.append([_safe_cell(f"{report.title}: {section.title}")])
                sheet["A1"].font = Font(bold=True)
                sheet.append([_safe_cell(table.caption)])
                sheet.append([])
                sheet.append([_safe_cell(h) for h in table.head])
                for cell in sheet[4]:
                    cell.font = Font(bold=True)
                for row in table.rows:
                    sheet.append([_safe_cell(v) for v in row])
                for paragraph in [*section.paragraphs, *section.warnings]:
                    sheet.append([])
                    sheet.append([_safe_cell(paragraph)])
                sheet.column_dimensions["A"].width = 48
                for letter in "BCDEFG":
                    sheet.column_dimensions[letter].width = 22
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_pdf(reports: Sequence[Report], title: str) -> bytes:
    return render_pdf(
        "evaluation/report_pdf.html",
        {"document_title": title, "reports": reports, "generated_at": timezone.localtime()},
    )
