"""The review trail: decisions on extracted or disputed facts, kept in a file, on both databases.

A decision survives a rebuild and a change to the reader; reviews export and import as one
file, applied whole or not at all.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from tests.catalog.test_requirement_pages import (
    CRESTWOOD,
    HAND,
    READER,
    THOMAS,
)
from tests.conftest import cli_env

from smartpick.catalog import fact_review
from smartpick.catalog.build import build
from smartpick.catalog.fields import Qualifier, Status
from smartpick.catalog.ingest.pipeline import ingest, write_outputs
from smartpick.catalog.reviews import COLUMNS, read_reviews, reviews_path
from smartpick.catalog.store import Catalog, open_catalog
from smartpick.cli import cli, load_all
from smartpick.errors import InputError
from smartpick.settings import Settings
from smartpick.web import WebLimits, create_app

RAW = Path(__file__).parent.parent / "fixtures" / "raw"
PAGE_C = "https://example.org/c"


@pytest.fixture(scope="module")
def fixture_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("catalog") / "catalog"
    write_outputs(ingest(RAW), folder)
    return folder


def _data_dir(root: Path, catalog_folder: Path, reader: str = READER) -> Path:
    data = root / "data"
    (data / "requirements").mkdir(parents=True, exist_ok=True)
    if not (data / "catalog").exists():
        os.symlink(catalog_folder, data / "catalog")
    (data / "requirements" / "im_requirements.csv").write_text(HAND, encoding="utf-8")
    (data / "requirements" / "im_extracted.csv").write_text(reader, encoding="utf-8")
    return data


@pytest.fixture
def settings(database_url: str, fixture_catalog: Path, tmp_path: Path) -> Settings:
    found = Settings(database_url, _data_dir(tmp_path, fixture_catalog), tmp_path)
    build(found)
    return found


def _catalog(settings: Settings) -> Catalog:
    return open_catalog(settings)


def test_waiting_facts_are_the_extracted_and_the_disputed(settings: Settings) -> None:
    items = fact_review.waiting(_catalog(settings), settings.data_dir)
    keys = {(i.program_id, i.fact.field): i for i in items}
    assert set(keys) == {(THOMAS, "yog_max_years"), (CRESTWOOD, "visa_j1")}
    assert keys[THOMAS, "yog_max_years"].fact.status is Status.EXTRACTED
    assert "gives yes" in keys[CRESTWOOD, "visa_j1"].fact.conflict


def test_an_accepted_fact_is_reported_and_survives_rebuild_and_a_new_reader(
        settings: Settings) -> None:
    catalog = _catalog(settings)
    fact_review.decide(settings, catalog, THOMAS, "yog_max_years", "accept", "Dana Reyes",
                       note="checked on the live page")
    fact = catalog.get(THOMAS).fact("yog_max_years")
    assert (fact.value, fact.status) == (1.0, Status.REPORTED)
    assert "confirmed by Dana Reyes on " in fact.method and fact.source == PAGE_C
    assert not [i for i in fact_review.waiting(catalog, settings.data_dir)
                if i.program_id == THOMAS]
    (row,) = read_reviews(reviews_path(settings.data_dir))
    assert (row.decision, row.value, row.reviewer, row.note) == (
        "accept", 1.0, "Dana Reyes", "checked on the live page")
    # the reader changes its mind about that page: the decision stands, after a rebuild
    changed = READER.replace(f"{THOMAS},yog_max_years,1,", f"{THOMAS},yog_max_years,4,")
    assert changed != READER
    (settings.data_dir / "requirements" / "im_extracted.csv").write_text(changed,
                                                                          encoding="utf-8")
    build(settings)
    again = catalog.get(THOMAS).fact("yog_max_years")
    assert (again.value, again.status) == (1.0, Status.REPORTED)


def test_rejecting_a_disputed_page_value_leaves_the_other_source(settings: Settings) -> None:
    catalog = _catalog(settings)
    fact_review.decide(settings, catalog, CRESTWOOD, "visa_j1", "reject", "Sam Okafor")
    fact = catalog.get(CRESTWOOD).fact("visa_j1")
    assert fact.value is True and not fact.conflict and "FREIDA" in fact.source
    build(settings)
    assert catalog.get(CRESTWOOD).fact("visa_j1").value is True


def test_a_correction_gives_the_value_and_rule_the_page_states(settings: Settings) -> None:
    catalog = _catalog(settings)
    fact_review.decide(settings, catalog, THOMAS, "yog_max_years", "correct", "Sam Okafor",
                       value="3", qualifier="preferred")
    fact = catalog.get(THOMAS).fact("yog_max_years")
    assert (fact.value, fact.status, fact.qualifier) == (3.0, Status.REPORTED,
                                                         Qualifier.PREFERRED)
    assert "corrected by Sam Okafor" in fact.method


def test_reviews_export_and_import_whole_or_not_at_all(settings: Settings, tmp_path: Path,
                                                       fixture_catalog: Path) -> None:
    catalog = _catalog(settings)
    fact_review.decide(settings, catalog, THOMAS, "yog_max_years", "accept", "Dana Reyes")
    fact_review.decide(settings, catalog, CRESTWOOD, "visa_j1", "accept", "Dana Reyes")
    shared = tmp_path / "shared.csv"
    assert fact_review.export_file(settings, shared) == 2
    # a second advisor with a fresh copy of the data imports the shared file
    other = Settings(settings.database_url, _data_dir(tmp_path / "second", fixture_catalog),
                     tmp_path)
    build(other)
    assert fact_review.import_file(other, catalog, shared) == 2
    assert catalog.get(CRESTWOOD).fact("visa_j1").conflict == ""
    assert fact_review.import_file(other, catalog, shared) == 0  # nothing twice
    # a file with two bad lines changes nothing and names each line
    rows = list(csv.DictReader(shared.open(encoding="utf-8")))
    rows[0]["decision"] = "maybe"
    rows[1]["value"] = "soon"
    bad = tmp_path / "bad.csv"
    with bad.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    before = reviews_path(other.data_dir).read_bytes()
    with pytest.raises(InputError) as err:
        fact_review.import_file(other, catalog, bad)
    shown = [str(p) for p in err.value.problems]
    assert shown[0].startswith("bad.csv:2: decision: must be one of accept, correct, reject")
    assert shown[1].startswith("bad.csv:3: value: visa_j1: expected yes/no")
    assert reviews_path(other.data_dir).read_bytes() == before


def test_a_decision_needs_a_name_and_a_known_fact(settings: Settings) -> None:
    catalog = _catalog(settings)
    with pytest.raises(InputError) as err:
        fact_review.decide(settings, catalog, THOMAS, "yog_max_years", "accept", "")
    assert [p.field for p in err.value.problems] == ["reviewer"]
    with pytest.raises(InputError):
        fact_review.decide(settings, catalog, THOMAS, "favourite_colour", "accept", "Dana")
    assert not reviews_path(settings.data_dir).exists()


# --- the command line and the review page (SQLite) ------------------------------------------

@pytest.fixture
def sqlite_settings(fixture_catalog: Path, tmp_path: Path) -> Settings:
    found = Settings(f"sqlite:///{tmp_path / 'smartpick.sqlite'}",
                     _data_dir(tmp_path, fixture_catalog), tmp_path)
    build(found)
    return found


def _run(settings: Settings, *args: str) -> tuple[int, str]:
    load_all()
    result = CliRunner().invoke(cli, list(args), env=cli_env(settings))
    return result.exit_code, result.output


def test_facts_commands_list_show_decide(sqlite_settings: Settings) -> None:
    code, out = _run(sqlite_settings, "facts", "list")
    assert code == 0 and "2 facts waiting for review" in out and PAGE_C in out
    code, out = _run(sqlite_settings, "facts", "correct", THOMAS, "yog_max_years", "2",
                     "--by", "Dana Reyes", "--note", "page says two years")
    assert code == 0 and "correct recorded by Dana Reyes" in out
    code, out = _run(sqlite_settings, "facts", "show", THOMAS, "yog_max_years")
    assert code == 0 and "status:   reported" in out and "Dana Reyes: correct 2" in out
    code, out = _run(sqlite_settings, "facts", "list")
    assert "1 facts waiting for review" in out
    code, out = _run(sqlite_settings, "facts", "accept", THOMAS, "yog_max_years")
    assert code == 2 and "--by" in out


def test_review_page_lists_and_records_decisions(sqlite_settings: Settings) -> None:
    client = TestClient(create_app(sqlite_settings, WebLimits(rate_per_minute=10**6,
                                                              burst=10**6)))
    page = client.get("/facts")
    assert page.status_code == 200
    assert f'data-key="{THOMAS}/yog_max_years"' in page.text and f'href="{PAGE_C}"' in page.text
    assert "disputed: AMA FREIDA" in page.text
    done = client.post("/facts", data={"program_id": THOMAS, "field": "yog_max_years",
                                       "decision": "accept", "reviewer": "Lee Chen",
                                       "note": "ok"}, follow_redirects=False)
    assert done.status_code == 303
    after = client.get(done.headers["location"])
    assert f'data-key="{THOMAS}/yog_max_years"' not in after.text
    assert "Lee Chen" in after.text and "accept recorded" in after.text
    bad = client.post("/facts", data={"program_id": THOMAS, "field": "yog_max_years",
                                      "decision": "maybe", "reviewer": "Lee Chen"})
    assert bad.status_code == 422 and "must be one of accept, correct, reject" in bad.text
