"""Run the whole ingest: read raw sources, link, geocode, write ``data/catalog/``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartpick.catalog.fields import FIELDS, Status
from smartpick.catalog.ingest import florida, freida, link, nrmp
from smartpick.catalog.ingest.geo import Gazetteer
from smartpick.catalog.ingest.records import FactRecord, ProgramRecord
from smartpick.catalog.ingest.sources import (
    ALL_SOURCES,
    CMS_HOSPITALS,
    FLORIDA_2020_2026,
    GAZETTEER,
    SMARTPICK_LINK,
)
from smartpick.errors import DataError

PROGRAM_COLUMNS = ["program_id", "kind", "merged_into", *(f.name for f in FIELDS)]
FACT_COLUMNS = ["program_id", "field", "status", "source_id", "as_of", "method_id"]


@dataclass
class IngestResult:
    programs: list[ProgramRecord]
    history: list[florida.QuotaYear]
    links: list[link.Link]


def ingest(raw: Path) -> IngestResult:
    """Read every raw source under ``raw`` and return the linked, geocoded catalog."""
    _check_raw(raw)
    tracks = nrmp.read_tracks(raw)
    survey = freida.read_programs(raw)
    links = link.link_programs(survey, tracks)
    _apply_links(links, survey, tracks)
    history, fl_cities = florida.read_history(raw)
    _apply_florida_cities(tracks, fl_cities)
    gazetteer = Gazetteer.read(raw)
    gazetteer.add_hospital_cities(raw)
    _geocode(survey + tracks, gazetteer)
    return IngestResult(programs=survey + tracks, history=history, links=links)


def _check_raw(raw: Path) -> None:
    needed = [nrmp.RESULTS, freida.SURVEY, florida.FLORIDA]
    missing = [str(p) for p in needed if not (raw / p).is_file()]
    if missing:
        raise DataError(f"raw folder {raw} lacks: {', '.join(missing)}")


def _apply_links(links: list[link.Link], survey: list[ProgramRecord],
                 tracks: list[ProgramRecord]) -> None:
    programs = {p.program_id: p for p in survey}
    by_code = {t.program_id: t for t in tracks}
    for found in links:
        program = programs[found.acgme_id]
        linked = [by_code[c] for c in found.nrmp_codes]
        fact = FactRecord(Status.DERIVED, SMARTPICK_LINK.source_id, "", found.method)
        program.put("nrmp_codes", " ".join(found.nrmp_codes), fact)
        _sum_counts(program, linked, fact)
        for track in linked:
            track.merged_into = program.program_id
            track.put("acgme_id", program.program_id, fact)
            track.put("city", program.values.get("city"), fact)


def _sum_counts(program: ProgramRecord, linked: list[ProgramRecord], fact: FactRecord) -> None:
    quota = sum(t.values.get("nrmp_quota_2024", 0) for t in linked)
    matched = sum(t.values.get("nrmp_matched_2024", 0) for t in linked)
    program.put("nrmp_quota_2024", quota, fact)
    program.put("nrmp_matched_2024", matched, fact)
    if quota:
        program.put("fill_rate_2024", round(matched / quota, 4), fact)


def _apply_florida_cities(tracks: list[ProgramRecord], cities: dict[str, str]) -> None:
    fact = FactRecord(Status.REPORTED, FLORIDA_2020_2026.source_id, FLORIDA_2020_2026.as_of)
    for track in tracks:
        city = cities.get(track.program_id)
        if city and "city" not in track.values:
            track.put("city", city, fact)


def _geocode(records: list[ProgramRecord], gazetteer: Gazetteer) -> None:
    for rec in records:
        state = rec.values.get("state", "")
        city = rec.values.get("city", "")
        point = gazetteer.city(city, state)
        method, status, source = "city centroid", Status.DERIVED, GAZETTEER
        if point is not None and gazetteer.city_is_from_hospitals(city, state):
            method, source = "mean ZIP centroid of the city's CMS hospitals", CMS_HOSPITALS
        if point is None:
            point = gazetteer.state(state)
            method = "state centroid (mean of the state's gazetteer cities): city unknown"
            status = Status.ESTIMATED
        if point is not None:
            fact = FactRecord(status, source.source_id, source.as_of, method)
            rec.put("latitude", point[0], fact)
            rec.put("longitude", point[1], fact)


def write_outputs(result: IngestResult, out: Path) -> dict[str, int]:
    """Write the catalog files deterministically; return row counts per file."""
    out.mkdir(parents=True, exist_ok=True)
    programs = sorted(result.programs, key=lambda p: p.program_id)
    _write(out / "programs.csv", PROGRAM_COLUMNS, [_program_row(p) for p in programs])
    methods: dict[str, int] = {"": 0}
    facts = [_fact_row(p.program_id, name, f, methods) for p in programs for name, f in
             sorted(p.facts.items())]
    _write(out / "facts.csv", FACT_COLUMNS, facts)
    _write(out / "methods.csv", ["method_id", "method"],
           [[i, text] for text, i in methods.items() if i])
    history = [[q.program_code, q.year, q.quota, q.matched, FLORIDA_2020_2026.source_id]
               for q in result.history]
    _write(out / "quota_history.csv", ["program_code", "year", "quota", "matched", "source_id"],
           history)
    sources = [[s.source_id, s.title, s.url, s.as_of, s.licence] for s in ALL_SOURCES]
    _write(out / "sources.csv", ["source_id", "title", "url", "as_of", "licence"], sources)
    return {"programs": len(programs), "facts": len(facts), "quota_history": len(history)}


def _program_row(rec: ProgramRecord) -> list[str]:
    return [rec.program_id, rec.kind, rec.merged_into,
            *(format_value(rec.values.get(f.name)) for f in FIELDS)]


def _fact_row(program_id: str, name: str, fact: FactRecord,
              methods: dict[str, int]) -> list[Any]:
    method_id = methods.setdefault(fact.method, len(methods))
    return [program_id, name, fact.status.value, fact.source_id, fact.as_of, method_id or ""]


def format_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
