"""The corpus as a document × term matrix: what vocabulary trends, emerging terms and topic models compute on.

Two steps, kept apart so each can be cheap:

- :func:`sync_terms` counts the terms of every document that has no counts yet (or counts made by older rules)
  and stores them in the corpus (``doc_terms``). It reuses the search index's compound-splitting cache, so a
  corpus that has an index pays little for it, and it only ever counts what changed.
- :func:`load_term_matrix` assembles sparse matrices for a selection of documents from the stored counts:
  ``whole`` (a word on its own) and ``parts`` (inside longer words), one row per document, one column per term
  key. ``keys=`` restricts the columns to the terms asked for, which keeps a trend of three words cheap on a
  large corpus; ``min_df=`` drops rare terms before any matrix exists (topic models need no hapaxes).
"""

from __future__ import annotations

import json
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from clustermine.corpus.termstore import ids_needing_terms, iter_term_blobs, put_term_blobs
from clustermine.pipeline.terms import TERMS_FINGERPRINT, count_terms, encode_terms

__all__ = ["TermMatrix", "load_term_matrix", "sync_terms"]

_WRITE_BATCH = 200


@dataclass(frozen=True)
class TermMatrix:
    """Term counts of a selection of documents.

    ``doc_ids[i]`` is row ``i``; ``keys[j]`` (the term key, see ``pipeline.terms.term_key``) and ``labels[j]`` (its
    commonest spelling, for people) describe column ``j``. ``whole`` counts a term as a word of its own, ``parts``
    inside longer words. ``n_tokens`` is each document's length in words (function words included), the
    denominator of "per 10,000 words". ``noun[j]`` is True for nouns, names and adjective-noun phrases.
    """

    doc_ids: tuple[str, ...]
    keys: tuple[str, ...]
    labels: tuple[str, ...]
    whole: sparse.csr_matrix
    parts: sparse.csr_matrix
    n_tokens: np.ndarray
    noun: np.ndarray
    _columns: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._columns.update((key, j) for j, key in enumerate(self.keys))

    def column(self, key: str) -> int | None:
        """The column of a term key, or None when no selected document has it."""
        return self._columns.get(key)

    @property
    def total(self) -> sparse.csr_matrix:
        """Occurrences on their own and inside longer words together."""
        return (self.whole + self.parts).tocsr()


def sync_terms(
    store: Any,
    *,
    on_start: Callable[[int], None] | None = None,
    on_document: Callable[[], None] | None = None,
    wait: float = 0.0,
) -> int:
    """Count the terms of every document that needs it; returns how many were counted.

    Takes the corpus's writer lock (``wait`` seconds at most, like ``add --wait``), so counting never races an
    ``add`` that replaces the same documents.
    """
    todo = ids_needing_terms(store, TERMS_FINGERPRINT)
    if not todo:
        return 0
    if on_start is not None:
        on_start(len(todo))
    done = 0
    with store.writer_lock(wait=wait), _compound_cache(store):
        for start in range(0, len(todo), _WRITE_BATCH):
            chunk = todo[start:start + _WRITE_BATCH]
            marks = ",".join("?" * len(chunk))
            rows = []
            for doc_id, text in store.conn.execute(f"SELECT id, text FROM documents WHERE id IN ({marks})", chunk):
                counted = count_terms(text)
                rows.append((doc_id, counted.n_tokens, encode_terms(counted)))
                if on_document is not None:
                    on_document()
            done += put_term_blobs(store, rows, TERMS_FINGERPRINT)
    return done


def _compound_cache(store: Any) -> Any:
    """Borrow the corpus's compound-splitting cache (splitting a new word costs ~1 ms) and give it back; never
    creates the index folder."""
    from clustermine.pipeline.compound_store import borrowed, cache_path

    return borrowed(cache_path(store.home), create=False)


