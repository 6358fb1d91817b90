"""Searching a small German corpus: every query feature, filters, facets, collapsing, snippets, suggestions."""

from __future__ import annotations

import json
import re

import pytest

from clustermine.corpus.store import CorpusStore
from clustermine.errors import BadQueryError, ClustermineError
from clustermine.index import SearchFilters, search, similar

VORLAGE = "mettmann-vorlage.txt"
NEUFASSUNG = "mettmann-vorlage-neufassung.txt"
VELBERT = "velbert-bericht.txt"
DORTMUND = "dortmund-projekt.txt"
LEIPZIG = "leipzig-niederschrift.txt"
ESSEN = "essen-webseite.txt"
#: Queries of filters only list newest first, so the Mettmann pair is represented by its newer version.
NEWEST = NEUFASSUNG


@pytest.fixture(scope="module")
def find(corpus: CorpusStore, ids: dict[str, str]):  # type: ignore[no-untyped-def]
    """``find(query, **options)`` → file names of the hits, in rank order (all on one page)."""
    names = {doc_id: name for name, doc_id in ids.items()}

    def run(query: str, **options: object) -> list[str]:
        options.setdefault("limit", 50)
        return [names[hit.id] for hit in search(corpus, query, **options).hits]  # type: ignore[arg-type]

    return run


# -- German word forms ----------------------------------------------------------------------------------------


def test_inflected_forms_meet(find) -> None:  # type: ignore[no-untyped-def]
    assert set(find("Kreises")) == {VORLAGE, LEIPZIG}  # Kreis, Kreises / Kreise
    assert set(find("Clustern")) >= {DORTMUND}


@pytest.mark.parametrize("spelling", ["Förderung", "Foerderung", "FÖRDERUNG", "förderungen"])
def test_umlaut_spellings_and_case_meet(find, spelling: str) -> None:  # type: ignore[no-untyped-def]
    assert set(find(spelling)) == set(find("Förderung"))
    assert ESSEN in find(spelling)  # the web page writes "Foerderung"


@pytest.mark.parametrize("spelling", ["Straße", "Strasse", "STRASSE"])
def test_sharp_s_spellings_meet(find, spelling: str) -> None:  # type: ignore[no-untyped-def]
    assert set(find(spelling)) == {ESSEN, LEIPZIG}  # STRASSE, Hauptstraße (compound part)


def test_part_finds_compound_but_ranks_the_word_itself_first(find) -> None:  # type: ignore[no-untyped-def]
    hits = find("Förderung")
    assert VORLAGE in hits  # only as Clusterförderung and Wirtschaftsförderung
    assert hits.index(DORTMUND) < hits.index(VORLAGE) or hits[0] == VORLAGE
    assert set(find("Cluster")) >= {VORLAGE, DORTMUND, VELBERT}


def test_compound_finds_its_parts_written_apart_and_exact_form_ranks_first(find) -> None:  # type: ignore[no-untyped-def]
    hits = find("Clusterförderung")
    assert hits[0] == VORLAGE  # "Clusterförderung" itself
    assert VELBERT in hits  # "Cluster-Förderung"
    assert DORTMUND in hits  # "Förderung von Clustern"
    assert set(find("Cluster-Förderung")) == set(hits)
    assert find("Cluster-Förderung")[0] == VELBERT


def test_hyphenated_and_dotted_tokens(find) -> None:  # type: ignore[no-untyped-def]
    assert find("EU-Strukturfonds") == [LEIPZIG]
    assert find("Strukturfonds") == [LEIPZIG]
    assert find("surface.net") == [ESSEN]
    assert find("surface") == [ESSEN]


def test_abbreviations(find) -> None:  # type: ignore[no-untyped-def]
    assert find("EFRE") == [DORTMUND]
    assert find("efre") == [DORTMUND]


def test_stop_word_alone_finds_nothing(find) -> None:  # type: ignore[no-untyped-def]
    assert find("und") == []


# -- query language -----------------------------------------------------------------------------------------


def test_phrases(find) -> None:  # type: ignore[no-untyped-def]
    assert find('"Schließ- und Sicherungstechnik"') == [VORLAGE]
    assert find('"Sicherungstechnik Schließ"') == []
    assert find('"Mittel aus dem EU-Strukturfonds"') == [LEIPZIG]
    assert find('"Netzwerk Mikrosystemtechnik"') == [DORTMUND]  # "Netzwerk der …": stop words are left out
    assert find('"Projektlaufzeit Jahre"') == []  # "Die Projektlaufzeit beträgt drei Jahre"
    assert find('"Projektlaufzeit Jahre"~2') == [DORTMUND]


