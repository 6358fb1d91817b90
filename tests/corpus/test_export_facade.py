"""The export facade: format from file names, atomic writing, corpus-wide keys, references from the store."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from clustermine.corpus.export import (
    ExportError,
    build_references,
    corpus_keys,
    export_text,
    format_for_path,
    render,
    write_atomic,
)
from clustermine.corpus.store import CorpusStore
from tests.corpus.test_export_record import make_document


@pytest.mark.parametrize(
    ("path", "fmt"),
    [("a.bib", "bibtex"), ("A.RIS", "ris"), ("x/y.json", "csljson"), ("t.csv", "csv"), ("l.md", "markdown"),
     ("liste.txt", "bibtex"), (None, "bibtex")],
)
def test_format_for_path(path: str | None, fmt: str) -> None:
    assert format_for_path(path) == fmt


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(ExportError, match="format must be one of"):
        render([], "endnote")


def test_write_atomic_replaces_the_file_and_leaves_no_temporary_behind(tmp_path: Path) -> None:
    target = tmp_path / "liste.bib"
    target.write_text("alt", encoding="utf-8")
    os.chmod(target, 0o640)
    write_atomic(target, "neu: Straße\n")
    assert target.read_text(encoding="utf-8") == "neu: Straße\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the permissions of the file it replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["liste.bib"]
    fresh = tmp_path / "neu.ris"
    write_atomic(fresh, "x")
    assert stat.S_IMODE(fresh.stat().st_mode) & 0o044  # readable by others, not a private temporary file


def test_write_atomic_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot write") as info:
        write_atomic(tmp_path / "fehlt" / "a.bib", "x")
    assert info.value.hint


def test_keys_are_corpus_wide_and_references_come_in_the_given_order(tmp_path: Path) -> None:
    with CorpusStore(tmp_path) as store:
        docs = [make_document("aaaa000000000001", date="2013-01-10"),
                make_document("aaaa000000000002", date="2013-06-01"),
                make_document("aaaa000000000003", title="Wasserstoff im Revier", date="2020")]
        with store.transaction():
            for doc in docs:
                store.put_document(doc, fingerprint="test")
        keys = corpus_keys(store)
        assert keys == {"aaaa000000000001": "mettmann2013clusterfoerderunga",
                        "aaaa000000000002": "mettmann2013clusterfoerderungb",
                        "aaaa000000000003": "mettmann2020wasserstoff"}
        refs = build_references(store, ["aaaa000000000002", "aaaa000000000001"], snippets={"aaaa000000000001": "s"})
        # exporting one of the pair keeps its letter: the key does not depend on the export
        assert [(r.key, r.position, r.snippet) for r in refs] == [
            ("mettmann2013clusterfoerderungb", 1, None), ("mettmann2013clusterfoerderunga", 2, "s")]
        assert refs[0].keywords  # entities come from the store
        assert export_text(store, ["aaaa000000000003"], "csljson").count('"id"') == 1
