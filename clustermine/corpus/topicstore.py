"""The ``topic_models`` and ``doc_topics`` tables: the corpus's current topic model and each document's shares.

One model is kept: saving a new one replaces the old in the same transaction (its shares go with it through the
foreign key), so "the topics of this corpus" always means one thing and a refit never leaves two half-models
behind. The model's description, settings and fitted state are JSON (``settings``, ``topics``); the shares are
rows, so "which documents belong to topic 3" and "the topics of this document" are plain SQL. Removing a
document removes its shares (cascade); the model keeps the list of documents it was fitted on, so the command
can say what was added or removed since.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from clustermine.corpus.store import now_iso

__all__ = [
    "ModelRow",
    "all_document_ids",
    "document_facts",
    "document_types",
    "load_model",
    "model_shares",
    "save_model",
    "shares_of",
]

_BATCH = 500


@dataclass(frozen=True)
class ModelRow:
    """One stored model as the database holds it; ``settings`` and ``payload`` are the decoded JSON columns."""

    id: int
    created: str
    settings: dict[str, Any]
    fingerprint: str
    n_docs: int
    payload: dict[str, Any]


def save_model(
    store: Any,
    *,
    settings: dict[str, Any],
    fingerprint: str,
    n_docs: int,
    payload: dict[str, Any],
    shares: Iterable[tuple[str, int, float]],
) -> int:
    """Replace the stored model with this one and its (document id, topic, share) rows; returns the new id.

    Shares of documents removed while the model was being fitted are skipped.
    """
    with store.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO topic_models (created, settings, fingerprint, n_docs, topics) VALUES (?, ?, ?, ?, ?)",
            (now_iso(), _dumps(settings), fingerprint, n_docs, _dumps(payload)),
        )
        model_id = int(cursor.lastrowid or 0)
        conn.execute("DELETE FROM topic_models WHERE id != ?", (model_id,))  # ids grow: a refit gets a new one
        conn.executemany(
            "INSERT INTO doc_topics (model_id, doc_id, topic, share) SELECT ?, id, ?, ? FROM documents WHERE id = ?",
            ((model_id, topic, share, doc_id) for doc_id, topic, share in shares),
        )
    return model_id


def load_model(store: Any) -> ModelRow | None:
    """The current model, or None when the corpus has none yet."""
    row = store.conn.execute(
        "SELECT id, created, settings, fingerprint, n_docs, topics FROM topic_models ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return ModelRow(int(row[0]), row[1], json.loads(row[2]), row[3], int(row[4]), json.loads(row[5]))


def shares_of(store: Any, model_id: int, doc_id: str) -> list[tuple[int, float]]:
    """(topic, share) of one document, largest share first."""
    rows = store.conn.execute(
        "SELECT topic, share FROM doc_topics WHERE model_id = ? AND doc_id = ? ORDER BY share DESC, topic",
        (model_id, doc_id),
    )
    return [(int(r[0]), float(r[1])) for r in rows]


def model_shares(store: Any, model_id: int) -> dict[str, list[tuple[int, float]]]:
    """Every document's (topic, share) pairs in the model."""
    out: dict[str, list[tuple[int, float]]] = {}
    for doc_id, topic, share in store.conn.execute(
        "SELECT doc_id, topic, share FROM doc_topics WHERE model_id = ? ORDER BY doc_id, topic", (model_id,)
    ):
        out.setdefault(doc_id, []).append((int(topic), float(share)))
    return out


def all_document_ids(store: Any) -> list[str]:
    """Every document in the corpus, in id order."""
    return [r[0] for r in store.conn.execute("SELECT id FROM documents ORDER BY id")]


def document_facts(store: Any, doc_ids: Sequence[str]) -> dict[str, tuple[str | None, int | None]]:
    """(title, year) of the documents that still exist, by id."""
    out: dict[str, tuple[str | None, int | None]] = {}
    ids = list(dict.fromkeys(doc_ids))
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start:start + _BATCH]
        marks = ",".join("?" * len(chunk))
        for doc_id, title, year in store.conn.execute(
            f"SELECT id, title, year FROM documents WHERE id IN ({marks})", chunk
        ):
            out[doc_id] = (title, year)
    return out


def document_types(store: Any, doc_ids: Sequence[str]) -> list[str]:
    """The document type of each of ``doc_ids`` (in that order; "other" for documents no longer there)."""
    found: dict[str, str] = {}
    ids = list(dict.fromkeys(doc_ids))
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start:start + _BATCH]
        marks = ",".join("?" * len(chunk))
        found.update(store.conn.execute(f"SELECT id, doctype FROM documents WHERE id IN ({marks})", chunk))
    return [found.get(doc_id, "other") for doc_id in doc_ids]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
