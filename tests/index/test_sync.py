"""Keeping the index in step with the store, and never losing the last good index on the way."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from clustermine.corpus import add_paths
from clustermine.corpus.store import CorpusStore
from clustermine.index import SearchFilters, index_path, search, sync_index
from clustermine.index.storage import IndexLocation
from clustermine.model import Entity
from tests.conftest import REPO
from tests.index.conftest import doc_ids, whoosh_only


def indexed(store: CorpusStore) -> set[str]:
    """File names of the documents the index holds (whether or not the store still has them)."""
    from clustermine.index import select_ids

    by_id = {doc_id: name for name, doc_id in doc_ids(store).items()}
    return {by_id.get(doc_id, doc_id) for doc_id in select_ids(store)}


def names(store: CorpusStore, query: str, **options: object) -> set[str]:
    by_id = {doc_id: name for name, doc_id in doc_ids(store).items()}
    return {by_id.get(h.id, h.id) for h in search(store, query, limit=100, collapse=False, **options).hits}


def test_first_sync_builds_and_second_does_nothing(fresh: CorpusStore) -> None:
    started: list[int] = []
    done: list[str] = []
    report = sync_index(fresh, on_start=started.append, on_document=done.append)
    assert (report.added, report.updated, report.removed, report.rebuilt) == (6, 0, 0, True)
    assert started == [6] and sorted(done) == sorted(doc_ids(fresh).values())
    assert index_path(fresh.home) == fresh.home / "index" and index_path(fresh.home).is_dir()
    again = sync_index(fresh)
    assert (again.added, again.updated, again.removed, again.rebuilt) == (0, 0, 0, False)


def test_sync_after_removal(fresh: CorpusStore) -> None:
    sync_index(fresh)
    assert "velbert-bericht.txt" in names(fresh, "Velbert")
    with fresh.transaction():
        fresh.remove(doc_ids(fresh)["velbert-bericht.txt"])
    report = sync_index(fresh)
    assert (report.added, report.updated, report.removed) == (0, 0, 1)
    assert "velbert-bericht.txt" not in names(fresh, "Velbert")


def test_sync_after_a_file_changed_at_its_path(fresh: CorpusStore, tmp_path: Path) -> None:
    sync_index(fresh)
    path = tmp_path / "files" / "velbert-bericht.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nNeu: ein Gründerzentrum für Sicherheitstechnik.\n",
                    encoding="utf-8")
    add_paths(fresh, [str(path)], doctype="report", date="2015-06-01", jobs=1)
    report = sync_index(fresh)  # the changed file is a new document; the old one left the store
    assert (report.added, report.removed) == (1, 1)
    assert names(fresh, "Gründerzentrum") == {"velbert-bericht.txt"}


def test_sync_after_metadata_and_entities_changed(fresh: CorpusStore) -> None:
    sync_index(fresh)
    ids = doc_ids(fresh)
    assert names(fresh, "type:report") == {"velbert-bericht.txt"}
    with fresh.transaction():
        fresh.set_overrides(ids["velbert-bericht.txt"], doctype="conference_report", date="2016")
        fresh.put_entities(ids["dortmund-projekt.txt"], [Entity("REGION", "Velbert", "Velbert", 0, 7, "gm-05158032")],
                           "test-entities-2")
    report = sync_index(fresh)
    assert (report.added, report.updated, report.removed) == (0, 2, 0)
    assert names(fresh, "type:report") == set()
    assert names(fresh, "type:conference_report year:2016") == {"velbert-bericht.txt"}
    assert "dortmund-projekt.txt" in names(fresh, "", filters=SearchFilters(regions=("Mettmann",)))


def test_rebuild_replaces_the_generation(fresh: CorpusStore) -> None:
    sync_index(fresh)
    location = IndexLocation(fresh.home)
    before = location.current()
    report = sync_index(fresh, rebuild=True)
    assert report.rebuilt and report.added == 6
    after = location.current()
    assert after != before and after is not None and not before.exists()  # type: ignore[union-attr]
    assert location.generations() == [after]
    assert names(fresh, "Clusterförderung") >= {"mettmann-vorlage.txt", "velbert-bericht.txt"}


def test_a_change_of_analysis_rebuilds(fresh: CorpusStore) -> None:
    sync_index(fresh)
    assert "velbert-bericht.txt" in names(fresh, "Förderung")  # "Cluster-Förderung", German analysis
    report = sync_index(fresh, analysis="standard")
    assert report.rebuilt
    assert IndexLocation.meta(IndexLocation(fresh.home).require()).analysis == "standard"  # type: ignore[union-attr]
    assert "mettmann-vorlage.txt" not in names(fresh, "Förderung")  # no compound parts without it
    assert not sync_index(fresh).rebuilt  # a plain sync keeps the index's own analysis


def test_crash_in_the_middle_of_a_rebuild_leaves_the_old_index_searchable(fresh: CorpusStore) -> None:
    sync_index(fresh)
    expected = names(fresh, "Förderung")
    location = IndexLocation(fresh.home)
    current = location.current()
    script = textwrap.dedent(
        f"""
        import os
        from clustermine.corpus import open_store
        from clustermine.index import sync_index

        seen = []
        def crash(doc_id):
            seen.append(doc_id)
            if len(seen) == 3:
                os._exit(3)  # like a kill -9: no cleanup, no finally

        sync_index(open_store({str(fresh.home)!r}), rebuild=True, on_document=crash)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 3, done.stderr
    assert location.current() == current  # the pointer still names the old generation …
    assert len(location.generations()) == 2  # … and the half-built one is still lying there
    assert names(fresh, "Förderung") == expected
    assert sync_index(fresh) == type(sync_index(fresh))(0, 0, 0)  # the next sync has nothing to do …
    assert location.generations() == [current]  # … but clears the debris


