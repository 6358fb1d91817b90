"""The states file beside each index generation: a shortcut for incremental syncs that never decides alone.

An incremental sync compares what the index holds with the store. Reading every indexed document's stored
fields costs seconds at 100,000 documents, so each commit leaves the indexed states in a file; a file that does
not belong to the index's latest commit (a crash between the two writes, a damaged file) is not trusted.
"""

from __future__ import annotations

import json
from pathlib import Path

from clustermine.corpus.store import CorpusStore
from clustermine.index import sync_index
from clustermine.index.storage import IndexLocation
from clustermine.index.writer import STATES
from tests.index.conftest import doc_ids


def states_file(store: CorpusStore) -> Path:
    return IndexLocation(store.home).require() / STATES


def test_every_commit_leaves_the_states_of_what_it_indexed(fresh: CorpusStore) -> None:
    sync_index(fresh)
    saved = json.loads(states_file(fresh).read_text(encoding="utf-8"))
    assert set(saved["states"]) == set(doc_ids(fresh).values())
    with fresh.transaction():
        fresh.remove(doc_ids(fresh)["velbert-bericht.txt"])
    sync_index(fresh)
    saved = json.loads(states_file(fresh).read_text(encoding="utf-8"))
    assert set(saved["states"]) == set(doc_ids(fresh).values())


def test_a_states_file_of_an_older_commit_is_not_trusted(fresh: CorpusStore) -> None:
    sync_index(fresh)
    path = states_file(fresh)
    stale = json.loads(path.read_text(encoding="utf-8"))
    removed = doc_ids(fresh)["velbert-bericht.txt"]
    with fresh.transaction():
        fresh.remove(removed)
    sync_index(fresh)
    path.write_text(json.dumps(stale), encoding="utf-8")  # as if the process died between commit and states
    assert sync_index(fresh).removed == 0  # read from the index itself: velbert is already gone
    assert removed not in json.loads(path.read_text(encoding="utf-8"))["states"]


def test_a_damaged_states_file_is_ignored(fresh: CorpusStore) -> None:
    sync_index(fresh)
    states_file(fresh).write_text("{not json", encoding="utf-8")
    report = sync_index(fresh)
    assert (report.added, report.updated, report.removed) == (0, 0, 0)
