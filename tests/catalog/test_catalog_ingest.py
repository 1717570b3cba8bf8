"""The ingest turns raw sources into catalog files: deterministic, linked, sourced."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from smartpick.catalog.fields import Status
from smartpick.catalog.ingest import link
from smartpick.catalog.ingest.pipeline import ingest, write_outputs
from smartpick.errors import DataError

RAW = Path(__file__).parent.parent / "fixtures" / "raw"


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return ingest(RAW)


def test_same_raw_files_give_identical_outputs(tmp_path: Path, result) -> None:  # type: ignore[no-untyped-def]
    write_outputs(result, tmp_path / "a")
    write_outputs(ingest(RAW), tmp_path / "b")
    for name in ("programs.csv", "facts.csv", "methods.csv", "quota_history.csv", "sources.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_every_track_and_survey_program_is_kept(result) -> None:  # type: ignore[no-untyped-def]
    kinds = [p.kind for p in result.programs]
    tracks = _rows(RAW / "nrmp_2024_program_results" / "nrmp_2024_program_results.csv")
    survey = _rows(RAW / "freida_im_2025" / "freida_internal_medicine_programs_2025.csv")
    new = _rows(RAW / "new_programs_2025_2026" / "new_programs.csv")
    florida = _rows(RAW / "nrmp_florida_2020_2026" / "NRMP_2020_2026_Main_and_Specialty.csv")
    codes = {r["program_code"] for r in tracks}
    new_in_florida = {r["Program Code"] for r in florida if r["Table"] == "Main"
                      and r["Program Code"] not in codes and int(r["2026 Quota"] or 0) > 0}
    assert len(tracks) == 155 and len(new_in_florida) == 31
    assert kinds.count("nrmp_track") == len(tracks) + len(new_in_florida)
    assert kinds.count("acgme_program") == len({r["program_id"] for r in survey}) == 54
    assert kinds.count("new_program") == len(new) == 3


def test_every_stored_value_has_provenance(result) -> None:  # type: ignore[no-untyped-def]
    for program in result.programs:
        assert set(program.values) == set(program.facts)
        for fact in program.facts.values():
            assert fact.status in (Status.REPORTED, Status.DERIVED, Status.ESTIMATED)
            assert fact.source_id


def test_survey_visa_list_is_reported_and_absence_derived(result) -> None:  # type: ignore[no-untyped-def]
    survey = {p.program_id: p for p in result.programs if p.kind == "acgme_program"}
    raw = _rows(RAW / "freida_im_2025" / "freida_internal_medicine_programs_2025.csv")
    only = "['J-1 through ECFMG']"
    j1_only = [r["program_id"] for r in raw if r["visa_statuses_accepted"] == only]
    assert j1_only, "fixture should hold a program that lists only J-1"
    program = survey[j1_only[0]]
    assert program.values["visa_j1"] is True
    assert program.values["visa_h1b"] is False
    assert program.facts["visa_j1"].status is Status.REPORTED
    h1b = program.facts["visa_h1b"]
    assert h1b.status is Status.DERIVED and "absence" in h1b.method and h1b.as_of


def test_an_empty_visa_list_stays_unknown(result) -> None:  # type: ignore[no-untyped-def]
    raw = _rows(RAW / "freida_im_2025" / "freida_internal_medicine_programs_2025.csv")
    empty = {r["program_id"] for r in raw if r["visa_statuses_accepted"].strip() == "[]"}
    assert empty, "fixture should hold a program with an empty visa list"
    for program in result.programs:
        if program.program_id in empty:
            assert "visa_j1" not in program.values and "visa_h1b" not in program.values


def test_requirement_fields_are_unknown_without_a_source(result) -> None:  # type: ignore[no-untyped-def]
    for program in result.programs:
        assert "yog_max_years" not in program.values
        assert "step2ck_min" not in program.values


def test_linked_tracks_point_to_their_survey_program(result) -> None:  # type: ignore[no-untyped-def]
    assert result.links, "Alabama's survey programs should link to NRMP tracks"
    programs = {p.program_id: p for p in result.programs}
    for pid, codes in result.report.programs().items():
        survey = programs[pid]
        assert survey.values["nrmp_codes"] == " ".join(codes)
        assert survey.facts["nrmp_codes"].status is Status.DERIVED
        assert survey.values["tracks"] == len(codes)
        counted = [c for c in codes if programs[c].values["track"] in ("C", "M")]
        if counted:
            quota = sum(programs[c].values.get("nrmp_quota_2024", 0) for c in counted)
            assert survey.values["nrmp_quota_2024"] == quota
        for code in codes:
            assert programs[code].merged_into == pid
            assert programs[code].values["link_rule"] in link.RULES


def test_coordinates_fall_back_to_a_labelled_state_centroid(result) -> None:  # type: ignore[no-untyped-def]
    statuses = {p.facts["latitude"].status for p in result.programs if "latitude" in p.facts}
    assert Status.DERIVED in statuses and Status.ESTIMATED in statuses
    for program in result.programs:
        fact = program.facts.get("latitude")
        if fact and fact.status is Status.ESTIMATED:
            assert "state centroid" in fact.method


def test_abbreviated_names_are_written_out_for_linking() -> None:
    nrmp = link.tokens("U Alabama Med Ctr-Birmingham")
    survey = link.tokens("University of Alabama Medical Center Program Birmingham")
    assert link.score(nrmp, survey) == 1.0
    assert link.score(link.tokens("Thomas Hospital"), survey) == 0.0


def test_missing_raw_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="nrmp_2024_program_results"):
        ingest(tmp_path)
