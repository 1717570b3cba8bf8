"""Positions from the newest source, and whether a program is open to applications.

Positions are Main Match quotas of a program's categorical and primary tracks. Where the
Florida file gives a newer Match year than NRMP 2024 for a track, the newer quota wins (a code
the Florida file lists without a row that year did not take part: 0). Older years stay in the
quota history. A survey program with no linked track keeps its FREIDA first-year positions.

``open_status`` is ``not_accepting`` when FREIDA says the program does not accept applications
for the latest cycle it gives, ``no_positions`` when the newest positions figure (Match quota
or FREIDA first-year positions, whichever is newer) is 0, else ``open``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from smartpick.catalog.fields import NO_POSITIONS, NOT_ACCEPTING, OPEN, Status
from smartpick.catalog.ingest.florida import QuotaYear
from smartpick.catalog.ingest.records import FactRecord, ProgramRecord
from smartpick.catalog.ingest.sources import (
    FLORIDA_2020_2026,
    FREIDA_IM_2025,
    NRMP_2024,
    SMARTPICK_LINK,
)

COUNTED_TRACKS = ("C", "M")
NRMP_YEAR = 2024
FREIDA_YEAR = 2025


def match_date(year: int) -> str:
    """As-of date of a Main Match year's quotas (results are published in March)."""
    return f"{year}-03"


def apply(survey: list[ProgramRecord], tracks: list[ProgramRecord],
          history: list[QuotaYear]) -> None:
    newest = _newest_quotas(tracks, history)
    for track in tracks:
        year, quota, source = newest[track.program_id]
        if year > NRMP_YEAR:
            older = track.values.get("nrmp_quota_2024")
            track.put("positions", quota, FactRecord(
                Status.REPORTED, source, match_date(year),
                f"Match {year} quota (newer than NRMP {NRMP_YEAR}: {older})" if older is not None
                else f"Match {year} quota (a track the NRMP {NRMP_YEAR} report does not hold)"))
        track.put("positions_year", year, track.facts["positions"])
        _open_status(track, None)
    by_program: dict[str, list[ProgramRecord]] = defaultdict(list)
    for track in tracks:
        if track.merged_into and track.values.get("track") in COUNTED_TRACKS:
            by_program[track.merged_into].append(track)
    for program in survey:
        linked = by_program.get(program.program_id, [])
        if linked:
            _program_positions(program, linked, newest)
        elif "positions" in program.values:
            program.put("positions_year", FREIDA_YEAR, FactRecord(
                Status.REPORTED, FREIDA_IM_2025.source_id, program.facts["positions"].as_of,
                "FREIDA first-year positions (no NRMP track linked)"))
            program.facts["positions"] = program.facts["positions_year"]
        _open_status(program, program.values.get("freida_positions"))


def _newest_quotas(tracks: list[ProgramRecord],
                   history: list[QuotaYear]) -> dict[str, tuple[int, int, str]]:
    """Track code -> (year, quota, source id) of its newest Match quota."""
    listed: dict[str, dict[int, int]] = defaultdict(dict)
    for q in history:
        listed[q.program_code][q.year] = q.quota
    last_year = max((q.year for q in history), default=NRMP_YEAR)
    out = {}
    for track in tracks:
        code = track.program_id
        quota = int(track.values.get("nrmp_quota_2024", 0))
        if code in listed and last_year > NRMP_YEAR:
            out[code] = (last_year, listed[code].get(last_year, 0), FLORIDA_2020_2026.source_id)
        else:
            out[code] = (NRMP_YEAR, quota, NRMP_2024.source_id)
    return out


def _program_positions(program: ProgramRecord, linked: list[ProgramRecord],
                       newest: dict[str, tuple[int, int, str]]) -> None:
    figures = [newest[t.program_id] for t in linked]
    total = sum(quota for _, quota, _ in figures)
    year = min(y for y, _, _ in figures)
    sources = sorted({source for _, _, source in figures})
    parts = ", ".join(f"{t.program_id} {newest[t.program_id][1]} "
                      f"(Match {newest[t.program_id][0]})" for t in linked)
    fact = FactRecord(Status.DERIVED, sources[-1] if len(sources) == 1 else
                      SMARTPICK_LINK.source_id, match_date(year),
                      f"sum of the newest Main Match quotas of the program's categorical and "
                      f"primary tracks: {parts}")
    freida = program.values.get("freida_positions")
    quota_2024 = sum(int(t.values.get("nrmp_quota_2024", 0)) for t in linked)
    if freida is not None and freida < quota_2024:
        # FREIDA counts every first-year position, so fewer than the Match quota disagrees
        fact.conflict = (f"FREIDA {FREIDA_YEAR} first-year positions {freida} < NRMP "
                         f"{NRMP_YEAR} quota {quota_2024}")
    program.put("positions", total, fact)
    program.put("positions_year", year, replace(fact, conflict=""))


def _open_status(rec: ProgramRecord, freida_positions: int | None) -> None:
    accepting = rec.values.get("accepting_applications")
    if accepting is False:
        fact = rec.facts["accepting_applications"]
        rec.put("open_status", NOT_ACCEPTING, FactRecord(
            Status.REPORTED, fact.source_id, fact.as_of,
            "FREIDA: not accepting applications for the 2026-2027 cycle"))
        return
    figures = []
    if "positions" in rec.values:
        figures.append((_date(rec.facts["positions"].as_of), rec.values["positions"],
                        rec.facts["positions"]))
    if freida_positions is not None:
        figures.append((_date(rec.facts["freida_positions"].as_of), freida_positions,
                        rec.facts["freida_positions"]))
    if not figures:
        rec.put("open_status", OPEN, FactRecord(
            Status.ESTIMATED, SMARTPICK_LINK.source_id, FREIDA_IM_2025.as_of,
            "no source gives positions; assumed open"))
        return
    figures.sort(key=lambda f: f[0])
    _, value, source = figures[-1]
    others = [f"{v} (as of {f.as_of})" for _, v, f in figures[:-1] if v != value]
    said = "accepting applications; " if accepting else ""
    older = f" (older figures: {'; '.join(others)})" if others else ""
    if value == 0:
        rec.put("open_status", NO_POSITIONS, FactRecord(
            Status.DERIVED, source.source_id, source.as_of,
            f"the newest positions figure is 0{older}"))
        return
    rec.put("open_status", OPEN, FactRecord(
        Status.DERIVED, source.source_id, source.as_of,
        f"{said}{value} positions in the newest figure{older}"))


def _date(text: str) -> str:
    return text or "0000"
