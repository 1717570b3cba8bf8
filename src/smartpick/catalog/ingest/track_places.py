"""Cities for NRMP tracks no source places directly (outside Florida, not linked to a survey
program), from the clues the sources hold, first match wins:

1. the NRMP institution name names a city of its state after a hyphen
   ("U Alabama Med Ctr-Birmingham", "Kaiser Permanente-Woodland Hills-CA");
2. the institution's Internal Medicine program, linked by an institution rule, is in a city:
   its other tracks naming no site are there too;
3. the 2019 program list holds a program of the same specialty (ACGME specialty code = NRMP
   specialty code) in the state whose name the institution's words match (score at least
   ``NAME_FLOOR``, clearly ahead of the rest);
4. the CMS hospitals of the state whose names the institution's words match all sit in one
   city.

A city is kept only where the gazetteer (with the CMS hospital cities) knows it in the track's
state. Each city is ``derived`` with the clue in its method; ``location_source`` names it.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from smartpick.catalog.fields import Status
from smartpick.catalog.ingest import link
from smartpick.catalog.ingest.geo import HOSPITALS, Gazetteer
from smartpick.catalog.ingest.places import LOCATIONS_2019
from smartpick.catalog.ingest.records import FactRecord, ProgramRecord
from smartpick.catalog.ingest.sources import (
    CMS_HOSPITALS,
    FREIDA_IM_2025,
    MACTION_2019,
    NRMP_CODES,
)

NAME_FLOOR = 0.8
MARGIN = 0.1
INSTITUTION_RULES = (link.INSTITUTION, link.INSTITUTION_UNIQUE, link.INSTITUTION_POSITIONS,
                     link.INSTITUTION_NAME, link.INSTITUTION_CITY)


def place_tracks(tracks: list[ProgramRecord], survey: list[ProgramRecord], raw: Path,
                 gazetteer: Gazetteer) -> dict[str, int]:
    """Give a city to tracks without one; returns how many each clue placed."""
    programs = {p.program_id: p for p in survey}
    home = _institution_homes(tracks, programs)
    listed = _read_2019(raw)
    hospitals = _read_hospitals(raw)
    counts: dict[str, int] = defaultdict(int)
    for track in tracks:
        v = track.values
        if v.get("city") or track.merged_into or not v.get("state"):
            continue
        state, institution = v["state"], v.get("institution_name") or ""
        title = track.notes.get("title", "")
        words = link.institution_words(institution, state) if institution else set()
        for clue, found in (
                ("name", _city_in_name(institution, state, gazetteer)),
                ("program", None if link.site_words(title) else home.get(v.get(
                    "institution_code", ""))),
                ("list_2019", _listed_city(words, state, v.get("specialty_code", ""), listed)),
                ("hospitals", _hospital_city(words, state, hospitals))):
            if found is None or gazetteer.city(found[0], state) is None:
                continue
            city, fact = found
            track.put("city", city, fact)
            counts[clue] += 1
            break
    return dict(counts)


def _city_in_name(institution: str, state: str,
                  gazetteer: Gazetteer) -> tuple[str, FactRecord] | None:
    base = re.sub(rf"-{state}$", "", institution.strip())
    for part in reversed(re.split(r"[-/]", base)[1:]):
        part = " ".join(part.split())
        if part and gazetteer.city(part, state) is not None:
            return part, FactRecord(Status.DERIVED, NRMP_CODES.source_id, NRMP_CODES.as_of,
                                    f"the city the NRMP institution name '{institution}' "
                                    f"names ({part}, {state} in the gazetteer)")
    return None


def _institution_homes(tracks: list[ProgramRecord],
                       programs: dict[str, ProgramRecord]) -> dict[str, tuple[str, FactRecord]]:
    """Institution code -> the city of its Internal Medicine program linked by an
    institution rule (one program only)."""
    found: dict[str, set[str]] = defaultdict(set)
    for t in tracks:
        if t.merged_into and t.values.get("link_rule") in INSTITUTION_RULES:
            found[t.values.get("institution_code", "")].add(t.merged_into)
    out = {}
    for code, pids in found.items():
        if len(pids) != 1:
            continue
        program = programs[next(iter(pids))]
        city = program.values.get("city")
        if city:
            out[code] = (city, FactRecord(
                Status.DERIVED, FREIDA_IM_2025.source_id, program.facts["city"].as_of,
                f"city of NRMP institution {code}'s Internal Medicine program "
                f"{program.program_id} ({program.values.get('name')}), linked by name"))
    return out


Named = tuple[str, set[str], str]  # a name, its distinctive words, its city
Listed = dict[tuple[str, str], list[Named]]  # (state, first 3 ACGME digits) -> rows
Hospitals = dict[str, list[Named]]  # state -> rows


def _read_named(path: Path, encoding: str, columns: tuple[str, str, str],
                key: Callable[[dict[str, str], str], Any],
                city_case: Callable[[str], str] = str.strip) -> dict[Any, list[Named]]:
    """Rows of a CSV of named places (none if the file is missing), grouped by ``key(row,
    state)``; ``columns`` names its state, name and city columns."""
    state_col, name_col, city_col = columns
    out: dict[Any, list[Named]] = defaultdict(list)
    if not path.is_file():
        return out
    with open(path, newline="", encoding=encoding) as handle:
        for row in csv.DictReader(handle):
            state = row[state_col].strip()
            out[key(row, state)].append((row[name_col].strip(), link.tokens(row[name_col], state),
                                         city_case(row[city_col].strip())))
    return out


def _read_2019(raw: Path) -> Listed:
    return _read_named(raw / LOCATIONS_2019, "utf-8", ("state", "program_name", "city"),
                       lambda row, state: (state, row["acgme_id"].strip()[:3]))


def _listed_city(words: set[str], state: str, specialty: str,
                 listed: Listed) -> tuple[str, FactRecord] | None:
    if not words:
        return None
    ranked = sorted(((link.program_score(words, name_words, set()), name, city)
                     for name, name_words, city in listed.get((state, specialty), [])),
                    reverse=True)
    if not ranked or ranked[0][0] < NAME_FLOOR:
        return None
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < MARGIN and ranked[1][2] != ranked[0][2]:
        return None
    value, name, city = ranked[0]
    return city, FactRecord(Status.DERIVED, MACTION_2019.source_id, MACTION_2019.as_of,
                            f"city of '{name}' in the 2019 program list (same specialty and "
                            f"state, name score {value:.2f})")


def _read_hospitals(raw: Path) -> Hospitals:
    return _read_named(raw / HOSPITALS, "utf-8-sig", ("State", "Facility Name", "City"),
                       lambda row, state: state, str.title)


def _hospital_city(words: set[str], state: str,
                   hospitals: Hospitals) -> tuple[str, FactRecord] | None:
    if len(words) < 2:  # one distinctive word names too many hospitals
        return None
    matches = [(name, city) for name, hospital_words, city in hospitals.get(state, [])
               if link.program_score(words, hospital_words, set()) >= NAME_FLOOR]
    cities = {city for _, city in matches}
    if len(cities) != 1:
        return None
    city = cities.pop()
    names = sorted(name for name, _ in matches)
    return city, FactRecord(Status.DERIVED, CMS_HOSPITALS.source_id, CMS_HOSPITALS.as_of,
                            f"city of the CMS hospital(s) whose name the institution's "
                            f"matches: {', '.join(names[:3])}")
