"""How well the top terms of a topic belong together, measured on the corpus itself.

A topic is useful to a researcher when its top terms turn up *in the same documents*: "Hafen",
"Güterverkehr" and "Logistik" do, "Hafen", "Pflege" and "Solar" do not. The score here is the normalised
pointwise mutual information (NPMI) of every pair of a topic's top terms, with probabilities taken from the
binary document × term matrix (does the document contain the term at all):

    NPMI(a, b) = log(P(a, b) / (P(a) P(b))) / -log P(a, b)

NPMI lies in [-1, 1] whatever the corpus size (1: the terms always occur together; 0: independent; -1: never
together), so scores of models with different numbers of topics can be compared, which is what choosing the
number of topics needs. A pair that never co-occurs scores -1 rather than minus infinity. UMass, the other
common document-based measure, is unbounded and depends on term frequency, which makes it worse at comparing
models of different size.

Coherence alone rewards many small topics whose top terms come from two or three documents each (and
repeated terms across topics), so :func:`topic_diversity` measures how many distinct terms the topics' top
lists hold; the k search in :mod:`clustermine.pipeline.topicmodel` combines both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["npmi_coherence", "topic_diversity"]


def npmi_coherence(presence: Any, top_terms: Sequence[Sequence[int]]) -> np.ndarray:
    """Mean NPMI over all pairs of each topic's top terms; one score per topic.

    ``presence`` is a documents × terms matrix (sparse or dense) whose non-zero cells mean "the document holds
    the term"; ``top_terms[t]`` are the column numbers of topic ``t``'s top terms. A topic with fewer than two
    terms scores 0.
    """
    from scipy import sparse

    n_docs = presence.shape[0]
    columns = sorted({int(j) for terms in top_terms for j in terms})
    if n_docs == 0 or not columns:
        return np.zeros(len(top_terms))
    where = {j: i for i, j in enumerate(columns)}
    sub = sparse.csc_matrix(presence)[:, columns]
    sub = (sub > 0).astype(np.float64)
    together = np.asarray((sub.T @ sub).todense()) / n_docs  # P(a, b); the diagonal is P(a)
    alone = np.diag(together).copy()
    scores = np.zeros(len(top_terms))
    for t, terms in enumerate(top_terms):
        idx = [where[int(j)] for j in terms]
        if len(idx) < 2:
            continue
        a, b = np.triu_indices(len(idx), k=1)
        joint = together[np.asarray(idx)[a], np.asarray(idx)[b]]
        expected = alone[np.asarray(idx)[a]] * alone[np.asarray(idx)[b]]
        values = np.full(joint.shape, -1.0)
        seen = joint > 0
        values[seen] = np.log(joint[seen] / expected[seen]) / -np.log(joint[seen])
        values[seen & (joint >= 1.0)] = 1.0  # both terms in every document: log(1) / -log(1) is 0 / 0
        scores[t] = float(values.mean())
    return scores


def topic_diversity(top_terms: Sequence[Sequence[int]]) -> float:
    """The share of distinct terms among all topics' top terms: 1.0 when no two topics share a top term."""
    total = sum(len(terms) for terms in top_terms)
    if total == 0:
        return 0.0
    return len({int(j) for terms in top_terms for j in terms}) / total