def test_boolean_operators(find) -> None:  # type: ignore[no-untyped-def]
    assert find("Velbert NOT Kreistag") == [VELBERT]
    assert find("Velbert -Kreistag") == [VELBERT]
    assert set(find("EFRE OR Strukturfonds")) == {DORTMUND, LEIPZIG}
    assert set(find("(EFRE OR Strukturfonds) Logistik")) == {LEIPZIG}
    assert set(find("NOT Förderung")) == {LEIPZIG}
    assert find("Netzwerk AND Logistik") == []


def test_prefix_and_wildcard(find) -> None:  # type: ignore[no-untyped-def]
    assert set(find("Schlüssel*")) == {VORLAGE, VELBERT}  # Schlüsselindustrie, Schlüsselregion
    assert set(find("Mikrosys*")) == {DORTMUND}
    assert set(find("Beschichtungsverf?hren")) == {ESSEN}


def test_fuzzy_and_typo_tolerance(find) -> None:  # type: ignore[no-untyped-def]
    assert find("Mikrosystemtechnick") == [DORTMUND]  # no exact match: run again as the suggestion says
    assert find("Mikrosystemtechnick~") == [DORTMUND]
    assert find("Beschichtungsferfahren~2") == [ESSEN]


def test_text_fields(find) -> None:  # type: ignore[no-untyped-def]
    assert set(find("Velbert")) == {VORLAGE, VELBERT}
    assert find("title:Velbert") == [VELBERT]
    assert find("resolution:Velbert") == [VORLAGE]  # named in the Beschlussvorschlag only
    assert find("beschluss:Heiligenhaus") == [VORLAGE]


def test_metadata_fields(find, ids: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert find("number:2013/0295") == [VORLAGE]
    assert find("nr:2013/0295/1", collapse=False) == [NEUFASSUNG]
    assert set(find("type:council_paper", collapse=False)) == {VORLAGE, NEUFASSUNG}
    assert find("typ:niederschrift") == [LEIPZIG]
    assert find("type:webseite") == [ESSEN]
    assert find("committee:Kreistag") == [NEWEST]
    assert find("council:Mettmann") == [NEWEST]
    assert find("source:dortmund") == [DORTMUND]
    assert find(f"id:{ids[DORTMUND][:6]}") == [DORTMUND]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year:2013", {NEWEST}),
        ("year:2010..2015", {NEWEST, VELBERT, LEIPZIG}),
        ("year:2010-2015", {NEWEST, VELBERT, LEIPZIG}),
        ("jahr:2015..", {VELBERT, ESSEN}),
        ("year:..2010", {DORTMUND}),
    ],
)
def test_year_ranges(find, query: str, expected: set[str]) -> None:  # type: ignore[no-untyped-def]
    assert set(find(query)) == expected


def test_entity_fields_in_the_query(find) -> None:  # type: ignore[no-untyped-def]
    assert set(find("region:Mettmann")) == {NEWEST, VELBERT}  # Velbert lies in Kreis Mettmann
    assert set(find('region:"Kreis Mettmann" Netzwerk')) == {VORLAGE}
    assert find("program:EFRE") == [DORTMUND]
    assert find("cluster:Logistik") == [LEIPZIG]
    assert find("org:surface.net") == [ESSEN]  # no gazetteer id: matched by name
    assert find('cluster:"Schließ- und Sicherungstechnik"') == [VORLAGE]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"offene Phrase', "unbalanced quotes"),
        ("regoin:Mettmann", "unknown field"),
        ("year:2015..2010", "bad year range"),
    ],
)
def test_bad_queries_raise_bad_query_error(corpus: CorpusStore, query: str, message: str) -> None:
    with pytest.raises(BadQueryError, match=message):
        search(corpus, query)


def test_bad_paging_and_sort(corpus: CorpusStore) -> None:
    with pytest.raises(BadQueryError, match="sort must be one of relevance, date"):
        search(corpus, "Cluster", sort="alphabetical")
    with pytest.raises(BadQueryError, match="page must be 1 or more"):
        search(corpus, "Cluster", page=0)


