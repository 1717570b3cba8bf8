"""Plan fixtures: one Planner over the built catalog, shared by the plan tests."""

from __future__ import annotations

import pytest

from smartpick.plan.planner import PlanContext
from smartpick.services import Planner
from smartpick.settings import Settings


@pytest.fixture(scope="session")
def planner(built_catalog: Settings) -> Planner:
    return Planner(built_catalog)


@pytest.fixture(scope="session")
def context(planner: Planner) -> PlanContext:
    return planner.context
