"""Topics of a corpus: fit a model, keep it in the corpus, and answer questions with it.

The facade for the ``topics`` command and for Python users::

    from clustermine.pipeline.topics import TopicSettings, fit_topics, load_topics
    model = fit_topics(store, TopicSettings(n_topics=8))       # counts terms if needed, fits, stores
    model = load_topics(store)                                  # the stored model (None before the first fit)

Decisions (measured in ``bench/eval_topics.py``, numbers in the README):

- **One current model per corpus**, stored with its settings, the list of documents it was fitted on and a
  fingerprint of both plus the counting rules. A refit replaces it. Documents added later are not silently
  folded in: the command says how many are new and asks for ``--refit``, because shares from a refit and shares
  from a fold-in are not the same thing. Still, the fitted state (vocabulary, idf, topic–term matrix) is kept
  in the model so that a single new document can be given shares on request (:func:`document_topics`)
  without a refit.
- **Place names are left out by default.** In regional corpora "Dortmund", "NRW" or "Ruhrgebiet" occur in
  most documents about one place whatever their subject, so topics turn into places: on the demo corpus with
  place names kept, 12 of 13 topic labels hold one ("Emscher-Lippe, Emscher, Gelsenkirchen", "Lausitz, Cottbus,
  Lausitzer", "Mettmann, Velbert, Heiligenhaus"); without them the labels name subjects. On the generated corpus,
  whose place names are scattered at random, keeping them cost little (ARI 0.978 against 0.986), so dropping
  them is safe where they do not matter and helps where they do. Region names of the gazetteer
  (:func:`place_keys`) are dropped unless ``keep_places`` is set; region names that are everyday words in
  economic texts stay (the gazetteer marks Lage, Löhne, Norden as "very frequent"; ``_EVERYDAY_NAMES``), and so
  do words that only share a stem with a place ("eng" is not Enger).
- **Boilerplate is left out by default** (``keep_boilerplate`` keeps it): see
  :func:`~clustermine.pipeline.topicmodel.boilerplate_keys`.
- **Topics are numbered by size**: topic 1 has the largest mean share over the documents.
- **Labels** are the first three distinct top terms, where a term is not distinct from one already chosen when
  it is the same word ("Logistik" twice) or a phrase containing it ("regionale Wirtschaftsförderung" after
  "Wirtschaftsförderung"); compounds stay ("Cluster" and "Clustermanagement" are different words).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any

from clustermine.errors import ClustermineError
from clustermine.pipeline.topicmodel import METHODS, TopicModel

__all__ = [
    "DocumentTopics",
    "ModelStatus",
    "StoredModel",
    "Topic",
    "TopicSettings",
    "TopicTerm",
    "YearlyPrevalence",
    "document_topics",
    "fit_topics",
    "load_topics",
    "model_status",
    "place_keys",
    "prevalence_by_year",
    "topic_label",
]

#: Bump when the stored model's JSON changes shape; older models are then refitted.
MODEL_FORMAT = 1
#: Terms stored per topic, and representative documents per topic.
N_TERMS = 15
N_DOCUMENTS = 5
#: Shares below this are not stored (they would only be rounding noise in sums and means).
MIN_STORED_SHARE = 0.001
#: Gazetteer notes marking region names that are also everyday words in economic texts (kept as terms).
_EVERYDAY_WORD = re.compile(r"very frequent")


class TopicModelError(ClustermineError):
    """A stored topic model that cannot be used as asked."""


@dataclass(frozen=True)
class TopicSettings:
    """Everything that decides which model is fitted. Two models with equal settings on the same documents are
    the same model (fixed seed), which is what lets ``topics`` show the stored one instead of refitting.

    ``query`` and ``filters`` record the selection the model was fitted on (``filters`` holds the values of the
    ``search`` filter options by their parameter names, e.g. ``{"doctypes": ["council_paper"]}``), so a refit
    selects again with the same criteria; the caller turns them into document ids."""

    method: str = "nmf"
    n_topics: int | None = None
    keep_places: bool = False
    keep_boilerplate: bool = False
    parts_weight: float = 0.5
    min_df: int = 2
    max_df: float = 0.5
    max_terms: int = 10000
    seed: int = 0
    search_method: str = "nmf"
    query: str | None = None
    filters: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("method", "search_method"):
            if getattr(self, name) not in METHODS:
                raise ValueError(f"{name} must be one of {', '.join(METHODS)}. Got {getattr(self, name)!r} instead.")
        if self.n_topics is not None and self.n_topics < 2:
            raise ValueError(f"n_topics must be at least 2. Got {self.n_topics!r} instead.")
        if self.parts_weight < 0:
            raise ValueError(f"parts_weight must be >= 0. Got {self.parts_weight!r} instead.")
        if self.min_df < 1 or not 0 < self.max_df <= 1:
            raise ValueError(f"min_df must be >= 1 and max_df in (0, 1]. Got {self.min_df!r}, {self.max_df!r}.")
        clean = {str(key): list(value) if isinstance(value, (list, tuple)) else value
                 for key, value in dict(self.filters).items() if value}
        object.__setattr__(self, "filters", clean)
        object.__setattr__(self, "query", (self.query or "").strip() or None)

    @property
    def selects(self) -> bool:
        """True when the model is fitted on a selection (query or filters) rather than the whole corpus."""
        return bool(self.query or self.filters)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["filters"] = dict(self.filters)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TopicSettings:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)


@dataclass(frozen=True)
class TopicTerm:
    """One of a topic's top terms; ``weight`` is its share of the topic's term weight (all terms sum to 1)."""

    key: str
    label: str
    weight: float


@dataclass(frozen=True)
class TopicDocument:
    """A representative document of a topic; ``title`` and ``year`` are filled in when read from the corpus."""

    id: str
    share: float
    title: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Topic:
    """One topic. ``share`` is its mean share over the model's documents, ``n_documents`` the number of
    documents whose largest share it is, ``coherence`` the NPMI of its top-10 terms."""

    id: int
    label: str
    terms: tuple[TopicTerm, ...]
    documents: tuple[TopicDocument, ...]
    share: float
    n_documents: int
    coherence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "share": round(self.share, 4),
            "n_documents": self.n_documents,
            "coherence": round(self.coherence, 4),
            "terms": [{"term": t.label, "key": t.key, "weight": round(t.weight, 4)} for t in self.terms],
            "documents": [{"id": d.id, "title": d.title, "year": d.year, "share": round(d.share, 4)}
                          for d in self.documents],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Topic:
        return cls(
            id=int(data["id"]),
            label=data["label"],
            terms=tuple(TopicTerm(t["key"], t["term"], float(t["weight"])) for t in data["terms"]),
            documents=tuple(TopicDocument(d["id"], float(d["share"]), d.get("title"), d.get("year"))
                            for d in data["documents"]),
            share=float(data["share"]),
            n_documents=int(data["n_documents"]),
            coherence=float(data["coherence"]),
        )


@dataclass(frozen=True)
class StoredModel:
    """The corpus's topic model as stored: settings, topics, how k was chosen, and what it was fitted on."""

    id: int
    created: str
    settings: TopicSettings
    fingerprint: str
    topics: tuple[Topic, ...]
    k_scores: tuple[dict[str, Any], ...]
    chosen_by: str  # "coherence" (automatic) or "user" (--k)
    doc_ids: tuple[str, ...]
    n_terms: int
    fit_seconds: float
    terms_fingerprint: str
    state: Mapping[str, Any] = field(repr=False, default_factory=dict)

    @property
    def k(self) -> int:
        return len(self.topics)

    @property
    def n_docs(self) -> int:
        return len(self.doc_ids)

    def summary(self) -> dict[str, Any]:
        """The model's description for ``--json`` (no topics, no state)."""
        return {
            "id": self.id,
            "created": self.created,
            "method": self.settings.method,
            "k": self.k,
            "chosen_by": self.chosen_by,
            "k_scores": list(self.k_scores),
            "documents": self.n_docs,
            "terms": self.n_terms,
            "fit_seconds": round(self.fit_seconds, 2),
            "fingerprint": self.fingerprint,
            "settings": self.settings.to_dict(),
        }


