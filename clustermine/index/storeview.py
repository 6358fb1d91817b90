"""The few reads from the corpus store that its public methods do not offer yet, in one place.

The index needs, for every document, the state that decides whether its index entry is current (content hash,
entities fingerprint, last update), and display labels for entity ids. Both are single SQL statements over
the store's tables; keeping them here means a change of the store's schema touches one module of this package
(and these can move into ``CorpusStore`` as methods without changing any caller).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from clustermine.index.documents import DocState

_METADATA = " || char(31) || ".join(f"COALESCE({k}, '')" for k in ("doctype", "date", "title", "updated_at"))
_STATE = f"COALESCE(content_hash, ''), COALESCE(entities_fingerprint, ''), {_METADATA}"


def document_states(store: Any) -> Iterator[tuple[str, DocState]]:
    """(id, state) of every stored document, streamed; the same states as ``DocState.from_row``, put together by
    SQLite (a full comparison reads all of them: ~2 µs per document instead of ~9)."""
    cursor = store.conn.cursor()
    cursor.row_factory = None
    for doc_id, content_hash, fingerprint, meta in cursor.execute(f"SELECT id, {_STATE} FROM documents ORDER BY id"):
        yield doc_id, DocState(content_hash, fingerprint, meta)


@dataclass(frozen=True)
class JournalPosition:
    """How far the store's change journal (``doc_changes``, kept by triggers) goes: the journal's name (one per
    database file), the last sequence number handed out, and the number of documents stored at that point."""

    journal: str
    seq: int
    documents: int


@contextmanager
def snapshot(store: Any) -> Iterator[None]:
    """One read transaction: every read inside sees the store as of the same moment (WAL: writers go on)."""
    conn = store.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def journal_position(store: Any) -> JournalPosition | None:
    """Where the change journal stands (None for a store without one: everything must then be compared)."""
    try:
        row = store.conn.execute("SELECT value FROM settings WHERE key = 'journal'").fetchone()
        seq = store.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM doc_changes").fetchone()[0]
    except sqlite3.OperationalError:  # no such table: a store of an older schema, opened read-only
        return None
    if row is None:
        return None
    documents = store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    return JournalPosition(str(row[0]), int(seq), int(documents))


def changed_states(store: Any, after: int, upto: int) -> Iterator[tuple[str, DocState | None]]:
    """(id, state) of every document written or deleted after journal number ``after`` up to ``upto``; the
    state is None for a document that is gone. Reads only those rows (the journal's ``seq`` index)."""
    cursor = store.conn.cursor()
    cursor.row_factory = None
    sql = (f"SELECT c.doc_id, d.id IS NOT NULL, {_STATE} FROM doc_changes c LEFT JOIN documents d ON d.id = c.doc_id "
           "WHERE c.seq > ? AND c.seq <= ? ORDER BY c.seq")
    for doc_id, present, content_hash, fingerprint, meta in cursor.execute(sql, (after, upto)):
        yield doc_id, DocState(content_hash, fingerprint, meta) if present else None


def entity_labels(store: Any, ids: Iterable[str]) -> dict[str, str]:
    """Canonical name per entity id, as the documents' entities carry it (one indexed lookup per id)."""
    labels: dict[str, str] = {}
    for entity_id in dict.fromkeys(ids):
        row = store.conn.execute("SELECT canonical FROM entities WHERE entity_id = ? LIMIT 1", (entity_id,)).fetchone()
        if row:
            labels[entity_id] = row[0]
    return labels


def stored_documents(store: Any, ids: Iterable[str]) -> dict[str, Any]:
    """The stored documents for a page of hits; ids removed from the store since indexing are left out."""
    from clustermine.errors import NotFoundError

    out: dict[str, Any] = {}
    for doc_id in ids:
        try:
            out[doc_id] = store.get(doc_id)
        except NotFoundError:
            continue
    return out
