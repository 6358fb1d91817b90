"""Term counting per document: keys, whole vs. in-compound counts, the noun vote, phrases, storage form."""

from __future__ import annotations

import pytest

from clustermine.pipeline.terms import count_terms, decode_terms, encode_terms, phrase_key, term_key


@pytest.mark.parametrize(
    ("forms", "same"),
    [
        (("Kompetenzfeld", "Kompetenzfelder", "Kompetenzfeldern", "Kompetenzfeldes"), True),
        (("Cluster", "Clusters", "Clustern"), True),
        (("Förderung", "Foerderung", "FÖRDERUNG", "Förderungen"), True),
        (("Straße", "Strasse"), True),
        (("Cluster-Förderung", "Clusterförderung"), True),
        (("Förderung", "Forderung"), False),
    ],
)
def test_term_key_joins_forms_and_spellings(forms: tuple[str, ...], same: bool) -> None:
    assert (len({term_key(f) for f in forms}) == 1) is same


def test_phrase_keys() -> None:
    assert term_key("regionale Wirtschaftsförderung") == term_key("regionalen Wirtschaftsförderungen")
    assert phrase_key(["regionale", "Wirtschaftsförderung"]) == term_key("regionale Wirtschaftsförderung")
    assert term_key("") == ""


def test_whole_and_part_counts() -> None:
    doc = count_terms("Die Cluster der Region. Die Clusterpolitik und der Cluster-Wettbewerb stärken Clustern.")
    cluster = doc.terms[term_key("Cluster")]
    assert (cluster.whole, cluster.part) == (2, 2)
    assert doc.terms[term_key("Clusterpolitik")].whole == 1
    assert doc.terms[term_key("Cluster-Wettbewerb")].whole == 1


@pytest.mark.parametrize(
    ("word", "inside"),
    [
        ("Kompetenzfeldanalyse", "Kompetenzfeld"),
        ("Wirtschaftsförderungsgesellschaft", "Wirtschaftsförderung"),
        ("Clusterförderungsprogramm", "Clusterförderung"),
        ("Arbeitsmarktpolitik", "Arbeitsmarkt"),
    ],
)
def test_compound_terms_are_found_inside_longer_compounds(word: str, inside: str) -> None:
    counted = count_terms(f"Die {word} beginnt.").terms
    assert counted[term_key(inside)].part == 1 and counted[term_key(inside)].whole == 0
    assert counted[term_key(word)].whole == 1 and counted[term_key(word)].part == 0


def test_each_part_once_per_word() -> None:
    counted = count_terms("Die Clustermanagement-Clusterstrategie.").terms
    assert counted[term_key("Cluster")].part == 1


def test_tokens_include_function_words_but_terms_do_not() -> None:
    doc = count_terms("Die Förderung der 3 Cluster im Jahr 2010 und die z.B. genannten Ziele.")
    assert doc.n_tokens == 14
    assert term_key("die") not in doc.terms and "2010" not in doc.terms and "3" not in doc.terms


def test_noun_vote_from_capitalisation() -> None:
    doc = count_terms("Regionale Förderung hilft. Die regionale Förderung und die regionalen Cluster wachsen.")
    regional = doc.terms[term_key("regionale")]
    assert regional.lower == 2 and regional.cap == 0  # capitalised only at a sentence start: no vote
    assert doc.terms[term_key("Förderung")].cap == 2


def test_adjective_noun_phrases() -> None:
    doc = count_terms("Die regionale Förderung, die regionale, Förderung. Regionale Förderung.\n\nregionale\nFörderung")
    phrase = doc.terms[term_key("regionale Förderung")]
    assert phrase.whole == 2  # a comma breaks a pair; a capitalised sentence start is no adjective
    assert phrase.surface == "regionale Förderung"


def test_soft_hyphens_do_not_split_words() -> None:
    doc = count_terms("Die Cluster\u00adpolitik.")
    assert doc.terms[term_key("Clusterpolitik")].whole == 1 and doc.n_tokens == 2


def test_storage_round_trip() -> None:
    doc = count_terms("Die Clusterpolitik fördert regionale Cluster in Bochum.")
    back = decode_terms(encode_terms(doc), doc.n_tokens)
    assert back == doc


def test_word_cache_is_bounded_and_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from clustermine.pipeline import terms

    text = (
        "Die Clusterförderung der Wirtschaftsförderungsgesellschaft stärkt regionale Netzwerke. "
        "Regionale Netzwerke und die Clusterförderung im Kreis. " * 3
    )
    terms.clear_cache()
    first = encode_terms(count_terms(text))
    assert terms._WORD_INFO  # the words were cached ...
    monkeypatch.setattr(terms, "_WORD_INFO_LIMIT", 4)
    terms.clear_cache()
    small = encode_terms(count_terms(text))
    assert len(terms._WORD_INFO) <= 4  # ... within the limit
    assert small == first == encode_terms(count_terms(text))  # and a cached word counts like a fresh one
    terms.clear_cache()
