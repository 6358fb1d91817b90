"""Citation keys: readable, ASCII, unique, and the same whatever order the documents come in."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clustermine.corpus.export.keys import (
    KeySource,
    assign_keys,
    issuer_word,
    key_base,
    suffix,
    title_word,
    transliterate,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Clusterförderung", "clusterfoerderung"), ("Straße", "strasse"), ("ÄÖÜ", "aeoeue"), ("Chóśebuz", "chosebuz"),
     ("Rhein-Erft 2020", "rheinerft2020"), ("ẞ", "ss")],
)
def test_transliterate(text: str, expected: str) -> None:
    assert transliterate(text) == expected


@pytest.mark.parametrize(
    ("body", "issuer", "expected"),
    [
        ("Kreis Mettmann", "Kreis Mettmann, Amt für Wirtschaftsförderung und Planung", "mettmann"),
        (None, "Stadt Dortmund, Wirtschaftsförderung", "dortmund"),
        (None, "Institut Arbeit und Technik (IAT), Gelsenkirchen", "iat"),
        (None, "Transformationsnetzwerk Region Stuttgart (TraNeRS), WRS GmbH", "traners"),
        (None, "Wirtschaftsförderungsgesellschaft Hamm mbH", "hamm"),
        ("Stadt Köln", None, "koeln"),
        (None, None, ""),
    ],
)
def test_issuer_word(body: str | None, issuer: str | None, expected: str) -> None:
    assert issuer_word(body, issuer) == expected


def test_title_word_skips_function_words_and_short_tokens() -> None:
    assert title_word("Clusterförderung im Kreis Mettmann") == "clusterfoerderung"
    assert title_word("Die IT-Standort-Strategie") == "standort"
    assert title_word("Über die 3. H2-Allianz") == "allianz"
    assert title_word("") == ""


def test_the_example_of_the_issue() -> None:
    source = KeySource("x", "Clusterförderung im Kreis Mettmann", "2013-04-10", "Kreis Mettmann",
                       "Kreis Mettmann, Amt für Wirtschaftsförderung und Planung")
    assert key_base(source) == "mettmann2013clusterfoerderung"


def test_place_is_the_fallback_then_anon_and_undated_has_no_year() -> None:
    assert key_base(KeySource("x", "Projekt Medizintechnik", "2000-03", place="Lübeck")) == "luebeck2000projekt"
    assert key_base(KeySource("x", "Projekt", None)) == "anonprojekt"


def test_suffixes() -> None:
    assert [suffix(n) for n in (0, 1, 25, 26, 27, 701, 702)] == ["a", "b", "z", "aa", "ab", "zz", "aaa"]


def test_collisions_get_letters_in_date_order_independent_of_input_order() -> None:
    sources = [
        KeySource("c", "Clusterförderung III", "2013-11-02", "Kreis Mettmann"),
        KeySource("a", "Clusterförderung I", "2013-01-10", "Kreis Mettmann"),
        KeySource("b", "Clusterförderung II", "2013-04", "Kreis Mettmann"),
        KeySource("d", "Clusterförderung", "2014", "Kreis Mettmann"),
    ]
    keys = assign_keys(sources)
    assert keys == {"a": "mettmann2013clusterfoerderunga", "b": "mettmann2013clusterfoerderungb",
                    "c": "mettmann2013clusterfoerderungc", "d": "mettmann2014clusterfoerderung"}
    shuffled = sources[:]
    random.Random(3).shuffle(shuffled)
    assert assign_keys(shuffled) == keys


def test_a_disambiguated_key_never_equals_another_base() -> None:
    sources = [KeySource("1", "Plan", "2013", "Stadt Xa"), KeySource("2", "Plan", "2013", "Stadt Xa"),
               KeySource("3", "Plana", "2013", "Stadt Xa")]  # base "xa2013plana" is taken by document 3
    keys = assign_keys(sources)
    assert len(set(keys.values())) == 3 and keys["3"] == "xa2013plana"


@given(st.lists(st.tuples(st.text(max_size=30), st.sampled_from([None, "2013", "2013-04-10", "1999-12"]),
                          st.sampled_from([None, "Kreis Mettmann", "Stadt Köln", "Ärzte & Co. GmbH"])), max_size=40))
def test_keys_are_unique_ascii_for_any_input(rows: list[tuple[str, str | None, str | None]]) -> None:
    sources = [KeySource(str(i), title, date, body) for i, (title, date, body) in enumerate(rows)]
    keys = assign_keys(sources)
    assert len(keys) == len(sources) and len(set(keys.values())) == len(sources)
    assert all(re.fullmatch(r"[a-z0-9]+", key) for key in keys.values())
