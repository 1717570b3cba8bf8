"""`smartpick match MARKET_FILE`: a market written by hand, matched with couples and
supplemental lists, told as an adviser reads it (who matched where, what was unfilled,
whether the outcome is stable)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner, Result

from smartpick.cli import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "markets" / "couple.yaml"
DOC = ROOT / "docs" / "market.md"

ROTH = {  # Roth's three-player market without a stable outcome (tests/market too)
    "programs": {"h1": {"positions": 1, "ranks": ["m1", "s"]},
                 "h2": {"positions": 1, "ranks": ["s", "m2"]}},
    "applicants": {"s": {"ranks": ["h1", "h2"]}},
    "couples": [{"members": ["m1", "m2"], "ranks": [["h1", "h2"]]}],
}

RADIOLOGY = """programs:
  RAD-A: {{positions: 1, advanced: true, ranks: [{rad_ranks}]}}
  PRELIM: {{positions: 1, ranks: [ana, ben]}}
applicants:
  ana: {{ranks: [RAD-A], supplemental: [PRELIM]}}
  ben: {{ranks: [PRELIM]}}
{extra}"""


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, ["match", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result


def rows(output: str, heading: str) -> dict[str, list[str]]:
    """The rows of the table under ``heading``, keyed by their first cell."""
    block = output.split(heading + "\n", 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    return {cells[0]: cells[1:] for cells in (re.split(r"\s{2,}", line) for line in block)}


def test_the_shipped_example_matches_as_worked_out_by_hand() -> None:
    result = run(EXAMPLE)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("6 applicants (1 couple), 8 positions in 6 programs.\nStable:")
    assert rows(out, "Applicants:") == {
        "dana": ["IM-BOS", "1 of 1", "-", "-"],
        "eli": ["PED-BOS", "1 of 3", "-", "-"],
        "ana": ["RAD-BOS", "1 of 1", "PRELIM-BOS", "-"],
        "fay": ["unmatched", "-", "-", "-"],
        "kim": ["IM-NYC", "2 of 3", "-", "with lee"],
        "lee": ["PED-NYC", "2 of 3", "-", "with kim"],
    }
    assert rows(out, "Couples:") == {"kim + lee": ["IM-NYC + PED-NYC", "2 of 3"]}
    assert rows(out, "Programs:")["IM-BOS"] == ["2", "1", "1", "dana"]
    assert rows(out, "Programs:")["PRELIM-BOS"] == ["2", "1", "1", "ana (supplemental)"]
    assert out.rstrip().endswith(
        "5 of 6 applicants matched; 6 of 8 positions filled, 2 unfilled; outcome stable.")


def test_the_docs_show_the_example_and_exactly_what_it_prints() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert "```yaml\n" + EXAMPLE.read_text(encoding="utf-8") + "```" in doc
    assert "`smartpick match examples/markets/couple.yaml` prints:" in doc
    assert "```text\n" + run(EXAMPLE).output + "```" in doc


def test_a_couple_takes_a_later_pair_rather_than_split_the_wrong_way(tmp_path: Path) -> None:
    market = tmp_path / "couple.yaml"
    market.write_text("""programs:
  IM-BOS: {positions: 1, ranks: [kim]}
  PED-BOS: {positions: 1, ranks: [solo, lee]}
  PED-NYC: {positions: 1, ranks: [lee]}
applicants:
  solo: {ranks: [PED-BOS]}
couples:
  - members: [kim, lee]
    ranks:
      - [IM-BOS, PED-BOS]
      - [IM-BOS, null]
      - [null, PED-NYC]
