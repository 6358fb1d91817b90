"""A small process pool whose tasks can be killed.

Why not ``concurrent.futures``: a pathological PDF can make pdfminer spin for minutes or eat gigabytes, and a
``ProcessPoolExecutor`` can neither time out one task nor recover from a worker that died. Here every worker is a
process with its own pipe; a task that exceeds its time limit gets its worker killed and replaced, a worker that
crashes is replaced, and the batch goes on. Each worker also runs under an address-space limit so one file
cannot take the machine down, and a worker whose memory has grown past ``recycle_mb`` is replaced by a fresh
one between two tasks: caches that grow with the vocabulary it has seen (spaCy's string store and lexemes, for
one) would otherwise grow with the corpus.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

from clustermine.errors import ExtractionTimeoutError, UnreadableError

T = TypeVar("T")

#: Resident megabytes after which a worker is replaced between tasks. A reader of ``add`` starts at ~270 MB
#: once its models are loaded and grew by ~70 MB per 1,000 documents of generated German text (fewer as its
#: vocabulary saturates, but with no bound: 620 MB after 10,000); a fresh one costs ~3 s to warm up, every few
#: thousand documents of a large corpus and never on a small one.
RECYCLE_MB = 512


@dataclass(frozen=True)
class TaskFailure:
    """A task that did not produce a result: the exception type name, message and hint."""

    kind: str
    message: str
    hint: str | None = None


def _limit_memory(megabytes: int | None) -> None:
    if not megabytes:
        return
    try:
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this platform, or a lower hard limit is in force
        pass


def call_task(func: Callable[[Any], Any], task: Any) -> tuple[str, Any]:
    """``("ok", func(task))``, or ``("err", TaskFailure)`` for whatever reading the file raised.

    Shared by the local workers and the Dask workers (:mod:`clustermine.corpus.distributed`), so that a file
    fails with the same line wherever it was read.
    """
    try:
        return ("ok", func(task))
    except MemoryError:
        return ("err", TaskFailure("MemoryError", "needs more memory than the per-file limit allows",
                                   "raise --memory-limit, or split the file"))
    except UnreadableError as exc:
        return ("err", TaskFailure(type(exc).__name__, exc.message, exc.hint))
    except Exception as exc:  # noqa: BLE001 - one bad file must never end the batch
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return ("err", TaskFailure(type(exc).__name__, f"unexpected error while reading: {detail}",
                                   "please report this file to the clustermine developers"))


def _die_with_parent() -> None:
    """Have the kernel end this worker when the process running the pool dies (kill -9, the OOM killer).

    Linux only. Without it an orphaned worker reads on with no one to enforce its time limit, and keeps the
    corpus's writer lock, which it inherited at fork, so the next run finds the corpus "busy".
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    parent = mp.parent_process()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if parent is not None and os.getppid() != parent.pid:  # the parent died before prctl took effect
        os._exit(1)


def _worker_main(conn: Connection, func: Callable[[Any], Any], memory_mb: int | None) -> None:
    _die_with_parent()
    _limit_memory(memory_mb)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        result = call_task(func, task)
        try:
            conn.send(result)
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
            conn.send(("err", TaskFailure(type(exc).__name__, f"could not return the result: {exc}")))


class _Worker:
    def __init__(self, ctx: Any, func: Callable[[Any], Any], memory_mb: int | None) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, func, memory_mb), daemon=True)
        self.process.start()
        child.close()
        self.task: Any = None
        self.deadline = 0.0

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def resident_mb(self) -> float:
        """Resident memory in MB (Linux; 0 where it cannot be read, so nothing is recycled there)."""
        try:
            with open(f"/proc/{self.process.pid}/statm", "rb") as handle:
                return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        except (OSError, ValueError, IndexError, AttributeError):
            return 0.0


class KillablePool(Generic[T]):
    """Run ``func`` over tasks in ``jobs`` processes, each call limited to ``timeout`` seconds.

    ``run`` yields ``(task, result)`` pairs in completion order, where ``result`` is either the function's
    return value or a :class:`TaskFailure`. A worker using more than ``recycle_mb`` megabytes after a task is
    replaced before its next one (None: never).
    """

    def __init__(
        self,
        func: Callable[[Any], T],
        *,
        jobs: int | None = None,
        timeout: float = 120.0,
        memory_mb: int | None = 2048,
        recycle_mb: float | None = RECYCLE_MB,
    ) -> None:
        self.func = func
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.recycle_mb = recycle_mb
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        self._ctx = mp.get_context(method)

    def run(self, tasks: Iterable[Any]) -> Iterator[tuple[Any, T | TaskFailure]]:
        """Yield ``(task, result)`` as results come in (not in task order).

        A worker gets its next task *before* the caller sees the result it just delivered: the caller (the
        writer storing a document) then works while every worker is busy, instead of leaving one idle.
        """
        pending = iter(tasks)
        workers: list[_Worker] = []
        exhausted = False

        def refill() -> None:
            nonlocal exhausted
            idle = [w for w in workers if w.task is None]
            while not exhausted and (idle or len(workers) < self.jobs):
                try:
                    task = next(pending)
                except StopIteration:
                    exhausted = True
                    break
                worker = idle.pop() if idle else self._spawn(workers)
                self._assign(worker, task)

        try:
            while True:
                refill()
                busy = [w for w in workers if w.task is not None]
                if not busy:
                    return
                timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
                ready = wait([w.conn for w in busy], timeout=timeout)
                finished: list[tuple[Any, T | TaskFailure]] = []
                for worker in busy:
                    if worker.conn in ready:
                        task, result = worker.task, self._receive(worker)
                        worker.task = None
                        if isinstance(result, TaskFailure) and result.kind == "WorkerDied":
                            workers.remove(worker)
                            worker.kill()
                        elif self.recycle_mb is not None and worker.resident_mb() > self.recycle_mb:
                            workers.remove(worker)  # outgrown: its next task goes to a fresh worker
                            with contextlib.suppress(OSError):
                                worker.conn.send(None)
                            worker.kill()
                        finished.append((task, result))
                    elif time.monotonic() >= worker.deadline:
                        task = worker.task
                        workers.remove(worker)
                        worker.kill()
                        finished.append((task, TaskFailure(
                            ExtractionTimeoutError.__name__,
                            f"reading took longer than {self.timeout:g} s and was stopped",
                            "the file may be damaged or huge; raise the limit with --timeout SECONDS",
                        )))
                refill()
                yield from finished
        finally:
            for worker in workers:
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
                worker.kill()

    def _spawn(self, workers: list[_Worker]) -> _Worker:
        worker = _Worker(self._ctx, self.func, self.memory_mb)
        workers.append(worker)
        return worker

    def _assign(self, worker: _Worker, task: Any) -> None:
        worker.task = task
        worker.deadline = time.monotonic() + self.timeout
        worker.conn.send(task)

    @staticmethod
    def _receive(worker: _Worker) -> Any:
        try:
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(2)
            code = worker.process.exitcode
            return TaskFailure(
                "WorkerDied",
                f"the reader process crashed (exit code {code}) on this file",
                "the file is probably damaged; if it opens elsewhere, please report it",
            )
        return payload
