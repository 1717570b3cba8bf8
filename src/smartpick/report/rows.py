"""The plan as flat rows: every column of every chosen program, reasons included.

The plan is the planner's JSON contract (``smartpick plan --format json``). Known columns come
first in a fixed order; any further field a plan carries follows, so no column is dropped.
Intervals become ``_low`` / ``_high`` columns and lists of reasons one text cell.
"""

from __future__ import annotations

from typing import Any

PROGRAM_COLUMNS = ("rank", "program_id", "name", "specialty", "track", "city", "state", "tier",
                   "p_interview", "p_interview_low", "p_interview_high", "marginal_p_match",
                   "signal", "verdict", "reasons")
REASON_SEPARATOR = " | "


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return REASON_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return value


def program_row(rank: int, program: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"rank": rank}
    for key, value in program.items():
        if key.endswith("_interval") and isinstance(value, list | tuple) and len(value) == 2:
            stem = key.removesuffix("_interval")
            row[f"{stem}_low"], row[f"{stem}_high"] = value
        else:
            row[key] = _cell(value)
    return row


def program_rows(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [program_row(i, p) for i, p in enumerate(plan.get("programs", []), start=1)]


def columns(rows: list[dict[str, Any]]) -> list[str]:
    """Known columns first (those present), then every other key in first-seen order."""
    seen: dict[str, None] = {c: None for c in PROGRAM_COLUMNS if any(c in r for r in rows)}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def summary_rows(plan: dict[str, Any]) -> list[tuple[str, Any]]:
    low, high = (plan.get("p_match_interval") or [None, None])[:2]
    return [("season", plan.get("season")), ("P(match)", plan.get("p_match")),
            ("P(match) low", low), ("P(match) high", high),
            ("expected interviews", plan.get("expected_interviews")),
            ("ERAS cost (USD)", plan.get("cost_usd")),
            ("programs", len(plan.get("programs", [])))]


def table_rows(items: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows for a list of flat mappings (curve, excluded, what-ifs)."""
    flat = [{k: _cell(v) for k, v in item.items()} for item in items]
    header = columns(flat)
    return header, [[row.get(c) for c in header] for row in flat]