@dataclass(frozen=True)
class ModelStatus:
    """How the stored model relates to the corpus now: documents added since (in its selection), removed since,
    and whether it was made by other counting rules or another model format."""

    new_ids: tuple[str, ...]
    removed: int
    outdated: bool

    @property
    def current(self) -> bool:
        return not (self.new_ids or self.removed or self.outdated)

    def to_dict(self) -> dict[str, Any]:
        return {"new_documents": len(self.new_ids), "removed_documents": self.removed, "outdated": self.outdated}


@dataclass(frozen=True)
class DocumentTopics:
    """One document's topic shares, largest first; ``in_model`` is False when they were estimated for a document
    added after the fit (with the stored topics, no refit)."""

    id: str
    title: str | None
    year: int | None
    shares: tuple[tuple[int, float], ...]
    in_model: bool


@dataclass(frozen=True)
class YearlyPrevalence:
    """Topic prevalence per year over the model's dated documents.

    ``weight[y][t]`` is the mean share of topic ``t + 1`` over the documents of ``years[y]`` (each row sums to
    1): how much of that year's writing is about the topic. ``dominant[y][t]`` is the share of the year's
    documents whose largest topic it is: how many documents are mainly about it. ``undated`` documents (and
    documents without any topic term) are left out.
    """

    years: tuple[int, ...]
    documents: tuple[int, ...]
    weight: tuple[tuple[float, ...], ...]
    dominant: tuple[tuple[float, ...], ...]
    undated: int


