"""Keyword in context: every occurrence of a term in its sentence, across the selection, oldest first.

A trend says *that* a word rose; the concordance lets a researcher read *how* it was used. It finds exactly
what the trend counted, because each candidate word is analysed by the same function that made the stored counts
(:func:`clustermine.pipeline.terms.count_terms`): inflected forms and umlaut spellings meet, and occurrences
inside compounds are found by the same compound splitting. Each line is marked:

- ``exact``: the word as typed (ignoring case and umlaut spelling);
- ``form``: another form of the word ("Clustern" for "Cluster"), or for a prefix ("Cluster*") another word
  that begins with it;
- ``compound``: inside a longer word ("Clusterpolitik" for "Cluster"); left out with ``compounds=False``.

Only documents whose stored counts contain the term are read, so a concordance of a rare word in a large corpus
reads few texts; the total is known from the counts before any text is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from clustermine.pipeline.trends import (
    EmptySelectionError,
    TermSpec,
    check_found,
    document_meta,
    parse_term,
    resolve_terms,
)

__all__ = ["ConcordanceLine", "ConcordanceResult", "clean_text", "concordance", "find_occurrences"]

#: A word as ``pipeline.terms`` sees it: letters and digits, hyphenated parts joined.
_WORD = re.compile(r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)*")
_SPACE = re.compile(r"\s+")
_CLEAN = str.maketrans({"\u00ad": None, "\u200b": None})

EXACT, FORM, COMPOUND = "exact", "form", "compound"


@dataclass(frozen=True)
class ConcordanceLine:
    """One occurrence: the document, the ``match`` (the whole word, also for a compound), ``left``/``right``
    context (whitespace collapsed) and ``start``/``end`` character offsets into the document text (as
    :func:`clean_text` returns it: the stored text unless it has soft hyphens)."""

    doc_id: str
    date: str | None
    doctype: str
    title: str | None
    left: str
    match: str
    right: str
    kind: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ConcordanceResult:
    """The lines shown (at most ``limit``), with how many occurrences and documents the selection has."""

    term: TermSpec
    lines: tuple[ConcordanceLine, ...]
    total: int
    docs: int
    compounds: bool
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "term": self.term.text,
            "key": self.term.key,
            "kind": self.term.kind,
            "keys": list(self.term.keys),
            "compounds": self.compounds,
            "total": self.total,
            "docs": self.docs,
            "shown": len(self.lines),
            "lines": [line.to_dict() for line in self.lines],
        }


def find_occurrences(text: str, spec: TermSpec, *, compounds: bool = True) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of every occurrence of the resolved term ``spec`` in ``text``, in text order.

    Pass the text with soft hyphens removed (``clean_text``), as the counting saw it."""
    from clustermine.index.wordforms import fold
    from clustermine.pipeline.terms import count_terms

    keys = set(spec.keys)
    typed = fold(spec.text.rstrip("*"))
    memo: dict[str, str | None] = {}

    def kind_of(word: str) -> str | None:
        found = memo.get(word, "")
        if found != "":
            return found
        result = None
        for key, counts in count_terms(word).terms.items():
            if key not in keys:
                continue
            if counts.whole:
                result = EXACT if fold(word.replace("-", "")) == typed.replace("-", "") else FORM
                break
            if counts.part and compounds and spec.counts_compounds:
                result = COMPOUND
        memo[word] = result
        return result

    if spec.kind == "phrase":
        words = list(_WORD.finditer(text))
        for first, second in zip(words, words[1:], strict=False):
            between = text[first.end():second.start()]
            if between.strip() or between.count("\n") > 1:
                continue
            pair = text[first.start():second.end()]
            counted = count_terms(pair).terms.get(spec.key)
            if counted is not None and counted.whole:
                kind = EXACT if fold(_SPACE.sub(" ", pair)) == fold(spec.text) else FORM
                yield first.start(), second.end(), kind
        return
    for match in _WORD.finditer(text):
        kind = kind_of(match.group())
        if kind is not None:
            yield match.start(), match.end(), kind


def concordance(
    store: Any,
    term: str,
    *,
    doc_ids: Sequence[str] | None = None,
    width: int = 60,
    limit: int = 50,
    compounds: bool = True,
) -> ConcordanceResult:
    """Occurrences of ``term`` in the documents ``doc_ids`` (all when None), sorted by date (undated last), at
    most ``limit`` lines with ``width`` characters of context on each side. Call ``sync_terms`` first.

    Raises the errors of :func:`~clustermine.pipeline.trends.parse_term` and
    :func:`~clustermine.pipeline.trends.check_found`, and :class:`EmptySelectionError` for an empty selection.
    """
    import numpy as np

    from clustermine.pipeline.termmatrix import _compound_cache, load_term_matrix

    if width < 1 or limit < 1:
        raise ValueError(f"width and limit must be at least 1. Got {width} and {limit} instead.")
    spec = parse_term(term)
    if doc_ids is not None and not doc_ids:
        raise EmptySelectionError("the query and filters select no document",
                                  hint="check the query with 'clustermine search', or loosen the filters")
    matrix = load_term_matrix(store, doc_ids, keys=None if spec.kind == "prefix" else {spec.key})
    if not matrix.doc_ids:
        raise EmptySelectionError("no selected document has term counts yet",
                                  hint="add documents first ('clustermine add FOLDER')")
    (spec,) = resolve_terms([spec], matrix.keys)
    notes = tuple(check_found(store, [spec]))
    columns = [j for j in (matrix.column(k) for k in spec.keys) if j is not None]
    per_doc = np.asarray(matrix.whole[:, columns].sum(axis=1)).ravel() if columns else np.zeros(len(matrix.doc_ids))
    if compounds and spec.counts_compounds and columns:
        per_doc = per_doc + np.asarray(matrix.parts[:, columns].sum(axis=1)).ravel()
    rows = np.flatnonzero(per_doc > 0)
    meta = document_meta(store, [matrix.doc_ids[i] for i in rows])
    order = sorted(range(len(rows)), key=lambda i: (meta.date[i] is None, meta.date[i] or "", meta.doc_ids[i]))
    lines: list[ConcordanceLine] = []
    with _compound_cache(store):
        _collect(store, spec, meta, order, lines, width=width, limit=limit, compounds=compounds)
    return ConcordanceResult(spec, tuple(lines), int(per_doc.sum()), int(rows.size), compounds, notes)


def _collect(store: Any, spec: TermSpec, meta: Any, order: Sequence[int], lines: list[ConcordanceLine], *,
             width: int, limit: int, compounds: bool) -> None:
    for i in order:
        if len(lines) >= limit:
            break
        doc_id = meta.doc_ids[i]
        text, title = store.conn.execute("SELECT text, title FROM documents WHERE id = ?", (doc_id,)).fetchone()
        text = clean_text(text)
        for start, end, kind in find_occurrences(text, spec, compounds=compounds):
            lines.append(ConcordanceLine(
                doc_id=doc_id,
                date=meta.date[i],
                doctype=meta.doctype[i],
                title=title,
                left=_context(text[max(0, start - 3 * width):start], width, left=True),
                match=_SPACE.sub(" ", text[start:end]),
                right=_context(text[end:end + 3 * width], width, left=False),
                kind=kind,
                start=start,
                end=end,
            ))
            if len(lines) >= limit:
                break


def clean_text(text: str) -> str:
    """The text as term counting reads it: soft hyphens and zero-width spaces removed (offsets refer to this)."""
    return text.translate(_CLEAN)


def _context(text: str, width: int, *, left: bool) -> str:
    flat = _SPACE.sub(" ", text)
    return flat[-width:] if left else flat[:width]
