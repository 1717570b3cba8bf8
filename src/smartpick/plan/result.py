"""The plan as one typed value: what the planner returns and what every face renders.

:class:`PlanResult` is the API's response model (``POST /api/plan``), the JSON of
``smartpick plan --format json``, and what the CLI table, the plan page and the CSV, XLSX and
PDF exports read. It is a plain value: it holds no catalog, no model and no cache, so it can be
kept, compared, pickled or sent to another process.

Chances are rounded to six decimals where the plan is made, so every face shows the same
figures.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

DIGITS = 6


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CurvePoint(_Value):
    """P(match) and ERAS fees of the first ``n`` programs of the pick sequence."""

    n: int
    p_match: float
    cost_usd: int
    expected_utility: float
    chosen: bool = Field(description="within the chosen list")


class Excluded(_Value):
    """A candidate left out of the plan, with the rule that left it out."""

    program_id: str
    name: str
    specialty: str
    rule: str
    reason: str


class PlannedProgram(_Value):
    """One program of the list, in list order."""

    program_id: str
    name: str
    specialty: str
    track: str | None = None
    city: str | None = None
    state: str | None = None
    tier: str = Field(description="reach | target | likely (by P(interview)); when every "
                            "program is a reach: reach: best odds | middle | long shot")
    p_interview: float
    p_interview_interval: tuple[float, float]
    marginal_p_match: float
    signal: str = Field(description="none | silver | gold, or signal where the specialty has "
                              "one kind")
    verdict: str = Field(description="eligible | unverified")
    reasons: list[str]
    latitude: float | None = None
    longitude: float | None = None
    visa_j1: bool | None = Field(default=None, description="sponsors or accepts a J-1 (None: "
                                 "the sources do not say)")
    visa_h1b: bool | None = Field(default=None, description="sponsors an H-1B (None: the "
                                  "sources do not say)")
    data_as_of: str | None = Field(
        default=None, description="the oldest date among the facts behind its chance and verdict")


class WhatIf(_Value):
    """The plan again after one change, beside the plan's own figures."""

    change: str
    p_match: float
    cost_usd: int
    programs: int
    delta_p_match: float
    delta_cost_usd: int


class Recommendation(_Value):
    """The list we advise: the first ``n`` programs of the list (see
    :mod:`smartpick.plan.recommend` for the rule), and what the rest of the list adds."""

    n: int
    cost_usd: int
    p_match: float
    rest_programs: int = Field(description="programs on the list after the advised ones")
    rest_cost_usd: int = Field(description="ERAS fees of those programs")
    rest_adds: float = Field(description="what they add to P(match)")
    rule: str = Field(description="the rule that set n, in words")


class Source(_Value):
    """A source behind a fact of a listed program (or behind the plan: model, fees, signal
    counts), and the date of its data; ``name`` is the source without its address, program
    web pages counted as one."""

    source: str
    as_of: str
    name: str = ""


class PlanResult(_Value):
    """The application list for one profile: chances, cost, curve, exclusions and what-ifs."""

    season: int
    warnings: list[str] = Field(default_factory=list,
                                description="what to read before the list (season passed, ...)")
    p_match: float
    p_match_interval: tuple[float, float]
    expected_interviews: float
    cost_usd: int
    fixed_fees_usd: int
    budget_usd: float | None = Field(default=None, description="the applicant's budget for the "
                                     "season, once-a-season fees included")
    program_budget_usd: float | None = Field(default=None, description="what the budget leaves "
                                             "for ERAS program fees after the once-a-season fees")
    target_p_match: float | None = None
    stop_reason: str
    programs: list[PlannedProgram]
    curve: list[CurvePoint]
    diminishing_returns: CurvePoint | None = Field(
        default=None,
        description="where each further $100 of fees buys under half a point of P(match)")
    recommendation: Recommendation | None = Field(
        default=None, description="how much of the list we advise applying to")
    low_chance: bool = Field(default=False, description="P(match) of the list is very low "
                             "(under 20%): changes to the profile help more than programs")
    excluded: list[Excluded]
    what_if: list[WhatIf] = Field(default_factory=list)
    suggestions: list[WhatIf] = Field(
        default_factory=list, description="when the chance is very low and no what-if was "
        "asked: a few changes tried automatically, best first")
    notes: list[str]
    sources: list[Source] = Field(default_factory=list,
                                  description="every source (and data date) behind the list")
    facts_as_of: str = Field(default="", description="one line: each source of the facts that "
                                                     "decided the list's chances and verdicts, "
                                                     "by name, with its oldest date used")

    @property
    def diminishing(self) -> CurvePoint | None:
        return self.diminishing_returns

    def with_what_ifs(self, what_if: list[WhatIf]) -> PlanResult:
        return self.model_copy(update={"what_if": list(what_if)})


def rounded(x: float) -> float:
    return round(float(x), DIGITS)
