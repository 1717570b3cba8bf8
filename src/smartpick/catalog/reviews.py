"""Advisors' decisions on requirement facts: the review trail in ``data/reviews/reviews.csv``.

A decision names one fact by program, field and the page it was read from (``source``) and
says what a person found on that page: ``accept`` (the value is right), ``correct`` (the page
says another value, given in ``value``) or ``reject`` (the page does not say it). It keeps who
decided, when, the value and a note. ``smartpick db build`` applies the latest decision per
fact together with the requirement files (:mod:`smartpick.catalog.page_facts`): an accepted or
corrected value becomes ``reported`` and settles a disagreement with another source; a rejected
one is left out. Decisions are keyed by the page, not by what the reader produced, so a change
to the reader never overrides one.

File (UTF-8 CSV with a header, one decision per line, the latest line per fact wins)::

    program_id,field,source,decision,value,qualifier,reviewer,decided_at,note

The same format is the export/import file for sharing decisions between advisors: an import
is checked whole and applied whole, or nothing changes (problems as ``file:line: field:
message``).
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from smartpick.catalog.fields import FIELD_BY_NAME, PAGE_FIELDS, Qualifier, coerce
from smartpick.errors import InputError, ValidationProblem

REVIEWS_FILE = "reviews.csv"
COLUMNS = ("program_id", "field", "source", "decision", "value", "qualifier", "reviewer",
           "decided_at", "note")
DECISIONS = ("accept", "correct", "reject")
PAST = {"accept": "confirmed", "correct": "corrected", "reject": "rejected"}
_WHEN = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")

Key = tuple[str, str, str]


@dataclass(frozen=True)
class Review:
    """One person's decision on one fact of one page."""

    program_id: str
    field: str
    source: str
    decision: str
    value: Any  # the value decided on (None for a reject that names no value)
    qualifier: Qualifier | None
    reviewer: str
    decided_at: str
    note: str = ""

    @property
    def key(self) -> Key:
        return (self.program_id, self.field, self.source)

    @property
    def keeps_value(self) -> bool:
        return self.decision != "reject"

    def method(self) -> str:
        """How the decision reads in a fact's method."""
        text = f"{PAST[self.decision]} by {self.reviewer} on {self.decided_at[:10]}"
        return text + (f" ({self.note})" if self.note else "")

    def row(self) -> dict[str, str]:
        return {"program_id": self.program_id, "field": self.field, "source": self.source,
                "decision": self.decision,
                "value": "" if self.value is None else show(self.value),
                "qualifier": self.qualifier.value if self.qualifier else "",
                "reviewer": self.reviewer, "decided_at": self.decided_at, "note": self.note}

    def to_dict(self) -> dict[str, Any]:
        return {**self.row(), "value": self.value}


