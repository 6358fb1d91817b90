"""The fast paths of searching give what the plain whoosh way gives, and the fallbacks stay cheap and bounded.

Matching on arrays (:func:`clustermine.index.engine.match`) must find the documents whoosh's searcher finds, with
its scores and in its order; block reading, the column reader, the facet table, collapsing by linked documents
and the automaton walk for spelling neighbours each against the straightforward way. The fallbacks (spelling,
autocorrection, any-words) share one searcher, do not repeat work, and stay within their budget.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import columns, fields, index
from whoosh import query as wq
from whoosh.scoring import BM25F
from whoosh.support.levenshtein import damerau_levenshtein

from clustermine.corpus.store import CorpusStore
from clustermine.index import SearchFilters, engine, search
from clustermine.index import query as q
from clustermine.index import suggest as spelling
from clustermine.index.collapse import collapse, fold_duplicates
from clustermine.index.compiler import Compiler
from clustermine.index.facets import FacetCounter, FacetTable, count_facets
from clustermine.index.schema import profile
from tests.index.conftest import whoosh_only

WORDS = [f"w{i}" for i in range(12)] + ["alpha", "beta", "gamma", "delta", "kreis", "cluster", "logistik"]


# -- a plain whoosh index with long posting lists, several segments and deletions ----------------------------


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """1,000 documents of frequent words in three segments (one with deletions): terms of several blocks."""
    folder = tmp_path_factory.mktemp("plain")
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        title=fields.TEXT(field_boost=3.0),
        body=fields.TEXT(),
        tag=fields.KEYWORD(commas=True, scorable=False),
        facets=fields.COLUMN(columns.VarBytesColumn()),
    )
    ix = index.create_in(str(folder), schema)
    rng = random.Random(11)
    number = 0
    for size in (600, 300, 100):
        writer = ix.writer()
        for _ in range(size):
            body = " ".join(rng.choice(WORDS[: 6 + number % 13]) for _ in range(rng.randint(3, 60)))
            title = " ".join(rng.sample(WORDS, 3))
            writer.add_document(
                id=f"d{number}", title=title, body=body, tag=rng.choice(["a", "b", "a,b"]),
                facets=f"t{number % 3}\x1f{2000 + number % 7}\x1f2020-01-0{1 + number % 9}".encode(),
            )
            number += 1
        writer.commit(merge=False)
    writer = ix.writer()
    for gone in range(0, 1000, 7):
        writer.delete_by_term("id", f"d{gone}")
    writer.commit(merge=False)
    with ix.searcher(weighting=BM25F()) as searcher:
        assert len(searcher.subsearchers) == 3 and searcher.reader().has_deletions()
        yield searcher


def whoosh_ranking(searcher: Any, query: wq.Query) -> list[tuple[int, float]]:
    return [(docnum, score) for score, docnum in searcher.search(query, limit=None).top_n]


def assert_same_ranking(searcher: Any, query: wq.Query) -> None:
    expected = whoosh_ranking(searcher, query)
    ranking = engine._rank(searcher, query, by_date=False)
    assert ranking.docnums.tolist() == [docnum for docnum, _ in expected], repr(query)
    assert np.allclose(ranking.scores, [score for _, score in expected], rtol=1e-12, atol=0), repr(query)
    assert engine._count(searcher, query) == len(expected)


T = wq.Term


@pytest.mark.parametrize(
    "query",
    [
        T("body", "w1"),
        T("body", "w1", boost=2.5),
        T("title", "alpha"),
        T("body", "nowhere"),
        T("nofield", "w1"),
        wq.And([T("body", "w1"), T("body", "w2")]),
        wq.And([T("body", "w1"), T("body", "w2")], boost=0.3),
        wq.And([T("body", "w1")], boost=7.0),  # one part: whoosh ignores the boost
        wq.Or([T("title", "w3"), T("body", "w3"), wq.And([T("body", "w4"), T("body", "w5")], boost=0.3)]),
        wq.Or([T("body", "w1"), T("body", "w2")], boost=2.0),
        wq.And([T("body", "w1"), wq.Not(T("body", "w2"))]),
        wq.And([wq.Every(), wq.Not(T("body", "w0"))]),
        wq.And([wq.Or([T("body", "w6"), T("title", "beta")]), wq.Not(wq.Or([T("body", "w7"), T("body", "w8")]))]),
        wq.And([wq.ConstantScoreQuery(T("tag", "a"), 1e-9), T("body", "w9")]),
        wq.And([T("body", "w11"), T("body", "w12"), T("body", "kreis"), T("body", "logistik")]),
        wq.Phrase("body", ["w1", "w2"]),
        wq.Or([wq.Phrase("body", ["w1", "w2"], slop=2), T("title", "gamma")]),
        wq.Prefix("body", "w1"),
        wq.Wildcard("body", "w?"),
        wq.FuzzyTerm("body", "delto", maxdist=1, prefixlength=1),
        wq.Every(),
        wq.Or([T("body", "alpha"), T("body", "nowhere")]),
        wq.And([T("body", "alpha"), T("body", "nowhere")]),
    ],
    ids=repr,
)
def test_matching_on_arrays_gives_whooshs_documents_scores_and_order(plain: Any, query: wq.Query) -> None:
    assert_same_ranking(plain, query)


def test_null_query_matches_nothing(plain: Any) -> None:
    assert len(engine._rank(plain, wq.NullQuery, by_date=False)) == 0
    assert engine._count(plain, wq.NullQuery) == 0


def test_posting_blocks_read_directly_equal_whooshs_matcher(plain: Any) -> None:
    multi_block = 0
    for leaf, _ in plain.subsearchers:
        reader = leaf.reader()
        for fieldname in ("title", "body", "tag"):
            for term in reader.lexicon(fieldname):
                expected_ids, expected_weights = [], []
                matcher = reader.postings(fieldname, term)  # without deleted documents
                while matcher.is_active():
                    expected_ids.append(matcher.id())
                    expected_weights.append(matcher.weight())
                    matcher.next()
                for info in (reader.term_info(fieldname, term), None):  # None: through reader.postings
                    ids, weights = engine._postings(reader, fieldname, term, None, info)
                    live = [not reader.is_deleted(d) for d in ids.tolist()]  # the caller leaves out the deleted
                    assert ids[live].tolist() == expected_ids and weights[live].tolist() == expected_weights
                multi_block += len(expected_ids) > 128
    assert multi_block > 10  # blocks of 128 postings: the long lists are read across blocks


def test_a_restricted_read_skips_blocks_but_keeps_the_wanted_documents(plain: Any) -> None:
    reader = plain.subsearchers[0][0].reader()
    size = reader.doc_count_all()
    wanted = np.zeros(size, dtype=bool)
    wanted[[5, 6, 400, 590]] = True
    counts = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(wanted, out=counts[1:])
    info = reader.term_info("body", b"w1")
    every, _ = engine._postings(reader, "body", b"w1", None, info)
    some, _ = engine._postings(reader, "body", b"w1", counts, info)
    assert len(some) < len(every)
    assert set(every[wanted[every]].tolist()) == set(some[wanted[some]].tolist())


@whoosh_only
def test_columns_read_directly_equal_whooshs_column_reader(plain: Any, demo: CorpusStore) -> None:
    for leaf, _ in plain.subsearchers:
        reader = leaf.reader()
        for name in ("id", "facets"):
            expected = list(reader.column_reader(name))
            assert engine._read_column(reader, name) == expected
            assert engine._read_column(reader, name, [0, len(expected) - 1]) == [expected[0], expected[-1]]
    with engine.open_searcher(demo.home) as (searcher, _):
        for leaf, _ in engine._segments(searcher):
            reader = leaf.reader()
            for name in ("id", "date", "facets"):
                assert engine._read_column(reader, name) == list(reader.column_reader(name))


# -- matching on the clustermine indexes -------------------------------------------------------------------

QUERIES = [
    "Förderung", "Clusterförderung", "Kreises", "Cluster-Förderung", "Netzwerk OR Velbert", "Förderung NOT Leipzig",
    '"Kreis Mettmann"', "Förder*", "Beschichtungsverf?hren", "Netzwerg~", "type:council_paper", "year:2015..2020",
    "region:Mettmann Förderung", "cluster:Logistik", "program:EFRE", "title:Cluster", "NOT Cluster",
    "(Cluster OR Netzwerk) Region", "Wirtschaftsförderung Kreis Mettmann Clusterförderung", "surface.net", "",
]


@whoosh_only
@pytest.mark.parametrize("text", QUERIES)
def test_matching_on_arrays_agrees_with_whoosh_on_the_test_corpus(corpus: CorpusStore, text: str) -> None:
    with engine.open_searcher(corpus.home) as (searcher, meta):
        tree = q.parse_query(text)
        filters = SearchFilters()
        compiler = Compiler(profile(meta.analysis), engine._taxonomy(corpus, tree, filters))
        query = engine._combine(compiler, tree, filters)
        if query is not wq.NullQuery:
            assert_same_ranking(searcher, query)


@whoosh_only
def test_matching_on_arrays_agrees_with_whoosh_on_the_demo_corpus(demo: CorpusStore) -> None:
    with engine.open_searcher(demo.home) as (searcher, meta):
        for text in ["Clusterförderung", "Foerderung des Kreises", "Logistik NOT Duisburg", "MedEcon Ruhr",
                     "Landescluster NRW", "Wasserstoff type:council_paper", '"Regionale Innovationsstrategie"']:
            tree = q.parse_query(text)
            filters = SearchFilters()
            compiler = Compiler(profile(meta.analysis), engine._taxonomy(demo, tree, filters))
            assert_same_ranking(searcher, engine._combine(compiler, tree, filters))


# -- collapsing, facets, ids: the paths for large results give what the small ones give ----------------------


def test_fold_duplicates_collapses_like_collapse() -> None:
    rng = random.Random(3)
    for _ in range(200):
        ids = [f"d{i}" for i in rng.sample(range(60), 40)]
        groups = {f"d{i}": f"g{rng.randint(0, 8)}" for i in rng.sample(range(60), 25)}
        expected = collapse(ids, groups)
        members = {i: groups[doc_id] for i, doc_id in enumerate(ids) if doc_id in groups}
        dropped, folded = fold_duplicates(members)
        kept = [i for i in range(len(ids)) if i not in set(dropped)]
        assert [ids[i] for i in kept] == [g.doc_id for g in expected]
        assert [[ids[d] for d in folded.get(i, [])] for i in kept] == [g.duplicates for g in expected]


def test_facet_table_counts_what_the_records_count() -> None:
    rng = random.Random(5)
    records = []
    for _ in range(300):
        entities = ["\x1e".join(rng.sample(["ks-1", "ks-2", "~Name", "ks-3"], rng.randint(0, 3))) for _k in range(4)]
        year = rng.choice(["", "2019", "2020"])
        records.append("\x1f".join([rng.choice(["council_paper", "minutes", ""]), year, f"{year}-01-01", *entities]))
    records += ["web_page\x1f2021", "report"]  # short records
    table = FacetTable.build(r.encode() for r in records)
    labels = lambda ids: {i: i.upper() for i in ids}  # noqa: E731
    for _ in range(30):
        chosen = sorted(rng.sample(range(len(records)), rng.randint(0, len(records))))
        expected = count_facets([records[i] for i in chosen], labels)
        assert FacetCounter().add_table(table, chosen).facets(labels) == expected
    assert table.dates[5] == records[5].split("\x1f")[2]


@whoosh_only
@pytest.mark.parametrize(
    ("query", "options"),
    [
        ("Clusterförderung", {}),
        ("Neufassung OR Clusterförderung", {}),
        ("Förderung OR Netzwerk OR Region", {"limit": 2, "page": 2}),
        ("Clusterförderung", {"sort": "date"}),
        ("", {"filters": SearchFilters(regions=("NRW",))}),
        ("Netzwerk", {"collapse": False, "sort": "date"}),
    ],
)
def test_the_large_result_paths_give_the_same_results(
    corpus: CorpusStore, monkeypatch: pytest.MonkeyPatch, query: str, options: dict[str, Any]
) -> None:
    expected = search(corpus, query, **options).to_dict()
    monkeypatch.setattr(engine, "TABLE_FROM", 0)  # facet tables (and dates from them) for any number of hits
    monkeypatch.setattr(engine, "READ_IDS_UP_TO", -1)  # linked documents found through the id tables
    monkeypatch.setattr(engine, "_tables", {})
    assert search(corpus, query, **options).to_dict() == expected
    assert any(key[0] == "facets" for key in engine._tables)
    if options.get("collapse", True) and query:
        assert any(key[0] == "ids" for key in engine._tables)


# -- spelling neighbours -------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["netzwerg", "clsuter", "foerderug", "velbret", "kreis", "x", "strukturwandeel"])
def test_neighbours_are_the_words_within_the_edit_distance(demo: CorpusStore, word: str) -> None:
    with engine.open_searcher(demo.home) as (searcher, _):
        reader = searcher.reader()
        lexicon = [t.decode() for t in reader.lexicon("body")]
        for maxdist in (1, 2):
            expected = sorted(t for t in lexicon if t[:1] == word[:1] and spelling._distance(word, t) <= maxdist)
            assert spelling.terms_within(reader, "body", word, maxdist, 1) == expected
            # swapped letters are one edit: whoosh's automaton of a one-segment index counts them as two
            assert all(spelling._distance(word, t) == damerau_levenshtein(word, t) for t in expected)


# -- fallbacks: needed only, once, within a budget -----------------------------------------------------------


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Counts of searcher openings and suggestion counts, and the words looked up for spelling neighbours."""
    seen: dict[str, Any] = {"open": 0, "count": 0, "near": []}
    open_searcher, count, near = engine.open_searcher, engine._count, spelling.Vocabulary.near

    def opening(home: Path) -> Any:
        seen["open"] += 1
        return open_searcher(home)

    def counting(searcher: Any, query: wq.Query) -> int:
        seen["count"] += 1
        return count(searcher, query)

    def looking(self: spelling.Vocabulary, term: str, maxdist: int) -> list[str]:
        seen["near"].append(term)
        return near(self, term, maxdist)

    monkeypatch.setattr(engine, "open_searcher", opening)
    monkeypatch.setattr(engine, "_count", counting)
    monkeypatch.setattr(spelling.Vocabulary, "near", looking)
    return seen


