"""Run the whole ingest: read raw sources, link, geocode, write ``data/catalog/``."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartpick.catalog.fields import FIELDS, Status
from smartpick.catalog.ingest import (
    florida,
    freida,
    link,
    new_programs,
    nrmp,
    places,
    positions,
    track_places,
)
from smartpick.catalog.ingest.geo import Gazetteer
from smartpick.catalog.ingest.records import FactRecord, ProgramRecord
from smartpick.catalog.ingest.sources import (
    ALL_SOURCES,
    CMS_HOSPITALS,
    FLORIDA_2020_2026,
    GAZETTEER,
    NRMP_2024,
    SMARTPICK_LINK,
)
from smartpick.catalog.states import ACGME_STATE_CODES
from smartpick.errors import DataError

PROGRAM_COLUMNS = ["program_id", "kind", "merged_into", *(f.name for f in FIELDS)]
FACT_COLUMNS = ["program_id", "field", "status", "source_id", "as_of", "method_id", "conflict"]


@dataclass
class IngestResult:
    programs: list[ProgramRecord]
    history: list[florida.QuotaYear]
    report: link.LinkReport
    places: places.PlaceReport

    @property
    def links(self) -> list[link.Link]:
        return self.report.links


def ingest(raw: Path) -> IngestResult:
    """Read every raw source under ``raw`` and return the linked, geocoded catalog."""
    _check_raw(raw)
    tracks = nrmp.read_tracks(raw)
    specialty_of = {(t.values["specialty_code"], t.values["track"] == "P"): t.values["specialty"]
                    for t in tracks}
    tracks += _named_like_nrmp(florida.read_new_tracks(raw, {t.program_id for t in tracks},
                                                       specialty_of), tracks)
    survey = freida.read_programs(raw)
    history, fl_cities, fl_sponsors = florida.read_all(raw)
    _name_institutions(tracks, fl_sponsors, raw)
    _apply_florida_cities(tracks, fl_cities)
    code_states = acgme_state_codes(survey)
    report = link.link_tracks(survey, tracks, code_states)
    _apply_links(report, survey, tracks)
    positions.apply(survey, tracks, history)
    new = new_programs.read_programs(raw)
    new_programs.merge_listed(new, survey)
    positions.apply(new, [], [])
    gazetteer = Gazetteer.read(raw)
    gazetteer.add_hospital_cities(raw)
    place_report = places.check_places(survey, tracks, code_states, gazetteer,
                                       places.read_2019(raw))
    _follow_programs(survey, tracks)
    track_places.place_tracks(tracks, survey, raw, gazetteer)
    _geocode(survey + tracks + new, gazetteer)
    return IngestResult(programs=survey + tracks + new, history=history, report=report,
                        places=place_report)


def _named_like_nrmp(new: list[ProgramRecord],
                     tracks: list[ProgramRecord]) -> list[ProgramRecord]:
    """New Florida tracks of an institution the NRMP code lists name take that name (the
    Florida file names the sponsor per row, site included)."""
    names = {t.values["institution_code"]: (t.values["institution_name"],
                                            t.facts["institution_name"])
             for t in tracks if t.values.get("institution_name")}
    for rec in new:
        found = names.get(rec.program_id[:4])
        if found:
            rec.put("institution_name", found[0], found[1])
            rec.put("name", f"{found[0]}: {rec.notes['title']}", rec.facts["name"])
    return new


def _check_raw(raw: Path) -> None:
    needed = [nrmp.RESULTS, freida.SURVEY, florida.FLORIDA]
    missing = [str(p) for p in needed if not (raw / p).is_file()]
    if missing:
        raise DataError(f"raw folder {raw} lacks: {', '.join(missing)}")


def acgme_state_codes(survey: list[ProgramRecord]) -> dict[str, str]:
    """The state each two-digit state code of an ACGME id stands for (the shipped table;
    a code it lacks takes the state most survey programs with that code are in)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for rec in survey:
        state = rec.values.get("state")
        if state:
            votes[rec.program_id[3:5]][state] += 1
    found = {code: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
             for code, c in sorted(votes.items())}
    return {**found, **ACGME_STATE_CODES}


def _name_institutions(tracks: list[ProgramRecord], sponsors: dict[str, str],
                       raw: Path) -> None:
    """An institution code without a name takes the Florida file's sponsoring institution,
    else the header the NRMP report prints before its programs (``nrmp.read_report_names``)."""
    by_institution = {code[:4]: name for code, name in sorted(sponsors.items()) if name}
    florida = FactRecord(Status.REPORTED, FLORIDA_2020_2026.source_id, FLORIDA_2020_2026.as_of,
                         "sponsoring institution named in the Florida file for this code")
    unnamed: dict[str, str] = {}
    for track in tracks:
        code = track.program_id[:4]
        if not track.values.get("institution_name") and code not in by_institution:
            unnamed.setdefault(code, f"{track.program_id}{track.values.get('state', '')}")
    report, why = nrmp.read_report_names(raw, unnamed)
    for track in tracks:
        if track.values.get("institution_name"):
            continue
        if track.program_id[:4] in why:
            track.notes["unnamed_why"] = why[track.program_id[:4]]
        code = track.program_id[:4]
        name, fact = by_institution.get(code), florida
        if name is None and code in report:
            name, method = report[code]
            fact = FactRecord(Status.DERIVED, NRMP_2024.source_id, NRMP_2024.as_of, method)
        if name:
            track.put("institution_name", name, fact)
            title = track.notes.get("title", "")
            track.put("name", f"{name}: {title}", fact)


