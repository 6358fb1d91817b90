"""Searching: query text and filters in, a page of :class:`~clustermine.model.Hit` records out.

The steps, each in its own module: parse (:mod:`.query`), compile against the index's analysis and the
gazetteer (:mod:`.compiler`), match and rank everything that matches (BM25F, or newest first), collapse
near-duplicates (:mod:`.collapse`), count facets over the collapsed set (:mod:`.facets`), and only for the page
shown: read the documents from the store, cut snippets (:mod:`.snippets`), explain (:mod:`.explain`). When a
query finds fewer than three documents, :mod:`.suggest` looks for a better spelling.

Totals are counted *after* collapsing, and page 3 must not show a document that page 1 already folded into its
near-duplicate, so every match is needed, not just one page. Matching is therefore done segment by segment on
arrays (:func:`match`): each query term's postings are read a block at a time and scored with whoosh's own BM25F
formula, and the boolean operators combine the arrays, which costs a fraction of whoosh's matcher-per-document
loop and gives the same documents and scores (whoosh's own "top N" pruning is not used: it drops documents that
belong in the top N). Phrases are matched by whoosh itself. Collapsing and facet counting then work on document
numbers (facets from a per-segment table of the facet records, kept while the process runs: the counts stay
exact); only the documents of the page are read.

A search and its fallbacks (autocorrection, any-words) share one searcher and run at most
:data:`MAX_EXTRA_SEARCHES` whole-corpus evaluations beyond the first.

A corpus indexed with the tantivy backend gets a :class:`.tantivy_search.TantivySearcher` instead of whoosh's
searcher: it matches the same compiled query trees on tantivy and answers the column lookups (ids, dates, facet
records, linked duplicates) from its own table, so every step after matching is shared by both backends.
"""

from __future__ import annotations

import pickle
import re
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F, BM25FScorer, WeightScorer

from clustermine.errors import BadQueryError, ClustermineError
from clustermine.index import query as q
from clustermine.index.collapse import Group, fold_duplicates, store_groups
from clustermine.index.compiler import Compiler
from clustermine.index.explain import QueryWord, expanded_terms, explain_hit
from clustermine.index.facets import FacetCounter, FacetTable
from clustermine.index.filters import SearchFilters
from clustermine.index.schema import PROFILES, TEXT_FIELDS, AnalysisProfile, WordInfo, profile
from clustermine.index.snippets import TermGroup, index_forms, make_snippet
from clustermine.index.storage import INDEX_FORMAT, WHOOSH_NAME, IndexLocation, IndexMeta, IndexOutdatedError
from clustermine.index.storeview import entity_labels, stored_documents
from clustermine.index.suggest import Vocabulary, suggest
from clustermine.index.taxonomy import Taxonomy
from clustermine.model import Document, Hit

SORTS = ("relevance", "date")

#: Below this many hits a "did you mean" suggestion is looked for.
SUGGEST_BELOW = 3

#: Key terms of a document that a "more like this" query is made of.
SIMILAR_TERMS = 25

#: Whole-corpus evaluations a search may run beyond the first: counting what a spelling suggestion would find,
#: the autocorrected search, the any-words search (each at most once; in practice two at most are needed).
MAX_EXTRA_SEARCHES = 3


@dataclass(frozen=True)
class SearchResult:
    """One page of results, with the total (after collapsing), facets over all hits, and a suggestion."""

    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    suggestion: str | None = None
    page: int = 1
    limit: int = 10
    corrected_from: str | None = None
    any_words: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "limit": self.limit,
            "pages": self.pages,
            "suggestion": self.suggestion,
            "corrected_from": self.corrected_from,
            "any_words": self.any_words,
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": self.facets,
        }


# -- facade functions ---------------------------------------------------------------------------------------


def search(
    store: Any,
    query: str,
    *,
    filters: SearchFilters | None = None,
    limit: int = 10,
    page: int = 1,
    sort: str = "relevance",
    collapse: bool = True,
    explain: bool = False,
    autocorrect: bool = True,
    relax: bool = True,
) -> SearchResult:
    """Search the corpus of ``store``; see :data:`clustermine.index.query.SYNTAX_HELP` for the syntax.

    ``sort="date"`` orders newest first (undated last); a query of filters only is always ordered so.
    ``collapse=False`` lists near-duplicates as hits of their own. With ``autocorrect``, a query that finds
    nothing but has a spelling suggestion from the corpus is run again as suggested (``corrected_from`` then
    holds what was typed) — a typo should not end a researcher's search. With ``relax``, a plain word query
    that no document fully matches ranks the documents with most of its words (``any_words``). Raises
    :class:`BadQueryError` for a query that cannot be parsed, :class:`ClustermineError` when the corpus has no
    index yet.
    """
    _check_paging(limit, page, sort)
    tree = q.parse_query(query or "")
    options = {"filters": filters if filters is not None else SearchFilters(), "limit": limit, "page": page,
               "sort": sort, "collapse": collapse, "explain": explain}
    with open_searcher(store.home) as (searcher, meta):
        session = _Session(store, searcher, meta)
        result = _search_once(session, query, tree, **options)
        fixed = result.suggestion
        if autocorrect and result.total == 0 and fixed and fixed != query and session.spend():
            corrected = _search_once(session, fixed, q.parse_query(fixed), **options)
            if corrected.total:
                return replace(corrected, corrected_from=query)
        explicit = re.search(r"\b(?:AND|UND|OR|ODER|NOT|NICHT)\b", query or "")  # the user said how words combine
        relaxed = None
        if relax and result.total == 0 and not explicit:
            relaxed = _any_words(tree)
        if relaxed is not None and session.spend():
            # all words together found nothing: rank the documents that have most of them rather than show nothing
            found = _search_once(session, query, relaxed, **options)
            if found.total:
                return replace(found, any_words=True)
    return result


def _any_words(tree: q.Node | None) -> q.Node | None:
    """For a plain list of words (no OR/NOT), the same query with the words joined by OR; filters stay."""
    if not isinstance(tree, q.And):
        return None
    words = [item for item in tree.items if isinstance(item, q.Word | q.Phrase)]
    rest = [item for item in tree.items if isinstance(item, q.Filter | q.YearRange)]
    if len(words) < 2 or len(words) + len(rest) != len(tree.items):
        return None
    return q.And((*rest, q.Or(tuple(words)))) if rest else q.Or(tuple(words))


