"""Fixtures for the index tests: small German corpora built through the public corpus API, and the demo corpus.

Building a store and an index costs about a second (compound splitting of new words), so the read-only tests
share one module-scoped corpus; tests that change the store get their own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clustermine.corpus import add_paths, open_store
from clustermine.corpus.store import CorpusStore
from clustermine.model import Entity
from tests.conftest import REPO
from tests.index.corpus_texts import DOCUMENTS, ENTITIES

DEMO = REPO / "demo" / "corpus"


def _backend() -> str:
    from clustermine.index.storage import default_backend

    return default_backend()


#: Tests of whoosh's own files and internals; the suite runs once more with CLUSTERMINE_INDEX_BACKEND=tantivy.
whoosh_only = pytest.mark.skipif(_backend() != "whoosh", reason="tests whoosh internals")


def write_corpus(folder: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Write the test documents as text files; returns name → path."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in names or list(DOCUMENTS):
        path = folder / name
        path.write_text(DOCUMENTS[name][2], encoding="utf-8")
        paths[name] = path
    return paths


def build_store(root: Path, names: list[str] | None = None) -> CorpusStore:
    """A corpus of the test documents with their entities, the two Mettmann papers linked as near-duplicates."""
    paths = write_corpus(root / "files", names)
    store = open_store(root / "home")
    for name, path in paths.items():
        doctype, date, _ = DOCUMENTS[name]
        add_paths(store, [str(path)], doctype=doctype, date=date, jobs=1)
    ids = doc_ids(store)
    with store.transaction():
        for name in paths:
            entities = [
                Entity(kind=kind, text=text, canonical=canonical, start=0, end=len(text), id=entity_id)
                for kind, canonical, entity_id, text in ENTITIES.get(name, [])
            ]
            store.put_entities(ids[name], entities, "test-entities-1")
        first, second = "mettmann-vorlage.txt", "mettmann-vorlage-neufassung.txt"
        if first in ids and second in ids and not store.duplicates_of(ids[first]):
            store.link_duplicates(ids[first], ids[second], 0.93, "duplicate")
    return store


def doc_ids(store: CorpusStore) -> dict[str, str]:
    """File name → document id."""
    return {Path(row.source).name: row.id for row in store.list_rows()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> CorpusStore:
    """The test documents, indexed (read-only: do not change it in a test)."""
    from clustermine.index import sync_index

    store = build_store(tmp_path_factory.mktemp("corpus"))
    sync_index(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def ids(corpus: CorpusStore) -> dict[str, str]:
    return doc_ids(corpus)


@pytest.fixture
def fresh(tmp_path: Path) -> CorpusStore:
    """A corpus of the test documents of its own, not yet indexed (tests may change it)."""
    store = build_store(tmp_path)
    yield store
    store.close()


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> CorpusStore:
    """The bundled demo corpus (66 documents) with entities, indexed (about 10 s on a cold start)."""
    from clustermine.corpus import entity_settings
    from clustermine.index import sync_index

    store = open_store(tmp_path_factory.mktemp("demo") / "home")
    add_paths(store, [str(DEMO)], entities=entity_settings(store))
    sync_index(store)
    yield store
    store.close()
