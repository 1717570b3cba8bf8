"""One planner per catalog: it owns the settings, the catalog, the model, the caches and a lock.

Both faces hold one :class:`Planner` (the web app makes one in ``create_app``; a CLI command
makes one per run) and ask it for typed results: :meth:`Planner.plan` gives a
:class:`~smartpick.plan.result.PlanResult`. Nothing below it reads the environment: the data
folder, the catalog and the model come from here.

Caches, all bounded and safe to share between threads:

- the candidate pool (programs, requirements and model arrays per specialty, verdicts of the
  latest applicants) and the latest specialty parts (scenario chances), see
  :class:`~smartpick.plan.planner.PlanContext`;
- the latest finished plans, keyed by the whole request: the plan page and its CSV, XLSX and
  PDF downloads ask for the same plan, and only the first one computes it; a request asked
  again while its plan is being made waits for that plan instead of making it again.

Work per request is bounded (:class:`PlanBounds`): a request past a bound is refused with a
message naming the field, and the list never grows past ``max_list`` programs.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from smartpick.applicant.profile import Profile
from smartpick.applicant.seasons import Season, available_seasons, load_season
from smartpick.errors import InputError, ValidationProblem
from smartpick.settings import PACKAGE_DIR, Settings, today

if TYPE_CHECKING:
    from smartpick.catalog.store import Catalog
    from smartpick.model import Model
    from smartpick.plan.candidates import DiskCache
    from smartpick.plan.planner import PlanContext, PlanOptions
    from smartpick.plan.result import PlanResult

KEPT_PLANS = 32
CACHE_FORMAT = 1  # of the prepared candidates kept on disk
PREPARED_BY = ("plan/candidates.py", "rules/requirements.py", "model/program_arrays.py",
               "model/priors.py", "catalog/program.py", "catalog/fields.py")


def _version() -> str:
    try:
        return version("smartpick")
    except PackageNotFoundError:
        return "0"


@dataclass(frozen=True)
class PlanBounds:
    """The most work one plan request may ask for."""

    max_programs: int = 200  # list length asked for
    max_list: int = 200  # longest list ever searched, whatever the budget
    max_budget_usd: float = 20_000.0
    max_what_ifs: int = 5


class PlanRequest(BaseModel):
    """A plan request: the profile, the limits of the list, the season and what-ifs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    profile: Profile
    budget_usd: float | None = Field(default=None, ge=0, le=PlanBounds.max_budget_usd,
                                     description="default: the profile's budget")
    target_p_match: float | None = Field(default=None, gt=0, lt=1,
                                         description="default: the profile's target")
    max_programs: int | None = Field(default=None, ge=1, le=PlanBounds.max_programs)
    season: int | None = Field(default=None, ge=2000, le=2100,
                               description="default: the next season whose application "
                                           "window is ahead (default_season)")
    what_if: list[str] = Field(default_factory=list, max_length=PlanBounds.max_what_ifs,
                               description="changes to try, e.g. usce:+3m-hands-on")

    def cache_key(self) -> str:
        return self.model_dump_json()