class _Session:
    """One search with its fallbacks: one searcher, the analysis, and what a fallback need not compute again
    (spelling lookups, counts of suggested queries), with the budget of extra whole-corpus evaluations."""

    def __init__(self, store: Any, searcher: Any, meta: IndexMeta) -> None:
        self.store = store
        self.searcher = searcher
        self.profile = profile(meta.analysis)
        _saved_splits(store, self.profile)
        self.budget = MAX_EXTRA_SEARCHES
        self.counts: dict[str, int] = {}
        self.vocabulary: Vocabulary | None = None

    def spend(self) -> bool:
        """Take one extra whole-corpus evaluation from the budget; False when it is used up."""
        if self.budget <= 0:
            return False
        self.budget -= 1
        return True


def _search_once(
    session: _Session,
    query: str,
    tree: q.Node | None,
    *,
    filters: SearchFilters,
    limit: int,
    page: int,
    sort: str,
    collapse: bool,
    explain: bool,
) -> SearchResult:
    store, searcher, prof = session.store, session.searcher, session.profile
    compiler = Compiler(prof, _taxonomy(store, tree, filters), include_subregions=filters.include_subregions)
    whoosh_query = _combine(compiler, tree, filters)
    positive = q.text_terms(tree)
    ranking = _rank(searcher, whoosh_query, by_date=sort == "date" or not positive)
    collapsed = _collapse(store, searcher, ranking, enabled=collapse)
    words = [_query_word(compiler, prof, t) for t in positive]
    terms = [_term_group(w, searcher.reader()) for w in words]
    hits = _hits(store, searcher, ranking, collapsed, page, limit, prof, terms, words if explain else None)
    suggestion = None
    if collapsed.total < SUGGEST_BELOW and positive:
        suggestion = _suggestion(session, compiler, tree, query, filters, collapsed.total)
    facets = _facets(store, searcher, ranking, collapsed)
    return SearchResult(query, collapsed.total, hits, facets, suggestion, page, limit)


def select_ids(
    store: Any, query: str | None = None, *, filters: SearchFilters | None = None, collapse: bool = False
) -> list[str]:
    """The ids of every document that matches ``query`` and ``filters``, best first (newest first without words).

    For the commands that work on a selection rather than a page of hits (trends, topics, export): no
    snippets, facets or spelling fallbacks, so a typo selects nothing instead of something else. An empty
    query with no filters selects the whole corpus. ``collapse=True`` keeps one document per near-duplicate
    group, as ``search`` lists them.
    """
    tree = q.parse_query(query or "")
    filters = filters if filters is not None else SearchFilters()
    with open_searcher(store.home) as (searcher, meta):
        compiler = Compiler(
            profile(meta.analysis), _taxonomy(store, tree, filters), include_subregions=filters.include_subregions
        )
        ranking = _rank(searcher, _combine(compiler, tree, filters), by_date=not q.text_terms(tree))
        if collapse:
            kept = _collapse(store, searcher, ranking, enabled=True).kept
            return _ids_of(searcher, ranking.docnums[kept])
        return _ids_of(searcher, ranking.docnums)


def similar(store: Any, doc_id: str, *, limit: int = 10, collapse: bool = True) -> SearchResult:
    """Documents most like ``doc_id``: a query of its body's key terms (more like this).

    The document itself and its known near-duplicates are left out.
    """
    _check_paging(limit, 1, "relevance")
    doc = store.get(doc_id)
    exclude = {doc.id, *(row["id"] for row in store.duplicates_of(doc.id))}
    with open_searcher(store.home) as (searcher, meta):
        prof = profile(meta.analysis)
        _saved_splits(store, prof)
        keywords = searcher.key_terms_from_text("body", f"{doc.title or ''}\n{doc.text}", numterms=SIMILAR_TERMS)
        if not keywords:
            return SearchResult(f"similar:{doc.id}", 0, [], {}, None, 1, limit)
        top = max(weight for _, weight in keywords) or 1.0
        like = wq.Or(
            [wq.Term(f, term, boost=weight / top) for term, weight in keywords for f in ("title", "body")]
        )
        not_these = [wq.Not(wq.Term("id", other)) for other in sorted(exclude)]
        ranking = _rank(searcher, wq.And([like, *not_these]), by_date=False)
        collapsed = _collapse(store, searcher, ranking, enabled=collapse)
        terms: list[TermGroup] = [({term for term, _ in keywords}, ())]
        hits = _hits(store, searcher, ranking, collapsed, 1, limit, prof, terms, None)
        facets = _facets(store, searcher, ranking, collapsed)
    return SearchResult(f"similar:{doc.id}", collapsed.total, hits, facets, None, 1, limit)


# -- opening ------------------------------------------------------------------------------------------------


@contextmanager
def open_searcher(home: Any) -> Iterator[tuple[Any, IndexMeta]]:
    """A BM25F searcher on the current index generation, and what that generation was built with.

    With the tantivy backend, a :class:`.tantivy_search.TantivySearcher` (BM25 per field) in its place.

    A rebuild may swap generations between reading ``CURRENT`` and opening the files; one retry reads the
    pointer again.
    """
    location = IndexLocation(home)
    searcher = None
    for attempt in range(2):
        folder = location.require()
        meta = location.meta(folder)
        try:
            if meta is not None and meta.backend == "tantivy":
                from clustermine.index.tantivy_search import TantivySearcher

                searcher = TantivySearcher(folder, meta.analysis)
            else:
                ix = whoosh_index.open_dir(str(folder), indexname=WHOOSH_NAME)
                searcher = ix.searcher(weighting=BM25F())
            break
        except (OSError, ValueError, sqlite3.Error, whoosh_index.EmptyIndexError) as exc:
            if attempt:
                raise ClustermineError(
                    f"cannot open the search index in {folder}: {exc}",
                    hint="re-create it with 'clustermine rebuild'",
                ) from exc
    assert searcher is not None
    current = profile(meta.analysis).version if meta and meta.analysis in PROFILES else None
    if meta is None or meta.format != INDEX_FORMAT or meta.analysis_version != current:
        searcher.close()
        raise IndexOutdatedError(
            f"the search index in {folder} was built by another version of clustermine ({meta})",
            hint="re-create it with 'clustermine rebuild' (search does so by itself)",
        )
    try:
        yield searcher, meta
    finally:
        searcher.close()


# -- steps --------------------------------------------------------------------------------------------------


def _saved_splits(store: Any, prof: AnalysisProfile) -> None:
    """Read the corpus's saved compound splits: query words and the snippets of a page split compounds, and a
    word split cold costs ~1-4 ms, the first one ~1 s more (HanTa and the word lists)."""
    if prof.name == "german":
        from clustermine.pipeline.compound_store import attach, cache_path

        attach(cache_path(store.home))


