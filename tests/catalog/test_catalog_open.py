"""Closed programs are never planned: every example profile's plan leaves out the programs not
accepting applications or with 0 positions, naming the rule and its source."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartpick.applicant.load import load_profile
from smartpick.catalog.fields import NO_POSITIONS, NOT_ACCEPTING
from smartpick.catalog.search import ProgramQuery
from smartpick.catalog.store import open_catalog
from smartpick.plan.planner import PlanOptions, build_plan
from smartpick.services import Planner
from smartpick.settings import Settings

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def planner(built_catalog: Settings) -> Planner:
    return Planner(built_catalog)


@pytest.fixture(scope="module")
def closed(built_catalog: Settings) -> dict[str, str]:
    catalog = open_catalog(built_catalog)
    found = {}
    for specialty in ("Internal Medicine", "Family Medicine"):
        for p in catalog.search(ProgramQuery(specialty=specialty)):
            if p["open_status"] in (NOT_ACCEPTING, NO_POSITIONS):
                found[p.program_id] = p["open_status"]
    return found


def test_the_catalog_knows_closed_internal_medicine_programs(closed: dict[str, str]) -> None:
    assert sum(1 for v in closed.values() if v == NOT_ACCEPTING) >= 13
    assert NO_POSITIONS in closed.values()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_no_plan_lists_a_closed_program(example: Path, planner: Planner,
                                        closed: dict[str, str]) -> None:
    plan = build_plan(load_profile(example), PlanOptions(), planner.context)
    assert not {p.program_id for p in plan.programs} & set(closed)
    left_out = {e.program_id: e for e in plan.excluded}
    targets = {p.specialty for p in plan.programs}
    catalog_specialty = {p.program_id: p["specialty"] for p in open_catalog(
        planner.settings).get_many(closed)}
    for pid, status in closed.items():
        if catalog_specialty[pid] in targets:
            assert left_out[pid].rule == status
            assert "[" in left_out[pid].reason  # the fact's status and source
