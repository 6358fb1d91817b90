"""Keyword in context: finds exactly what the counts counted, marks forms and compounds, sorts by date."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clustermine.corpus import open_store
from clustermine.model import Document
from clustermine.pipeline.concordance import clean_text, concordance, find_occurrences
from clustermine.pipeline.termmatrix import sync_terms
from clustermine.pipeline.terms import count_terms
from clustermine.pipeline.trends import EmptySelectionError, TermNotFoundError, parse_term, resolve_terms

TEXTS = [
    ("b", "2010-05-01", "Die Clusterpolitik wirkt. Den Clustern fehlen Fachkräfte. Ein Cluster-Wettbewerb läuft."),
    ("a", "2003", "Ein Cluster entsteht.\nDie regionale\nWirtschaftsförderung hilft, die Cluster zu stärken."),
    ("c", None, "Cluster ohne Datum, dazu das Clus\u00adtermanagement."),
    ("d", "1999", "Hier geht es nur um Logistik und Häfen."),
]

SAMPLES = [
    "Die Clusterpolitik des Landes setzt auf Cluster; die Cluster-Initiative und den Clustern fehlt Geld.",
    "Kompetenzfelder, Kompetenzfeldern und die Kompetenzfeldanalyse im Kompetenzfeld Logistik.",
    "Die regionale Wirtschaftsförderung und der regionalen Wirtschaftsförderung. Regionale Wirtschaftsförderung.",
    "Foerderung, Förderung, Förderungen, Clusterförderung und Wirtschaftsförderungsgesellschaft.",
]


def spec(term: str, text: str):
    """The term resolved against the keys of ``text`` itself."""
    return resolve_terms([parse_term(term)], count_terms(text).terms)[0]


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("term", ["Cluster", "Kompetenzfeld", "Förderung", "regionale Wirtschaftsförderung",
                                  "Wirtschaftsförderung", "Cluster*"])
def test_occurrences_agree_with_the_counts(text: str, term: str) -> None:
    counted = count_terms(text).terms
    resolved = spec(term, text)
    expected = sum(counted[k].whole + (counted[k].part if resolved.counts_compounds else 0) for k in resolved.keys)
    found = list(find_occurrences(text, resolved))
    assert len(found) == expected
    whole_only = list(find_occurrences(text, resolved, compounds=False))
    assert len(whole_only) == sum(counted[k].whole for k in resolved.keys)


def test_kinds() -> None:
    text = SAMPLES[0]
    found = {text[s:e]: kind for s, e, kind in find_occurrences(text, spec("Cluster", text))}
    assert found == {"Clusterpolitik": "compound", "Cluster": "exact", "Cluster-Initiative": "compound",
                     "Clustern": "form"}
    text = SAMPLES[2]
    phrases = [(text[s:e], kind) for s, e, kind in find_occurrences(text, spec("regionale Wirtschaftsförderung",
                                                                                  text))]
    # the capitalised one starts a sentence: it is not counted as an adjective, so not found either
    assert phrases == [("regionale Wirtschaftsförderung", "exact"), ("regionalen Wirtschaftsförderung", "form")]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    home = tmp_path_factory.mktemp("kwic") / "home"
    with open_store(Path(home)) as st:
        with st.transaction():
            for doc_id, date, text in TEXTS:
                st.put_document(Document(id=doc_id, source=f"{doc_id}.txt", format="text", title=f"Titel {doc_id}",
                                         doctype="report", date=date, text=text))
        sync_terms(st)
        yield st


def test_sorted_by_date_undated_last(store) -> None:
    result = concordance(store, "Cluster")
    assert [line.doc_id for line in result.lines] == ["a", "a", "b", "b", "b", "c", "c"]
    assert result.total == 7 and result.docs == 3
    soft = result.lines[-1]
    assert soft.match == "Clustermanagement" and soft.kind == "compound"  # the soft hyphen does not split it
    text = clean_text(TEXTS[2][2])
    assert text[soft.start:soft.end] == "Clustermanagement"


def test_context_is_flat_and_cut_to_width(store) -> None:
    result = concordance(store, "Wirtschaftsförderung", width=12)
    (line,) = [x for x in result.lines if x.kind == "exact"]
    assert line.left == "Die regionale " [-12:] and "\n" not in line.left
    assert line.right == " hilft, die "


def test_limit_and_no_compounds(store) -> None:
    result = concordance(store, "Cluster", limit=2, compounds=False)
    assert len(result.lines) == 2 and result.total == 4
    assert all(line.kind != "compound" for line in result.lines)


def test_selection_and_errors(store) -> None:
    assert concordance(store, "Cluster", doc_ids=["b"]).total == 3
    with pytest.raises(EmptySelectionError):
        concordance(store, "Cluster", doc_ids=[])
    with pytest.raises(TermNotFoundError):
        concordance(store, "Raumfahrt")
    result = concordance(store, "Logistik", doc_ids=["a", "b"])
    assert result.total == 0 and result.notes
    assert result.to_dict()["lines"] == []
