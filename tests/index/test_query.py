"""The query language parser: what each piece of syntax becomes, and errors that say what to fix."""

from __future__ import annotations

import pytest

from clustermine.errors import BadQueryError
from clustermine.index.filters import SearchFilters
from clustermine.index.query import And, Filter, Not, Or, Phrase, Word, YearRange, parse_query, text_terms


def test_empty_query_is_none() -> None:
    assert parse_query("") is None
    assert parse_query("   ") is None


def test_words_are_anded() -> None:
    assert parse_query("Clusterförderung Mettmann") == And((Word("Clusterförderung"), Word("Mettmann")))


@pytest.mark.parametrize("op", ["OR", "ODER"])
def test_or_binds_looser_than_and(op: str) -> None:
    assert parse_query(f"a b {op} c") == Or((And((Word("a"), Word("b"))), Word("c")))


@pytest.mark.parametrize("query", ["Cluster NOT Logistik", "Cluster NICHT Logistik", "Cluster -Logistik",
                                   "Cluster AND NOT Logistik", "Cluster UND NICHT Logistik"])
def test_negation(query: str) -> None:
    assert parse_query(query) == And((Word("Cluster"), Not(Word("Logistik"))))


def test_lower_case_operators_are_words() -> None:
    """ "und"/"oder"/"nicht" are ordinary (stop) words in German text; only upper case is an operator."""
    assert parse_query("Forschung und Entwicklung") == And((Word("Forschung"), Word("und"), Word("Entwicklung")))


def test_groups() -> None:
    assert parse_query("(Cluster OR Netzwerk) Logistik") == And(
        (Or((Word("Cluster"), Word("Netzwerk"))), Word("Logistik"))
    )
    assert parse_query("-(a b)") == Not(And((Word("a"), Word("b"))))


@pytest.mark.parametrize("query", ['"Wachstums- und Beschäftigungspakt"', "„Wachstums- und Beschäftigungspakt“"])
def test_phrases_in_straight_and_german_quotes(query: str) -> None:
    assert parse_query(query) == Phrase("Wachstums- und Beschäftigungspakt")


def test_phrase_with_slop() -> None:
    assert parse_query('"Kompetenzfeld Logistik"~2') == Phrase("Kompetenzfeld Logistik", slop=2)


def test_prefix_wildcard_fuzzy() -> None:
    assert parse_query("Clust*") == Word("Clust", prefix=True)
    assert parse_query("Clust?r") == Word("Clust?r", wildcard=True)
    assert parse_query("Wirtschafts*förderung") == Word("Wirtschafts*förderung", wildcard=True)
    assert parse_query("Förderunng~") == Word("Förderunng", fuzzy=1)
    assert parse_query("Förderunng~2") == Word("Förderunng", fuzzy=2)


def test_words_with_hyphens_dots_and_slashes_stay_whole() -> None:
    assert parse_query("EU-Strukturfonds surface.net") == And((Word("EU-Strukturfonds"), Word("surface.net")))
    assert parse_query("number:2013/0295") == Filter("number", "2013/0295")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type:council_paper", Filter("type", "council_paper")),
        ("typ:vorlage", Filter("type", "council_paper")),
        ("type:Niederschrift", Filter("type", "minutes")),
        ("region:Mettmann", Filter("region", "Mettmann")),
        ('region:"Kreis Mettmann"', Filter("region", "Kreis Mettmann")),
        ("region: Mettmann", Filter("region", "Mettmann")),
        ("cluster:BioRiver", Filter("cluster", "BioRiver")),
        ("programm:EFRE", Filter("program", "EFRE")),
        ("org:IHK", Filter("org", "IHK")),
        ("ausschuss:Kreistag", Filter("committee", "Kreistag")),
        ("year:2010", YearRange(2010, 2010)),
        ("jahr:2010..2015", YearRange(2010, 2015)),
        ("year:2010-2015", YearRange(2010, 2015)),
        ("year:2010..", YearRange(2010, None)),
        ("year:..2015", YearRange(None, 2015)),
    ],
)
def test_filter_fields(query: str, expected: object) -> None:
    assert parse_query(query) == expected


def test_text_fields_apply_to_words_phrases_and_groups() -> None:
    assert parse_query("title:Cluster") == Word("Cluster", field="title")
    assert parse_query("titel:Cluster") == Word("Cluster", field="title")
    assert parse_query('resolution:"Verwaltung wird beauftragt"') == Phrase("Verwaltung wird beauftragt", "resolution")
    assert parse_query("beschluss:(Cluster OR Netzwerk)") == Or(
        (Word("Cluster", field="resolution"), Word("Netzwerk", field="resolution"))
    )
    assert parse_query("region:(Mettmann OR Hilden)") == Or((Filter("region", "Mettmann"), Filter("region", "Hilden")))


def test_text_terms_leave_out_negated_parts() -> None:
    tree = parse_query('Cluster "Kreis Mettmann" NOT Logistik year:2010')
    assert text_terms(tree) == [Word("Cluster"), Phrase("Kreis Mettmann")]
    assert Word("Logistik") in text_terms(tree, include_negated=True)


@pytest.mark.parametrize(
    ("query", "message", "hint"),
    [
        ('"Wachstums- und Beschäftigungspakt', "unbalanced quotes", 'close the phrase with a second "'),
        ("Cluster „Mettmann", "unbalanced quotes", "close the phrase"),
        ("regoin:Mettmann", "unknown field 'regoin:'", "known fields: title:, resolution:, text:, type:, year:"),
        ("year:2015..2010", "bad year range '2015..2010': it runs backwards", "did you mean year:2010..2015?"),
        ("year:zwanzig", "bad year range 'zwanzig'", "year:2010..2015"),
        ("type:protokollx", "unknown document type 'protokollx'", "council_paper"),
        ("Cluster AND", "AND at character 9 has nothing to its right", "write a word after AND"),
        ("OR Cluster", "OR at character 1 has nothing to its left", "write a word before OR"),
        ("(Cluster Netzwerk", "unbalanced parentheses: '(' at character 1 is never closed", "add the matching ')'"),
        ("Cluster)", "unbalanced parentheses: ')' at character 8 closes nothing", "remove it"),
        ("region:", "field 'region:' at character 1 has no value", "region:value"),
        ("*", "a wildcard alone would match everything", "at least one letter"),
        ("Cluster~3", "fuzzy distance ~3 is too large", "word~1 or word~2"),
    ],
)
def test_errors_name_the_problem_and_the_fix(query: str, message: str, hint: str) -> None:
    with pytest.raises(BadQueryError) as caught:
        parse_query(query)
    assert message in caught.value.message
    assert hint in (caught.value.hint or "")


def test_unknown_field_error_lists_every_field() -> None:
    with pytest.raises(BadQueryError) as caught:
        parse_query("betreffx:Cluster")
    for name in ("title", "resolution", "type", "year", "region", "cluster", "program", "org", "number"):
        assert f"{name}:" in str(caught.value)


def test_search_filters_validate_and_normalise() -> None:
    filters = SearchFilters(doctypes=("vorlage", "council_paper"), years=(2010, 2015), regions="Mettmann")
    assert filters.doctypes == ("council_paper",)
    assert filters.regions == ("Mettmann",)
    assert not filters.is_empty()
    assert SearchFilters().is_empty()
    with pytest.raises(BadQueryError, match="run backwards"):
        SearchFilters(years=(2015, 2010))
    with pytest.raises(BadQueryError, match="unknown document type"):
        SearchFilters(doctypes=("memo",))
