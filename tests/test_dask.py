"""``add --scheduler``: the same corpus whether the files are read by local processes or on a Dask cluster.

The cluster is a real one, made by the test on 127.0.0.1: a scheduler and two worker processes (LocalCluster),
talking TCP to this process as remote workers would. Building and comparing the corpus takes about half a minute.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from clustermine.cli import cli
from clustermine.corpus.workers import TaskFailure
from tests.conftest import REPO

distributed = pytest.importorskip("distributed")

DEMO = REPO / "demo" / "corpus"
#: Every format, two-column pages, and three pairs of near-duplicates (c13/c14, c27/c28, p15/p16).
SUBSET = ["c01", "c02", "c03", "c06", "c07", "c08", "c13", "c14", "c27", "c28", "p15", "p16", "p19"]
QUERIES = ["Clusterförderung", "Wasserstoff", "Kompetenzfeld Logistik", "Foerderung des Kreises", "EFRE"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The subset, a second copy of one file (stored once, linked twice) and a damaged PDF."""
    target = tmp_path_factory.mktemp("dask-input")
    for source in sorted(DEMO.iterdir()):
        if source.name[:3] in SUBSET:
            shutil.copy2(source, target / source.name)
    shutil.copy2(DEMO / "c01-dortmund-technologiezentrum-mikrosystemtechnik.pdf", target / "kopie-c01.pdf")
    data = (DEMO / "c05-region-stuttgart-kompetenzzentren-1999.pdf").read_bytes()
    (target / "abgebrochen.pdf").write_bytes(data[: len(data) // 3])
    return target


def _cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def local(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """Built first, before the cluster's threads exist (the local pool forks)."""
    home = tmp_path_factory.mktemp("local") / "home"
    return home, _cli(home, "add", str(folder), "--jobs", "2", "--json")


@pytest.fixture(scope="module")
def cluster(local: tuple[Path, Result]) -> Iterator[Any]:
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as made:
        yield made


@pytest.fixture(scope="module")
def remote(folder: Path, cluster: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result, float]:
    home = tmp_path_factory.mktemp("dask") / "home"
    started = time.perf_counter()
    result = _cli(home, "add", str(folder), "--scheduler", cluster.scheduler_address, "--json")
    return home, result, time.perf_counter() - started


def _documents(home: Path) -> dict[str, dict[str, Any]]:
    from clustermine.corpus import open_store

    with open_store(home, create=False) as store:
        out = {}
        for row in store.list_rows():
            data = store.get(row.id).to_dict(text=True)
            data.pop("ingested_at", None)
            out[row.id] = data
        return out


def _files(result: Result) -> dict[str, dict[str, Any]]:
    return {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}


def test_dask_build_equals_the_local_build(local: tuple[Path, Result], remote: tuple[Path, Result, float]) -> None:
    (local_home, local_result), (dask_home, dask_result, seconds) = local, remote
    assert local_result.exit_code == dask_result.exit_code == 1  # the damaged PDF
    assert json.loads(dask_result.stdout)["counts"] == json.loads(local_result.stdout)["counts"]
    assert _files(dask_result) == _files(local_result)
    local_docs, dask_docs = _documents(local_home), _documents(dask_home)
    assert len(local_docs) == len(SUBSET)
    assert dask_docs.keys() == local_docs.keys()
    for doc_id, doc in local_docs.items():
        assert dask_docs[doc_id] == doc, doc["source"]  # text, pages, metadata, sections, entities, notes
    assert sum(len(doc["entities"]) for doc in dask_docs.values()) > 50
    print(f"dask build of {len(SUBSET) + 2} files: {seconds:.1f} s", file=sys.stderr)


def test_failed_file_has_the_same_line(local: tuple[Path, Result], remote: tuple[Path, Result, float]) -> None:
    lines = [[ln for ln in r.stderr.splitlines() if ln.startswith("FAILED")] for r in (local[1], remote[1])]
    assert lines[0] == lines[1]
    assert len(lines[0]) == 1 and "abgebrochen.pdf: the file is damaged or incomplete" in lines[0][0]


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_the_same(local: tuple[Path, Result], remote: tuple[Path, Result, float], query: str) -> None:
    hits = [json.loads(_cli(home, "search", query, "--json", "--limit", "20").stdout)["hits"]
            for home in (local[0], remote[0])]
    assert [(h["id"], h["score"], h["snippet"]) for h in hits[1]] == [(h["id"], h["score"], h["snippet"])
                                                                      for h in hits[0]]
    assert hits[0] or query == "EFRE"


def test_duplicates_and_entities_agree(local: tuple[Path, Result], remote: tuple[Path, Result, float]) -> None:
    for command in (["duplicates", "--json"], ["entities", "--json"]):
        assert json.loads(_cli(remote[0], *command).stdout) == json.loads(_cli(local[0], *command).stdout)


def test_second_run_is_incremental(folder: Path, cluster: Any, remote: tuple[Path, Result, float]) -> None:
    result = _cli(remote[0], "add", str(folder), "--scheduler", cluster.scheduler_address, "--json")
    counts = json.loads(result.stdout)["counts"]
    assert counts == {"added": 0, "updated": 0, "unchanged": len(SUBSET) + 1, "failed": 1}


# --------------------------------------------------------------------------------------------------------
# the pool itself: results, failures and time limits come back as from the local pool


def test_pool_maps_results_errors_and_timeouts(cluster: Any) -> None:
    from clustermine.corpus.distributed import DaskPool

    results = dict(DaskPool(abs, scheduler=cluster.scheduler_address, timeout=30).run([-3, 4]))
    assert results == {-3: 3, 4: 4}
    [(_, failure)] = DaskPool(int, scheduler=cluster.scheduler_address).run(["zwölf"])
    assert isinstance(failure, TaskFailure) and failure.kind == "ValueError"
    assert failure.message.startswith("unexpected error while reading: ValueError")
    started = time.perf_counter()
    [(_, late)] = DaskPool(time.sleep, scheduler=cluster.scheduler_address, timeout=1).run([5])
    assert isinstance(late, TaskFailure) and late.kind == "ExtractionTimeoutError"
    assert late.message == "reading took longer than 1 s and was stopped"
    assert time.perf_counter() - started < 4


def test_file_the_workers_cannot_see(cluster: Any) -> None:
    from clustermine.corpus.distributed import DaskPool
    from clustermine.corpus.ingest import ExtractTask, extract_document

    task = ExtractTask(path="/nirgendwo/vorlage.pdf", content_hash="0" * 64)
    [(_, failure)] = DaskPool(extract_document, scheduler=cluster.scheduler_address).run([task])
    assert failure.kind == "FileNotOnWorker"
    assert "cannot see this file" in failure.message and "same path" in (failure.hint or "")


def test_worker_crash_is_one_failed_file(cluster: Any) -> None:
    """A file that kills its worker (here: os._exit) fails alone; the nanny restarts the worker."""
    from clustermine.corpus.distributed import DaskPool

    [(_, failure)] = DaskPool(os._exit, scheduler=cluster.scheduler_address, timeout=60).run([3])
    assert isinstance(failure, TaskFailure) and failure.kind == "WorkerDied"
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=30)


# --------------------------------------------------------------------------------------------------------
# clear errors


def test_unreachable_scheduler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clustermine.corpus import distributed as ours

    monkeypatch.setattr(ours, "CONNECT_TIMEOUT", 1.0)
    result = _cli(tmp_path / "home", "add", str(DEMO / "c02-gelsenkirchen-niederschrift-wirtschaftsausschuss-1996.txt"),
                  "--scheduler", "tcp://127.0.0.1:9")
    assert result.exit_code == 1
    assert "Error: cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert "Hint: check the address" in result.stderr


def test_dask_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now raises ImportError
    result = _cli(tmp_path / "home", "add", str(DEMO / "c02-gelsenkirchen-niederschrift-wirtschaftsausschuss-1996.txt"),
                  "--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == 1
    assert "Error: --scheduler needs Dask distributed, which is not installed" in result.stderr
    assert "pip install 'clustermine[dask]'" in result.stderr


def test_other_clustermine_version_on_the_workers(cluster: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import clustermine
    from clustermine.corpus.distributed import DaskPool, DistributedError

    monkeypatch.setattr(clustermine, "__version__", "0.0.1")
    with pytest.raises(DistributedError, match=r"the Dask workers run clustermine .*, this machine 0\.0\.1"):
        DaskPool(abs, scheduler=cluster.scheduler_address).connect()
