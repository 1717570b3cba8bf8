"""Batch fixtures: the example cohort planned on the local engine, and a real Dask cluster."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from tests.conftest import cli_env

from smartpick.batch.engine import Engine
from smartpick.cli import cli
from smartpick.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# the quicker example profiles (the strong IMG's long list takes several times longer)
COHORT = ("us_img_fm", "us_md_im", "weak_non_us_img_im")


def run_cli(settings: Settings, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=cli_env(settings))


def example_folder(tmp: Path, names: tuple[str, ...] = ()) -> Path:
    """A copy of the example profiles (all, or those named) in a folder of their own."""
    folder = tmp / "cohort"
    folder.mkdir(parents=True, exist_ok=True)
    for file in sorted(EXAMPLES.glob("*.yaml")):
        if not names or file.stem in names:
            shutil.copy(file, folder / file.name)
    return folder


@pytest.fixture(scope="session")
def local_examples(built_catalog: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`smartpick batch` of the COHORT examples on the local engine (no what-ifs): its output."""
    tmp = tmp_path_factory.mktemp("local-batch")
    out = tmp / "out"
    result = run_cli(built_catalog, "batch", str(example_folder(tmp, COHORT)),
                     "--output", str(out), "--no-what-ifs")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def dask_engine() -> Iterator[Engine]:
    """A real LocalCluster of 2 worker processes, as `--engine dask --workers 2` starts it."""
    from smartpick.batch.dask_engine import DaskEngine

    engine = DaskEngine(workers=2)
    yield engine
    engine.close()
