"""Exports of a plan: catalog text that looks like a formula stays text in CSV and XLSX."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from smartpick.plan.result import CurvePoint, Excluded, PlannedProgram, PlanResult
from smartpick.report.tabular import plan_csv, plan_xlsx

HOSTILE = '=HYPERLINK("http://example.invalid","open me")'


def _plan() -> PlanResult:
    program = PlannedProgram(
        program_id="1234567890", name=HOSTILE, specialty="Internal Medicine", city="+cmd",
        state="NY", tier="target", p_interview=0.2, p_interview_interval=(0.1, 0.3),
        marginal_p_match=0.05, signal="none", verdict="eligible",
        reasons=["@SUM(A1:A2)", "in a preferred state (NY)"])
    return PlanResult(
        season=2026, p_match=0.4, p_match_interval=(0.3, 0.5), expected_interviews=1.0,
        cost_usd=99, fixed_fees_usd=0, stop_reason="length", programs=[program],
        curve=[CurvePoint(n=1, p_match=0.4, cost_usd=99, expected_utility=0.4, chosen=True)],
        excluded=[Excluded(program_id="999", name="-2+3", specialty="Internal Medicine",
                           rule="visa", reason="no J-1")], notes=[])


def test_csv_cells_that_look_like_formulas_start_with_an_apostrophe() -> None:
    [row] = list(csv.DictReader(io.StringIO(plan_csv(_plan()))))
    assert row["name"] == "'" + HOSTILE
    assert row["city"] == "'+cmd"
    assert row["reasons"].startswith("'@SUM")
    assert row["state"] == "NY" and row["p_interview"] == "0.2"


def test_xlsx_cells_that_look_like_formulas_are_text() -> None:
    book = load_workbook(io.BytesIO(plan_xlsx(_plan())))
    header = [c.value for c in book["Plan"][1]]
    name = book["Plan"].cell(row=2, column=header.index("name") + 1)
    assert name.value == HOSTILE and name.data_type == "s"
    excluded = book["Excluded"]
    cells = [c for c in excluded[2] if c.value == "-2+3"]
    assert cells and cells[0].data_type == "s"
    numbers = [c for c in book["Plan"][2] if isinstance(c.value, float)]
    assert numbers and all(c.data_type == "n" for c in numbers)
