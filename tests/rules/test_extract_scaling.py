"""The reader on hostile text: whitespace runs, repeated cue words, deep brackets, huge pages.

Properties, not timings (bench/extract_bench.py measures speed): the answer does not depend
on how many spaces separate the words, every evidence quote is a slice of the text given, and
the CLI and the API answer such texts (or a too-long one with a message naming the limit).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartpick.cli import cli
from smartpick.rules.extract import EXTRACTED_FIELDS, ReadingTooSlow, extract_requirements
from smartpick.settings import Settings
from smartpick.web import WebLimits, create_app

# Words and phrases of our own that trigger every field's patterns.
PIECES = [
    "Applicants", "must", "have", "graduated", "within", "5", "three", "years", "of",
    "medical school", "We", "sponsor", "J-1", "H-1B", "visas", "only", "do not", "but",
    "however", "Step 1", "Step 2 CK", "Step 3", "USMLE", "220", "235", "score", "minimum",
    "first attempt", "no more than 2 attempts", "US clinical experience", "USCE", "months",
    "3 months", "hands-on", "observerships", "are not accepted", "ECFMG", "certified",
    "certification", "before", "ranking", "by", "March 1", "three letters", "of recommendation",
    "from a US physician", "preferred", "required", "strongly encouraged", "e.g.", "U.S.",
    "(", ")", "[", "]", ",", ";", ".", "?", ":", "-", "No", "Yes", "\n", "\n\n",
    "Preferred criteria:", "citizens", "permanent residents", "although", "within the past",
]
SPACES = st.sampled_from([" ", "  ", "\t", " " * 40, " \t ", "\u00a0", " " * 300])


def answer(text: str) -> list[tuple[str, object, str]]:
    return [(r.field, r.value, r.qualifier.value) for r in extract_requirements(text)]


def collapsed(text: str) -> str:
    return re.sub(r"[^\S\n]+", " ", text)


def assert_evidence_in(text: str) -> None:
    found = extract_requirements(text)
    names = [r.field for r in found]
    assert names == [f for f in EXTRACTED_FIELDS if f in names]
    for requirement in found:
        assert text[requirement.start : requirement.end] == requirement.quote
        assert requirement.quote.strip() == requirement.quote and requirement.quote


@st.composite
def pages(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=80))
    gaps = draw(st.lists(SPACES, min_size=len(words), max_size=len(words)))
    return "".join(w + g for w, g in zip(words, gaps, strict=True))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_whitespace_runs_do_not_change_the_answer(text: str) -> None:
    assert answer(text) == answer(collapsed(text))
    assert_evidence_in(text)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 3000), st.integers(0, 50), st.sampled_from(PIECES))
def test_nesting_and_repetition_are_read_without_error(depth: int, repeat: int, word: str) -> None:
    sentence = "Applicants must have graduated within 5 years of medical school."
    text = "(" * depth + sentence + ")" * depth + (" " + word) * repeat
    assert_evidence_in(text)
    assert ("yog_max_years", 5, "strict") in answer(sentence + "\n" + text)


def hostile(size: int) -> dict[str, str]:
    """Texts of about ``size`` characters that made the old reader backtrack or rescan."""
    ordinary = ("Applicants must have graduated within 5 years. We sponsor J-1 visas only; "
                "H-1B visas are not sponsored. Step 1 of 220 is preferred. At least 3 months "
                "of hands-on US clinical experience is required. ECFMG certification is "
                "required by the rank order list deadline. Three letters are required.\n")
    return {
        "spaces": "a" + " " * size + "b",
        "spaces between cues": ("US clinical experience" + " " * 500 + "but ") * (size // 526),
        "one sentence": (ordinary.replace(".", ",").replace("\n", " ") * size)[:size],
        "ordinary": (ordinary * size)[:size],
        "repeated cues": ("ECFMG certified certification Step 1 220 USCE 3 months letters "
                          * size)[:size],
        "brackets": "(" * (size // 2) + "J-1 only" + ")" * (size // 2),
        "long question": "Do you sponsor J-1" + " visas" * (size // 12) + "?\n"
                         + "Yes.\n" * (size // 10),
        "abbreviations": ("e.g. U.S. Dr. No. " * size)[:size],
    }


@pytest.mark.parametrize("name", sorted(hostile(10)))
def test_hostile_texts_of_fifty_thousand_characters_are_read(name: str) -> None:
    text = hostile(50_000)[name]
    assert answer(text) == answer(collapsed(text))
    assert_evidence_in(text)


def test_whitespace_runs_keep_the_evidence_in_the_original_text() -> None:
    text = "Intro.\n\nWe   do\tnot sponsor        H-1B visas.   J-1 only."
    found = {r.field: r for r in extract_requirements(text)}
    assert found["visa_h1b"].value == "no"
    assert found["visa_h1b"].quote == "We   do\tnot sponsor        H-1B visas."


def test_a_time_bound_stops_reading_with_a_message() -> None:
    with pytest.raises(ReadingTooSlow) as stopped:
        extract_requirements("We sponsor J-1 visas.", time_limit=-1)
    assert stopped.value.problems[0].field == "text"
    assert "reading stopped" in stopped.value.problems[0].message


@pytest.fixture(scope="module")
def api(built_catalog: Settings) -> TestClient:
    return TestClient(create_app(built_catalog, WebLimits(rate_per_minute=10**6, burst=10**6)))


def test_api_reads_hostile_texts(api: TestClient) -> None:
    for name, text in hostile(49_000).items():
        reply = api.post("/api/extract", json={"text": text})
        assert reply.status_code == 200, name
        fields = [(r["field"], r["value"]) for r in reply.json()["requirements"]]
        assert fields == [(f, v) for f, v, _ in answer(collapsed(text))], name


def test_api_names_the_length_limit(api: TestClient) -> None:
    reply = api.post("/api/extract", json={"text": "J-1 only. " * 5001})
    assert reply.status_code == 422
    problem = reply.json()["problems"][0]
    assert problem["field"] == "text" and "50000" in problem["message"]


def test_cli_reads_a_long_whitespace_run(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("We sponsor J-1" + " " * 50_000 + "visas only.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(page)])
    assert result.exit_code == 0, result.output
    found = {r["field"]: r["value"] for r in json.loads(result.output)["requirements"]}
    assert found == {"visa_j1": "yes", "visa_h1b": "no"}
