"""The tantivy backend's side of searching: whoosh query trees run on a tantivy index.

The compiler (:mod:`.compiler`) turns a query into a whoosh query tree for either backend; here the tree is
translated node by node into tantivy queries, so parsing, German analysis, entity filters and compound
alternatives are shared. What the engine needs beyond matching is provided with the same calls it makes on a
whoosh searcher and reader, so collapsing, facets, snippets, "did you mean" and ``--explain`` work unchanged:

- document numbers are the ``seq`` values of :mod:`.tantivy_store` (ascending, never reused); ids, dates and
  facet records come from the generation's column table;
- a text field's term is searched in the field and, at the compound-part weight, in its parts field, which is
  how whoosh scores a part token (boost 0.4) of the same field;
- field boosts (title 3, resolution 2) multiply the field's BM25 score; scores are tantivy's BM25 per field,
  summed, not whoosh's BM25F, so the order of close hits may differ between backends.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import Counter
from contextlib import suppress
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as wq

from clustermine.errors import BadQueryError
from clustermine.index.facets import FacetCounter, FacetTable
from clustermine.index.schema import analyzer, build_schema
from clustermine.index.tantivy_store import (
    COLUMNS,
    FIELD_BOOSTS,
    PARTS,
    SCORED_FIELDS,
    TANTIVY_DIR,
    require_tantivy,
)

#: Weight of a compound part relative to a whole word: the token boost the German chain gives parts.
PART_WEIGHT = 0.4

#: Up to this many documents, their column values are read by seq; beyond, the whole table is loaded (once per
#: generation and process).
READ_ROWS_UP_TO = 2000

_REGEX_SPECIAL = set("\\.+*?()|[]{}^$#&-~")

_tables: dict[tuple[str, int], _Table] = {}


class _Table:
    """The column table of one generation in seq order, loaded whole: for large result sets."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        rows = conn.execute("SELECT seq, id, date, facets FROM docs ORDER BY seq").fetchall()
        self.seqs = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        self.ids = [r[1] for r in rows]
        self.dates = [r[2] for r in rows]
        self.records = [r[3] for r in rows]
        self._facets: FacetTable | None = None

    @property
    def facets(self) -> FacetTable:
        if self._facets is None:
            self._facets = FacetTable.build(self.records)
        return self._facets

    def rows_of(self, seqs: np.ndarray) -> np.ndarray:
        """Row numbers of ``seqs`` (-1 for a seq the table does not hold)."""
        if not len(self.seqs):
            return np.full(len(seqs), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.seqs, seqs), len(self.seqs) - 1)
        return np.where(self.seqs[at] == seqs, at, -1)


