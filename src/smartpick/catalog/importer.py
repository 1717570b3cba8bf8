"""Advisor imports: facts from a CSV file, applied whole or not at all.

File format (UTF-8 CSV with a header; column order free)::

    program_id,field,value,status,source,as_of,qualifier,method

``program_id``, ``field``, ``value``, ``source`` and ``as_of`` are required; ``status``
defaults to ``reported``; ``qualifier`` (``strict`` / ``preferred``) is for requirement
fields only. ``status=unknown`` with an empty value clears a fact. Optional ``as_of_status``
(``estimated`` when the date is a guess, empty when it is the source's own) and ``note``
(flags in words, e.g. "possibly outdated: ..."). Every problem is listed
as ``file:line: field: message`` and nothing is written unless the whole file is valid.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, select, update

from smartpick.catalog import schema
from smartpick.catalog.fields import (
    FIELD_BY_NAME,
    OLDER,
    REQUIREMENT_FIELDS,
    UNRESOLVED,
    Qualifier,
    Status,
    check_range,
    coerce,
)
from smartpick.errors import InputError, ValidationProblem

REQUIRED = ("program_id", "field", "value", "source", "as_of")
OPTIONAL = ("status", "qualifier", "method", "as_of_status", "note")
AS_OF_STATUSES = ("", "estimated")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class FactUpdate:
    program_id: str
    field: str
    value: Any
    status: Status
    source: str
    as_of: str
    qualifier: Qualifier | None
    method: str
    as_of_status: str = ""
    note: str = ""


def read_updates(path: Path, known_ids: set[str]) -> list[FactUpdate]:
    """Parse and validate ``path``; raise InputError listing every problem."""
    label = path.name
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
            header = list(rows[0].keys()) if rows else _header(path)
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise InputError(f"cannot read {path}: {err}") from None
    problems = _check_header(header, label)
    if problems:
        raise InputError(f"{label}: bad header, nothing imported", problems)
    updates, problems = _parse_rows(rows, label, known_ids)
    if problems:
        raise InputError(f"{label}: {len(problems)} problem(s), nothing imported", problems)
    return updates


def _header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return next(csv.reader(handle), [])


def _check_header(header: list[str], label: str) -> list[ValidationProblem]:
    problems = [ValidationProblem(col, "required column is missing", f"{label}:1")
                for col in REQUIRED if col not in header]
    problems += [ValidationProblem(col, "unknown column", f"{label}:1")
                 for col in header if col not in REQUIRED + OPTIONAL]
    return problems


def _parse_rows(rows: list[dict[str, str]], label: str,
                known_ids: set[str]) -> tuple[list[FactUpdate], list[ValidationProblem]]:
    updates: list[FactUpdate] = []
    problems: list[ValidationProblem] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows, start=2):
        where = f"{label}:{number}"
        found = _parse_row(row, where, known_ids)
        if isinstance(found, FactUpdate):
            key = (found.program_id, found.field)
            if key in seen:
                problems.append(ValidationProblem(
                    "field", f"{found.field} of {found.program_id} already set on line "
                    f"{seen[key]}", where))
            seen[key] = number
            updates.append(found)
        else:
            problems.extend(found)
    return updates, problems


def _parse_row(row: dict[str, str], where: str,
               known_ids: set[str]) -> FactUpdate | list[ValidationProblem]:
    text = {k: (v or "").strip() for k, v in row.items() if k is not None}
    problems: list[ValidationProblem] = []
    if None in row:
        problems.append(ValidationProblem("row", "more values than header columns", where))
    program_id, name = text.get("program_id", ""), text.get("field", "")
    if program_id not in known_ids:
        problems.append(ValidationProblem("program_id", f"unknown program id {program_id!r}",
                                          where))
    spec = FIELD_BY_NAME.get(name)
    if spec is None:
        problems.append(ValidationProblem("field", f"unknown field {name!r}", where))
    status = _status(text.get("status") or "reported", where, problems)
    value = _value(spec, text.get("value", ""), status, where, problems)
    qualifier = _qualifier(name, text.get("qualifier", ""), where, problems)
    _provenance(text, where, problems)
    if problems:
        return problems
    assert status is not None
    return FactUpdate(program_id, name, value, status, text["source"], text["as_of"],
                      qualifier, text.get("method", ""), text.get("as_of_status", ""),
                      text.get("note", ""))


def _status(raw: str, where: str, problems: list[ValidationProblem]) -> Status | None:
    try:
        return Status(raw)
    except ValueError:
        choices = ", ".join(s.value for s in Status)
        problems.append(ValidationProblem("status", f"must be one of {choices}", where))
        return None


def _value(spec: Any, raw: str, status: Status | None, where: str,
           problems: list[ValidationProblem]) -> Any:
    if spec is None:
        return None
    try:
        value = coerce(spec, raw)
    except ValueError as err:
        problems.append(ValidationProblem("value", f"{spec.name}: {err}", where))
        return None
    try:
        check_range(spec, value)
    except ValueError as err:
        problems.append(ValidationProblem(spec.name, str(err), where))
        return None
    if value is None and status is not Status.UNKNOWN:
        problems.append(ValidationProblem("value", "empty (use status=unknown to clear a fact)",
                                          where))
    if value is not None and status is Status.UNKNOWN:
        problems.append(ValidationProblem("value", "must be empty when status is unknown",
                                          where))
    return value


def _qualifier(name: str, raw: str, where: str,
               problems: list[ValidationProblem]) -> Qualifier | None:
    if not raw:
        return None
    if name not in REQUIREMENT_FIELDS:
        problems.append(ValidationProblem("qualifier", f"only requirement fields take one, not "
                                          f"{name!r}", where))
        return None
    try:
        return Qualifier(raw)
    except ValueError:
        problems.append(ValidationProblem("qualifier", "must be strict or preferred", where))
        return None


def _provenance(text: dict[str, str], where: str, problems: list[ValidationProblem]) -> None:
    if not text.get("source"):
        problems.append(ValidationProblem("source", "missing: give a URL or document", where))
    as_of = text.get("as_of", "")
    if text.get("as_of_status", "") not in AS_OF_STATUSES:
        problems.append(ValidationProblem("as_of_status", "must be empty or estimated", where))
    if not _DATE.match(as_of) or not _valid_date(as_of):
        problems.append(ValidationProblem("as_of", f"expected YYYY, YYYY-MM or YYYY-MM-DD, got "
                                          f"{as_of!r}", where))


def _valid_date(text: str) -> bool:
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def known_program_ids(conn: Connection) -> set[str]:
    return set(conn.execute(select(schema.programs.c.program_id)).scalars())


def apply_updates(conn: Connection, updates: Iterable[FactUpdate]) -> int:
    """Write the updates inside the caller's transaction; return how many were applied.

    A value that differs from the one another source gave keeps both (see
    :func:`settle`): the fact holds the winning value and names the other in ``conflict``.
    """
    p, f = schema.programs, schema.program_facts
    count = 0
    for u in updates:
        value, status, source, as_of, method, conflict = _settled(conn, u)
        conn.execute(update(p).where(p.c.program_id == u.program_id).values({u.field: value}))
        conn.execute(delete(f).where(f.c.program_id == u.program_id, f.c.field == u.field))
        if status is not Status.UNKNOWN:
            conn.execute(f.insert().values(
                program_id=u.program_id, field=u.field, status=status.value, source=source,
                as_of=as_of, method=method, qualifier=u.qualifier.value if u.qualifier
                else None, as_of_status=(u.as_of_status or None) if source == u.source else None,
                note=(u.note or None) if source == u.source else None,
                conflict=conflict or None))
        count += 1
    return count


def _settled(conn: Connection, u: FactUpdate) -> tuple[Any, Status, str, str, str, str]:
    new = (u.value, u.status, u.source, u.as_of, u.method, "")
    if u.status is Status.UNKNOWN:
        return new
    p, f = schema.programs, schema.program_facts
    old_value = conn.execute(select(p.c[u.field]).where(p.c.program_id == u.program_id)).scalar()
    old = conn.execute(select(f).where(f.c.program_id == u.program_id, f.c.field == u.field)
                       ).first()
    if old is None or old_value is None or old_value == u.value or old.source == u.source:
        return new
    verdict = settle(old.as_of, u.as_of)
    older = f"{_show(old_value)} ({old.status}: {old.source}, as of {old.as_of or '?'})"
    newer = f"{_show(u.value)} ({u.status.value}: {u.source}, as of {u.as_of})"
    if verdict == "old":
        return (old_value, Status(old.status), old.source, old.as_of, old.method,
                f"{OLDER}{newer}")
    if verdict == "new":
        return (*new[:5], f"{OLDER}{older}")
    return (*new[:5], f"{UNRESOLVED}{older}")


CLEARLY_NEWER_DAYS = 365


def settle(old_as_of: str, new_as_of: str) -> str:
    """Which of two disagreeing facts stands: "new", "old", or "both" (neither is clearly
    newer: the earliest day the newer date can mean is at least a year after the latest day
    the older can mean; an undated fact is never clearly newer)."""
    old, new = _span(old_as_of), _span(new_as_of)
    if old is None or new is None:
        return "both"
    if (new[0] - old[1]).days >= CLEARLY_NEWER_DAYS:
        return "new"
    if (old[0] - new[1]).days >= CLEARLY_NEWER_DAYS:
        return "old"
    return "both"


def _span(text: str) -> tuple[date, date] | None:
    """The first and last day a date of the form YYYY, YYYY-MM or YYYY-MM-DD can mean."""
    text = text.strip()[:10]
    if not _DATE.match(text) or not _valid_date(text):
        return None
    parts = [int(x) for x in text.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        end = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return date(parts[0], parts[1], 1), date.fromordinal(end.toordinal() - 1)
    day = date(*parts)
    return day, day


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