# ---------------------------------------------------------------------------------------------------- fitting


def fit_topics(
    store: Any,
    settings: TopicSettings,
    doc_ids: Sequence[str] | None = None,
    *,
    on_count_start: Callable[[int], None] | None = None,
    on_count: Callable[[], None] | None = None,
    on_fit_start: Callable[[int], None] | None = None,
    on_fit: Callable[[], None] | None = None,
    wait: float = 0.0,
) -> StoredModel:
    """Fit a topic model on ``doc_ids`` (the whole corpus when None) and store it as the corpus's model.

    Counts the terms of documents that have none yet first (``on_count_*`` report that), then fits (one
    ``on_fit`` step per number of topics tried). ``settings.query``/``filters`` are only recorded here; the
    caller resolves them to ``doc_ids``. Raises :class:`~clustermine.pipeline.topicmodel.TooFewDocumentsError`
    when the selection is too small.
    """
    from clustermine.corpus.topicstore import document_types, save_model
    from clustermine.pipeline.termmatrix import load_term_matrix, sync_terms
    from clustermine.pipeline.terms import TERMS_FINGERPRINT
    from clustermine.pipeline.topicmodel import TooFewDocumentsError, boilerplate_keys, select_features

    if doc_ids is not None and not doc_ids:
        raise TooFewDocumentsError("the selection holds no documents, so there is nothing to fit topics on",
                                   hint="check the query and filters with 'clustermine search'")
    sync_terms(store, on_start=on_count_start, on_document=on_count, wait=wait)
    matrix = load_term_matrix(store, doc_ids, min_df=settings.min_df, max_df=settings.max_df)
    drop: frozenset[str] = frozenset()
    if not settings.keep_places:
        drop |= place_keys(matrix.keys, matrix.labels)
    if not settings.keep_boilerplate:
        drop |= boilerplate_keys(matrix, document_types(store, matrix.doc_ids))
    features = select_features(matrix, parts_weight=settings.parts_weight, drop_keys=drop,
                               max_terms=settings.max_terms, max_df=settings.max_df)
    del matrix  # every term's counts: not needed for the fit, and as large as the features again
    started = time.perf_counter()
    model = TopicModel(settings.n_topics, method=settings.method, random_state=settings.seed,
                       search_method=settings.search_method)
    model.fit(features, on_start=on_fit_start, on_step=on_fit)
    seconds = time.perf_counter() - started
    order = _by_size(model)
    from clustermine.index.collapse import store_groups

    topics = _describe(model, features, order, store_groups(store))
    state = model.state()
    state["components"] = [state["components"][t] for t in order]
    payload = {
        "format": MODEL_FORMAT,
        "terms_fingerprint": TERMS_FINGERPRINT,
        "chosen_by": "user" if settings.n_topics else "coherence",
        "k_scores": [s.to_dict() for s in model.k_scores_],
        "n_terms": len(features.keys),
        "fit_seconds": round(seconds, 3),
        "topics": [t.to_dict() for t in topics],
        "doc_ids": list(features.doc_ids),
        "state": state,
    }
    fingerprint = _fingerprint(settings, TERMS_FINGERPRINT, features.doc_ids)
    shares = model.doc_topic_[:, order]
    rows = [(doc_id, t + 1, round(float(shares[i, t]), 4))
            for i, doc_id in enumerate(features.doc_ids) for t in range(shares.shape[1])
            if shares[i, t] >= MIN_STORED_SHARE]
    with store.writer_lock(wait=wait):
        save_model(store, settings=settings.to_dict(), fingerprint=fingerprint, n_docs=len(features.doc_ids),
                   payload=payload, shares=rows)
    stored = load_topics(store)
    assert stored is not None
    return stored


