"""The catalog commands on the full shipped catalog, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from tests.conftest import cli_env

from smartpick.cli import cli, load_all
from smartpick.settings import Settings


def run(settings: Settings, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=cli_env(settings))
    return result.exit_code, result.stdout, result.stderr


def test_internal_medicine_json_lists_the_survey_with_provenance(built_catalog: Settings) -> None:
    code, out, _ = run(built_catalog, "programs", "--specialty", "Internal Medicine",
                       "--format", "json")
    assert code == 0
    rows = json.loads(out)
    survey = [r for r in rows if r["kind"] == "acgme_program"]
    assert len(survey) >= 680
    for row in survey:
        fields = row["fields"]
        state = fields["state"]
        assert state["status"] == "reported" or "corrected" in state["method"]
        assert fields["positions"]["source"] or fields["positions"]["status"] == "unknown"
        visa = fields["visa_j1"]
        assert visa["status"] in {"reported", "derived", "unknown"}
        if visa["status"] == "derived":
            assert "absence" in visa["method"]


def test_state_and_visa_filters_in_a_table(built_catalog: Settings) -> None:
    code, out, _ = run(built_catalog, "programs", "--specialty", "Internal Medicine",
                       "--state", "NY", "--state", "NJ", "--visa", "h1b")
    assert code == 0
    lines = out.strip().splitlines()
    rows = lines[2:-1]
    assert rows and all(("  NY  " in r or "  NJ  " in r) for r in rows)
    assert lines[-1].endswith("programs ('?' = unknown)")


def test_csv_output_has_a_status_column_per_field(built_catalog: Settings) -> None:
    code, out, _ = run(built_catalog, "programs", "--specialty", "Pediatrics", "--state", "TX",
                       "--format", "csv")
    assert code == 0
    header = out.splitlines()[0].split(",")
    assert "positions" in header and "positions_status" in header
    assert len(out.splitlines()) > 5


def test_show_prints_every_field_with_its_source(built_catalog: Settings) -> None:
    code, out, _ = run(built_catalog, "programs", "show", "1007140C0", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["fields"]["nrmp_quota_2024"]["value"] == 38
    assert "NRMP" in data["fields"]["nrmp_quota_2024"]["source"]


def test_status_covers_every_main_match_specialty(built_catalog: Settings) -> None:
    code, out, _ = run(built_catalog, "db", "status", "--format", "json")
    assert code == 0
    data = json.loads(out)
    counts = data["programs_by_specialty"]
    assert sum(counts.values()) > 6000
    for name in ("Internal Medicine", "Family Medicine", "Obstetrics and Gynecology",
                 "Diagnostic Radiology", "General Surgery", "Transitional Year"):
        assert counts[name] > 100
    yog = data["fields"]["yog_max_years"]
    assert set(yog) == {"reported", "derived", "extracted", "estimated", "unknown"}


def test_unknown_specialty_is_a_clear_error(built_catalog: Settings) -> None:
    code, _, err = run(built_catalog, "programs", "--specialty", "Internal Medicin")
    assert code == 2
    assert "specialty: unknown specialty 'Internal Medicin'; did you mean Internal Medicine" in err
    assert "Traceback" not in err


def test_bad_import_file_exits_non_zero_listing_lines(built_catalog: Settings,
                                                       tmp_path: Path) -> None:
    path = tmp_path / "fix.csv"
    path.write_text("program_id,field,value,source,as_of\n1007140C0,lor_min,three,x,2026\n",
                    encoding="utf-8")
    code, _, err = run(built_catalog, "db", "import", str(path))
    assert code == 2
    assert "fix.csv:2: value: lor_min: expected a whole number" in err


def test_every_command_has_help_text() -> None:
    load_all()

    def walk(command, path):  # type: ignore[no-untyped-def]
        assert command.help, f"{' '.join(path)} has no help text"
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(cli, ["smartpick"])
