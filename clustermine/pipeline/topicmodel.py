"""The topic model itself: which terms it sees, how it is fitted, how the number of topics is chosen.

**Vocabulary.** Topics are read by people, so only nouns, names and adjective–noun phrases
(``TermMatrix.noun``) are features: verbs and adjectives ("stärker", "zeigen") make topics that say nothing.
Rare terms (``min_df``) and terms in most documents (``max_df``) are pruned when the matrix is loaded. The
caller can drop more (``drop_keys``): place names (see :mod:`clustermine.pipeline.topics`) and the boilerplate
of document types (:func:`boilerplate_keys`), which otherwise become topics of their own (930 planted
documents: 15 topics instead of 5 with boilerplate, ARI 0.78 instead of 0.99).

**Compound-aware.** German packs topics into compounds: a logistics paper says "Logistikstandort",
"Logistikbranche" and "Logistikimmobilien" more often than "Logistik". Each cell therefore counts a term's
occurrences as a word of its own plus ``parts_weight`` (default 0.5) times its occurrences inside longer words,
so the compounds vote for "Logistik" without drowning the words actually written; parts do not count for terms
found (in any form) in more than ``max_df`` of the documents. Measured on planted data (``bench/eval_topics.py``,
930 documents): with parts at 0.5 the k search found the planted 5 topics, with whole words alone 6, at the same
accuracy (ARI 0.986 / 0.985); parts at 1.0 were slightly worse (0.978).

**Weighting.** NMF factorises TF-IDF: ``log(1 + count) · idf`` with the smooth idf
``log((1 + n) / (1 + df)) + 1`` and rows scaled to unit length, so long documents do not dominate and terms
in every document weigh little. LDA is a model of counts, so it gets the (weighted) counts themselves.

**Fitting.** Reproducible: a fixed ``random_state``; NMF starts from ``nndsvda`` (deterministic SVD-based
start, better than random on sparse text). Measured on a shared 2-core machine: the whole automatic NMF fit
(13 models, k = 3..15) takes 1.9 s on 930 documents and 3.5 s on 4,960 documents; LDA about 13 s and 30 s.
A document's *shares* are its topic weights scaled by the topic's total term weight and normalised to sum 1,
so a share reads as "the part of this document's vocabulary that belongs to the topic" for NMF just as it
does for LDA.

**Number of topics.** Without ``n_topics``, models for every k in ``k_range`` are fitted and each is scored by
``NPMI of the top-10 terms × topic diversity`` (see :mod:`clustermine.pipeline.coherence`), where the NPMI of
the topics is averaged weighted by topic size: the coherence of the topic an average word belongs to. An
unweighted mean is fooled by a model with one incoherent catch-all topic holding most of the corpus beside a
few small sharp ones (on the demo corpus it chose k=4 with 62 % of all words in one "Cluster, Netzwerk, Technik"
topic); diversity (distinct top terms) penalises models whose topics repeat each other's terms. The best score
wins; ties go to the smaller k.

The search always runs on NMF (``search_method``), also for LDA, which is then fitted once at the chosen k:
scikit-learn's LDA takes ~20 s per fit on 5,000 documents against ~0.3 s for NMF, so an LDA search over 13
values of k would take minutes. On 930 planted documents LDA's own search took 156 s and chose 6 topics, the
NMF search with one LDA fit 13 s and chose the planted 5.

**New documents.** The fitted state (vocabulary, idf, topic–term matrix) is plain data (:meth:`TopicModel.state`)
so a stored model can give shares to documents added after the fit without refitting (:meth:`transform`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from clustermine.errors import ClustermineError
from clustermine.pipeline.coherence import npmi_coherence, topic_diversity

__all__ = [
    "METHODS",
    "boilerplate_keys",
    "KScore",
    "TooFewDocumentsError",
    "TopicFeatures",
    "TopicModel",
    "k_candidates",
    "lda_restarts",
    "select_features",
]

METHODS: tuple[str, ...] = ("nmf", "lda")
#: Terms per topic that coherence is measured on (the usual choice in the literature).
N_COHERENCE_TERMS = 10
#: Fewest documents per topic that a model is fitted for; below it topics are single documents.
DOCS_PER_TOPIC = 5
#: The automatic search tries k in [K_MIN, K_MAX] (fewer when the corpus is small).
K_MIN = 3
K_MAX = 15
#: LDA restarts: at most this many, and documents × restarts at most the budget (see :func:`lda_restarts`).
LDA_MAX_RESTARTS = 5
LDA_RESTART_BUDGET = 4000
#: From this many documents LDA learns online instead of in batch (see :func:`lda_restarts`).
LDA_ONLINE_FROM = 2000
#: Weight of a term's own probability against its lift when LDA ranks top terms (0.6 as in LDAvis).
RELEVANCE_LAMBDA = 0.6
#: Boilerplate rule (see :func:`boilerplate_keys`): group size, share inside the group, share outside it.
BOILERPLATE_MIN_GROUP = 5
BOILERPLATE_INSIDE = 0.7
BOILERPLATE_OUTSIDE = 0.15


class TooFewDocumentsError(ClustermineError, ValueError):
    """The selection is too small (in documents or terms) for a topic model with the requested topics."""


@dataclass(frozen=True)
class TopicFeatures:
    """What a topic model is fitted on: ``counts[i, j]`` is term ``keys[j]`` in document ``doc_ids[i]`` (words
    of their own plus the weighted occurrences inside compounds); ``presence`` marks every document containing
    the term in any form (for coherence, so its scores do not depend on ``parts_weight``). ``part_weights[j]``
    is the weight that occurrences inside compounds got for term ``j`` (what new documents must be counted with).
    """

    doc_ids: tuple[str, ...]
    keys: tuple[str, ...]
    labels: tuple[str, ...]
    counts: sparse.csr_matrix
    presence: sparse.csr_matrix
    part_weights: np.ndarray

    @property
    def n_docs_with_terms(self) -> int:
        return int(np.count_nonzero(np.diff(self.counts.indptr)))


@dataclass(frozen=True)
class KScore:
    """How a model with ``k`` topics scored in the automatic search: ``coherence`` is the size-weighted mean NPMI
    of its topics, ``diversity`` the share of distinct top terms, ``score`` their product."""

    k: int
    coherence: float
    diversity: float

    @property
    def score(self) -> float:
        return self.coherence * self.diversity

    def to_dict(self) -> dict[str, Any]:
        return {"k": self.k, "coherence": round(self.coherence, 4), "diversity": round(self.diversity, 4),
                "score": round(self.score, 4)}


def select_features(
    matrix: Any,
    *,
    parts_weight: float = 0.5,
    drop_keys: Collection[str] = (),
    nouns_only: bool = True,
    max_terms: int | None = None,
    max_df: float | None = None,
) -> TopicFeatures:
    """Pick the topic-model columns from a :class:`~clustermine.pipeline.termmatrix.TermMatrix`.

    Keeps nouns and phrases (unless ``nouns_only=False``) whose key is not in ``drop_keys``; with
    ``max_terms``, only that many, those in most documents first. All rows are kept, so documents without any
    kept term still belong to the model (with no shares).

    With ``max_df``, compound parts count only for terms found (in any form) in at most that share of the
    documents: "Fläche" inside "Gewerbeflächen", "Büroflächen" and "Lagerflächen" is in nearly every document
    of a regional corpus, and its parts would make it a top term of every topic; its own word still counts.
    """
    if parts_weight < 0:
        raise ValueError(f"parts_weight must be >= 0. Got {parts_weight!r} instead.")
    dropped = set(drop_keys)
    keep = np.asarray([j for j, key in enumerate(matrix.keys)
                       if (matrix.noun[j] or not nouns_only) and key not in dropped], dtype=np.int64)
    # document frequencies from the integer counts first, so that the float matrices are only ever made for the
    # columns kept (with max_terms a small part of a large corpus's vocabulary): bounds memory
    both = matrix.whole[:, keep] + matrix.parts[:, keep]
    df = np.bincount(both.indices[both.data > 0], minlength=len(keep))
    del both
    weights = np.full(len(keep), float(parts_weight))
    if max_df is not None:
        weights[df > max_df * max(1, matrix.whole.shape[0])] = 0.0
    if max_terms is not None and len(keep) > max_terms:
        order = np.sort(np.argsort(-df, kind="stable")[:max_terms])
        keep, weights = keep[order], weights[order]
    whole = matrix.whole[:, keep].astype(np.float64)
    parts = matrix.parts[:, keep].astype(np.float64)
    presence = ((whole + parts) > 0).astype(np.float64).tocsr()
    counts = (whole + parts @ sparse.diags(weights)).tocsr()
    del whole, parts
    counts.eliminate_zeros()
    return TopicFeatures(
        doc_ids=tuple(matrix.doc_ids),
        keys=tuple(matrix.keys[j] for j in keep),
        labels=tuple(matrix.labels[j] for j in keep),
        counts=counts.tocsr(),
        presence=presence.tocsr(),
        part_weights=weights,
    )


def boilerplate_keys(
    matrix: Any,
    groups: Sequence[str],
    *,
    min_group: int = BOILERPLATE_MIN_GROUP,
    inside: float = BOILERPLATE_INSIDE,
    outside: float = BOILERPLATE_OUTSIDE,
) -> frozenset[str]:
    """Keys of terms that mark a kind of document rather than a subject: in at least ``inside`` of the
    documents of one group (a document type with at least ``min_group`` documents) and in at most ``outside``
    of the other documents.

    Council papers all say "Vorlagen-Nr", "Beratungsfolge" and "Federführung", minutes "TOP", "Uhr" and
    "Beschlussfähigkeit", project descriptions "Laufzeit" and "Projektpartner". Left in, these words make
    topics that are document types (a "TOP, Sitzung, Uhr" topic holds the minutes whatever they discuss) and
    push the automatic k up by one per type. ``groups[i]`` is the group (document type) of row ``i``.
    """
    if len(groups) != matrix.whole.shape[0]:
        raise ValueError(f"groups must have one entry per document ({matrix.whole.shape[0]}). Got {len(groups)}.")
    present = (matrix.whole + matrix.parts).tocsr()  # integers, rows picked per group: a fraction of float CSC
    present.data = (present.data > 0).astype(present.data.dtype)
    labels = np.asarray(groups, dtype=object)
    everywhere = np.asarray(present.sum(axis=0)).ravel()
    found: set[str] = set()
    for group in sorted(set(labels)):
        mask = labels == group
        n_in, n_out = int(mask.sum()), int((~mask).sum())
        if n_in < min_group or n_out == 0:
            continue
        within = np.asarray(present[mask].sum(axis=0)).ravel()
        share_in = within / n_in
        share_out = (everywhere - within) / n_out
        found.update(matrix.keys[j] for j in np.flatnonzero((share_in >= inside) & (share_out <= outside)))
    return frozenset(found)


def lda_restarts(n_docs: int) -> int:
    """How many times LDA starts from different random topics (the fit with the lowest perplexity is kept).

    scikit-learn's batch LDA often ends in a poor local optimum that merges two topics and splits another: on
    150 planted documents the adjusted Rand index of single starts ranged from 0.69 to 0.93, on 4,960 from 0.72
    to 0.94 (one good start in four). On small corpora the best of several batch starts is reliable and cheap.
    From ``LDA_ONLINE_FROM`` documents LDA learns online (mini-batches of 256), which found the topics from every
    one of four starts on 4,960 documents (ARI 0.93-0.96) but was worse than batch on 150; one start there,
    since each costs ~15 s.
    """
    if n_docs >= LDA_ONLINE_FROM:
        return 1
    return max(1, min(LDA_MAX_RESTARTS, LDA_RESTART_BUDGET // max(1, n_docs)))


def k_candidates(n_docs: int) -> range:
    """The numbers of topics the automatic search tries for ``n_docs`` documents (empty when too few)."""
    return range(K_MIN, min(K_MAX, n_docs // DOCS_PER_TOPIC) + 1)


class TopicModel:
    """NMF (default) or LDA topics with the number of topics fixed or chosen by coherence.

    The constructor only stores parameters; :meth:`fit` sets ``n_topics_``, ``components_`` (topics × terms,
    each row summing to 1), ``doc_topic_`` (documents × topics shares, rows summing to 1, or 0 for documents
    without terms), ``coherence_`` (per topic), ``k_scores_`` (every k tried; one entry when ``n_topics`` was
    given), ``idf_`` (NMF only) and ``keys_``.
    """

    def __init__(
        self,
        n_topics: int | None = None,
        *,
        method: str = "nmf",
        k_range: Sequence[int] | None = None,
        random_state: int = 0,
        max_iter: int | None = None,
        search_method: str | None = None,
    ) -> None:
        self.n_topics = n_topics
        self.method = method
        self.k_range = k_range
        self.random_state = random_state
        self.max_iter = max_iter
        self.search_method = search_method

    # -- fitting ----------------------------------------------------------------------------------------------

    def fit(
        self,
        features: TopicFeatures,
        *,
        on_start: Callable[[int], None] | None = None,
        on_step: Callable[[], None] | None = None,
    ) -> TopicModel:
        """Fit on ``features``; ``on_start(n)`` and ``on_step()`` report the k search (one step per k)."""
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}. Got {self.method!r} instead.")
        n_docs = features.n_docs_with_terms
        if self.n_topics is not None:
            if self.n_topics < 2:
                raise ValueError(f"n_topics must be at least 2. Got {self.n_topics!r} instead.")
            candidates: Sequence[int] = [self.n_topics]
            needed = DOCS_PER_TOPIC * self.n_topics
        else:
            candidates = list(self.k_range) if self.k_range is not None else list(k_candidates(n_docs))
            needed = DOCS_PER_TOPIC * (min(candidates) if candidates else K_MIN)
        if n_docs < needed or not candidates:
            n_rows = features.counts.shape[0]
            usable = f" ({n_docs} with terms that other documents share)" if n_docs < n_rows else ""
            raise TooFewDocumentsError(
                f"too few documents for a topic model: {n_rows} documents{usable}, "
                f"{needed} are needed ({DOCS_PER_TOPIC} per topic)",
                hint="add more documents, widen the selection, or ask for fewer topics with --k",
            )
        if len(features.keys) < 2 * max(candidates):
            raise TooFewDocumentsError(
                f"too few distinct terms for a topic model: {len(features.keys)} terms occur in at least two "
                f"documents, {2 * max(candidates)} are needed",
                hint="add more documents or ask for fewer topics with --k",
            )
        self.keys_ = features.keys
        self.part_weights_ = np.asarray(features.part_weights, dtype=np.float64)
        self.idf_ = _idf(features) if self.method == "nmf" else None
        totals = np.asarray(features.counts.sum(axis=0)).ravel()
        self.term_frequency_ = totals / max(float(totals.sum()), 1e-12)
        searcher = self.method if len(candidates) == 1 else (self.search_method or "nmf")
        data = {method: self._input(features, method) for method in {searcher, self.method}}
        if on_start is not None:
            on_start(len(candidates) + (searcher != self.method))
        best: tuple[KScore, tuple[np.ndarray, np.ndarray, float | None], np.ndarray] | None = None
        scores = []
        for k in candidates:
            shares, raw, prior = self._fit_k(data[searcher], k, searcher)
            top = _top_columns(self._ranking(raw, searcher), N_COHERENCE_TERMS)
            coherence = npmi_coherence(features.presence, top)
            entry = KScore(k, _weighted_mean(coherence, shares), topic_diversity(top))
            scores.append(entry)
            if best is None or entry.score > best[0].score + 1e-9:
                best = (entry, (shares, raw, prior), coherence)
            if on_step is not None:
                on_step()
        assert best is not None
        chosen, (shares, raw, prior), coherence = best
        if searcher != self.method:  # the k search ran on the fast method; fit the asked one at the chosen k
            shares, raw, prior = self._fit_k(data[self.method], chosen.k, self.method)
            coherence = npmi_coherence(features.presence,
                                       _top_columns(self._ranking(raw, self.method), N_COHERENCE_TERMS))
            if on_step is not None:
                on_step()
        self.n_topics_ = chosen.k
        self.k_scores_ = tuple(scores)
        self.raw_components_ = raw
        self.doc_topic_prior_ = prior
        self.components_ = _normalise_rows(raw)
        self.doc_topic_ = shares
        self.coherence_ = coherence
        return self

    def _input(self, features: TopicFeatures, method: str) -> sparse.csr_matrix:
        return features.counts if method == "lda" else _tfidf(features.counts, _idf(features))

    def _fit_k(self, data: sparse.csr_matrix, k: int, method: str) -> tuple[np.ndarray, np.ndarray, float | None]:
        """(document shares, topic-term matrix, LDA document-topic prior) of a model with ``k`` topics."""
        if method == "nmf":
            from sklearn.decomposition import NMF
            from sklearn.exceptions import ConvergenceWarning

            nmf = NMF(n_components=k, init="nndsvda", random_state=self.random_state,
                      max_iter=self.max_iter or 400, tol=1e-4)
            with warnings.catch_warnings():  # the best of 400 iterations is good enough; no console noise
                warnings.simplefilter("ignore", category=ConvergenceWarning)
                weights = nmf.fit_transform(data)
            return _nmf_shares(weights, nmf.components_), nmf.components_, None
        from sklearn.decomposition import LatentDirichletAllocation

        online = data.shape[0] >= LDA_ONLINE_FROM
        best: tuple[float, np.ndarray, Any] | None = None
        for restart in range(lda_restarts(data.shape[0])):
            lda = LatentDirichletAllocation(
                n_components=k, learning_method="online" if online else "batch", batch_size=256,
                learning_offset=10.0, random_state=self.random_state + restart,
                max_iter=self.max_iter or (10 if online else 15), max_doc_update_iter=50, evaluate_every=-1)
            shares = lda.fit_transform(data)
            if best is None or lda.bound_ < best[0]:  # bound_: the final perplexity on the documents
                best = (float(lda.bound_), shares, lda)
        assert best is not None
        _, shares, lda = best
        shares[np.asarray(data.sum(axis=1)).ravel() == 0] = 0.0  # LDA gives empty documents the prior
        return shares, lda.components_, float(lda.doc_topic_prior_)

    # -- using a fitted model ---------------------------------------------------------------------------------

    def top_terms(self, n: int = 10) -> list[list[tuple[int, float]]]:
        """Each topic's ``n`` top terms as (column, weight); weights are the topic's term distribution (summing to
        1 over all terms). NMF ranks by weight; LDA by relevance (see :meth:`_ranking`)."""
        ranked = _top_columns(self._ranking(self.components_, self.method), n)
        return [[(int(j), float(row[j])) for j in cols] for row, cols in zip(self.components_, ranked, strict=True)]

    def _ranking(self, components: np.ndarray, method: str) -> np.ndarray:
        """What top terms are ranked by. NMF: the weights (TF-IDF already discounts terms found everywhere).
        LDA on raw counts puts frequent general words ("Fläche", "Bericht") at the top of every topic, so its
        terms are ranked by relevance ``λ·log p(w|t) + (1 − λ)·log(p(w|t) / p(w))`` with λ = 0.6 (Sievert and
        Shirley's LDAvis measure), which keeps a topic's frequent words but prefers those typical of it."""
        if method == "nmf":
            return components
        topic_word = _normalise_rows(components)
        with np.errstate(divide="ignore"):
            logs = np.log(topic_word)
            lift = logs - np.log(np.maximum(self.term_frequency_, 1e-12))[None, :]
        relevance = RELEVANCE_LAMBDA * logs + (1 - RELEVANCE_LAMBDA) * lift
        relevance[topic_word <= 0] = -np.inf
        return relevance - relevance[np.isfinite(relevance)].min() + 1.0 if np.isfinite(relevance).any() else \
            topic_word

    def state(self) -> dict[str, Any]:
        """The fitted model as plain data (lists and numbers), enough for :meth:`from_state` and transform."""
        state: dict[str, Any] = {"method": self.method, "n_topics": self.n_topics_, "keys": list(self.keys_),
                                 "part_weights": [float(w) for w in self.part_weights_]}
        state["components"] = [_sparse_row(row) for row in self.raw_components_]
        if self.method == "nmf":
            state["idf"] = [float(f"{v:.6g}") for v in self.idf_]
        else:
            state["doc_topic_prior"] = self.doc_topic_prior_
        return state

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> TopicModel:
        """A model that can :meth:`transform` (not refit) from :meth:`state` data."""
        model = cls(state["n_topics"], method=state["method"])
        model.n_topics_ = int(state["n_topics"])
        model.keys_ = tuple(state["keys"])
        model.part_weights_ = np.asarray(state["part_weights"], dtype=np.float64)
        dense = np.zeros((model.n_topics_, len(model.keys_)))
        for t, row in enumerate(state["components"]):
            dense[t, row["i"]] = row["w"]
        model.raw_components_ = dense
        model.components_ = _normalise_rows(dense)
        model.idf_ = np.asarray(state["idf"], dtype=np.float64) if model.method == "nmf" else None
        model.doc_topic_prior_ = state.get("doc_topic_prior")
        return model

    def transform(self, counts: sparse.csr_matrix) -> np.ndarray:
        """Topic shares of documents given as counts over ``keys_`` (columns in the same order)."""
        counts = sparse.csr_matrix(counts, dtype=np.float64)
        if self.method == "nmf":
            from sklearn.decomposition import non_negative_factorization

            data = _tfidf(counts, self.idf_)
            weights, _, _ = non_negative_factorization(
                data, H=self.raw_components_, n_components=self.n_topics_, update_H=False, max_iter=400,
                random_state=self.random_state)
            return _nmf_shares(weights, self.raw_components_)
        return _lda_fold_in(counts, self.raw_components_, float(self.doc_topic_prior_))


# -- helpers ---------------------------------------------------------------------------------------------------


def _weighted_mean(coherence: np.ndarray, shares: np.ndarray) -> float:
    """Coherence of the topic an average word of the corpus belongs to: per-topic scores weighted by size."""
    sizes = shares.sum(axis=0)
    total = float(sizes.sum())
    return float(coherence.mean()) if total == 0 else float((coherence * sizes).sum() / total)


def _idf(features: TopicFeatures) -> np.ndarray:
    df = np.asarray(features.presence.sum(axis=0)).ravel()
    return np.log((1.0 + features.counts.shape[0]) / (1.0 + df)) + 1.0


def _tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    data = counts.copy().astype(np.float64)
    data.data = np.log1p(data.data)
    data = data @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(data.multiply(data).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ data)


def _nmf_shares(weights: np.ndarray, components: np.ndarray) -> np.ndarray:
    mass = weights * components.sum(axis=1)[None, :]
    return _normalise_rows(mass)


def _normalise_rows(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    totals = values.sum(axis=1, keepdims=True)
    totals[totals == 0] = 1.0
    return values / totals


def _top_columns(components: np.ndarray, n: int) -> list[list[int]]:
    out = []
    for row in components:
        order = np.argsort(-row, kind="stable")[:n]
        out.append([int(j) for j in order if row[j] > 0])
    return out


def _sparse_row(row: np.ndarray, *, relative: float = 1e-5) -> dict[str, list[Any]]:
    """A topic-term row as its non-negligible entries, rounded to 5 significant digits (small JSON)."""
    cutoff = float(row.max()) * relative if row.size else 0.0
    idx = np.flatnonzero(row > cutoff)
    return {"i": [int(i) for i in idx], "w": [float(f"{row[i]:.5g}") for i in idx]}


def _lda_fold_in(counts: sparse.csr_matrix, topic_word: np.ndarray, prior: float, iterations: int = 100) -> np.ndarray:
    """Variational E-step of LDA for new documents with the topics held fixed (what LDA's transform does)."""
    from scipy.special import digamma

    exp_beta = np.exp(digamma(topic_word) - digamma(topic_word.sum(axis=1))[:, None])  # topics × terms
    shares = np.zeros((counts.shape[0], topic_word.shape[0]))
    for i in range(counts.shape[0]):
        start, end = counts.indptr[i], counts.indptr[i + 1]
        if start == end:
            continue
        cols, cnts = counts.indices[start:end], counts.data[start:end]
        beta = exp_beta[:, cols]
        gamma = np.ones(topic_word.shape[0])
        exp_theta = np.exp(digamma(gamma) - digamma(gamma.sum()))
        for _ in range(iterations):
            norm = exp_theta @ beta + 1e-100
            new_gamma = prior + exp_theta * (beta @ (cnts / norm))
            exp_theta = np.exp(digamma(new_gamma) - digamma(new_gamma.sum()))
            done = np.abs(new_gamma - gamma).mean() < 1e-3
            gamma = new_gamma
            if done:
                break
        shares[i] = gamma / gamma.sum()
    return shares
