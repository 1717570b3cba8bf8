"""``smartpick calibrate``: refit the model and write the calibration report, or check it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from smartpick.model.calibration.evaluation import Evaluation, evaluate
from smartpick.settings import SOURCE_ROOT, load_settings


@click.command("calibrate")
@click.option("--check", is_flag=True,
              help="Evaluate the shipped parameters (no refit); exit 1 if a gated figure "
                   "(fitted or held out) is off by more than its tolerance.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format of the figures.")
@click.option("--docs-dir", type=click.Path(file_okay=False, path_type=Path),
              default=SOURCE_ROOT / "docs", show_default="docs/ of the source tree",
              help="Where calibration.md and its plots are written (refit only).")
def calibrate(check: bool, fmt: str, docs_dir: Path) -> None:
    """Refit the interview and match model (seeded) and write docs/calibration.md."""
    data_dir = load_settings().data_dir
    if check:
        from smartpick.model.params import load_params

        ev = evaluate(load_params(), data_dir)
    else:
        ev = _refit(data_dir, docs_dir)
    _print(ev, fmt)
    if ev.failures:
        click.echo(f"{len(ev.failures)} gated figure(s), fitted or held out, off by more than "
                   "their tolerance",
                   err=True)
        sys.exit(1)


def _refit(data_dir: Path, docs_dir: Path) -> Evaluation:
    from smartpick.model.calibration.calibrate import calibrate as fit
    from smartpick.model.calibration.report import write_report
    from smartpick.model.params import PARAMS_PATH, load_params, save_params

    result = fit(data_dir)
    save_params(result.params, PARAMS_PATH)
    load_params.cache_clear()
    ev = evaluate(result.params, data_dir)
    path = write_report(ev, result.params, docs_dir)
    click.echo(f"wrote {PARAMS_PATH} and {path}", err=True)
    return ev


def _print(ev: Evaluation, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps([f.to_json() for f in ev.figures], indent=1))
        return
    for f in ev.figures:
        pub = "—" if f.published is None else f"{f.published:.3f}"
        mark = "FAIL" if f.gated and not f.ok else ("ok" if f.gated else "--")
        role = "held-out" if f.held_out else "fit"
        click.echo(f"{mark:4} {role:8} {f.figure:70.70} {pub:>8} {f.predicted:8.3f}")
