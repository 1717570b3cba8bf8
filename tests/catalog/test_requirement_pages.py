"""Requirement facts read by hand from program pages: dates, ingest, and how the build keeps them.

Every page sentence below is written for these tests (none is quoted from a program's page).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smartpick.catalog.build import build
from smartpick.catalog.fields import Qualifier, Status
from smartpick.catalog.ingest.page_dates import date_page
from smartpick.catalog.ingest.pipeline import ingest, write_outputs
from smartpick.catalog.ingest.requirements import (
    COLUMNS,
    METHOD_INSTITUTION,
    METHOD_PROGRAM,
    ingest_requirements,
)
from smartpick.catalog.store import Catalog, open_catalog
from smartpick.errors import DataError
from smartpick.settings import Settings

RAW = Path(__file__).parent.parent / "fixtures" / "raw"
# survey programs of the fixture catalog (FREIDA: J-1 yes, H-1B no)
CRESTWOOD, MOBILE, UAB, NORTH_ALABAMA, THOMAS = (
    "1400100001", "1400100003", "1400100893", "1400100901", "1400100902")


# --- page dates -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "as_of"), [
    ("This page was last updated on May 4, 2023. Three letters are needed.", "2023-05-04"),
    ("Applications for the 2019-2020 recruitment season open in September.", "2019"),
    ("Your ECFMG certificate must reach us by January 15, 2018.", "2017"),
    ("We take part in the 2021 Match through ERAS only.", "2020"),
    ("Offers for entry in summer 2024 follow the interview day.", "2023"),
])
def test_a_page_carries_its_own_date(text: str, as_of: str) -> None:
    dated = date_page(text)
    assert (dated.as_of, dated.estimated) == (as_of, False)


def test_graduation_years_are_not_page_dates() -> None:
    dated = date_page("Applicants must have graduated in 2015 or later. "
                      "Graduation within 2012-2016 needs extra clinical work.")
    assert dated.estimated and dated.as_of == "2026"
    assert not dated.outdated_flag


def test_an_undated_page_naming_retired_exams_is_estimated_and_flagged() -> None:
    dated = date_page("Please pass Step 2 CS before the rank list is certified.")
    assert (dated.as_of, dated.estimated) == ("2020", True)
    assert dated.outdated_flag.startswith("possibly outdated: the page names Step 2 CS")
    step1 = date_page("We look for strong scores.", numeric_step1=True)
    assert step1.as_of == "2021" and "pass/fail since 2022" in step1.outdated_flag
    csa = date_page(None, noted="asks for CSA results")
    assert csa.as_of == "2003" and "ECFMG CSA" in csa.outdated_flag


def test_a_dated_page_naming_a_retired_exam_keeps_its_date_and_the_flag() -> None:
    dated = date_page("For the 2019-2020 season we need Step 2 CS results.")
    assert (dated.as_of, dated.estimated) == ("2019", False)
    assert "Step 2 CS" in dated.outdated_flag


def test_a_season_noted_by_the_reader_dates_a_page_without_text() -> None:
    dated = date_page(None, noted="letters from US faculty; page for the 2016-2017 cycle")
    assert (dated.as_of, dated.estimated) == ("2016", False)
    assert "noted when read by hand" in dated.how


# --- ingest of the labels -------------------------------------------------------------------

def _label(**values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": "req-9001", "url": "https://example.org/im/apply", "program": "Example IM",
        "specialty": "Internal Medicine", "visa_j1": None, "visa_h1b": None,
        "visa_none_sponsored": None, "yog_max_years": None, "yog_min_year": None,
        "step1_min": None, "step2ck_min": None, "step3_required": None, "max_attempts": None,
        "usce_required": None, "usce_min_months": None, "usce_hands_on_only": None,
        "usce_recency_months": None, "ecfmg_required_by": None, "lor_min": None,
        "lor_us_required": None, "other": None, "preferred_fields": [], "program_id": CRESTWOOD,
        "scope": "program"}
    row.update(values)
    return row


def write_labels(folder: Path, dev: list[dict[str, Any]],
                 more: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("requirements_dev.jsonl", dev), ("im_requirement_labels.jsonl", more)):
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return folder


def _rows(path: Path) -> list[dict[str, str]]:
    import csv
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_ingest_writes_hand_read_facts_with_qualifiers_dates_and_methods(tmp_path: Path) -> None:
    dev = [
        _label(text="J-1 only. Graduates of the last 3 years are preferred. Step 2 CS required.",
               visa_j1="yes", visa_h1b="no", yog_max_years=3, usce_required="preferred",
               preferred_fields=["yog_max_years"], ecfmg_required_by="ranking (before the list)"),
        _label(id="req-0001", program_id=None, text="A page of no catalog program.", lor_min=2),
    ]
    more = [_label(id="req-9002", url="https://example.org/gme", program_id=UAB,
                   scope="institution", step3_required="yes (for H-1B)", lor_min=3,
                   other="institution page for the 2024-2025 season")]
    labels = write_labels(tmp_path / "labels", dev, more)
    counts = ingest_requirements(labels, tmp_path / "data")
    out = tmp_path / "data" / "requirements" / "im_requirements.csv"
    rows = _rows(out)
    assert counts == {"facts": 7, "programs": 2}
    assert list(rows[0]) == list(COLUMNS)
    facts = {(r["program_id"], r["field"]): r for r in rows}
    assert facts[CRESTWOOD, "yog_max_years"]["qualifier"] == "preferred"
    assert facts[CRESTWOOD, "visa_h1b"]["value"] == "no"
    assert facts[CRESTWOOD, "visa_h1b"]["qualifier"] == "strict"
    assert (facts[CRESTWOOD, "usce_required"]["value"],
            facts[CRESTWOOD, "usce_required"]["qualifier"]) == ("yes", "preferred")
    assert facts[CRESTWOOD, "ecfmg_required_by"]["value"] == "ranking"
    assert facts[CRESTWOOD, "visa_j1"]["as_of"] == "2020"
    assert facts[CRESTWOOD, "visa_j1"]["as_of_status"] == "estimated"
    assert "possibly outdated" in facts[CRESTWOOD, "visa_j1"]["note"]
    assert facts[UAB, "step3_required"]["value"] == "for H-1B"
    assert facts[UAB, "lor_min"]["method"] == METHOD_INSTITUTION
    assert facts[CRESTWOOD, "visa_j1"]["method"] == METHOD_PROGRAM
    assert (facts[UAB, "lor_min"]["as_of"], facts[UAB, "lor_min"]["as_of_status"]) == (
        "2024", "")
    assert all(r["status"] == "reported" for r in rows)
    assert (CRESTWOOD, "step1_min") not in facts  # unsaid stays unknown
    assert not any("J-1 only" in value for r in rows for value in r.values())
    first = out.read_bytes()
    ingest_requirements(labels, tmp_path / "data")
    assert out.read_bytes() == first


def test_ingest_names_the_row_of_a_bad_label(tmp_path: Path) -> None:
    labels = write_labels(tmp_path / "labels", [_label(text="x", usce_required="maybe")],
                          [_label(id="req-9003", program_id=UAB, lor_min="two")])
    with pytest.raises(DataError) as err:
        ingest_requirements(labels, tmp_path / "data")
    shown = [str(p) for p in err.value.problems]
    assert shown[0].startswith("requirements_dev.jsonl:1: usce_required: expected one of")
    assert shown[1].startswith("im_requirement_labels.jsonl:1: lor_min: expected a whole number")
    assert not (tmp_path / "data" / "requirements").exists()


def test_ingest_refuses_two_pages_for_one_program(tmp_path: Path) -> None:
    labels = write_labels(tmp_path / "labels", [_label(text="x", lor_min=2)],
                          [_label(id="req-9004", lor_min=3)])
    with pytest.raises(DataError) as err:
        ingest_requirements(labels, tmp_path / "data")
    assert any(p.location == "req-9004" and "already has a page" in p.message
               for p in err.value.problems)


# --- the build: hand-read first, reader only where no one read, disagreements kept ----------

HEADER = ",".join(COLUMNS) + "\n"


def _line(program_id: str, field: str, value: str, source: str, as_of: str,
          status: str = "reported", as_of_status: str = "", qualifier: str = "strict",
          method: str = METHOD_PROGRAM) -> str:
    return ",".join([program_id, field, value, status, source, as_of, as_of_status, qualifier,
                     method, ""]) + "\n"


@pytest.fixture(scope="module")
def fixture_catalog_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("data")
    write_outputs(ingest(RAW), data_dir / "catalog")
    return data_dir


def _build(database_url: str, data_dir: Path, home: Path, files: dict[str, str]) -> Catalog:
    folder = data_dir / "requirements"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.csv"):
        old.unlink()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    settings = Settings(database_url=database_url, data_dir=data_dir, home=home)
    build(settings)
    return open_catalog(settings)


PAGE_A, PAGE_B = "https://example.org/a", "https://example.org/b"
HAND = (HEADER
        + _line(CRESTWOOD, "requirements_url", PAGE_A, PAGE_A, "2026", "reported", "estimated",
                "")
        + _line(CRESTWOOD, "lor_min", "3", PAGE_A, "2026", "reported", "estimated")
        # the survey says J-1 yes; an undated page says no: unresolved
        + _line(CRESTWOOD, "visa_j1", "no", PAGE_A, "2026", "reported", "estimated")
        # an older page of its own date says no: the 2025 survey is newer and wins
        + _line(MOBILE, "requirements_url", PAGE_B, PAGE_B, "2016", qualifier="")
        + _line(MOBILE, "visa_j1", "no", PAGE_B, "2016")
        + _line(MOBILE, "yog_max_years", "3", PAGE_B, "2016", qualifier="preferred"))
READER = (HEADER
          # the page read by hand: the reader's reading of it never applies
          + _line(CRESTWOOD, "step2ck_min", "230", PAGE_A, "2026", "extracted", method="reader")
          # a field already known from the survey: the reader does not replace it
          + _line(THOMAS, "visa_j1", "no", "https://example.org/c", "2026", "extracted",
                  method="reader")
          # nobody read this page: the reader fills in, as extracted
          + _line(THOMAS, "yog_max_years", "1", "https://example.org/c", "2026", "extracted",
                  method="reader"))


def test_build_keeps_hand_facts_fills_with_the_reader_and_keeps_disagreements(
        database_url: str, fixture_catalog_dir: Path, tmp_path: Path) -> None:
    catalog = _build(database_url, fixture_catalog_dir, tmp_path,
                     {"im_requirements.csv": HAND, "im_extracted.csv": READER})
    crest = catalog.get(CRESTWOOD)
    assert crest.fact("lor_min").status is Status.REPORTED
    assert crest.fact("lor_min").as_of_status == "estimated"
    assert crest.fact("step2ck_min").status is Status.UNKNOWN
    j1 = crest.fact("visa_j1")
    assert j1.value is False and "FREIDA" in j1.conflict and "gives yes" in j1.conflict
    mobile = catalog.get(MOBILE)
    assert mobile.fact("visa_j1").value is True and not mobile.fact("visa_j1").conflict
    assert "newer than: https://example.org/b (2016) gives no" in mobile.fact("visa_j1").note
    assert mobile.fact("yog_max_years").qualifier is Qualifier.PREFERRED
    thomas = catalog.get(THOMAS)
    assert thomas.fact("visa_j1").value is True
    assert thomas.fact("visa_j1").status is Status.REPORTED
    assert thomas.fact("yog_max_years").status is Status.EXTRACTED
    assert thomas.fact("yog_max_years").value == 1.0