""", encoding="utf-8")
    out = run(market).output
    # PED-BOS prefers solo, so the couple falls back to Kim alone in Boston (its 2nd pair),
    # not to Lee alone in New York (its 3rd), though PED-NYC would take Lee
    assert rows(out, "Couples:") == {"kim + lee": ["IM-BOS + (none)", "2 of 3"]}
    assert rows(out, "Applicants:")["lee"] == ["unmatched", "2 of 3", "-", "with kim"]
    assert rows(out, "Programs:")["PED-NYC"] == ["1", "0", "1", "-"]
    assert "Stable:" in out


def test_a_supplemental_list_is_used_only_with_the_advanced_track(tmp_path: Path) -> None:
    holds = tmp_path / "holds.yaml"
    holds.write_text(RADIOLOGY.format(rad_ranks="ana", extra=""), encoding="utf-8")
    out = run(holds).output
    assert rows(out, "Supplemental lists (PGY-1, used only while an advanced track is held):") \
        == {"ana": ["RAD-A", "PRELIM", "used"]}
    assert rows(out, "Applicants:")["ben"][0] == "unmatched"
    assert rows(out, "Programs:")["RAD-A (PGY-2)"] == ["1", "1", "0", "ana"]

    loses = tmp_path / "loses.yaml"  # cy takes the track, so ana's PGY-1 place goes to ben
    loses.write_text(RADIOLOGY.format(rad_ranks="cy, ana", extra="  cy: {ranks: [RAD-A]}\n"),
                     encoding="utf-8")
    out = run(loses).output
    assert rows(out, "Supplemental lists (PGY-1, used only while an advanced track is held):") \
        == {"ana": ["-", "-", "not used: no advanced track held"]}
    assert rows(out, "Applicants:")["ben"][0] == "PRELIM"
    assert rows(out, "Applicants:")["cy"][0] == "RAD-A"

    full = tmp_path / "full.yaml"  # ana holds the track, but PRELIM takes ben first
    full.write_text(RADIOLOGY.format(rad_ranks="ana", extra="").replace("[ana, ben]", "[ben, ana]"),
                    encoding="utf-8")
    out = run(full).output
    assert rows(out, "Supplemental lists (PGY-1, used only while an advanced track is held):") \
        == {"ana": ["RAD-A", "-", "no place: no program on it took ana"]}


def test_a_market_without_a_stable_outcome_is_reported_not_stable(tmp_path: Path) -> None:
    market = tmp_path / "roth.json"
    market.write_text(json.dumps(ROTH), encoding="utf-8")
    result = run(market)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == "NOT STABLE: no stable outcome: the proposals cycle (3 rounds)."
    assert "With couples a stable outcome may not exist" in lines[2]
    assert lines[4] == "  s would rather have h1 (choice 1 on its list), and h1 would take s."
    assert lines[-1].endswith("outcome NOT STABLE.")
    assert not json.loads(run(market, "--format", "json").output)["stable"]


def test_json_output_agrees_with_the_table() -> None:
    table = run(EXAMPLE).output
    data = json.loads(run(EXAMPLE, "--format", "json").output)
    assert data["stable"] is True and data["rounds"] == 1
    applicants = rows(table, "Applicants:")
    assert {a["applicant"]: a["program"] or "unmatched" for a in data["applicants"]} == \
        {name: cells[0] for name, cells in applicants.items()}
    programs = {name.removesuffix(" (PGY-2)"): cells for name, cells in
                rows(table, "Programs:").items()}
    for p in data["programs"]:
        assert programs[p["program"]][:3] == [str(p["positions"]), str(len(p["matched"])),
                                              str(p["unfilled"])]
    assert data["couples"] == [{"members": ["kim", "lee"], "pair": ["IM-NYC", "PED-NYC"],
                                "choice": 2, "listed": 3}]
    assert data["supplemental"] == [
        {"applicant": "ana", "advanced": "RAD-BOS", "program": "PRELIM-BOS", "listed": 1},
        {"applicant": "fay", "advanced": None, "program": None, "listed": 1},
    ]
    assert (data["matched"], data["positions"], data["filled"]) == (5, 8, 6)
    assert data["blocking"] == []


def test_json_is_recognised_by_content_and_yaml_by_default(tmp_path: Path) -> None:
    as_text = tmp_path / "roth.txt"
    as_text.write_text(json.dumps(ROTH, indent=1), encoding="utf-8")
    yaml_copy = tmp_path / "example.market"
    yaml_copy.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert "NOT STABLE" in run(as_text).output
    assert run(yaml_copy).output == run(EXAMPLE).output
