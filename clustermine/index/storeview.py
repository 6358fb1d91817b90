"""The few reads from the corpus store that its public methods do not offer yet, in one place.

The index needs, for every document, the state that decides whether its index entry is current (content hash,
entities fingerprint, last update), and display labels for entity ids. Both are single SQL statements over
the store's tables; keeping them here means a change of the store's schema touches one module of this package
(and these can move into ``CorpusStore`` as methods without changing any caller).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from clustermine.index.documents import DocState


def document_states(store: Any) -> Iterator[tuple[str, DocState]]:
    """(id, state) of every stored document, streamed; the same states as ``DocState.from_row``, put together by
    SQLite (a sync compares all of them: ~2 µs per document instead of ~9)."""
    cursor = store.conn.cursor()
    cursor.row_factory = None
    sep = "char(31)"
    metadata = f" || {sep} || ".join(f"COALESCE({k}, '')" for k in ("doctype", "date", "title", "updated_at"))
    sql = (f"SELECT id, COALESCE(content_hash, ''), COALESCE(entities_fingerprint, ''), {metadata} "
           "FROM documents ORDER BY id")
    for doc_id, content_hash, fingerprint, meta in cursor.execute(sql):
        yield doc_id, DocState(content_hash, fingerprint, meta)


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
