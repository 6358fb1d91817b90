"""The SQLite store: round trip, migrations, cascades, id prefixes, the writer lock."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
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


def explained(conn: sqlite3.Connection, run: Callable[[], object]) -> str:
    """The query plans of the statements ``run`` executes on ``conn`` (as SQLite ran them, values bound)."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        run()
    finally:
        conn.set_trace_callback(None)
    plans = [str(row[3]) for sql in statements if sql.lstrip().upper().startswith("SELECT")
             for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    return "\n".join(plans)


def test_an_older_corpus_gets_the_change_journal_and_state_indexes(tmp_path: Path) -> None:
    from clustermine.index.storeview import changed_states, journal_position

    with CorpusStore(tmp_path) as store, store.transaction():
        store.put_document(sample())
    conn = sqlite3.connect(tmp_path / "corpus.sqlite", isolation_level=None)  # as clustermine 4 left it
    for name in ("documents_journal_insert", "documents_journal_update", "documents_journal_rename",
                 "documents_journal_delete"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP TABLE doc_changes")
    conn.execute("DROP INDEX documents_entities_fp")
    conn.execute("DELETE FROM settings WHERE key = 'journal'")
    conn.execute("PRAGMA user_version = 4")
    conn.close()
    with CorpusStore(tmp_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        assert store.get(sample().id).title == sample().title
        before = journal_position(store)
        assert before is not None and before.seq == 0 and before.documents == 1
        with store.transaction():
            store.put_entities(sample().id, [], "gazetteers-2")
        after = journal_position(store)
        assert after is not None and after.journal == before.journal and after.seq == 1
        assert [doc_id for doc_id, _ in changed_states(store, 0, after.seq)] == [sample().id]
        assert "USING INDEX documents_entities_fp" in explained(store.conn,
                                                              lambda: store.ids_needing_entities("gazetteers-3"))
        assert store.ids_needing_entities("gazetteers-3") == [sample().id] and not store.ids_needing_entities(
            "gazetteers-2")
        plan = explained(store.conn, lambda: list(changed_states(store, 0, after.seq)))
        assert "doc_changes_seq" in plan and "SCAN d" not in plan and "SCAN documents" not in plan


def test_the_journal_numbers_every_write_and_never_repeats_a_number(tmp_path: Path) -> None:
    with CorpusStore(tmp_path) as store:
        def journal() -> dict[str, int]:
            return {r[0]: r[1] for r in store.conn.execute("SELECT doc_id, seq FROM doc_changes")}

        first, second = sample("aaaa000000000000", "/a"), sample("bbbb000000000000", "/b")
        with store.transaction():
            store.put_document(first)
            store.put_document(second)
        numbers = journal()
        assert numbers[second.id] > numbers[first.id]
        with store.transaction():  # the document with the highest number is written again: it gets a higher one
            store.put_entities(second.id, [], "fp")
        assert journal()[second.id] > numbers[second.id]
        store.conn.execute("INSERT OR IGNORE INTO documents SELECT * FROM documents WHERE id = ?", (first.id,))
        store.conn.execute("UPDATE OR IGNORE documents SET title = 'neu' WHERE id = ?", (first.id,))
        assert journal()[first.id] > journal()[second.id]
        top = max(journal().values())
        with store.transaction():
            store.remove(first.id)
        assert journal()[first.id] == top + 1 and store.count() == 1
