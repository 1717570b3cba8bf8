"""Ship what programs state: run the extractor over a labelled-corpus file and write facts.

Reads a JSONL file in the requirements-corpus format, keeps the rows linked to a catalog
program (``program_id``), and writes the extracted requirements in the catalog's import
format (``program_id,field,value,status,source,as_of,qualifier,method``), plus one
``requirements_url`` row per program. Only values go into the file: neither the page text nor
the evidence quotes (the source URL lets a reader check each fact).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from smartpick.catalog.fields import Status
from smartpick.errors import InputError, ValidationProblem
from smartpick.rules.extract import METHOD, extract_requirements

COLUMNS = ("program_id", "field", "value", "status", "source", "as_of", "qualifier", "method")
_ARCHIVE_STAMP = re.compile(r"/web/(\d{4})(\d{2})(\d{2})\d*[a-z_]*/")


def read_corpus(path: Path) -> list[dict[str, Any]]:
    """The rows of a JSONL corpus file; InputError naming each bad line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read {path}: {err}") from None
    rows, problems = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(ValidationProblem("line", f"not JSON ({err.msg})", f"{path}:{number}"))
            continue
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            problems.append(ValidationProblem("text", "missing", f"{path}:{number}"))
            continue
        rows.append(row)
    if problems:
        raise InputError(f"{path.name}: {len(problems)} bad line(s)", problems)
    return rows


def page_date(url: str, fallback: str) -> str:
    """The capture date of an archive URL (``/web/20230115.../``), else ``fallback``."""
    stamp = _ARCHIVE_STAMP.search(url)
    return "-".join(stamp.groups()) if stamp else fallback


def requirement_facts(rows: list[dict[str, Any]], as_of: str) -> list[dict[str, str]]:
    """Import rows for every corpus row that names a program, in corpus order."""
    facts: list[dict[str, str]] = []
    for row in rows:
        program_id = str(row.get("program_id") or "").strip()
        url = str(row.get("url") or "").strip()
        if not program_id or not url:
            continue
        dated = page_date(url, as_of)
        facts.append(_fact(program_id, "requirements_url", url, url, dated, ""))
        for found in extract_requirements(row["text"]):
            facts.append(_fact(program_id, found.field, str(found.value), url, dated,
                               found.qualifier.value))
    return facts


def _fact(program_id: str, field: str, value: str, source: str, as_of: str,
          qualifier: str) -> dict[str, str]:
    return {
        "program_id": program_id, "field": field, "value": value,
        "status": Status.EXTRACTED.value, "source": source, "as_of": as_of,
        "qualifier": qualifier, "method": METHOD,
    }


def write_facts(facts: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(facts)
