"""The catalog's field registry: every program fact SmartPick knows how to hold.

Each field has a type and a group. Values live in typed columns of the ``programs`` table;
the provenance of each value (``source``, ``as_of``, ``status``) lives in ``program_facts``.
A field with no value and no fact row is ``unknown``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

FieldType = Literal["str", "int", "float", "bool"]


class Status(StrEnum):
    """How a value is known."""

    REPORTED = "reported"  # a program or official body said it
    DERIVED = "derived"  # computed from reported facts
    EXTRACTED = "extracted"  # read by the automatic reader from a program's page, not reviewed
    ESTIMATED = "estimated"  # a model's or heuristic's guess, labelled so
    UNKNOWN = "unknown"  # no source gives it


# A fact's ``conflict`` names the other sources' differing values, after one of these:
UNRESOLVED = "unresolved: "  # sources disagree and neither is clearly newer
OLDER = "older: "  # another source disagrees, but it is clearly older (the fact stands)

OPEN, NOT_ACCEPTING, NO_POSITIONS = "open", "not_accepting", "no_positions"
OPEN_STATUSES = (OPEN, NOT_ACCEPTING, NO_POSITIONS)


class Qualifier(StrEnum):
    """For requirement fields: is the rule a hard cutoff or a stated preference?"""

    STRICT = "strict"
    PREFERRED = "preferred"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    group: str
    label: str


def _f(name: str, type_: FieldType, group: str, label: str) -> FieldSpec:
    return FieldSpec(name, type_, group, label)


FIELDS: tuple[FieldSpec, ...] = (
    # identity
    _f("name", "str", "identity", "Program name"),
    _f("specialty", "str", "identity", "Specialty"),
    _f("specialty_code", "str", "identity", "Specialty code (NRMP/ACGME 3 digits)"),
    _f("track", "str", "identity", "NRMP track (C categorical, P preliminary, A advanced, "
       "R physician/reserved, M primary)"),
    _f("pgy_level", "str", "identity", "Entry level (PGY1 or PGY2)"),
    _f("acgme_id", "str", "identity", "ACGME program id"),
    _f("nrmp_codes", "str", "identity", "NRMP program codes (space separated)"),
    _f("institution_code", "str", "identity", "NRMP institution code"),
    _f("institution_name", "str", "identity", "Sponsoring institution (NRMP)"),
    _f("link_rule", "str", "identity", "How this NRMP track joins its program (or why it "
       "stands alone)"),
    _f("tracks", "int", "identity", "NRMP tracks held by this program"),
    # place
    _f("city", "str", "place", "City"),
    _f("state", "str", "place", "State (2 letters)"),
    _f("latitude", "float", "place", "Latitude"),
    _f("longitude", "float", "place", "Longitude"),
    _f("location_source", "str", "place", "Where the location comes from"),
    # program facts
    _f("program_type", "str", "program", "Program type"),
    _f("positions", "int", "program", "PGY-1 positions in the Main Match (newest quota)"),
    _f("positions_year", "int", "program", "Match year of the positions figure"),
    _f("freida_positions", "int", "program", "First-year positions (FREIDA survey, "
       "preliminary included)"),
    _f("nrmp_quota_2024", "int", "program", "NRMP 2024 Main Match quota"),
    _f("nrmp_matched_2024", "int", "program", "NRMP 2024 Main Match matched"),
    _f("fill_rate_2024", "float", "program", "NRMP 2024 fill rate (matched / quota)"),
    _f("interviews_conducted", "int", "program", "Interviews conducted last year"),
    _f("interviews_per_position", "float", "program", "Interviews per PGY-1 position"),
    _f("pct_img", "float", "program", "Share of residents who are IMGs (%)"),
    _f("pct_do", "float", "program", "Share of residents who are DOs (%)"),
    _f("pct_usmd", "float", "program", "Share of residents who are US MDs (%)"),
    _f("participates_in_eras", "bool", "program", "Takes applications through ERAS"),
    _f("first_academic_year", "int", "program", "First ACGME-accredited academic year"),
    _f("accreditation_status", "str", "program", "ACGME accreditation status"),
    _f("accepting_applications", "bool", "program", "Accepting applications in the latest "
       "cycle a source gives"),
    _f("website", "str", "program", "Program website"),
    _f("source_page", "str", "program", "Program page at the source"),
    _f("requirements_url", "str", "program", "Page stating the program's requirements"),
    # availability: read by the eligibility check (closed programs are never planned)
    _f("open_status", "str", "availability", "Open to applications (open / not_accepting / "
       "no_positions)"),
    # visa
    _f("visa_j1", "bool", "visa", "Accepts J-1 (ECFMG-sponsored)"),
    _f("visa_h1b", "bool", "visa", "Sponsors H-1B"),
    _f("visa_none_sponsored", "bool", "visa", "Sponsors no visa at all"),
    # requirements
    _f("yog_max_years", "float", "requirements", "Maximum years since graduation"),
    _f("yog_min_year", "int", "requirements", "Earliest accepted graduation year"),
    _f("step1_min", "int", "requirements", "Minimum Step 1 score"),
    _f("step2ck_min", "int", "requirements", "Minimum Step 2 CK score"),
    _f("step3_required", "str", "requirements", "Step 3 required (yes / no / for H-1B)"),
    _f("max_attempts", "int", "requirements", "Maximum attempts per exam"),
    _f("usce_required", "str", "requirements", "US clinical experience required (yes / no)"),
    _f("usce_min_months", "float", "requirements", "Minimum months of USCE"),
    _f("usce_hands_on_only", "bool", "requirements", "Only hands-on USCE counts"),
    _f("usce_recency_months", "float", "requirements", "USCE must be within (months)"),
    _f("ecfmg_required_by", "str", "requirements", "ECFMG certificate needed by"),
    _f("lor_min", "int", "requirements", "Minimum letters of recommendation"),
    _f("lor_us_required", "bool", "requirements", "A US letter is required"),
)

FIELD_BY_NAME: dict[str, FieldSpec] = {f.name: f for f in FIELDS}
REQUIREMENT_FIELDS: tuple[str, ...] = tuple(
    f.name for f in FIELDS if f.group in {"requirements", "visa", "availability"}
)
# the fields a program's requirement page states (read by hand or by the reader, reviewed)
PAGE_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.group in {"requirements", "visa"})


# Sane bounds (inclusive) of numeric fields; values outside are rejected at import.
RANGES: dict[str, tuple[float, float]] = {
    "pct_img": (0, 100), "pct_do": (0, 100), "pct_usmd": (0, 100),
    "positions": (0, 1000), "freida_positions": (0, 1000), "nrmp_quota_2024": (0, 1000),
    "nrmp_matched_2024": (0, 1000), "tracks": (0, 100), "interviews_conducted": (0, 100000),
    "interviews_per_position": (0, 1000), "fill_rate_2024": (0, 1),
    "positions_year": (1990, 2100), "first_academic_year": (1900, 2100),
    "latitude": (-90, 90), "longitude": (-180, 180),
    "yog_max_years": (0, 60), "yog_min_year": (1950, 2100),
    "step1_min": (1, 300), "step2ck_min": (1, 300), "max_attempts": (1, 10),
    "usce_min_months": (0, 120), "usce_recency_months": (0, 600),
    "lor_min": (0, 10),
}


def check_range(spec: FieldSpec, value: Any) -> None:
    """Raise ``ValueError`` when a numeric value lies outside the field's sane bounds."""
    bounds = RANGES.get(spec.name)
    if bounds is None or value is None or isinstance(value, bool):
        return
    low, high = bounds
    if not low <= value <= high:
        raise ValueError(f"must be between {_plain(low)} and {_plain(high)}, got {value!r}")


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def coerce(spec: FieldSpec, raw: Any) -> Any:
    """Convert ``raw`` (a string from a file, or a Python value) to the field's type.

    Empty strings and ``None`` become ``None``. Raises ``ValueError`` with a readable message.
    """
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if spec.type == "str":
        return str(raw).strip()
    if spec.type == "bool":
        return _to_bool(raw)
    if spec.type == "int":
        return _to_int(raw)
    return _to_float(raw)


def _to_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"true", "yes", "y", "1"}:
        return True
    if text in {"false", "no", "n", "0"}:
        return False
    raise ValueError(f"expected yes/no or true/false, got {raw!r}")


def _to_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError(f"expected a whole number, got {raw!r}")
    try:
        value = float(str(raw).strip())
    except ValueError:
        raise ValueError(f"expected a whole number, got {raw!r}") from None
    if not value.is_integer():
        raise ValueError(f"expected a whole number, got {raw!r}")
    return int(value)


def _to_float(raw: Any) -> float:
    if isinstance(raw, bool):
        raise ValueError(f"expected a number, got {raw!r}")
    try:
        value = float(str(raw).strip())
    except ValueError:
        raise ValueError(f"expected a number, got {raw!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"expected a finite number, got {raw!r}")
    return value
