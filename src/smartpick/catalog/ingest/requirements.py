"""Requirement facts read by hand from the programs' own pages, into ``data/requirements/``.

Reads the labelled requirement pages (``requirements_dev.jsonl`` rows that name a program,
and every row of ``im_requirement_labels.jsonl``) and writes one import row per stated fact:
status ``reported``, method "read from the program's page" (or from its sponsor's
institution-wide GME page), the page URL as source, and the page's date (see
:mod:`page_dates`). A field the page leaves unsaid gets no row (unknown). A value the page
gives only as a preference (``preferred_fields``, or ``preferred`` as the value) carries the
qualifier ``preferred``; every other stated value is ``strict``. Each program also gets a
``requirements_url`` row. Only values are written, never the page text or the reader's notes.
Output is sorted, so the same labels always give the same file.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartpick.catalog.fields import FIELD_BY_NAME, PAGE_FIELDS, FieldSpec, Status, coerce
from smartpick.catalog.ingest.page_dates import PageDate, date_page
from smartpick.errors import DataError, ValidationProblem

LABEL_FILES = ("requirements_dev.jsonl", "im_requirement_labels.jsonl")
HAND_FILE = "im_requirements.csv"
COLUMNS = ("program_id", "field", "value", "status", "source", "as_of", "as_of_status",
           "qualifier", "method", "note")
METHOD_PROGRAM = "read from the program's page"
METHOD_INSTITUTION = "read from the sponsor's institution-wide GME page"
_YES_NO_PREFERRED = {"yes": ("yes", False), "no": ("no", False), "preferred": ("yes", True)}
_YEAR_TAIL = re.compile(r",?\s+(?:19|20)\d\d$")
_STEP3 = {**_YES_NO_PREFERRED, "yes (for h-1b)": ("for H-1B", False)}


@dataclass(frozen=True)
class LabelledPage:
    """One program's requirement page as read by hand (labels only; text kept for dating)."""

    label_id: str
    program_id: str
    url: str
    scope: str
    labels: dict[str, Any]
    preferred: frozenset[str]
    text: str | None
    noted: str | None

    @property
    def method(self) -> str:
        return METHOD_INSTITUTION if self.scope == "institution" else METHOD_PROGRAM


def read_pages(folder: Path) -> list[LabelledPage]:
    """Every labelled page linked to a program, in file order; DataError naming bad lines."""
    pages: list[LabelledPage] = []
    problems: list[ValidationProblem] = []
    for name in LABEL_FILES:
        path = folder / name
        if not path.is_file():
            raise DataError(f"requirement labels missing: {path}")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                _read_line(line, f"{name}:{number}", pages, problems)
    _check_unique(pages, problems)
    if problems:
        raise DataError(f"requirement labels in {folder} are invalid", problems)
    return pages


def _read_line(line: str, where: str, pages: list[LabelledPage],
               problems: list[ValidationProblem]) -> None:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as err:
        problems.append(ValidationProblem("line", f"not JSON ({err.msg})", where))
        return
    if not isinstance(row, dict) or not row.get("program_id"):
        return  # a page not linked to a catalog program
    if not row.get("url"):
        problems.append(ValidationProblem("url", "missing", where))
        return
    labels = {name: row.get(name) for name in PAGE_FIELDS}
    bad = _check_labels(labels, where)
    if bad:
        problems.extend(bad)
        return
    pages.append(LabelledPage(
        label_id=str(row.get("id", where)), program_id=str(row["program_id"]).strip(),
        url=str(row["url"]).strip(), scope=str(row.get("scope") or "program"), labels=labels,
        preferred=frozenset(row.get("preferred_fields") or ()), text=row.get("text"),
        noted=row.get("other")))


def _check_labels(labels: dict[str, Any], where: str) -> list[ValidationProblem]:
    problems = []
    for name, raw in labels.items():
        if raw is not None:
            try:
                normalise(FIELD_BY_NAME[name], raw)
            except ValueError as err:
                problems.append(ValidationProblem(name, str(err), where))
    return problems


def _check_unique(pages: list[LabelledPage], problems: list[ValidationProblem]) -> None:
    seen: dict[str, str] = {}
    for page in pages:
        if page.program_id in seen:
            problems.append(ValidationProblem(
                "program_id", f"{page.program_id} already has a page ({seen[page.program_id]})",
                page.label_id))
        seen[page.program_id] = page.label_id


def page_facts(page: LabelledPage) -> list[dict[str, str]]:
    """The import rows for one page: its URL, then each stated fact in field order."""
    dated = date_page(page.text, page.noted, page.labels.get("step1_min") is not None)
    rows = [_row(page, dated, "requirements_url", page.url, "")]
    for name in PAGE_FIELDS:
        raw = page.labels.get(name)
        if raw is None:
            continue
        value, preferred = normalise(FIELD_BY_NAME[name], raw)
        qualifier = "preferred" if preferred or name in page.preferred else "strict"
        rows.append(_row(page, dated, name, value, qualifier))
    return rows


def normalise(spec: FieldSpec, raw: Any) -> tuple[str, bool]:
    """(value as written in the import file, the value itself says 'preferred').

    Raises ValueError naming what was expected.
    """
    if spec.name == "ecfmg_required_by":
        return ecfmg_timing(str(raw)), False
    if spec.name in {"usce_required", "step3_required"}:
        table = _STEP3 if spec.name == "step3_required" else _YES_NO_PREFERRED
        found = table.get(str(raw).strip().lower())
        if found is None:
            raise ValueError(f"expected one of {', '.join(table)}, got {raw!r}")
        return found
    value = coerce(spec, raw)
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), False
    return str(value), False


def ecfmg_timing(label: str) -> str:
    """The timing term of an ECFMG label without its explanation or a past season's year.

    "ranking (before the rank list)" -> "ranking"; "February 1, 2015" -> "February 1";
    "required (valid certificate)" -> "required (timing not stated)".
    """
    head = label.split(" (", 1)[0].strip()
    if head.lower().startswith("required"):
        return "required (timing not stated)"
    return _YEAR_TAIL.sub("", head).strip() or label.strip()


def _row(page: LabelledPage, dated: PageDate, name: str, value: str,
         qualifier: str) -> dict[str, str]:
    notes = [f"page date: {dated.how}"]
    if dated.outdated_flag:
        notes.insert(0, dated.outdated_flag)
    return {"program_id": page.program_id, "field": name, "value": value,
            "status": Status.REPORTED.value, "source": page.url, "as_of": dated.as_of,
            "as_of_status": "estimated" if dated.estimated else "", "qualifier": qualifier,
            "method": page.method, "note": "; ".join(notes)}


def hand_facts(folder: Path) -> list[dict[str, str]]:
    """Import rows for every labelled page under ``folder``, sorted by program and field."""
    order = {name: i for i, name in enumerate(("requirements_url", *PAGE_FIELDS))}
    rows = [row for page in read_pages(folder) for row in page_facts(page)]
    return sorted(rows, key=lambda r: (r["program_id"], order[r["field"]]))


def write_facts(rows: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def ingest_requirements(folder: Path, data_dir: Path) -> dict[str, int]:
    """Write ``data_dir/requirements/im_requirements.csv``; return facts and programs."""
    rows = hand_facts(folder)
    write_facts(rows, data_dir / "requirements" / HAND_FILE)
    return {"facts": sum(r["field"] != "requirements_url" for r in rows),
            "programs": len({r["program_id"] for r in rows})}
