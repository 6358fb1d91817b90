"""``clustermine collect``: keep, list, show, export, replace, delete, and verify after the corpus changed."""

from __future__ import annotations

import json
import shlex
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import bibtexparser
import pytest
from click.testing import Result

from clustermine.corpus.store import CorpusStore
from tests.test_cli_export import build_corpus, corpus_documents, invoker


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("collect"))


@pytest.fixture
def home(pristine: Path, tmp_path: Path) -> Path:
    """A copy of the corpus of its own: collections write to it."""
    copy = tmp_path / "home"
    shutil.copytree(pristine, copy)
    return copy


@pytest.fixture
def run(home: Path) -> Callable[..., Result]:
    return invoker(home)


def test_collect_a_query_and_export_it(run: Callable[..., Result]) -> None:
    result = run("collect", "mettmann-cluster", "Clusterförderung", "--region", "Kreis Mettmann", "--all-versions",
                 "--note", "Kapitel 3")
    assert result.stdout.startswith("Collected 2 documents as „mettmann-cluster“ (query „Clusterförderung“;")
    assert "clustermine export --collection mettmann-cluster" in result.stderr
    kept = json.loads(run("collect", "--show", "mettmann-cluster", "--json").stdout)
    assert kept["query"] == "Clusterförderung" and kept["filters"] == {"regions": ["Kreis Mettmann"]}
    assert kept["note"] == "Kapitel 3" and kept["version"] and kept["documents"] == 2
    assert kept["settings"]["analysis"] and kept["settings"]["entities"] and kept["settings"]["collapse"] is False
    assert {item["id"] for item in kept["items"]} == {"a1a1a1a1a1a1a1a1", "b2b2b2b2b2b2b2b2"}
    assert all(len(item["content_hash"]) == 64 for item in kept["items"])
    exported = bibtexparser.parse_string(run("export", "--collection", "mettmann-cluster").stdout).entries
    direct = bibtexparser.parse_string(run("export", "Clusterförderung", "--region", "Kreis Mettmann",
                                           "--all-versions").stdout).entries
    assert [e.key for e in exported] == [e.key for e in direct]
    md = run("export", "--collection", "mettmann-cluster", "--format", "markdown").stdout
    assert md.startswith("# Collection „mettmann-cluster“") and "Kapitel 3" in md and "**Clusterförderung**" in md


def test_an_existing_name_needs_replace(run: Callable[..., Result]) -> None:
    run("collect", "liste", "Logistik")
    refused = run("collect", "liste", "Wasserstoff", expect=1)
    assert refused.stderr.startswith("Error: a collection named 'liste' exists already")
    assert "--replace" in refused.stderr
    run("collect", "liste", "Wasserstoff", "--replace")
    kept = json.loads(run("collect", "--show", "liste", "--json").stdout)
    assert kept["query"] == "Wasserstoff"


def test_hand_picked_list_show_delete(run: Callable[..., Result]) -> None:
    run("collect", "lesen", "--ids", "e5e5", "c3c3,d4d4")
    run("collect", "Clusterförderung NRW", "--type", "council_paper")
    listed = json.loads(run("collect", "--list", "--json").stdout)
    assert {r["name"]: r["documents"] for r in listed} == {"lesen": 3, "Clusterförderung NRW": 2}
    table = run("collect", "--list").stdout
    assert "hand-picked documents" in table and "filters: type council_paper" in table
    shown = run("collect", "--show", "lesen").stdout
    assert "e5e5e5e5e5e5e5e5" in shown and "Netzwerk Logistik.NRW" in shown
    verified = run("collect", "--verify", "lesen").stdout
    assert "hand-picked" in verified and "Up to date" in verified
    assert "Deleted collection „lesen“" in run("collect", "--delete", "lesen").stdout
    assert [r["name"] for r in json.loads(run("collect", "--list", "--json").stdout)] == ["Clusterförderung NRW"]
    assert "No collections yet" not in run("collect", "--list").stdout


