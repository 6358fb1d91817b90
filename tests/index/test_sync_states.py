"""The sync mark beside each index generation: an incremental sync reads only what changed, and never trusts a
mark alone.

The store numbers every write of a document (its change journal, kept by triggers). Each index commit leaves a
mark: the journal position the index holds the store as of. The next sync compares only the documents the
journal names since then, so adding one document to a corpus of 100,000 costs as much as to one of 100. A mark
that does not belong to the index's latest commit, comes from another corpus database or leaves the document
counts disagreeing makes the sync compare every document instead.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from clustermine.corpus import add_paths
from clustermine.corpus.store import CorpusStore
from clustermine.index import search, sync_index
from clustermine.index import writer as index_writer
from clustermine.index.storage import IndexLocation
from clustermine.index.writer import MARK, STATES
from tests.index.conftest import doc_ids, whoosh_only


def mark_file(store: CorpusStore) -> Path:
    return IndexLocation(store.home).require() / MARK


def forbid_full_comparison(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("the sync compared every document")

    monkeypatch.setattr(index_writer, "document_states", refuse)
    monkeypatch.setattr(index_writer, "_stored_states", refuse)


def count_full_comparisons(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original = index_writer._compare_all

    def counted(*args: Any) -> Any:
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(index_writer, "_compare_all", counted)
    return calls


def spy_changes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids the journal hands the sync."""
    read: list[str] = []
    original = index_writer.changed_states

    def spied(*args: Any) -> Any:
        for doc_id, state in original(*args):
            read.append(doc_id)
            yield doc_id, state

    monkeypatch.setattr(index_writer, "changed_states", spied)
    return read


def hit_ids(store: CorpusStore, query: str) -> set[str]:
    return {h.id for h in search(store, query, limit=100, collapse=False).hits}


