"""Search, provenance and advisor imports on real SQLite and PostgreSQL databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from smartpick.applicant.load import parse_profile
from smartpick.applicant.profile import Profile
from smartpick.catalog import schema
from smartpick.catalog.build import build
from smartpick.catalog.database import engine_for
from smartpick.catalog.fields import Qualifier, Status
from smartpick.catalog.importer import apply_updates, known_program_ids, read_updates
from smartpick.catalog.search import ProgramQuery
from smartpick.catalog.store import Catalog, open_catalog
from smartpick.errors import InputError, NotFoundError
from smartpick.rules.check import check
from smartpick.rules.verdict import VerdictStatus
from smartpick.settings import Settings


@pytest.fixture
def catalog(database_url: str, fixture_data: Path, tmp_path: Path) -> Catalog:
    settings = Settings(database_url=database_url, data_dir=fixture_data, home=tmp_path)
    build(settings)
    return open_catalog(settings)


def _import(catalog: Catalog, path: Path) -> int:
    with catalog.engine.begin() as conn:
        return apply_updates(conn, read_updates(path, known_program_ids(conn)))


def _snapshot(catalog: Catalog) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with catalog.engine.connect() as conn:
        programs = [tuple(r) for r in conn.execute(
            select(schema.programs).order_by(schema.programs.c.program_id))]
        facts = [tuple(r) for r in conn.execute(select(schema.program_facts).order_by(
            schema.program_facts.c.program_id, schema.program_facts.c.field))]
    return programs, facts


def test_search_by_specialty_and_state(catalog: Catalog) -> None:
    found = catalog.search(ProgramQuery(specialty="internal medicine", states=("al",)))
    assert found and all(p["state"] == "AL" and p["specialty"] == "Internal Medicine"
                         for p in found)
    # linked NRMP tracks are folded into their survey program unless asked for
    assert all(p.merged_into is None for p in found)
    merged = catalog.search(ProgramQuery(specialty="Internal Medicine", include_merged=True))
    assert len(merged) > len(catalog.search(ProgramQuery(specialty="Internal Medicine")))


def test_visa_filter_keeps_only_known_sponsors(catalog: Catalog) -> None:
    h1b = catalog.search(ProgramQuery(visa="h1b"))
    assert h1b and all(p["visa_h1b"] is True for p in h1b)
    either = catalog.search(ProgramQuery(visa="any"))
    assert {p.program_id for p in h1b} <= {p.program_id for p in either}
    assert all(p["visa_j1"] or p["visa_h1b"] for p in either)


def test_type_and_img_share_filters(catalog: Catalog) -> None:
    community = catalog.search(ProgramQuery(program_type="community"))
    assert all(p["program_type"] == "community" for p in community)
    shares = catalog.search(ProgramQuery(min_img_share=50))
    assert shares and all(p["pct_img"] >= 50 for p in shares)


def test_size_filter(catalog: Catalog) -> None:
    small = catalog.search(ProgramQuery(min_positions=2, max_positions=8))
    assert small and all(2 <= p["positions"] <= 8 for p in small)
    everything = catalog.count(ProgramQuery())
    assert catalog.count(ProgramQuery(max_positions=8)) < everything


def test_bad_filters_are_named(catalog: Catalog) -> None:
    with pytest.raises(InputError) as caught:
        catalog.search(ProgramQuery(specialty="Cardiology Magic", states=("ZZ",), visa="f1"))
    fields = {p.field for p in caught.value.problems}
    assert fields == {"specialty", "state", "visa"}


def test_program_carries_provenance_and_unknowns(catalog: Catalog) -> None:
    program = catalog.search(ProgramQuery(specialty="Internal Medicine", states=("AL",)))[0]
    again = catalog.get(program.program_id)
    positions = again.fact("positions")
    if again.value("nrmp_codes"):  # Match quotas of its tracks, newest year
        assert positions.status is Status.DERIVED and "quota" in positions.method
        assert again.value("positions_year") in range(2024, 2027)
    else:
        assert positions.status is Status.REPORTED and "FREIDA" in positions.source
    assert positions.as_of[:4] in {"2024", "2025", "2026"}
    assert again.fact("yog_max_years").status is Status.UNKNOWN
    data = again.to_dict()
    assert data["fields"]["step2ck_min"] == {"value": None, "status": "unknown", "source": None,
                                             "as_of": None, "method": None, "qualifier": None,
                                             "as_of_status": None, "note": None,
                                             "conflict": None}


def test_unknown_program_id(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError):
        catalog.get("0000000X0")


def test_good_import_applies_with_source_and_qualifier(catalog: Catalog, tmp_path: Path) -> None:
    pid = catalog.search(ProgramQuery(specialty="Internal Medicine", states=("AL",)))[0].program_id
    path = tmp_path / "advisor.csv"
    path.write_text(
        "program_id,field,value,source,as_of,qualifier\n"
        f"{pid},yog_max_years,5,https://example.org/im/faq,2026-09-01,strict\n"
        f"{pid},step2ck_min,225,https://example.org/im/faq,2026-09,preferred\n"
        f"{pid},visa_h1b,yes,https://example.org/im/visa,2026,\n", encoding="utf-8")
    assert _import(catalog, path) == 3
    program = catalog.get(pid)
    assert program["yog_max_years"] == 5.0
    assert program.fact("yog_max_years").qualifier is Qualifier.STRICT
    assert program.fact("step2ck_min").qualifier is Qualifier.PREFERRED
    assert program["visa_h1b"] is True
    assert program.fact("visa_h1b").source == "https://example.org/im/visa"


def test_bad_import_lists_every_error_and_changes_nothing(catalog: Catalog, tmp_path: Path) -> None:
    pid = catalog.search(ProgramQuery(specialty="Internal Medicine"))[0].program_id
    path = tmp_path / "bad.csv"
    path.write_text(
        "program_id,field,value,source,as_of\n"
        f"{pid},yog_max_years,5,https://example.org,2026-01-01\n"
        "9999999X9,yog_max_years,5,https://example.org,2026-01-01\n"
        f"{pid},favourite_colour,blue,https://example.org,2026-01-01\n"
        f"{pid},step2ck_min,high,https://example.org,2026-01-01\n"
        f"{pid},max_attempts,2,,2026-01-01\n"
        f"{pid},lor_min,3,https://example.org,2026-13-01\n", encoding="utf-8")
    before = _snapshot(catalog)
    with pytest.raises(InputError) as caught:
        _import(catalog, path)
    lines = [str(p) for p in caught.value.problems]
    assert "bad.csv:3: program_id: unknown program id '9999999X9'" in lines
    assert "bad.csv:4: field: unknown field 'favourite_colour'" in lines
    assert any(line.startswith("bad.csv:5: value: step2ck_min") for line in lines)
    assert any(line.startswith("bad.csv:6: source:") for line in lines)
    assert any(line.startswith("bad.csv:7: as_of:") for line in lines)
    assert _snapshot(catalog) == before


def test_import_with_missing_column_is_rejected(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "nosource.csv"
    path.write_text("program_id,field,value,as_of\nX,lor_min,3,2026\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        _import(catalog, path)
    assert [str(p) for p in caught.value.problems] == [
        "nosource.csv:1: source: required column is missing"]


def test_rebuild_replaces_the_catalog_whole(catalog: Catalog, fixture_data: Path,
                                            database_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=database_url, data_dir=fixture_data, home=tmp_path)
    first = build(settings)
    second = build(settings)
    assert first == second
    with engine_for(database_url).connect() as conn:
        count = conn.execute(select(func.count()).select_from(schema.programs)).scalar()
    assert count == first.programs


def test_import_rejects_values_out_of_range(catalog: Catalog, tmp_path: Path) -> None:
    pid = catalog.search(ProgramQuery(specialty="Internal Medicine"))[0].program_id
    path = tmp_path / "ranges.csv"
    path.write_text(
        "program_id,field,value,source,as_of\n"
        f"{pid},pct_img,-5,https://example.org,2026\n"
        f"{pid},pct_do,150,https://example.org,2026\n"
        f"{pid},pct_usmd,1e6,https://example.org,2026\n"
        f"{pid},positions,-3,https://example.org,2026\n"
        f"{pid},usce_min_months,-2,https://example.org,2026\n"
        f"{pid},yog_max_years,1e23,https://example.org,2026\n"
        f"{pid},step2ck_min,999,https://example.org,2026\n", encoding="utf-8")
    before = _snapshot(catalog)
    with pytest.raises(InputError) as caught:
        _import(catalog, path)
    lines = [str(p) for p in caught.value.problems]
    assert lines[0] == "ranges.csv:2: pct_img: must be between 0 and 100, got -5.0"
    assert [line.split(": ")[1] for line in lines] == [
        "pct_img", "pct_do", "pct_usmd", "positions", "usce_min_months", "yog_max_years",
        "step2ck_min"]
    assert _snapshot(catalog) == before


def test_a_program_lists_its_tracks_and_the_link_report_counts_them(catalog: Catalog) -> None:
    tracks = catalog.tracks_of("1400121022")  # University of Alabama Medical Center
    assert {t.program_id for t in tracks} == {"1007140C0", "1007140C2"}
    assert {t["link_rule"] for t in tracks} == {"institution", "same_institution"}
    listed = catalog.search(ProgramQuery(specialty="Internal Medicine"))
    assert not {t.program_id for t in tracks} & {p.program_id for p in listed}
    report = catalog.link_report()
    assert report.linked["site"] >= 4 and report.linked["institution_unique"] >= 1
    assert report.unlinked["site_unmatched"] >= 2
    assert report.examples["unnamed_institution"]


def test_each_link_rule_reaches_the_database(catalog: Catalog) -> None:
    rules = {t.program_id: t["link_rule"] for pid in (
        "1404111376", "1401100944", "1401621130", "1402411175", "1402421511")
        for t in catalog.tracks_of(pid)}
    assert rules["1639140C0"] == "institution_name"  # Pennsylvania Hospital
    assert rules["1899140C0"] == "institution_city"  # HCA/USF Blake, Bradenton
    assert rules["2117140C1"] == "site"  # "ALGH": Advocate Lutheran General Hospital
    assert rules["1268140M0"] == "institution"  # a primary track stands for its institution
    assert rules["3130140P1"] == "same_institution"  # "Med-Prelim/Neurology-Tufts"
    assert catalog.tracks_of("1403800541")[0]["link_rule"] == "site_positions"
    report = catalog.link_report()
    assert report.linked["institution_name"] >= 1 and report.linked["institution_city"] == 1


def _visa_import(tmp_path: Path, pid: str, as_of: str) -> Path:
    path = tmp_path / f"visa-{as_of}.csv"
    path.write_text("program_id,field,value,source,as_of,qualifier\n"
                    f"{pid},visa_j1,no,https://example.org/im/visa,{as_of},strict\n",
                    encoding="utf-8")
    return path


def test_disagreeing_sources_are_both_kept_and_decide_nothing(catalog: Catalog,
                                                              tmp_path: Path) -> None:
    pid = "1400121022"  # FREIDA 2025-03-28 lists J-1
    assert catalog.get(pid)["visa_j1"] is True
    _import(catalog, _visa_import(tmp_path, pid, "2026"))  # under a year newer: no winner
    fact = catalog.get(pid).fact("visa_j1")
    assert fact.value is False and fact.disputed
    assert "yes (reported: AMA FREIDA" in fact.conflict and "2025-03-28" in fact.conflict
    verdict = check(_j1_applicant(), catalog.get(pid))
    visa = verdict.reason("visa")
    assert verdict.status is VerdictStatus.UNVERIFIED and not visa.excludes
    assert "yes (reported: AMA FREIDA" in visa.conflict


def test_a_clearly_newer_source_wins_and_the_older_value_is_kept(catalog: Catalog,
                                                                 tmp_path: Path) -> None:
    pid = "1400121022"
    _import(catalog, _visa_import(tmp_path, pid, "2026-09-01"))  # 17 months newer
    fact = catalog.get(pid).fact("visa_j1")
    assert fact.value is False and not fact.disputed
    assert fact.conflict.startswith("older: yes")
    assert check(_j1_applicant(), catalog.get(pid)).status is VerdictStatus.INELIGIBLE


def _j1_applicant() -> Profile:
    return parse_profile({"applicant_type": "non_us_img", "graduation_year": 2022,
                          "visa": "j1", "exams": {"step1": "pass", "step2ck": 250}})
