"""Programs newly accredited in 2025-2026 (a hand-curated list): each enters the catalog as a
program of its own, since no survey or Match source lists them yet.

Ids are ``NEW-`` and the list's row id (the list gives no ACGME id). A city field holding a
state name ("Florida") is no city: such a program is placed by its state only.
"""

from __future__ import annotations

import csv
from pathlib import Path

from smartpick.catalog import specialties
from smartpick.catalog.fields import Status
from smartpick.catalog.ingest.records import FactRecord, ProgramRecord
from smartpick.catalog.ingest.sources import NEW_PROGRAMS
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
