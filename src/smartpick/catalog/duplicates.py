"""Second listings: pairs of listed entries of one specialty that are likely one program.

The linker joins NRMP tracks to their program; this check looks at what stays listed and
flags pairs that still look like one program, so that a missed link shows up instead of
silently doubling an entry. Two survey programs are never a pair (each ACGME id is a program
of its own); a pair holds at least one NRMP track or new program, and is flagged when

- ``same_institution``: both belong to one NRMP institution code, unless one is a track
  naming a site the other does not name (another site of the sponsor), or
- ``same_name``: both are in one state, the distinctive words of the track's institution and
  site (or of the new program's name) are (nearly) all in the other's name or city, and
  their cities agree where both are known.

Pairs reviewed by hand are listed in ``data/reviews/distinct_programs.csv`` with a verdict
and the reason: ``distinct`` (different sites of one sponsor, say) or ``unresolved`` (likely
one program, but no source says which entry is which); they are reported apart.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from smartpick.catalog.ingest import link
from smartpick.catalog.program import Program
from smartpick.catalog.search import ProgramQuery
from smartpick.catalog.store import Catalog
from smartpick.errors import DataError

REVIEWED = Path("reviews") / "distinct_programs.csv"
REVIEW_COLUMNS = ("first_id", "second_id", "verdict", "reason")
VERDICTS = ("distinct", "unresolved")
NAME_FLOOR = 0.8  # program_score of one entry's words against the other's name and city
SAME_INSTITUTION, SAME_NAME = "same_institution", "same_name"


@dataclass(frozen=True)
class Entry:
    """What the check compares of one listed entry."""

    program_id: str
    kind: str
    name: str
    state: str
    city: str
    codes: frozenset[str]  # NRMP institution codes
    words: frozenset[str]  # distinctive words of the name (institution's, for a track)
    name_words: frozenset[str]  # distinctive words of the full name
    city_words: frozenset[str]
    site: frozenset[str] = frozenset()  # a track's site words (pathways left out)


@dataclass(frozen=True)
class DuplicatePair:
    first: str
    second: str
    clue: str  # SAME_INSTITUTION or SAME_NAME
    score: float
    detail: str

    @property
    def key(self) -> frozenset[str]:
        return frozenset((self.first, self.second))


@dataclass
class DuplicateReport:
    """Flagged pairs: those not reviewed (likely second listings) and those reviewed as
    distinct programs, with the reviewer's reason."""

    specialty: str
    entries: int
    found: list[DuplicatePair] = field(default_factory=list)
    reviewed: list[tuple[DuplicatePair, Review]] = field(default_factory=list)

    def count(self, verdict: str) -> int:
        return sum(1 for _, review in self.reviewed if review.verdict == verdict)


@dataclass(frozen=True)
class Review:
    verdict: str  # one of VERDICTS
    reason: str


def entry_of(program: Program) -> Entry:
    state = program["state"] or ""
    name = program["name"] or ""
    institution = program["institution_name"] or ""
    site: set[str] = set()
    if program.kind == "nrmp_track":
        own = link.institution_words(institution, state) if institution else set()
        title = name.split(": ", 1)[-1]
        site = link.site_words(title) - link.PATHWAY_WORDS - link.PARTNER_SPECIALTIES - own
        own |= link.site_words(title)  # a site named keeps one sponsor's sites apart
        name = f"{institution}: {title}" if institution else name
        full = own | link.tokens(title, state)
    else:
        own = link.tokens(name, state) | (link.tokens(institution, state) if institution
                                          and program.kind == "new_program" else set())
        full = own
    codes = frozenset((program["institution_code"] or "").split())
    return Entry(program.program_id, program.kind, program["name"] or "", state,
                 program["city"] or "", codes, frozenset(own), frozenset(full),
                 frozenset(link.tokens(program["city"] or "")), frozenset(site))


