"""No example plan excludes a program on a fact that only the automatic reader gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from smartpick.applicant.load import load_profile
from smartpick.catalog import schema
from smartpick.catalog.build import build
from smartpick.catalog.store import Catalog
from smartpick.plan.planner import PlanOptions, build_plan
from smartpick.rules.check import check_all
from smartpick.services import Planner
from smartpick.settings import Settings, default_data_dir

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def reader_only(tmp_path_factory: pytest.TempPathFactory) -> Planner:
    """The shipped catalog with the reader's facts and none read by hand."""
    shipped = default_data_dir()
    data = tmp_path_factory.mktemp("data")
    for item in shipped.iterdir():
        if item.name != "requirements":
            os.symlink(item, data / item.name)
    (data / "requirements").mkdir()
    extracted = shipped / "requirements" / "im_extracted.csv"
    (data / "requirements" / extracted.name).write_bytes(extracted.read_bytes())
    home = tmp_path_factory.mktemp("home")
    settings = Settings(f"sqlite:///{home / 'smartpick.sqlite'}", data, home)
    build(settings)
    return Planner(settings)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_plan_excludes_nothing_on_extracted_facts(reader_only: Planner,
                                                          example: Path) -> None:
    plan = build_plan(load_profile(example), PlanOptions(), reader_only.context)
    assert not [e for e in plan.excluded if "[extracted" in e.reason]


def test_extracted_misses_stay_in_play_as_unverified(reader_only: Planner) -> None:
    """The test above is not vacuous: the weak example fails extracted rules, kept as risks."""
    profile = load_profile(EXAMPLES[-1])
    assert EXAMPLES[-1].stem == "weak_non_us_img_im"
    catalog = reader_only.catalog
    programs = catalog.get_many(_extracted_program_ids(catalog))
    verdicts = check_all(profile, programs)
    doubtful = [v for v in verdicts if not v.exclusions
                and any(r.status == "extracted" for r in v.unconfirmed)]
    assert len(doubtful) >= 5
    assert all(v.status.value == "unverified" and v.chance_factor < 1 for v in doubtful)
    # the same rules on reported facts would have excluded every one of them
    assert all(any(r.outcome.value == "missed" for r in v.unconfirmed) for v in doubtful)
    plan = build_plan(profile, PlanOptions(), reader_only.context)
    excluded = {e.program_id for e in plan.excluded}
    assert not excluded & {v.program_id for v in doubtful}


def _extracted_program_ids(catalog: Catalog) -> list[str]:
    f = schema.program_facts
    with catalog.engine.connect() as conn:
        return sorted(set(conn.execute(select(f.c.program_id).where(
            f.c.status == "extracted")).scalars()))
