"""The topic model on small synthetic term matrices with planted topics: recovery, k choice, shares, transform."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from clustermine.pipeline.coherence import npmi_coherence, topic_diversity
from clustermine.pipeline.termmatrix import TermMatrix
from clustermine.pipeline.topicmodel import (
    TooFewDocumentsError,
    TopicModel,
    boilerplate_keys,
    k_candidates,
    select_features,
)

N_TOPICS = 5
WORDS = 20


def planted(n_docs: int = 100, n_topics: int = N_TOPICS, seed: int = 3, empty_rows: int = 0) -> tuple[TermMatrix,
                                                                                                        np.ndarray]:
    """Documents mostly about one of ``n_topics`` word groups, a little about another, plus shared words."""
    rng = np.random.default_rng(seed)
    background = 30
    keys = [f"t{t}w{w}" for t in range(n_topics) for w in range(WORDS)] + [f"common{b}" for b in range(background)]
    truth = np.arange(n_docs) % n_topics
    rows = []
    for main in truth:
        p = np.zeros(len(keys))
        p[n_topics * WORDS:] = 0.3 / background
        p[main * WORDS:(main + 1) * WORDS] += 0.55 * rng.dirichlet(np.ones(WORDS) * 2)
        other = rng.integers(n_topics)
        p[other * WORDS:(other + 1) * WORDS] += 0.15 / WORDS
        rows.append(rng.multinomial(150, p / p.sum()))
    rows += [np.zeros(len(keys), dtype=int)] * empty_rows
    whole = sparse.csr_matrix(np.asarray(rows, dtype=np.int32))
    n = whole.shape[0]
    return TermMatrix(
        doc_ids=tuple(f"doc{i:04d}" for i in range(n)),
        keys=tuple(keys),
        labels=tuple(k.capitalize() for k in keys),
        whole=whole,
        parts=sparse.csr_matrix(whole.shape, dtype=np.int32),
        n_tokens=np.asarray(whole.sum(axis=1)).ravel(),
        noun=np.ones(len(keys), dtype=bool),
    ), truth


@pytest.fixture(scope="module")
def matrix() -> tuple[TermMatrix, np.ndarray]:
    return planted()


def _recovered(model: TopicModel, keys: tuple[str, ...]) -> list[int]:
    """For each planted topic: how many of its words the best-matching fitted topic has in its top 10."""
    tops = [{keys[j] for j, _ in terms} for terms in model.top_terms(10)]
    return [max(len({f"t{t}w{w}" for w in range(WORDS)} & top) for top in tops) for t in range(N_TOPICS)]


# -- coherence ------------------------------------------------------------------------------------------------


def test_npmi_is_one_for_terms_always_together_and_minus_one_for_terms_never_together() -> None:
    presence = np.array([[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]])
    scores = npmi_coherence(presence, [[0, 1], [0, 2], [2, 3]])
    assert scores == pytest.approx([1.0, -1.0, 1.0])


def test_npmi_of_independent_terms_is_about_zero() -> None:
    presence = np.array([[1, 1], [1, 0], [0, 1], [0, 0]] * 5)
    assert npmi_coherence(presence, [[0, 1]])[0] == pytest.approx(0.0, abs=1e-9)


def test_npmi_accepts_sparse_input_and_scores_single_terms_zero() -> None:
    presence = sparse.csr_matrix(np.array([[1, 1], [1, 1], [0, 0]]))
    assert list(npmi_coherence(presence, [[0, 1], [1]])) == pytest.approx([1.0, 0.0])


def test_topic_diversity_counts_distinct_top_terms() -> None:
    assert topic_diversity([[0, 1], [2, 3]]) == 1.0
    assert topic_diversity([[0, 1], [1, 2]]) == 0.75
    assert topic_diversity([]) == 0.0


# -- features ---------------------------------------------------------------------------------------------------


def test_select_features_keeps_nouns_drops_keys_and_weights_compound_parts() -> None:
    whole = sparse.csr_matrix(np.array([[2, 1, 0], [0, 3, 1]], dtype=np.int32))
    parts = sparse.csr_matrix(np.array([[4, 0, 0], [2, 0, 0]], dtype=np.int32))
    matrix = TermMatrix(("a", "b"), ("logistik", "zeig", "duisburg"), ("Logistik", "zeigen", "Duisburg"), whole,
                        parts, np.array([10, 10]), np.array([True, False, True]))
    features = select_features(matrix, parts_weight=0.5, drop_keys={"duisburg"})
    assert features.keys == ("logistik",)
    assert features.counts.toarray().ravel().tolist() == [4.0, 1.0]  # 2 + 0.5·4, 0 + 0.5·2
    assert features.presence.toarray().ravel().tolist() == [1.0, 1.0]
    plain = select_features(matrix, parts_weight=0.0, drop_keys={"duisburg"})
    assert plain.counts.toarray().ravel().tolist() == [2.0, 0.0]
    assert plain.presence.toarray().ravel().tolist() == [1.0, 1.0]  # coherence still sees the compound


def test_compound_parts_do_not_count_for_terms_found_everywhere() -> None:
    whole = sparse.csr_matrix(np.array([[1, 1], [0, 1], [0, 0], [0, 0]], dtype=np.int32))
    parts = sparse.csr_matrix(np.array([[2, 2], [2, 0], [2, 0], [2, 0]], dtype=np.int32))  # "Fläche" in all four
    matrix = TermMatrix(("a", "b", "c", "d"), ("flaech", "hafen"), ("Fläche", "Hafen"), whole, parts,
                        np.full(4, 10), np.ones(2, dtype=bool))
    features = select_features(matrix, parts_weight=0.5, max_df=0.5)
    assert features.part_weights.tolist() == [0.0, 0.5]
    assert features.counts.toarray().tolist() == [[1.0, 2.0], [0.0, 1.0], [0.0, 0.0], [0.0, 0.0]]
    assert features.presence.toarray()[:, 0].tolist() == [1.0, 1.0, 1.0, 1.0]


def test_select_features_rejects_a_negative_parts_weight(matrix: tuple[TermMatrix, np.ndarray]) -> None:
    with pytest.raises(ValueError, match="parts_weight must be >= 0"):
        select_features(matrix[0], parts_weight=-1)


def test_boilerplate_keys_are_words_of_one_document_type_only() -> None:
    n = 40
    groups = ["council_paper"] * 20 + ["report"] * 20
    cells = np.zeros((n, 3), dtype=np.int32)
    cells[:20, 0] = 1  # "vorlag": every council paper, no report
    cells[:, 1] = np.arange(n) % 2  # "logistik": half of each type
    cells[:15, 2] = 1  # "beratungsfolg": 75 % of council papers
    cells[20, 2] = 1  # ... and one report
    whole = sparse.csr_matrix(cells)
    matrix = TermMatrix(tuple(f"d{i}" for i in range(n)), ("vorlag", "logistik", "beratungsfolg"),
                        ("Vorlage", "Logistik", "Beratungsfolge"), whole, sparse.csr_matrix(whole.shape),
                        np.full(n, 100), np.ones(3, dtype=bool))
    assert boilerplate_keys(matrix, groups) == {"vorlag", "beratungsfolg"}
    assert boilerplate_keys(matrix, groups, min_group=25) == frozenset()  # groups too small to judge
    with pytest.raises(ValueError, match="one entry per document"):
        boilerplate_keys(matrix, groups[:-1])


# -- fitting ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_a_model_with_the_planted_number_of_topics_recovers_their_words(
    matrix: tuple[TermMatrix, np.ndarray], method: str
) -> None:
    from sklearn.metrics import adjusted_rand_score

    tm, truth = matrix
    features = select_features(tm)
    model = TopicModel(N_TOPICS, method=method).fit(features)
    assert model.n_topics_ == N_TOPICS
    assert min(_recovered(model, features.keys)) >= 8
    assert adjusted_rand_score(truth, model.doc_topic_.argmax(axis=1)) > 0.9


def test_lda_restarts_on_small_corpora_only() -> None:
    from clustermine.pipeline.topicmodel import lda_restarts

    assert [lda_restarts(n) for n in (0, 100, 800, 1500, 1999, 2000, 50_000)] == [5, 5, 5, 2, 2, 1, 1]


def test_the_number_of_topics_is_chosen_by_coherence(matrix: tuple[TermMatrix, np.ndarray]) -> None:
    features = select_features(matrix[0])
    steps: list[int] = []
    model = TopicModel().fit(features, on_start=steps.append, on_step=lambda: steps.append(-1))
    assert model.n_topics_ == N_TOPICS
    tried = [s.k for s in model.k_scores_]
    assert tried == list(k_candidates(features.n_docs_with_terms)) == list(range(3, 16))
    assert steps == [len(tried)] + [-1] * len(tried)
    best = max(model.k_scores_, key=lambda s: s.score)
    assert best.k == model.n_topics_ and best.to_dict()["score"] == round(best.score, 4)


def test_lda_takes_the_number_of_topics_from_the_fast_nmf_search(matrix: tuple[TermMatrix, np.ndarray]) -> None:
    features = select_features(matrix[0])
    model = TopicModel(method="lda", k_range=range(4, 7)).fit(features)
    nmf = TopicModel(method="nmf", k_range=range(4, 7)).fit(features)
    assert model.k_scores_ == nmf.k_scores_ and model.n_topics_ == nmf.n_topics_
    assert model.doc_topic_prior_ == pytest.approx(1 / model.n_topics_)


def test_fitting_is_reproducible(matrix: tuple[TermMatrix, np.ndarray]) -> None:
    features = select_features(matrix[0])
    first = TopicModel(4).fit(features)
    second = TopicModel(4).fit(features)
    assert np.array_equal(first.components_, second.components_)
    assert np.array_equal(first.doc_topic_, second.doc_topic_)


def test_shares_sum_to_one_and_documents_without_terms_get_none() -> None:
    tm, _ = planted(n_docs=60, empty_rows=2)
    features = select_features(tm)
    for method in ("nmf", "lda"):
        model = TopicModel(N_TOPICS, method=method).fit(features)
        sums = model.doc_topic_.sum(axis=1)
        assert sums[:60] == pytest.approx(np.ones(60))
        assert sums[60:].tolist() == [0.0, 0.0]
        assert model.components_.sum(axis=1) == pytest.approx(np.ones(N_TOPICS))


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_a_model_rebuilt_from_its_state_gives_new_documents_the_same_shares(
    matrix: tuple[TermMatrix, np.ndarray], method: str
) -> None:
    import json

    tm, _ = matrix
    features = select_features(tm)
    model = TopicModel(N_TOPICS, method=method).fit(features)
    state = json.loads(json.dumps(model.state()))  # what the corpus stores
    rebuilt = TopicModel.from_state(state)
    estimated = rebuilt.transform(features.counts[:20])
    assert np.array_equal(estimated.argmax(axis=1), model.doc_topic_[:20].argmax(axis=1))
    assert np.abs(estimated - model.doc_topic_[:20]).max() < 0.1
    assert rebuilt.transform(sparse.csr_matrix((1, len(features.keys)))).sum() == 0.0


def test_too_few_documents_says_how_many_are_needed() -> None:
    tm, _ = planted(n_docs=12)
    features = select_features(tm)
    with pytest.raises(TooFewDocumentsError, match=r"12 documents, 15 are needed"):
        TopicModel().fit(features)
    with pytest.raises(TooFewDocumentsError, match=r"20 are needed \(5 per topic\)"):
        TopicModel(4).fit(features)
    assert TopicModel(2).fit(features).n_topics_ == 2


def test_unknown_method_and_too_few_topics_are_refused(matrix: tuple[TermMatrix, np.ndarray]) -> None:
    features = select_features(matrix[0])
    with pytest.raises(ValueError, match="method must be one of nmf, lda. Got 'pca' instead"):
        TopicModel(3, method="pca").fit(features)
    with pytest.raises(ValueError, match="at least 2"):
        TopicModel(1).fit(features)