def test_a_common_word_is_not_looked_up_for_spelling(corpus: CorpusStore, spy: dict[str, Any]) -> None:
    result = search(corpus, "Netzwerk Quantencomputer")  # nothing has both: suggestions are looked for
    assert result.any_words and result.total > 0
    assert set(spy["near"]) == {"quantencomputer"}  # "Netzwerk" occurs often: it is not corrected


def test_a_search_and_its_fallbacks_share_one_searcher_and_count_a_suggestion_once(
    corpus: CorpusStore, spy: dict[str, Any]
) -> None:
    result = search(corpus, "Netzwerg Quantencomputer")  # a suggestion to count, then the any-words search
    assert result.total == 0 and result.suggestion is None
    assert spy["open"] == 1
    assert spy["count"] == 1  # the any-words search asks for the same count again: it is kept
    corrected = search(corpus, "Netzwerg")
    assert corrected.corrected_from == "Netzwerg" and spy["open"] == 2


def test_extra_searches_are_capped(corpus: CorpusStore, spy: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    assert search(corpus, "Netzwerg").corrected_from == "Netzwerg"  # counted, then searched as corrected
    monkeypatch.setattr(engine, "MAX_EXTRA_SEARCHES", 1)  # the count, but not the corrected search
    capped = search(corpus, "Netzwerg")
    assert capped.total == 0 and capped.suggestion == "Netzwerk" and capped.corrected_from is None
    monkeypatch.setattr(engine, "MAX_EXTRA_SEARCHES", 0)  # not even the count: no suggestion, no any-words
    spy["count"] = 0
    nothing = search(corpus, "Netzwerg")
    assert nothing.suggestion is None and spy["count"] == 0
    assert not search(corpus, "Netzwerk Quantencomputer").any_words
