"""CSV and XLSX exports of a plan, with every column and every reason."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from smartpick.report.rows import columns, program_rows, summary_rows, table_rows

WRAPPED = {"reasons", "name"}


def plan_csv(plan: dict[str, Any]) -> str:
    """One row per chosen program, in plan order."""
    rows = program_rows(plan)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns(rows), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, name in enumerate(header, start=1):
        width = 60 if name in WRAPPED else max(10, min(30, len(name) + 2))
        sheet.column_dimensions[get_column_letter(index)].width = width
        if name in WRAPPED:
            for cell in sheet[get_column_letter(index)][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def plan_xlsx(plan: dict[str, Any], sources: list[tuple[str, str]] | None = None) -> bytes:
    """A workbook: Summary, Plan, Curve, Excluded, What-if and Sources sheets."""
    book = Workbook()
    for sheet in list(book.worksheets):
        book.remove(sheet)
    _sheet(book, "Summary", ["item", "value"], [list(r) for r in summary_rows(plan)])
    rows = program_rows(plan)
    header = columns(rows)
    _sheet(book, "Plan", header, [[r.get(c) for c in header] for r in rows])
    for title, key in (("Curve", "curve"), ("Excluded", "excluded"), ("What-if", "what_if")):
        _sheet(book, title, *table_rows(plan.get(key) or []))
    _sheet(book, "Sources", ["source", "as of"], [list(s) for s in sources or []])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
