"""Collections in the store: keep, load, list, replace, delete, and verify against a changed corpus."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from clustermine.corpus.collections import (
    CollectionError,
    CollectionExistsError,
    UnknownCollectionError,
    check_name,
    delete_collection,
    list_collections,
    load_collection,
    save_collection,
    verify_collection,
)
from clustermine.corpus.store import CorpusStore
from clustermine.errors import NotFoundError
from tests.corpus.test_export_record import make_document

SETTINGS = {"selection": "query", "collapse": True, "limit": None, "analysis": "german", "analysis_version": "1",
            "index_format": 1, "entities": "rules-1:abc:no-persons"}


@pytest.fixture
def store(tmp_path: Path) -> CorpusStore:
    with CorpusStore(tmp_path) as store:
        with store.transaction():
            for n in range(1, 5):
                store.put_document(make_document(f"dddd00000000000{n}", title=f"Vorlage {n}"), fingerprint="t")
        yield store


def keep(store: CorpusStore, name: str = "Clusterförderung NRW", ids: list[str] | None = None, **options: object):
    ids = ids if ids is not None else ["dddd000000000002", "dddd000000000001"]
    values = {"query": "Clusterförderung", "filters": {"regions": ["Kreis Mettmann"]}, "version": "0.1.0",
              "settings": SETTINGS, "note": "Kapitel 3"} | options
    return save_collection(store, name, ids, **values)


def test_keep_and_load_a_collection_with_its_snapshot(store: CorpusStore) -> None:
    kept = keep(store)
    loaded = load_collection(store, "Clusterförderung NRW")
    assert loaded == kept
    assert loaded.ids == ["dddd000000000002", "dddd000000000001"]  # the order of the selection
    assert loaded.items[0].title == "Vorlage 2" and loaded.items[0].content_hash.startswith("dddd000000000002")
    assert loaded.query == "Clusterförderung" and loaded.filters == {"regions": ["Kreis Mettmann"]}
    assert loaded.settings == SETTINGS and loaded.version == "0.1.0" and loaded.note == "Kapitel 3"
    assert not loaded.hand_picked and loaded.created == loaded.updated
    data = loaded.to_dict()
    assert data["documents"] == 2 and data["items"][0]["id"] == "dddd000000000002"


def test_an_existing_name_needs_replace_which_keeps_the_creation_date(store: CorpusStore) -> None:
    first = keep(store)
    with pytest.raises(CollectionExistsError, match="exists already") as info:
        keep(store, ids=["dddd000000000003"])
    assert "--replace" in info.value.hint
    assert load_collection(store, first.name).ids == first.ids  # unchanged by the refused attempt
    second = keep(store, ids=["dddd000000000003"], replace=True)
    assert second.ids == ["dddd000000000003"] and second.created == first.created


def test_list_and_delete(store: CorpusStore) -> None:
    keep(store, "a")
    keep(store, "b", ids=["dddd000000000004"], query=None, filters={}, settings={"selection": "ids"})
    listed = {row["name"]: row for row in list_collections(store)}
    assert listed["a"]["documents"] == 2 and listed["b"]["documents"] == 1 and listed["b"]["query"] is None
    gone = delete_collection(store, "a")
    assert gone.name == "a" and [row["name"] for row in list_collections(store)] == ["b"]
    assert store.count() == 4  # the documents stay
    with pytest.raises(UnknownCollectionError, match="there are: b"):
        load_collection(store, "a")


def test_unknown_names_ids_and_bad_names(store: CorpusStore) -> None:
    with pytest.raises(UnknownCollectionError, match="no collection named 'x'") as info:
        load_collection(store, "x")
    assert "collect NAME QUERY" in info.value.hint
    with pytest.raises(NotFoundError, match="zzzz"):
        keep(store, ids=["zzzz"])
    with pytest.raises(CollectionError, match="empty"):
        keep(store, ids=[])
    for bad in ("", "   ", "a\nb", "x" * 101):
        with pytest.raises(CollectionError):
            check_name(bad)
    assert check_name("  Clusterförderung NRW ") == "Clusterförderung NRW"


def test_verify_reports_changed_removed_added_dropped_and_settings(store: CorpusStore) -> None:
    kept = keep(store, ids=["dddd000000000001", "dddd000000000002", "dddd000000000003"])
    assert verify_collection(store, kept, current_ids=kept.ids, settings=SETTINGS).up_to_date
    with store.transaction():
        store.put_document(make_document("dddd000000000001", title="Vorlage 1 (Neufassung)"), fingerprint="t")
        store.put_document(replace(make_document("dddd000000000002", title="Vorlage 2"),
                                   content_hash="f" * 64), fingerprint="t")
        store.remove("dddd000000000003")
        store.put_document(make_document("dddd000000000009", title="Vorlage 3"), fingerprint="t")
    today = ["dddd000000000009", "dddd000000000004", "dddd000000000001"]
    result = verify_collection(store, kept, current_ids=today,
                               settings={"clustermine": "0.2.0", **SETTINGS, "analysis_version": "2"})
    assert not result.up_to_date and result.unchanged == 0 and result.documents == 3
    assert {d["id"]: d["changed"] for d in result.changed} == {"dddd000000000001": ["title"],
                                                               "dddd000000000002": ["content"]}
    assert result.changed[0]["was_title"] == "Vorlage 1"
    assert result.removed == [{"id": "dddd000000000003", "title": "Vorlage 3", "replaced_by": "dddd000000000009"}]
    assert [d["id"] for d in result.added] == ["dddd000000000009", "dddd000000000004"]
    assert result.added[0]["replaces"] == "dddd000000000003"
    assert [d["id"] for d in result.dropped] == ["dddd000000000002"]
    assert result.settings == {"clustermine": ["0.1.0", "0.2.0"], "analysis_version": ["1", "2"]}
    assert result.to_dict()["up_to_date"] is False


def test_verify_without_a_query_run_leaves_added_and_dropped_unknown(store: CorpusStore) -> None:
    kept = keep(store, query=None, filters={}, settings={"selection": "ids"})
    result = verify_collection(store, kept)
    assert kept.hand_picked and result.added is None and result.dropped is None and result.up_to_date
