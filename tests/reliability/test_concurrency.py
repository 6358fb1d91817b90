"""Two processes at once: searching while another process adds documents, and two writers on one corpus."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from clustermine.corpus.check import check_corpus, lock_state
from clustermine.corpus.store import CorpusStore
from tests.reliability.killing import REPO, cli, write_documents

pytestmark = pytest.mark.slow


def start(home: Path, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "clustermine", "--quiet", "--home", str(home), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)


def wait_for_writer(home: Path, process: subprocess.Popen[str], timeout: float = 120) -> bool:
    """Until ``process`` holds the corpus's writer lock (False if it finished first)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if lock_state(home).state == "held":
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path, Path]:
    home = tmp_path / "home"
    first = tmp_path / "erste"
    second = tmp_path / "zweite"
    write_documents(first, 4, seed=1, sentences=20)
    write_documents(second, 10, seed=2, sentences=80)
    for i, path in enumerate(sorted(second.iterdir())):  # other names, other texts than the first batch
        path.rename(second / f"weitere_{i:03d}.txt")
    done = cli(home, "add", first, "--jobs", "2")
    assert done.returncode == 0, done.stderr
    return home, first, second


def test_search_while_another_process_adds(corpus) -> None:
    from clustermine.index import search

    home, _, second = corpus
    writer = start(home, "add", second, "--jobs", "2")
    totals = []
    try:
        assert wait_for_writer(home, writer)
        cli_search = cli(home, "search", "Wirtschaftsförderung", "--json")  # the command, while add holds the lock
        assert cli_search.returncode == 0, cli_search.stderr
        while writer.poll() is None:
            with CorpusStore(home, create=False) as store:
                result = search(store, "Wirtschaftsförderung", limit=100, collapse=False)
                assert all(store.resolve_id(hit.id) == hit.id for hit in result.hits)
            totals.append(result.total)
    finally:
        out, err = writer.communicate(timeout=600)
    assert writer.returncode == 0, err
    with CorpusStore(home, create=False) as store:
        final = search(store, "Wirtschaftsförderung", limit=100, collapse=False).total
    # the index changes in one commit: a search sees the corpus before the add or after it, nothing between
    assert totals and set(totals) <= {4, final}, totals
    assert final == 14


def test_second_writer_is_told_the_corpus_is_busy_or_waits(corpus) -> None:
    home, _, second = corpus
    writer = start(home, "add", second, "--jobs", "2")
    try:
        assert wait_for_writer(home, writer)
        busy = cli(home, "add", second)
        assert busy.returncode == 1
        assert "is busy" in busy.stderr and "--wait" in busy.stderr
        assert len([line for line in busy.stderr.splitlines() if line.startswith("Error:")]) == 1
        checked = cli(home, "check")
        assert checked.returncode == 1 and "is busy" in checked.stderr
        waited = cli(home, "add", second, "--wait", "300", "--json")  # waits for the first, then has nothing to do
    finally:
        writer.communicate(timeout=600)
    assert writer.returncode == 0
    assert waited.returncode == 0, waited.stderr
    assert '"unchanged": 10' in waited.stdout
    with CorpusStore(home, create=False) as store:
        assert store.count() == 14
        assert check_corpus(store).findings == []
