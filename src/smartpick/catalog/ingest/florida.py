"""Florida NRMP quotas and matches, 2020-2026: history per program code, and cities; tracks
the NRMP 2024 report does not hold but the Florida file's 2026 Match does (new tracks)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from smartpick.catalog import specialties
from smartpick.catalog.fields import Status
from smartpick.catalog.ingest.records import FactRecord, ProgramRecord
from smartpick.catalog.ingest.sources import FLORIDA_2020_2026

FLORIDA = Path("nrmp_florida_2020_2026/NRMP_2020_2026_Main_and_Specialty.csv")
YEARS = tuple(range(2020, 2027))


@dataclass(frozen=True)
class QuotaYear:
    program_code: str
    year: int
    quota: int
    matched: int


def read_history(raw: Path) -> tuple[list[QuotaYear], dict[str, str]]:
    """Main Match rows only: yearly quota/matched (zero rows = did not take part), and cities."""
    history, cities, _ = read_all(raw)
    return history, cities


def read_all(raw: Path) -> tuple[list[QuotaYear], dict[str, str], dict[str, str]]:
    """Main Match rows: yearly quotas, cities and sponsoring institutions per program code."""
    history: list[QuotaYear] = []
    cities: dict[str, str] = {}
    sponsors: dict[str, str] = {}
    with open(raw / FLORIDA, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["Table"].strip() != "Main":
                continue
            code = row["Program Code"].strip()
            cities[code] = row["City Cleaned"].strip()
            sponsors[code] = row["Sponsoring Institution Cleaned"].strip()
            history.extend(_years(code, row))
    history.sort(key=lambda q: (q.program_code, q.year))
    return history, cities, sponsors


def _years(code: str, row: dict[str, str]) -> list[QuotaYear]:
    out = []
    for year in YEARS:
        quota, matched = row.get(f"{year} Quota", ""), row.get(f"{year} Matched", "")
        if quota.strip() and matched.strip() and int(quota) > 0:
            out.append(QuotaYear(code, year, int(quota), int(matched)))
    return out


NEWEST_YEAR = YEARS[-1]
PGY2_TRACKS = ("A", "R")


def read_new_tracks(raw: Path, known: set[str],
                    specialty_of: dict[tuple[str, bool], str]) -> list[ProgramRecord]:
    """Main Match tracks with a quota in the file's newest year (2026) whose code ``known``
    (the NRMP 2024 tracks) lacks: one record each, sorted by code. ``specialty_of`` maps
    (NRMP specialty code, preliminary track) to the specialty NRMP 2024 names for it."""
    out = []
    with open(raw / FLORIDA, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            code = row["Program Code"].strip()
            quota = row.get(f"{NEWEST_YEAR} Quota", "").strip()
            if row["Table"].strip() != "Main" or code in known or not quota or int(quota) <= 0:
                continue
            out.append(_new_track(code, row, specialty_of))
    return sorted(out, key=lambda r: r.program_id)


def _new_track(code: str, row: dict[str, str],
               specialty_of: dict[tuple[str, bool], str]) -> ProgramRecord:
    rec = ProgramRecord(program_id=code, kind="nrmp_track")
    as_of = f"{NEWEST_YEAR}-03"
    rep = FactRecord(Status.REPORTED, FLORIDA_2020_2026.source_id, as_of)
    from_code = FactRecord(Status.DERIVED, FLORIDA_2020_2026.source_id, as_of,
                           "read from the NRMP program code")
    sponsor = row["Sponsoring Institution Cleaned"].strip()
    title = row["Specialty"].strip()
    kind = code[7]
    specialty = specialty_of.get((code[4:7], kind == "P")) or specialties.normalise(
        row["Specialty Cleaned"].strip())
    specialties.register(specialty)
    rec.put("name", f"{sponsor}: {title}", rep)
    rec.put("specialty", specialty, from_code if (code[4:7], kind == "P") in specialty_of
            else rep)
    rec.put("specialty_code", code[4:7], from_code)
    rec.put("track", kind, from_code)
    rec.put("pgy_level", "PGY2" if kind in PGY2_TRACKS else "PGY1", from_code)
    rec.put("nrmp_codes", code, rep)
    rec.put("institution_code", code[:4], from_code)
    rec.put("institution_name", sponsor, rep)
    rec.put("state", "FL", FactRecord(Status.REPORTED, FLORIDA_2020_2026.source_id, as_of,
                                      "a Florida program (the file holds Florida only)"))
    rec.put("city", row["City Cleaned"].strip(), rep)
    rec.put("positions", int(row[f"{NEWEST_YEAR} Quota"]), rep)
    rec.notes["title"] = title
    rec.notes["new_in_florida"] = True
    return rec
