"""Cross-check where each survey program is: its state against the other sources, its city
against the gazetteer of that state.

Independent witnesses of a program's state: the survey (FREIDA), the state code inside the
ACGME id, the state the NRMP report lists its linked institution under (institution links
only: a multi-site sponsor lists every site under its home state), the 2019 program list
(same ACGME id), and the gazetteer when it knows the program's city in that state. Where two
witnesses agree on a state the survey does not give, the state is corrected (``derived``, the
survey's value kept as the conflict); where they disagree otherwise, the survey's state stays
and the fact shows the conflict. A city the gazetteer does not know in the final state is kept
but flagged; a city named in the program's name that exists in one other state only (with
hospitals there, CMS list) is flagged.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from smartpick.catalog.fields import Status
from smartpick.catalog.ingest.geo import Gazetteer
from smartpick.catalog.ingest.records import FactRecord, ProgramRecord
from smartpick.catalog.ingest.sources import MACTION_2019, SMARTPICK_LINK
from smartpick.catalog.states import STATE_NAMES

LOCATIONS_2019 = Path("programdb_maction_2019/program_locations.csv")
INSTITUTION_RULES = ("institution", "institution_unique", "institution_positions")
NAME_CITY_MIN_LETTERS = 8


@dataclass
class PlaceReport:
    corrected: list[str] = field(default_factory=list)  # "id: what changed"
    flagged: list[str] = field(default_factory=list)  # "id: what disagrees"


def read_2019(raw: Path) -> dict[str, tuple[str, str]]:
    """ACGME id -> (city, state) from the 2019 program list (absent file: none)."""
    path = raw / LOCATIONS_2019
    if not path.is_file():
        return {}
    with open(path, newline="", encoding="utf-8") as handle:
        return {r["acgme_id"].strip(): (r["city"].strip(), r["state"].strip())
                for r in csv.DictReader(handle) if r["acgme_id"].strip()}


def check_places(survey: list[ProgramRecord], tracks: list[ProgramRecord],
                 code_states: dict[str, str], gazetteer: Gazetteer,
                 listed_2019: dict[str, tuple[str, str]]) -> PlaceReport:
    report = PlaceReport()
    nrmp_states: dict[str, Counter[str]] = defaultdict(Counter)
    for t in tracks:
        if t.merged_into and t.values.get("link_rule") in INSTITUTION_RULES:
            nrmp_states[t.merged_into][t.notes.get("nrmp_state", "")] += 1
    for program in survey:
        _check(program, code_states.get(program.program_id[3:5], ""),
               nrmp_states.get(program.program_id), listed_2019.get(program.program_id),
               gazetteer, report)
    return report


def _check(program: ProgramRecord, code_state: str, nrmp: Counter[str] | None,
           listed: tuple[str, str] | None, gazetteer: Gazetteer, report: PlaceReport) -> None:
    state, city = program.values.get("state", ""), program.values.get("city", "")
    witnesses: dict[str, str] = {}
    if code_state:
        witnesses["ACGME id state code"] = code_state
    if nrmp:
        witnesses["NRMP 2024 institution state"] = nrmp.most_common(1)[0][0]
    if listed and listed[1]:
        witnesses["2019 program list"] = listed[1]
    disagree = {k: v for k, v in witnesses.items() if v and v != state}
    if disagree:
        _settle(program, state, city, witnesses, disagree, listed, gazetteer, report)
    _check_city(program, gazetteer, report)


def _settle(program: ProgramRecord, state: str, city: str, witnesses: dict[str, str],
            disagree: dict[str, str], listed: tuple[str, str] | None, gazetteer: Gazetteer,
            report: PlaceReport) -> None:
    votes: dict[str, list[str]] = defaultdict(list)
    for name, value in witnesses.items():
        votes[value].append(name)
    for value in list(votes):
        if city and gazetteer.city(city, value) is not None:
            votes[value].append(f"gazetteer ({city} is in {value})")
    if city and gazetteer.city(city, state) is not None:
        votes[state].append(f"gazetteer ({city} is in {state})")
    old = program.facts["state"]
    others = "; ".join(f"{k}: {v}" for k, v in sorted(disagree.items()))
    best = max((v for v in votes if v != state), key=lambda v: (len(votes[v]), v))
    if len(votes[best]) >= 2 and len(votes[best]) > len(votes[state]):
        method = (f"corrected: {' and '.join(votes[best])} agree on {best}; "
                  f"the survey gives {state}")
        program.put("state", best, FactRecord(Status.DERIVED, SMARTPICK_LINK.source_id,
                                              old.as_of, method, f"FREIDA: {state}"))
        report.corrected.append(f"{program.program_id} {program.values.get('name')}: state "
                                f"{state} -> {best} ({' and '.join(votes[best])})")
        _fix_city(program, city, best, listed, gazetteer, report)
        return
    _flag(program, "state", others)
    report.flagged.append(f"{program.program_id} {program.values.get('name')}: state {state} "
                          f"kept, but {others}")


def _fix_city(program: ProgramRecord, city: str, state: str, listed: tuple[str, str] | None,
              gazetteer: Gazetteer, report: PlaceReport) -> None:
    if not city or gazetteer.city(city, state) is not None:
        return
    old = program.facts["city"]
    if listed and listed[1] == state and listed[0] and gazetteer.city(listed[0], state):
        program.put("city", listed[0], FactRecord(
            Status.DERIVED, MACTION_2019.source_id, MACTION_2019.as_of,
            "city of the 2019 program list (the survey's city is not in the corrected state)",
            f"FREIDA: {city}"))
        report.corrected.append(f"{program.program_id}: city {city} -> {listed[0]}")
        return
    del program.values["city"], program.facts["city"]
    program.notes["city_dropped"] = f"the survey's city {city} is not in {state} ({old.source_id})"
    report.corrected.append(f"{program.program_id}: city {city} dropped (not in {state})")


def _check_city(program: ProgramRecord, gazetteer: Gazetteer, report: PlaceReport) -> None:
    state, city = program.values.get("state", ""), program.values.get("city", "")
    if city and gazetteer.city(city, state) is None:
        _flag(program, "city", f"gazetteer: no {city} in {state}")
        report.flagged.append(f"{program.program_id} {program.values.get('name')}: city "
                              f"{city} not in the gazetteer for {state}")
    named = _city_in_name(program.values.get("name", ""), gazetteer)
    if named and named[1] != state and named[0] != _plain(city):
        _flag(program, "state", f"the name names {named[0].title()} ({named[1]})")
        report.flagged.append(f"{program.program_id} {program.values.get('name')}: in "
                              f"{city}, {state}, but its name names {named[0].title()} "
                              f"({named[1]})")


def _city_in_name(name: str, gazetteer: Gazetteer) -> tuple[str, str] | None:
    """A long word of the name that is a city of exactly one state, with hospitals there, and
    no state's name."""
    states = {s.lower() for s in STATE_NAMES.values()}
    for word in re.findall(r"[A-Za-z]+", name):
        low = word.lower()
        if len(low) < NAME_CITY_MIN_LETTERS or low in states:
            continue
        where = gazetteer.states_of(low)
        if len(where) == 1 and where == gazetteer.hospital_states_of(low):
            return low, where[0]
    return None


def _flag(program: ProgramRecord, name: str, text: str) -> None:
    """Record a disagreement on one field (facts may be shared between fields: copy)."""
    fact = program.facts[name]
    program.facts[name] = replace(fact, conflict=_join(fact.conflict, text))


def _plain(text: str) -> str:
    return " ".join(text.lower().split())


def _join(first: str, second: str) -> str:
    return "; ".join(x for x in (first, second) if x)
