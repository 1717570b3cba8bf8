"""Florida NRMP quotas and matches, 2020-2026: history per program code, and cities."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

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