def test_verify_after_the_corpus_changed(run: Callable[..., Result], home: Path) -> None:
    from clustermine.index import sync_index

    run("collect", "h2", "Wasserstoff")
    assert "Up to date" in run("collect", "--verify", "h2").stdout
    docs = {d.id: d for d in corpus_documents()}
    with CorpusStore(home) as store:
        with store.transaction():
            changed = replace(docs["e5e5e5e5e5e5e5e5"], title="Wasserstoff im Revier – zweite Fassung")
            store.put_document(changed, fingerprint="test-entities")
            new = replace(docs["f6f6f6f6f6f6f6f6"], id="0707070707070707", content_hash="07" * 32,
                          source="/daten/korpus/neu.pdf", title="Wasserstoffatlas Ruhr")
            store.put_document(new, fingerprint="test-entities")
            store.link_source(new.source, new.id, new.content_hash, None, None)
        sync_index(store)
    run("remove", "f6f6f6f6f6f6f6f6")
    report = run("collect", "--verify", "h2", "--json").stdout
    data = json.loads(report)
    assert data["up_to_date"] is False and data["documents"] == 2 and data["unchanged"] == 0
    assert data["changed"] == [{"id": "e5e5e5e5e5e5e5e5", "title": "Wasserstoff im Revier – zweite Fassung",
                                "was_title": docs["e5e5e5e5e5e5e5e5"].title, "changed": ["title"]}]
    assert [d["id"] for d in data["removed"]] == ["f6f6f6f6f6f6f6f6"]
    assert [d["id"] for d in data["added"]] == ["0707070707070707"] and data["dropped"] == []
    human = run("collect", "--verify", "h2").stdout
    assert "removed from the corpus (1)" in human and "would now be added" in human and "Wasserstoffatlas" in human
    command = human.strip().splitlines()[-1].split("Re-collect with: ", 1)[1]
    words = shlex.split(command)
    assert words[:3] == ["clustermine", "collect", "h2"] and words[-1] == "--replace"
    run(*words[1:])  # the printed command works as it is
    assert "Up to date" in run("collect", "--verify", "h2").stdout
    warned = run("export", "--collection", "h2")
    assert "no longer in the corpus" not in warned.stderr


def test_export_of_a_collection_with_removed_documents_warns(run: Callable[..., Result]) -> None:
    run("collect", "alle", "--ids", "a1a1", "c3c3")
    run("remove", "c3c3c3c3c3c3c3c3")
    result = run("export", "--collection", "alle", "-f", "csljson")
    assert len(json.loads(result.stdout)) == 1
    assert "1 document of „alle“ no longer in the corpus" in result.stderr and "--verify alle" in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--verify", "fehlt"), 1, "no collection named 'fehlt'"),
        (("--delete", "fehlt"), 1, "no collection named 'fehlt'"),
        (("x", "--ids", "zzzz"), 1, "no document with id 'zzzz'"),
        (("x", "Clustrfoerdrung"), 1, "nothing to keep"),
        (("x",), 2, "give a query, at least one filter, or --ids"),
        ((), 2, "give the name of the collection"),
        (("--list", "--verify", "x"), 2, "cannot be combined"),
        (("--verify", "x", "Logistik"), 2, "takes only the collection name"),
        (("--list", "x"), 2, "--list takes no name"),
        (("x", "--ids", "a1a1", "--type", "report"), 2, "--ids takes document ids and no filters"),
    ],
)
def test_errors(run: Callable[..., Result], args: tuple[str, ...], code: int, message: str) -> None:
    result = run("collect", *args, expect=code)
    assert message in result.stderr and "Traceback" not in result.stderr


def test_no_collections_yet(run: Callable[..., Result]) -> None:
    assert "No collections yet" in run("collect", "--list").stdout
    assert json.loads(run("collect", "--list", "--json").stdout) == []


def test_verify_names_another_search_backend_as_a_changed_setting(run: Callable[..., Result]) -> None:
    pytest.importorskip("tantivy")
    from clustermine.index.storage import default_backend

    run("collect", "h2", "Wasserstoff")
    other = "whoosh" if default_backend() == "tantivy" else "tantivy"
    run("rebuild", "--index-backend", other)
    data = json.loads(run("collect", "--verify", "h2", "--json").stdout)
    assert data["settings"]["index_backend"] == [default_backend(), other]
    assert data["unchanged"] == data["documents"]  # same documents found: only the setting differs
