"""The ``doc_terms`` table: each document's term counts, kept beside the document so trends need no re-reading.

Rows are keyed by document id and cascade with it; ``fingerprint`` says which counting rules made them, so a
change of rules recounts only what is outdated. Counts are stored as one compressed blob per document (see
``clustermine.pipeline.terms.encode_terms``): trends and topic models always read whole documents' bags.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

__all__ = ["ids_needing_terms", "iter_term_blobs", "put_term_blobs", "put_term_row", "term_row_count"]

_BATCH = 500


def ids_needing_terms(store: Any, fingerprint: str) -> list[str]:
    """Documents without counts, or with counts made by other rules, in id order."""
    rows = store.conn.execute(
        "SELECT d.id FROM documents d LEFT JOIN doc_terms t ON t.doc_id = d.id "
        "WHERE t.doc_id IS NULL OR t.fingerprint != ? ORDER BY d.id",
        (fingerprint,),
    )
    return [row[0] for row in rows]


def put_term_blobs(store: Any, rows: Iterable[tuple[str, int, bytes]], fingerprint: str) -> int:
    """Store (doc id, token count, blob) rows in one transaction; rows of documents removed meanwhile are skipped."""
    written = 0
    with store.transaction() as conn:
        for doc_id, n_tokens, blob in rows:
            cursor = conn.execute(
                "INSERT OR REPLACE INTO doc_terms (doc_id, fingerprint, n_tokens, terms) "
                "SELECT id, ?, ?, ? FROM documents WHERE id = ?",
                (fingerprint, n_tokens, blob, doc_id),
            )
            written += cursor.rowcount
    return written


def put_term_row(store: Any, doc_id: str, n_tokens: int, blob: bytes, fingerprint: str) -> None:
    """Store one document's counts inside the caller's transaction (``add`` writes them with the document)."""
    store.conn.execute(
        "INSERT OR REPLACE INTO doc_terms (doc_id, fingerprint, n_tokens, terms) VALUES (?, ?, ?, ?)",
        (doc_id, fingerprint, n_tokens, blob),
    )


def iter_term_blobs(
    store: Any, doc_ids: Sequence[str] | None = None, *, fingerprint: str | None = None
) -> Iterator[tuple[str, int, bytes]]:
    """(doc id, token count, blob) for ``doc_ids`` in the given order (all documents, in id order, when None).
    Documents without counts (or with another ``fingerprint``) are left out."""
    where = " WHERE fingerprint = ?" if fingerprint else ""
    params: tuple[Any, ...] = (fingerprint,) if fingerprint else ()
    if doc_ids is None:
        yield from (
            (row[0], row[1], row[2])
            for row in store.conn.execute(
                f"SELECT doc_id, n_tokens, terms FROM doc_terms{where} ORDER BY doc_id", params
            )
        )
        return
    for start in range(0, len(doc_ids), _BATCH):
        chunk = list(doc_ids[start:start + _BATCH])
        marks = ",".join("?" * len(chunk))
        clause = " AND fingerprint = ?" if fingerprint else ""
        found = {
            row[0]: (row[0], row[1], row[2])
            for row in store.conn.execute(
                f"SELECT doc_id, n_tokens, terms FROM doc_terms WHERE doc_id IN ({marks}){clause}",
                (*chunk, *params),
            )
        }
        yield from (found[doc_id] for doc_id in chunk if doc_id in found)


def term_row_count(store: Any) -> int:
    return store.conn.execute("SELECT COUNT(*) FROM doc_terms").fetchone()[0]