def load_term_matrix(
    store: Any,
    doc_ids: Sequence[str] | None = None,
    *,
    keys: Collection[str] | None = None,
    min_df: int = 1,
    max_df: float = 1.0,
    phrases: bool = True,
) -> TermMatrix:
    """Assemble the matrices for ``doc_ids`` (every counted document, in id order, when None).

    Call :func:`sync_terms` first; documents without current counts are left out of the rows. ``keys`` keeps
    only those term keys as columns. ``min_df``/``max_df`` keep terms that occur as words of their own in at
    least ``min_df`` documents and at most ``max_df`` of them (a share). ``phrases=False`` drops
    adjective-noun pairs.
    """
    wanted = set(keys) if keys is not None else None
    if wanted is None and (min_df > 1 or max_df < 1.0):
        wanted = _frequent_keys(store, doc_ids, min_df, max_df, phrases)
    columns: dict[str, int] = {}
    spellings: list[Counter[str]] = []
    votes: list[int] = []  # capitalised mid-sentence minus lower case, per column
    # the two matrices are built row by row in CSR form, in typed arrays (4 bytes a cell, not a Python list's
    # 8-byte pointer to an int object each, and no COO copy to convert): what bounds memory on a large corpus
    whole_m, parts_m = _RowBuilder(), _RowBuilder()
    ids: list[str] = []
    lengths = array("q")
    for doc_id, n_tokens, blob in iter_term_blobs(store, doc_ids, fingerprint=TERMS_FINGERPRINT):
        ids.append(doc_id)
        lengths.append(n_tokens)
        for key, (whole, part, cap, lower, surface) in _payload(blob).items():
            if wanted is not None and key not in wanted:
                continue
            if not phrases and " " in key:
                continue
            j = columns.get(key)
            if j is None:
                j = columns[key] = len(columns)
                spellings.append(Counter())
                votes.append(0)
            if whole:
                whole_m.add(j, whole)
            if part:
                parts_m.add(j, part)
            votes[j] += cap - lower
            if surface:
                spellings[j][surface] += whole or 1
        whole_m.end_row()
        parts_m.end_row()
    shape = (len(ids), len(columns))
    ordered = sorted(columns, key=columns.__getitem__)
    return TermMatrix(
        doc_ids=tuple(ids),
        keys=tuple(ordered),
        labels=tuple(_label(key, spellings[columns[key]]) for key in ordered),
        whole=whole_m.matrix(shape),
        parts=parts_m.matrix(shape),
        n_tokens=np.frombuffer(lengths, dtype=np.int64).copy() if lengths else np.zeros(0, dtype=np.int64),
        noun=np.asarray([" " in key or votes[columns[key]] > 0 for key in ordered], dtype=bool),
    )


class _RowBuilder:
    """A CSR matrix of int32 counts, filled one row at a time (each column at most once per row)."""

    def __init__(self) -> None:
        self.indices = array("i")
        self.data = array("i")
        self.indptr = array("q", [0])

    def add(self, column: int, value: int) -> None:
        self.indices.append(column)
        self.data.append(value)

    def end_row(self) -> None:
        self.indptr.append(len(self.indices))

    def matrix(self, shape: tuple[int, int]) -> sparse.csr_matrix:
        """The matrix, sharing the arrays' memory (no copy; the builder is done with)."""
        indptr = np.frombuffer(self.indptr, dtype=np.int64)
        if indptr[-1] < np.iinfo(np.int32).max:
            indptr = indptr.astype(np.int32)  # one entry per row: small
        indices = np.frombuffer(self.indices, dtype=np.int32) if self.indices else np.zeros(0, dtype=np.int32)
        data = np.frombuffer(self.data, dtype=np.int32) if self.data else np.zeros(0, dtype=np.int32)
        matrix = sparse.csr_matrix((data, indices, indptr), shape=shape, copy=False)
        matrix.sort_indices()
        return matrix


def _frequent_keys(
    store: Any, doc_ids: Sequence[str] | None, min_df: int, max_df: float, phrases: bool
) -> set[str]:
    df: Counter[str] = Counter()
    n_docs = 0
    for _, _, blob in iter_term_blobs(store, doc_ids, fingerprint=TERMS_FINGERPRINT):
        n_docs += 1
        df.update(key for key, values in _payload(blob).items() if values[0] and (phrases or " " not in key))
    ceiling = max_df * n_docs
    return {key for key, count in df.items() if min_df <= count <= ceiling}


def _payload(blob: bytes) -> dict[str, list[Any]]:
    return json.loads(zlib.decompress(blob))


def _label(key: str, spellings: Counter[str]) -> str:
    if not spellings:
        return key
    return min(spellings.items(), key=lambda item: (-item[1], item[0]))[0]
