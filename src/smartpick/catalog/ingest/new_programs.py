"""Programs newly accredited in 2025-2026 (a hand-curated list): each enters the catalog as a
program of its own, since no survey or Match source lists them yet.

Ids are ``NEW-`` and the list's row id (the list gives no ACGME id). A city field holding a
state name ("Florida") is no city: such a program is placed by its state only.

A listed program the survey already holds (same state and city, the same name, and a survey
program whose first academic year is at most a year before the accreditation year) is that
survey program: it joins it (``merged_into``, ``link_rule`` ``listed_in_survey``) instead of
being listed twice.
"""

from __future__ import annotations

import csv
from pathlib import Path

from smartpick.catalog import specialties
from smartpick.catalog.fields import Status
from smartpick.catalog.ingest import link
from smartpick.catalog.ingest.records import FactRecord, ProgramRecord
from smartpick.catalog.ingest.sources import NEW_PROGRAMS, SMARTPICK_LINK
from smartpick.catalog.states import state_code

NEW = Path("new_programs_2025_2026/new_programs.csv")
TYPES = {"University": "university", "Community": "community"}


def read_programs(raw: Path) -> list[ProgramRecord]:
    """One record per listed program, sorted by id; an absent file gives none."""
    path = raw / NEW
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return sorted((_program(r) for r in rows), key=lambda p: p.program_id)


def _program(row: dict[str, str]) -> ProgramRecord:
    rec = ProgramRecord(program_id=f"NEW-{int(row['id']):04d}", kind="new_program")
    as_of = row["last_updated"][:10] or NEW_PROGRAMS.as_of
    rep = FactRecord(Status.REPORTED, NEW_PROGRAMS.source_id, as_of)
    specialty = specialties.normalise(row["specialty"])
    rec.put("name", row["program_name"].strip(), rep)
    rec.put("specialty", specialty, rep)
    rec.put("institution_name", row["institution"].strip(), rep)
    rec.put("state", row["state"].strip(), rep)
    city = row["city"].strip()
    if city and state_code(city) is None:
        rec.put("city", city, rep)
    rec.put("program_type", TYPES.get(row["program_type"].strip()), rep)
    rec.put("accreditation_status", row["accreditation_status"].strip(), rep)
    year = row["accreditation_date"][:4]
    if year.isdigit():
        rec.put("first_academic_year", int(year), FactRecord(
            Status.DERIVED, NEW_PROGRAMS.source_id, as_of,
            f"year of the accreditation date {row['accreditation_date']}"))
    rec.put("website", row.get("website", "").strip(), rep)
    return rec


LISTED_IN_SURVEY = "listed_in_survey"
SAME_NAME = 0.8


def merge_listed(new: list[ProgramRecord], survey: list[ProgramRecord]) -> None:
    """New programs the survey already lists join that survey program."""
    for rec in new:
        v = rec.values
        state, city = v.get("state", ""), _city(v.get("city", ""))
        year = v.get("first_academic_year")
        if not city or year is None:
            continue
        words = link.tokens(v.get("name", ""), state) | link.tokens(
            v.get("institution_name", ""), state)
        same = [p for p in survey if p.values.get("specialty") == v.get("specialty")
                and p.values.get("state") == state and _city(p.values.get("city", "")) == city
                and p.values.get("first_academic_year", 0) >= year - 1
                and link.program_score(words, link.tokens(p.values.get("name", ""), state),
                                       link.tokens(p.values.get("city", ""))) >= SAME_NAME]
        if len(same) != 1:
            continue
        program = same[0]
        rec.merged_into = program.program_id
        rec.put("link_rule", LISTED_IN_SURVEY, FactRecord(
            Status.DERIVED, SMARTPICK_LINK.source_id, rec.facts["name"].as_of,
            f"the survey lists this program as {program.program_id} "
            f"'{program.values.get('name')}' (same city and name, first academic year "
            f"{program.values.get('first_academic_year')})"))


def _city(text: str) -> str:
    return " ".join(text.lower().replace(".", "").split())
