"""The Dask engine on a real LocalCluster of 2 worker processes gives the local engine's results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.batch.conftest import COHORT, example_folder, run_cli

from smartpick.batch.engine import Engine
from smartpick.settings import Settings

BAD_PROFILE = "applicant_type: non_us_img\ngraduation_year: 2020\nexams:\n  step2ck: 400\n"


def _address(engine: Engine) -> str:
    return str(engine.client.scheduler.address)  # type: ignore[attr-defined]


def _worker_states(engine: Engine) -> dict[str, dict[str, int]]:
    """Per worker: the identity of the state each of our plugins holds."""
    found: dict[str, dict[str, int]] = engine.client.run(  # type: ignore[attr-defined]
        lambda dask_worker: {name: id(plugin.state) for name, plugin
                             in dask_worker.plugins.items() if name.startswith("smartpick-")})
    return found


def test_cohort_on_dask_writes_the_local_plans_and_reports_the_bad_profile(
        built_catalog: Settings, local_examples: Path, dask_engine: Engine,
        tmp_path: Path) -> None:
    cohort = example_folder(tmp_path, COHORT)
    (cohort / "zz_bad.yaml").write_text(BAD_PROFILE, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(built_catalog, "batch", str(cohort), "--output", str(out),
                     "--engine", "dask", "--scheduler", _address(dask_engine), "--no-what-ifs")
    assert result.exit_code == 1  # the batch finished, but one profile was not planned
    assert "3 of 4 applicants planned" in result.stdout
    assert "zz_bad.yaml: exams.step2ck" in result.stderr
    names = sorted(p.name for p in (out / "plans").iterdir())
    assert names == [f"{name}.json" for name in COHORT]
    for name in names:  # the same plan JSON, byte for byte, as the local engine wrote
        local = (local_examples / "plans" / name).read_text(encoding="utf-8")
        assert (out / "plans" / name).read_text(encoding="utf-8") == local
    assert "zz_bad" in (out / "cohort.md").read_text(encoding="utf-8").split("## Not planned")[1]


def test_each_worker_keeps_one_planner_for_all_its_plans(
        built_catalog: Settings, dask_engine: Engine, tmp_path: Path) -> None:
    cohort = example_folder(tmp_path, ("us_md_im",))
    args = ["batch", str(cohort), "--engine", "dask", "--scheduler", _address(dask_engine),
            "--no-what-ifs"]
    assert run_cli(built_catalog, *args, "--output", str(tmp_path / "a")).exit_code == 0
    before = _worker_states(dask_engine)
    again = [*args, "--output", str(tmp_path / "b"), "--budget", "300"]
    assert run_cli(built_catalog, *again).exit_code == 0
    after = _worker_states(dask_engine)
    planners = {w: {n: i for n, i in s.items() if "PlannerSetup" in n} for w, s in after.items()}
    assert len(planners) == 2 and all(len(p) == 1 for p in planners.values())
    assert after == before  # the second batch reused each worker's catalog and model


def test_market_study_on_dask_equals_local(dask_engine: Engine) -> None:
    from click.testing import CliRunner

    from smartpick.cli import cli

    args = ["simulate", "--applicants", "1500", "--replicates", "3", "--seed", "9",
            "--format", "json"]
    local = CliRunner().invoke(cli, args)
    dask = CliRunner().invoke(cli, [*args, "--engine", "dask",
                                    "--scheduler", _address(dask_engine)])
    assert local.exit_code == 0 and dask.exit_code == 0, dask.output
    summary: dict[str, Any] = json.loads(dask.stdout)
    assert summary == json.loads(local.stdout)
    assert summary["replicates"] == 3 and summary["by_type"]["non-US IMG"]["rate_sd"] > 0