def _by_size(model: TopicModel) -> list[int]:
    """Topic order for display: largest mean share first (ties: the order the model gave them)."""
    import numpy as np

    sizes = model.doc_topic_.mean(axis=0)
    return [int(t) for t in np.argsort(-sizes, kind="stable")]


def _describe(
    model: TopicModel, features: Any, order: Sequence[int], groups: Mapping[str, str] | None = None
) -> list[Topic]:
    """Topics in display order; representative documents skip near-duplicates of one already listed
    (``groups`` maps a document to its near-duplicate group), so a Vorlage and its Neufassung show once."""
    import numpy as np

    groups = groups or {}

    shares = model.doc_topic_
    has_terms = shares.sum(axis=1) > 0
    dominant = np.where(has_terms, shares.argmax(axis=1), -1)
    n_with_terms = max(1, int(has_terms.sum()))
    top = model.top_terms(N_TERMS)
    topics = []
    for new_id, t in enumerate(order, start=1):
        terms = tuple(TopicTerm(features.keys[j], features.labels[j], w) for j, w in top[t])
        column = shares[:, t]
        best = sorted((i for i in np.flatnonzero(column > 0)), key=lambda i: (-column[i], features.doc_ids[i]))
        shown: list[TopicDocument] = []
        seen_groups: set[str] = set()
        for i in best:
            group = groups.get(features.doc_ids[i], features.doc_ids[i])
            if group in seen_groups:
                continue
            seen_groups.add(group)
            shown.append(TopicDocument(features.doc_ids[i], float(column[i])))
            if len(shown) == N_DOCUMENTS:
                break
        documents = tuple(shown)
        topics.append(Topic(
            id=new_id,
            label=topic_label(terms),
            terms=terms,
            documents=documents,
            share=float(column.sum() / n_with_terms),
            n_documents=int((dominant == t).sum()),
            coherence=float(model.coherence_[t]),
        ))
    return topics


def _fingerprint(settings: TopicSettings, terms_fingerprint: str, doc_ids: Sequence[str]) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps(settings.to_dict(), sort_keys=True, ensure_ascii=False).encode("utf-8"))
    digest.update(f"\0{terms_fingerprint}\0format{MODEL_FORMAT}\0".encode())
    for doc_id in sorted(doc_ids):
        digest.update(doc_id.encode("utf-8") + b"\n")
    return digest.hexdigest()[:16]


# ---------------------------------------------------------------------------------------------- labels, places


