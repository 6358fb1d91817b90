"""The German analysis chain: word forms meet, parts are emitted, positions line up, and search ranks right."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import fields, query
from whoosh.filedb.filestore import RamStorage
from whoosh.highlight import Highlighter, UppercaseFormatter
from whoosh.qparser import QueryParser

from clustermine.index.analysis import (
    PART_BOOST,
    PARTS_QUERY_WEIGHT,
    analyse_word,
    expand_word,
    fold,
    german_analyzer,
    german_query_analyzer,
    plain_analyzer,
    query_terms,
    stem,
)
from clustermine.index.wordforms import STOP_WORDS, is_stop_word, light_stem


def terms(text: str, **kwargs: object) -> list[str]:
    return [token.text for token in german_analyzer()(text, mode="index", **kwargs)]


def tokens(text: str) -> list[tuple[str, int, float]]:
    return [(t.text, t.pos, t.boost) for t in german_analyzer()(text, positions=True, mode="index")]


def query_tokens(text: str) -> list[str]:
    return [token.text for token in german_query_analyzer()(text, mode="query")]


# -- word forms ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "forms",
    [
        ("Kreis", "Kreises", "Kreise", "Kreisen"),
        ("Cluster", "Clustern", "Clusters"),
        ("Förderung", "Förderungen"),
        ("regional", "regionalen", "regionale", "regionaler", "regionalem"),
        ("Unternehmen", "Unternehmens"),
        ("Stadt", "Städte", "Städten"),
        ("Zentrum", "Zentren"),
        ("Land", "Landes", "Länder"),
        ("Arbeitsplatz", "Arbeitsplätze"),
        ("Kompetenzfeld", "Kompetenzfelder", "Kompetenzfeldern"),
        ("Unternehmerin", "Unternehmerinnen"),
        ("Prozess", "Prozesse", "Prozeß"),
        ("Mittel", "Mitteln"),
    ],
)
def test_inflected_forms_meet(forms: tuple[str, ...]) -> None:
    assert len({stem(form) for form in forms}) == 1, {form: stem(form) for form in forms}


@pytest.mark.parametrize(
    "spellings",
    [
        ("Förderung", "Foerderung", "FÖRDERUNG", "FOERDERUNG", "fo\u0308rderung"),
        ("Straße", "Strasse", "STRASSE", "STRAẞE"),
        ("Räte", "Raete", "Rat"),
        ("Müller", "Mueller"),
    ],
)
def test_spellings_meet(spellings: tuple[str, ...]) -> None:
    assert len({stem(spelling) for spelling in spellings}) == 1, {s: stem(s) for s in spellings}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Förderung", "Forderung"),
        ("Förderungen", "Forderungen"),
        ("fördern", "Förderung"),
        ("Daten", "Datum"),
        ("Unternehmen", "Unternehmer"),
        ("Betriebe", "betreiben"),
        ("Region", "regional"),
        ("Stadt", "Staat"),
    ],
)
def test_different_words_stay_apart(one: str, other: str) -> None:
    assert stem(one) != stem(other)


def test_fold_expands_umlauts_and_drops_other_accents() -> None:
    assert fold("Förderung Straße ÄÖÜ") == "foerderung strasse aeoeue"
    assert fold("Café") == "cafe"
    assert fold("Wirt\u00adschaft") == "wirtschaft"


@pytest.mark.parametrize("word", ["NRW", "EFRE", "IHK", "EU", "IT", "KMU", "ESF"])
def test_abbreviations_are_kept_whole(word: str) -> None:
    assert terms(word) == [word.lower()]
    assert not is_stop_word(word)


def test_light_stem_leaves_short_words_alone() -> None:
    assert light_stem("efre") == "efre"
    assert light_stem("fonds") == "fond"


# -- tokens -------------------------------------------------------------------------------------------------


def test_hyphenated_compound_yields_whole_and_parts() -> None:
    found = terms("EU-Strukturfonds")
    assert found[:3] == ["eu-" + stem("strukturfonds"), "eu", stem("strukturfonds")]


def test_hyphenated_parts_count_fully_and_share_the_position() -> None:
    found = tokens("Cluster-Förderung im Kreis")
    assert found == [("cluster-foerderung", 0, 1.0), ("cluster", 0, 1.0), ("foerderung", 0, 1.0), ("kreis", 1, 1.0)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("surface.net", ["surface.net", stem("surface"), "net"]), ("logistik.nrw", ["logistik.nrw", "logistik", "nrw"])],
)
def test_dotted_names_stay_whole_plus_parts(text: str, expected: list[str]) -> None:
    assert terms(text) == expected
    assert query_tokens(text) == [text]


def test_ziel_2_is_usable() -> None:
    assert terms("Ziel-2") == ["ziel-2", "ziel", "2"]
    assert query_terms("Ziel-2") == [["ziel-2"], ["ziel", "2"]]
    assert "ziel" in terms("Ziel-2-Programm") and "2" in terms("Ziel-2-Programm")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("§ 5", ["§5"]),
        ("§5", ["§5"]),
        ("§§ 5", ["§5"]),
        ("§ 12a", ["§12a"]),
        ("z. B.", ["z.b."]),
        ("z.B.", ["z.b."]),
        ("1.000.000 DM", ["1.000.000", "dm"]),
        ("12,5 %", ["12,5"]),
        ("am 14.03.1995", ["14.03.1995"]),
        ("2014-2020", ["2014-2020", "2014", "2020"]),
        ("Forschungs- und Entwicklungsprojekte", [stem("Forschungs"), *terms("Entwicklungsprojekte")]),
    ],
)
def test_special_tokens(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


def test_stop_words_are_dropped_and_positions_closed_up() -> None:
    # Like whoosh's StopFilter: the first kept word keeps its position, the others follow without gaps.
    assert tokens("die Förderung von den Clustern") == [("foerderung", 1, 1.0), ("cluster", 2, 1.0)]
    assert {"und", "der", "für", "fuer", "dass", "daß"} <= STOP_WORDS


def test_stop_words_are_marked_when_not_removed() -> None:
    found = [(t.text, t.stopped) for t in german_analyzer()("die Förderung", removestops=False)]
    assert found == [("die", True), ("foerderung", False)]


def test_compound_parts_follow_the_whole_with_lower_weight() -> None:
    found = tokens("Clusterförderung im Kreis")
    assert found == [
        ("clusterfoerderung", 0, 1.0),
        ("cluster", 0, PART_BOOST),
        ("foerderung", 0, PART_BOOST),
        ("kreis", 1, 1.0),
    ]


def test_parts_of_a_hyphenated_part_are_split_too() -> None:
    assert ("struktur", 0, PART_BOOST) in tokens("EU-Strukturfonds")


def test_compounds_can_be_switched_off() -> None:
    assert [t.text for t in german_analyzer(compounds=False)("Clusterförderung")] == ["clusterfoerderung"]


def test_character_spans_point_into_the_text() -> None:
    text = "Die EU-Strukturfonds und die Clusterförderung"
    spans = {t.text: text[t.startchar : t.endchar] for t in german_analyzer()(text, chars=True)}
    assert spans["eu"] == "EU"
    assert spans[stem("Strukturfonds")] == "Strukturfonds"
    assert spans["foerderung"] == "Clusterförderung"


def test_query_mode_gives_one_term_per_word() -> None:
    text = "EU-Strukturfonds Clusterförderung surface.net Kreises"
    expected = ["eu-" + stem("strukturfonds"), "clusterfoerderung", "surface.net", "kreis"]
    assert [t.text for t in german_analyzer()(text, mode="query")] == expected
    assert query_tokens(text) == expected


def test_analyzers_pickle() -> None:
    analyzer = german_analyzer()
    copy = pickle.loads(pickle.dumps(analyzer))
    assert copy == analyzer
    assert [t.text for t in copy("Clusterförderung")] == terms("Clusterförderung")
    assert pickle.loads(pickle.dumps(german_query_analyzer())) == german_query_analyzer()


def test_plain_analyzer_is_whooshs_standard() -> None:
    assert [t.text for t in plain_analyzer()("Die Förderung")] == ["die", "förderung"]


# -- explain and query expansion ----------------------------------------------------------------------------


def test_analyse_word_explains_compounds() -> None:
    analysis = analyse_word("Clusterförderung")
    assert str(analysis) == "Clusterförderung = Cluster + Förderung"
    assert analysis.folded == analysis[1] == "clusterfoerderung"
    assert analysis.stem == "clusterfoerderung"
    assert analysis.part_stems == ("cluster", "foerderung")
    assert analyse_word("EU-Strukturfonds").parts == ("EU", "Strukturfonds")
    assert analyse_word("Kreises").parts == ()
    assert analyse_word("und").stop


def test_query_terms() -> None:
    assert query_terms("Clusterförderung") == [["clusterfoerderung"], ["cluster", "foerderung"]]
    assert query_terms("clusterförderung") == query_terms("Clusterförderung")
    assert query_terms("Cluster-Förderung") == [["cluster-foerderung"], ["cluster", "foerderung"]]
    assert query_terms("Kreises") == [["kreis"]]
    assert query_terms("und") == []
    assert expand_word("Clusterförderung") == [
        (("clusterfoerderung",), 1.0),
        (("cluster", "foerderung"), PARTS_QUERY_WEIGHT),
    ]


# -- end to end ---------------------------------------------------------------------------------------------

DOCS = {
    "exact": "Die Förderung der Unternehmen im Kreis Mettmann.",
    "compound": "Die Clusterförderung der Unternehmen im Kreis Mettmann.",
    "hyphen": "Ein Bericht über die Cluster-Förderung des Landes NRW.",
    "spread": "Zur Förderung von Clustern in der Region Aachen.",
    "other": "Die Forderung der Gewerkschaften nach höheren Löhnen.",
    "kreis": "Der Kreis beschließt den Haushalt.",
    "efre": "Mittel aus dem EFRE und dem Programm Ziel-2 für surface.net.",
    "street": "Die Straße zum Technologiepark wird ausgebaut.",
}


@pytest.fixture(scope="module")
def searcher():
    schema = fields.Schema(id=fields.ID(stored=True), body=fields.TEXT(analyzer=german_analyzer()))
    index = RamStorage().create_index(schema)
    with index.writer() as writer:
        for key, text in DOCS.items():
            writer.add_document(id=key, body=text)
    with index.searcher() as opened:
        yield opened


def word_query(word: str, field: str = "body") -> query.Query:
    """(exact OR (part AND part)) with the exact form first, as a query compiler would build it."""
    alternatives = []
    for terms_, weight in expand_word(word):
        one = query.Term(field, terms_[0]) if len(terms_) == 1 else query.And([query.Term(field, t) for t in terms_])
        alternatives.append(one if weight == 1.0 else query.Or([one], boost=weight))
    return query.Or(alternatives)


def ids(searcher, q: query.Query) -> list[str]:
    return [hit["id"] for hit in searcher.search(q, limit=None)]


def test_a_word_finds_its_compounds_but_ranks_itself_first(searcher) -> None:
    found = ids(searcher, word_query("Förderung"))
    assert set(found) == {"exact", "compound", "hyphen", "spread"}
    assert found.index("exact") < found.index("compound")
    assert "other" not in found


def test_a_compound_finds_its_spelled_out_forms(searcher) -> None:
    found = ids(searcher, word_query("Clusterförderung"))
    assert found[0] == "compound"
    assert {"hyphen", "spread"} <= set(found)
    assert "exact" not in found


@pytest.mark.parametrize(
    ("word", "doc"),
    [("Foerderung", "exact"), ("FÖRDERUNG", "exact"), ("Kreises", "kreis"), ("Strasse", "street"),
     ("STRASSE", "street"), ("surface.net", "efre"), ("Ziel-2", "efre"), ("EFRE", "efre"), ("NRW", "hyphen"),
     ("Technologieparks", "street")],
)
def test_word_forms_find_the_document(searcher, word: str, doc: str) -> None:
    assert doc in ids(searcher, word_query(word))


def test_forderung_does_not_find_foerderung(searcher) -> None:
    assert ids(searcher, word_query("Forderung")) == ["other"]


def test_whoosh_query_parser_uses_query_mode(searcher) -> None:
    parser = QueryParser("body", searcher.schema)
    assert ids(searcher, parser.parse('"Förderung von Clustern"')) == ["spread"]
    assert ids(searcher, parser.parse("Kreises Haushalt")) == ["kreis"]
    assert ids(searcher, parser.parse('"Cluster-Förderung des Landes"')) == ["hyphen"]


def test_highlighting_copes_with_parts(searcher) -> None:
    results = searcher.search(word_query("Förderung"), limit=None, terms=True)
    highlighter = Highlighter(formatter=UppercaseFormatter())
    by_id = {hit["id"]: hit for hit in results}
    assert "CLUSTERFÖRDERUNG" in highlighter.highlight_hit(by_id["compound"], "body", text=DOCS["compound"])
    assert "Cluster-FÖRDERUNG" in highlighter.highlight_hit(by_id["hyphen"], "body", text=DOCS["hyphen"])


# -- robustness ---------------------------------------------------------------------------------------------

_GERMAN_ISH = st.text(alphabet=st.sampled_from(list("aeinrstuäöüßAEÖÜ-.§,;: \n\t0123456789_\u00ad\u0308z")),
                      max_size=80)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=200), _GERMAN_ISH))
def test_any_text_gives_non_empty_tokens_in_order(text: str) -> None:
    previous = -1
    count = 0
    for token in german_analyzer()(text, positions=True, chars=True, mode="index"):
        count += 1
        assert token.text
        assert token.pos >= previous
        assert 0 <= token.startchar <= token.endchar <= len(text)
        previous = token.pos
    assert count <= 10 * (len(text) + 1)
    assert all(query_tokens(text))
    for word in text.split()[:5]:
        analyse_word(word)
        query_terms(word)


def test_whoosh_imports_without_warnings(tmp_path) -> None:
    """whoosh 2.7.4 raised SyntaxWarnings (invalid escapes) on import; the maintained fork must not."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path)}  # compile afresh: warnings come at compile time
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import whoosh.index, whoosh.qparser, whoosh.highlight"],
        capture_output=True, text=True, env=env, check=False,
    )
    assert result.returncode == 0, result.stderr
