"""Emerging and fading terms between periods: weighted log-odds ratios with an informative Dirichlet prior.

Why this statistic (Monroe, Colaresi & Quinn 2008, "Fightin' Words"): comparing raw frequencies lets rare words
top every list (1 → 3 occurrences is "+200 %"), and plain log-odds ratios do the same. The informative
Dirichlet prior adds to every term pseudo-counts in proportion to its frequency in the whole selection, which
shrinks the estimate of rare terms towards "no change"; dividing by the estimate's standard error gives a
z-score that ranks a term by how sure the change is, not only how large. For term *w*, period *i* and the
period before it *j*::

    δ_w = log((y_wi + α_w) / (n_i + α_0 − y_wi − α_w)) − log((y_wj + α_w) / (n_j + α_0 − y_wj − α_w))
    σ²_w ≈ 1 / (y_wi + α_w) + 1 / (y_wj + α_w)          z_w = δ_w / σ_w

with *y* the term's count, *n* the count of all terms compared, and the prior α_w = α_0 · (the term's share of
all counts in the selection). α_0, the prior's total weight, is the mean size of a period (``prior_weight=1``):
strong enough to quiet one-document flukes, weak enough that a term rising from nothing stands out.

Choices, all made so the list reads as "what changed in the language of the field":

- counts are **whole words** (a word on its own; "Cluster" in "Clusterpolitik" is not counted for "Cluster",
  the compound counts for itself) of **nouns, names and adjective–noun phrases** (``TermMatrix.noun``);
  ``all_words=True`` takes every word;
- each period is compared with **the period before it**. The first period has none, so it lists the terms most
  **characteristic** of it against all later periods together (direction ``characteristic``) — what the
  later periods moved away from;
- **place names are left out** by default (``keep_places=False``): in a regional corpus "Düren" rises because
  documents about Düren were added, which says who wrote, not how they wrote; the same region names as the
  topic model drops (:func:`clustermine.pipeline.topics.place_keys`);
- a rising term needs ``min_count`` occurrences in ``min_docs`` documents of the later period (a falling one in
  the earlier period), so one long report cannot top the list;
- a term is **new** in a period when no selected document dated before the period's start uses it (whole or
  inside compounds: a term long present inside compounds is no new word) and it meets the same minimum.

Everything is computed on the sparse document × term matrices with numpy: periods × terms sums, then vector
arithmetic over the vocabulary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from clustermine.pipeline.trends import DocMeta, EmptySelectionError, document_meta, period_label

__all__ = ["EmergingResult", "EmergingRow", "PeriodInfo", "compute_emerging", "default_periods", "emerging_terms",
           "log_odds_z"]

RISING, FALLING, CHARACTERISTIC = "rising", "falling", "characteristic"


@dataclass(frozen=True)
class EmergingRow:
    """One term in one period (a row of ``trends --emerging --json``; see the README for each field)."""

    term: str
    key: str
    period: str
    direction: str
    z: float
    count: int
    count_before: int | None
    per_10k: float
    per_10k_before: float | None
    delta: float | None
    docs: int
    docs_in_period: int
    new: bool
    compared_with: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PeriodInfo:
    """A period as compared: its label and years, how many documents and words it has, what it is compared with."""

    label: str
    start: int
    end: int
    docs: int
    tokens: int
    compared_with: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class EmergingResult:
    """Rows per period (rising, falling, new; characteristic for the first) plus the settings used."""

    periods: tuple[PeriodInfo, ...]
    rows: tuple[EmergingRow, ...]
    settings: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def log_odds_z(y_i: Any, y_j: Any, prior: Any, n_i: float, n_j: float) -> tuple[Any, Any]:
    """Weighted log-odds ratio δ of period i vs. j and its z-score for every term (numpy arrays of counts and
    the prior's pseudo-counts α_w; ``n_*`` are the periods' total counts). Vectorised; see the module doc."""
    import numpy as np

    alpha0 = float(prior.sum())
    a_i = y_i + prior
    a_j = y_j + prior
    delta = np.log(a_i / (n_i + alpha0 - a_i)) - np.log(a_j / (n_j + alpha0 - a_j))
    z = delta / np.sqrt(1.0 / a_i + 1.0 / a_j)
    return delta, z


def default_periods(meta: DocMeta, n: int = 3) -> list[tuple[int, int]]:
    """``n`` periods of (nearly) equal length over the years of the dated documents."""

    dated = meta.year[meta.year >= 0]
    if not dated.size:
        return []
    first, last = int(dated.min()), int(dated.max())
    span = last - first + 1
    n = max(1, min(n, span))
    bounds = [first + round(k * span / n) for k in range(n + 1)]
    return [(bounds[k], bounds[k + 1] - 1) for k in range(n) if bounds[k + 1] > bounds[k]]


def emerging_terms(
    matrix: Any,
    meta: DocMeta,
    periods: Sequence[tuple[int, int]],
    *,
    top: int = 20,
    min_count: int = 5,
    min_docs: int = 2,
    all_words: bool = False,
    keep_places: bool = False,
    prior_weight: float = 1.0,
) -> EmergingResult:
    """Rising, falling and new terms of each period against the one before (see the module doc).

    ``matrix`` is a :class:`~clustermine.pipeline.termmatrix.TermMatrix` and ``meta`` its rows' dates
    (:func:`~clustermine.pipeline.trends.document_meta`). Returns up to ``top`` rising, ``top`` falling and
    ``top`` new terms per period (a term in several lists is one row).
    """
    import numpy as np
    from scipy import sparse

    if len(periods) < 2:
        raise EmptySelectionError("emerging terms need at least two periods to compare",
                                  hint="give --periods 1995-2005,2006-2015,2016-2025 or a longer year range")
    n_docs = len(meta.doc_ids)
    keep = np.ones(len(matrix.keys), dtype=bool) if all_words else np.asarray(matrix.noun, dtype=bool)
    if not keep_places:
        from clustermine.pipeline.topics import place_keys

        places = place_keys(matrix.keys, matrix.labels)
        if places:
            keep &= ~np.isin(np.asarray(matrix.keys, dtype=object), np.asarray(sorted(places), dtype=object))
    columns = np.flatnonzero(keep)
    whole = matrix.whole[:, columns].tocsr()
    seen = (matrix.whole + matrix.parts)[:, columns].tocsr()
    keys = np.asarray(matrix.keys, dtype=object)[columns]
    labels = np.asarray(matrix.labels, dtype=object)[columns]

    def indicator(rows_mask: Any) -> Any:
        rows = np.flatnonzero(rows_mask)
        return sparse.csr_matrix((np.ones(rows.size), (np.zeros(rows.size, dtype=np.int64), rows)),
                                 shape=(1, n_docs))

    masks = [(meta.year >= a) & (meta.year <= b) for a, b in periods]
    member = sparse.vstack([indicator(m) for m in masks]).tocsr()  # periods × docs
    counts = np.asarray((member @ whole).todense(), dtype=np.float64)  # periods × terms
    docs = np.asarray((member @ (whole > 0).astype(np.float64)).todense())
    tokens = np.asarray(member @ matrix.n_tokens.astype(np.float64)).ravel()
    n_in = np.asarray(member.sum(axis=1)).ravel().astype(int)
    empty = [period_label(*p) for p, n in zip(periods, n_in, strict=True) if n == 0]
    if empty:
        raise EmptySelectionError(f"no selected document is dated in {', '.join(empty)}",
                                  hint="choose periods that contain documents (see 'clustermine stats')")
    before = sparse.vstack([indicator((meta.year >= 0) & (meta.year < a)) for a, _ in periods]).tocsr()
    seen_before = np.asarray((before @ seen).todense()) > 0
    background = counts.sum(axis=0)
    used = background > 0  # keys seen only inside compounds, or only outside the periods, have nothing to compare
    counts, docs, seen_before = counts[:, used], docs[:, used], seen_before[:, used]
    keys, labels, background = keys[used], labels[used], background[used]
    alpha0 = prior_weight * background.sum() / len(periods)
    prior = alpha0 * background / max(background.sum(), 1.0)
    totals = counts.sum(axis=1)

    labels_p = [period_label(*p) for p in periods]
    infos: list[PeriodInfo] = []
    rows: list[EmergingRow] = []
    for p in range(len(periods)):
        if p == 0:  # no predecessor: characteristic against all later periods together
            other = counts[1:].sum(axis=0)
            n_other, other_docs, other_tokens = totals[1:].sum(), docs[1:].sum(axis=0), tokens[1:].sum()
            compared = f"{labels_p[1]}…{labels_p[-1]}" if len(periods) > 2 else labels_p[1]
        else:
            other, n_other, other_docs, other_tokens = counts[p - 1], totals[p - 1], docs[p - 1], tokens[p - 1]
            compared = labels_p[p - 1]
        infos.append(PeriodInfo(labels_p[p], periods[p][0], periods[p][1], int(n_in[p]), int(tokens[p]),
                                compared))
        _, z = log_odds_z(counts[p], other, prior, totals[p], n_other)
        up = (counts[p] >= min_count) & (docs[p] >= min_docs) & (z > 0)
        down = (other >= min_count) & (other_docs >= min_docs) & (z < 0)
        new = up & ~seen_before[p] if p > 0 else np.zeros_like(up)
        chosen: dict[int, str] = {}
        for j in _top(z, up, top, descending=True):
            chosen[j] = RISING if p else CHARACTERISTIC
        if p > 0:
            for j in _top(z, down, top, descending=False):
                chosen[j] = FALLING
            for j in _top(z, new, top, descending=True):
                chosen.setdefault(j, RISING)
        rate = counts[p] / tokens[p] * 10_000 if tokens[p] else np.zeros_like(counts[p])
        rate_before = other / other_tokens * 10_000 if other_tokens else np.zeros_like(other)
        for j, direction in chosen.items():
            rows.append(EmergingRow(
                term=str(labels[j]),
                key=str(keys[j]),
                period=labels_p[p],
                direction=direction,
                z=round(float(z[j]), 3),
                count=int(counts[p, j]),
                count_before=int(other[j]) if p else None,
                per_10k=round(float(rate[j]), 3),
                per_10k_before=round(float(rate_before[j]), 3) if p else None,
                delta=round(float(rate[j] - rate_before[j]), 3) if p else None,
                docs=int(docs[p, j]),
                docs_in_period=int(n_in[p]),
                new=bool(new[j]),
                compared_with=compared,
            ))
    order = {RISING: 0, CHARACTERISTIC: 0, FALLING: 1}
    rows.sort(key=lambda r: (labels_p.index(r.period), order[r.direction], -abs(r.z), r.term))
    settings = {"min_count": min_count, "min_docs": min_docs, "all_words": all_words, "keep_places": keep_places,
                "top": top, "prior_weight": prior_weight, "counts": "whole words"}
    return EmergingResult(tuple(infos), tuple(rows), settings)


def _top(z: Any, mask: Any, n: int, *, descending: bool) -> list[int]:
    import numpy as np

    candidates = np.flatnonzero(mask)
    if not candidates.size:
        return []
    values = -z[candidates] if descending else z[candidates]
    order = np.argsort(values, kind="stable")[:n]
    return candidates[order].tolist()


def compute_emerging(
    store: Any,
    *,
    doc_ids: Sequence[str] | None = None,
    periods: Sequence[tuple[int, int]] | None = None,
    n_periods: int = 3,
    top: int = 20,
    min_count: int = 5,
    min_docs: int = 2,
    all_words: bool = False,
    keep_places: bool = False,
) -> EmergingResult:
    """Load the term matrix of the selection (all counted documents when ``doc_ids`` is None) and run
    :func:`emerging_terms`; without ``periods``, ``n_periods`` equal periods over the selection's years."""
    from clustermine.pipeline.termmatrix import load_term_matrix

    if doc_ids is not None and not doc_ids:
        raise EmptySelectionError("the query and filters select no document",
                                  hint="check the query with 'clustermine search', or loosen the filters")
    matrix = load_term_matrix(store, doc_ids)
    if not matrix.doc_ids:
        raise EmptySelectionError("no selected document has term counts yet",
                                  hint="add documents first ('clustermine add FOLDER')")
    meta = document_meta(store, matrix.doc_ids)
    notes = []
    chosen = list(periods) if periods else default_periods(meta, n_periods)
    if not periods and chosen:
        notes.append("Periods: " + ", ".join(period_label(*p) for p in chosen)
                     + " (equal spans of the years; choose with --periods).")
    undated = int((meta.year < 0).sum())
    if undated:
        notes.append(f"{undated} undated document{'s are' if undated != 1 else ' is'} left out.")
    result = emerging_terms(matrix, meta, chosen, top=top, min_count=min_count, min_docs=min_docs,
                            all_words=all_words, keep_places=keep_places)
    return EmergingResult(result.periods, result.rows, result.settings, tuple(notes))