# -- filters ------------------------------------------------------------------------------------------------


def test_region_filter_with_and_without_subregions(find) -> None:  # type: ignore[no-untyped-def]
    mettmann = SearchFilters(regions=("Mettmann",))
    assert set(find("", filters=mettmann)) == {NEWEST, VELBERT}
    direct = SearchFilters(regions=("Mettmann",), include_subregions=False)
    assert set(find("", filters=direct)) == {NEWEST}
    by_id = SearchFilters(regions=("ks-05158",), include_subregions=False)
    assert set(find("", filters=by_id)) == {NEWEST}
    assert set(find("Netzwerk", filters=by_id, collapse=False)) == {VORLAGE, NEUFASSUNG}


def test_region_filter_on_a_land_and_a_named_region(find) -> None:  # type: ignore[no-untyped-def]
    nrw = SearchFilters(regions=("NRW",))
    assert set(find("", filters=nrw)) == {NEWEST, VELBERT, DORTMUND, ESSEN}
    assert find("", filters=SearchFilters(regions=("NRW",), include_subregions=False)) == []
    ruhr = SearchFilters(regions=("Ruhrgebiet",))
    assert set(find("", filters=ruhr)) == {DORTMUND, ESSEN}  # Dortmund is a member of the Ruhrgebiet
    assert set(find("", filters=SearchFilters(regions=("Sachsen",)))) == {LEIPZIG}


def test_filters_combine(find) -> None:  # type: ignore[no-untyped-def]
    filters = SearchFilters(doctypes=("council_paper", "report"), years=(2014, 2020), regions=("Mettmann",))
    assert find("", filters=filters) == [VELBERT]
    assert set(find("Netzwerk", filters=SearchFilters(doctypes=("vorlage", "webseite")))) == {VORLAGE, ESSEN}
    assert find("Netzwerk", filters=SearchFilters(programs=("EFRE",))) == [DORTMUND]
    assert find("", filters=SearchFilters(clusters=("Logistik",), orgs=("surface.net",))) == []


def test_unknown_entity_names_fall_back_to_the_entities_text(find) -> None:  # type: ignore[no-untyped-def]
    assert find("", filters=SearchFilters(orgs=("surface.net",))) == [ESSEN]
    assert find("", filters=SearchFilters(regions=("Atlantis",))) == []


# -- ranking, sorting, paging, collapsing -----------------------------------------------------------------------


def test_sort_by_date_newest_first(corpus: CorpusStore) -> None:
    hits = search(corpus, "Netzwerk", sort="date", limit=50, collapse=False).hits
    dates = [hit.date for hit in hits]
    assert dates == sorted(dates, reverse=True)
    relevance = search(corpus, "Netzwerk", limit=50, collapse=False).hits
    assert {h.id for h in relevance} == {h.id for h in hits}


def test_filter_only_queries_list_newest_first(corpus: CorpusStore) -> None:
    hits = search(corpus, "", filters=SearchFilters(regions=("NRW",)), limit=50).hits
    assert [h.date for h in hits] == sorted((h.date for h in hits), reverse=True)


