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
    unnamed = _unlinked(result, "2397140M0")
    assert unnamed.reason == "unnamed_institution"
    assert "does not hold its program codes" in unnamed.detail
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


PENN, PENN_HOSPITAL = "1404121380", "1404111376"
ADVOCATE_MASONIC, ADVOCATE_LUTHERAN, ADVOCATE_CHRIST = "1401611114", "1401621130", "1401621129"
USF_BRADENTON, USA_HEALTH, CAMBRIDGE, BARNES_JEWISH = (
    "1401100944", "1400111024", "1402411175", "1402821215")
MAINE, WSU_EVERETT, LAHEY, NYU_LONG_ISLAND, CLEVELAND_CLINIC = (
    "1402211149", "1405400442", "1402421511", "1403511256", "1403812339")


def _linked(result: IngestResult, track: str) -> tuple[str, str]:
    found = _link(result, track)
    return found.acgme_id, found.rule


def test_a_name_beginning_with_the_institution_settles_a_tie(result) -> None:  # type: ignore[no-untyped-def]
    # "Pennsylvania Hospital" and "Hosp of the Univ of PA" both match both Penn programs;
    # the program named after Pennsylvania Hospital is its, and the other then is HUP's
    assert _linked(result, "1639140C0") == (PENN_HOSPITAL, link.INSTITUTION_NAME)
    assert "begins with the institution's" in _link(result, "1639140C0").method
    assert _linked(result, "1628140C0") == (PENN, link.INSTITUTION)
    assert _linked(result, "1628140M0") == (PENN, link.SAME_INSTITUTION)


def test_the_city_of_the_track_settles_a_tie(result, records) -> None:  # type: ignore[no-untyped-def]
    # four HCA/USF programs carry the same name; the Florida file puts Blake in Bradenton
    assert _linked(result, "1899140C0") == (USF_BRADENTON, link.INSTITUTION_CITY)
    assert records[USF_BRADENTON].values["nrmp_codes"] == "1899140C0 1899140P0"


def test_a_site_named_by_an_acronym_joins_that_site(result) -> None:  # type: ignore[no-untyped-def]
    for track, program in (("2117140C0", ADVOCATE_MASONIC), ("2117140C1", ADVOCATE_LUTHERAN),
                           ("2117140C2", ADVOCATE_CHRIST), ("2117140P1", ADVOCATE_LUTHERAN)):
        assert _linked(result, track) == (program, link.SITE)
    assert "acronym ALGH" in _link(result, "2117140C1").method
    # the site's own acronym, after the institution's main program took it by a site track
    assert _linked(result, "1455140C1") == (NYU_LONG_ISLAND, link.SITE)
    assert _linked(result, "1455140C0") == (NYU_LONG_ISLAND, link.SAME_INSTITUTION)


def test_abbreviations_and_renamed_sponsors_are_written_out(result) -> None:  # type: ignore[no-untyped-def]
    assert _link(result, "1852140C0").acgme_id == USA_HEALTH  # "USA Health" = U South Alabama
    assert _link(result, "1353140C0").acgme_id == BARNES_JEWISH  # "B-JH" = Barnes-Jewish
    assert _link(result, "1353140P2").acgme_id == BARNES_JEWISH
    assert _link(result, "1236140C0").acgme_id == MAINE  # Maine Med Ctr -> MaineHealth
    assert _link(result, "2276140C0").acgme_id == WSU_EVERETT  # "WSU" in WA: Washington State


def test_an_institution_without_a_categorical_track_links_by_its_primary_track(  # type: ignore[no-untyped-def]
        result) -> None:
    found = _link(result, "1268140M0")  # Cambridge Health Alliance: Medicine-Primary only
    assert (found.acgme_id, found.rule) == (CAMBRIDGE, link.INSTITUTION)
    assert "no categorical track" in found.method