class Planner:
    """Plans (and the season calendars) over one catalog with one model."""

    def __init__(self, settings: Settings, catalog: Catalog | None = None,
                 model: Model | None = None, bounds: PlanBounds | None = None,
                 kept_plans: int = KEPT_PLANS):
        self.settings = settings
        self.bounds = bounds or PlanBounds()
        self._catalog = catalog
        self._model = model
        self._context: PlanContext | None = None
        self._lock = threading.Lock()
        self._kept_plans = kept_plans
        self._plans: OrderedDict[str, tuple[PlanResult, bytes]] = OrderedDict()
        self._making: dict[str, Future[tuple[PlanResult, bytes]]] = {}

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            from smartpick.catalog.store import open_catalog

            with self._lock:
                if self._catalog is None:
                    self._catalog = open_catalog(self.settings)
        return self._catalog

    @property
    def model(self) -> Model:
        if self._model is None:
            from smartpick.model import load_model

            self._model = load_model()
        return self._model

    @property
    def context(self) -> PlanContext:
        """The pool and parts every plan of this planner shares (made on first use)."""
        if self._context is None:
            from smartpick.plan.candidates import CandidatePool
            from smartpick.plan.planner import PlanContext

            model = self.model
            pool = CandidatePool(self._built_catalog, model, disk=self._disk_cache(model))
            with self._lock:
                if self._context is None:
                    self._context = PlanContext(pool, self.settings.data_dir)
        return self._context

    def _built_catalog(self) -> Catalog:
        catalog = self.catalog
        catalog.ensure_built()
        return catalog

    def _disk_cache(self, model: Model) -> DiskCache | None:
        """Prepared candidates on disk, for a SQLite catalog (stamped by its file and the
        model's parameters); None for a database server, whose version is not a file."""
        from smartpick.plan.candidates import DiskCache

        url = self.settings.database_url
        if not self.settings.is_sqlite or not url.startswith("sqlite:///"):
            return None
        path = Path(url.removeprefix("sqlite:///"))
        try:
            stat = path.stat()
        except OSError:
            return None
        digest = hashlib.sha256(pickle.dumps(model.params))
        digest.update(f"{CACHE_FORMAT}|{_version()}|{path.resolve()}|{stat.st_size}|"
                      f"{stat.st_mtime_ns}".encode())
        for source in PREPARED_BY:  # the code that makes them: edited code, new files
            file = PACKAGE_DIR / source
            digest.update(file.read_bytes() if file.is_file() else source.encode())
        return DiskCache(self.settings.home / "cache", digest.hexdigest()[:24])

    def prepared(self, specialties: list[str]) -> bool:
        """Whether the candidates of every one of ``specialties`` are prepared on disk for
        this catalog and model (then a plan does not open the catalog at all)."""
        from smartpick.catalog.specialties import canonical
        from smartpick.errors import SmartPickError

        disk = self._disk_cache(self.model)
        try:
            return disk is not None and all(disk.path(canonical(s, "targets.specialty"))
                                            .is_file() for s in specialties)
        except SmartPickError:
            return False

    def season(self, year: int | None) -> Season:
        """The season calendar, or an InputError naming the seasons held."""
        held = available_seasons(self.settings.data_dir)
        if year is not None and year not in held:
            raise InputError("unknown season", [ValidationProblem(
                "season", f"no calendar for {year}; known seasons: {', '.join(map(str, held))}")])
        return load_season(year, self.settings.data_dir)

    def plan(self, request: PlanRequest) -> PlanResult:
        """The plan for ``request``, what-ifs included (a kept plan if asked before)."""
        return self._kept(request)[0]

    def plan_json(self, request: PlanRequest) -> bytes:
        """The same plan as JSON (what ``/api/plan`` answers), serialised once per plan."""
        return self._kept(request)[1]

    def _kept(self, request: PlanRequest) -> tuple[PlanResult, bytes]:
        """The kept plan, or the plan another thread is making for the same request (it is
        waited for, not made twice), or a new plan."""
        self._check_bounds(request)
        key = f"{today().isoformat()} {request.cache_key()}"  # today decides the season
        with self._lock:
            kept = self._plans.get(key)
            if kept is not None:
                self._plans.move_to_end(key)
                return kept
            making = self._making.get(key)
            mine = making is None
            if making is None:
                making = self._making[key] = Future()
        if not mine:
            return making.result()
        try:
            result = self._compute(request)
            made = (result, result.model_dump_json().encode())
        except BaseException as err:
            with self._lock:
                del self._making[key]
            making.set_exception(err)
            raise
        with self._lock:
            del self._making[key]
            self._plans[key] = made
            while len(self._plans) > self._kept_plans:
                self._plans.popitem(last=False)
        making.set_result(made)
        return made

    def _compute(self, request: PlanRequest) -> PlanResult:
        from smartpick.plan.planner import PlanOptions
        from smartpick.plan.suggest import with_suggestions
        from smartpick.plan.whatif import parse_change, plan_with_what_ifs

        for text in request.what_if:
            parse_change(text)  # a bad what-if fails before any planning
        season = self.season(request.season)
        options = PlanOptions(season=season.year, budget_usd=request.budget_usd,
                              target_p_match=request.target_p_match,
                              max_programs=request.max_programs,
                              data_dir=self.settings.data_dir)
        options = self._bounded(options, request.profile)
        plan, solved = plan_with_what_ifs(request.profile, options, list(request.what_if),
                                          self.context)
        return with_suggestions(request.profile, options, plan, self.context,
                                list(request.what_if), solved)  # only for a very low chance

    def _check_bounds(self, request: PlanRequest) -> None:
        b, problems = self.bounds, []
        if request.max_programs is not None and request.max_programs > b.max_programs:
            problems.append(ValidationProblem("max_programs", f"at most {b.max_programs}"))
        if request.budget_usd is not None and request.budget_usd > b.max_budget_usd:
            problems.append(ValidationProblem("budget_usd", f"at most {b.max_budget_usd:.0f}"))
        if len(request.what_if) > b.max_what_ifs:
            problems.append(ValidationProblem("what_if", f"at most {b.max_what_ifs} changes"))
        if problems:
            raise InputError("the plan request asks for too much work", problems)

    def _bounded(self, options: PlanOptions, profile: Profile) -> PlanOptions:
        """Cap the list at ``max_list`` programs, whatever the budget allows."""
        budget = options.budget_usd if options.budget_usd is not None else profile.budget_usd
        target = (options.target_p_match if options.target_p_match is not None
                  else profile.target_p_match)
        longest = options.max_programs
        if longest is not None or budget is not None or target is not None:
            longest = min(longest or self.bounds.max_list, self.bounds.max_list)
        if budget is not None:
            budget = min(budget, self.bounds.max_budget_usd)
        return replace(options, max_programs=longest, budget_usd=budget)