def test_pagination(corpus: CorpusStore) -> None:
    full = search(corpus, "Förderung OR Netzwerk OR Region", limit=50)
    pages = [search(corpus, "Förderung OR Netzwerk OR Region", limit=2, page=p) for p in (1, 2, 3, 4)]
    assert all(p.total == full.total for p in pages)
    seen = [hit.id for p in pages for hit in p.hits]
    assert seen == [hit.id for hit in full.hits]
    assert [hit.rank for p in pages for hit in p.hits] == list(range(1, full.total + 1))
    assert pages[0].pages == -(-full.total // 2)
    beyond = search(corpus, "Förderung", limit=10, page=99)
    assert beyond.hits == [] and beyond.total == search(corpus, "Förderung").total


def test_near_duplicates_are_collapsed_into_the_best_ranked(corpus: CorpusStore, ids: dict[str, str]) -> None:
    collapsed = search(corpus, "Clusterförderung")
    everything = search(corpus, "Clusterförderung", collapse=False)
    assert everything.total == collapsed.total + 1
    first = collapsed.hits[0]
    assert first.id == ids[VORLAGE] and first.duplicates == (ids[NEUFASSUNG],)
    assert all(hit.duplicates == () for hit in everything.hits)
    assert ids[NEUFASSUNG] in {hit.id for hit in everything.hits}
    assert ids[NEUFASSUNG] not in {hit.id for hit in collapsed.hits}


def test_collapsing_keeps_the_better_ranked_version(corpus: CorpusStore, ids: dict[str, str]) -> None:
    hit = search(corpus, "Neufassung OR Clusterförderung").hits[0]
    assert hit.id == ids[NEUFASSUNG] and hit.duplicates == (ids[VORLAGE],)
    newest = search(corpus, "Clusterförderung", sort="date").hits  # in date order the newest version stays
    assert ids[NEUFASSUNG] in {h.id for h in newest} and ids[VORLAGE] not in {h.id for h in newest}


# -- facets -----------------------------------------------------------------------------------------------------


def test_facets_count_the_whole_collapsed_result_set(corpus: CorpusStore) -> None:
    result = search(corpus, "Förderung OR Netzwerk OR Region", limit=1)
    facets = result.facets
    assert set(facets) == {"doctype", "year", "region", "cluster", "program"}
    assert sum(v["count"] for v in facets["doctype"]) == result.total > 1
    doctypes = {v["value"]: v["count"] for v in facets["doctype"]}
    assert doctypes["council_paper"] == 1  # two versions, collapsed into one hit
    regions = {v["label"]: v for v in facets["region"]}
    assert regions["Kreis Mettmann"]["value"] == "ks-05158"
    assert regions["Velbert"]["count"] == 2  # the Vorlage and the report name it directly
    assert "Nordrhein-Westfalen" not in regions  # ancestors are not counted
    assert {v["label"] for v in facets["program"]} == {"Europäischer Fonds für regionale Entwicklung"}
    counts = [v["count"] for v in facets["region"]]
    assert counts == sorted(counts, reverse=True)


def test_facet_value_of_an_entity_without_id_works_as_a_filter(corpus: CorpusStore, ids: dict[str, str]) -> None:
    facets = search(corpus, "Schließ*").facets
    value = next(v["value"] for v in facets["cluster"] if v["label"] == "Schließ- und Sicherungstechnik")
    assert value.startswith("~")
    hits = search(corpus, "", filters=SearchFilters(clusters=(value,))).hits
    assert [h.id for h in hits] == [ids[VORLAGE]]


# -- snippets, council fields, explanations -----------------------------------------------------------------------


def test_snippet_marks_inflected_forms_and_compounds(corpus: CorpusStore) -> None:
    vorlage = search(corpus, "Kreises").hits[0]
    assert "[[Kreises]]" in vorlage.snippet or "[[Kreis]]" in vorlage.snippet
    hits = search(corpus, "Förderung", limit=50).hits
    snippets = " ".join(h.snippet for h in hits)
    for marked in ("[[Clusterförderung]]", "[[Foerderung]]", "[[Förderung]]"):
        assert marked in snippets


def test_snippet_prefers_the_compound_itself_over_its_parts(corpus: CorpusStore, ids: dict[str, str]) -> None:
    hits = {h.id: h for h in search(corpus, "Clusterförderung").hits}
    assert "[[Clusterförderung]]" in hits[ids[VORLAGE]].snippet
    assert "[[Wirtschaftsförderung]]" not in hits[ids[VORLAGE]].snippet
    assert "[[Cluster-Förderung]]" in hits[ids[VELBERT]].snippet  # parts only: they are marked


def test_snippets_are_short_clean_passages(corpus: CorpusStore) -> None:
    for hit in search(corpus, "Förderung OR Netzwerk OR Logistik", limit=50).hits:
        assert 40 <= len(hit.snippet) <= 340, hit.snippet
        assert "\n" not in hit.snippet and "  " not in hit.snippet
        assert "[[" in hit.snippet
        assert hit.snippet.count("[[") == hit.snippet.count("]]")


def test_snippet_window_holds_the_most_query_terms(corpus: CorpusStore) -> None:
    hit = search(corpus, "Braunkohlerevier Flughafen").hits[0]
    assert "[[Braunkohlerevier]]" in hit.snippet and "[[Flughafen]]" in hit.snippet


def test_council_fields(corpus: CorpusStore) -> None:
    hit = search(corpus, "number:2013/0295").hits[0]
    assert hit.council is not None
    assert hit.council["number"] == "2013/0295"
    assert hit.council["paper_type"] == "Beschlussvorlage"
    assert hit.council["committee"] == "Kreistag"  # the deciding body
    assert hit.council["meeting_date"] == "2013-04-25"
    assert hit.council["first_committee"] == "Ausschuss für Wirtschaftsförderung"
    assert search(corpus, "Velbert NOT Kreistag").hits[0].council is None


def test_explanation_shows_terms_stems_parts_and_fields(corpus: CorpusStore, ids: dict[str, str]) -> None:
    result = search(corpus, "Clusterförderung Velbert", explain=True)
    hits = {h.id: h for h in result.hits}
    vorlage = hits[ids[VORLAGE]].explanation
    assert vorlage is not None
    first = vorlage["terms"][0]
    assert first["query"] == "Clusterförderung"
    assert first["stem"] == "clusterfoerderung"
    assert first["parts"] == ["Cluster", "Förderung"]
    assert any(line.startswith("clusterfoerderung in ") and "title" in line for line in first["matched"])
    assert set(vorlage["fields"]) >= {"title", "body", "resolution"}
    assert vorlage["score"] == pytest.approx(hits[ids[VORLAGE]].score, abs=1e-3)
    velbert = hits[ids[VELBERT]].explanation["terms"][0]  # type: ignore[index]
    assert any("(parts)" in line for line in velbert["matched"])
    assert {d["kind"] for d in velbert["details"]} == {"part"}
    assert search(corpus, "Velbert").hits[0].explanation is None


def test_result_is_json_ready(corpus: CorpusStore) -> None:
    data = json.loads(json.dumps(search(corpus, "Clusterförderung", explain=True).to_dict()))
    assert {"query", "total", "hits", "facets", "suggestion", "page", "limit", "pages"} <= set(data)
    assert {"id", "title", "snippet", "score", "rank", "council", "duplicates", "explanation"} <= set(data["hits"][0])


# -- suggestions and similar documents ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "fixed"),
    [
        ("Netzwerg", "Netzwerk"),
        ("Sicherungstechnick", "Sicherungstechnik"),
        ("mikrosystemtechnk", "mikrosystemtechnik"),
    ],
)
def test_did_you_mean_for_a_typo(corpus: CorpusStore, typo: str, fixed: str) -> None:
    result = search(corpus, typo, autocorrect=False)
    assert result.total == 0
    assert result.suggestion == fixed
    assert search(corpus, result.suggestion).total > 0
    corrected = search(corpus, typo)
    assert corrected.corrected_from == typo and corrected.query == fixed and corrected.total > 0


