"""`smartpick batch` on the local engine: plans, the cohort report, resuming a batch."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

from tests.batch.conftest import COHORT, example_folder, run_cli

from smartpick.batch.cohort import CohortRun, PlanOutcome
from smartpick.batch.report import at_risk, markdown, program_counts, what_if_effects
from smartpick.settings import Settings


def test_each_plan_is_what_smartpick_plan_writes(built_catalog: Settings, local_examples: Path,
                                                 tmp_path: Path) -> None:
    profile = example_folder(tmp_path, ("us_md_im",)) / "us_md_im.yaml"
    single = run_cli(built_catalog, "plan", str(profile), "--format", "json")
    assert single.exit_code == 0, single.output
    written = (local_examples / "plans" / "us_md_im.json").read_text(encoding="utf-8")
    assert written == single.stdout


def test_cohort_report_gives_distribution_cost_programs_and_who_is_at_risk(
        local_examples: Path) -> None:
    plans = {n: json.loads((local_examples / "plans" / f"{n}.json").read_text("utf-8"))
             for n in COHORT}
    rows = list(csv.DictReader((local_examples / "cohort.csv").open(encoding="utf-8")))
    assert [r["applicant"] for r in rows] == list(COHORT)
    for row in rows:
        plan = plans[row["applicant"]]
        assert float(row["p_match"]) == plan["p_match"]
        assert int(row["total_fees_usd"]) == plan["cost_usd"] + plan["fixed_fees_usd"]
        assert row["at_risk"] == ("yes" if plan["p_match"] < 0.3 else "no")
    report = (local_examples / "cohort.md").read_text(encoding="utf-8")
    total = sum(p["cost_usd"] for p in plans.values())
    assert f"| ERAS application fees | ${total:,} |" in report
    risky = report.split("## At risk")[1]
    assert "weak_non_us_img_im" in risky and "us_md_im" not in risky
    assert "## Programs most recommended" in report
    assert (local_examples / "cohort.png").read_bytes().startswith(b"\x89PNG")


def test_a_rerun_skips_finished_plans_and_redoes_changed_ones(
        built_catalog: Settings, local_examples: Path, tmp_path: Path) -> None:
    cohort = example_folder(tmp_path, COHORT)
    out = tmp_path / "out"
    shutil.copytree(local_examples, out)
    kept = (out / "plans" / "weak_non_us_img_im.json").stat().st_mtime_ns
    again = run_cli(built_catalog, "batch", str(cohort), "--output", str(out), "--no-what-ifs")
    assert again.exit_code == 0 and "(3 from an earlier run" in again.stdout
    changed = cohort / "us_md_im.yaml"
    text = changed.read_text("utf-8")
    assert "target_p_match: 0.95" in text
    changed.write_text(text.replace("target_p_match: 0.95", "target_p_match: 0.5"), "utf-8")
    third = run_cli(built_catalog, "batch", str(cohort), "--output", str(out), "--no-what-ifs")
    assert third.exit_code == 0 and "(2 from an earlier run" in third.stdout
    assert (out / "plans" / "weak_non_us_img_im.json").stat().st_mtime_ns == kept
    assert json.loads((out / "plans" / "us_md_im.json").read_text("utf-8"))[
        "target_p_match"] == 0.5


def test_what_ifs_are_tried_for_everyone_and_ranked(built_catalog: Settings,
                                                      tmp_path: Path) -> None:
    cohort = example_folder(tmp_path, ("us_md_im",))
    out = tmp_path / "out"
    result = run_cli(built_catalog, "batch", str(cohort), "--output", str(out),
                     "--what-if", "budget:+1000", "--what-if", "target:0.99")
    assert result.exit_code == 0, result.output
    plan = json.loads((out / "plans" / "us_md_im.json").read_text("utf-8"))
    assert [w["change"] for w in plan["what_if"]] == ["budget:+1000", "target:0.99"]
    assert "| `budget:+1000` |" in (out / "cohort.md").read_text("utf-8")


def _plan(p: float, programs: list[str], gains: dict[str, float]) -> dict[str, Any]:
    return {"season": 2026, "p_match": p, "p_match_interval": [p / 2, p], "cost_usd": 100,
            "fixed_fees_usd": 10, "expected_interviews": 1.0,
            "programs": [{"program_id": i, "name": f"P{i}", "specialty": "IM", "state": "NY"}
                         for i in programs],
            "what_if": [{"change": c, "delta_p_match": g, "delta_cost_usd": 0}
                        for c, g in gains.items()]}


def test_report_ranks_what_ifs_programs_and_risk_across_the_cohort(tmp_path: Path) -> None:
    run = CohortRun([
        PlanOutcome("ana", "a.yaml", _plan(0.10, ["1", "2"], {"usce": 0.20, "step3": 0.0})),
        PlanOutcome("ben", "b.yaml", _plan(0.80, ["2"], {"usce": 0.02, "step3": 0.01})),
        PlanOutcome("cy", "c.yaml", _plan(0.25, ["2", "3"], {"usce": 0.06, "step3": 0.03})),
        PlanOutcome("dee", "d.csv:4", None, ["d.csv:4: step2ck: expected a whole number"]),
    ], tmp_path)
    usce, step3 = what_if_effects(run)
    assert (usce.change, usce.helped, round(usce.mean_gain, 4)) == ("usce", 2, 0.0933)
    assert step3.helped == 0
    assert [(c.program_id, c.lists) for c in program_counts(run)] == [("2", 3), ("1", 1),
                                                                      ("3", 1)]
    assert [o.name for o in at_risk(run)] == ["ana", "cy"]
    text = markdown(run)
    assert "d.csv:4: step2ck" in text.split("## Not planned")[1]
    assert "| ana | 10% |" in text and "`usce` (+20.0 pts)" in text
