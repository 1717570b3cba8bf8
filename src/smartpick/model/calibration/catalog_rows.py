"""Programs read from the committed catalog table (``data/catalog/programs.csv``) for fitting.

One row per program: ``program_id``, ``kind``, ``merged_into`` and one column per catalog field;
an empty cell is unknown. Rows merged into another program are skipped (their facts live on
the program they were merged into).
"""

from __future__ import annotations

import csv
from pathlib import Path

from smartpick.catalog.fields import FIELDS, Status, coerce
from smartpick.catalog.program import Fact, Program
from smartpick.errors import DataError

CATALOG_FILE = Path("catalog") / "programs.csv"


def load_catalog_programs(path: Path) -> list[Program]:
    """Every live program of the catalog table at ``path``."""
    if not path.exists():
        raise DataError(f"catalog table {path} not found; build the catalog first")
    with path.open(newline="", encoding="utf-8") as fh:
        return [p for p in (_program(row, path) for row in csv.DictReader(fh)) if p is not None]


def _program(row: dict[str, str], path: Path) -> Program | None:
    if (row.get("merged_into") or "").strip():
        return None
    facts: dict[str, Fact] = {}
    for spec in FIELDS:
        try:
            value = coerce(spec, row.get(spec.name))
        except ValueError as err:
            where = f"{path}: program {row.get('program_id')}"
            raise DataError(f"{where}: {spec.name}: {err}") from None
        if value is not None:
            facts[spec.name] = Fact(spec.name, value, Status.REPORTED, source=str(path.name))
    return Program(program_id=row["program_id"], kind=row.get("kind", ""), facts=facts)
