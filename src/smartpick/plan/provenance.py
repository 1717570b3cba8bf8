"""How old a plan's facts are: per program, the oldest date among the facts that decided its
chance or its verdict, and for the plan the sources it rests on, each with its date.

The chance of a program rests on its IMG share, interviews per position, positions, fill rate,
visa sponsorship and state (the model's program inputs); its verdict on the requirement facts
its reasons name. Facts without a date count for the sources list but not for the oldest
date. The plan's own data (the model's calibration data, the season's ERAS fees and signal
counts) are listed as sources too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from smartpick.catalog.program import Program
from smartpick.plan.fees import FeeTable
from smartpick.plan.signals import SignalRule
from smartpick.rules.verdict import Outcome, Verdict

CHANCE_FIELDS: tuple[str, ...] = ("pct_img", "interviews_per_position", "positions",
                                  "fill_rate_2024", "visa_j1", "visa_h1b", "state")
MODEL_SOURCE = ("NRMP Charting Outcomes, non-US IMGs (model calibration)", "2026")
_CARRIED = re.compile(r"carried forward from (\d{4})")


@dataclass(frozen=True)
class SourceDate:
    """One source a plan rests on and how old its facts are (oldest used date)."""

    name: str
    as_of: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "as_of": self.as_of}

    @property
    def short(self) -> str:
        name = self.name.split(", ")[0].split(" (")[0].split(": ")[0]
        return f"{name} {self.as_of or 'undated'}"


PAGES = "Program web pages (requirement facts)"


@lru_cache(maxsize=4096)  # a plan names a few sources thousands of times
def source_name(source: str) -> str:
    """A fact's source without its address: 'FREIDA survey <https://...>' -> 'FREIDA survey';
    a program's own web page (a bare address) counts as one source, the program pages."""
    name = re.sub(r"\s*<[^>]*>", "", source).strip(" ;")
    return PAGES if name.startswith(("http://", "https://")) else name


def deciding_facts(program: Program, verdict: Verdict) -> list[tuple[str, str]]:
    """(source, as_of) of each known fact behind the program's chance and its verdict."""
    found = []
    for name in CHANCE_FIELDS:
        fact = program.fact(name)
        if fact.known and fact.source:
            found.append((fact.source, fact.as_of))
    for reason in verdict.reasons:
        if reason.outcome is not Outcome.NOT_APPLICABLE and reason.status != "unknown" \
                and reason.source:
            found.append((reason.source, reason.as_of))
    return found


def oldest(facts: Iterable[tuple[str, str]]) -> str | None:
    """The oldest date among ``facts`` (ISO dates and years compare as text)."""
    dates = [as_of for _, as_of in facts if as_of]
    return min(dates) if dates else None


def plan_sources(facts: Iterable[tuple[str, str]], fees: FeeTable,
                 rules: Iterable[SignalRule]) -> list[SourceDate]:
    """Every source behind the plan with its oldest used date, oldest first."""
    by_name: dict[str, str | None] = {}
    for source, as_of in facts:
        name = source_name(source)
        held = by_name.get(name)
        by_name[name] = min(d for d in (held, as_of or None) if d) if (held or as_of) else None
    out = [SourceDate(name, as_of) for name, as_of in by_name.items()]
    out.append(SourceDate(*MODEL_SOURCE))
    out.append(_fee_source(fees))
    out.extend(_signal_sources(rules))
    return sorted(out, key=lambda s: (s.as_of or "9999", s.name))


def _fee_source(fees: FeeTable) -> SourceDate:
    schedule = fees.schedule
    carried = _CARRIED.search(schedule.confidence)
    year = carried.group(1) if carried else str(schedule.first_season)
    return SourceDate(f"AAMC ERAS fees, ERAS {year}", year)


def _signal_sources(rules: Iterable[SignalRule]) -> list[SourceDate]:
    years = set()
    for rule in rules:
        if rule.rule_season is None:
            continue
        carried = _CARRIED.search(rule.note)
        years.add(carried.group(1) if carried else str(rule.rule_season))
    return [SourceDate(f"AAMC program signal counts, ERAS {y}", y) for y in sorted(years)]


def facts_line(sources: list[SourceDate]) -> str:
    """One line for a table or a page: 'Facts as of: NRMP 2024 ... (2024-03-15), ...'."""
    return "Facts as of: " + ", ".join(s.short for s in sources)