def show(value: Any) -> str:
    """A value as written in files and messages (yes/no, 3 rather than 3.0)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def reviews_path(data_dir: Path) -> Path:
    return data_dir / "reviews" / REVIEWS_FILE


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def make_review(program_id: str, field: str, source: str, decision: str, value: Any,
                reviewer: str, note: str = "", qualifier: str = "",
                decided_at: str | None = None, known_ids: set[str] | None = None) -> Review:
    """A checked decision; InputError naming each problem."""
    raw = {"program_id": program_id, "field": field, "source": source, "decision": decision,
           "value": "" if value is None else show(value), "qualifier": qualifier,
           "reviewer": reviewer, "decided_at": decided_at or now(), "note": note}
    found = parse_row(raw, "", known_ids)
    if isinstance(found, list):
        raise InputError("the decision is not valid, nothing recorded", found)
    return found


def read_reviews(path: Path, known_ids: set[str] | None = None) -> list[Review]:
    """The decisions in ``path`` (none if it does not exist); InputError listing problems."""
    if not path.is_file():
        return []
    label = path.name
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or [])
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise InputError(f"cannot read {path}: {err}") from None
    problems = [ValidationProblem(c, "required column is missing", f"{label}:1")
                for c in COLUMNS if c not in header]
    problems += [ValidationProblem(c, "unknown column", f"{label}:1")
                 for c in header if c not in COLUMNS]
    if problems:
        raise InputError(f"{label}: bad header, nothing imported", problems)
    reviews: list[Review] = []
    for number, row in enumerate(rows, start=2):
        found = parse_row(row, f"{label}:{number}", known_ids)
        if isinstance(found, Review):
            reviews.append(found)
        else:
            problems.extend(found)
    if problems:
        raise InputError(f"{label}: {len(problems)} problem(s), nothing imported", problems)
    return reviews


def parse_row(row: dict[Any, Any], where: str,
              known_ids: set[str] | None) -> Review | list[ValidationProblem]:
    text = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}
    problems: list[ValidationProblem] = []

    def bad(name: str, message: str) -> None:
        problems.append(ValidationProblem(name, message, where))

    if None in row:
        bad("row", "more values than header columns")
    if known_ids is not None and text.get("program_id", "") not in known_ids:
        bad("program_id", f"unknown program id {text.get('program_id', '')!r}")
    name = text.get("field", "")
    if name not in PAGE_FIELDS:
        bad("field", f"not a requirement field: {name!r}")
    if not text.get("source"):
        bad("source", "missing: the page the fact was read from")
    decision = text.get("decision", "")
    if decision not in DECISIONS:
        bad("decision", f"must be one of {', '.join(DECISIONS)}, got {decision!r}")
    value = _value(name, text.get("value", ""), decision, bad)
    qualifier = _qualifier(text.get("qualifier", ""), bad)
    if not text.get("reviewer"):
        bad("reviewer", "missing: who decided")
    if not _WHEN.match(text.get("decided_at", "")):
        bad("decided_at", f"expected an ISO date or date-time, got {text.get('decided_at')!r}")
    if problems:
        return problems
    return Review(text["program_id"], name, text["source"], decision, value, qualifier,
                  text["reviewer"], text["decided_at"], text.get("note", ""))


def _value(name: str, raw: str, decision: str, bad: Any) -> Any:
    spec = FIELD_BY_NAME.get(name)
    if spec is None:
        return None
    try:
        value = coerce(spec, raw)
    except ValueError as err:
        bad("value", f"{name}: {err}")
        return None
    if value is None and decision in {"accept", "correct"}:
        bad("value", f"{decision} needs the value the page states")
    return value


def _qualifier(raw: str, bad: Any) -> Qualifier | None:
    if not raw:
        return None
    try:
        return Qualifier(raw)
    except ValueError:
        bad("qualifier", "must be strict or preferred")
        return None


def latest(reviews: Iterable[Review]) -> dict[Key, Review]:
    """The decision that counts for each fact: the last one recorded."""
    out: dict[Key, Review] = {}
    for review in reviews:
        out[review.key] = review
    return out


def write_reviews(path: Path, reviews: list[Review]) -> None:
    """Replace ``path`` with ``reviews`` in one step (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".reviews-", suffix=".csv")
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(r.row() for r in reviews)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def record(data_dir: Path, review: Review) -> None:
    """Add one decision to the reviews file."""
    path = reviews_path(data_dir)
    write_reviews(path, [*read_reviews(path), review])


def import_reviews(data_dir: Path, incoming: Path, known_ids: set[str]) -> int:
    """Merge a shared reviews file into ours: all its lines, or none. Returns lines added."""
    found = read_reviews(incoming, known_ids)
    path = reviews_path(data_dir)
    ours = read_reviews(path)
    seen = {tuple(r.row().items()) for r in ours}
    new = [r for r in found if tuple(r.row().items()) not in seen]
    new.sort(key=lambda r: r.decided_at)
    write_reviews(path, [*ours, *new])
    return len(new)


def export_reviews(data_dir: Path, out: Path) -> int:
    """Write every decision to ``out`` (the import format); return how many."""
    reviews = read_reviews(reviews_path(data_dir))
    write_reviews(out, reviews)
    return len(reviews)