def _apply_links(report: link.LinkReport, survey: list[ProgramRecord],
                 tracks: list[ProgramRecord]) -> None:
    programs = {p.program_id: p for p in survey}
    by_code = {t.program_id: t for t in tracks}
    for track in tracks:
        track.notes["nrmp_state"] = track.values.get("state", "")
    for found in report.links:
        program, track = programs[found.acgme_id], by_code[found.track]
        fact = FactRecord(Status.DERIVED, SMARTPICK_LINK.source_id, NRMP_2024.as_of,
                          f"linked by rule '{found.rule}': {found.method}")
        track.merged_into = program.program_id
        track.put("link_rule", found.rule, fact)
        track.put("acgme_id", program.program_id, fact)
        site = FactRecord(Status.DERIVED, SMARTPICK_LINK.source_id,
                          program.facts["state"].as_of, "place of the linked survey program")
        for name in ("city", "state"):
            if program.values.get(name) and track.values.get(name) != program.values[name]:
                track.put(name, program.values[name], site)
    for item in report.unlinked:
        track = by_code[item.track]
        track.put("link_rule", f"unlinked:{item.reason}", FactRecord(
            Status.DERIVED, SMARTPICK_LINK.source_id, NRMP_2024.as_of, item.detail))
    for pid, codes in report.programs().items():
        program = programs[pid]
        linked = [by_code[c] for c in codes]
        fact = FactRecord(Status.DERIVED, SMARTPICK_LINK.source_id, NRMP_2024.as_of,
                          "NRMP tracks linked to this program: " + ", ".join(
                              f"{t.program_id} ({t.values.get('link_rule')})" for t in linked))
        program.put("nrmp_codes", " ".join(codes), fact)
        program.put("tracks", len(codes), fact)
        institutions = sorted({t.values.get("institution_code", "") for t in linked})
        program.put("institution_code", " ".join(institutions), fact)
        names = sorted({t.values["institution_name"] for t in linked
                        if t.values.get("institution_name")})
        if names:
            program.put("institution_name", "; ".join(names), fact)
        _sum_counts(program, linked, fact)


def _follow_programs(survey: list[ProgramRecord], tracks: list[ProgramRecord]) -> None:
    """Linked tracks take their program's place once places are checked."""
    programs = {p.program_id: p for p in survey}
    for track in tracks:
        program = programs.get(track.merged_into)
        if program is None:
            continue
        for name in ("city", "state"):
            value = program.values.get(name)
            if value is None:
                track.values.pop(name, None)
                track.facts.pop(name, None)
            elif track.values.get(name) != value:
                fact = program.facts[name]
                track.put(name, value, FactRecord(fact.status, fact.source_id, fact.as_of,
                                                  "place of the linked survey program"))


def _sum_counts(program: ProgramRecord, linked: list[ProgramRecord], fact: FactRecord) -> None:
    """The program's Main Match counts: its categorical and primary tracks (preliminary and
    advanced tracks are listed with the program but fill other specialties' first year)."""
    counted = [t for t in linked if t.values.get("track") in positions.COUNTED_TRACKS]
    if not counted:
        return
    quota = sum(t.values.get("nrmp_quota_2024", 0) for t in counted)
    matched = sum(t.values.get("nrmp_matched_2024", 0) for t in counted)
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
        _put_location_source(rec, method if point is not None else "no coordinates")


def _put_location_source(rec: ProgramRecord, coordinates: str) -> None:
    state = rec.facts.get("state")
    city = rec.facts.get("city")
    parts = [f"state: {_said_by(state)}" if state else "state unknown"]
    if city:
        parts.append(f"city: {_said_by(city)}")
    else:
        parts.append("no city" + (f" ({rec.notes['city_dropped']})"
                                   if rec.notes.get("city_dropped") else ""))
    parts.append(f"coordinates: {coordinates}")
    base = state or city
    assert base is not None
    rec.put("location_source", "; ".join(parts),
            FactRecord(Status.DERIVED, base.source_id, base.as_of, "where the place comes from"))


def _said_by(fact: FactRecord) -> str:
    text = fact.source_id
    if fact.method:
        text += f" ({fact.method})"
    return text


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
    return [program_id, name, fact.status.value, fact.source_id, fact.as_of, method_id or "",
            fact.conflict]


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
