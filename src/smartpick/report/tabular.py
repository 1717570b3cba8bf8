"""CSV and XLSX exports of a plan, with every column and every reason.

Formula-like text is never a formula: in CSV it gets a leading apostrophe, in XLSX it is
stored as a text cell (see :mod:`smartpick.report.rows`).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from smartpick.plan.result import PlanResult
from smartpick.report.rows import (
    columns,
    is_formula_like,
    program_rows,
    safe_text,
    summary_rows,
    table_rows,
)

WRAPPED = {"reasons", "name"}


def plan_csv(plan: PlanResult) -> str:
    """One row per chosen program, in plan order."""
    rows = program_rows(plan)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns(rows), lineterminator="\n")
    writer.writeheader()
    writer.writerows([{k: safe_text(v) for k, v in row.items()} for row in rows])
    return buffer.getvalue()


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if is_formula_like(cell.value):
                cell.data_type = "s"  # text, never a formula
    for index, name in enumerate(header, start=1):
        width = 60 if name in WRAPPED else max(10, min(30, len(name) + 2))
        sheet.column_dimensions[get_column_letter(index)].width = width
        if name in WRAPPED:
            for cell in sheet[get_column_letter(index)][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def plan_xlsx(plan: PlanResult, sources: list[tuple[str, str]] | None = None) -> bytes:
    """A workbook: Summary, Plan, Curve, Excluded, What-if and Sources sheets."""
    book = Workbook()
    for sheet in list(book.worksheets):
        book.remove(sheet)
    _sheet(book, "Summary", ["item", "value"], [list(r) for r in summary_rows(plan)])
    rows = program_rows(plan)
    header = columns(rows)
    _sheet(book, "Plan", header, [[r.get(c) for c in header] for r in rows])
    for title, items in (("Curve", plan.curve), ("Excluded", plan.excluded),
                         ("What-if", plan.what_if)):
        _sheet(book, title, *table_rows([i.model_dump() for i in items]))
    _sheet(book, "Sources", ["source", "as of"], [list(s) for s in sources or []])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
