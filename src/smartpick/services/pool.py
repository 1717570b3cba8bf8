"""A bounded pool for plans: a few worker threads and a short queue, refusing the rest.

A plan takes a core for a while; the web app must neither run it on its event loop (every other
request would wait) nor start more than the machine can finish. :class:`PlanPool` runs at most
``workers`` plans at once and lets at most ``queue`` more wait; a request beyond that is
refused at once with :class:`PoolFull`, which the web app answers with 503 and a
``Retry-After`` header. Threads, not processes: the pool shares the planner's caches (catalog
arrays, verdicts, scenario chances, finished plans), which processes would each hold again.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from smartpick.errors import DataError

T = TypeVar("T")


class PoolFull(DataError):
    """Every worker is busy and the queue is full."""

    def __init__(self, retry_after: int):
        super().__init__("the planner is busy; try again shortly")
        self.retry_after = retry_after


class PlanPool:
    """At most ``workers`` jobs running and ``queue`` waiting; the rest refused."""

    def __init__(self, workers: int = 2, queue: int = 8, retry_after: int = 2):
        self.workers = workers
        self.queue = queue
        self.retry_after = retry_after
        self._executor = ThreadPoolExecutor(max_workers=workers,
                                            thread_name_prefix="smartpick-plan")
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

    async def run(self, job: Callable[[], T]) -> T:
        """Run ``job`` in a worker thread and wait for it without blocking the event loop."""
        self._enter()
        try:
            future = self._executor.submit(job)
            return await asyncio.wrap_future(future)
        finally:
            self._leave()

    def run_sync(self, job: Callable[[], T]) -> T:
        """The same bound for a caller already off the event loop (a sync route)."""
        self._enter()
        try:
            return self._executor.submit(job).result()
        finally:
            self._leave()

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