def _check_paging(limit: int, page: int, sort: str) -> None:
    if not isinstance(limit, int) or limit < 1:
        raise BadQueryError(f"limit must be a positive number. Got {limit!r} instead.")
    if not isinstance(page, int) or page < 1:
        raise BadQueryError(f"page must be 1 or more. Got {page!r} instead.")
    if sort not in SORTS:
        raise BadQueryError(f"sort must be one of {', '.join(SORTS)}. Got {sort!r} instead.")


def _taxonomy(store: Any, tree: q.Node | None, filters: SearchFilters) -> Taxonomy:
    """The gazetteer, loaded only when a filter names an entity (loading costs ~0.1 s)."""
    if filters.regions or filters.clusters or filters.programs or filters.orgs or _has_entity_filter(tree):
        return Taxonomy.for_store(store)
    return Taxonomy(None)


def _has_entity_filter(node: q.Node | None) -> bool:
    if isinstance(node, q.Filter):
        return node.field in ("region", "cluster", "program", "org")
    if isinstance(node, (q.And, q.Or)):
        return any(_has_entity_filter(i) for i in node.items)
    if isinstance(node, q.Not):
        return _has_entity_filter(node.item)
    return False


def _combine(compiler: Compiler, tree: q.Node | None, filters: SearchFilters) -> wq.Query:
    nodes = filters.nodes()
    if tree is not None:
        nodes.insert(0, tree)
    if not nodes:
        return wq.Every()
    return compiler.compile(nodes[0] if len(nodes) == 1 else q.And(tuple(nodes)))


@dataclass(frozen=True)
class Ranking:
    """Every match of a query in rank order: global document numbers and their scores."""

    docnums: np.ndarray
    scores: np.ndarray

    def __len__(self) -> int:
        return len(self.docnums)


def _rank(searcher: Any, whoosh_query: wq.Query, *, by_date: bool) -> Ranking:
    """Every match, best first (score, then document number, as whoosh orders them), or newest first (then by
    score and document number; undated last)."""
    found = match(searcher, whoosh_query)
    if by_date and len(found.docnums):
        dates = np.asarray(_dates(searcher, found.docnums), dtype=object)
        day = np.unique(dates, return_inverse=True)[1].reshape(-1)  # dates as ranks: "" (undated) lowest
        order = np.lexsort((found.docnums, -found.scores, -day))
    else:
        order = np.lexsort((found.docnums, -found.scores))
    return Ranking(found.docnums[order], found.scores[order])


def _suggestion(
    session: _Session, compiler: Compiler, tree: q.Node | None, query: str, filters: SearchFilters, total: int
) -> str | None:
    """"Did you mean": corpus words for the query's unknown words, if the corrected query finds more.

    Spelling lookups and the counts of suggested queries are kept in the session: a fallback search of the same
    words does not repeat them. A count is an extra whole-corpus evaluation and needs the session's budget.
    """
    store, searcher = session.store, session.searcher
    if session.vocabulary is None:
        session.vocabulary = Vocabulary(
            searcher.reader(),
            compiler.term,
            lambda doc_id: _text_of(store, doc_id),
            index_forms(compiler.profile.name),
            id_of=lambda docnum: _ids_of(searcher, [docnum])[0],
        )

    def count(text: str) -> int:
        if text not in session.counts:
            if not session.spend():
                raise _BudgetSpent(text)
            session.counts[text] = _count(searcher, _combine(compiler, q.parse_query(text), filters))
        return session.counts[text]

    return suggest(session.vocabulary, tree, query, total, count)


class _BudgetSpent(RuntimeError):
    """A fallback would need one more whole-corpus evaluation than a search may run."""


def _text_of(store: Any, doc_id: str) -> str:
    docs = stored_documents(store, [doc_id])
    return docs[doc_id].text if doc_id in docs else ""


def _count(searcher: Any, whoosh_query: wq.Query) -> int:
    """How many documents match (no scores, no ranking)."""
    if _is_tantivy(searcher):
        return searcher.count(whoosh_query)
    return len(match(searcher, whoosh_query, scored=False).docnums)


