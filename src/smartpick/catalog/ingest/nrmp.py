"""NRMP 2024 Main Match program results: one record per track (program code)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from smartpick.catalog import specialties
from smartpick.catalog.fields import Status
from smartpick.catalog.ingest.records import FactRecord, ProgramRecord
from smartpick.catalog.ingest.sources import NRMP_2024, NRMP_CODES
from smartpick.catalog.states import STATE_NAMES

RESULTS = Path("nrmp_2024_program_results/nrmp_2024_program_results.csv")
PAGES = Path("nrmp_2024_program_results/residency_data_raw_pages.txt")
CODES = Path("wavegate_im_match/nrmp_institution_codes.csv")
_EXACT_TITLES = {"wavegate_match", "known_title"}
HEADER_WINDOW = 50  # words before a program code in which its institution's name is sought
_HEADER_WORDS = 8
_CONNECTORS = {"at", "of", "and", "&", "the", "for"}
_LAYOUT = {"Code", "Quota", "Matched"}
_HEADINGS = {"Main", "Residency"} | {w.upper() for name in STATE_NAMES.values()
                                      for w in name.split()}


def read_tracks(raw: Path) -> list[ProgramRecord]:
    """All NRMP 2024 tracks, sorted by program code."""
    with open(raw / RESULTS, newline="", encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: r["program_code"])
    return [_track(row) for row in rows]


def _track(row: dict[str, str]) -> ProgramRecord:
    code = row["program_code"]
    rec = ProgramRecord(program_id=code, kind="nrmp_track")
    reported = FactRecord(Status.REPORTED, NRMP_2024.source_id, NRMP_2024.as_of)
    from_code = FactRecord(Status.DERIVED, NRMP_2024.source_id, NRMP_2024.as_of,
                           "read from the NRMP program code")
    title_ok = row["title_method"] in _EXACT_TITLES
    title_fact = reported if title_ok else FactRecord(
        Status.DERIVED, NRMP_2024.source_id, NRMP_2024.as_of,
        "track title recovered heuristically from the report text")
    institution = row["institution_name"].strip()
    rec.put("name", _display_name(institution, row["program_title"], code), title_fact)
    specialty = specialties.normalise(row["specialty"])
    specialties.register(specialty)
    rec.put("specialty", specialty, from_code)
    rec.put("specialty_code", row["specialty_code"], from_code)
    rec.put("track", row["track_type"], from_code)
    rec.put("pgy_level", row["pgy_level"], from_code)
    rec.put("nrmp_codes", code, reported)
    rec.put("institution_code", row["institution_code"], from_code)
    rec.put("institution_name", institution or None,
            FactRecord(Status.REPORTED, NRMP_CODES.source_id, NRMP_CODES.as_of))
    rec.put("state", row["state"], _state_fact(row))
    _put_counts(rec, int(row["quota"]), int(row["matched"]), reported)
    rec.notes["title"] = row["program_title"].strip()
    rec.notes["page"] = row["pdf_page"]
    return rec


def _display_name(institution: str, title: str, code: str) -> str:
    owner = institution or f"NRMP institution {code[:4]}"
    return f"{owner}: {title.strip()}"


def _state_fact(row: dict[str, str]) -> FactRecord:
    status = Status.DERIVED if row["state_confidence"] == "high" else Status.ESTIMATED
    method = f"state assigned from the report layout ({row['state_method']}, " \
             f"{row['state_confidence']} confidence)"
    return FactRecord(status, NRMP_2024.source_id, NRMP_2024.as_of, method)


def _put_counts(rec: ProgramRecord, quota: int, matched: int, reported: FactRecord) -> None:
    rec.put("positions", quota, reported)
    rec.put("nrmp_quota_2024", quota, reported)
    rec.put("nrmp_matched_2024", matched, reported)
    if quota > 0:
        rec.put("fill_rate_2024", round(matched / quota, 4),
                FactRecord(Status.DERIVED, NRMP_2024.source_id, NRMP_2024.as_of,
                           "matched / quota"))


def read_report_names(raw: Path, unnamed: dict[str, str]
                      ) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Names for institution codes the code lists lack, read from the NRMP report's own text.

    ``unnamed`` maps an institution code to one of its program codes followed by its state
    ("2389140C0NJ"). In the text
    (one line per page, words joined by commas) an institution's name is printed as a header,
    ending with its state ("Rutgers-Trinitas Med Ctr-NJ"), before its programs. The name
    taken is the nearest header before the program code, within ``HEADER_WINDOW`` words, when
    it ends with the track's state and names no institution the code lists know (a known name
    belongs to another code). Returns code -> (name, the reason in words), and for the codes
    left unnamed, why.
    """
    pages_path, codes_path = raw / PAGES, raw / CODES
    if not pages_path.is_file() or not codes_path.is_file():
        return {}, {}
    with open(codes_path, newline="", encoding="utf-8") as handle:
        known = {row["name"].strip() for row in csv.DictReader(handle)}
    words_of: dict[str, tuple[list[str], int]] = {}
    wanted = {program[:9]: inst for inst, program in unnamed.items()}
    for page in pages_path.read_text(encoding="utf-8").split("\n"):
        words = page.split(",")
        for i, word in enumerate(words):
            if word in wanted:
                words_of[wanted[word]] = (words, i)
    out: dict[str, tuple[str, str]] = {}
    why: dict[str, str] = {}
    for inst, program in sorted(unnamed.items()):
        if inst not in words_of:
            why[inst] = "the report text does not hold its program codes"
            continue
        words, at = words_of[inst]
        header = _nearest_header(words, at)
        if header is None:
            why[inst] = (f"the report prints no institution header within {HEADER_WINDOW} "
                         f"words before {program[:9]}")
            continue
        name, state, distance = header
        if state != program[-2:] or name in known:
            why[inst] = (f"the nearest header before {program[:9]} in the report, '{name}', "
                         "is another code's institution" if name in known else
                         f"the nearest header before {program[:9]}, '{name}', is in another "
                         "state")
            continue
        out[inst] = (name, f"the NRMP 2024 report prints '{name}' as the institution header "
                           f"{distance} words before program code {program[:9]}; the code "
                           "lists name no institution for this code")
    return out, why


def _nearest_header(words: list[str], at: int) -> tuple[str, str, int] | None:
    """The nearest institution header before ``words[at]``: a run of capitalised words (and
    connecting words) ending with "-XX", a state code."""
    for j in range(at - 1, max(at - HEADER_WINDOW, 0) - 1, -1):
        match = re.search(r"-([A-Z]{2})$", words[j])
        if not match:
            continue
        k = j
        while k > 0 and j - k < _HEADER_WORDS:
            before = words[k - 1]
            if before in _LAYOUT or re.search(r"\d|-[A-Z]{2}$", before) or not (
                    before[:1].isupper() or before in _CONNECTORS):
                break
            k -= 1
        while k < j and (words[k] in _CONNECTORS or words[k] in _HEADINGS or "®" in words[k]):
            k += 1  # page heading ("Main Residency Match®") and state headings ("KANSAS")
        return " ".join(words[k:j + 1]), match.group(1), at - j
    return None
