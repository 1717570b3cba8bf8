"""The plan for a request: the planner's JSON contract (``smartpick plan --format json``),
plus what the plan page and the exports add around it (map positions, sources and dates).

The planner is injected into :func:`~smartpick.web.app.create_app` as a callable; by default
it is the library's planner (:func:`default_planner`), and ``None`` while a build has none,
in which case plan requests answer 503 with a clear message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from smartpick.applicant.profile import Profile
from smartpick.catalog.store import Catalog
from smartpick.errors import DataError
from smartpick.report.usmap import project
from smartpick.web.schemas import PlanRequest
from smartpick.web.state import AppState

STANDARD_WHAT_IFS = ("usce:+3m-hands-on", "step3:pass", "budget:+1000")


@dataclass(frozen=True)
class PlanOptions:
    budget_usd: float | None = None
    target_p_match: float | None = None
    max_programs: int | None = None
    season: int | None = None
    what_if: tuple[str, ...] = field(default_factory=tuple)


Planner = Callable[[Catalog, Profile, PlanOptions], dict[str, Any]]


class PlannerUnavailable(DataError):
    """This build has no planner."""


def default_planner() -> Planner:
    """The library's planner: :func:`smartpick.plan.planner.build_plan` plus what-ifs."""
    return library_plan


def library_plan(catalog: Catalog, profile: Profile, options: PlanOptions) -> dict[str, Any]:
    """The plan JSON contract for ``profile``, as ``smartpick plan --format json`` gives it."""
    from smartpick.plan import planner
    from smartpick.plan.whatif import plan_with_what_ifs

    opts = planner.PlanOptions(season=options.season or 2026, budget_usd=options.budget_usd,
                               target_p_match=options.target_p_match,
                               max_programs=options.max_programs)
    result = plan_with_what_ifs(profile, opts, list(options.what_if), catalog)
    return result.to_dict()


def make_plan(state: AppState, profile: Profile, options: PlanOptions) -> dict[str, Any]:
    if state.planner is None:
        raise PlannerUnavailable("the planner is not available in this build")
    return state.planner(state.catalog, profile, options)


def plan_answer(state: AppState, body: PlanRequest) -> dict[str, Any]:
    options = PlanOptions(body.budget_usd, body.target_p_match, body.max_programs, body.season,
                          tuple(body.what_if))
    return make_plan(state, body.profile, options)


def plan_places(catalog: Catalog, plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Map positions (canvas x, y) of the chosen programs that have coordinates."""
    ids = [str(p["program_id"]) for p in plan.get("programs", [])]
    found = {p.program_id: p for p in catalog.get_many(ids)}
    places = []
    for rank, program_id in enumerate(ids, start=1):
        program = found.get(program_id)
        if program is None:
            continue
        spot = project(program.value("latitude"), program.value("longitude"))
        if spot:
            places.append({"rank": rank, "program_id": program_id, "x": round(spot[0], 1),
                           "y": round(spot[1], 1), "name": program.value("name")})
    return places


def plan_sources(catalog: Catalog, plan: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (source, as-of date) behind a fact of the chosen programs."""
    ids = [str(p["program_id"]) for p in plan.get("programs", [])]
    seen: dict[tuple[str, str], None] = {}
    for program in catalog.get_many(ids):
        for fact in program.facts.values():
            if fact.source:
                seen[(fact.source, fact.as_of)] = None
    return sorted(seen)