@dataclass(frozen=True)
class Collapsed:
    """A ranking after collapsing near-duplicates: the positions (in the ranking) of the documents listed, one
    per group and in rank order, and for each the positions of the near-duplicates folded into it."""

    kept: np.ndarray
    folded: dict[int, list[int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.kept)


#: Up to this many matches, collapsing reads their ids; beyond, it finds the linked documents by id instead.
READ_IDS_UP_TO = 1000


def _collapse(store: Any, searcher: Any, ranking: Ranking, *, enabled: bool) -> Collapsed:
    """Fold each near-duplicate group to its best-ranked member (see :func:`.collapse.fold_duplicates`).

    Only documents that are linked to another one can fold, so only their positions are looked up: by reading
    the ids of a small result, or through the index's id → document number map for a large one.
    """
    everything = np.arange(len(ranking))
    groups = store_groups(store) if enabled and len(ranking) else {}
    if not groups:
        return Collapsed(everything)
    if len(ranking) <= READ_IDS_UP_TO:
        members = {i: groups[doc_id] for i, doc_id in enumerate(_ids_of(searcher, ranking.docnums)) if doc_id in groups}
    else:
        members = _linked_positions(searcher, ranking.docnums, groups)
    dropped, folded = fold_duplicates(members)
    if not dropped:
        return Collapsed(everything, folded)
    keep = np.ones(len(ranking), dtype=bool)
    keep[list(dropped)] = False
    return Collapsed(everything[keep], folded)


def _facets(store: Any, searcher: Any, ranking: Ranking, collapsed: Collapsed) -> dict[str, list[dict[str, Any]]]:
    """Facets over the collapsed result: one facet record per group (its listed document)."""
    counter = FacetCounter()
    if _is_tantivy(searcher):
        searcher.add_facets(counter, ranking.docnums[collapsed.kept])
        return counter.facets(lambda ids: entity_labels(store, ids))
    for leaf, local in _by_segment(searcher, ranking.docnums[collapsed.kept]):
        table = _facet_table(leaf, len(local))
        if table is not None:
            counter.add_table(table, local)
        else:
            counter.add_records(_read_column(leaf.reader(), "facets", local.tolist()))
    return counter.facets(lambda ids: entity_labels(store, ids))


def _query_word(compiler: Compiler, prof: AnalysisProfile, term: q.Word | q.Phrase) -> QueryWord:
    if isinstance(term, q.Phrase):
        compiled = compiler.phrase(q.Phrase(term.text, term.field, term.slop))
        info = WordInfo(term.text, term.text.lower(), " ".join(_phrase_terms(prof, term.text)))
        return QueryWord(f'"{term.text}"', info, compiled or wq.NullQuery, phrase=True)
    compiled = compiler.word(term)
    info = prof.word_info(term.text)
    shown = term.text + ("*" if term.prefix else "") + ("~" * bool(term.fuzzy))
    return QueryWord(shown, info, compiled or wq.NullQuery)


def _term_group(word: QueryWord, reader: Any) -> TermGroup:
    """A query word's index terms for highlighting: its own (with expansions) and its compound parts."""
    found = {term for field, term in expanded_terms(word.query, reader) if field in TEXT_FIELDS}
    parts = set(word.info.part_stems) - set(word.info.stem.split())
    return found - parts, found & parts


def _phrase_terms(prof: AnalysisProfile, text: str) -> list[str]:
    from clustermine.index.schema import analyzer

    return [t.text for t in analyzer(prof.name, "query")(text, mode="query")]


def _hits(
    store: Any,
    searcher: Any,
    ranking: Ranking,
    collapsed: Collapsed,
    page: int,
    limit: int,
    prof: AnalysisProfile,
    terms: list[TermGroup],
    explain_words: list[QueryWord] | None,
) -> list[Hit]:
    """The hits of one page: only their documents are read from the store, and only they get snippets."""
    shown = collapsed.kept[(page - 1) * limit : page * limit].tolist()
    needed = [*shown, *(p for s in shown for p in collapsed.folded.get(s, []))]
    ids = dict(zip(needed, _ids_of(searcher, ranking.docnums[needed]), strict=True))
    groups = [Group(ids[p], p, [ids[d] for d in collapsed.folded.get(p, [])]) for p in shown]
    docs = stored_documents(store, [g.doc_id for g in groups])
    forms = index_forms(prof.name)
    hits = []
    for offset, group in enumerate(groups):
        doc = docs.get(group.doc_id)
        if doc is None:  # removed from the store since the last sync
            continue
        docnum, score = int(ranking.docnums[group.position]), float(ranking.scores[group.position])
        explanation = None
        if explain_words is not None:
            explanation = explain_hit(searcher, docnum, score, explain_words)
        hits.append(
            Hit(
                id=doc.id,
                source=doc.source,
                title=doc.title,
                doctype=doc.doctype,
                date=doc.date,
                score=round(score, 4),
                snippet=_mark_ocr(doc, make_snippet(doc.text, terms, forms)),
                rank=(page - 1) * limit + offset + 1,
                council=council_info(doc),
                duplicates=tuple(group.duplicates),
                explanation=explanation,
            )
        )
    return hits


def _mark_ocr(doc: Document, snippet: str) -> str:
    """Text recognised from a scan may hold misread words: the snippet says so, as ``show`` does."""
    return f"[OCR] {snippet}" if doc.info.get("ocr") and snippet else snippet


#: Roles of a consultation that decide (rather than advise or take note).
_DECIDING = ("entscheidung", "beschluss")


def council_info(doc: Document) -> dict[str, Any] | None:
    """Paper number, type, the deciding (else first) committee and its meeting date, for a council paper."""
    council = doc.council
    if council is None:
        return None
    steps = council.consultations
    main = next((c for c in steps if c.role and c.role.lower().startswith(_DECIDING)), steps[0] if steps else None)
    info = {
        "number": council.number,
        "paper_type": council.paper_type,
        "subject": council.subject,
        "body": council.body,
        "department": council.department,
        "committee": main.committee if main else None,
        "meeting_date": main.date if main else None,
        "role": main.role if main else None,
        "first_committee": steps[0].committee if steps else None,
        "first_date": steps[0].date if steps else None,
        "outcome": council.outcome,
    }
    return {k: v for k, v in info.items() if v is not None} or None


# -- matching on arrays -------------------------------------------------------------------------------------


def _is_tantivy(searcher: Any) -> bool:
    """Whether ``searcher`` is the tantivy backend's (which answers matching and columns itself)."""
    return getattr(searcher, "backend", "whoosh") == "tantivy"


@dataclass(frozen=True)
class Matches:
    """Every document a query matches: global document numbers (ascending) and their scores."""

    docnums: np.ndarray
    scores: np.ndarray


def match(searcher: Any, whoosh_query: wq.Query, *, scored: bool = True) -> Matches:
    """Every document that ``whoosh_query`` matches, with the score whoosh's searcher gives it.

    The same documents and scores as ``searcher.search(whoosh_query, limit=None)`` (up to the order in which
    floating-point sums are added), computed segment by segment on arrays; see :class:`_Segment`. Without
    ``scored`` the scores are zeros.
    """
    if _is_tantivy(searcher):
        return Matches(*searcher.match(whoosh_query, scored=scored))
    docnums: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    if whoosh_query is not wq.NullQuery:
        for leaf, offset in _segments(searcher):
            found = _Segment(searcher, leaf).evaluate(whoosh_query, scored)
            if found is None:
                continue
            mask, values = found
            local = np.flatnonzero(mask)
            docnums.append(local + offset)
            scores.append(values[local] if values is not None else np.zeros(len(local)))
    if not docnums:
        return Matches(np.zeros(0, dtype=np.int64), np.zeros(0))
    return Matches(np.concatenate(docnums).astype(np.int64), np.concatenate(scores))


#: Queries whoosh matches as the OR of the terms they expand to in a segment (``MultiTerm.matcher``).
_EXPANDING = (wq.Prefix, wq.Wildcard, wq.FuzzyTerm, wq.TermRange)

#: whoosh's ``Or`` preloads the matches of more than two parts in a segment of at most this many documents.
_PRELOADED_UP_TO = 5000

#: What one query node matches in one segment: a mask over the segment's documents and their scores (zero
#: where the mask is False; None when not scoring), or None for nothing at all.
_Found = tuple[np.ndarray, np.ndarray | None] | None


class _Segment:
    """Evaluates a whoosh query in one segment on arrays, with whoosh's semantics:

    - ``Term``: its postings, scored with the searcher's BM25F scorer for the term (global idf and average field
      length, the document's field length), times the term's boost;
    - ``And``: documents all parts match, the scores added; a ``Not`` part matches every (live) document its
      query does not and adds 1.0, as whoosh's inverse matcher does; ``Or``: documents any part matches, the
      scores added; a boost multiplies the sum (a single part is used as it is, boost and all, like whoosh);
    - ``ConstantScoreQuery``: what its query matches, with the constant score; ``Every``: every live document,
      scored with its boost; ``NullQuery``: nothing.

    - ``Prefix``, ``Wildcard``, ``FuzzyTerm``, ``TermRange``: the OR of the terms they expand to in the segment
      (whoosh's "constant score" for these still scores each term); ``NumericRange``: the terms of its tiers.

    Anything else — phrases, a term with a minimum quality, a scorer other than BM25F's — is matched by
    whoosh's own matcher for that part of the query, document by document.

    The parts of an ``And`` are evaluated smallest first, each only *within* what the parts before it left
    (``within``): a term then skips the posting blocks that hold none of those documents without decoding them,
    as whoosh's intersection does. A result evaluated within a set is exact for the documents of the set (and
    may leave out others, which its caller masks away).
    """

    def __init__(self, top: Any, leaf: Any) -> None:
        self.top = top
        self.leaf = leaf
        self.reader = leaf.reader()
        self.size = self.reader.doc_count_all()
        self._alive: np.ndarray | None = None
        self._lengths: dict[str, np.ndarray] = {}
        self._counts: tuple[np.ndarray, np.ndarray] | None = None
        self._infos: dict[tuple[str, bytes], Any] = {}

    @property
    def alive(self) -> np.ndarray:
        if self._alive is None:
            alive = np.ones(self.size, dtype=bool)
            if self.reader.has_deletions():
                deleted = getattr(self.reader, "deleted_docs_set", None)
                if deleted is None:  # another kind of reader: ask document by document
                    deleted = [d for d in range(self.size) if self.reader.is_deleted(d)]
                deleted = np.fromiter(deleted, dtype=np.int64)
                alive[deleted[deleted < self.size]] = False
            self._alive = alive
        return self._alive

    def evaluate(self, query: wq.Query, scored: bool, within: np.ndarray | None = None) -> _Found:
        kind = type(query)
        if query is wq.NullQuery or kind is type(wq.NullQuery):
            return None
        if kind is wq.Term:
            return self._term(query, scored, within)
        if kind is wq.And:
            return self._and(query, scored, within)
        if kind is wq.Or and not query.scale:
            return self._or(query, scored, within)
        if kind is wq.Not:
            return self._not(query, scored, within)
        if kind is wq.ConstantScoreQuery:
            found = self.evaluate(query.child, False, within)
            if found is None:
                return None
            return found[0], (self._constant(found[0], query.score or 1.0) if scored else None)
        if kind is wq.Every and query.fieldname in (None, "", "*"):
            return self.alive, (self._constant(self.alive, query.boost or 1.0) if scored else None)
        if kind in _EXPANDING and not (kind is wq.Prefix and query.text == "") and not (
            kind is wq.Wildcard and query.text == "*"
        ):
            return self._expanding(query, scored, within)
        if kind is wq.NumericRange:
            try:
                compiled = query._compile_query(self.reader)  # what whoosh's matcher runs: terms of the range
            except Exception:
                return self._whoosh(query, scored)
            return self.evaluate(compiled, scored, within)
        return self._whoosh(query, scored)

    def _expanding(self, query: wq.Query, scored: bool, within: np.ndarray | None) -> _Found:
        """A prefix, wildcard, fuzzy term or term range: whoosh ORs the segment's terms it expands to (boosted as
        a whole; a single term alone, unboosted), each scored as a term.

        Except that with ``constantscore`` whoosh tells the OR not to score, which only its array matcher obeys —
        the one it picks for more than two terms in a segment of at most 5,000 documents (or for 1,024 terms or
        more): those documents score 1.
        """
        texts = [text for text in query._btexts(self.reader) if text]
        if not texts:
            return None
        terms = [wq.Term(query.field(), text) for text in texts]
        if len(terms) == 1:
            return self.evaluate(terms[0], scored, within)
        either = wq.Or(terms, boost=query.boost)
        many = len(terms) >= wq.Or.TOO_MANY_CLAUSES or (len(terms) > 2 and self.size <= _PRELOADED_UP_TO)
        if scored and getattr(query, "constantscore", False) and many:
            found = self._or(either, False, within)
            return (found[0], self._constant(found[0], 1.0)) if found is not None else None
        return self._or(either, scored, within)

    def _constant(self, mask: np.ndarray, value: float) -> np.ndarray:
        return np.where(mask, value, 0.0)

    def _term(self, query: wq.Term, scored: bool, within: np.ndarray | None) -> _Found:
        if query.minquality:
            return self._whoosh(query, scored)
        btext = self._bytes(query)
        info = self._info(query.fieldname, btext) if btext is not None else None
        if info is None:
            return None
        ids, weights = _postings(self.reader, query.fieldname, btext, self._running_counts(within), info)
        mask = np.zeros(self.size, dtype=bool)
        mask[ids] = True
        mask &= self.alive
        if not scored:
            return mask, None
        values = self._scores(query.fieldname, btext, weights, ids)
        if values is None:
            return self._whoosh(query, scored)
        if query.boost != 1.0:
            values = values * query.boost
        scores = np.zeros(self.size)
        scores[ids] = values
        scores[~mask] = 0.0
        return mask, scores

    def _scores(self, fieldname: str, btext: bytes, weights: np.ndarray, ids: np.ndarray) -> np.ndarray | None:
        """The scores whoosh's scorer for the term gives its postings; None for a scorer not known here."""
        weighting = self.top.weighting
        if type(weighting) is BM25F and self.reader.schema[fieldname].scorable:  # BM25F.scorer → BM25FScorer
            idf = self.top.idf(fieldname, btext)  # global statistics, from the searcher of all segments
            avgfl = self.top.avg_field_length(fieldname) or 1
            b, k1 = weighting._field_B.get(fieldname, weighting.B), weighting.K1
        else:
            scorer = weighting.scorer(self.leaf, fieldname, btext)
            if type(scorer) is WeightScorer:
                return weights
            if type(scorer) is not BM25FScorer:
                return None
            idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        lengths = self._field_lengths(fieldname)[ids]
        # whoosh.scoring.bm25, operation for operation
        return idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl)))

    def _bytes(self, query: wq.Term) -> bytes | None:
        schema = self.reader.schema
        if query.fieldname not in schema:
            return None
        try:
            return schema[query.fieldname].to_bytes(query.text)
        except ValueError:
            return None

    def _info(self, fieldname: str, btext: bytes) -> Any:
        """The term's statistics in this segment (None if it has no postings here), looked up once."""
        key = (fieldname, btext)
        if key not in self._infos:
            try:
                self._infos[key] = self.reader.term_info(fieldname, btext)
            except (TermNotFound, KeyError):
                self._infos[key] = None
        return self._infos[key]

    def _running_counts(self, within: np.ndarray | None) -> np.ndarray | None:
        """For ``within``: how many of its documents lie below each document number (for skipping blocks)."""
        if within is None:
            return None
        if self._counts is None or self._counts[0] is not within:
            counts = np.zeros(self.size + 1, dtype=np.int64)
            np.cumsum(within, out=counts[1:])
            self._counts = (within, counts)
        return self._counts[1]

    def _and(self, query: wq.And, scored: bool, within: np.ndarray | None) -> _Found:
        parts = query.subqueries
        if not parts:
            return None
        if len(parts) == 1:
            return self.evaluate(parts[0], scored, within)
        mask = self.alive.copy() if within is None else self.alive & within
        found_parts: list[np.ndarray | None] = [None] * len(parts)
        for i in self._smallest_first(parts):
            found = self.evaluate(parts[i], scored, mask)
            if found is None:
                return None
            mask = mask & found[0]  # a new array: the next part reads its blocks within this one
            found_parts[i] = found[1]
            if not mask.any():
                return None
        scores = None
        if scored:  # added in the query's order, whatever the order of evaluation
            scores = np.zeros(self.size)
            for values in found_parts:
                scores += values
        return mask, self._combined(mask, scores, query.boost)

    def _smallest_first(self, parts: Sequence[wq.Query]) -> list[int]:
        """Positive parts by the number of documents they can match, then the negations."""

        def size(i: int) -> tuple[int, int]:
            part = parts[i]
            return (1, 0) if type(part) is wq.Not else (0, self._estimate(part))

        return sorted(range(len(parts)), key=size)

    def _estimate(self, query: wq.Query) -> int:
        """At most how many documents ``query`` matches here (whoosh's ``estimate_size``, with term statistics
        looked up once)."""
        kind = type(query)
        if kind is wq.Term:
            btext = self._bytes(query)
            info = self._info(query.fieldname, btext) if btext is not None else None
            return info.doc_frequency() if info is not None else 0
        if kind is wq.Or:
            return sum(self._estimate(part) for part in query.subqueries)
        if kind is wq.And:
            return min((self._estimate(part) for part in query.subqueries), default=0)
        if kind is wq.ConstantScoreQuery:
            return self._estimate(query.child)
        try:
            return int(query.estimate_size(self.reader))
        except Exception:  # an estimate only orders the evaluation
            return self.size

    def _or(self, query: wq.Or, scored: bool, within: np.ndarray | None) -> _Found:
        parts = query.subqueries
        if not parts:
            return None
        if len(parts) == 1:
            return self.evaluate(parts[0], scored, within)
        mask = np.zeros(self.size, dtype=bool)
        scores = np.zeros(self.size) if scored else None
        matched = False
        for part in parts:
            found = self.evaluate(part, scored, within)
            if found is None:
                continue
            matched = True
            mask |= found[0]
            if scores is not None:
                scores += found[1]
        if not matched:
            return None
        return mask, self._combined(mask, scores, query.boost)

    def _not(self, query: wq.Not, scored: bool, within: np.ndarray | None) -> _Found:
        found = self.evaluate(query.query, False, within)
        mask = self.alive & ~found[0] if found is not None else self.alive.copy()
        return mask, (self._constant(mask, 1.0) if scored else None)

    def _combined(self, mask: np.ndarray, scores: np.ndarray | None, boost: float) -> np.ndarray | None:
        if scores is None:
            return None
        scores[~mask] = 0.0
        if boost != 1.0:
            scores *= boost
        return scores

    def _whoosh(self, query: wq.Query, scored: bool) -> _Found:
        """A part of the query this class does not evaluate itself, through whoosh's matcher."""
        context = self.top.context() if scored else self.top.boolean_context()
        matcher = query.matcher(self.leaf, context)
        ids: list[int] = []
        values: list[float] = []
        if scored:
            while matcher.is_active():
                ids.append(matcher.id())
                values.append(matcher.score())
                matcher.next()
        elif matcher.is_active():
            ids = list(matcher.all_ids())
        if not ids:
            return None
        where = np.asarray(ids, dtype=np.int64)
        mask = np.zeros(self.size, dtype=bool)
        mask[where] = True
        mask &= self.alive
        if not scored:
            return mask, None
        scores = np.zeros(self.size)
        scores[where] = values
        scores[~mask] = 0.0
        return mask, scores

    def _field_lengths(self, fieldname: str) -> np.ndarray:
        """The length of ``fieldname`` in every document of the segment, as whoosh's scorer reads it."""
        found = self._lengths.get(fieldname)
        if found is None:
            found = self._lengths[fieldname] = _field_lengths(self.reader, fieldname, self.size)
        return found


