"""NRMP 2024 Main Match program results: one record per track (program code)."""

from __future__ import annotations

import csv
from pathlib import Path

from smartpick.catalog import specialties
from smartpick.catalog.fields import Status
from smartpick.catalog.ingest.records import FactRecord, ProgramRecord
from smartpick.catalog.ingest.sources import NRMP_2024, NRMP_CODES

RESULTS = Path("nrmp_2024_program_results/nrmp_2024_program_results.csv")
_EXACT_TITLES = {"wavegate_match", "known_title"}


def read_tracks(raw: Path) -> list[ProgramRecord]:
    """All NRMP 2024 tracks, sorted by program code."""
    with open(raw / RESULTS, newline="", encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: r["program_code"])
    return [_track(row) for row in rows]


def _track(row: dict[str, str]) -> ProgramRecord:
    code = row["program_code"]
    rec = ProgramRecord(program_id=code, kind="nrmp_track")
    reported = FactRecord(Status.REPORTED, NRMP_2024.source_id, NRMP_2024.as_of)
    from_code = FactRecord(Status.DERIVED, NRMP_2024.source_id, NRMP_2024.as_of,
                           "read from the NRMP program code")
    title_ok = row["title_method"] in _EXACT_TITLES
    title_fact = reported if title_ok else FactRecord(
        Status.DERIVED, NRMP_2024.source_id, NRMP_2024.as_of,
        "track title recovered heuristically from the report text")
    institution = row["institution_name"].strip()
    rec.put("name", _display_name(institution, row["program_title"], code), title_fact)
    specialty = specialties.normalise(row["specialty"])
    specialties.register(specialty)
    rec.put("specialty", specialty, from_code)
    rec.put("specialty_code", row["specialty_code"], from_code)
    rec.put("track", row["track_type"], from_code)
    rec.put("pgy_level", row["pgy_level"], from_code)
    rec.put("nrmp_codes", code, reported)
    rec.put("institution_code", row["institution_code"], from_code)
    rec.put("institution_name", institution or None,
            FactRecord(Status.REPORTED, NRMP_CODES.source_id, NRMP_CODES.as_of))
    rec.put("state", row["state"], _state_fact(row))
    _put_counts(rec, int(row["quota"]), int(row["matched"]), reported)
    rec.notes["title"] = row["program_title"].strip()
    rec.notes["page"] = row["pdf_page"]
    return rec


def _display_name(institution: str, title: str, code: str) -> str:
    owner = institution or f"NRMP institution {code[:4]}"
    return f"{owner}: {title.strip()}"


def _state_fact(row: dict[str, str]) -> FactRecord:
    status = Status.DERIVED if row["state_confidence"] == "high" else Status.ESTIMATED
    method = f"state assigned from the report layout ({row['state_method']}, " \
             f"{row['state_confidence']} confidence)"
    return FactRecord(status, NRMP_2024.source_id, NRMP_2024.as_of, method)


def _put_counts(rec: ProgramRecord, quota: int, matched: int, reported: FactRecord) -> None:
    rec.put("positions", quota, reported)
    rec.put("nrmp_quota_2024", quota, reported)
    rec.put("nrmp_matched_2024", matched, reported)
    if quota > 0:
        rec.put("fill_rate_2024", round(matched / quota, 4),
                FactRecord(Status.DERIVED, NRMP_2024.source_id, NRMP_2024.as_of,
                           "matched / quota"))