def topic_label(terms: Sequence[TopicTerm], n: int = 3) -> str:
    """The first ``n`` distinct terms joined by commas (see the module docstring for "distinct")."""
    chosen: list[TopicTerm] = []
    for term in terms:
        words = set(term.key.split())
        if any(words <= set(c.key.split()) or set(c.key.split()) <= words or term.label.lower() == c.label.lower()
               for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == n:
            break
    return ", ".join(t.label for t in chosen)


def place_keys(keys: Sequence[str], labels: Sequence[str], gazetteer: Any = None) -> frozenset[str]:
    """The term keys among ``keys`` whose spellings (``labels``) are region or place names of the gazetteer.

    - a single word when it is spelt like a region name, or the name with ``-s`` or ``-er`` ("Dortmunds",
      "Dortmunder"): comparing spellings, not stems, keeps words that only share a stem with a place ("eng" is
      not Enger);
    - an adjective–noun phrase when it is a region's name ("Bergischen Städtedreieck");
    - the distinctive words of named regions' longer names ("Lippe" of "Emscher-Lippe", "Städtedreieck",
      "Ruhr" of "Metropole Ruhr"), but not their generic words ("Region", "Metropole", "Revier").

    Phrases and name words are compared without their inflection endings (``-e``, ``-en``, ``-es`` …).
    """
    from clustermine.pipeline.gazetteer import fold

    words, plain = _region_names(gazetteer)
    out = set()
    for key, label in zip(keys, labels, strict=True):
        folded = fold(label)
        if folded in words or _plain(folded) in plain:
            out.add(key)
    return frozenset(out)


#: Place names that are much more often everyday words in economic texts (beside the gazetteer's "very frequent").
_EVERYDAY_NAMES = frozenset({
    "waren", "lage", "loehne", "norden", "konstanz", "heide", "burg", "aue", "harz", "haar", "regen", "bogen",
    "lauf", "horn", "hoehe", "wetter", "senden", "wenden", "schlangen", "buende", "geldern", "leer", "enger",
})
#: Words of region names that are not names themselves.
_GENERIC_NAME_WORDS = frozenset({
    "bundeslaender", "dreieck", "europaeische", "gebiet", "grande", "grossraum", "grossregion", "grossstaedte",
    "hauptstadtregion", "land", "laender", "metropole", "metropolregion", "mittlerer", "neue", "nordwest",
    "nordwesten", "raum", "region", "revier", "suedlicher", "technologieregion", "west", "braunkohlengebiet",
    "braunkohlenrevier", "braunkohlerevier", "kreis", "landkreis", "stadt", "regierungsbezirk",
})
_ENDING = re.compile(r"(?:e[nmrs]?|s)$")


def _plain(folded: str) -> str:
    """A folded name without inflection endings: "bergischen staedtedreieck" → "bergisch staedtedreieck"."""
    return " ".join(_ENDING.sub("", word) for word in folded.split())


@lru_cache(maxsize=4)
def _region_names(gazetteer: Any = None) -> tuple[frozenset[str], frozenset[str]]:
    """(folded single-word names with their -s/-er forms, endings-free multi-word names and name words)."""
    from clustermine.index.wordforms import STOP_WORDS
    from clustermine.pipeline.gazetteer import bare_name, fold, load_gazetteer

    gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
    everyday = {rid for rid, reason in gazetteer.ambiguous.items() if _EVERYDAY_WORD.search(reason)}
    words: set[str] = set()
    plain: set[str] = set()
    for entry in gazetteer.of_kind("REGION"):
        if entry.id in everyday:
            continue
        for name in dict.fromkeys((*entry.names, *(bare_name(n) for n in entry.names))):
            folded = fold(name)
            if " " not in folded:
                if folded.replace(" ", "") not in _EVERYDAY_NAMES:
                    words.update((folded, folded + "s", folded + "er"))
                continue
            plain.add(_plain(folded))
            if entry.subkind == "region":
                for word in folded.split():
                    if word not in STOP_WORDS and word not in _GENERIC_NAME_WORDS and _name_word(word, name):
                        plain.add(_plain(word))
    return frozenset(words), frozenset(plain)


def _name_word(word: str, name: str) -> bool:
    """Whether ``word`` (folded) is written capitalised in ``name``: "Lippe" in "Emscher-Lippe", not "an" in
    "Mülheim an der Ruhr"."""
    from clustermine.pipeline.gazetteer import fold

    return any(fold(w) == word and w[:1].isupper() for w in re.split(r"[\s\-/]+", name))


# ------------------------------------------------------------------------------------------------ reading back


def load_topics(store: Any) -> StoredModel | None:
    """The corpus's stored model with representative documents' titles and years, or None when there is none
    (or only one in an older format, which has to be refitted)."""
    from clustermine.corpus.topicstore import document_facts, load_model

    row = load_model(store)
    if row is None or row.payload.get("format") != MODEL_FORMAT:
        return None
    payload = row.payload
    topics = tuple(Topic.from_dict(t) for t in payload["topics"])
    facts = document_facts(store, [d.id for t in topics for d in t.documents])
    topics = tuple(
        replace(t, documents=tuple(replace(d, title=facts[d.id][0], year=facts[d.id][1])
                                   for d in t.documents if d.id in facts))
        for t in topics
    )
    return StoredModel(
        id=row.id,
        created=row.created,
        settings=TopicSettings.from_dict(row.settings),
        fingerprint=row.fingerprint,
        topics=topics,
        k_scores=tuple(payload["k_scores"]),
        chosen_by=payload["chosen_by"],
        doc_ids=tuple(payload["doc_ids"]),
        n_terms=int(payload["n_terms"]),
        fit_seconds=float(payload["fit_seconds"]),
        terms_fingerprint=payload["terms_fingerprint"],
        state=payload["state"],
    )


def model_status(store: Any, model: StoredModel, current_ids: Collection[str] | None = None) -> ModelStatus:
    """Compare the model with the documents that would be in it now (``current_ids``: the selection's ids,
    or the whole corpus when None)."""
    from clustermine.corpus.topicstore import all_document_ids
    from clustermine.pipeline.terms import TERMS_FINGERPRINT

    current = set(current_ids) if current_ids is not None else set(all_document_ids(store))
    existing = set(all_document_ids(store))
    fitted = set(model.doc_ids)
    return ModelStatus(
        new_ids=tuple(sorted(current - fitted)),
        removed=len(fitted - existing),
        outdated=model.terms_fingerprint != TERMS_FINGERPRINT,
    )


def document_topics(store: Any, model: StoredModel, doc_id: str) -> DocumentTopics:
    """A document's topic shares: stored ones for documents in the model, estimated with the stored topics
    (without refitting) for documents added since."""
    from clustermine.corpus.topicstore import document_facts, shares_of

    doc_id = store.resolve_id(doc_id)
    title, year = document_facts(store, [doc_id]).get(doc_id, (None, None))
    if doc_id in set(model.doc_ids):
        return DocumentTopics(doc_id, title, year, tuple(shares_of(store, model.id, doc_id)), True)
    shares = _estimate(store, model, doc_id)
    pairs = sorted(((t + 1, round(float(s), 4)) for t, s in enumerate(shares) if s >= MIN_STORED_SHARE),
                   key=lambda p: (-p[1], p[0]))
    return DocumentTopics(doc_id, title, year, tuple(pairs), False)


def _estimate(store: Any, model: StoredModel, doc_id: str) -> Any:
    import numpy as np
    from scipy import sparse

    from clustermine.pipeline.termmatrix import load_term_matrix
    from clustermine.pipeline.terms import count_terms

    keys = list(model.state["keys"])
    column = {key: j for j, key in enumerate(keys)}
    weights = model.state["part_weights"]
    row = np.zeros(len(keys))
    matrix = load_term_matrix(store, [doc_id], keys=set(keys))
    if matrix.doc_ids:  # counted already
        for j, key in enumerate(matrix.keys):
            row[column[key]] = matrix.whole[0, j] + weights[column[key]] * matrix.parts[0, j]
    else:
        text = store.conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
        for key, counts in count_terms(text).terms.items():
            if key in column:
                row[column[key]] = counts.whole + weights[column[key]] * counts.part
    fitted = TopicModel.from_state(dict(model.state))
    return fitted.transform(sparse.csr_matrix(row[None, :]))[0]


def prevalence_by_year(store: Any, model: StoredModel) -> YearlyPrevalence:
    """Topic prevalence per year (see :class:`YearlyPrevalence`)."""
    from clustermine.corpus.topicstore import document_facts, model_shares

    shares = model_shares(store, model.id)
    facts = document_facts(store, list(shares))
    by_year: dict[int, list[list[float]]] = {}
    undated = 0
    for doc_id, pairs in shares.items():
        year = facts.get(doc_id, (None, None))[1]
        if year is None:
            undated += 1
            continue
        vector = [0.0] * model.k
        for topic, share in pairs:
            vector[topic - 1] = share
        by_year.setdefault(int(year), []).append(vector)
    years = tuple(sorted(by_year))
    weight, dominant = [], []
    for year in years:
        vectors = by_year[year]
        n = len(vectors)
        weight.append(tuple(round(sum(v[t] for v in vectors) / n, 4) for t in range(model.k)))
        tops = [max(range(model.k), key=lambda t, v=v: (v[t], -t)) for v in vectors]
        dominant.append(tuple(round(tops.count(t) / n, 4) for t in range(model.k)))
    return YearlyPrevalence(years, tuple(len(by_year[y]) for y in years), tuple(weight), tuple(dominant), undated)