def _field_lengths(reader: Any, fieldname: str, size: int) -> np.ndarray:
    """Field lengths of a segment's documents, decoded from its one-byte length column in one read (whoosh
    stores lengths as bytes; ``doc_field_length`` decodes one document at a time). Default 1, as whoosh's."""
    from whoosh.util.numeric import byte_to_length

    global _BYTE_LENGTHS
    if _BYTE_LENGTHS is None:
        _BYTE_LENGTHS = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)
    column = None
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN

        column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    except AttributeError:
        pass
    if column is None:
        if not hasattr(reader, "_perdoc"):  # another kind of reader: one document at a time
            return np.array([reader.doc_field_length(d, fieldname, 1) or 1 for d in range(size)], dtype=np.float64)
        return np.ones(size)
    codes = np.zeros(size, dtype=np.uint8)
    try:
        count = min(column._count, size)
        raw = column._dbfile.get(column._basepos, count * column._fixedlen)
        codes[:count] = np.frombuffer(raw, dtype=np.uint8)
    except AttributeError:
        codes[:] = [column[d] for d in range(size)]
    return _BYTE_LENGTHS[codes]


_BYTE_LENGTHS: np.ndarray | None = None


def _postings(
    reader: Any, fieldname: str, btext: bytes, counts: np.ndarray | None = None, info: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers and weights of one term in one segment (deleted documents included), a block at a time.

    whoosh's matcher decodes a posting per call; the block data it would decode is read here directly (the W3
    codec's blocks: delta-coded ids, weights as float32, ``None`` for all 1.0 or one float for all). With
    ``counts`` (running counts of the documents wanted, see :meth:`_Segment._running_counts`) a block holding
    none of them is skipped undecoded: its postings may be missing from the result. Other matchers are read
    posting by posting.
    """
    from whoosh.codec.whoosh3 import W3LeafMatcher
    from whoosh.matching.wrappers import FilterMatcher

    try:  # from the term's statistics already looked up (what reader.postings looks up again)
        matcher = reader._codec.postings_reader(
            reader._terms._postfile, info, reader.schema[fieldname].format, term=(fieldname, btext)
        )
    except AttributeError:
        matcher = reader.postings(fieldname, btext)
    if type(matcher) is FilterMatcher:  # leaves out deleted documents: the caller does that
        matcher = matcher.child
        matcher.reset()  # the filter has moved it past the deleted documents at the start
    if type(matcher) is W3LeafMatcher and not matcher._byteids:
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        below = 0  # the block's documents are above this number … up to its last one
        while matcher.is_active():
            last = matcher._maxid
            if counts is not None and counts[min(last + 1, len(counts) - 1)] == counts[min(below, len(counts) - 1)]:
                below = last + 1
                matcher._next_block()
                continue
            below = last + 1
            block_ids, block_weights = _block(matcher)
            ids.append(np.cumsum(np.asarray(block_ids, dtype=np.int64)))
            if block_weights is None:
                weights.append(np.ones(len(block_ids)))
            elif isinstance(block_weights, float):
                weights.append(np.full(len(block_ids), block_weights, dtype=np.float32).astype(np.float64))
            else:
                weights.append(np.asarray(block_weights, dtype=np.float32).astype(np.float64))
            matcher._next_block()
        if ids:
            return np.concatenate(ids), np.concatenate(weights)
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    docnums, found = [], []
    while matcher.is_active():
        docnums.append(matcher.id())
        found.append(matcher.weight())
        matcher.next()
    return np.asarray(docnums, dtype=np.int64), np.asarray(found, dtype=np.float64)


def _block(matcher: Any) -> tuple[Any, Any]:
    """The (delta-coded ids, weights) of the posting block a W3 matcher is at, without the rest of the block.

    A block is the pickle (protocol 2) of ``(ids, weights, values)``, zlib-compressed; the values (positions,
    most of the bytes) are pickled as ``bytes`` objects, which protocol 2 writes as one function call each, and
    unpickling them is most of the cost of reading a block. Only as much of the block as holds the ids and the
    weights is decompressed and unpickled; the prefix is recognised by :data:`_IDS_AND_WEIGHTS`. Anything
    unexpected falls back to whoosh's own reading of the whole block.
    """
    try:
        raw = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
        if matcher._compression:
            inflate = zlib.decompressobj()
            data = inflate.decompress(raw, _PREFIX_BYTES)
            found = _IDS_AND_WEIGHTS.match(data)
            while found is None and inflate.unconsumed_tail:
                data += inflate.decompress(inflate.unconsumed_tail, _PREFIX_BYTES)
                found = _IDS_AND_WEIGHTS.match(data)
        else:
            data = raw
            found = _IDS_AND_WEIGHTS.match(data)
        if found is not None:
            ids, weights = pickle.loads(data[: found.end()] + b"\x86.")  # TUPLE2, STOP
            count = matcher._blocklength
            if (isinstance(ids, tuple) and len(ids) == count
                    and (weights is None or isinstance(weights, float)
                         or (isinstance(weights, tuple) and len(weights) == count))):
                return ids, weights
    except (AttributeError, zlib.error, pickle.UnpicklingError, ValueError, TypeError, EOFError):
        pass
    if matcher._data is None:
        matcher._read_data()
    return matcher._data[0], matcher._data[1]


def _tuple_of(item: bytes) -> bytes:
    """A pickled tuple of ``item``s: MARK items TUPLE, one to three items and TUPLE1-3, or EMPTY_TUPLE; then
    perhaps its memo entry (BINPUT, LONG_BINPUT)."""
    return rb"(?:\((?:" + item + rb")*t|(?:" + item + rb"){1,3}[\x85\x86\x87]|\))(?:q.|r....)?"


#: PROTO 2, the ids (a tuple of ints: BININT1, BININT2, BININT), the weights (a tuple of floats, one float:
#: BINFLOAT, or None; the tuple first, or the first float of a short tuple would pass for all the weights).
_IDS_AND_WEIGHTS = re.compile(
    rb"\x80\x02" + _tuple_of(rb"K.|M..|J....") + rb"(?:" + _tuple_of(rb"G.{8}") + rb"|G.{8}|N)", re.DOTALL
)

#: Bytes of a block decompressed at a time while looking for the end of its weights (128 ids and weights
#: take about 1.5 KB).
_PREFIX_BYTES = 4096


# -- documents by number ------------------------------------------------------------------------------------


def _segments(searcher: Any) -> list[tuple[Any, int]]:
    """(leaf searcher, offset of its first document) of every segment."""
    return list(searcher.subsearchers) if searcher.subsearchers else [(searcher, 0)]


def _by_segment(searcher: Any, docnums: np.ndarray) -> Iterator[tuple[Any, np.ndarray]]:
    """(leaf searcher, its local document numbers, ascending) for global ``docnums``."""
    ordered = np.sort(np.asarray(docnums, dtype=np.int64))
    for leaf, offset in _segments(searcher):
        size = leaf.reader().doc_count_all()
        lo, hi = np.searchsorted(ordered, [offset, offset + size])
        if hi > lo:
            yield leaf, ordered[lo:hi] - offset


def _column_values(searcher: Any, docnums: Sequence[int] | np.ndarray, name: str, table: Callable) -> list[Any]:
    """A column's value for each of ``docnums`` (in their order): from a segment's kept table when it has one
    (``table(leaf, count)``), else read for just these documents."""
    docnums = np.asarray(docnums, dtype=np.int64)
    out: list[Any] = [None] * len(docnums)
    if not len(docnums):
        return out
    sorter = np.argsort(docnums, kind="stable")
    ordered = docnums[sorter]
    for leaf, offset in _segments(searcher):
        size = leaf.reader().doc_count_all()
        lo, hi = np.searchsorted(ordered, [offset, offset + size])
        if hi <= lo:
            continue
        local = (ordered[lo:hi] - offset).tolist()
        values = table(leaf, len(local))
        got = [values[d] for d in local] if values is not None else _read_column(leaf.reader(), name, local)
        for at, value in zip(sorter[lo:hi].tolist(), got, strict=True):
            out[at] = value
    return out


def _read_column(reader: Any, name: str, docnums: Sequence[int] | None = None) -> list[Any]:
    """Values of a segment's column for ``docnums`` (None: every document), as whoosh's column reader gives
    them."""
    column = _VarColumn.open(reader, name)
    if column is not None:
        return column.values(docnums)
    values = reader.column_reader(name)
    return list(values) if docnums is None else [values[d] for d in docnums]


class _VarColumn:
    """A segment's variable-length column (ids, dates, facet records) read without whoosh's column reader.

    whoosh's reader computes every document's offset in a Python loop when it opens (for segments of up to
    32,768 documents, whose offsets are not stored): ~10 ms per 10,000 documents, on every search. Here the
    lengths (and stored offsets) are read as one array each, and a value is one read. The layout is that of
    whoosh's ``VarBytesColumn`` (data, lengths, optional offsets, type codes); :meth:`open` returns None for
    anything else, and the caller uses whoosh's reader.
    """

    def __init__(self, dbfile: Any, base: int, offsets: np.ndarray, lengths: np.ndarray, decode: Callable) -> None:
        self._get = dbfile.get
        self._base = base
        self._offsets = offsets
        self._lengths = lengths
        self._decode = decode

    @classmethod
    def open(cls, reader: Any, name: str) -> _VarColumn | None:
        import struct

        from whoosh.columns import VarBytesColumn

        try:
            fieldobj = reader.schema[name]
            if type(fieldobj.column_type) is not VarBytesColumn:
                return None
            perdoc = reader._perdoc
            if not perdoc.has_column(name):
                return None
            if name not in perdoc._colfiles:  # as perdoc.column_reader keeps it (closed with the reader)
                perdoc._colfiles[name] = perdoc._get_column_file(name)
            dbfile, base, length = perdoc._colfiles[name]
            count = reader.doc_count_all()
            last = base + length - 1
            code = chr(dbfile.get_byte(last))
            offsets = None
            if code == "X":  # offsets stored before the two type codes
                code, offsets_code = chr(dbfile.get_byte(last - 2)), chr(dbfile.get_byte(last - 1))
                size = struct.calcsize(offsets_code)
                start = (last - 2) - count * size
                offsets = np.frombuffer(dbfile.get(start, count * size), dtype=_big_endian(offsets_code, size))
                last = start
            size = struct.calcsize(code)
            lengths = np.frombuffer(dbfile.get(last - size * count, size * count), dtype=_big_endian(code, size))
        except (AttributeError, KeyError, TypeError, ValueError, struct.error):
            return None
        lengths = lengths.astype(np.int64)
        if offsets is None:
            offsets = np.zeros(count, dtype=np.int64)
            np.cumsum(lengths[:-1], out=offsets[1:])
        return cls(dbfile, base, offsets.astype(np.int64), lengths, fieldobj.from_column_value)

    def values(self, docnums: Sequence[int] | None = None) -> list[Any]:
        decode, lengths, offsets = self._decode, self._lengths, self._offsets
        if docnums is None:  # every document: one read
            if not len(lengths):
                return []
            data = self._get(self._base, int(offsets[-1] + lengths[-1]))
            return [decode(data[o : o + n]) for o, n in zip(offsets.tolist(), lengths.tolist(), strict=True)]
        get, base = self._get, self._base
        return [decode(get(base + int(offsets[d]), int(lengths[d])) if lengths[d] else b"") for d in docnums]


def _big_endian(code: str, size: int) -> str:
    """The numpy type of whoosh's array type code ``code`` written big-endian with ``size`` bytes an item."""
    return f">{'u' if code.isupper() else 'i'}{size}"


def _ids_of(searcher: Any, docnums: Sequence[int] | np.ndarray) -> list[str]:
    """The document ids of ``docnums``, in their order."""
    if _is_tantivy(searcher):
        return searcher.ids_of(docnums)

    def table(leaf: Any, count: int) -> list[str] | None:
        ids = _id_table(leaf, build=False)
        return ids.ids if ids is not None else None

    return _column_values(searcher, docnums, "id", table)


def _dates(searcher: Any, docnums: Sequence[int] | np.ndarray) -> list[str]:
    """The dates (``""`` for undated) of ``docnums``, in their order."""
    if _is_tantivy(searcher):
        return searcher.dates(docnums)

    def table(leaf: Any, count: int) -> list[str] | None:
        facets = _facet_table(leaf, count)
        return facets.dates if facets is not None else None

    return [d or "" for d in _column_values(searcher, docnums, "date", table)]


def _linked_positions(searcher: Any, docnums: np.ndarray, groups: dict[str, str]) -> dict[int, str]:
    """Position in ``docnums`` → group root, for the documents of ``docnums`` that are in a duplicate group
    (found by id in each segment's id table, so the ids of the other matches are never read)."""
    if _is_tantivy(searcher):
        return searcher.linked_positions(docnums, groups)
    ordered = np.argsort(docnums, kind="stable")
    sorted_docnums = docnums[ordered]
    out: dict[int, str] = {}
    for leaf, offset in _segments(searcher):
        reader = leaf.reader()
        table = _id_table(leaf, build=True)
        for doc_id, root in groups.items():
            local = table.docnum.get(doc_id)
            if local is None or reader.is_deleted(local):
                continue
            at = int(np.searchsorted(sorted_docnums, local + offset))
            if at < len(sorted_docnums) and sorted_docnums[at] == local + offset:
                out[int(ordered[at])] = root
    return out


# -- per-segment tables, kept while the process runs ---------------------------------------------------------

#: Segments whose tables are kept (a segment never changes; a new index generation has new segments).
TABLES_KEPT = 64

#: A segment's facet table is built when this many of its documents (and at least this share of them, see
#: :func:`_facet_table`) need a facet record or a date; fewer are read one by one.
TABLE_FROM = 1000

_tables: dict[tuple[Any, ...], Any] = {}


def _segment_key(reader: Any, kind: str) -> tuple[Any, ...] | None:
    try:
        folder = reader._storage.folder
        segment = reader.segment()
        return (kind, str(folder), segment.segment_id(), reader.doc_count_all())
    except AttributeError:
        return None


def _cached(reader: Any, kind: str, build: Callable[[], Any] | None) -> Any:
    """The table ``kind`` of a segment: kept from before, else built by ``build`` (None: do not build)."""
    key = _segment_key(reader, kind)
    found = _tables.get(key) if key is not None else None
    if found is None and build is not None:
        found = build()
        if key is not None:
            while len(_tables) >= TABLES_KEPT:
                _tables.pop(next(iter(_tables)))
            _tables[key] = found
    return found


def _facet_table(leaf: Any, count: int) -> FacetTable | None:
    """The facet table of a segment if it is kept, or worth building for ``count`` of its documents."""
    reader = leaf.reader()
    worth = count >= max(TABLE_FROM, reader.doc_count_all() // 10)
    return _cached(reader, "facets", (lambda: FacetTable.build(_read_column(reader, "facets"))) if worth else None)


@dataclass(frozen=True)
class _IdTable:
    """The document ids of a segment by number, and numbers by id."""

    ids: list[str]
    docnum: dict[str, int]


def _id_table(leaf: Any, *, build: bool) -> _IdTable | None:
    """A segment's id table if it is kept; with ``build``, made if it is not (reads every id once)."""
    reader = leaf.reader()

    def make() -> _IdTable:
        ids = _read_column(reader, "id")
        return _IdTable(ids, {doc_id: n for n, doc_id in enumerate(ids)})

    return _cached(reader, "ids", make if build else None)
