"""The German spaCy pipeline: components, sentences in administrative German, lemmas, no downloads."""

from __future__ import annotations

import re
import socket

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


# ------------------------------------------------------------------------------------- speed, same results

_PIECES = st.sampled_from([
    "Das", "war", "gut", ".", "z.", "B.", "z.B.", "Nr.", "bzw.", "usw.", "etc.", "2020", "2020.", "12020.", "Mai",
    "mai", "e.", "V.", "Logistik.NRW", "!", "?", "…", ":", ",", ";", "„", "“", "(", ")", "-", "Reg.-Bez.", "Abs.",
    "u.", "a.", "d.", "R.", "XD", ":)", "Ende", "danach", "Über", "\n", "\n\n", " \n \n", "\t", "\xa0", "。", "##",
])
_TEXTS = st.one_of(
    st.text(max_size=200),
    st.lists(st.tuples(_PIECES, st.sampled_from(["", " ", " ", "  ", "\n"])), max_size=40).map(
        lambda parts: "".join(a + b for a, b in parts)
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_warm_tokenizer_and_sentences_are_spacys(text: str) -> None:
    """make_doc (warmed tokenizer cache), the array sentencizer and the fixes give what spaCy's own tokenizer
    and sentencizer with the fixes give."""
    nlp = german_pipeline(entities=False, lemmas=False)
    reference = spacy.blank("de")
    reference.add_pipe("sentencizer")
    ours = nlp_module.make_doc(nlp, text)
    assert ours._.cm_text == text
    theirs = reference(text)
    attrs = ["ORTH", "IDX", "SPACY"]
    assert (ours.to_array(attrs) == theirs.to_array(attrs)).all() and len(ours) == len(theirs)
    ours = nlp.get_pipe("sentencizer")(ours)
    assert (ours.to_array(["SENT_START"]) == theirs.to_array(["SENT_START"])).all()
    nlp_module.fix_sentences(ours)  # reads the kept text
    nlp_module.fix_sentences(theirs)  # rebuilds the text from the tokens
    assert (ours.to_array(["SENT_START"]) == theirs.to_array(["SENT_START"])).all()


_EXTRA_STARTS_AS_ONE = re.compile(
    r"(?:\b(?:usw|etc)\.|(?<![\d.])\d{4}\.)[ \t]*\n?[ \t]*(?=[A-ZÄÖÜ])|\n[ \t]*\n\s*(?=\S)"
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["usw", "etc", "Xusw", "_etc", "é", "1", "20", "2020", ".", " ", "\t", "\n", "Ä",
                                 "a", "\r", "\xa0", "12020", ".2020"]), max_size=25).map("".join))
def test_extra_starts_are_those_of_one_expression(text: str) -> None:
    split = sorted((m for p in nlp_module._EXTRA_STARTS for m in p.finditer(text)), key=lambda m: m.start())
    assert [m.span() for m in split] == [m.span() for m in _EXTRA_STARTS_AS_ONE.finditer(text)]


def test_tokenizer_warmer_keeps_a_bounded_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = spacy.blank("de")
    warmer = nlp_module.TokenizerWarmer(nlp.tokenizer)
    monkeypatch.setattr(nlp_module.TokenizerWarmer, "LIMIT", 50)
    words = [f"Wort{k}" for k in range(200)]
    for k in range(0, 200, 20):
        text = " ".join(words[k : k + 20]) + " Nr. 5."
        warmer(text)
        assert len(warmer.seen) <= 50
        assert [t.text for t in nlp.make_doc(text)] == [t.text for t in spacy.blank("de").make_doc(text)]
