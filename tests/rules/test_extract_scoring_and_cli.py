"""Scoring rules of the evaluation, the ``extract`` command and the shipped-facts writer."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from smartpick.catalog.fields import FIELD_BY_NAME, coerce
from smartpick.cli import cli
from smartpick.rules.extract.corpus import COLUMNS, page_date, requirement_facts
from smartpick.rules.extract.scoring import FieldTally, ecfmg_category, score_row, values_match


def test_numbers_match_with_tolerance() -> None:
    assert values_match("step2ck_min", 230, 231)
    assert not values_match("step2ck_min", 230, 233)
    assert values_match("yog_max_years", 1.5, 1.5)
    assert not values_match("yog_max_years", 1.5, 2)


def test_categories_are_normalised() -> None:
    assert ecfmg_category("ranking (before the rank list is due)") == "ranking"
    assert ecfmg_category("application, or by March 1") == "application"
    assert ecfmg_category("March 1 of the match year") == "date"
    assert ecfmg_category("required (timing not stated)") == "unspecified"
    assert values_match("step3_required", "yes (for H-1B)", "yes (H1B applicants)")
    assert not values_match("step3_required", "yes", "yes (for H-1B)")


def test_a_right_value_with_the_wrong_qualifier_is_wrong() -> None:
    tallies: dict[str, FieldTally] = {}
    row = {"id": "t1", "step1_min": 220, "preferred_fields": ["step1_min"], "lor_min": 3}
    score_row(tallies, row, {"step1_min": (220, False), "lor_min": (3, False)},
              ("step1_min", "lor_min"))
    assert (tallies["step1_min"].tp, tallies["step1_min"].fp, tallies["step1_min"].fn) == (0, 1, 1)
    assert tallies["lor_min"].tp == 1


def test_extract_command_prints_json_with_evidence(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("We accept J-1 visas only.\nThree letters of recommendation are required.\n")
    result = CliRunner().invoke(cli, ["extract", str(page)])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    by_field = {r["field"]: r for r in body["requirements"]}
    assert by_field["lor_min"]["value"] == 3
    assert by_field["visa_j1"]["evidence"]["quote"] == "We accept J-1 visas only."


def test_extract_command_reads_standard_input() -> None:
    result = CliRunner().invoke(cli, ["extract", "-"], input="We do not sponsor any visas.")
    assert result.exit_code == 0
    assert any(r["field"] == "visa_none_sponsored" for r in json.loads(result.output)[
        "requirements"])


def test_extract_command_rejects_missing_input(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["extract", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    nothing = runner.invoke(cli, ["extract"])
    assert nothing.exit_code == 2 and "FILE" in nothing.output


def _corpus(tmp_path: Path) -> Path:
    rows = [
        {"id": "a", "url": "https://example.org/web/20230115000000/im/apply", "program_id": "999",
         "text": "We sponsor J-1 visas only. Graduates within the past 4 years may apply."},
        {"id": "b", "url": "https://example.org/fm", "text": "We do not sponsor any visas."},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_corpus_facts_are_in_the_catalog_import_format(tmp_path: Path) -> None:
    out = tmp_path / "facts.csv"
    result = CliRunner().invoke(cli, ["extract", "--corpus", str(_corpus(tmp_path)),
                                      "--out", str(out), "--as-of", "2025"])
    assert result.exit_code == 0, result.output
    with open(out, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0].keys()) == COLUMNS
    assert {r["program_id"] for r in rows} == {"999"}  # only rows linked to a program
    fields = {r["field"]: r for r in rows}
    assert fields["requirements_url"]["qualifier"] == ""
    assert fields["yog_max_years"]["value"] == "4"
    assert all(r["as_of"] == "2023-01-15" and r["status"] == "extracted" for r in rows)
    for row in rows:  # every value converts to the catalog's field type
        coerce(FIELD_BY_NAME[row["field"]], row["value"])
    assert "Graduates" not in out.read_text()  # facts only, never the page text


def test_page_date_falls_back_when_url_has_no_stamp() -> None:
    assert page_date("https://example.org/apply", "2026") == "2026"
    assert requirement_facts([{"text": "J-1 only.", "url": "u"}], "2026") == []


def test_bad_corpus_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok"}\nnot json\n')
    result = CliRunner().invoke(cli, ["extract", "--corpus", str(path)])
    assert result.exit_code == 2
    assert "bad.jsonl:2" in result.output
