"""The service layer both faces call: typed answers from one :class:`Planner`.

- :class:`Planner` (``services.planner``): owns settings, catalog, model and caches;
  ``planner.plan(PlanRequest)`` gives a :class:`PlanResult`;
- ``services.answers``: eligibility checks, the USCE report and program details;
- ``services.pool``: the bounded pool the web app runs plans in.

The result types are defined in :mod:`smartpick.plan.result` and re-exported here.
"""

from smartpick.plan.result import (
    CurvePoint,
    Excluded,
    PlannedProgram,
    PlanResult,
    Source,
    WhatIf,
)
from smartpick.services.planner import PlanBounds, Planner, PlanRequest

__all__ = ["CurvePoint", "Excluded", "PlanBounds", "PlanRequest", "PlanResult", "PlannedProgram",
           "Planner", "Source", "WhatIf"]