def test_an_incremental_sync_reads_only_the_changed_documents(
    fresh: CorpusStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_index(fresh)
    assert json.loads(mark_file(fresh).read_text(encoding="utf-8"))["documents"] == 6
    forbid_full_comparison(monkeypatch)
    read = spy_changes(monkeypatch)
    ids = doc_ids(fresh)
    velbert, dortmund = ids["velbert-bericht.txt"], ids["dortmund-projekt.txt"]
    with fresh.transaction():
        fresh.remove(velbert)
        fresh.set_overrides(dortmund, doctype="minutes")
    report = sync_index(fresh)
    assert (report.added, report.updated, report.removed) == (0, 1, 1)
    assert sorted(read) == sorted([velbert, dortmund])
    assert velbert not in hit_ids(fresh, "Velbert") and dortmund in hit_ids(fresh, "type:minutes")

    read.clear()  # a write by plain SQL is in the journal too (triggers, not the store's methods, keep it)
    fresh.conn.execute("UPDATE documents SET title = 'Radschnellweg Ruhr' WHERE id = ?", (dortmund,))
    assert sync_index(fresh).updated == 1 and read == [dortmund]
    assert dortmund in hit_ids(fresh, "title:Radschnellweg")

    read.clear()
    new = tmp_path / "neu.txt"
    new.write_text("Das Kompetenzfeld Wasserstoff wird im Kreis Mettmann gefördert. " * 5, encoding="utf-8")
    add_paths(fresh, [str(new)], jobs=1)
    report = sync_index(fresh)
    assert (report.added, report.updated, report.removed) == (1, 0, 0) and len(read) == 1
    assert read[0] in hit_ids(fresh, "Wasserstoff")

    read.clear()
    assert sync_index(fresh) == index_writer.SyncReport(0, 0, 0) and read == []


def test_a_write_that_changes_no_state_reindexes_nothing(fresh: CorpusStore, monkeypatch: pytest.MonkeyPatch) -> None:
    sync_index(fresh)
    forbid_full_comparison(monkeypatch)
    read = spy_changes(monkeypatch)
    doc_id = doc_ids(fresh)["velbert-bericht.txt"]
    fresh.conn.execute("UPDATE documents SET notes_json = notes_json WHERE id = ?", (doc_id,))
    assert sync_index(fresh) == index_writer.SyncReport(0, 0, 0) and read == [doc_id]
    read.clear()
    assert sync_index(fresh) == index_writer.SyncReport(0, 0, 0) and read == []  # the mark moved on


def test_a_mark_of_an_older_commit_is_not_trusted(fresh: CorpusStore, monkeypatch: pytest.MonkeyPatch) -> None:
    sync_index(fresh)
    path = mark_file(fresh)
    stale = path.read_text(encoding="utf-8")
    removed = doc_ids(fresh)["velbert-bericht.txt"]
    with fresh.transaction():
        fresh.remove(removed)
    sync_index(fresh)
    path.write_text(stale, encoding="utf-8")  # as if the process died between commit and mark
    full = count_full_comparisons(monkeypatch)
    assert sync_index(fresh).removed == 0 and full == [1]  # read from the index itself: velbert is already gone
    assert json.loads(path.read_text(encoding="utf-8"))["documents"] == 5
    assert sync_index(fresh) == index_writer.SyncReport(0, 0, 0) and full == [1]


def test_a_damaged_or_missing_mark_means_a_full_comparison(fresh: CorpusStore, monkeypatch: pytest.MonkeyPatch) -> None:
    sync_index(fresh)
    full = count_full_comparisons(monkeypatch)
    mark_file(fresh).write_text("{not json", encoding="utf-8")
    assert sync_index(fresh) == index_writer.SyncReport(0, 0, 0) and full == [1]
    mark_file(fresh).unlink()
    assert sync_index(fresh) == index_writer.SyncReport(0, 0, 0) and full == [1, 1]
    assert sync_index(fresh, full=True) == index_writer.SyncReport(0, 0, 0) and full == [1, 1, 1]
    assert sync_index(fresh) == index_writer.SyncReport(0, 0, 0) and full == [1, 1, 1]


def test_the_journal_of_another_corpus_database_is_not_trusted(
    fresh: CorpusStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_index(fresh)
    full = count_full_comparisons(monkeypatch)
    fresh.conn.execute("UPDATE settings SET value = '\"0123456789abcdef\"' WHERE key = 'journal'")
    assert sync_index(fresh) == index_writer.SyncReport(0, 0, 0) and full == [1]


def test_a_database_restored_from_a_backup_is_compared_in_full(fresh: CorpusStore, tmp_path: Path) -> None:
    sync_index(fresh)
    backup = sqlite3.connect(tmp_path / "backup.sqlite")
    fresh.conn.backup(backup)
    ids = doc_ids(fresh)
    velbert = ids["velbert-bericht.txt"]
    with fresh.transaction():
        fresh.remove(velbert)
    assert sync_index(fresh).removed == 1
    backup.backup(fresh.conn)  # the old database is back: velbert is stored again, the journal is behind the mark
    assert sync_index(fresh).added == 1 and velbert in hit_ids(fresh, "Velbert")

    with fresh.transaction():
        fresh.remove(velbert)
    assert sync_index(fresh).removed == 1
    backup.backup(fresh.conn)
    with fresh.transaction():  # the journal moves past the mark, but names only this document
        for name in ("dortmund-projekt.txt", "mettmann-vorlage.txt", "essen-webseite.txt"):
            if name in ids:
                fresh.set_overrides(ids[name], doctype="minutes")
    mark = json.loads(mark_file(fresh).read_text(encoding="utf-8"))
    assert fresh.conn.execute("SELECT MAX(seq) FROM doc_changes").fetchone()[0] > mark["seq"]
    report = sync_index(fresh)  # the document counts disagree: everything is compared
    assert report.added == 1 and velbert in hit_ids(fresh, "Velbert")
    backup.close()


@whoosh_only
def test_an_earlier_versions_states_file_serves_the_first_comparison(
    fresh: CorpusStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_index(fresh)
    folder = IndexLocation(fresh.home).require()
    (folder / MARK).unlink()  # an index an earlier clustermine synced: a states file, no mark
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(folder), indexname="MAIN")
    states = index_writer._stored_states(ix)
    payload = {"generation": ix.latest_generation(),
               "states": {k: [s.content_hash, s.entities_fingerprint, s.metadata] for k, s in states.items()}}
    ix.close()
    (folder / STATES).write_text(json.dumps(payload), encoding="utf-8")
    monkeypatch.setattr(index_writer, "_stored_states", lambda *_: pytest.fail("read every stored document"))
    with fresh.transaction():
        fresh.remove(doc_ids(fresh)["velbert-bericht.txt"])
    assert sync_index(fresh).removed == 1
    assert not (folder / STATES).exists() and (folder / MARK).exists()