def find_duplicates(entries: Sequence[Entry]) -> list[DuplicatePair]:
    """Every flagged pair, each once, in id order."""
    by_state: dict[str, list[Entry]] = defaultdict(list)
    by_code: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_state[entry.state].append(entry)
        for code in entry.codes:
            by_code[code].append(entry)
    found: dict[frozenset[str], DuplicatePair] = {}
    for code, group in sorted(by_code.items()):
        for a, b in _pairs(group):
            if _other_site(a, b) or _other_site(b, a):
                continue
            found.setdefault(frozenset((a.program_id, b.program_id)), _pair(
                a, b, SAME_INSTITUTION, 1.0, f"both belong to NRMP institution {code}"))
    for group in by_state.values():
        for a, b in _pairs(group):
            key = frozenset((a.program_id, b.program_id))
            if key in found or (a.city and b.city and _city(a.city) != _city(b.city)):
                continue
            value = _name_match(a, b)
            if value >= NAME_FLOOR:
                where = a.city or b.city or a.state
                found[key] = _pair(a, b, SAME_NAME, round(value, 3),
                                   f"names match (score {value:.2f}) in {where}")
    return sorted(found.values(), key=lambda p: (p.first, p.second))


def _pairs(group: list[Entry]) -> Iterable[tuple[Entry, Entry]]:
    ordered = sorted(group, key=lambda e: e.program_id)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if a.program_id != b.program_id and not (
                    a.kind == "acgme_program" and b.kind == "acgme_program"):
                yield a, b


def _other_site(a: Entry, b: Entry) -> bool:
    """``a`` is a track naming a site that ``b`` does not name (in its name, city or own
    site): another site of the sponsor, which the linker keeps apart on purpose."""
    return bool(a.site) and not a.site & (b.name_words | b.city_words | b.site)


def _pair(a: Entry, b: Entry, clue: str, value: float, detail: str) -> DuplicatePair:
    return DuplicatePair(a.program_id, b.program_id, clue, value,
                         f"{a.program_id} '{a.name}' and {b.program_id} '{b.name}': {detail}")


def _name_match(a: Entry, b: Entry) -> float:
    """How well the words of the track or new program name the other entry (both ways
    between two tracks: neither may carry words the other lacks)."""
    if a.kind == "acgme_program":
        a, b = b, a
    forward = _name_score(a, b)
    return min(forward, _name_score(b, a)) if b.kind != "acgme_program" else forward


def _name_score(a: Entry, b: Entry) -> float:
    return link.program_score(set(a.words), set(b.name_words), set(b.city_words))


def _city(city: str) -> str:
    return " ".join(city.lower().replace(".", "").replace("saint ", "st ").split())


def read_reviewed(path: Path) -> dict[frozenset[str], Review]:
    """Reviewed pairs -> verdict and reason; an absent file holds none."""
    if not path.is_file():
        return {}
    out: dict[frozenset[str], Review] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != REVIEW_COLUMNS:
            raise DataError(f"{path}: the header must be {','.join(REVIEW_COLUMNS)}")
        for line, row in enumerate(reader, start=2):
            first, second, verdict, reason = (row[c].strip() for c in REVIEW_COLUMNS)
            if not first or not second or not reason or first == second:
                raise DataError(f"{path} line {line}: two different ids and a reason are "
                                "needed")
            if verdict not in VERDICTS:
                raise DataError(f"{path} line {line}: verdict {verdict!r} is not one of "
                                f"{', '.join(VERDICTS)}")
            out[frozenset((first, second))] = Review(verdict, reason)
    return out


def check(programs: Iterable[Program], specialty: str,
          reviewed: dict[frozenset[str], Review]) -> DuplicateReport:
    entries = [entry_of(p) for p in programs]
    report = DuplicateReport(specialty, len(entries))
    for pair in find_duplicates(entries):
        review = reviewed.get(pair.key)
        if review is None:
            report.found.append(pair)
        else:
            report.reviewed.append((pair, review))
    return report


def check_catalog(catalog: Catalog, specialty: str, data_dir: Path) -> DuplicateReport:
    """The check over a built catalog's listed entries of ``specialty``."""
    query = ProgramQuery(specialty=specialty).validated()
    return check(catalog.search(query), query.specialty or specialty,
                 read_reviewed(data_dir / REVIEWED))