def test_partner_preliminary_and_va_tracks_join_the_main_program(result) -> None:  # type: ignore[no-untyped-def]
    # "Med-Prelim/Neurology-Tufts" names the neurology program the year prepares for
    assert _linked(result, "3130140P1") == (LAHEY, link.SAME_INSTITUTION)
    # "Internal Med/VA" names a rotation site of the main program, not a program
    assert _linked(result, "1968140C2") == (CLEVELAND_CLINIC, link.SAME_INSTITUTION)
    assert _link(result, "1968140C4").acgme_id != CLEVELAND_CLINIC  # Fairview stays apart


def test_a_site_no_word_matches_joins_the_one_free_program_with_its_positions(  # type: ignore[no-untyped-def]
        result, records) -> None:
    # University Hospitals Community Consortium: Parma matches by name; "Regionals" (7) and
    # "SJMC" (8) name nothing, but one free consortium program each has that many positions
    assert _linked(result, "2189140C0") == ("1403800542", link.SITE)
    assert _linked(result, "2189140C1") == ("1403800541", link.SITE_POSITIONS)
    assert _linked(result, "2189140C2") == ("1403800540", link.SITE_POSITIONS)
    assert records["1403800541"].values["positions"] == 7
    # Campbell's Cape Fear (24) and Southeastern (13) sites: no free program fits: alone
    assert _unlinked(result, "2128140C0").reason == "site_unmatched"


def test_an_unnamed_institution_takes_the_header_the_report_prints(result, records) -> None:  # type: ignore[no-untyped-def]
    track = records["2405140C0"]  # the code lists name no institution 2405
    assert track.values["institution_name"] == "Mobile Infirmary Med Ctr-AL"
    fact = track.facts["institution_name"]
    assert fact.status is Status.DERIVED and fact.source_id == "nrmp_2024"
    assert "prints 'Mobile Infirmary Med Ctr-AL'" in fact.method
    assert track.values["name"].startswith("Mobile Infirmary Med Ctr-AL: ")
    # named, it links like any other institution
    assert _link(result, "2405140C0").acgme_id == "1400100003"  # Mobile Infirmary, Mobile
    assert _link(result, "2405140P0").acgme_id == "1400100003"


def test_tracks_new_in_the_florida_2026_match_enter_the_catalog(result, records) -> None:  # type: ignore[no-untyped-def]
    mease = records["2300140C1"]  # BayCare's Mease Countryside site: not in NRMP 2024
    assert mease.kind == "nrmp_track" and mease.values["specialty"] == "Internal Medicine"
    assert (mease.values["positions"], mease.values["positions_year"]) == (20, 2026)
    assert mease.facts["positions"].source_id == "nrmp_florida"
    assert "does not hold" in mease.facts["positions"].method
    assert mease.values["city"] == "Safety Harbor"
    assert _linked(result, "2300140C1") == ("1401100015", link.SITE)  # its site's program
    # a new Tallahassee site of UCF/HCA is not the FSU Tallahassee program the survey lists
    assert _unlinked(result, "1587140C6").reason == "site_unmatched"
    assert records["1587140C6"].merged_into == ""


def test_tracks_of_other_specialties_get_a_city_where_a_source_holds_one(records) -> None:  # type: ignore[no-untyped-def]
    surgery = records["1007440C0"]  # "U Alabama Med Ctr-Birmingham": the name names the city
    assert surgery.values["city"] == "Birmingham"
    assert surgery.facts["city"].status is Status.DERIVED
    assert surgery.facts["city"].source_id == "nrmp_codes"
    assert "city: nrmp_codes" in surgery.values["location_source"]
    assert surgery.facts["latitude"].status is Status.DERIVED  # a city centroid, not a guess
    obgyn = records["1852220C0"]  # U South Alabama: where its Internal Medicine program is
    assert obgyn.values["city"] == "Mobile"
    assert "Internal Medicine program 1400111024" in obgyn.facts["city"].method
    # a title naming more than its specialty ("Emergency Medicine/Military") may be elsewhere
    site = records["1099110C1"]
    assert "city" not in site.values and "no city" in site.values["location_source"]
