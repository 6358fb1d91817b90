"""Stored term counts and the term matrix: counted once, recounted when outdated, assembled per selection."""

from __future__ import annotations

from pathlib import Path

import pytest

from clustermine.corpus import add_paths, open_store
from clustermine.corpus.store import CorpusStore
from clustermine.corpus.termstore import ids_needing_terms, put_term_blobs, term_row_count
from clustermine.pipeline.termmatrix import load_term_matrix, sync_terms
from clustermine.pipeline.terms import TERMS_FINGERPRINT, term_key

TEXTS = {
    "a.txt": "Die Clusterpolitik der Region stärkt das Cluster Logistik. Das Kompetenzfeld Logistik wächst.",
    "b.txt": "Die Kompetenzfelder der Stadt. Das Clustermanagement berät die Cluster. Logistik bleibt wichtig.",
    "c.txt": "Der Hafen und die Logistik. Die regionale Wirtschaftsförderung unterstützt den Hafen.",
}


@pytest.fixture
def store(tmp_path: Path) -> CorpusStore:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    corpus = open_store(tmp_path / "home")
    add_paths(corpus, [folder], terms=False)  # counted by sync_terms, as a corpus made before add counted terms
    return corpus


def test_add_counts_terms_as_sync_would(tmp_path: Path, store: CorpusStore) -> None:
    assert sync_terms(store) == 3
    expected = {row[0]: tuple(row[1:]) for row in store.conn.execute(
        "SELECT doc_id, fingerprint, n_tokens, terms FROM doc_terms")}
    counted = open_store(tmp_path / "counted-on-add")
    add_paths(counted, [tmp_path / "docs"], jobs=2)
    found = {row[0]: tuple(row[1:]) for row in counted.conn.execute(
        "SELECT doc_id, fingerprint, n_tokens, terms FROM doc_terms")}
    assert found == expected
    assert sync_terms(counted) == 0  # trends and topics find nothing left to count


def test_sync_counts_every_document_once(store: CorpusStore) -> None:
    assert sync_terms(store) == 3
    assert term_row_count(store) == 3
    assert sync_terms(store) == 0  # nothing new, nothing recounted


def test_sync_recounts_outdated_counts(store: CorpusStore) -> None:
    sync_terms(store)
    doc_id = store.list_rows()[0].id
    put_term_blobs(store, [(doc_id, 1, b"")], "older-rules")
    assert ids_needing_terms(store, TERMS_FINGERPRINT) == [doc_id]
    assert sync_terms(store) == 1


def test_sync_reports_progress(store: CorpusStore) -> None:
    seen: list[int] = []
    ticks: list[None] = []
    sync_terms(store, on_start=seen.append, on_document=lambda: ticks.append(None))
    assert seen == [3] and len(ticks) == 3


def test_matrix_counts_inflections_and_compound_parts(store: CorpusStore) -> None:
    sync_terms(store)
    matrix = load_term_matrix(store)
    assert matrix.whole.shape == (3, len(matrix.keys))
    field = matrix.column(term_key("Kompetenzfeld"))
    assert field is not None and matrix.whole[:, field].sum() == 2  # "Kompetenzfeld" + "Kompetenzfelder"
    cluster = matrix.column(term_key("Cluster"))
    assert matrix.whole[:, cluster].sum() == 2
    assert matrix.parts[:, cluster].sum() == 2  # Clusterpolitik, Clustermanagement
    assert matrix.total[:, cluster].sum() == 4
    assert matrix.labels[cluster] == "Cluster"
    assert matrix.noun[cluster] and not matrix.noun[matrix.column(term_key("wichtig"))]
    assert list(matrix.n_tokens) == [len(text.split()) for _, text in sorted(_by_id(store).items())]


def test_matrix_keeps_selection_order_and_asked_keys(store: CorpusStore) -> None:
    sync_terms(store)
    ids = [row.id for row in store.list_rows()]
    chosen = list(reversed(ids))[:2]
    matrix = load_term_matrix(store, chosen, keys=[term_key("Logistik"), term_key("Hafen")])
    assert matrix.doc_ids == tuple(chosen)
    assert set(matrix.keys) <= {term_key("Logistik"), term_key("Hafen")}


def test_min_df_drops_rare_terms(store: CorpusStore) -> None:
    sync_terms(store)
    matrix = load_term_matrix(store, min_df=3)
    assert matrix.keys == (term_key("Logistik"),)


def test_phrases_can_be_left_out(store: CorpusStore) -> None:
    sync_terms(store)
    phrase = term_key("regionale Wirtschaftsförderung")
    assert load_term_matrix(store).column(phrase) is not None
    assert load_term_matrix(store, phrases=False).column(phrase) is None


def test_removed_documents_take_their_counts_along(store: CorpusStore) -> None:
    sync_terms(store)
    store.remove(store.list_rows()[0].id)
    assert term_row_count(store) == 2


def _by_id(store: CorpusStore) -> dict[str, str]:
    return {row.id: store.get(row.id).text for row in store.list_rows()}
