"""Entity extraction on German edge cases: inflection, hyphen compounds, ambiguity, periods, patterns."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clustermine.model import ENTITY_KINDS, Entity
from clustermine.pipeline import entities as entities_module
from clustermine.pipeline.entities import (
    EntityExtractor,
    extract_entities,
    extract_entities_many,
    token_key,
    tokenize,
)
from clustermine.pipeline.entity import compound_heads
from clustermine.pipeline.nlp import german_pipeline


def found(text: str, kind: str | None = None, **kw: object) -> list[tuple[str, str, str]]:
    """(kind, canonical, surface) of each entity, checked for consistent offsets on the way."""
    out = []
    for e in extract_entities(text, **kw):  # type: ignore[arg-type]
        assert text[e.start : e.end] == e.text
        assert e.sentence_start <= e.start < e.end <= e.sentence_end
        if kind is None or e.kind == kind:
            out.append((e.kind, e.canonical, e.text))
    return out


def canonicals(text: str, kind: str, **kw: object) -> list[str]:
    return [c for _, c, _ in found(text, kind, **kw)]


# ---------------------------------------------------------------------------------------------- keys


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kreises", "Kreis"),
        ("Kreise", "Kreis"),
        ("Ruhrgebiets", "Ruhrgebiet"),
        ("Bergischen", "Bergisches"),
        ("Landes", "Land"),
        ("neuen", "neue"),
        ("Werkstoffen", "Werkstoffe"),
        ("erneuerbarer", "erneuerbare"),
        ("Foerderung", "Förderung"),
        ("STRASSE", "Straße"),
        ("Programmen", "Programm"),
    ],
)
def test_inflected_forms_share_a_key(a: str, b: str) -> None:
    assert token_key(a) == token_key(b)


@pytest.mark.parametrize(("a", "b"), [("Dortmunder", "Dortmund"), ("Kölner", "Köln"), ("Stadt", "Städte")])
def test_different_words_keep_different_keys(a: str, b: str) -> None:
    assert token_key(a) != token_key(b)


def test_sub_tokens_split_at_hyphens_slashes_and_inner_dots() -> None:
    text = "Ziel-2-Programm, EFRE.NRW und Köln/Bonn (e. V.) Bruch-\nsal"
    toks = tokenize(text)
    assert [t.text for t in toks if t.word] == [
        "Ziel", "2", "Programm", "EFRE", "NRW", "und", "Köln", "Bonn", "e.V.", "Bruch-\nsal"
    ]
    for t in toks:
        if t.word and t.text != "e.V.":
            assert text[t.start : t.end] == t.text
    bruchsal = toks[-1]
    assert bruchsal.form == "Bruchsal" and token_key("Bruchsal") == bruchsal.key


# ---------------------------------------------------------------------------------------------- regions


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Die Verwaltung des Kreises Mettmann beantragt Mittel.", "Kreises Mettmann"),
        ("Der Kreis Mettmann beantragt Mittel.", "Kreis Mettmann"),
        ("Im Kreis Mettmann gibt es 160 Betriebe.", "Kreis Mettmann"),
        ("Das Gutachten für den Landkreis Mettmann liegt vor.", "Landkreis Mettmann"),
    ],
)
def test_one_region_however_inflected(text: str, surface: str) -> None:
    assert found(text, "REGION") == [("REGION", "Kreis Mettmann", surface)]


@pytest.mark.parametrize(
    ("text", "canonical", "surface"),
    [
        ("Die Städte des Ruhrgebiets arbeiten zusammen.", "Ruhrgebiet", "Ruhrgebiets"),
        ("Betriebe im Bergischen Land", "Bergisches Land", "Bergischen Land"),
        ("Kooperation im Bergischen Städtedreieck", "Bergisches Städtedreieck", "Bergischen Städtedreieck"),
        ("Projekte in Nordrhein-Westfalen", "Nordrhein-Westfalen", "Nordrhein-Westfalen"),
        ("Projekte in NRW", "Nordrhein-Westfalen", "NRW"),
        ("in den neuen Ländern", "Ostdeutschland", "neuen Ländern"),
        ("die Städte Bruchsal und Bretten", "Bruchsal", "Bruchsal"),
        ("das Zentrum in Bruch-\nsal", "Bruchsal", "Bruch-\nsal"),
        ("im Rheinischen Revier", "Rheinisches Revier", "Rheinischen Revier"),
    ],
)
def test_region_forms(text: str, canonical: str, surface: str) -> None:
    assert ("REGION", canonical, surface) in found(text, "REGION")


def test_acronyms_must_be_capitals() -> None:
    assert canonicals("Die Förderung in NRW läuft.", "REGION") == ["Nordrhein-Westfalen"]
    assert canonicals("www.zukunft.nrw zeigt die Projekte, nrw ist klein geschrieben.", "REGION") == []


def test_first_part_of_a_hyphen_compound_is_no_region() -> None:
    assert canonicals("Die NRW-Innovationsstrategie und die EU-Förderperiode.", "REGION") == []
    assert canonicals("Die Universität Duisburg-Essen forscht.", "ORG") == ["Universität Duisburg-Essen"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wir essen heute gemeinsam.", []),
        ("Das Essen war gut.", []),
        ("Nach dem Essen fahren wir in die Stadt.", []),
        ("Die Messe findet in Essen statt.", ["Essen"]),
        ("Zentren in Dortmund, Essen und Bochum.", ["Dortmund", "Essen", "Bochum"]),
        ("Die Stadt Essen wächst.", ["Essen"]),
        ("In Essen wird gebaut. Später hat Essen ein neues Rathaus.", ["Essen", "Essen"]),
        ("Die Lage im Norden ist gut, leer stehende Hallen gibt es.", []),
        ("Die Herstellung von Waren aus fairem Handel.", []),
        ("Betriebe in Hamm und im Umland; wo Hamm stark ist", ["Hamm", "Hamm"]),
        ("Mit der Stilllegung der Zeche Sachsen begann der Wandel.", []),
    ],
)
def test_ambiguous_names_need_place_context(text: str, expected: list[str]) -> None:
    assert canonicals(text, "REGION") == expected


@pytest.mark.parametrize(
    ("text", "region_id"),
    [
        ("Der Landkreis Karlsruhe beschließt.", "ks-08215"),
        ("Die Stadt Karlsruhe beschließt.", "ks-08212"),
        ("In Karlsruhe wird gebaut.", "ks-08212"),
        ("die Landkreise Germersheim, Karlsruhe und Rastatt", "ks-08215"),
    ],
)
def test_designator_decides_between_city_and_landkreis(text: str, region_id: str) -> None:
    ids = [e.id for e in extract_entities(text) if "Karlsruhe" in e.text]
    assert ids == [region_id]


def test_plural_designator_governs_the_list() -> None:
    text = "Beteiligt sind die Kreise Wesel und Kleve sowie die Landkreise Meißen, Bautzen und Görlitz."
    assert canonicals(text, "REGION") == [
        "Kreis Wesel", "Kreis Kleve", "Landkreis Meißen", "Landkreis Bautzen", "Landkreis Görlitz"
    ]


def test_shared_name_resolved_by_other_regions_in_the_text() -> None:
    text = "Im Saarland gibt es Zentren in Saarbrücken und Neunkirchen."
    assert canonicals(text, "REGION")[-1] == "Neunkirchen (Saar)"


# ---------------------------------------------------------------------------------------------- programmes


@pytest.mark.parametrize(
    ("text", "canonical", "surface"),
    [
        ("Mittel aus dem Ziel-2-Programm des Landes", "Ziel 2", "Ziel-2-Programm"),
        ("Die Ziel-2-Förderung endet.", "Ziel 2", "Ziel-2-Förderung"),
        ("Regionen im Ziel 2 der EU", "Ziel 2", "Ziel 2"),
        ("die Clusterpolitik in den Ziel 2 Regionen", "Ziel 2", "Ziel 2"),
        ("im Hinblick auf die Kulturhauptstadt 2010", "RUHR.2010 – Kulturhauptstadt Europas", "Kulturhauptstadt 2010"),
        ("die Ziel-2-Programmen der Länder", "Ziel 2", "Ziel-2-Programmen"),
        ("Beantragt werden EFRE-Mittel.", "Europäischer Fonds für regionale Entwicklung", "EFRE"),
        ("In der EFRE-Förderperiode 2014–2020 gilt", "EFRE 2014–2020", "EFRE-Förderperiode 2014–2020"),
        ("unter Einsatz von EFRE-Mitteln der Förderperiode 2021–2027", "EFRE 2021–2027", "EFRE"),
        ("das EFRE-Programm 2021–2027 des Landes", "EFRE 2021–2027", "EFRE-Programm 2021–2027"),
        ("mit dem Ziel-2-Programm NRW 2007–2013 hat", "Ziel2.NRW", "Ziel-2-Programm NRW 2007–2013"),
        ("Gefördert aus dem EU-Strukturfonds.", "EU-Strukturfonds", "EU-Strukturfonds"),
        ("im Rahmen des Wachstums- und Beschäftigungspakts Ruhr", "Wachstums- und Beschäftigungspakt Ruhr",
         "Wachstums- und Beschäftigungspakts Ruhr"),
        ("Die Ziel2.NRW-Wettbewerbe laufen.", "Ziel2.NRW", "Ziel2.NRW"),
    ],
)
def test_programme_forms_and_periods(text: str, canonical: str, surface: str) -> None:
    assert ("PROGRAM", canonical, surface) in found(text, "PROGRAM")


def test_renamed_objective_by_period() -> None:
    text = "Das Gebiet war in der Förderperiode 2007–2013 im Ziel 2 2007–2013 gefördert."
    assert [e.id for e in extract_entities(text) if e.kind == "PROGRAM"] == ["pg-ziel-rwb"]


def test_period_only_when_named() -> None:
    text = "Für die EU-Förderperiode 2014–2020 hat das Land eine Strategie. Die EFRE-Mittel werden vergeben."
    assert canonicals(text, "PROGRAM") == ["Europäischer Fonds für regionale Entwicklung"]


def test_shared_alias_by_level_and_date() -> None:
    assert [e.id for e in extract_entities("Förderung aus dem ZIM.")] == ["pg-zim"]
    assert [e.id for e in extract_entities("Förderung aus dem ZIM.", date="1990-05")] == ["pg-zim-montan"]


@pytest.mark.parametrize(
    "text",
    ["## 4 Regionale Einbindung", "Ziel 2: Karlsruhe steht für internationale Zusammenarbeit.",
     "grenzüberschreitende Zusammenarbeit am Oberrhein", "Die Verwaltung verweist auf die Maßnahmen unter Ziel 3.",
     "Die Öffnung der Regionalen\nGrünzüge wird geprüft."],
)
def test_words_that_only_look_like_programmes(text: str) -> None:
    assert canonicals(text, "PROGRAM") == []


# ---------------------------------------------------------------------------------------------- clusters


@pytest.mark.parametrize(
    ("text", "canonical", "surface", "rule"),
    [
        ("Unternehmen der Logistikbranche", "Logistik", "Logistikbranche", "gazetteer"),
        ("Die Chemieindustrie investiert.", "Chemische Industrie", "Chemieindustrie", "gazetteer"),
        ("Das Gesundheitscluster wächst.", "Gesundheitswirtschaft", "Gesundheitscluster", "compound"),
        ("im Spezialmaschinenbau", "Maschinenbau", "Spezialmaschinenbau", "compound"),
        ("Kompetenzfelder sind neue Werkstoffe und Chemie.", "Neue Werkstoffe", "neue Werkstoffe", "gazetteer"),
        ("die Bedeutung neuen Werkstoffen gegenüber", "Neue Werkstoffe", "neuen Werkstoffen", "gazetteer"),
        ("der Ausbau erneuerbarer Energien", "Erneuerbare Energien", "erneuerbarer Energien", "gazetteer"),
        ("Projekte der Kreativ- und Medienwirtschaft", "Kultur- und Kreativwirtschaft", "Kreativ-", "compound"),
        ("Projekte der Kreativ- und Medienwirtschaft", "Medienwirtschaft", "Medienwirtschaft", "gazetteer"),
        ("Mitglied bei BioRiver", "BioRiver – Life Science im Rheinland", "BioRiver", "gazetteer"),
        ("das Netzwerk surface.net", "surface.net", "surface.net", "gazetteer"),
        ("der MedEcon Ruhr e. V. lädt ein", "MedEcon Ruhr", "MedEcon Ruhr e. V.", "gazetteer"),
    ],
)
def test_cluster_forms(text: str, canonical: str, surface: str, rule: str) -> None:
    hits = [(e.canonical, e.text, e.rule) for e in extract_entities(text) if e.kind == "CLUSTER"]
    assert (canonical, surface, rule) in hits


def test_generic_field_words_need_a_field_context() -> None:
    assert canonicals("Wir sparen Energie und Wasser.", "CLUSTER") == []
    assert canonicals("Die Kompetenzfelder Energie, Chemie und Logistik.", "CLUSTER") == [
        "Energiewirtschaft", "Chemische Industrie", "Logistik"
    ]
    assert canonicals("Unternehmen aus Maschinenbau, Chemie und Möbelindustrie.", "CLUSTER") == [
        "Maschinenbau", "Chemische Industrie", "Möbelindustrie"
    ]


def test_compounds_without_the_splitter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compound_heads, "_split_compound", None)
    assert canonicals("Das Gesundheitscluster und die Logistikbranchen wachsen.", "CLUSTER") == [
        "Gesundheitswirtschaft", "Logistik"
    ]
    assert canonicals("Die Papier-, Glas- und Chemieindustrie.", "CLUSTER") == [
        "Papierindustrie", "Glasindustrie", "Chemische Industrie"
    ]


def test_first_part_of_a_hyphen_compound_is_no_field() -> None:
    assert canonicals("Ein Logistik-Kompetenzzentrum entsteht.", "CLUSTER") == []


def test_leitmarkt_list() -> None:
    text = "in den Leitmärkten Energie- und Umweltwirtschaft, Gesundheit sowie Neue Werkstoffe"
    assert canonicals(text, "CLUSTER") == [
        "Leitmarkt Energie- und Umweltwirtschaft", "Leitmarkt Gesundheit (NRW)", "Leitmarkt Neue Werkstoffe"
    ]


@pytest.mark.parametrize(
    ("text", "canonical", "surface"),
    [
        ("Partner ist das Netzwerk SmartHealth.Ruhr in Bochum.", "SmartHealth.Ruhr", "SmartHealth.Ruhr"),
        ("Das Netzwerk „Leistungselektronik“ tagt.", "Netzwerk Leistungselektronik", "Netzwerk „Leistungselektronik"),
        ("Gegründet wurde das Cluster Wasserstoff Lausitz.", "Cluster Wasserstoff Lausitz",
         "Cluster Wasserstoff Lausitz"),
        ("ein Kompetenzzentrum Mechatronik im Landkreis Göppingen", "Mechatronik", "Mechatronik"),
        ("das Kunststoff-Netzwerk Franken und andere", "Kunststoff-Netzwerk Franken", "Kunststoff-Netzwerk Franken"),
    ],
)
def test_unseen_cluster_names(text: str, canonical: str, surface: str) -> None:
    hits = [(e.canonical, e.text, e.id) for e in extract_entities(text) if e.kind == "CLUSTER"]
    assert (canonical, surface, None) in hits


def test_cluster_with_known_field_is_the_field() -> None:
    assert canonicals("Das Cluster Medizintechnik wächst.", "CLUSTER") == ["Medizintechnik"]


# ---------------------------------------------------------------------------------------------- organisations


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Gesellschafter ist die Muster Technologie GmbH aus Köln.", "Muster Technologie GmbH"),
        ("Die Duisburger Hafen AG investiert.", "Duisburger Hafen AG"),
        ("im Umfeld des Instituts für Neue Materialien", "Institut für Neue Materialien"),
        ("aus dem Bayerischen Staatsministerium für Wirtschaft, Infrastruktur, Verkehr und Technologie",
         "Bayerisches Staatsministerium für Wirtschaft, Infrastruktur, Verkehr und Technologie"),
        ("die Agentur für Arbeit, Hochschulen sowie Kammern", "Agentur für Arbeit"),
        ("mit der Hochschule Karlsruhe", "Hochschule Karlsruhe"),
        ("die Handwerkskammer Cottbus", "Handwerkskammer Cottbus"),
        ("des TechnologieZentrums Dortmund", "TechnologieZentrum Dortmund"),
        ("Beteiligt: IHK zu Dortmund und BMBF", "IHK zu Dortmund"),
        ("Beteiligt: IHK zu Dortmund und BMBF", "Bundesministerium für Bildung und Forschung"),
    ],
)
def test_organisations(text: str, canonical: str) -> None:
    assert canonical in canonicals(text, "ORG")


def test_known_short_name_with_legal_form() -> None:
    assert canonicals("Die TRK GmbH wirbt.", "ORG") == ["TechnologieRegion Karlsruhe GmbH"]


def test_prognose_is_not_prognos() -> None:
    assert canonicals("Die Prognose für 2030 und die Prognos AG.", "ORG") == ["Prognos AG"]


# ---------------------------------------------------------------------------------------------- persons


def test_persons_only_when_asked() -> None:
    text = "Herr Dr. Hüsing (Dezernat 34) und Ratsfrau Demir (SPD) berichten."
    assert canonicals(text, "PERSON") == []
    assert canonicals(text, "PERSON", persons=True) == ["Hüsing", "Demir"]


# ---------------------------------------------------------------------------------------------- facade and spaCy


def test_user_gazetteer_file_is_used(tmp_path: Path) -> None:
    path = tmp_path / "mine.tsv"
    path.write_text("kind\tcanonical\taliases\nCLUSTER\tNetzwerk Testfeld Nord\tTestfeld Nord\n", encoding="utf-8")
    text = "Die Mitglieder des Testfeld Nord treffen sich."
    assert canonicals(text, "CLUSTER") == []
    assert canonicals(text, "CLUSTER", gazetteer_files=[path]) == ["Netzwerk Testfeld Nord"]


def test_sentence_offsets_come_from_spacy() -> None:
    text = "Im Kreis Mettmann z. B. wird gebaut. Auch in Bochum."
    first, second = extract_entities(text)
    assert (first.sentence_start, first.sentence_end) == (0, 36)
    assert text[second.sentence_start : second.sentence_end] == "Auch in Bochum."


def test_many_texts_stream_in_order() -> None:
    texts = ["Im Ruhrgebiet.", "", "Die EFRE-Mittel.", "Kreis Mettmann und Bochum."]
    many = list(extract_entities_many(texts, batch_size=2))
    assert many == [extract_entities(t) for t in texts]
    assert [len(x) for x in many] == [1, 0, 1, 2]


@pytest.mark.slow
def test_many_texts_in_processes() -> None:
    texts = ["Im Ruhrgebiet.", "Die EFRE-Mittel.", "Kreis Mettmann und Bochum."] * 4
    assert list(extract_entities_many(texts, batch_size=2, n_process=2)) == [extract_entities(t) for t in texts]


def test_long_texts_are_cut_at_paragraphs(monkeypatch: pytest.MonkeyPatch) -> None:
    paragraph = "Die Stadt Bochum liegt im Ruhrgebiet. Der Kreis Mettmann nicht.\n\n"
    text = paragraph * 40
    whole = extract_entities(text)
    monkeypatch.setattr(entities_module, "CHUNK_CHARS", 500)
    pieces = extract_entities(text)
    assert len(pieces) == len(whole) == 120
    assert all(text[e.start : e.end] == e.text for e in pieces)
    assert [(e.start, e.canonical) for e in pieces] == [(e.start, e.canonical) for e in whole]


def test_component_stores_entities_on_the_doc() -> None:
    nlp = german_pipeline()
    text = "Der Kreis Mettmann liegt nicht im Ruhrgebiet."
    doc = nlp(text)
    assert doc._.cm_entities == extract_entities(text)
    assert all(isinstance(e, Entity) for e in doc._.cm_entities)
    docs = list(nlp.pipe([text, "Nichts hier."], batch_size=8))
    assert [len(d._.cm_entities) for d in docs] == [2, 0]


def test_extractor_without_spacy() -> None:
    extractor = EntityExtractor(persons=False)
    assert [e.canonical for e in extractor("Projekte im Ruhrgebiet")] == ["Ruhrgebiet"]
    assert extractor("   ") == ()


# ---------------------------------------------------------------------------------------------- any text

_WORDS = st.sampled_from([
    "Kreis", "Kreises", "Mettmann", "Essen", "essen", "in", "im", "Ziel-2-Programm", "EFRE-Mittel", "NRW", "nrw",
    "Ruhrgebiets", "Landkreise", "Karlsruhe", ",", "und", "sowie", ".", "z. B.", "e. V.", "GmbH", "Cluster",
    "Netzwerk", "„", "“", "(", ")", "-", "–", "Kreativ-", "Medienwirtschaft", "2014–2020", "Förderperiode",
    "Bruch-\nsal", "\n\n", "Institut", "für", "Leitmärkten", "Gesundheit", ":", "1.", "Herr", "Dr.", "surface.net",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), st.lists(_WORDS, max_size=40).map(" ".join)))
def test_any_text_gives_consistent_entities(text: str) -> None:
    ents = extract_entities(text, persons=True)
    last_end = -1
    for e in ents:
        assert e.kind in ENTITY_KINDS
        assert text[e.start : e.end] == e.text and e.text
        assert e.start >= last_end  # sorted and not overlapping
        assert 0 <= e.sentence_start <= e.start < e.end <= e.sentence_end <= len(text)
        assert e.canonical.strip()
        last_end = e.end


def test_closed_compounds_use_the_shared_splitter() -> None:
    """Guards against the splitter silently going missing: the fallback rule cannot split these."""
    from clustermine.pipeline.entities import extract_entities
    from clustermine.pipeline.entity import compound_heads

    assert compound_heads._split_compound is not None
    text = "Die Stadt plant neue Forschungs-, Produktions- und Logistikstandorte sowie ein Chemiecluster."
    fields = {e.canonical for e in extract_entities(text) if e.kind == "CLUSTER"}
    assert "Logistik" in fields
