"""AMA FREIDA Internal Medicine program survey (2025): one record per ACGME program."""

from __future__ import annotations

import ast
import csv
from pathlib import Path
from typing import Any

from smartpick.catalog.fields import Status
from smartpick.catalog.ingest.records import FactRecord, ProgramRecord
from smartpick.catalog.ingest.sources import FREIDA_IM_2025, SMARTPICK_LINK

SURVEY = Path("freida_im_2025/freida_internal_medicine_programs_2025.csv")

PROGRAM_TYPES: dict[str, str] = {
    "University-based": "university",
    "Community-based university affiliated": "community-university",
    "Community-based": "community",
    "Military": "military",
    "Other": "other",
}


def read_programs(raw: Path) -> list[ProgramRecord]:
    """One record per ACGME id (the most recently updated row wins), sorted by id."""
    with open(raw / SURVEY, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    latest: dict[str, dict[str, str]] = {}
    for row in sorted(rows, key=lambda r: (r["program_id"], r["data_last_updated"])):
        latest[row["program_id"]] = row
    return [_program(latest[pid]) for pid in sorted(latest)]


def _program(row: dict[str, str]) -> ProgramRecord:
    rec = ProgramRecord(program_id=row["program_id"], kind="acgme_program")
    as_of = row["data_last_updated"][:10] or FREIDA_IM_2025.as_of
    rep = FactRecord(Status.REPORTED, FREIDA_IM_2025.source_id, as_of)
    from_id = FactRecord(Status.DERIVED, FREIDA_IM_2025.source_id, as_of,
                         "read from the ACGME program id")
    rec.put("name", row["program_name_suffix"].strip(), rep)
    rec.put("specialty", "Internal Medicine", rep)
    rec.put("specialty_code", row["program_id"][:3], from_id)
    rec.put("track", "C", rep)
    rec.put("pgy_level", "PGY1", rep)
    rec.put("acgme_id", row["program_id"], rep)
    rec.put("city", row["city"].strip(), rep)
    rec.put("state", row["state"].strip(), rep)
    rec.put("program_type", PROGRAM_TYPES.get(row["program_best_described_as"].strip()), rep)
    _put_numbers(rec, row, rep)
    rec.put("participates_in_eras", _bool(row["participates_in_eras"]), rep)
    accepting = _bool(row.get("accepting_applications_2026_2027", ""))
    rec.put("accepting_applications", accepting, FactRecord(
        Status.REPORTED, FREIDA_IM_2025.source_id, as_of,
        "FREIDA: accepting applications for the 2026-2027 cycle (the latest it gives)"))
    rec.put("first_academic_year", _first_year(row["acgme_first_academic_year"]), rep)
    rec.put("website", row["website"].strip(), rep)
    rec.put("source_page", row["source_url"].strip(), rep)
    _put_visas(rec, row["visa_statuses_accepted"], rep)
    return rec


def _number(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


def _put_numbers(rec: ProgramRecord, row: dict[str, str], rep: FactRecord) -> None:
    positions = _number(row["first_year_positions"])
    interviews = _number(row["interviews_conducted_last_year"])
    rec.put("positions", None if positions is None else int(positions), rep)
    rec.put("freida_positions", None if positions is None else int(positions), rep)
    rec.put("interviews_conducted", None if interviews is None else int(interviews), rep)
    for field in ("pct_img", "pct_do", "pct_usmd"):
        rec.put(field, _number(row[field]), rep)
    if positions and interviews is not None:
        derived = FactRecord(Status.DERIVED, SMARTPICK_LINK.source_id, rep.as_of,
                             "interviews conducted / PGY-1 positions (FREIDA)")
        rec.put("interviews_per_position", round(interviews / positions, 2), derived)


def _bool(text: str) -> bool | None:
    return {"true": True, "false": False}.get(text.strip().lower())


def _first_year(text: str) -> int | None:
    head = text.strip()[:4]
    return int(head) if head.isdigit() else None


def parse_visas(text: str) -> list[str]:
    """The visa list as plain values (the source mixes strings and dicts)."""
    text = text.strip()
    if not text:
        return []
    items: Any = ast.literal_eval(text)
    return [str(item["value"] if isinstance(item, dict) else item) for item in items]


ABSENT_FROM_LIST = "not in the program's FREIDA visa list (inferred from absence)"


def _put_visas(rec: ProgramRecord, text: str, rep: FactRecord) -> None:
    """A visa the list names is reported; one a non-empty list leaves out is derived (not
    accepted, inferred from its absence). An empty list may mean "no sponsorship" or "not
    reported", so it stays unknown.
    """
    visas = parse_visas(text)
    if not visas:
        return
    absent = FactRecord(Status.DERIVED, rep.source_id, rep.as_of, ABSENT_FROM_LIST)
    j1, h1b = any(v.startswith("J-1") for v in visas), "H-1B" in visas
    rec.put("visa_j1", j1, rep if j1 else absent)
    rec.put("visa_h1b", h1b, rep if h1b else absent)
