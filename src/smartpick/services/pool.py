"""A bounded pool for plans: a few workers and a short queue, refusing the rest.

A plan takes a core for a while; the web app must neither run it on its event loop (every other
request would wait) nor start more than the machine can finish. :class:`PlanPool` runs at most
``workers`` plans at once and lets at most ``queue`` more wait; a request beyond that is
refused at once with :class:`PoolFull`, which the web app answers with 503 and a
``Retry-After`` header.

Workers are threads sharing the app's :class:`~smartpick.services.planner.Planner` (one copy
of its caches), or, with ``processes=True``, worker processes each holding a planner of their
own over the same settings (the caches once per process, but the list search no longer
competes with the event loop for the interpreter lock). bench/load_bench.py measures both.
Either way the worker serialises the plan, so the event loop only sends bytes.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

from smartpick.errors import DataError
from smartpick.settings import Settings

if TYPE_CHECKING:
    from smartpick.plan.result import PlanResult
    from smartpick.services.planner import Planner, PlanRequest

T = TypeVar("T")


class PoolFull(DataError):
    """Every worker is busy and the queue is full."""

    def __init__(self, retry_after: int):
        super().__init__("the planner is busy; try again shortly")
        self.retry_after = retry_after


class _Worker:
    """The planner of one worker process (made by the pool's initializer)."""

    planner: Planner | None = None


PLAN_NICENESS = 10  # plans yield the CPU to the server's own requests (/healthz, pages)


def _lower_priority() -> None:
    """Run this thread (Linux: each thread has its own niceness) or process at a lower CPU
    priority, so that the event loop is scheduled first while plans run."""
    try:
        if sys.platform.startswith("linux"):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), PLAN_NICENESS)
        else:
            os.nice(PLAN_NICENESS)
    except (OSError, AttributeError):
        pass  # not allowed here: plans run at the server's priority


def _start_worker(settings: Settings) -> None:
    from smartpick.services.planner import Planner

    _lower_priority()
    _Worker.planner = Planner(settings)
    _Worker.planner.context  # noqa: B018 - read the catalog before the first request


def _plan_json_in_worker(request_json: str) -> bytes:
    from smartpick.services.planner import PlanRequest

    assert _Worker.planner is not None
    return _Worker.planner.plan_json(PlanRequest.model_validate_json(request_json))


class PlanPool:
    """At most ``workers`` plans running and ``queue`` waiting; the rest refused."""

    def __init__(self, workers: int = 2, queue: int = 8, retry_after: int = 2,
                 processes: Settings | None = None):
        self.workers = workers
        self.queue = queue
        self.retry_after = retry_after
        self.processes = processes is not None
        self._executor: Executor
        if processes is not None:
            self._executor = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker, initargs=(processes,))
        else:
            self._executor = ThreadPoolExecutor(max_workers=workers,
                                                thread_name_prefix="smartpick-plan",
                                                initializer=_lower_priority)
        self._lock = threading.Lock()
        self._in_flight = 0

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def _enter(self) -> None:
        with self._lock:
            if self._in_flight >= self.workers + self.queue:
                raise PoolFull(self.retry_after)
            self._in_flight += 1

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    async def plan_json(self, planner: Planner, request: PlanRequest) -> bytes:
        """The plan as JSON bytes, made by a worker without blocking the event loop."""
        self._enter()
        try:
            if self.processes:
                future = self._executor.submit(_plan_json_in_worker, request.model_dump_json())
            else:
                future = self._executor.submit(planner.plan_json, request)
            return await asyncio.wrap_future(future)
        finally:
            self._leave()

    async def plan(self, planner: Planner, request: PlanRequest) -> PlanResult:
        """The plan itself (for pages that render it)."""
        if self.processes:
            from smartpick.plan.result import PlanResult

            return PlanResult.model_validate_json(await self.plan_json(planner, request))
        return await self.run(lambda: planner.plan(request))

    async def run(self, job: Callable[[], T]) -> T:
        """Run ``job`` in a worker thread (thread pools only)."""
        if self.processes:
            raise TypeError("a process pool runs plans only")
        self._enter()
        try:
            return await asyncio.wrap_future(self._executor.submit(job))
        finally:
            self._leave()

    def run_sync(self, job: Callable[[], T]) -> T:
        """The same bound for a caller already off the event loop (thread pools only)."""
        if self.processes:
            raise TypeError("a process pool runs plans only")
        self._enter()
        try:
            return self._executor.submit(job).result()
        finally:
            self._leave()

    def close(self) -> None:
        """Stop the workers (waiting plans are cancelled; worker processes exit)."""
        self._executor.shutdown(wait=self.processes, cancel_futures=True)
