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
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from smartpick.applicant.load import field_path
from smartpick.errors import InputError, NotFoundError, ValidationProblem
from smartpick.market.extended import ExtendedMarket, Pair

MAX_MARKET_BYTES = 1_000_000
MAX_POSITIONS = 100_000
JSON_SUFFIXES = (".json",)
YAML_SUFFIXES = (".yaml", ".yml")

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Loc = tuple[int | str, ...]


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


class _Loader(yaml.SafeLoader):
    """Safe YAML that refuses a key written twice in one mapping (plain YAML keeps the last
    silently) and leaves dates as text (an id such as 2025-01-01 stays an id)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        first: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            if key in first:
                line = first[key].start_mark.line + 1
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key!r} is written twice in one mapping (first on line "
                    f"{line})", key_node.start_mark)
            first[key] = key_node
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read(file: Path) -> tuple[Any, dict[Loc, int]]:
    """The parsed document and, for YAML, the line (1-based) of every field."""
    text = _text(file)
    if not text.strip() or (_is_yaml(file, text) and _only_comments(text)):
        raise InputError("the market file is empty", [ValidationProblem(
            "(file)", "expected programs, applicants and couples (see docs/market.md)",
            str(file))])
    try:
        if _is_yaml(file, text):
            return _parse_yaml(text)
        return json.loads(text, object_pairs_hook=_no_repeated_keys), {}
    except RecursionError:
        raise InputError("the market file is nested too deeply", [ValidationProblem(
            "(file)", "a market is a few levels deep at most", str(file))]) from None
    except _RepeatedKey as err:
        raise InputError("the market file is not valid JSON", [ValidationProblem(
            "(file)", str(err), str(file))]) from None
    except json.JSONDecodeError as err:
        raise InputError("the market file is not valid JSON", [ValidationProblem(
            "(file)", f"{err.msg} (column {err.colno})", f"{file}:{err.lineno}")]) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{file}:{mark.line + 1}" if mark is not None else str(file)
        reason = getattr(err, "problem", None) or str(err)
        raise InputError("the market file is not valid YAML",
                         [ValidationProblem("(file)", str(reason), where)]) from None


def _text(file: Path) -> str:
    try:
        if file.stat().st_size > MAX_MARKET_BYTES:
            raise InputError("the market file is too large", [ValidationProblem(
                "(file)", f"at most {MAX_MARKET_BYTES:,} bytes; a market file describes a "
                "small market by hand", str(file))])
        return file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError("the market file is not a text file", [ValidationProblem(
            "(file)", f"not UTF-8 text (byte {err.start}); save it as UTF-8 YAML or JSON",
            str(file))]) from None
    except OSError as err:
        raise InputError("cannot read the market file", [ValidationProblem(
            "(file)", err.strerror or str(err), str(file))]) from None


def _is_yaml(file: Path, text: str) -> bool:
    suffix = file.suffix.lower()
    if suffix in JSON_SUFFIXES or suffix in YAML_SUFFIXES:
        return suffix in YAML_SUFFIXES
    return not text.lstrip().startswith(("{", "["))


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def _parse_yaml(text: str) -> tuple[Any, dict[Loc, int]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    if node is not None:
        _lines(node, (), lines)
    return data, lines


def _lines(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                lines[(*loc, key.value)] = key.start_mark.line + 1
                _lines(value, (*loc, key.value), lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, (*loc, i), lines)


class _RepeatedKey(ValueError):
    pass


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _RepeatedKey(f"{key!r} is written twice in one object")
        found[key] = value
    return found
