"""Cohort planning: one plan per applicant, on any engine, resumable.

The plans are made by the service layer's :class:`~smartpick.services.Planner` (the one
behind ``smartpick plan --format json``), one per process: it opens the catalog once and keeps
the candidate pool and the model that every plan reuses.
Tasks carry a validated profile and the options; results come back as the plan's JSON
contract, and only this process writes files, so workers need no shared disk.

Output folder::

    plans/<name>.json     one plan per applicant (the plan JSON contract)
    finished.jsonl        one line per finished plan: its name and the fingerprint of its
                          profile and options; a rerun skips names whose fingerprint matches
    cohort.md / .csv / .png   the cohort report (smartpick.batch.report)
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartpick.batch.engine import Engine, Failure
from smartpick.batch.inputs import Entry
from smartpick.settings import Settings

if TYPE_CHECKING:
    from smartpick.services import Planner

STANDARD_WHAT_IFS = ("usce:+3m-hands-on", "step3:pass", "budget:+1000")
PLANS_DIR = "plans"
FINISHED_FILE = "finished.jsonl"


@dataclass(frozen=True)
class CohortOptions:
    """The limits and what-ifs every applicant's plan is made with."""

    season: int | None = None  # default: the next season whose application window is ahead
    budget_usd: float | None = None  # default: each profile's own
    target_p_match: float | None = None
    max_programs: int | None = None
    what_ifs: tuple[str, ...] = STANDARD_WHAT_IFS


@dataclass(frozen=True)
class PlannerSetup:
    """Builds the :class:`~smartpick.services.Planner` of whichever process runs the plans
    (picklable): the catalog at the batch's database URL, opened once, with its candidate
    pool and the model loaded before the first plan."""

    database_url: str
    data_dir: str
    home: str

    @classmethod
    def of(cls, settings: Settings) -> PlannerSetup:
        return cls(settings.database_url, str(settings.data_dir), str(settings.home))

    def __call__(self) -> Planner:
        from smartpick.services import Planner
        from smartpick.settings import default_data_dir

        data_dir = Path(self.data_dir)
        if not data_dir.is_dir():  # another host: its own installed data
            data_dir = default_data_dir()
        planner = Planner(Settings(self.database_url, data_dir, Path(self.home)))
        _ = planner.context  # catalog, model and candidate pool, once per process
        return planner


@dataclass(frozen=True)
class PlanJob:
    name: str
    location: str
    profile: dict[str, Any]
    options: CohortOptions


@dataclass
class PlanOutcome:
    """One applicant's plan, or the problems that stopped it."""

    name: str
    location: str
    plan: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    skipped: bool = False  # finished by an earlier run


def plan_job(planner: Planner, job: PlanJob) -> PlanOutcome:
    """The task: one applicant's plan; a user-facing error becomes the outcome's problems."""
    from smartpick.applicant.profile import Profile
    from smartpick.errors import SmartPickError
    from smartpick.services import PlanRequest

    o = job.options
    request = PlanRequest.model_construct(
        profile=Profile.model_validate(job.profile), budget_usd=o.budget_usd,
        target_p_match=o.target_p_match, max_programs=o.max_programs, season=o.season,
        what_if=list(o.what_ifs))
    try:
        plan = planner.plan(request).model_dump(mode="json")
    except SmartPickError as err:
        lines = [str(p) if p.location else f"{job.location}: {p}" for p in err.problems]
        return PlanOutcome(job.name, job.location, None,
                           [f"{job.location}: {err.message}", *lines])
    return PlanOutcome(job.name, job.location, plan)


