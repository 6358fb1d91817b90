"""The German spaCy pipeline: components, sentences in administrative German, lemmas, no downloads."""

from __future__ import annotations

import socket

import pytest

from clustermine.pipeline import nlp as nlp_module
from clustermine.pipeline.nlp import MAX_LENGTH, german_pipeline


@pytest.fixture(scope="module")
def plain():
    return german_pipeline(entities=False)


def sentences(nlp, text: str) -> list[str]:
    return [s.text.strip() for s in nlp(text).sents if s.text.strip()]


def test_components_in_order() -> None:
    nlp = german_pipeline()
    assert nlp.pipe_names == ["sentencizer", "clustermine_sentence_fixes", "lemmatizer", "clustermine_entities"]
    assert nlp.lang == "de" and nlp.max_length == MAX_LENGTH
    assert german_pipeline() is nlp  # cached per settings
    assert german_pipeline(lemmas=False).pipe_names == ["sentencizer", "clustermine_sentence_fixes",
                                                        "clustermine_entities"]
    assert german_pipeline(persons=True) is not nlp


def test_without_entities(plain) -> None:
    assert "clustermine_entities" not in plain.pipe_names
    assert plain("Der Kreis Mettmann.")._.cm_entities == ()


@pytest.mark.parametrize(
    ("word", "lemma"),
    [("Kreise", "Kreis"), ("Städten", "Stadt"), ("geholfen", "helfen"), ("Regionen", "Region")],
)
def test_lookup_lemmas(plain, word: str, lemma: str) -> None:
    assert plain(f"Die {word} sind hier.")[1].lemma_ == lemma


@pytest.mark.parametrize(
    "text",
    [
        "Das gilt z. B. für Bochum und ggf. für Essen.",
        "Siehe Vorlage Nr. 145/1997 gem. § 5 Abs. 2 der Satzung.",
        "Es berichtet Dr. Müller bzw. Prof. Dr. Schmidt.",
        "Der Reg.-Bez. Düsseldorf fördert das Cluster Logistik.NRW und EFRE.NRW.",
        "Die Mittel u. a. aus dem Land werden i. d. R. bewilligt.",
        "Die Kosten betragen ca. 3 Mio. Euro pro Jahr.",
        "Der MedEcon Ruhr e. V. und die Firma X GmbH & Co. KG laden ein.",
    ],
)
def test_abbreviations_do_not_end_sentences(plain, text: str) -> None:
    assert sentences(plain, text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Das war gut. Das bleibt so.", ["Das war gut.", "Das bleibt so."]),
        ("Gebaut wird 2020. Danach folgt der Betrieb.", ["Gebaut wird 2020.", "Danach folgt der Betrieb."]),
        ("Akten, Pläne usw. Danach kommt der Rest.", ["Akten, Pläne usw.", "Danach kommt der Rest."]),
        ("## Sachverhalt\n\nDie Stadt beantragt Mittel.", ["## Sachverhalt", "Die Stadt beantragt Mittel."]),
        ("Folgende Felder:\n\n– Logistik,\n– Chemie.", ["Folgende Felder:\n\n– Logistik,\n– Chemie."]),
        ("Am 3. Mai 2020 tagte der Rat.", ["Am 3. Mai 2020 tagte der Rat."]),
    ],
)
def test_sentence_boundaries(plain, text: str, expected: list[str]) -> None:
    assert sentences(plain, text) == expected


def test_long_texts_are_accepted(plain) -> None:
    text = "Im Ruhrgebiet wird gebaut. " * 45_000  # more than spaCy's default max_length of 1,000,000
    assert len(text) > 1_000_000
    assert len(plain(text)) > 200_000


def test_loading_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the pipeline tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    nlp_module._cached.cache_clear()
    try:
        nlp = german_pipeline()
        assert nlp("Die Kreise im Ruhrgebiet.")[1].lemma_ == "Kreis"
    finally:
        nlp_module._cached.cache_clear()
