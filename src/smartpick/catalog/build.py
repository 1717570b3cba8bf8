"""(Re)build the catalog database from the shipped files under ``data/``.

One transaction: the old catalog is replaced only when the new one loaded completely. Advisor
and extracted facts under ``data/requirements/*.csv`` go through the same validation as
``smartpick db import``, then :mod:`page_facts` applies them (hand-read facts first, the
reader's only where no one read the page or field, disagreements kept).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, update
from sqlalchemy.exc import SQLAlchemyError

from smartpick.catalog import schema
from smartpick.catalog.database import engine_for, migrate
from smartpick.catalog.fields import FIELD_BY_NAME, FIELDS, coerce
from smartpick.catalog.page_facts import PageFactsReport, apply_folder
from smartpick.catalog.reviews import Review, latest, read_reviews, reviews_path
from smartpick.errors import DataError, SmartPickError
from smartpick.settings import Settings

_BATCH = 5000


@dataclass(frozen=True)
class BuildReport:
    programs: int
    facts: int
    quota_history: int
    imported: dict[str, int]
    requirements: PageFactsReport | None = None


def build(settings: Settings) -> BuildReport:
    """Migrate the schema, then replace the catalog with the shipped data."""
    migrate(settings)
    folder = settings.data_dir / "catalog"
    if not (folder / "programs.csv").is_file():
        raise DataError(f"no catalog files in {folder}: run `smartpick db ingest --raw PATH`")
    try:
        with engine_for(settings.database_url).begin() as conn:
            return _load_all(conn, settings.data_dir)
    except SQLAlchemyError as err:
        raise DataError(f"loading the catalog failed, nothing changed ({err.__class__.__name__}:"
                        f" {str(err).splitlines()[0]})") from None


def _load_all(conn: Connection, data_dir: Path) -> BuildReport:
    folder = data_dir / "catalog"
    for table in (schema.program_facts, schema.quota_history, schema.programs, schema.sources):
        conn.execute(delete(table))
    sources = _read(folder / "sources.csv")
    _insert(conn, schema.sources, sources)
    programs = [_program_row(r) for r in _read(folder / "programs.csv")]
    _insert(conn, schema.programs, programs)
    facts = _fact_rows(folder, {s["source_id"]: s for s in sources},
                       {r["program_id"]: r for r in programs})
    _insert(conn, schema.program_facts, facts)
    history = _history_rows(folder, {s["source_id"]: s for s in sources})
    _insert(conn, schema.quota_history, history)
    pages = apply_folder(conn, data_dir / "requirements", _decisions(data_dir))
    return BuildReport(len(programs), len(facts), len(history), pages.applied, pages)


def _decisions(data_dir: Path) -> dict[tuple[str, str, str], Review]:
    path = reviews_path(data_dir)
    try:
        return latest(read_reviews(path))
    except SmartPickError as err:
        raise DataError(f"reviews file {path} is invalid", err.problems) from None


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _insert(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), _BATCH):
        conn.execute(table.insert(), rows[start:start + _BATCH])


def _program_row(row: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"program_id": row["program_id"], "kind": row["kind"],
                           "merged_into": row["merged_into"] or None}
    for spec in FIELDS:
        out[spec.name] = coerce(spec, row.get(spec.name, ""))
    return out


def source_label(source: dict[str, str], page: str | None = None) -> str:
    return f"{source['title']} <{page or source['url']}>"


def _fact_rows(folder: Path, sources: dict[str, dict[str, str]],
               programs: dict[str, dict[str, Any]],
               keep: Callable[[dict[str, str]], bool] | None = None) -> list[dict[str, Any]]:
    methods = {r["method_id"]: r["method"] for r in _read(folder / "methods.csv")}
    rows = []
    for r in _read(folder / "facts.csv"):
        if keep is not None and not keep(r):
            continue
        if r["field"] not in FIELD_BY_NAME:
            raise DataError(f"facts.csv names an unknown field {r['field']!r}")
        source = sources[r["source_id"]]
        page = programs[r["program_id"]].get("source_page") if r["source_id"] == \
            "freida_im_2025" else None
        rows.append({"program_id": r["program_id"], "field": r["field"], "status": r["status"],
                     "source": source_label(source, page), "as_of": r["as_of"] or source["as_of"],
                     "method": methods.get(r["method_id"], ""), "qualifier": None,
                     "conflict": r.get("conflict") or None})
    return rows


def reset_field(conn: Connection, data_dir: Path, program_id: str, name: str) -> None:
    """Put one field of one program back to the shipped catalog's value and provenance, as
    a build has it before the requirement files and decisions are applied."""
    folder = data_dir / "catalog"
    row = next((r for r in _read(folder / "programs.csv") if r["program_id"] == program_id),
               None)
    if row is None:
        raise DataError(f"program {program_id} is not in {folder}: run `smartpick db build`")
    program = _program_row(row)
    sources = {s["source_id"]: s for s in _read(folder / "sources.csv")}
    facts = _fact_rows(folder, sources, {program_id: program},
                       keep=lambda r: r["program_id"] == program_id and r["field"] == name)
    p, f = schema.programs, schema.program_facts
    conn.execute(update(p).where(p.c.program_id == program_id).values({name: program[name]}))
    conn.execute(delete(f).where(f.c.program_id == program_id, f.c.field == name))
    if facts:
        conn.execute(f.insert(), facts)


def _history_rows(folder: Path, sources: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    return [{"program_code": r["program_code"], "year": int(r["year"]), "quota": int(r["quota"]),
             "matched": int(r["matched"]), "source": source_label(sources[r["source_id"]])}
            for r in _read(folder / "quota_history.csv")]