def test_suggestion_keeps_the_rest_of_the_query(corpus: CorpusStore) -> None:
    result = search(corpus, "Netzwerg type:council_paper", autocorrect=False)
    assert result.suggestion == "Netzwerk type:council_paper"


def test_no_suggestion_for_a_query_that_finds_enough(corpus: CorpusStore) -> None:
    assert search(corpus, "Förderung").suggestion is None
    assert search(corpus, "Quantencomputer").suggestion is None  # nothing close in the corpus


def test_suggestions_are_words_of_the_corpus(corpus: CorpusStore) -> None:
    texts = " ".join(corpus.get(row.id).text for row in corpus.list_rows()).lower()
    for typo in ("Netzwerg", "Hochschuhle", "Flughafn"):
        suggestion = search(corpus, typo, autocorrect=False).suggestion
        assert suggestion is not None and re.search(rf"\b{suggestion.lower()}\b", texts)


def test_similar_documents(corpus: CorpusStore, ids: dict[str, str]) -> None:
    result = similar(corpus, ids[VELBERT], limit=3)
    assert ids[VELBERT] not in {h.id for h in result.hits}
    assert result.hits[0].id == ids[VORLAGE]  # Velbert, Schließ-/Sicherungstechnik, Unternehmen, Netzwerk
    assert result.hits[0].duplicates == (ids[NEUFASSUNG],)
    assert len(result.hits) <= 3
    own = similar(corpus, ids[VORLAGE])
    assert not {ids[VORLAGE], ids[NEUFASSUNG]} & {h.id for h in own.hits}  # itself and its duplicate


def test_search_without_an_index_says_how_to_build_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from clustermine.corpus import open_store

    with open_store(tmp_path / "home") as store, pytest.raises(ClustermineError, match="no search index") as caught:
        search(store, "Cluster")
    assert "clustermine rebuild" in (caught.value.hint or "")
