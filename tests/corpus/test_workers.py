"""The killable pool: results come back, slow tasks are stopped, crashes and memory hogs are contained."""

from __future__ import annotations

import os
import time

from clustermine.corpus.workers import KillablePool, TaskFailure
from clustermine.errors import UnreadableError


def work(task: str) -> str:
    if task == "slow":
        time.sleep(30)
    if task == "crash":
        os._exit(3)
    if task == "bad":
        raise UnreadableError("broken file", "fix it")
    if task == "oops":
        raise KeyError("surprise")
    if task == "hog":
        blocks = []
        for _ in range(100):
            blocks.append(bytearray(50 * 1024 * 1024))
    return task.upper()


def run(tasks: list[str], **options) -> dict[str, object]:
    pool = KillablePool(work, jobs=2, **options)
    return dict(pool.run(tasks))


def test_results_come_back_for_every_task() -> None:
    tasks = [f"t{i}" for i in range(20)]
    assert run(tasks) == {t: t.upper() for t in tasks}


def test_slow_task_is_stopped_and_the_rest_goes_on() -> None:
    started = time.monotonic()
    results = run(["a", "slow", "b", "c"], timeout=1.5)
    assert time.monotonic() - started < 10
    assert results["a"] == "A" and results["c"] == "C"
    failure = results["slow"]
    assert isinstance(failure, TaskFailure) and "longer than 1.5 s" in failure.message
    assert failure.hint and "--timeout" in failure.hint


def test_crashing_worker_is_replaced() -> None:
    results = run(["crash", "x", "crash", "y"])
    assert results["x"] == "X" and results["y"] == "Y"
    assert isinstance(results["crash"], TaskFailure) and "crashed" in results["crash"].message


def test_errors_become_failures_with_hints() -> None:
    results = run(["bad", "oops", "ok"])
    assert results["ok"] == "OK"
    assert results["bad"] == TaskFailure("UnreadableError", "broken file", "fix it")
    assert isinstance(results["oops"], TaskFailure) and "KeyError" in results["oops"].message


def test_memory_limit_contains_a_hog() -> None:
    results = run(["hog", "fine"], memory_mb=600)
    assert results["fine"] == "FINE"
    assert isinstance(results["hog"], TaskFailure)


def stamp(task: str) -> float:
    """Sleep a little and return when the task started (a wall-clock time, comparable across processes)."""
    started = time.time()
    time.sleep(0.3)
    return started


def test_workers_get_the_next_task_before_the_caller_handles_a_result() -> None:
    # While the caller stores a result (here: sleeps), the worker that delivered it already reads the next file.
    pool = KillablePool(stamp, jobs=1)
    handled_at = []
    starts = []
    for _, started in pool.run(["a", "b", "c"]):
        starts.append(started)
        time.sleep(0.5)
        handled_at.append(time.time())
    assert starts[1] < handled_at[0] - 0.3  # "b" began while "a"'s result was still being handled
    assert starts[2] < handled_at[1] - 0.3


def process_id(task: str) -> int:
    return os.getpid()


def test_a_worker_past_its_memory_budget_is_replaced_between_tasks() -> None:
    tasks = ["a", "b", "c", "d"]
    recycled = dict(KillablePool(process_id, jobs=1, recycle_mb=1).run(tasks))  # every worker is past 1 MB
    assert sorted(recycled) == tasks and len(set(recycled.values())) == len(tasks)
    kept = dict(KillablePool(process_id, jobs=1, recycle_mb=None).run(tasks))
    assert len(set(kept.values())) == 1
