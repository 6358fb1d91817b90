"""The topics facade without a corpus: labels, place names, settings."""

from __future__ import annotations

import pytest

from clustermine.pipeline.topics import TopicSettings, TopicTerm, place_keys, topic_label


def terms(*pairs: tuple[str, str]) -> list[TopicTerm]:
    return [TopicTerm(key, label, 0.1) for key, label in pairs]


def test_a_label_is_the_first_three_distinct_terms() -> None:
    top = terms(("logistik", "Logistik"), ("hafen", "Hafen"), ("gueterverkehr", "Güterverkehr"),
                ("spedition", "Spedition"))
    assert topic_label(top) == "Logistik, Hafen, Güterverkehr"


def test_a_label_skips_phrases_holding_a_chosen_word_and_repeated_spellings() -> None:
    top = terms(
        ("wirtschaftsfoerderung", "Wirtschaftsförderung"),
        ("regional wirtschaftsfoerderung", "regionale Wirtschaftsförderung"),
        ("wirtschaftsfoerder", "wirtschaftsförderung"),
        ("cluster", "Cluster"),
        ("clustermanagement", "Clustermanagement"),
    )
    assert topic_label(top) == "Wirtschaftsförderung, Cluster, Clustermanagement"  # compounds stay distinct


def test_a_word_after_its_phrase_is_skipped_too() -> None:
    top = terms(("klein unternehm", "kleine Unternehmen"), ("unternehm", "Unternehmen"), ("handwerk", "Handwerk"))
    assert topic_label(top, n=2) == "kleine Unternehmen, Handwerk"


def test_a_label_of_few_terms_has_fewer_words() -> None:
    assert topic_label(terms(("a", "A"))) == "A"
    assert topic_label([]) == ""


@pytest.mark.parametrize("label", [
    "Dortmund", "Dortmunder", "Dortmunds", "NRW", "Nordrhein-Westfalen", "Ruhrgebiet", "Emscher-Lippe", "Lippe",
    "Städtedreieck", "Bergischen", "Bergischen Städtedreieck", "Münsterland", "Kreis Mettmann",
])
def test_place_names_are_found(label: str) -> None:
    assert place_keys([label.lower()], [label]) == {label.lower()}


@pytest.mark.parametrize("label", [
    "Logistik", "Region", "Metropole", "Revier", "Kreis", "Stadt", "Lage", "Norden", "Waren", "eng", "kommt",
    "regionale Entwicklung", "Hafen", "Stadtwerke",
])
def test_everyday_words_are_no_place_names(label: str) -> None:
    assert place_keys([label.lower()], [label]) == frozenset()


def test_settings_round_trip_and_normalise_filters() -> None:
    settings = TopicSettings(n_topics=6, filters={"doctypes": ("council_paper",), "regions": (), "years": (2000, 2010)},
                             query="  ")
    assert settings.filters == {"doctypes": ["council_paper"], "years": [2000, 2010]}
    assert settings.query is None and settings.selects
    assert TopicSettings.from_dict(settings.to_dict()) == settings
    assert TopicSettings.from_dict({"method": "lda", "unknown_later_field": 1}) == TopicSettings(method="lda")
    assert not TopicSettings().selects


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"method": "pca"}, "method must be one of nmf, lda. Got 'pca' instead"),
    ({"n_topics": 1}, "n_topics must be at least 2"),
    ({"parts_weight": -0.5}, "parts_weight must be >= 0"),
    ({"max_df": 0}, "max_df in"),
])
def test_bad_settings_are_refused_when_made(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TopicSettings(**kwargs)


def test_representative_documents_skip_near_duplicates_of_one_already_shown() -> None:
    import numpy as np

    from clustermine.pipeline.topics import _describe

    class Model:
        doc_topic_ = np.array([[0.9], [0.8], [0.5]])
        coherence_ = np.array([0.1])

        def top_terms(self, n: int) -> list[list[tuple[int, float]]]:
            return [[(0, 1.0)]]

    class Features:
        doc_ids = ("a", "a-neufassung", "b")
        keys = ("cluster",)
        labels = ("Cluster",)

    topic = _describe(Model(), Features(), [0], {"a": "a", "a-neufassung": "a"})[0]  # type: ignore[arg-type]
    assert [d.id for d in topic.documents] == ["a", "b"]
