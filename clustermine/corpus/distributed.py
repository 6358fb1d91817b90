"""Reading files on a Dask cluster: :class:`DaskPool`, the same interface as the local :class:`KillablePool`.

Why it can be this small: extraction, metadata, entities and term counts (:func:`~clustermine.corpus.ingest.
extract_document`) are pure functions of one file, so a Dask worker runs the very function the local worker
processes run, on the very same task. Only the results travel back; this process stays the one writer of the
store and the index, storing each document as it arrives, so an interrupted run keeps what came back.

What the cluster has to offer (checked on :meth:`DaskPool.connect`, each with a message that says what to
do): at least one worker, and clustermine in the same version on every worker. The workers open the files
by the paths this process found, so they need them under the same paths (a shared folder); a worker that
cannot see a file reports it as that file's failure.

Limits: ``timeout`` is counted from the moment a file is handed to the cluster, and the pool hands out only
as many files as the workers have threads (counted again every few seconds, as workers come and go), so the
clock starts about when the work does. Dask cannot stop a running task; a file that ran out of time is
reported as failed and its worker thread finishes it in the background (keeping that thread busy meanwhile).
Memory is limited by the workers' own ``--memory-limit`` (their nanny restarts a worker that exceeds it); a
file that kills its worker, also when the scheduler tries it again, fails with the crash message.
"""

from __future__ import annotations

import itertools
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

from clustermine.corpus.workers import TaskFailure, call_task
from clustermine.errors import ClustermineError, ExtractionTimeoutError

T = TypeVar("T")

INSTALL_HINT = "pip install 'clustermine[dask]'"
#: Seconds to wait for the scheduler to answer and for a first worker to join.
CONNECT_TIMEOUT = 10.0
#: How often the pool asks the scheduler how many worker threads there are.
_RECOUNT_SECONDS = 5.0

__all__ = ["CONNECT_TIMEOUT", "DaskPool", "DistributedError", "INSTALL_HINT"]


class DistributedError(ClustermineError):
    """The Dask cluster cannot be used: Dask missing, scheduler unreachable, no workers, other versions."""


def import_distributed() -> Any:
    """The ``distributed`` package, or an error that says how to install it."""
    try:
        import distributed
    except ImportError:
        raise DistributedError("--scheduler needs Dask distributed, which is not installed",
                               hint=INSTALL_HINT) from None
    return distributed


def run_on_worker(func: Callable[[Any], Any], task: Any) -> tuple[str, Any]:
    """What a Dask worker runs for one file: the local worker's call, plus a check that it can see the file."""
    path = getattr(task, "path", None)
    if isinstance(path, str) and not os.path.exists(path):
        return ("err", TaskFailure(
            "FileNotOnWorker",
            f"the Dask worker on {socket.gethostname()} cannot see this file",
            "the workers must see the files under the same path (a shared folder); see 'Large corpora' in the "
            "README",
        ))
    return call_task(func, task)


def worker_version() -> str:
    """The clustermine version a worker has installed (compared with ours on connect)."""
    import clustermine

    return clustermine.__version__


