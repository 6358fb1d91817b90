"""Query tree (:mod:`.query`) → whoosh query, with the index's analysis and the gazetteer.

A word searches ``title`` (boost 3), ``body`` and ``resolution`` (boost 2) and the scores add up (whoosh's
BM25F with per-field boosts). Each word goes through the analysis profile's query chain, so "Kreises" finds
"Kreis" and "Foerderung" finds "Förderung"; where the profile can expand a compound, the word matches its exact
form *or* all of its parts, the parts with a lower weight ("Clusterförderung" finds "Cluster-Förderung").
Prefixes work on folded spellings ("Förder*" → ``foerder…``), wildcards on the folded and the stemmed pattern,
fuzzy words on the word's term. Filters (``type:``, ``region:`` …) only select: they are wrapped so that they
add (next to) nothing to a document's score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whoosh import query as wq

from clustermine.index import query as q
from clustermine.index.schema import TEXT_FIELDS, AnalysisProfile, analyzer
from clustermine.index.taxonomy import FIELD_KINDS, NAME_MARK, Taxonomy, name_key

#: Query field → the index fields it searches.
FIELD_MAP: dict[str | None, tuple[str, ...]] = {None: TEXT_FIELDS, **q.TEXT_FIELDS}

#: Entity filter → (keyword field of direct ids, keyword field with ancestors, names field).
ENTITY_FIELDS: dict[str, tuple[str, str, str]] = {
    "region": ("regions", "regions_all", "regions_names"),
    "cluster": ("clusters", "clusters", "clusters_names"),
    "program": ("programs", "programs", "programs_names"),
    "org": ("orgs", "orgs", "orgs_names"),
}


#: Letters that stand for ``*`` and ``?`` while a wildcard pattern goes through the analysis chain.
_MANY, _ONE = "\u01c1", "\u01c2"  # ǁ ǂ: letters (so tokens stay whole) that no German word contains


@dataclass(frozen=True)
class Alternative:
    """One way a query word can match: all ``terms`` (as index terms), scored with ``weight``."""

    terms: tuple[str, ...]
    weight: float = 1.0
    kind: str = "exact"  # exact | parts | phrase


class Compiler:
    """Turns query trees into whoosh queries for one index (its analysis profile) and one gazetteer."""

    def __init__(self, profile: AnalysisProfile, taxonomy: Taxonomy, *, include_subregions: bool = True) -> None:
        self.profile = profile
        self.taxonomy = taxonomy
        self.include_subregions = include_subregions

    # -- the tree -------------------------------------------------------------------------------------------

    def compile(self, node: q.Node | None) -> wq.Query:
        """The whoosh query of a tree; ``Every()`` for an empty query, ``NullQuery`` when nothing can match."""
        if node is None:
            return wq.Every()
        compiled = self._node(node)
        if compiled is None:
            return wq.NullQuery
        if isinstance(compiled, wq.Not):
            return wq.And([wq.Every(), compiled])
        return compiled

    def _node(self, node: q.Node) -> wq.Query | None:
        if isinstance(node, q.And):
            items = [c for c in (self._node(i) for i in node.items) if c is not None]
            if not items:
                return None
            if all(isinstance(i, wq.Not) for i in items):
                items.insert(0, wq.Every())
            return items[0] if len(items) == 1 else wq.And(items)
        if isinstance(node, q.Or):
            items = [c for c in (self._node(i) for i in node.items) if c is not None]
            items = [wq.And([wq.Every(), i]) if isinstance(i, wq.Not) else i for i in items]
            if not items:
                return None
            return items[0] if len(items) == 1 else wq.Or(items)
        if isinstance(node, q.Not):
            inner = self._node(node.item)
            return wq.Not(inner) if inner is not None else None
        if isinstance(node, q.Word):
            return self.word(node)
        if isinstance(node, q.Phrase):
            return self.phrase(node)
        if isinstance(node, q.YearRange):  # whoosh mishandles an open start: give both ends
            return _select(wq.NumericRange("year", node.start or 0, node.end or 9999))
        if isinstance(node, q.Filter):
            return _select(self.filter(node))
        raise TypeError(f"unknown query node {node!r}")

    # -- text -----------------------------------------------------------------------------------------------

    def alternatives(self, text: str) -> list[Alternative]:
        """The ways one query word can match, as index terms (empty for a stop word).

        The first alternative is the word itself: one term, or for text that the analysis reads as several
        words (``Wachstums/Beschäftigung``) a phrase of their terms; the others are compound parts.
        """
        out = []
        for i, (terms, weight) in enumerate(self.profile.expand(text)):
            if terms:
                kind = "exact" if len(terms) == 1 else ("phrase" if i == 0 else "parts")
                out.append(Alternative(tuple(terms), weight, kind))
        return out

    def folded(self, text: str) -> str:
        """A word's spelling for prefix and wildcard matching (case and umlauts folded, not stemmed)."""
        return self.profile.word_info(text).folded

    def word(self, node: q.Word) -> wq.Query | None:
        fields = FIELD_MAP[node.field]
        if node.prefix:
            return _any([wq.Prefix(f, self.folded(node.text)) for f in fields])
        if node.wildcard:
            return self.wildcard(node.text, fields)
        alternatives = self.alternatives(node.text)
        if not alternatives:
            return None
        if node.fuzzy:  # a misspelt word has no meaningful parts
            alternatives = alternatives[:1]
        queries: list[wq.Query] = []
        for field in fields:
            for alt in alternatives:
                if node.fuzzy:
                    terms = [
                        wq.FuzzyTerm(field, t, maxdist=node.fuzzy, prefixlength=1, constantscore=False)
                        for t in alt.terms
                    ]
                else:
                    terms = [wq.Term(field, t) for t in alt.terms]
                if len(terms) == 1:
                    one = terms[0]
                elif alt.kind == "phrase" and not node.fuzzy:
                    one = wq.Phrase(field, list(alt.terms))
                else:
                    one = wq.And(terms)
                if alt.weight != 1.0:
                    one = _boosted(one, alt.weight)
                queries.append(one)
        return _any(queries)

    def wildcard(self, pattern: str, fields: tuple[str, ...]) -> wq.Query | None:
        """``Beschichtungsverf?hren``: the pattern analysed like a word, wildcards held by placeholder letters.

        Index terms are stems ("beschichtungsverfahr"), which the pattern written as a whole word would miss,
        so the pattern is stemmed as well (the placeholders are letters to the analysis chain); the merely
        folded pattern is tried too, for patterns whose ending the stemmer reads differently.
        """
        held = pattern.replace("*", _MANY).replace("?", _ONE)
        forms = {self.folded(held)}
        forms.update(t.text for t in analyzer(self.profile.name, "query")(held, mode="query"))
        patterns = sorted({f.replace(_MANY, "*").replace(_ONE, "?") for f in forms if _MANY in f or _ONE in f})
        return _any([wq.Wildcard(f, p) for f in fields for p in patterns])

    def term(self, text: str) -> str | None:
        """The one index term of a query word (None for a stop word or text of several words)."""
        alternatives = self.profile.expand(text)
        return alternatives[0][0][0] if alternatives and len(alternatives[0][0]) == 1 else None

    def phrase(self, node: q.Phrase) -> wq.Query | None:
        tokens = [t.text for t in analyzer(self.profile.name, "query")(node.text, mode="query")]
        if not tokens:
            return None
        fields = FIELD_MAP[node.field]
        if len(tokens) == 1:
            return _any([wq.Term(f, tokens[0]) for f in fields])
        return _any([wq.Phrase(f, tokens, slop=1 + node.slop) for f in fields])

    # -- filters --------------------------------------------------------------------------------------------

    def filter(self, node: q.Filter) -> wq.Query:
        field, value = node.field, node.value
        if field == "type":
            return wq.Term("doctype", value)
        if field in ENTITY_FIELDS:
            return self.entity_filter(field, value)
        if field == "number":
            key = " ".join(value.replace(",", " ").lower().split())
            return wq.Prefix("number", key[:-1]) if key.endswith("*") else wq.Term("number", key)
        if field == "id":
            return wq.Prefix("id", value.lower().rstrip("*"))
        return self._names(field, value)  # council, committee, source

    def entity_filter(self, field: str, value: str) -> wq.Query:
        """``region:Mettmann``: gazetteer ids (regions with what lies inside them), else the entities' names.

        For clusters, programmes and organisations the names are searched as well, so ``program:EFRE`` also
        finds documents that name a funding period ("EFRE 2014–2020").
        """
        direct, with_ancestors, names = ENTITY_FIELDS[field]
        if value.startswith(NAME_MARK):  # a facet value of an entity found by pattern only
            return wq.Term(direct, name_key(value).lower())
        ids = self.taxonomy.resolve(field, value)
        keyword = with_ancestors if field == "region" and self.include_subregions else direct
        by_id = [wq.Term(keyword, i) for i in ids]
        if ids and FIELD_KINDS[field] == "REGION":
            return _any(by_id) or wq.NullQuery
        return _any([*by_id, self._names(names, value)]) or wq.NullQuery

    def _names(self, field: str, value: str) -> wq.Query:
        tokens = [t.text for t in analyzer(self.profile.name, "names")(value)]
        if not tokens:
            return wq.NullQuery
        if len(tokens) == 1:
            return wq.Term(field, tokens[0])
        return wq.Phrase(field, tokens)


def _any(queries: list[Any]) -> wq.Query | None:
    queries = [x for x in queries if x is not None and x is not wq.NullQuery]
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.Or(queries)


#: What a filter adds to a score: next to nothing (whoosh treats a constant score of 0 as "unset").
_FILTER_SCORE = 1e-9


def _select(query: wq.Query) -> wq.Query:
    """A filter matches without adding (noticeably) to the score."""
    return wq.ConstantScoreQuery(query, _FILTER_SCORE)


def _boosted(query: wq.Query, boost: float) -> wq.Query:
    query = query.copy()
    query.boost = query.boost * boost
    return query
