"""Where batch work runs: in this process, or on a Dask cluster.

A batch is a list of items, a *setup* that builds what every task needs once (the catalog
and model for plans, the national shape for market studies) and a *task* that turns one
item into one result with it. :class:`LocalEngine` builds the setup once and runs the tasks
in order, in this process. :class:`DaskEngine` registers the setup as a Dask worker plugin,
so each worker process builds it once when it joins and keeps it for every task it runs;
the tasks then run on the cluster (a ``LocalCluster`` of worker processes on this machine, or
the cluster at a scheduler address) and their results come back as they finish.

A setup must be picklable and deterministic: every worker builds its own copy, and a task
must give the same result wherever it runs, so both engines give the same results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Generic, Protocol, TypeVar

from smartpick.errors import InputError, ValidationProblem

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")
S_co = TypeVar("S_co", covariant=True)

ENGINES = ("local", "dask")


class Setup(Protocol[S_co]):
    """Builds the state that every task of a batch shares (once per process)."""

    def __call__(self) -> S_co: ...


class Failure(Generic[T]):
    """A task that raised: its item and a one-line reason (the batch goes on)."""

    def __init__(self, item: T, reason: str):
        self.item, self.reason = item, reason

    def __repr__(self) -> str:
        return f"Failure({self.reason!r})"


class Engine:
    """Runs ``task(state, item)`` for every item, yielding ``(index, result)`` as they finish.

    A task that raises yields a :class:`Failure` in place of its result."""

    name = "engine"
    workers = 1

    def run(self, setup: Setup[S], task: Callable[[S, T], R],
            items: Sequence[T]) -> Iterator[tuple[int, R | Failure[T]]]:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the engine holds (a cluster it started)."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


class LocalEngine(Engine):
    """Every task in this process, one after another, on one state."""

    name = "local"

    def run(self, setup: Setup[S], task: Callable[[S, T], R],
            items: Sequence[T]) -> Iterator[tuple[int, R | Failure[T]]]:
        if not items:
            return
        state = setup()
        for index, item in enumerate(items):
            yield index, guarded(task, state, item)


def guarded(task: Callable[[S, T], R], state: S, item: T) -> R | Failure[T]:
    try:
        return task(state, item)
    except Exception as err:  # a task's own bug must not stop the batch
        return Failure(item, f"{type(err).__name__}: {err}")


def open_engine(engine: str = "local", scheduler: str | None = None,
                workers: int | None = None) -> Engine:
    """The engine named ``engine`` (``local`` or ``dask``)."""
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}",
                         [ValidationProblem("--engine", f"expected one of {', '.join(ENGINES)}")])
    if engine == "local":
        if scheduler or workers:
            raise InputError("--scheduler and --workers need --engine dask", [ValidationProblem(
                "--engine", "use --engine dask to run on a Dask cluster")])
        return LocalEngine()
    if workers is not None and workers < 1:
        raise InputError("invalid options", [ValidationProblem("--workers", "must be 1 or more")])
    if workers is not None and scheduler:
        raise InputError("invalid options", [ValidationProblem(
            "--workers", "sets the size of a new LocalCluster; the cluster at --scheduler "
            "has its own workers")])
    from smartpick.batch.dask_engine import DaskEngine

    return DaskEngine(scheduler, workers)