def test_failure_before_the_swap_keeps_the_old_index(fresh: CorpusStore, monkeypatch: pytest.MonkeyPatch) -> None:
    sync_index(fresh)
    expected = names(fresh, "Netzwerk")
    location = IndexLocation(fresh.home)
    current = location.current()

    def fail(self: IndexLocation, folder: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(IndexLocation, "publish", fail)
    with pytest.raises(OSError, match="disk full"):
        sync_index(fresh, rebuild=True)
    assert location.current() == current and location.generations() == [current]
    assert names(fresh, "Netzwerk") == expected


@whoosh_only
def test_an_incremental_sync_is_one_atomic_commit(fresh: CorpusStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """whoosh writes segments first and the table of contents last (temp file + rename): a sync that dies
    before the rename leaves the previous state fully searchable."""
    from whoosh.index import TOC

    sync_index(fresh)
    ids = doc_ids(fresh)
    velbert = ids["velbert-bericht.txt"]
    with fresh.transaction():
        fresh.remove(velbert)
        fresh.set_overrides(ids["essen-webseite.txt"], doctype="report")

    def crash(self: TOC, storage: object, indexname: str) -> None:
        raise OSError("power cut")

    with monkeypatch.context() as patch:
        patch.setattr(TOC, "write", crash)
        with pytest.raises(OSError, match="power cut"):
            sync_index(fresh)
    assert velbert in indexed(fresh)  # neither the deletion …
    assert names(fresh, "type:web_page") == {"essen-webseite.txt"}  # … nor the update is half there
    report = sync_index(fresh)
    assert (report.updated, report.removed) == (1, 1)
    assert velbert not in indexed(fresh)
    assert names(fresh, "type:report") == {"essen-webseite.txt"}


def test_interrupted_incremental_sync_changes_nothing(fresh: CorpusStore) -> None:
    sync_index(fresh)
    velbert = doc_ids(fresh)["velbert-bericht.txt"]
    with fresh.transaction():
        fresh.remove(velbert)
        fresh.set_overrides(doc_ids(fresh)["essen-webseite.txt"], doctype="report")

    def interrupt(doc_id: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sync_index(fresh, on_document=interrupt)
    assert velbert in indexed(fresh)
    assert names(fresh, "type:web_page") == {"essen-webseite.txt"}
    assert sync_index(fresh).removed == 1


def test_an_index_of_another_analysis_version_is_refused_then_rebuilt(fresh: CorpusStore) -> None:
    from dataclasses import replace

    from clustermine.index.storage import META, IndexOutdatedError

    sync_index(fresh)
    folder = IndexLocation(fresh.home).require()
    old = replace(IndexLocation.meta(folder), analysis_version="0")  # type: ignore[type-var]
    (folder / META).write_text(old.to_json(), encoding="utf-8")
    with pytest.raises(IndexOutdatedError, match="built by another version") as caught:
        search(fresh, "Velbert")
    assert "clustermine rebuild" in (caught.value.hint or "")
    assert sync_index(fresh).rebuilt
    assert "velbert-bericht.txt" in names(fresh, "Velbert")


def test_parallel_rebuild_gives_the_same_results(fresh: CorpusStore) -> None:
    sync_index(fresh)
    expected = {q: names(fresh, q) for q in ("Förderung", "Clusterförderung", "region:Mettmann", "type:report")}
    assert sync_index(fresh, rebuild=True, procs=2).rebuilt
    assert {q: names(fresh, q) for q in expected} == expected
    assert sync_index(fresh).added == 0


def test_facade_names_stay_functions_after_their_modules_are_imported() -> None:
    import clustermine.index.engine  # noqa: F401 - importing the module must not shadow the facade function
    from clustermine import index

    assert callable(index.search) and index.search.__name__ == "search"
    assert callable(index.select_ids) and callable(index.similar)
