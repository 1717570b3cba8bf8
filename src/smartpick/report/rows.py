"""The plan as flat rows: every column of every chosen program, reasons included.

The plan is a :class:`~smartpick.plan.result.PlanResult`. Known columns come first in a fixed
order; any further field a plan carries follows, so no column is dropped. Intervals become
``_low`` / ``_high`` columns and lists of reasons one text cell.

Text that a spreadsheet would read as a formula (a cell starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is neutralised by :func:`safe_text`: catalog values come
from public sources, and a downloaded plan must never run anything when opened.
"""

from __future__ import annotations

from typing import Any

from smartpick.plan.result import PlannedProgram, PlanResult

PROGRAM_COLUMNS = ("rank", "program_id", "name", "specialty", "track", "city", "state", "tier",
                   "p_interview", "p_interview_low", "p_interview_high", "marginal_p_match",
                   "signal", "visa_j1", "visa_h1b", "verdict", "reasons")
REASON_SEPARATOR = " | "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_text(value: Any) -> Any:
    """``value``, with a leading apostrophe when a spreadsheet would take it as a formula."""
    return "'" + value if is_formula_like(value) else value


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return REASON_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return value


def program_row(rank: int, program: PlannedProgram) -> dict[str, Any]:
    row: dict[str, Any] = {"rank": rank}
    for key, value in program.model_dump().items():
        if key.endswith("_interval") and isinstance(value, list | tuple) and len(value) == 2:
            stem = key.removesuffix("_interval")
            row[f"{stem}_low"], row[f"{stem}_high"] = value
        else:
            row[key] = _cell(value)
    return row


def program_rows(plan: PlanResult) -> list[dict[str, Any]]:
    return [program_row(i, p) for i, p in enumerate(plan.programs, start=1)]


def columns(rows: list[dict[str, Any]]) -> list[str]:
    """Known columns first (those present), then every other key in first-seen order."""
    seen: dict[str, None] = {c: None for c in PROGRAM_COLUMNS if any(c in r for r in rows)}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def summary_rows(plan: PlanResult) -> list[tuple[str, Any]]:
    low, high = plan.p_match_interval
    return [("season", plan.season), ("P(match)", plan.p_match),
            ("P(match) low", low), ("P(match) high", high),
            ("expected interviews", plan.expected_interviews),
            ("ERAS cost (USD)", plan.cost_usd),
            ("once-a-season fees (USD)", plan.fixed_fees_usd),
            ("budget (USD, once-a-season fees included)", plan.budget_usd),
            ("programs", len(plan.programs)),
            *_advice_rows(plan)]


def _advice_rows(plan: PlanResult) -> list[tuple[str, Any]]:
    rec = plan.recommendation
    if rec is None:
        return []
    return [("advised: first programs", rec.n), ("advised: ERAS cost (USD)", rec.cost_usd),
            ("advised: P(match)", rec.p_match), ("the rest of the list adds", rec.rest_adds)]


def table_rows(items: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows for a list of flat mappings (curve, excluded, what-ifs)."""
    flat = [{k: _cell(v) for k, v in item.items()} for item in items]
    header = columns(flat)
    return header, [[row.get(c) for c in header] for row in flat]
