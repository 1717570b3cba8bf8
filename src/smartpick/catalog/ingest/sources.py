"""The sources the ingest reads, with origin, date and licence (see data/SOURCES.md)."""

from __future__ import annotations

from smartpick.catalog.ingest.records import Source

NRMP_2024 = Source(
    "nrmp_2024",
    "NRMP 2024 Main Residency Match, Program Results (text of the published report)",
    "https://www.nrmp.org/match-data/",
    "2024-03-15",
    "NRMP publication; facts cited with attribution",
)
NRMP_CODES = Source(
    "nrmp_codes",
    "NRMP program and institution code lists (wavegate/residency-match seed data)",
    "https://github.com/wavegate/residency-match",
    "2024-06-24",
    "MIT No Attribution (repository); NRMP data",
)
FREIDA_IM_2025 = Source(
    "freida_im_2025",
    "AMA FREIDA program survey, Internal Medicine (scraped 2025)",
    "https://freida.ama-assn.org/",
    "2025-03-28",
    "AMA FREIDA content; AMA terms of use apply",
)
FLORIDA_2020_2026 = Source(
    "nrmp_florida",
    "NRMP Program Results for Florida programs, 2020-2026 (flchildrenshospitals/nrmp-dashboard)",
    "https://github.com/flchildrenshospitals/nrmp-dashboard",
    "2026-04-27",
    "none stated; NRMP data",
)
GAZETTEER = Source(
    "city_gazetteer",
    "US city to latitude/longitude gazetteer (mufflyt/tyler cityStateToLatLong)",
    "https://github.com/mufflyt/tyler",
    "2023-09-09",
    "MIT (package); upstream undated",
)
CMS_HOSPITALS = Source(
    "cms_hospitals",
    "CMS Hospital General Information with Census ZCTA centroids (onefact/payless.health)",
    "https://github.com/onefact/payless.health-quality-metrics",
    "2023-08-24",
    "Apache-2.0 (repository); US government data, public domain",
)
MACTION_2019 = Source(
    "program_locations_2019",
    "Program name to city, state and ACGME id (nmacklin/MactionCreations, 2018-2019)",
    "https://github.com/nmacklin/MactionCreations",
    "2019-01-20",
    "none stated",
)
NEW_PROGRAMS = Source(
    "new_programs_2025_2026",
    "Newly ACGME-accredited programs 2025-2026, hand-curated list (Dirshco/Residency-New-Programs)",
    "https://github.com/Dirshco/Residency-New-Programs",
    "2026-07-30",
    "none stated; manual entries, unverified",
)
SMARTPICK_LINK = Source(
    "smartpick_link",
    "SmartPick ingest: survey-to-NRMP linking and arithmetic on reported facts",
    "data/SOURCES.md",
    "",
    "derived",
)

ALL_SOURCES: tuple[Source, ...] = (
    NRMP_2024, NRMP_CODES, FREIDA_IM_2025, FLORIDA_2020_2026, GAZETTEER, CMS_HOSPITALS,
    MACTION_2019, NEW_PROGRAMS, SMARTPICK_LINK,
)
