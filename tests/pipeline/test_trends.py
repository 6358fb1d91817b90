"""Vocabulary trends from stored term counts: terms as typed, periods, region roll-up, rows a reader can trust."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clustermine.corpus import open_store
from clustermine.model import Document, Entity
from clustermine.pipeline.termmatrix import sync_terms
from clustermine.pipeline.trends import (
    EmptySelectionError,
    TermError,
    TermNotFoundError,
    compute_trends,
    document_meta,
    one_per_version,
    parse_periods,
    parse_term,
    resolve_terms,
    year_groups,
)

# id, date, doctype, text, region ids mentioned
DOCS = [
    ("d2001", "2001-03-01", "council_paper",
     "Das Kompetenzfeld Logistik wird gestärkt. Die Kompetenzfelder der Stadt Bochum sind bekannt.", ["ks-05911"]),
    ("d2002", "2002", "report",
     "Die Kompetenzfeldanalyse zeigt Stärken. Ein Cluster entsteht langsam.", ["ks-05913"]),
    ("d2005", "2005-06", "council_paper",
     "Die Clusterpolitik des Landes setzt auf Cluster. Die Cluster wachsen. Die regionale Wirtschaftsförderung hilft.",
     ["ks-09162"]),
    ("d2006", "2006-01-10", "minutes",
     "Das Clustermanagement berichtet. Den Clustern fehlen Fachkräfte. Die Foerderung der Cluster-Initiative läuft.",
     ["ks-05911", "ks-05913"]),
    ("dnone", None, "web_page", "Ein Cluster ohne Datum. Cluster sind überall.", []),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    home = tmp_path_factory.mktemp("trends") / "home"
    with open_store(Path(home)) as st:
        with st.transaction():
            for doc_id, date, doctype, text, regions in DOCS:
                st.put_document(Document(id=doc_id, source=f"{doc_id}.txt", format="text", title=doc_id,
                                         doctype=doctype, date=date, text=text))
                st.put_entities(doc_id, [Entity("REGION", r, r, 0, 1, id=r) for r in regions], "test")
        sync_terms(st)
        yield st


def rows_of(result, term: str) -> dict[str, object]:
    return {row.period: row for row in result.rows if row.term == term}


@pytest.mark.parametrize(
    ("text", "kind", "key"),
    [
        ("Kompetenzfelder", "word", "kompetenzfeld"),
        ("Kompetenzfeldern", "word", "kompetenzfeld"),
        ("Foerderung", "word", "foerderung"),
        ("Förderung", "word", "foerderung"),
        ("Cluster-Förderung", "word", "clusterfoerderung"),
        ("regionale  Wirtschaftsförderung", "phrase", "regional wirtschaftsfoerderung"),
        ("Cluster*", "prefix", "cluster"),
        ("Förder*", "prefix", "foerder"),
    ],
)
def test_terms_are_keyed_like_the_index(text: str, kind: str, key: str) -> None:
    spec = parse_term(text)
    assert (spec.kind, spec.key) == (kind, key)


@pytest.mark.parametrize(
    "text", ["", "die", "2010", "a*b", "*", "Cl*", "sehr große regionale Förderung", "zwei Wörter*"]
)
def test_uncountable_terms_are_refused(text: str) -> None:
    with pytest.raises(TermError):
        parse_term(text)


def test_prefix_resolves_to_every_key_starting_with_it() -> None:
    (spec,) = resolve_terms([parse_term("Cluster*")], ["cluster", "clusterpolitik", "regionalcluster", "cluster x"])
    assert spec.keys == ("cluster", "clusterpolitik")
    assert not spec.counts_compounds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1995-2005,2006-2015,2016-2025", [(1995, 2005), (2006, 2015), (2016, 2025)]),
        ("2001, 2003–2004", [(2001, 2001), (2003, 2004)]),
        ("1995..1999", [(1995, 1999)]),
    ],
)
def test_parse_periods(text: str, expected: list[tuple[int, int]]) -> None:
    assert parse_periods(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("2015-2010", "ends before it starts"),
    ("1995-2005,2005-2010", "must not overlap"),
    ("2010,2000", "must not overlap"),
    ("neunzehn", "YEAR or FIRST-LAST"),
])
def test_bad_periods(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_periods(text)


def test_year_groups_cover_every_year_and_bin_on_multiples(store) -> None:
    meta = document_meta(store, ["d2001", "d2002", "d2005", "d2006", "dnone"])
    groups, members = year_groups(meta)
    assert [g.label for g in groups] == ["2001", "2002", "2003", "2004", "2005", "2006"]
    assert [len(m) for m in members] == [1, 1, 0, 0, 1, 1]
    groups, members = year_groups(meta, bin_years=5, include_undated=True)
    assert [g.label for g in groups] == ["2001-2004", "2005-2006", "undated"]
    assert [len(m) for m in members] == [2, 2, 1]
    groups, _ = year_groups(meta, bin_years=3, years=(1999, 2010))
    assert [g.label for g in groups] == ["2001", "2002-2004", "2005-2006"]


def test_counts_alone_and_in_compounds_per_period(store) -> None:
    result = compute_trends(store, ["Cluster", "Kompetenzfeld"], bin_years=5)
    cluster = rows_of(result, "Cluster")
    first, second = cluster["2001-2004"], cluster["2005-2006"]
    assert (first.count_alone, first.count_in_compounds) == (1, 0)
    # 2005: Cluster, Cluster (alone) + Clusterpolitik; 2006: Clustern (alone) + Clustermanagement, Cluster-Initiative
    assert (second.count_alone, second.count_in_compounds, second.count) == (3, 3, 6)
    assert second.docs == second.docs_in_period == 2 and second.share_docs == 1.0
    assert second.per_10k == pytest.approx(6 / second.tokens_in_period * 10_000, abs=1e-3)
    kompetenz = rows_of(result, "Kompetenzfeld")["2001-2004"]
    assert (kompetenz.count_alone, kompetenz.count_in_compounds) == (2, 1)  # + Kompetenzfeldanalyse
    assert all(row.thin for row in result.rows)
    assert any("undated" in n for n in result.notes)


def test_rows_are_tidy_and_json_ready(store) -> None:
    import json

    result = compute_trends(store, ["Cluster"])
    data = [row.to_dict() for row in result.rows]
    json.dumps(data)
    required = {"term", "period", "count", "per_10k", "docs", "docs_in_period", "count_alone",
                "count_in_compounds", "tokens_in_period", "share_docs"}
    assert all(required <= set(row) for row in data)
    empty_years = [row for row in data if row["docs_in_period"] == 0]
    assert empty_years and all(r["per_10k"] is None and r["share_docs"] is None for r in empty_years)
    assert sum(r["count"] for r in data) == 7  # the undated document is left out


def test_undated_documents_only_on_request(store) -> None:
    result = compute_trends(store, ["Cluster"], include_undated=True)
    assert rows_of(result, "Cluster")["undated"].count == 2


def test_prefix_and_phrase_terms(store) -> None:
    result = compute_trends(store, ["Cluster*", "regionale Wirtschaftsförderung"], periods=[(2001, 2006)])
    prefix = rows_of(result, "Cluster*")["2001-2006"]
    assert prefix.count == prefix.count_alone == 7 and prefix.count_in_compounds is None
    assert rows_of(result, "regionale Wirtschaftsförderung")["2001-2006"].count == 1


def test_selection_limits_the_rows(store) -> None:
    result = compute_trends(store, ["Cluster"], doc_ids=["d2005"])
    assert [row.period for row in result.rows] == ["2005"]
    with pytest.raises(EmptySelectionError):
        compute_trends(store, ["Cluster"], doc_ids=[])


def test_term_missing_only_in_the_selection_gives_zeros(store) -> None:
    result = compute_trends(store, ["Kompetenzfeld"], doc_ids=["d2005", "d2006"])
    assert all(row.count == 0 for row in result.rows)
    assert any("not in the selected documents" in n for n in result.notes)


def test_unknown_term_suggests_close_spellings(store) -> None:
    with pytest.raises(TermNotFoundError) as info:
        compute_trends(store, ["Clustr"])
    assert "Cluster" in (info.value.hint or "")
    with pytest.raises(TermNotFoundError, match="adjective–noun"):
        compute_trends(store, ["langsame Wirtschaftsförderung"])


def test_by_doctype(store) -> None:
    result = compute_trends(store, ["Cluster"], by="doctype")
    assert [g.label for g in result.groups] == ["council_paper", "minutes", "report", "web_page"]
    assert rows_of(result, "Cluster")["web_page"].count == 2  # dates do not matter here


def test_by_region_rolls_up_the_hierarchy(store) -> None:
    result = compute_trends(store, ["Kompetenzfeld"], by="region", top_regions=50)
    rows = rows_of(result, "Kompetenzfeld")
    nrw = rows["Nordrhein-Westfalen"]
    assert nrw.level == "land" and nrw.region_id == "de-nw"
    assert nrw.docs_in_period == 3  # Bochum (2001, 2006) and Dortmund (2002), each document once
    assert rows["Bochum"].docs_in_period == 2 and rows["Bochum"].level == "city"
    assert rows["Ruhrgebiet"].docs_in_period == 3 and rows["Ruhrgebiet"].level == "region"
    assert rows["Bayern"].docs_in_period == 1
    assert result.groups[0].label == "Nordrhein-Westfalen"  # most documents first; ties: higher level first
    assert any("document names no known region" in n for n in result.notes)
    top2 = compute_trends(store, ["Kompetenzfeld"], by="region", top_regions=2)
    assert len(top2.groups) == 2


def test_one_per_version_keeps_the_newest(store) -> None:
    store.link_duplicates("d2005", "d2006", 0.95, "near")
    try:
        assert one_per_version(store, ["d2001", "d2005", "d2006"]) == ["d2001", "d2006"]
    finally:
        store.conn.execute("DELETE FROM duplicates")
