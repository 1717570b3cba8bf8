"""A small market written by hand (YAML or JSON), read into an :class:`ExtendedMarket`.

The file names programs (positions, rank list of applicant ids, ``advanced: true`` for a
PGY-2 track), single applicants (rank list of program ids, optional supplemental list of
PGY-1 programs) and couples (two members and one joint list of pairs, ``null`` = no
position for that partner); docs/market.md has a worked example. Bad input raises
:class:`~smartpick.errors.InputError` with one :class:`~smartpick.errors.ValidationProblem`
per problem, each naming the field (``applicants.eli.ranks[1]``) and, for YAML, the line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from smartpick.applicant.load import field_path
from smartpick.documents import Loc, parse_text, read_text
from smartpick.errors import InputError, NotFoundError, ValidationProblem
from smartpick.market.extended import ExtendedMarket, Pair

MAX_MARKET_BYTES = 1_000_000
MAX_POSITIONS = 100_000
JSON_SUFFIXES = (".json",)
YAML_SUFFIXES = (".yaml", ".yml")

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class _Model(BaseModel):
    # ids written as numbers (a program code such as 1234) are read as text
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class ProgramSpec(_Model):
    """One program: its positions and the applicants it ranks, best first."""

    positions: int = Field(ge=0, le=MAX_POSITIONS)
    advanced: bool = False  # a PGY-2 track (its matchers' PGY-1 comes from a supplemental list)
    ranks: list[Id] = []


class ApplicantSpec(_Model):
    """One single applicant: the programs it ranks, best first."""

    ranks: list[Id] = []
    supplemental: list[Id] = []  # PGY-1 programs, used while an advanced track is held


class CoupleSpec(_Model):
    """Two applicants who rank pairs of programs together."""

    members: tuple[Id, Id]
    ranks: list[tuple[Id | None, Id | None]] = []


class MarketFile(_Model):
    """The whole file."""

    programs: dict[Id, ProgramSpec]
    applicants: dict[Id, ApplicantSpec] = {}
    couples: list[CoupleSpec] = []

    def to_market(self) -> ExtendedMarket:
        couples: dict[tuple[str, str], list[Pair]] = {
            c.members: list(c.ranks) for c in self.couples
        }
        return ExtendedMarket(
            capacities={p: spec.positions for p, spec in self.programs.items()},
            program_prefs={p: spec.ranks for p, spec in self.programs.items()},
            singles={a: spec.ranks for a, spec in self.applicants.items()},
            supplemental={a: s.supplemental for a, s in self.applicants.items() if s.supplemental},
            advanced=frozenset(p for p, spec in self.programs.items() if spec.advanced),
            couples=couples,
        )


def load_market(path: str | Path) -> ExtendedMarket:
    """The market in ``path``: JSON for ``.json`` (or text starting with ``{``), else YAML."""
    file = Path(path)
    if not file.is_file():
        raise NotFoundError(f"market file not found: {file}",
                            [ValidationProblem("MARKET_FILE", f"no such file: {file}")])
    data, lines = _read(file)
    return parse_market(data, str(file), lines).to_market()


def parse_market(data: Any, location: str = "", lines: dict[Loc, int] | None = None
                 ) -> MarketFile:
    """Validate parsed data (a mapping) as a market; every problem is reported at once."""
    where = _Where(location, lines or {})
    if not isinstance(data, dict):
        raise InputError("invalid market", [where.problem(
            (), "(market)", "expected a mapping with programs, applicants and couples")])
    try:
        market = MarketFile.model_validate(data)
    except ValidationError as err:
        problems = [where.problem(tuple(e["loc"]), field_path(tuple(e["loc"])), _message(e))
                    for e in err.errors()]
        raise InputError(_count("invalid market", problems), problems) from None
    problems = [where.problem(loc, field_path(loc), message)
                for loc, message in cross_checks(market)]
    if problems:
        raise InputError(_count("invalid market", problems), problems)
    return market


def cross_checks(market: MarketFile) -> list[tuple[Loc, str]]:
    """Problems between entries: unknown or repeated ids, couples, supplemental lists."""
    programs = set(market.programs)
    members = [m for c in market.couples for m in c.members]
    people = set(market.applicants) | set(members)
    found = _people_problems(market)
    if not people:
        found.append((("applicants",), "the market has no applicants: list them under "
                      "applicants (singles) or couples"))
    for p, spec in market.programs.items():
        found += _list_problems(("programs", p, "ranks"), spec.ranks, people, "applicant")
    for a, single in market.applicants.items():
        found += _list_problems(("applicants", a, "ranks"), single.ranks, programs, "program")
        found += _supplemental_problems(market, a, single)
    for i, couple in enumerate(market.couples):
        found += _pair_problems(("couples", i, "ranks"), couple.ranks, programs)
    return found


def _people_problems(market: MarketFile) -> list[tuple[Loc, str]]:
    found: list[tuple[Loc, str]] = []
    first: dict[str, int] = {}
    for i, couple in enumerate(market.couples):
        loc: Loc = ("couples", i, "members")
        a, b = couple.members
        if a == b:
            found.append((loc, f"the two members are the same applicant {a!r}"))
        for m in dict.fromkeys(couple.members):
            if m in market.applicants:
                found.append((loc, f"{m!r} is also listed under applicants: a member of a "
                              "couple ranks only through the couple's joint list"))
            elif m in first:
                found.append((loc, f"{m!r} is already a member of couples[{first[m]}]"))
            first.setdefault(m, i)
    return found


def _list_problems(loc: Loc, ranked: Sequence[str], known: set[str], kind: str
                   ) -> list[tuple[Loc, str]]:
    found: list[tuple[Loc, str]] = []
    seen: dict[str, int] = {}
    for k, item in enumerate(ranked):
        if item not in known:
            found.append(((*loc, k), f"unknown {kind} {item!r}{_did_you_mean(item, known)}"))
        elif item in seen:
            found.append(((*loc, k), f"{item!r} is ranked twice (also at [{seen[item]}])"))
        seen.setdefault(item, k)
    return found


def _supplemental_problems(market: MarketFile, a: str, single: ApplicantSpec
                           ) -> list[tuple[Loc, str]]:
    loc: Loc = ("applicants", a, "supplemental")
    found = _list_problems(loc, single.supplemental, set(market.programs), "program")
    advanced = {p for p, spec in market.programs.items() if spec.advanced}
    for k, p in enumerate(single.supplemental):
        if p in advanced:
            found.append(((*loc, k), f"{p!r} is an advanced (PGY-2) track; a supplemental "
                          "list holds PGY-1 programs"))
    if single.supplemental and not advanced & set(single.ranks):
        found.append((loc, f"{a!r} ranks no advanced track, so this list would never be "
                      "used (mark PGY-2 programs with `advanced: true`)"))
    return found


def _pair_problems(loc: Loc, pairs: Sequence[Pair], programs: set[str]
                   ) -> list[tuple[Loc, str]]:
    found: list[tuple[Loc, str]] = []
    seen: dict[Pair, int] = {}
    for k, pair in enumerate(pairs):
        for side, p in enumerate(pair):
            if p is not None and p not in programs:
                found.append(((*loc, k, side),
                              f"unknown program {p!r}{_did_you_mean(p, programs)}"))
        if pair == (None, None):
            found.append(((*loc, k), "a pair with no position for either partner: leave it "
                          "out (unranked means unmatched)"))
        elif pair in seen:
            found.append(((*loc, k), f"the pair {_written(pair)} is ranked twice "
                          f"(also at [{seen[pair]}])"))
        seen.setdefault(pair, k)
    return found


def _written(pair: Pair) -> str:
    return "[" + ", ".join(p if p is not None else "null" for p in pair) + "]"


def _did_you_mean(item: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(item, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _count(what: str, problems: list[ValidationProblem]) -> str:
    n = len(problems)
    return f"{what} ({n} problem{'s' if n != 1 else ''})"


def _message(error: Any) -> str:
    kind = error["type"]
    loc = tuple(error["loc"])
    if kind == "extra_forbidden":
        return "unknown field" + _allowed(loc)
    if kind == "missing" and isinstance(loc[-1], int):
        return PAIR
    if kind == "missing":
        return "required field is missing"
    if kind in ("greater_than_equal", "less_than_equal") and loc[-1] == "positions":
        return f"positions must be between 0 and {MAX_POSITIONS:,} (got {error['input']!r})"
    if kind in ("too_short", "too_long") and loc[-1] == "members":
        return "a couple has exactly two members"
    if kind in ("too_short", "too_long", "tuple_type") and isinstance(loc[-1], int):
        return PAIR
    if kind == "string_too_short":
        return "an id cannot be empty"
    if kind in TYPE_MESSAGES:
        return TYPE_MESSAGES[kind]
    return str(error["msg"]).removeprefix("Value error, ")


FIELDS: dict[str, type[BaseModel]] = {
    "": MarketFile, "programs": ProgramSpec, "applicants": ApplicantSpec, "couples": CoupleSpec,
}


PAIR = "a pair is [program of the first member, program of the second] (null = none)"
TYPE_MESSAGES = {
    "dict_type": "expected a mapping (id: {...})",
    "list_type": "expected a list ([...])",
    "string_type": "expected an id (text)",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "model_type": "expected a mapping of fields",
}


def _allowed(loc: Loc) -> str:
    model = FIELDS["" if len(loc) == 1 else str(loc[0])]
    name = str(loc[-1])
    close = difflib.get_close_matches(name, list(model.model_fields), n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; allowed: {', '.join(model.model_fields)}"


class _Where:
    """Problems located in the file: ``file:line`` where the line of a field is known."""

    def __init__(self, location: str, lines: dict[Loc, int]) -> None:
        self.location, self.lines = location, lines

    def problem(self, loc: Loc, field: str, message: str) -> ValidationProblem:
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                line = self.lines[loc[:end]]
                return ValidationProblem(field, message, f"{self.location}:{line}")
        return ValidationProblem(field, message, self.location)


# --- reading the file -------------------------------------------------------------------------


def _read(file: Path) -> tuple[Any, dict[Loc, int]]:
    """The parsed document and, for YAML, the line (1-based) of every field."""
    text = read_text(file, "the market file", MAX_MARKET_BYTES,
                     "a market file describes a small market by hand")
    if not text.strip() or (_is_yaml(file, text) and _only_comments(text)):
        raise InputError("the market file is empty", [ValidationProblem(
            "(file)", "expected programs, applicants and couples (see docs/market.md)",
            str(file))])
    return parse_text(file, text, "the market file", "a market", _is_yaml(file, text))


def _is_yaml(file: Path, text: str) -> bool:
    suffix = file.suffix.lower()
    if suffix in JSON_SUFFIXES or suffix in YAML_SUFFIXES:
        return suffix in YAML_SUFFIXES
    return not text.lstrip().startswith(("{", "["))


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())
