"""A cohort's profiles: a folder of profile files, a CSV (one row per applicant) or JSONL.

Every profile becomes an :class:`Entry` with a name (its plan is written as ``<name>.json``)
and a location (``file``, ``file.csv:7``, ``file.jsonl:3``) that messages name. A profile
that cannot be read or validated keeps its problems instead of a profile, so one bad row is
reported and the rest of the cohort is still planned.

CSV columns (see docs/profile.md): ``id``, ``applicant_type``, ``graduation_year``, ``visa``,
``step1``, ``step2ck``, ``step3``, ``failed_attempts``, ``ecfmg_certified``,
``usce_hands_on_months``, ``usce_observership_months``, ``usce_us_letter``, ``usce_state``,
``usce_end``, ``letters_total``, ``publications``, ``abstracts``, ``presentations``,
``specialty``, ``backup_specialties``, ``states``, ``avoid_states``, ``program_types``,
``budget_usd``, ``target_p_match``. Lists are separated by ``;``.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from smartpick.applicant.load import load_profile, parse_profile
from smartpick.applicant.seasons import load_season
from smartpick.errors import InputError, NotFoundError, SmartPickError, ValidationProblem

PROFILE_SUFFIXES = (".yaml", ".yml", ".json")
CSV_COLUMNS = (
    "id", "applicant_type", "graduation_year", "visa", "step1", "step2ck", "step3",
    "failed_attempts", "ecfmg_certified", "usce_hands_on_months", "usce_observership_months",
    "usce_us_letter", "usce_state", "usce_end", "letters_total", "publications", "abstracts",
    "presentations", "specialty", "backup_specialties", "states", "avoid_states",
    "program_types", "budget_usd", "target_p_match",
)
_DAYS_PER_MONTH = 30.4375
_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class Entry:
    """One applicant of the cohort: a profile mapping, or the problems that stopped it."""

    name: str
    location: str
    profile: dict[str, Any] | None
    problems: list[str] = field(default_factory=list)


def read_cohort(path: str | Path, season: int | None = None) -> list[Entry]:
    """The entries of a folder, a ``.csv`` or a ``.jsonl`` file, in input order.

    ``season`` (default: the planner's default season) dates the CSV rows' USCE."""
    source = Path(path)
    if source.is_dir():
        entries = _folder(source)
    elif source.is_file() and source.suffix.lower() == ".csv":
        entries = _csv(source, season)
    elif source.is_file() and source.suffix.lower() in (".jsonl", ".ndjson"):
        entries = _jsonl(source)
    elif source.exists():
        raise InputError(f"cannot read a cohort from {source}", [ValidationProblem(
            "PROFILES", "expected a folder of profile files, a .csv or a .jsonl file")])
    else:
        raise NotFoundError(f"no such file or folder: {source}",
                            [ValidationProblem("PROFILES", f"not found: {source}")])
    return _unique(entries)


def _folder(folder: Path) -> list[Entry]:
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and p.suffix.lower() in PROFILE_SUFFIXES)
    if not files:
        raise InputError(f"no profile files in {folder}", [ValidationProblem(
            "PROFILES", f"expected files ending in {', '.join(PROFILE_SUFFIXES)}")])
    return [_file_entry(p) for p in files]


def _file_entry(file: Path) -> Entry:
    try:
        profile = load_profile(file)
    except SmartPickError as err:
        return Entry(file.stem, str(file), None, _problem_lines(err, str(file)))
    return Entry(file.stem, str(file), profile.model_dump(mode="json"))


def _problem_lines(err: SmartPickError, location: str) -> list[str]:
    """The error's problems, each naming where it is (the entry's location by default)."""
    if not err.problems:
        return [f"{location}: {err.message}"]
    return [str(p) if p.location else f"{location}: {p}" for p in err.problems]


def _jsonl(file: Path) -> list[Entry]:
    entries = []
    with file.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                entries.append(_json_entry(line, f"{file}:{number}", f"line-{number}"))
    return entries


def _json_entry(text: str, location: str, default_name: str) -> Entry:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return Entry(default_name, location, None, [f"{location}: (line): not valid JSON: "
                                                    f"{err.msg}"])
    if not isinstance(data, dict):
        return Entry(default_name, location, None,
                     [f"{location}: (profile): expected a JSON object"])
    name = str(data.pop("id", "") or default_name)
    return _validated(name, location, data)


def _validated(name: str, location: str, data: dict[str, Any],
               rename: Any = None) -> Entry:
    try:
        profile = parse_profile(data, location)
    except SmartPickError as err:
        if rename is not None:
            err.problems = [ValidationProblem(rename(p.field), p.message, p.location)
                            for p in err.problems]
        return Entry(name, location, None, _problem_lines(err, location))
    return Entry(name, location, profile.model_dump(mode="json"))


def _csv(file: Path, season: int | None) -> list[Entry]:
    with file.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        unknown = [c for c in reader.fieldnames or [] if c and c.strip() not in CSV_COLUMNS]
        if unknown:
            raise InputError(f"{file} has columns SmartPick does not read", [ValidationProblem(
                c, "unknown column; see the CSV columns in docs/profile.md", f"{file}:1")
                for c in unknown])
        end = load_season(season).application_date - timedelta(days=1)
        return [_row_entry(row, f"{file}:{reader.line_num}", f"row-{n}", end)
                for n, row in enumerate(reader, start=1)]


def _row_entry(row: dict[str, Any], location: str, default_name: str, usce_end: date) -> Entry:
    cells = {k.strip(): (v or "").strip() for k, v in row.items() if k}
    name = cells.get("id") or default_name
    try:
        data = profile_from_row(cells, usce_end)
    except _BadCell as err:
        return Entry(name, location, None, [f"{location}: {err.column}: {err.why}"])
    return _validated(name, location, data, csv_column)


def csv_column(field_path: str) -> str:
    """The CSV column behind a profile field path (``exams.step2ck`` -> ``step2ck``)."""
    if field_path.startswith("targets[0]"):
        return "specialty"
    if field_path.startswith("targets"):
        return "backup_specialties"
    if field_path.startswith("usce"):
        return "usce_hands_on_months / usce_observership_months / usce_state / usce_end"
    head, _, rest = field_path.partition(".")
    if head in ("exams", "research", "preferences") and rest:
        return rest.split("[")[0]
    return field_path


class _BadCell(Exception):
    def __init__(self, column: str, why: str):
        super().__init__(why)
        self.column, self.why = column, why


def profile_from_row(cells: dict[str, str], usce_end: date) -> dict[str, Any]:
    """The profile mapping of one CSV row (validated later, like any profile)."""
    profile: dict[str, Any] = {
        "applicant_type": cells.get("applicant_type", ""),
        "graduation_year": _int(cells, "graduation_year"),
        "exams": {"step1": _score(cells, "step1"), "step2ck": _score(cells, "step2ck"),
                  "step3": _score(cells, "step3"),
                  "failed_attempts": _int(cells, "failed_attempts") or 0},
        "ecfmg_certified": _bool(cells, "ecfmg_certified"),
        "research": {k: _int(cells, k) or 0 for k in ("publications", "abstracts",
                                                        "presentations")},
        "targets": _targets(cells),
        "preferences": {"states": _list(cells, "states"),
                        "avoid_states": _list(cells, "avoid_states"),
                        "program_types": _list(cells, "program_types")},
        "usce": _usce(cells, usce_end),
    }
    for key in ("visa",):
        if cells.get(key):
            profile[key] = cells[key]
    for key, read in (("letters_total", _int), ("budget_usd", _float),
                      ("target_p_match", _float)):
        value = read(cells, key)
        if value is not None:
            profile[key] = value
    return profile


def _int(cells: dict[str, str], key: str) -> int | None:
    text = cells.get(key, "")
    if not text:
        return None
    try:
        return int(float(text)) if float(text).is_integer() else int(text)
    except ValueError:
        raise _BadCell(key, f"expected a whole number, got {text!r}") from None


def _float(cells: dict[str, str], key: str) -> float | None:
    text = cells.get(key, "").replace("$", "").replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise _BadCell(key, f"expected a number, got {text!r}") from None


def _score(cells: dict[str, str], key: str) -> int | str | None:
    text = cells.get(key, "")
    if text.lower() == "pass":
        return "pass"
    return _int(cells, key)


def _bool(cells: dict[str, str], key: str) -> bool:
    text = cells.get(key, "").lower()
    if text not in _TRUE | _FALSE:
        raise _BadCell(key, f"expected yes or no, got {text!r}")
    return text in _TRUE


def _list(cells: dict[str, str], key: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;|]", cells.get(key, "")) if part.strip()]


def _targets(cells: dict[str, str]) -> list[dict[str, str]]:
    primary = cells.get("specialty", "")
    if not primary:
        raise _BadCell("specialty", "required: the specialty applied to first")
    return [{"specialty": primary, "role": "primary"},
            *({"specialty": s, "role": "backup"} for s in _list(cells, "backup_specialties"))]


def _usce(cells: dict[str, str], default_end: date) -> list[dict[str, Any]]:
    end = default_end
    if cells.get("usce_end"):
        try:
            end = date.fromisoformat(cells["usce_end"])
        except ValueError:
            raise _BadCell("usce_end", f"expected a date YYYY-MM-DD, "
                                       f"got {cells['usce_end']!r}") from None
    specialty = cells.get("specialty", "")
    state = cells.get("usce_state") or None
    entries = []
    for kind, key in (("hands_on", "usce_hands_on_months"),
                      ("observership", "usce_observership_months")):
        months = _float(cells, key) or 0.0
        if months < 0:
            raise _BadCell(key, "must be 0 or more")
        if months > 0:
            start = end - timedelta(days=round(months * _DAYS_PER_MONTH) - 1)
            entries.append({"kind": kind, "specialty": specialty, "state": state,
                            "start": start.isoformat(), "end": end.isoformat(),
                            "us_letter": kind == "hands_on" and _bool(cells, "usce_us_letter")})
            end = start - timedelta(days=1)
    return entries


def _unique(entries: list[Entry]) -> list[Entry]:
    """Names made safe for a file name; a repeated name is a problem of the later entry."""
    seen: dict[str, str] = {}
    out = []
    for entry in entries:
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", entry.name).strip("._") or "profile"
        if name in seen:
            problem = (f"{entry.location}: id: {name!r} is already used by {seen[name]}; "
                       "every applicant needs its own id")
            out.append(Entry(name, entry.location, None, [*entry.problems, problem]))
            continue
        seen[name] = entry.location
        out.append(Entry(name, entry.location, entry.profile, entry.problems))
    return out
