"""The corpus's saved compound splits: shared between processes, loaded once, saved only when something is new."""

from __future__ import annotations

from pathlib import Path

from clustermine.pipeline import compound_store
from clustermine.pipeline.compound_store import Relay, borrowed, load, merge
from clustermine.pipeline.compounds import CompoundSplitter, default_splitter


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


def test_merged_splits_are_saved_by_the_next_borrower(tmp_path: Path) -> None:
    path = tmp_path / "index" / compound_store.CACHE_NAME
    path.parent.mkdir()
    with borrowed(path):
        pass  # nothing split, no file yet: an (empty) cache is written
    assert path.exists()
    merge({"Zzzwortprobe": ("zzzwortprobe",)})
    with borrowed(path):
        pass  # nothing split in the body, but merged entries are unsaved
    fresh = CompoundSplitter()
    fresh.load_cache(path)
    assert "Zzzwortprobe" in fresh.cache_
    stamp = path.stat().st_mtime_ns
    with borrowed(path):
        pass
    assert path.stat().st_mtime_ns == stamp  # nothing new: not written again


def test_borrow_without_create_leaves_missing_folders_alone(tmp_path: Path) -> None:
    path = tmp_path / "index" / compound_store.CACHE_NAME
    with borrowed(path, create=False):
        default_splitter()("Clusterstrategie")
    assert not path.parent.exists()


def test_load_reads_a_file_once(tmp_path: Path) -> None:
    path = tmp_path / compound_store.CACHE_NAME
    writer = CompoundSplitter()
    writer("Kompetenzfeldanalyse")
    writer.save_cache(path)
    assert load(path) == 1
    assert load(path) == 0  # same file, entries still held: not parsed again


def test_relay_hands_each_entry_to_the_next_tasks() -> None:
    relay = Relay(window=2)
    assert relay.next_batch() == {}
    relay.learn({"a": ("a",)})
    assert relay.next_batch() == {"a": ("a",)}
    relay.learn({"b": ("b",)})
    assert relay.next_batch() == {"a": ("a",), "b": ("b",)}  # the task before last did not have "b" yet
    assert relay.next_batch() == {"b": ("b",)}  # the two tasks before this one both carried "a"
    assert relay.next_batch() == {}