class DaskPool(Generic[T]):
    """Run ``func`` over tasks on the Dask cluster at ``scheduler`` (``tcp://host:8786``).

    ``run`` yields ``(task, result)`` pairs in completion order, where ``result`` is ``func``'s return value or
    a :class:`~clustermine.corpus.workers.TaskFailure`, exactly like
    :meth:`KillablePool.run <clustermine.corpus.workers.KillablePool.run>`.
    """

    def __init__(self, func: Callable[[Any], T], *, scheduler: str, timeout: float = 120.0,
                 connect_timeout: float | None = None) -> None:
        self.func = func
        self.scheduler = scheduler
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.client_: Any = None
        self.threads_ = 0

    @property
    def jobs(self) -> int:
        """Files in work at once: the cluster's worker threads (as ``KillablePool.jobs``; 0 before connecting)."""
        return self.threads_

    def connect(self) -> DaskPool[T]:
        """Open the connection and check the cluster, so that a wrong address fails before any work starts."""
        if self.client_ is not None:
            return self
        distributed = import_distributed()
        wait = CONNECT_TIMEOUT if self.connect_timeout is None else self.connect_timeout
        try:
            client = distributed.Client(self.scheduler, timeout=wait, set_as_default=False)
        except (OSError, TimeoutError, ValueError, TypeError) as exc:
            raise DistributedError(
                f"cannot reach the Dask scheduler at {self.scheduler} ({_one_line(exc)})",
                hint="check the address (tcp://HOST:8786) and that 'dask scheduler' runs there and is reachable",
            ) from None
        try:
            self.threads_ = _check_cluster(client, self.scheduler, wait)
        except BaseException:
            client.close()
            raise
        self.client_ = client
        return self

    def close(self) -> None:
        if self.client_ is not None:
            self.client_.close()
            self.client_ = None

    def run(self, tasks: Iterable[Any]) -> Iterator[tuple[Any, T | TaskFailure]]:
        self.connect()
        client = self.client_
        distributed = import_distributed()
        timeout_errors = (TimeoutError, getattr(distributed, "TimeoutError", TimeoutError))
        pending = iter(tasks)
        running: dict[Any, tuple[Any, float]] = {}
        keys = itertools.count()
        run_id = f"clustermine-{os.getpid()}-{time.time_ns()}"

        counted = time.monotonic()

        def fill() -> None:
            """Hand out files until every worker thread has one (the timeout clock starts here)."""
            nonlocal counted
            if time.monotonic() - counted > _RECOUNT_SECONDS:  # workers come and go (adaptive clusters)
                self.threads_, counted = _threads(client), time.monotonic()
            for task in itertools.islice(pending, max(0, self.threads_ - len(running))):
                future = client.submit(run_on_worker, self.func, task, key=f"{run_id}-{next(keys)}", pure=False)
                running[future] = (task, time.monotonic() + self.timeout)

        try:
            fill()
            while running:
                wait = max(0.0, min(deadline for _, deadline in running.values()) - time.monotonic())
                try:
                    with client.as_current():  # our client is not the process's default one
                        done = distributed.wait(list(running), timeout=wait, return_when="FIRST_COMPLETED").done
                except timeout_errors:
                    done = set()
                finished = [(running.pop(future)[0], _outcome(future)) for future in done]
                finished += self._expired(running)
                fill()  # before handing results to the writer, so the workers go on meanwhile
                yield from finished
        finally:
            for future in running:
                future.cancel()
            self.close()

    def _expired(self, running: dict[Any, tuple[Any, float]]) -> list[tuple[Any, TaskFailure]]:
        now = time.monotonic()
        out: list[tuple[Any, TaskFailure]] = []
        for future, (task, deadline) in list(running.items()):
            if now >= deadline:
                del running[future]
                future.cancel()
                out.append((task, TaskFailure(
                    ExtractionTimeoutError.__name__,
                    f"reading took longer than {self.timeout:g} s and was stopped",
                    "the file may be damaged or huge; raise the limit with --timeout SECONDS",
                )))
        return out


def _check_cluster(client: Any, scheduler: str, timeout: float) -> int:
    """Number of worker threads; raises when there are no workers or they run another clustermine."""
    import clustermine

    try:
        client.wait_for_workers(1, timeout=timeout)
    except (TimeoutError, OSError) as exc:
        raise DistributedError(
            f"no Dask workers are connected to the scheduler at {scheduler} ({_one_line(exc)})",
            hint="start workers with 'dask worker " + scheduler + "' on the machines of the cluster",
        ) from None
    try:
        versions = client.run(worker_version)
    except Exception as exc:  # noqa: BLE001 - e.g. clustermine missing on a worker: unpickling fails there
        raise DistributedError(
            f"the Dask workers cannot run clustermine ({_one_line(exc)})",
            hint=f"install clustermine {clustermine.__version__} on every worker: {INSTALL_HINT}",
        ) from None
    other = sorted({v for v in versions.values() if v != clustermine.__version__})
    if other:
        raise DistributedError(
            f"the Dask workers run clustermine {', '.join(other)}, this machine {clustermine.__version__}",
            hint="install the same clustermine version on the workers, so that every document is read alike",
        )
    return _threads(client)


def _threads(client: Any) -> int:
    """Worker threads in the cluster now (at least 1, so that work waits for workers to come back)."""
    workers = client.scheduler_info().get("workers", {})
    return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))


def _outcome(future: Any) -> Any:
    """A finished future as the pool's result: the function's value or a TaskFailure."""
    try:
        status, payload = future.result()
    except Exception as exc:  # noqa: BLE001 - a worker crash or a lost connection ends this file only
        if type(exc).__name__ == "KilledWorker":
            return TaskFailure(
                "WorkerDied",
                "the Dask worker crashed (or ran out of memory) on this file, also when it was tried again",
                "the file is probably damaged or huge; if it opens elsewhere, please report it",
            )
        return TaskFailure(type(exc).__name__, f"the Dask cluster could not read it: {_one_line(exc)}",
                           "run the same command again; if the failure stays, add this file without --scheduler")
    return payload


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
