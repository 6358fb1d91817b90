"""The tantivy backend: chosen per corpus, the same answers as whoosh, and as safe against crashes.

The whole index test suite also runs with ``CLUSTERMINE_INDEX_BACKEND=tantivy`` (``make test`` does both);
these tests are about what only the tantivy backend has: the choice, its column table, and the agreement
of the two backends on the same corpus.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from clustermine.corpus.store import CorpusStore
from clustermine.index import search, select_ids, sync_index
from clustermine.index.storage import IndexLocation
from tests.index.conftest import build_store, doc_ids

pytest.importorskip("tantivy")

#: Queries of every kind the compiler makes: words, compounds and parts, phrases, prefixes, wildcards, fuzzy
#: words, boolean operators, entity and metadata filters, year ranges, fields.
QUERIES = [
    "Förderung", "Clusterförderung", "Cluster-Förderung", "Kreises", "Netzwerk OR Velbert",
    "Förderung NOT Leipzig", '"Kreis Mettmann"', "Förder*", "Beschichtungsverf?hren", "Netzwerg~",
    "type:council_paper", "year:2015..2020", "region:Mettmann Förderung", "cluster:Logistik", "program:EFRE",
    "title:Cluster", "NOT Cluster", "(Cluster OR Netzwerk) Region", "resolution:Förderung", "",
]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[CorpusStore, CorpusStore]:
    """The same corpus twice, indexed once with each backend."""
    root = tmp_path_factory.mktemp("backends")
    first = build_store(root / "whoosh")
    sync_index(first, backend="whoosh")
    shutil.copytree(root / "whoosh" / "home", root / "tantivy-home", ignore=shutil.ignore_patterns("index"))
    from clustermine.corpus import open_store

    second = open_store(root / "tantivy-home")
    sync_index(second, backend="tantivy")
    yield first, second
    first.close()
    second.close()


def _hits(store: CorpusStore, query: str, **options: object) -> list[str]:
    return [h.id for h in search(store, query, limit=100, **options).hits]


@pytest.mark.parametrize("query", QUERIES)
def test_both_backends_find_the_same_documents(pair: tuple[CorpusStore, CorpusStore], query: str) -> None:
    whoosh_store, tantivy_store = pair
    for options in ({}, {"collapse": False}, {"sort": "date"}):
        found_whoosh = search(whoosh_store, query, limit=100, autocorrect=False, relax=False, **options)
        found_tantivy = search(tantivy_store, query, limit=100, autocorrect=False, relax=False, **options)
        assert found_tantivy.total == found_whoosh.total, (query, options)
        assert {h.id for h in found_tantivy.hits} == {h.id for h in found_whoosh.hits}, (query, options)
        assert found_tantivy.facets == found_whoosh.facets, (query, options)
        if options.get("sort") == "date":  # newest first: the same order, up to documents of the same day
            dates = [h.date or "" for h in found_tantivy.hits]
            assert dates == [h.date or "" for h in found_whoosh.hits]


def test_both_backends_agree_on_the_best_hit_and_the_snippets(pair: tuple[CorpusStore, CorpusStore]) -> None:
    whoosh_store, tantivy_store = pair
    for query in ("Clusterförderung", "Velbert", '"Kreis Mettmann"', "Logistik"):
        first, second = search(whoosh_store, query), search(tantivy_store, query)
        assert second.hits[0].id == first.hits[0].id, query
        assert second.hits[0].snippet == first.hits[0].snippet, query


def test_spelling_suggestions_explanations_and_similar_work_on_tantivy(
    pair: tuple[CorpusStore, CorpusStore],
) -> None:
    whoosh_store, tantivy_store = pair
    typo = search(tantivy_store, "Netzwerg", autocorrect=False)
    assert typo.suggestion == search(whoosh_store, "Netzwerg", autocorrect=False).suggestion
    assert typo.suggestion and typo.suggestion.lower().startswith("netzwerk")
    explained = search(tantivy_store, "Clusterförderung", explain=True).hits[0].explanation
    assert explained and explained["terms"][0]["details"], explained
    assert all(item["score"] > 0 for item in explained["terms"][0]["details"])
    from clustermine.index import similar

    some = doc_ids(tantivy_store)["velbert-bericht.txt"]
    alike = similar(tantivy_store, some)
    assert alike.total > 0 and some not in {h.id for h in alike.hits}


def test_the_backend_is_kept_for_the_corpus_until_changed(tmp_path: Path) -> None:
    store = build_store(tmp_path, ["velbert-bericht.txt", "essen-webseite.txt"])
    try:
        sync_index(store, backend="tantivy")
        location = IndexLocation(store.home)
        assert location.meta(location.require()).backend == "tantivy"
        store.remove(doc_ids(store)["essen-webseite.txt"])
        report = sync_index(store)  # no backend named: the corpus's own, updated in place
        assert not report.rebuilt and report.removed == 1
        assert location.meta(location.require()).backend == "tantivy"
        assert sync_index(store, backend="whoosh").rebuilt
        assert location.meta(location.require()).backend == "whoosh"
        assert select_ids(store) == [doc_ids(store)["velbert-bericht.txt"]]
    finally:
        store.close()


def test_a_crash_between_tantivys_commit_and_the_column_table_is_repaired(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clustermine.index.tantivy_store import Columns

    store = build_store(tmp_path)
    try:
        sync_index(store, backend="tantivy")
        ids = doc_ids(store)
        velbert = ids["velbert-bericht.txt"]
        before = sorted(select_ids(store))
        with store.transaction():
            store.remove(velbert)
            store.set_overrides(ids["essen-webseite.txt"], doctype="report")

        def power_cut(self: Columns, *args: object) -> None:
            raise OSError("power cut")

        with monkeypatch.context() as patch:
            patch.setattr(Columns, "apply", power_cut)
            with pytest.raises(OSError, match="power cut"):
                sync_index(store)
        # tantivy committed, the table did not: a search still answers, never with a document of another id
        assert set(select_ids(store)) <= set(before)
        report = sync_index(store)
        assert report.removed == 1 and report.updated == 1
        assert velbert not in select_ids(store)
        assert [h.id for h in search(store, "type:report").hits] == [ids["essen-webseite.txt"]]
        from clustermine.corpus.check import check_corpus

        assert not [f for f in check_corpus(store).remaining if f.area == "index"]
    finally:
        store.close()


def test_document_numbers_are_never_reused(tmp_path: Path) -> None:
    import sqlite3

    store = build_store(tmp_path, ["velbert-bericht.txt", "essen-webseite.txt"])
    try:
        sync_index(store, backend="tantivy")
        folder = IndexLocation(store.home).require()
        seqs = lambda: dict(sqlite3.connect(folder / "columns.sqlite").execute("SELECT id, seq FROM docs"))  # noqa: E731
        first = seqs()
        essen = doc_ids(store)["essen-webseite.txt"]
        store.set_overrides(essen, doctype="report")
        sync_index(store)
        second = seqs()
        assert second[essen] > max(first.values())  # re-added under a new number
        assert json.loads((folder / "meta.json").read_text())["backend"] == "tantivy"
    finally:
        store.close()


def test_add_and_rebuild_choose_the_backend_from_the_command_line(run, tmp_path: Path, home: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Die Clusterförderung im Kreis Mettmann stärkt die Wirtschaft.", encoding="utf-8")
    run("add", folder, "--index-backend", "tantivy")
    meta = IndexLocation(home).meta(IndexLocation(home).require())
    assert meta.backend == "tantivy"
    assert "a.txt" in run("search", "Förderung").stdout
    run("rebuild", "--index-backend", "whoosh")
    assert IndexLocation(home).meta(IndexLocation(home).require()).backend == "whoosh"
    assert "a.txt" in run("search", "Förderung").stdout


def test_a_missing_tantivy_is_one_clear_error_before_any_work(run, tmp_path: Path, home: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_tantivy(name: str, *args: object, **kwargs: object) -> object:
        if name == "tantivy":
            raise ImportError("No module named 'tantivy'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tantivy)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Clusterförderung", encoding="utf-8")
    result = run("add", folder, "--index-backend", "tantivy", expect=1)
    assert "tantivy search backend, which is not installed" in result.stderr
    assert "pip install 'clustermine[tantivy]'" in result.stderr
    assert not (home / "corpus.sqlite").exists()  # nothing was read before the error


def test_a_rebuild_analysing_in_two_processes_indexes_the_same(pair: tuple[CorpusStore, CorpusStore],
                                                               tmp_path: Path) -> None:
    from clustermine.corpus import open_store

    _, tantivy_store = pair
    shutil.copytree(tantivy_store.home, tmp_path / "home", ignore=shutil.ignore_patterns("gen-*", "CURRENT"))
    with open_store(tmp_path / "home") as parallel:
        report = sync_index(parallel, backend="tantivy", procs=2, rebuild=True)
        assert report.rebuilt and report.added == len(select_ids(tantivy_store))
        for query in QUERIES:
            one = search(tantivy_store, query, limit=100, autocorrect=False, relax=False)
            two = search(parallel, query, limit=100, autocorrect=False, relax=False)
            assert [(h.id, h.score) for h in two.hits] == [(h.id, h.score) for h in one.hits], query


@pytest.mark.parametrize("word", ["netzwerg", "foerderumg", "clsuter", "kries", "wirtschaftsfoerderung", "x"])
def test_spelling_neighbours_are_every_term_within_the_distance(pair: tuple[CorpusStore, CorpusStore],
                                                                word: str) -> None:
    from clustermine.index.engine import open_searcher
    from clustermine.index.suggest import _distance

    _, tantivy_store = pair
    with open_searcher(tantivy_store.home) as (searcher, _):
        reader = searcher.reader()
        for maxdist in (1, 2):
            every = [t for t in reader.expand_prefix("body", word[:1])]
            brute = sorted(t.decode() for t in every if _distance(t.decode(), word) <= maxdist)
            assert sorted(reader.terms_within("body", word, maxdist, prefix=1)) == brute, (word, maxdist)
