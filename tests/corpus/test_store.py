"""The SQLite store: round trip, migrations, cascades, id prefixes, the writer lock."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from clustermine.corpus.store import SCHEMA_VERSION, CorpusStore
from clustermine.errors import CorpusBusyError, CorpusError, NotFoundError
from clustermine.model import Consultation, CouncilPaper, Document, Section


def sample(doc_id: str = "ab12cd34ef56ab78", source: str = "/tmp/a.pdf") -> Document:
    return Document(
        id=doc_id,
        source=source,
        format="pdf",
        title="Clusterförderung im Kreis Mettmann",
        doctype="council_paper",
        date="2013-04-10",
        text="Beschlussvorschlag: Die Verwaltung wird beauftragt …",
        pages=("Seite eins", "Seite zwei"),
        sections=(Section("beschlussvorschlag", "Beschlussvorschlag:", "Die Verwaltung wird beauftragt …", 20),),
        council=CouncilPaper(
            number="80/017/2013",
            consultations=(Consultation("Ausschuss für Wirtschaftsförderung", "2013-05-13", "Beschluss"),),
            public=True,
        ),
        info={"author": "Kreis Mettmann"},
        content_hash=doc_id + "0" * 48,
        size=10,
        mtime=1.5,
    )


def test_round_trip(tmp_path: Path) -> None:
    with CorpusStore(tmp_path) as store:
        doc = sample()
        with store.transaction():
            store.put_document(doc)
            store.link_source(doc.source, doc.id, doc.content_hash, doc.size, doc.mtime)
        got = store.get(doc.id)
    assert got.title == doc.title and got.pages == doc.pages and got.sections == doc.sections
    assert got.council == doc.council and got.year == 2013 and got.info == {"author": "Kreis Mettmann"}
    assert Document.from_dict(got.to_dict()) == got


def test_wal_and_schema_version(tmp_path: Path) -> None:
    CorpusStore(tmp_path).close()
    conn = sqlite3.connect(tmp_path / "corpus.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    CorpusStore(tmp_path).close()
    conn = sqlite3.connect(tmp_path / "corpus.sqlite")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    with pytest.raises(CorpusError, match="schema version"):
        CorpusStore(tmp_path)


def test_missing_corpus_is_an_error_with_hint(tmp_path: Path) -> None:
    with pytest.raises(CorpusError) as info:
        CorpusStore(tmp_path / "none", create=False)
    assert "clustermine add" in (info.value.hint or "")


def test_remove_cascades_to_derived_data(tmp_path: Path) -> None:
    with CorpusStore(tmp_path) as store:
        doc = sample()
        with store.transaction():
            store.put_document(doc)
            store.link_source(doc.source, doc.id, doc.content_hash, 1, 1.0)
            store.remove(doc.id)
        for table in ("pages", "sections", "sources", "documents"):
            assert store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0


def test_id_prefix_resolution(tmp_path: Path) -> None:
    with CorpusStore(tmp_path) as store:
        with store.transaction():
            store.put_document(sample("abcd111100000000"))
            store.put_document(sample("abcd222200000000"))
        assert store.resolve_id("abcd1") == "abcd111100000000"
        with pytest.raises(NotFoundError, match="ambiguous"):
            store.resolve_id("abcd")
        with pytest.raises(NotFoundError, match="no document"):
            store.resolve_id("ffff")


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    with CorpusStore(tmp_path) as store:
        with pytest.raises(RuntimeError), store.transaction():
            store.put_document(sample())
            raise RuntimeError("crash in the middle")
        assert store.count() == 0


def test_second_writer_is_told_the_corpus_is_busy(tmp_path: Path) -> None:
    first, second = CorpusStore(tmp_path), CorpusStore(tmp_path)
    with first.writer_lock(), pytest.raises(CorpusBusyError, match="busy"), second.writer_lock(wait=0.3):
        pass
    with second.writer_lock():
        pass
