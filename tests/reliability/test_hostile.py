"""The whole hostile corpus through one real ``clustermine add``: every bad file gets one clear line, every good
one is added with its text intact, no reader crashes, the run stays within its time and memory limits, and the
corpus is consistent afterwards.

One subprocess for all files (as a user runs it), so the per-file worker limits are the real ones.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from clustermine.corpus.store import CorpusStore
from tests.reliability.hostile import Case, all_cases, write_corpus
from tests.reliability.killing import REPO

pytestmark = pytest.mark.slow

#: The limits the run gets: generous for a loaded 2-core machine, still bounded.
TIMEOUT = 90
MEMORY_MB = 1024
#: Signs that a reader failed in a way nobody foresaw (the safety net caught it): there must be none.
CRASH_SIGNS = ("unexpected error", "could not read", "crashed", "Traceback", "please report")


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "Archiv mit Ärger"
    cases = write_corpus(folder, all_cases())
    home = root / "home"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "clustermine", "--home", str(home), "add", str(folder), "--json", "--jobs", "2",
         "--timeout", str(TIMEOUT), "--memory-limit", str(MEMORY_MB)],
        capture_output=True, text=True, cwd=REPO, timeout=900, check=False,
    )
    seconds = time.monotonic() - started
    assert done.returncode == 1, done.stderr[-3000:]  # some files failed, the rest went in
    report = json.loads(done.stdout)
    return {"cases": cases, "report": report, "stderr": done.stderr, "seconds": seconds, "home": home,
            "folder": folder}


def outcomes(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["path"]: f for f in run["report"]["files"]}


def test_every_file_gets_exactly_one_outcome(hostile_run) -> None:
    files = hostile_run["report"]["files"]
    paths = [f["path"] for f in files]
    assert len(paths) == len(set(paths)), "a file was reported twice (symlink loop followed?)"
    missing = set(hostile_run["cases"]) - set(paths)
    assert not missing
    extra = set(paths) - set(hostile_run["cases"])
    assert {Path(p).name for p in extra} == {"selbst.txt"}  # the link to itself


@pytest.mark.parametrize("expect", ["added", "failed"])
def test_outcomes_are_the_expected_ones(hostile_run, expect: str) -> None:
    found = outcomes(hostile_run)
    wrong = []
    for path, case in hostile_run["cases"].items():
        if case.expect != expect:
            continue
        outcome = found[path]
        if outcome["status"] != expect:
            wrong.append(f"{case.shown}: {outcome['status']} ({outcome.get('reason')}), expected {expect}")
        elif expect == "failed" and not any(w.lower() in outcome["reason"].lower() for w in case.words):
            wrong.append(f"{case.shown}: reason {outcome['reason']!r} names none of {case.words}")
    assert wrong == []


def test_added_files_keep_their_text(hostile_run) -> None:
    found = outcomes(hostile_run)
    wrong = []
    with CorpusStore(hostile_run["home"], create=False) as store:
        for path, case in hostile_run["cases"].items():
            if case.expect == "added" and found[path]["status"] == "added":
                text = store.get(found[path]["doc_id"]).text
                wrong += [f"{case.shown}: {w!r} not in its text" for w in case.words if w not in text]
    assert wrong == []


def test_one_clear_line_per_failed_file_and_no_crash(hostile_run) -> None:
    failed = [f for f in hostile_run["report"]["files"] if f["status"] == "failed"]
    lines = [line for line in hostile_run["stderr"].splitlines() if line.startswith("FAILED ")]
    assert len(lines) == len(failed)  # a file name with a newline must not break its line in two
    assert all(" — " in line for line in lines)  # reason and what to do
    assert all(f.get("hint") for f in failed)
    crashes = [f"{f['path']}: {f['reason']}" for f in failed if any(s in f["reason"] for s in CRASH_SIGNS)]
    assert crashes == []
    assert "Traceback" not in hostile_run["stderr"]


def test_the_batch_stays_bounded(hostile_run) -> None:
    # every file has its own time limit; the whole batch must not add them up (2 workers, generous for CI)
    assert hostile_run["seconds"] < 6 * TIMEOUT
    slow = [f for f in hostile_run["report"]["files"] if "longer than" in f.get("reason", "")]
    assert slow == [], "a file ran into the time limit: a reader got stuck"


def test_corpus_is_consistent_afterwards(hostile_run) -> None:
    from clustermine.corpus.check import check_corpus

    with CorpusStore(hostile_run["home"], create=False) as store:
        report = check_corpus(store)
        assert store.count() == sum(1 for f in hostile_run["report"]["files"] if f["status"] == "added")
    assert [f.message for f in report.findings] == []


def test_counts(hostile_run) -> None:
    cases: dict[str, Case] = hostile_run["cases"]
    counts = hostile_run["report"]["counts"]
    assert counts["added"] == sum(1 for c in cases.values() if c.expect == "added") + sum(
        1 for p, c in cases.items() if c.expect == "either" and outcomes(hostile_run)[p]["status"] == "added")
    print(f"hostile corpus: {len(cases) + 1} files tried, {counts['failed']} failures handled, "
          f"{counts['added']} added, 0 crashes, {hostile_run['seconds']:.0f} s")
