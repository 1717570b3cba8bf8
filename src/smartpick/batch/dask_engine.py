"""The Dask engine: tasks on a Dask cluster, the shared state built once per worker.

The setup of a batch is registered as a worker plugin (:class:`StatePlugin`): every worker
builds it when the plugin arrives, or when the worker joins later, and keeps it for every
task it runs. Tasks are sent with ``pure=False`` (each runs once, even for equal items) and
come back as they finish.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from distributed import Client, LocalCluster, WorkerPlugin, as_completed, get_worker

from smartpick.batch.engine import Engine, Failure, Setup, guarded
from smartpick.errors import DataError, InputError, SmartPickError, ValidationProblem

# the scheduler's HTTP routes (health, and the dashboard where bokeh is installed): loopback
# only, on a free port, so several clusters on one machine never collide
LOOPBACK_ANY_PORT = "127.0.0.1:0"

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


class StatePlugin(WorkerPlugin):
    """A Dask worker plugin holding the state its setup built on that worker."""

    def __init__(self, setup: Setup[Any], name: str):
        self.setup_state, self.name = setup, name
        self.state: Any = None

    def setup(self, worker: Any) -> None:
        self.state = self.setup_state()

    def teardown(self, worker: Any) -> None:
        self.state = None


def _on_worker(task: Callable[[Any, T], R], item: T, plugin: str) -> R | Failure[T]:
    state = get_worker().plugins[plugin].state  # type: ignore[attr-defined]
    return guarded(task, state, item)


def plugin_name(setup: Setup[Any]) -> str:
    """One plugin per distinct setup: equal setups share a name (and the workers' state)."""
    digest = hashlib.sha256(pickle.dumps(setup)).hexdigest()[:16]
    return f"smartpick-{type(setup).__name__}-{digest}"


class DaskEngine(Engine):
    """Tasks on a Dask cluster: the one at ``scheduler``, or a new ``LocalCluster`` of
    ``workers`` processes (one thread each) on this machine."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None):
        self._cluster: Any = None
        if scheduler:
            self.client = _connect(Client, scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=workers or max(1, os.cpu_count() or 1), threads_per_worker=1,
                processes=True, host="127.0.0.1", dashboard_address=LOOPBACK_ANY_PORT,
                silence_logs=logging.ERROR)
            self.client = Client(self._cluster)
        self._plugins: set[str] = set()
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def run(self, setup: Setup[S], task: Callable[[S, T], R],
            items: Sequence[T]) -> Iterator[tuple[int, R | Failure[T]]]:
        if not items:
            return
        name = plugin_name(setup)
        if name not in self._plugins and not self._workers_hold(name):
            self._register(StatePlugin(setup, name))
        self._plugins.add(name)
        futures = self.client.map(_on_worker, [task] * len(items), list(items),
                                  [name] * len(items), pure=False)
        index = {future.key: i for i, future in enumerate(futures)}
        for future in as_completed(futures):
            i = index[future.key]
            try:
                yield i, future.result()
            except Exception as err:  # a lost worker, an unpicklable result
                yield i, Failure(items[i], f"{type(err).__name__}: {err}")
            future.release()

    def _workers_hold(self, name: str) -> bool:
        """Whether every worker already holds this state (a cluster kept between batches)."""
        held = self.client.run(lambda dask_worker: name in dask_worker.plugins)
        return bool(held) and all(held.values())

    def _register(self, plugin: StatePlugin) -> None:
        try:
            self.client.register_plugin(plugin, name=plugin.name)
        except SmartPickError:
            raise
        except Exception as err:
            raise DataError("the Dask workers could not load what the batch needs",
                            [ValidationProblem("(worker)", f"{type(err).__name__}: {err}")]
                            ) from None

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def _connect(client: Any, scheduler: str) -> Any:
    try:
        return client(scheduler, timeout="10s")
    except OSError as err:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}", [ValidationProblem(
            "--scheduler", str(err) or "no answer")]) from None
