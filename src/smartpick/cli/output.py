"""Render rows as a plain-text table, JSON or CSV for the command line."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from smartpick.errors import InputError, ValidationProblem

FORMATS = ("table", "json", "csv")
format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                             show_default=True, help="Output format.")


def cell(value: Any) -> str:
    if value is None:
        return "?"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def table(rows: Sequence[Sequence[Any]], header: Sequence[str], max_width: int = 48) -> str:
    """A fixed-width table; long cells are cut with an ellipsis."""
    texts = [[_cut(cell(v), max_width) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in texts)]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in texts]
    return "\n".join(line.rstrip() for line in lines)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 program``, ``2 programs``, ``0 programs`` (``many`` for irregular plurals)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


NAME_WIDTH = 44


def short_names(names: Sequence[str], width: int = NAME_WIDTH) -> list[str]:
    """Names fit for a table column: the trailing " Program" dropped, long names cut at the
    end, and where two different names would then look the same, cut in the middle instead
    so that the part that tells them apart stays visible."""
    full = [n.removesuffix(" Program") for n in names]
    short = [_cut(n, width) for n in full]
    seen = Counter(short)
    clash = {s for s, k in seen.items() if k > 1}
    return [_middle(f, width) if s in clash and len(f) > width else s
            for f, s in zip(full, short, strict=True)]


def _middle(text: str, width: int) -> str:
    head = (width - 1) // 2
    return text[:head] + "…" + text[len(text) - (width - 1 - head):]


def check_output(path: str) -> list[ValidationProblem]:
    """Problems with writing to ``path`` found before any work is done."""
    target = Path(path)
    if target.is_dir():
        return [ValidationProblem("--output", f"{path} is a folder; give a file name")]
    folder = target.parent
    if not folder.is_dir():
        return [ValidationProblem("--output", f"the folder {folder} does not exist; "
                                  "create it first or write elsewhere")]
    return []


def write_output(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as err:
        raise InputError(f"cannot write {path}", [ValidationProblem(
            "--output", err.strerror or str(err))]) from None