class TantivySearcher:
    """A searcher on one tantivy generation, answering the calls :mod:`.engine` makes."""

    backend = "tantivy"

    def __init__(self, folder: Path, analysis: str) -> None:
        self.tantivy = require_tantivy()
        self.folder = folder
        self.analysis = analysis
        self.index = self.tantivy.Index.open(str(folder / TANTIVY_DIR))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()
        self.conn = sqlite3.connect(f"file:{folder / COLUMNS}?mode=ro", uri=True, timeout=30)
        info = dict(self.conn.execute("SELECT key, value FROM info"))
        self.generation = int(info.get("generation", 0))
        self.committed = int(info.get("committed_seq", 0))
        self.whoosh_schema = build_schema(analysis)
        self._reader: TermReader | None = None

    def close(self) -> None:
        self.conn.close()

    # -- matching -------------------------------------------------------------------------------------------

    def match(self, query: wq.Query, *, scored: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Every document ``query`` matches: seqs ascending, and their scores (zeros without ``scored``)."""
        size = self.searcher.num_docs
        converted = self.convert(query)
        if converted is None or size == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        hits = self.searcher.search(converted, limit=size, count=False).hits
        if not hits:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        seqs = np.asarray(self.searcher.fast_field_values("seq", [address for _, address in hits]), dtype=np.int64)
        scores = np.fromiter((score for score, _ in hits), dtype=np.float64, count=len(hits))
        known = seqs < self.committed  # not yet in the column table: left by a crash, replaced by the next sync
        seqs, scores = seqs[known], scores[known]
        order = np.argsort(seqs, kind="stable")
        return seqs[order], (scores[order] if scored else np.zeros(len(seqs)))

    def count(self, query: wq.Query) -> int:
        """How many documents ``query`` matches (those the column table knows, as :meth:`match` counts)."""
        return len(self.match(query, scored=False)[0])

    def convert(self, node: wq.Query) -> Any | None:
        """The tantivy query of a whoosh query tree; None for a query that matches nothing."""
        query = self._convert(node)
        boost = getattr(node, "boost", 1.0)
        if query is not None and boost != 1.0:
            query = self.tantivy.Query.boost_query(query, float(boost))
        return query

    def _convert(self, node: wq.Query) -> Any | None:  # noqa: C901 - one branch per query type, kept together
        Query, Occur = self.tantivy.Query, self.tantivy.Occur
        if node is wq.NullQuery or isinstance(node, type(wq.NullQuery)):
            return None
        if isinstance(node, wq.Every):
            return Query.all_query()
        if isinstance(node, wq.ConstantScoreQuery):
            inner = self.convert(node.child)
            return None if inner is None else Query.const_score_query(inner, float(node.score))
        if isinstance(node, wq.Not):
            inner = self.convert(node.query)
            if inner is None:
                return Query.all_query()
            return Query.boolean_query([(Occur.Must, Query.all_query()), (Occur.MustNot, inner)])
        if isinstance(node, wq.And):
            must, must_not = [], []
            for child in node.subqueries:
                if isinstance(child, wq.Not):
                    inner = self.convert(child.query)
                    if inner is not None:
                        must_not.append(inner)
                    continue
                converted = self.convert(child)
                if converted is None:
                    return None
                must.append(converted)
            if not must:
                must.append(Query.all_query())
            return Query.boolean_query([(Occur.Must, q) for q in must] + [(Occur.MustNot, q) for q in must_not])
        if isinstance(node, wq.Or):
            should = [c for c in (self.convert(child) for child in node.subqueries) if c is not None]
            if not should:
                return None
            return should[0] if len(should) == 1 else Query.boolean_query([(Occur.Should, q) for q in should])
        if isinstance(node, wq.Phrase):
            return self._phrase(node)
        if isinstance(node, wq.FuzzyTerm):  # before Term: a FuzzyTerm is a Term
            return self._with_parts(node.fieldname, lambda field: Query.fuzzy_term_query(
                self.schema, field, node.text, distance=int(node.maxdist), transposition_cost_one=True))
        if isinstance(node, wq.Term):
            return self._term(node.fieldname, node.text)
        if isinstance(node, wq.Prefix):
            return self._regex(node.fieldname, _escape(node.text) + ".*")
        if isinstance(node, wq.Wildcard):
            pattern = "".join(".*" if c == "*" else "." if c == "?" else _escape(c) for c in node.text)
            return self._regex(node.fieldname, pattern)
        if isinstance(node, wq.NumericRange):
            return Query.range_query(self.schema, node.fieldname, self.tantivy.FieldType.Integer,
                                     None if node.start is None else int(node.start),
                                     None if node.end is None else int(node.end),
                                     include_lower=not node.startexcl, include_upper=not node.endexcl)
        raise BadQueryError(f"the tantivy backend cannot run a query of type {type(node).__name__}")

    def _term(self, field: str, text: Any) -> Any:
        Query = self.tantivy.Query
        if field == "year":
            return Query.term_query(self.schema, field, int(text))
        if field not in SCORED_FIELDS:  # keywords and ids: matched, not scored (whoosh's WeightScorer gives 1)
            return Query.const_score_query(Query.term_query(self.schema, field, str(text)), 1.0)
        return self._with_parts(field, lambda name: Query.term_query(self.schema, name, str(text)))

    def _regex(self, field: str, pattern: str) -> Any:
        Query = self.tantivy.Query
        if field not in SCORED_FIELDS:
            return Query.const_score_query(Query.regex_query(self.schema, field, pattern), 1.0)
        return self._with_parts(field, lambda name: Query.regex_query(self.schema, name, pattern))

    def _with_parts(self, field: str, make: Any) -> Any:
        """``make(field)`` at the field's boost, or'ed with ``make(parts field)`` at the part weight on top."""
        Query, Occur = self.tantivy.Query, self.tantivy.Occur
        boost = FIELD_BOOSTS.get(field, 1.0)
        whole = make(field)
        if boost != 1.0:
            whole = Query.boost_query(whole, boost)
        if field + PARTS not in _PART_FIELDS:
            return whole
        parts = Query.boost_query(make(field + PARTS), boost * PART_WEIGHT)
        return Query.boolean_query([(Occur.Should, whole), (Occur.Should, parts)])

    def _phrase(self, node: wq.Phrase) -> Any | None:
        Query = self.tantivy.Query
        words = [str(w) for w in node.words]
        if not words:
            return None
        if len(words) == 1:
            return self._term(node.fieldname, words[0])
        query = Query.phrase_query(self.schema, node.fieldname, words, slop=max(0, int(node.slop) - 1))
        boost = FIELD_BOOSTS.get(node.fieldname, 1.0)
        return Query.boost_query(query, boost) if boost != 1.0 else query

    # -- columns ----------------------------------------------------------------------------------------------

    def table(self) -> _Table:
        key = (str(self.folder), self.generation)
        found = _tables.get(key)
        if found is None:
            _tables.clear()  # one generation at a time: an older one is not searched again by this process
            found = _tables[key] = _Table(self.conn)
        return found

    def _values(self, seqs: Any, column: str) -> list[Any]:
        seqs = np.asarray(seqs, dtype=np.int64)
        if len(seqs) > READ_ROWS_UP_TO or (str(self.folder), self.generation) in _tables:
            table = self.table()
            values = getattr(table, {"id": "ids", "date": "dates", "facets": "records"}[column])
            return [values[r] if r >= 0 else None for r in table.rows_of(seqs).tolist()]
        found: dict[int, Any] = {}
        wanted = sorted(set(seqs.tolist()))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self.conn.execute(f"SELECT seq, {column} FROM docs WHERE seq IN ({marks})", chunk))
        return [found.get(s) for s in seqs.tolist()]

    def ids_of(self, seqs: Any) -> list[str]:
        return [v or "" for v in self._values(seqs, "id")]

    def dates(self, seqs: Any) -> list[str]:
        return [v or "" for v in self._values(seqs, "date")]

    def add_facets(self, counter: FacetCounter, seqs: np.ndarray) -> None:
        if len(seqs) > READ_ROWS_UP_TO:
            table = self.table()
            rows = table.rows_of(np.asarray(seqs, dtype=np.int64))
            counter.add_table(table.facets, np.unique(rows[rows >= 0]))
        else:
            counter.add_records([r for r in self._values(seqs, "facets") if r is not None])

    def linked_positions(self, seqs: np.ndarray, groups: dict[str, str]) -> dict[int, str]:
        """Position in ``seqs`` → group root, for the documents of ``seqs`` that are in a duplicate group."""
        wanted = list(groups)
        found: dict[int, str] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for seq, doc_id in self.conn.execute(f"SELECT seq, id FROM docs WHERE id IN ({marks})", chunk):
                found[int(seq)] = groups[doc_id]
        out: dict[int, str] = {}
        if not found:
            return out
        keys = np.fromiter(found, dtype=np.int64, count=len(found))
        for position in np.flatnonzero(np.isin(seqs, keys)).tolist():
            out[position] = found[int(seqs[position])]
        return out

    # -- terms ------------------------------------------------------------------------------------------------

    def reader(self) -> TermReader:
        if self._reader is None:
            self._reader = TermReader(self)
        return self._reader

    def key_terms_from_text(self, field: str, text: str, numterms: int = 25) -> list[tuple[str, float]]:
        """The terms of ``text`` that say most about it, by the Bo1 model whoosh's own method uses (with
        document frequencies, which tantivy keeps, in place of collection frequencies)."""
        counts = Counter(t.text for t in analyzer(self.analysis, "index")(text) if t.boost >= 1.0)
        total = max(self.searcher.num_docs, 1)
        weights = []
        for term, tf in counts.items():
            frequency = self.searcher.doc_freq(field, term)
            if not frequency:
                continue
            share = frequency / total
            weights.append((term, tf * math.log2((1.0 + share) / share) + math.log2(1.0 + share)))
        weights.sort(key=lambda item: (-item[1], item[0]))
        return weights[:numterms]

    def term_score(self, field: str, term: str, seq: int) -> float | None:
        """The score ``term`` in ``field`` contributes to document ``seq``, or None if the document lacks it."""
        Query, Occur = self.tantivy.Query, self.tantivy.Occur
        address = self._address(seq)
        if address is None:
            return None
        query = self._term(field, term)
        both = Query.boolean_query([(Occur.Must, query), (Occur.Must, Query.term_query(self.schema, "seq", seq))])
        if not self.searcher.search(both, limit=1, count=False).hits:
            return None
        return float(json.loads(query.explain(self.searcher, address).to_json()).get("value", 0.0))

    def _address(self, seq: int) -> Any | None:
        hits = self.searcher.search(self.tantivy.Query.term_query(self.schema, "seq", int(seq)), limit=1).hits
        return hits[0][1] if hits else None

    def first_with(self, field: str, term: str) -> int | None:
        """The seq of one document that has ``term`` in ``field`` (whole words first), or None."""
        Query = self.tantivy.Query
        for name in (field, field + PARTS) if field + PARTS in _PART_FIELDS else (field,):
            hits = self.searcher.search(Query.term_query(self.schema, name, term), limit=1).hits
            if hits:
                return int(self.searcher.fast_field_values("seq", [hits[0][1]])[0])
        return None


_PART_FIELDS = frozenset(f + PARTS for f in ("title", "body", "resolution"))


class TermReader:
    """The calls whoosh queries and :mod:`.suggest` make on an index reader, answered from tantivy's term
    dictionary (a field's terms include its parts field's, as whoosh keeps parts in the same field)."""

    def __init__(self, searcher: TantivySearcher) -> None:
        self.owner = searcher
        self.schema = searcher.whoosh_schema
        self._prefixed: dict[tuple[str, str], list[str]] = {}

    def _fields(self, field: str) -> tuple[str, ...]:
        return (field, field + PARTS) if field + PARTS in _PART_FIELDS else (field,)

    def _terms(self, field: str, prefix: str) -> list[str]:
        key = (field, prefix)
        if key not in self._prefixed:
            found: set[str] = set()
            for name in self._fields(field):
                with suppress(ValueError):  # not a text field
                    found.update(t for t, _ in self.owner.searcher.terms_with_prefix(name, prefix))
            self._prefixed[key] = sorted(found)
        return self._prefixed[key]

    def doc_frequency(self, field: str, term: Any) -> int:
        text = term.decode("utf-8") if isinstance(term, bytes) else str(term)
        try:
            return sum(int(self.owner.searcher.doc_freq(name, text)) for name in self._fields(field))
        except ValueError:
            return 0

    def __contains__(self, item: tuple[str, Any]) -> bool:
        field, term = item
        return self.doc_frequency(field, term) > 0

    def expand_prefix(self, field: str, prefix: Any) -> list[bytes]:
        text = prefix.decode("utf-8") if isinstance(prefix, bytes) else str(prefix)
        return [t.encode("utf-8") for t in self._terms(field, text)]

    def lexicon(self, field: str) -> list[bytes]:
        return self.expand_prefix(field, "")

    def terms_within(self, field: str, text: str, maxdist: int, prefix: int = 0) -> list[str]:
        """The terms within ``maxdist`` edits of ``text`` that share its first ``prefix`` letters: an edit
        automaton walked over the sorted terms, jumping from one possible term to the next (as
        :func:`.suggest.terms_within` does on whoosh's term tables), not a comparison with every term."""
        from bisect import bisect_left

        from clustermine.index.suggest import edit_automaton

        terms = self._terms(field, text[:prefix])
        if not terms:
            return []
        dfa = edit_automaton(text, maxdist, prefix)
        out = []
        match = dfa.next_valid_string(terms[0])
        while match:
            at = bisect_left(terms, match)
            if at == len(terms):
                break
            term = terms[at]
            if term == match:
                out.append(term)
                term += "\0"
            match = dfa.next_valid_string(term)
        return out

    def leaf_readers(self) -> list[tuple[TermReader, int]]:
        return [(self, 0)]

    def postings(self, field: str, term: Any) -> _First:
        text = term.decode("utf-8") if isinstance(term, bytes) else str(term)
        return _First(self.owner.first_with(field, text))


class _First:
    """The postings of a term as far as :mod:`.suggest` reads them: the first document, if any."""

    def __init__(self, seq: int | None) -> None:
        self.seq = seq

    def is_active(self) -> bool:
        return self.seq is not None

    def id(self) -> int:
        assert self.seq is not None
        return self.seq


def _escape(text: str) -> str:
    return "".join("\\" + c if c in _REGEX_SPECIAL else c for c in text)
