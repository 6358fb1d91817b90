"""Searching: query text and filters in, a page of :class:`~clustermine.model.Hit` records out.

The steps, each in its own module: parse (:mod:`.query`), compile against the index's analysis and the
gazetteer (:mod:`.compiler`), rank everything that matches (BM25F, or newest first), collapse near-duplicates
(:mod:`.collapse`), count facets over the collapsed set (:mod:`.facets`), and only for the page shown: read
the documents from the store, cut snippets (:mod:`.snippets`), explain (:mod:`.explain`). When a query finds
fewer than three documents, :mod:`.suggest` looks for a better spelling.

Ranking, collapsing and facets need every match, not just one page: totals are counted *after* collapsing,
and page 3 must not show a document that page 1 already folded into its near-duplicate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.scoring import BM25F

from clustermine.errors import BadQueryError, ClustermineError
from clustermine.index import query as q
from clustermine.index.collapse import Group, collapse, store_groups
from clustermine.index.compiler import Compiler
from clustermine.index.explain import QueryWord, expanded_terms, explain_hit
from clustermine.index.facets import count_facets
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
    options = {"filters": filters, "limit": limit, "page": page, "sort": sort, "collapse": collapse,
               "explain": explain}
    result = _search_once(store, query, **options)
    if autocorrect and result.total == 0 and result.suggestion and result.suggestion != query:
        corrected = _search_once(store, result.suggestion, **options)
        if corrected.total:
            return replace(corrected, corrected_from=query)
    explicit = re.search(r"\b(?:AND|UND|OR|ODER|NOT|NICHT)\b", query or "")  # the user said how words combine
    relaxed = None
    if relax and result.total == 0 and not explicit:
        relaxed = _any_words(q.parse_query(query or ""))
    if relaxed is not None:
        # all words together found nothing: rank the documents that have most of them rather than show nothing
        found = _search_once(store, query, tree=relaxed, **options)
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


def _search_once(
    store: Any,
    query: str,
    *,
    filters: SearchFilters | None,
    limit: int,
    page: int,
    sort: str,
    collapse: bool,
    explain: bool,
    tree: q.Node | None = None,
) -> SearchResult:
    _check_paging(limit, page, sort)
    tree = tree if tree is not None else q.parse_query(query or "")
    filters = filters if filters is not None else SearchFilters()
    with open_searcher(store.home) as (searcher, meta):
        prof = profile(meta.analysis)
        _saved_splits(store, prof)
        compiler = Compiler(prof, _taxonomy(store, tree, filters), include_subregions=filters.include_subregions)
        whoosh_query = _combine(compiler, tree, filters)
        positive = q.text_terms(tree)
        ranked = _rank(searcher, whoosh_query, by_date=sort == "date" or not positive)
        groups = collapse_ranked(store, searcher, ranked, enabled=collapse)
        words = [_query_word(compiler, prof, t) for t in positive]
        terms = [_term_group(w, searcher.reader()) for w in words]
        hits = _hits(store, searcher, ranked, groups, page, limit, prof, terms, words if explain else None)
        suggestion = None
        if len(groups) < SUGGEST_BELOW and positive:
            suggestion = _suggestion(store, searcher, compiler, tree, query, filters, len(groups))
        facets = count_facets(_facet_records(searcher, ranked, groups), lambda ids: entity_labels(store, ids))
    return SearchResult(query, len(groups), hits, facets, suggestion, page, limit)


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
        ranked = _rank(searcher, _combine(compiler, tree, filters), by_date=not q.text_terms(tree))
        if collapse:
            return [group.doc_id for group in collapse_ranked(store, searcher, ranked, enabled=True)]
        ids = searcher.reader().column_reader("id")
        return [ids[docnum] for docnum, _ in ranked]


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
        ranked = _rank(searcher, wq.And([like, *not_these]), by_date=False)
        groups = collapse_ranked(store, searcher, ranked, enabled=collapse)
        terms: list[TermGroup] = [({term for term, _ in keywords}, ())]
        hits = _hits(store, searcher, ranked, groups, 1, limit, prof, terms, None)
        facets = count_facets(_facet_records(searcher, ranked, groups), lambda ids: entity_labels(store, ids))
    return SearchResult(f"similar:{doc.id}", len(groups), hits, facets, None, 1, limit)


# -- opening ------------------------------------------------------------------------------------------------


@contextmanager
def open_searcher(home: Any) -> Iterator[tuple[Any, IndexMeta]]:
    """A BM25F searcher on the current index generation, and what that generation was built with.

    A rebuild may swap generations between reading ``CURRENT`` and opening the files; one retry reads the
    pointer again.
    """
    location = IndexLocation(home)
    searcher = None
    for attempt in range(2):
        folder = location.require()
        meta = location.meta(folder)
        try:
            ix = whoosh_index.open_dir(str(folder), indexname=WHOOSH_NAME)
            searcher = ix.searcher(weighting=BM25F())
            break
        except (OSError, whoosh_index.EmptyIndexError) as exc:
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


def _rank(searcher: Any, whoosh_query: wq.Query, *, by_date: bool) -> list[tuple[int, float]]:
    """(docnum, score) of every match, best first (or newest first, score breaking ties)."""
    if whoosh_query is wq.NullQuery:
        return []
    results = searcher.search(whoosh_query, limit=None)
    ranked = [(docnum, float(score)) for score, docnum in results.top_n]
    if by_date:
        dates = searcher.reader().column_reader("date")
        ranked.sort(key=lambda pair: (dates[pair[0]] or "", pair[1]), reverse=True)
    return ranked


def _suggestion(
    store: Any, searcher: Any, compiler: Compiler, tree: q.Node | None, query: str, filters: SearchFilters, total: int
) -> str | None:
    """"Did you mean": corpus words for the query's unknown words, if the corrected query finds more."""
    vocabulary = Vocabulary(
        searcher.reader(), compiler.term, lambda doc_id: _text_of(store, doc_id), index_forms(compiler.profile.name)
    )
    return suggest(
        vocabulary, tree, query, total, lambda text: _count(searcher, _combine(compiler, q.parse_query(text), filters))
    )


def _text_of(store: Any, doc_id: str) -> str:
    docs = stored_documents(store, [doc_id])
    return docs[doc_id].text if doc_id in docs else ""


def _count(searcher: Any, whoosh_query: wq.Query) -> int:
    if whoosh_query is wq.NullQuery:
        return 0
    return len(searcher.search(whoosh_query, limit=None, scored=False))


def collapse_ranked(store: Any, searcher: Any, ranked: list[tuple[int, float]], *, enabled: bool) -> list[Group]:
    ids = searcher.reader().column_reader("id")
    return collapse([ids[docnum] for docnum, _ in ranked], store_groups(store) if enabled else {}, enabled=enabled)


def _facet_records(searcher: Any, ranked: list[tuple[int, float]], groups: list[Group]) -> Iterator[bytes]:
    column = searcher.reader().column_reader("facets")
    for group in groups:
        yield column[ranked[group.position][0]]


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
    ranked: list[tuple[int, float]],
    groups: list[Group],
    page: int,
    limit: int,
    prof: AnalysisProfile,
    terms: list[TermGroup],
    explain_words: list[QueryWord] | None,
) -> list[Hit]:
    shown = groups[(page - 1) * limit : page * limit]
    docs = stored_documents(store, [g.doc_id for g in shown])
    forms = index_forms(prof.name)
    hits = []
    for offset, group in enumerate(shown):
        doc = docs.get(group.doc_id)
        if doc is None:  # removed from the store since the last sync
            continue
        docnum, score = ranked[group.position]
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