def fingerprint(profile: dict[str, Any], options: CohortOptions) -> str:
    """Changes when the profile or the options change (a finished plan is then redone)."""
    text = json.dumps({"profile": profile, "options": asdict(options)}, sort_keys=True,
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class CohortRun:
    """What a batch did: every applicant's outcome, in input order."""

    outcomes: list[PlanOutcome]
    out_dir: Path

    @property
    def planned(self) -> list[PlanOutcome]:
        return [o for o in self.outcomes if o.plan is not None]

    @property
    def failed(self) -> list[PlanOutcome]:
        return [o for o in self.outcomes if o.plan is None]

    @property
    def skipped(self) -> list[PlanOutcome]:
        return [o for o in self.outcomes if o.skipped]


Progress = Callable[[PlanOutcome], None]


def run_cohort(entries: list[Entry], out_dir: Path, options: CohortOptions, engine: Engine,
               setup: PlannerSetup, progress: Progress | None = None) -> CohortRun:
    """Plan every entry not finished before; write each plan as soon as it comes back."""
    plans_dir = out_dir / PLANS_DIR
    plans_dir.mkdir(parents=True, exist_ok=True)
    done = _finished(out_dir)
    outcomes: dict[int, PlanOutcome] = {}
    jobs: list[tuple[int, PlanJob]] = []
    for i, entry in enumerate(entries):
        outcome = _before_planning(entry, options, plans_dir, done)
        if outcome is None:
            assert entry.profile is not None
            jobs.append((i, PlanJob(entry.name, entry.location, entry.profile, options)))
        else:
            outcomes[i] = outcome
            _tell(progress, outcome)
    for i, outcome in _planned(engine, setup, jobs):
        if outcome.plan is not None:
            _write_plan(out_dir, outcome, fingerprint(entries[i].profile or {}, options))
        outcomes[i] = outcome
        _tell(progress, outcome)
    return CohortRun([outcomes[i] for i in range(len(entries))], out_dir)


def _tell(progress: Progress | None, outcome: PlanOutcome) -> None:
    if progress is not None:
        progress(outcome)


def _before_planning(entry: Entry, options: CohortOptions, plans_dir: Path,
                     done: dict[str, str]) -> PlanOutcome | None:
    """The outcome known without planning: a bad profile, or a plan finished before."""
    if entry.profile is None:
        return PlanOutcome(entry.name, entry.location, None, entry.problems)
    file = plans_dir / f"{entry.name}.json"
    if done.get(entry.name) == fingerprint(entry.profile, options) and file.is_file():
        try:
            plan = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None
        return PlanOutcome(entry.name, entry.location, plan, skipped=True)
    return None


def _planned(engine: Engine, setup: PlannerSetup,
             jobs: list[tuple[int, PlanJob]]) -> Iterator[tuple[int, PlanOutcome]]:
    for k, result in engine.run(setup, plan_job, [job for _, job in jobs]):
        i, job = jobs[k]
        if isinstance(result, Failure):
            result = PlanOutcome(job.name, job.location, None,
                                 [f"{job.location}: planning failed: {result.reason}"])
        yield i, result


def plan_json(plan: dict[str, Any] | None) -> str:
    """The plan as ``smartpick plan --format json`` prints it."""
    return json.dumps(plan, indent=2, ensure_ascii=False, default=str)


def _finished(out_dir: Path) -> dict[str, str]:
    """Names of plans finished by earlier runs -> the fingerprint they were made with."""
    file = out_dir / FINISHED_FILE
    done: dict[str, str] = {}
    if not file.is_file():
        return done
    for line in file.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
            done[str(record["name"])] = str(record["fingerprint"])
        except (json.JSONDecodeError, KeyError, TypeError):
            continue  # a line cut short by an interrupted run
    return done


def _write_plan(out_dir: Path, outcome: PlanOutcome, print_: str) -> None:
    """The plan file first (atomically), then its line in finished.jsonl."""
    target = out_dir / PLANS_DIR / f"{outcome.name}.json"
    partial = target.with_suffix(".json.partial")
    partial.write_text(plan_json(outcome.plan) + "\n", encoding="utf-8")
    os.replace(partial, target)
    with (out_dir / FINISHED_FILE).open("a", encoding="utf-8") as log:
        log.write(json.dumps({"name": outcome.name, "fingerprint": print_}) + "\n")
