"""The corpus's saved compound splits: shared by every process of a corpus, written only with what is new."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from clustermine.pipeline import compound_store
from clustermine.pipeline.compound_store import Relay, SplitStore, attach, borrowed, flush, merge
from clustermine.pipeline.compounds import CompoundSplitter, default_splitter


@pytest.fixture
def detached() -> Iterator[None]:
    """The process-wide splitter without a saved store before and after the test."""
    yield
    default_splitter().backing = None
    compound_store._store = compound_store._identity = None
    compound_store._pending.clear()


def test_take_new_returns_what_was_split_since_the_last_call() -> None:
    splitter = CompoundSplitter()
    splitter("Clusterförderung")  # before recording: not reported
    splitter.record_new()
    splitter("Wirtschaftsförderung")
    splitter("Wirtschaftsförderung")  # a hit: reported once
    assert splitter.take_new() == {"Wirtschaftsförderung": splitter("Wirtschaftsförderung")}
    assert splitter.take_new() == {}


def test_add_entries_spares_the_work_of_splitting() -> None:
    source = CompoundSplitter()
    source.record_new()
    source("Clusterförderung")
    target = CompoundSplitter()
    assert target.add_entries(source.take_new()) == 1
    assert target("Clusterförderung") == ("cluster", "förderung")
    assert target.cache_info().misses == 0


def test_a_backing_store_is_asked_before_splitting() -> None:
    splitter = CompoundSplitter()
    splitter.record_new()
    splitter.backing = {"Zzzprobewort": ("zzz", "probewort")}.get
    assert splitter("Zzzprobewort") == ("zzz", "probewort")
    assert splitter.take_new() == {}  # found, not split: nothing new to save


def test_store_round_trip_and_other_rules(tmp_path: Path) -> None:
    path = tmp_path / "index" / compound_store.STORE_NAME
    store = SplitStore(path, "rules-a", write=True)
    assert store.put({"Clusterförderung": ("cluster", "förderung"), "Kreis": ("kreis",), "": ()}) == 3
    reader = SplitStore(path, "rules-a", write=False)
    assert reader.get("Clusterförderung") == ("cluster", "förderung")
    assert reader.get("") == () and reader.get("Unbekannt") is None
    assert SplitStore(path, "rules-b", write=False).get("Kreis") is None  # made under other rules: not used
    assert SplitStore(path, "rules-b", write=True).count() == 0  # and emptied by the next writer


def test_a_reader_never_creates_the_store(tmp_path: Path, detached: None) -> None:
    path = tmp_path / "index" / compound_store.STORE_NAME
    assert attach(path) is None
    assert not path.parent.exists()


def test_merged_and_fresh_splits_are_saved_by_flush(tmp_path: Path, detached: None) -> None:
    path = tmp_path / "index" / compound_store.STORE_NAME
    default_splitter().clear_cache()  # so that the word below is split here, not found in memory
    with borrowed(path):
        default_splitter()("Kompetenzfeldanalyse")
        merge({"Zzzwortprobe": ("zzzwortprobe",)})
    saved = SplitStore(path, default_splitter().fingerprint(), write=False)
    assert saved.get("Zzzwortprobe") == ("zzzwortprobe",)
    assert saved.get("Kompetenzfeldanalyse") == default_splitter()("Kompetenzfeldanalyse")
    assert flush() == 0  # nothing new since


def test_borrow_without_create_leaves_missing_folders_alone(tmp_path: Path, detached: None) -> None:
    path = tmp_path / "index" / compound_store.STORE_NAME
    with borrowed(path, create=False):
        default_splitter()("Clusterstrategie")
    assert not path.parent.exists()


def test_a_json_cache_of_earlier_versions_is_taken_over(tmp_path: Path, detached: None) -> None:
    folder = tmp_path / "index"
    old = CompoundSplitter()
    old("Netzwerkmanagement")
    old.save_cache(folder / compound_store.LEGACY_NAME)
    store = attach(folder / compound_store.STORE_NAME, write=True)
    assert store is not None and store.get("Netzwerkmanagement") == old("Netzwerkmanagement")


def test_a_forked_worker_reads_through_its_own_connection(tmp_path: Path, detached: None) -> None:
    path = tmp_path / "index" / compound_store.STORE_NAME
    store = SplitStore(path, "rules", write=True)
    store.put({"Clusterförderung": ("cluster", "förderung")})
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a connection of its own, the parent's left alone
        os.write(write, b"ok" if store.get("Clusterförderung") == ("cluster", "förderung") else b"no")
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 2) == b"ok"
    assert store.put({"Kreis": ("kreis",)}) == 1  # the parent's connection still works


def test_relay_hands_each_entry_to_the_next_tasks() -> None:
    relay = Relay(window=2)
    assert relay.next_batch() == {}
    relay.learn({"a": ("a",)})
    assert relay.next_batch() == {"a": ("a",)}
    relay.learn({"b": ("b",)})
    assert relay.next_batch() == {"a": ("a",), "b": ("b",)}  # the task before last did not have "b" yet
    assert relay.next_batch() == {"b": ("b",)}  # the two tasks before this one both carried "a"
    assert relay.next_batch() == {}
