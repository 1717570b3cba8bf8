"""SmartPick's vocabulary: the words every part shares, with no dependency of its own.

Specialties (one canonical spelling, with the aliases our sources use), US states and
territories, applicant types and program types. The applicant profile, the catalog and the
model all read these names from here, so none of them needs another part to spell a
specialty or a state.

Specialties: NRMP program results, Charting Outcomes and the ERAS signal list spell some
specialties differently ("Obstetrics-Gynecology", "Obstetrics and Gynecology"). Everything
SmartPick stores and shows uses the canonical name; :func:`canonical` maps any known spelling
to it.
"""

from __future__ import annotations

import difflib
from typing import Literal

from smartpick.errors import InputError, ValidationProblem

ApplicantType = Literal["non_us_img", "us_img", "us_md", "us_do"]
APPLICANT_TYPES: tuple[str, ...] = ("non_us_img", "us_img", "us_md", "us_do")
IMG_TYPES: frozenset[str] = frozenset({"non_us_img", "us_img"})
ProgramType = Literal["university", "community-university", "community", "military"]
PROGRAM_TYPES: tuple[str, ...] = ("university", "community", "community-university", "military",
                                  "other")  # "other": what the catalog holds besides

# canonical name -> aliases (case-insensitive)
_ALIASES: dict[str, tuple[str, ...]] = {
    "Anesthesiology": (),
    "Child Neurology": ("Child Neurology & Neurodevelopmental Disabilities",),
    "Dermatology": (),
    "Diagnostic Radiology": (
        "Radiology-Diagnostic",
        "Diagnostic Radiology and Interventional Radiology",
    ),
    "Emergency Medicine": (),
    "Family Medicine": (),
    "General Surgery": ("Surgery-General", "Surgery"),
    "Internal Medicine": ("Medicine", "IM"),
    "Internal Medicine-Pediatrics": (
        "Medicine-Pediatrics",
        "Internal Medicine/Pediatrics",
        "Med-Peds",
    ),
    "Internal Medicine-Psychiatry": ("Medicine-Psychiatry", "Internal Medicine & Psychiatry"),
    "Interventional Radiology": ("Interventional Radiology (Integrated)",),
    "Medicine-Preliminary": ("Internal Medicine (Preliminary)", "Preliminary Medicine"),
    "Neurological Surgery": ("Neurosurgery",),
    "Neurology": (),
    "Obstetrics and Gynecology": ("Obstetrics-Gynecology", "OB/GYN", "OBGYN"),
    "Orthopaedic Surgery": ("Orthopedic Surgery",),
    "Otolaryngology": (),
    "Pathology": ("Pathology-Anatomic and Clinical",),
    "Pediatrics": (),
    "Physical Medicine and Rehabilitation": ("Physical Medicine & Rehabilitation", "PM&R"),
    "Plastic Surgery": ("Plastic Surgery (Integrated)",),
    "Preventive Medicine": (
        "Public Health and Preventive Medicine",
        "Public Health and General Preventive Medicine",
    ),
    "Psychiatry": (),
    "Radiation Oncology": (),
    "Surgery-Preliminary": ("General Surgery (Preliminary)", "Preliminary Surgery"),
    "Thoracic Surgery": ("Thoracic Surgery (Integrated)",),
    "Transitional Year": (),
    "Vascular Surgery": ("Vascular Surgery (Integrated)",),
}

_LOOKUP: dict[str, str] = {}


def _build_lookup() -> None:
    for name, aliases in _ALIASES.items():
        for spelling in (name, *aliases):
            _LOOKUP[spelling.casefold()] = name


_build_lookup()

CANONICAL: tuple[str, ...] = tuple(sorted(_ALIASES))


def register(name: str) -> None:
    """Accept a further canonical name (combined specialties found in the catalog)."""
    _LOOKUP.setdefault(name.casefold(), name)


def normalise(name: str) -> str:
    """The canonical name for a known spelling; unknown spellings are returned stripped."""
    cleaned = " ".join(name.split())
    return _LOOKUP.get(cleaned.casefold(), cleaned)


def known_names() -> list[str]:
    return sorted(set(_LOOKUP.values()))


def canonical(name: str, field: str = "specialty") -> str:
    """The canonical name, or an :class:`InputError` naming ``field`` with suggestions."""
    cleaned = " ".join(str(name).split())
    found = _LOOKUP.get(cleaned.casefold())
    if found:
        return found
    close = difflib.get_close_matches(cleaned, known_names(), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise InputError(
        f"unknown specialty {cleaned!r}",
        [ValidationProblem(field, f"unknown specialty {cleaned!r}{hint}")],
    )


# US states and territories: two-letter codes and full names
STATE_NAMES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "PR": "Puerto Rico", "GU": "Guam", "VI": "Virgin Islands",
}
NAME_TO_CODE: dict[str, str] = {name.casefold(): code for code, name in STATE_NAMES.items()}


def state_code(text: str) -> str | None:
    """The two-letter code for a code or a full state name, else None."""
    cleaned = text.strip()
    if cleaned.upper() in STATE_NAMES:
        return cleaned.upper()
    return NAME_TO_CODE.get(cleaned.casefold())
