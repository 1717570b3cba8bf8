"""Careless input at the command line: one row per input, each answered with a clear message
and a non-zero exit, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from smartpick.cli import cli
from smartpick.settings import Settings
from tests.conftest import cli_env

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
STRONG = str(EXAMPLES / "strong_non_us_img_im.yaml")
GOOD = """applicant_type: non_us_img
graduation_year: {year}
visa: j1
exams: {{step1: pass, step2ck: 240}}
usce:
  - {{kind: hands_on, specialty: Internal Medicine, start: 2024-01-01, end: {end}}}
targets: [{{specialty: Internal Medicine}}]
"""


MARKET = """programs:
  IM-BOS: {{positions: {positions}, {ranks}: [dana{extra_rank}]}}
applicants:
  {single}: {{ranks: [{program}]}}
couples:
  - members: [kim, lee]
    ranks: [[IM-BOS, null]]
"""
SOUND_MARKET = {"positions": 1, "ranks": "ranks", "extra_rank": "", "single": "dana",
                "program": "IM-BOS"}


def _market(**changes: str) -> str:
    return MARKET.format(**{**SOUND_MARKET, **changes})


def _files(folder: Path) -> dict[str, str]:
    files = {
        "bad_date.yaml": GOOD.format(year=2022, end="2024-02-30"),
        "future_grad.yaml": GOOD.format(year=2031, end="2024-03-01"),
        "deep.json": "[" * 5000 + "]" * 5000,
        "not_yaml.yaml": "applicant_type: [unclosed\n",
        "visa_twice.yaml": "applicant_type: non_us_img\nvisa: j1\nvisa: none\n",
        "aliases.yaml": "a: &a [x, x, x]\nb: [*a, *a, *a]\n",
        "empty.yaml": "# nothing but a comment\n",
        "not_json.json": '{"programs": {"IM": {"positions": 1,}}}',
        "market_field.yaml": _market(ranks="rank"),
        "market_program.yaml": _market(program="IM-BSO"),
        "market_applicant.yaml": _market(extra_rank=", zed"),
        "market_negative.yaml": _market(positions="-2"),
        "market_twice.yaml": _market(extra_rank=", dana"),
        "market_key_twice.yaml": _market() + "programs: {}\n",
        "market_key_twice.json": '{"programs": {}, "programs": {}}',
        "market_member.yaml": _market(single="kim"),
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "binary.yaml").write_bytes(bytes(range(256)) * 4)
    (folder / "latin1.yaml").write_bytes("applicant_type: non_us_img # Universit\xe9\n"
                                         .encode("latin-1"))
    return {name: str(folder / name) for name in [*files, "binary.yaml", "latin1.yaml"]}


CASES = [  # (arguments, text the message must contain)
    (["plan", "{bad_date.yaml}"], "usce[0].end: '2024-02-30' is not a real date"),
    (["plan", "{binary.yaml}"], "not UTF-8 text"),
    (["plan", "{latin1.yaml}"], "not UTF-8 text"),
    (["plan", "{deep.json}"], "nested too deeply"),
    (["plan", "{not_yaml.yaml}"], "not valid YAML"),
    (["plan", "{visa_twice.yaml}"], "'visa' is written twice in one mapping (first on line 2)"),
    (["plan", "{aliases.yaml}"], "aliases.yaml:2: (file): aliases (*name) are not allowed"),
    (["plan", "{future_grad.yaml}"], "graduation_year 2031 is after Match 2026"),
    (["plan", "{missing}"], "profile file not found"),
    (["plan", STRONG, "--output", "{folder}/no/such/dir/plan.json"], "does not exist"),
    (["plan", STRONG, "--output", "{folder}"], "is a directory"),
    (["plan", STRONG, "--budget", "-1"], "--budget: must be between 0 and 20000"),
    (["plan", STRONG, "--target", "1.5"], "--target: must be between 0 and 1"),
    (["plan", STRONG, "--max-programs", "0"], "--max-programs: must be between 1 and 200"),
    (["plan", STRONG, "--what-if", "budget:-5000"], "it must be between $0 and $20,000"),
    (["plan", STRONG, "--what-if", "budget:1e400"], "out of range"),
    (["plan", STRONG, "--what-if", "budget:100"], "what_if: the budget is everything you spend"),
    (["plan", STRONG, "--what-if", "usce:+100m-hands-on"], "at most 24 months"),
    (["plan", STRONG, "--what-if", "usce:+99999999m-hands-on"], "at most 24 months"),
    (["plan", STRONG, "--what-if", "usce:+3m-surgery"], "kinds: hands-on"),
    (["plan", STRONG, "--what-if", "step3:fail"], "record a failed attempt"),
    (["plan", STRONG, "--what-if", "step2ck:999"], "between"),
    (["plan", STRONG, "--what-if", "target:2"], "between 0 and 1"),
    (["plan", STRONG, "--what-if", "visa:tourist"], "what_if"),
    (["plan", STRONG, "--what-if", "nonsense"], "expected one of"),
    (["plan", STRONG, "--season", "1999"], "known seasons: 2025, 2026, 2027, 2028"),
    (["--today", "2026-02-30", "plan", STRONG], "Invalid value for '--today'"),
    (["usce", "{bad_date.yaml}"], "is not a real date"),
    (["check", "{binary.yaml}"], "not UTF-8 text"),
    (["check", STRONG, "--verdict", "maybe"], "Invalid value for '--verdict'"),
    (["match", "{missing}"], "market file not found"),
    (["match", "{folder}"], "is a directory"),
    (["match", "{binary.yaml}"], "not UTF-8 text"),
    (["match", "{empty.yaml}"], "the market file is empty"),
    (["match", "{not_yaml.yaml}"], "not valid YAML"),
    (["match", "{not_json.json}"], "not_json.json:1: (file): Expecting property name"),
    (["match", "{deep.json}"], "nested too deeply"),
    (["match", "{market_field.yaml}"],
     "market_field.yaml:2: programs.IM-BOS.rank: unknown field; did you mean 'ranks'?"),
    (["match", "{market_program.yaml}"], "market_program.yaml:4: applicants.dana.ranks[0]: "
     "unknown program 'IM-BSO'; did you mean 'IM-BOS'?"),
    (["match", "{market_applicant.yaml}"],
     "programs.IM-BOS.ranks[1]: unknown applicant 'zed'"),
    (["match", "{market_negative.yaml}"],
     "programs.IM-BOS.positions: positions must be between 0 and 100,000 (got -2)"),
    (["match", "{market_twice.yaml}"],
     "programs.IM-BOS.ranks[1]: 'dana' is ranked twice (also at [0])"),
    (["match", "{market_key_twice.yaml}"],
     "market_key_twice.yaml:8: (file): 'programs' is written twice in one mapping (first on "
     "line 1)"),
    (["match", "{market_key_twice.json}"], "'programs' is written twice in one object"),
    (["match", "{market_member.yaml}"], "market_member.yaml:6: couples[0].members: 'kim' is "
     "also listed under applicants"),
    (["match", STRONG], "programs: required field is missing"),
    (["match", "{market_field.yaml}", "--format", "xml"], "Invalid value for '--format'"),
]


def _fill(arg: str, paths: dict[str, str]) -> str:
    for key, value in paths.items():
        arg = arg.replace("{" + key + "}", value)
    return arg


@pytest.mark.parametrize(("args", "expected"), CASES, ids=[" ".join(c[0])[:60] for c in CASES])
def test_bad_input_gets_a_clear_message(built_catalog: Settings, tmp_path: Path,
                                        args: list[str], expected: str) -> None:
    paths = {**_files(tmp_path), "missing": str(tmp_path / "nope.yaml"),
             "folder": str(tmp_path)}
    argv = [_fill(a, paths) for a in args]
    result = CliRunner().invoke(cli, argv, env=cli_env(built_catalog))
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert "Traceback" not in result.output
    assert expected in result.output


def test_a_sound_what_if_of_another_kind_is_accepted(built_catalog: Settings) -> None:
    result = CliRunner().invoke(cli, ["plan", STRONG, "--budget", "615", "--what-if",
                                      "usce:+3m-observership", "--format", "json"],
                                env=cli_env(built_catalog))
    assert result.exit_code == 0, result.output
    assert '"change": "usce:+3m-observership"' in result.output
