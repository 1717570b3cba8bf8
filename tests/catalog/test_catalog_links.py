"""Programs own their NRMP tracks: each linking rule, tracks left alone with their reason,
newest positions, open status, places cross-checked (fixture: real rows of the raw sources)."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartpick.catalog.fields import NO_POSITIONS, NOT_ACCEPTING, OPEN, Status
from smartpick.catalog.ingest import link
from smartpick.catalog.ingest.pipeline import IngestResult, ingest
from smartpick.catalog.ingest.records import ProgramRecord

RAW = Path(__file__).parent.parent / "fixtures" / "raw"

CAMPBELL_HARNETT = "1403600329"
HES_POPLAR_BLUFF, HES_NORTH_KNOXVILLE = "1402800916", "1404700003"
UAB, MEHARRY, IOWA_DES_MOINES = "1400121022", "1404711413", "1401831137"
COLORADO, ASCENSION_MILWAUKEE, UCF_GAINESVILLE = "1400721073", "1405600001", "1401100938"
NYMC_ST_MARY = "1403300539"


@pytest.fixture(scope="module")
def result() -> IngestResult:
    return ingest(RAW)


@pytest.fixture(scope="module")
def records(result: IngestResult) -> dict[str, ProgramRecord]:
    return {p.program_id: p for p in result.programs}


def _link(result: IngestResult, track: str) -> link.Link:
    return next(x for x in result.report.links if x.track == track)


def _unlinked(result: IngestResult, track: str) -> link.Unlinked:
    return next(x for x in result.report.unlinked if x.track == track)


def test_a_site_track_joins_only_the_program_of_its_site(result, records) -> None:  # type: ignore[no-untyped-def]
    assert _link(result, "2128140C2").acgme_id == CAMPBELL_HARNETT  # ".../Harnett Health"
    assert _link(result, "2128140C2").rule == link.SITE
    for other_site in ("2128140C0", "2128140C1"):  # Cape Fear, Southeastern: no program here
        assert _unlinked(result, other_site).reason == "site_unmatched"
        assert records[other_site].merged_into == ""
    harnett = records[CAMPBELL_HARNETT]
    assert harnett.values["nrmp_codes"] == "2128140C2"
    assert harnett.values["positions"] == 8  # the 45 of all three sites is not merged


def test_a_multi_state_sponsor_links_each_site_in_its_own_state(result, records) -> None:  # type: ignore[no-untyped-def]
    poplar = _link(result, "2335140C1")  # Health Education Services-TN: Poplar Bluff, MO
    assert (poplar.acgme_id, poplar.rule) == (HES_POPLAR_BLUFF, link.SITE)
    assert records["2335140C1"].values["state"] == "MO"  # the site's state, not TN
    knoxville = records[HES_NORTH_KNOXVILLE]
    assert knoxville.values["nrmp_codes"] == "2335140C5"
    assert knoxville.values["positions"] == 13


def test_institution_rules(result) -> None:  # type: ignore[no-untyped-def]
    assert (_link(result, "1007140C0").acgme_id, _link(result, "1007140C0").rule) == (
        UAB, link.INSTITUTION)
    meharry = _link(result, "1028140C0")  # weak name match, no rival in Tennessee
    assert (meharry.acgme_id, meharry.rule) == (MEHARRY, link.INSTITUTION_UNIQUE)
    des_moines = _link(result, "1346140C0")  # names tie; only one program's positions fit
    assert (des_moines.acgme_id, des_moines.rule) == (IOWA_DES_MOINES,
                                                      link.INSTITUTION_POSITIONS)


def test_primary_preliminary_and_pathway_tracks_join_their_program(result) -> None:  # type: ignore[no-untyped-def]
    for track, program in (("1076140M0", COLORADO), ("1007140C2", UAB),
                           ("1028140P0", MEHARRY)):
        found = _link(result, track)
        assert (found.acgme_id, found.rule) == (program, link.SAME_INSTITUTION)


def test_tracks_left_alone_say_why_and_stay_listed(result, records) -> None:  # type: ignore[no-untyped-def]
    assert _unlinked(result, "2405140C0").reason == "unnamed_institution"
    taken = _unlinked(result, "1852140C0")
    assert taken.reason == "program_taken" and "linked to another" in taken.detail
    for item in result.report.unlinked:
        rec = records[item.track]
        assert rec.merged_into == ""
        assert rec.values["link_rule"] == f"unlinked:{item.reason}"
        assert rec.facts["link_rule"].method == item.detail


def test_every_program_is_listed_once(result, records) -> None:  # type: ignore[no-untyped-def]
    owners: dict[str, str] = {}
    for rec in result.programs:
        for code in (rec.values.get("nrmp_codes") or "").split():
            if rec.kind == "acgme_program":
                assert code not in owners, f"{code} held by {owners.get(code)} and {rec.program_id}"
                owners[code] = rec.program_id
    for code, owner in owners.items():
        assert records[code].merged_into == owner
    linked = {x.track for x in result.report.links}
    assert linked == {r.program_id for r in result.programs if r.merged_into}


def test_the_newest_positions_win_with_their_year(records) -> None:  # type: ignore[no-untyped-def]
    gainesville = records[UCF_GAINESVILLE]  # Florida 2026 quota beats NRMP 2024
    assert gainesville.values["positions_year"] == 2026
    assert gainesville.facts["positions"].as_of.startswith("2026")
    uab = records[UAB]  # no newer figure: NRMP 2024, categorical + primary tracks only
    assert uab.values["positions_year"] == 2024
    assert uab.values["positions"] == records["1007140C0"].values["nrmp_quota_2024"] + \
        records["1007140C2"].values["nrmp_quota_2024"]
    assert uab.values["freida_positions"] == 39  # FREIDA's own count kept beside it


def test_closed_programs_are_marked_with_their_source(records) -> None:  # type: ignore[no-untyped-def]
    colorado = records[COLORADO]
    assert colorado.values["open_status"] == NOT_ACCEPTING
    assert colorado.facts["open_status"].source_id == "freida_im_2025"
    assert records[ASCENSION_MILWAUKEE].values["open_status"] == NO_POSITIONS
    assert records[UAB].values["open_status"] == OPEN


def test_a_state_two_witnesses_agree_on_is_corrected(result, records) -> None:  # type: ignore[no-untyped-def]
    nymc = records[NYMC_ST_MARY]  # FREIDA: Andover, KS; ACGME id 33 and NRMP say NJ
    state = nymc.facts["state"]
    assert nymc.values["state"] == "NJ"
    assert state.status is Status.DERIVED and "FREIDA: KS" in state.conflict
    assert "ACGME id state code" in state.method
    assert records["2375140C0"].values["state"] == "NJ"  # its tracks follow
    assert any(NYMC_ST_MARY in line for line in result.places.corrected)


def test_a_city_the_gazetteer_lacks_is_flagged_not_changed(result, records) -> None:  # type: ignore[no-untyped-def]
    meharry = records[MEHARRY]
    assert meharry.values["city"] == "Nashville"
    assert "gazetteer" in meharry.facts["city"].conflict
    assert "gazetteer" not in meharry.facts["name"].conflict  # shared facts are not touched


def test_new_programs_enter_the_catalog_with_their_place(records) -> None:  # type: ignore[no-untyped-def]
    new = {k: v for k, v in records.items() if v.kind == "new_program"}
    assert new, "the fixture lists new programs"
    hes_florida = new["NEW-0005"]  # its "city" is a state name: placed by the state only
    assert "city" not in hes_florida.values
    assert "no city" in hes_florida.values["location_source"]
    assert hes_florida.facts["latitude"].status is Status.ESTIMATED


def test_every_fact_has_an_as_of_date(result) -> None:  # type: ignore[no-untyped-def]
    for rec in result.programs:
        for name, fact in rec.facts.items():
            assert fact.as_of, f"{rec.program_id} {name} has no as-of date"


def test_visas_missing_from_the_list_are_derived(records) -> None:  # type: ignore[no-untyped-def]
    derived = [r for r in records.values()
               if r.facts.get("visa_h1b") and r.values["visa_h1b"] is False]
    assert derived
    for rec in derived:
        assert rec.facts["visa_h1b"].status is Status.DERIVED
