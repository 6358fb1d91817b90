"""Council fields (number, type, subject, Beratungsfolge, outcome, status) and section splitting."""

from __future__ import annotations

from pathlib import Path

import pytest

from clustermine.model import Consultation
from clustermine.pipeline.council import (
    extract_council,
    find_body,
    find_consultations,
    find_outcome,
    find_public,
    split_sections,
)
from clustermine.pipeline.fields import find_fields
from clustermine.pipeline.sections import slug

SHARED = Path("/work/shared")
KARLSRUHE = SHARED / "karlsruhe" / "files"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vorlage Nr.: 336\n", "336"),
        ("Vorlagen-Nr. 80/017/2013\n", "80/017/2013"),
        ("Vorlagen Nr. 80/017/2013\n", "80/017/2013"),
        ("Drucksache Nr. 2019/0456\n", "2019/0456"),
        ("Drucksachen-Nr.: 12/345\n", "12/345"),
        ("DS 14/2234\n", "14/2234"),
        ("Vorl.Nr. 269\n", "269"),
        ("Vorlage Nr.:\nTOP:\n\n336\n5\n", "336"),  # cover sheet: labels first, values later
        ("Termin:\nVorlage Nr.\nTOP:\n\n22.03.2016\n2016/0042\n15\n", "2016/0042"),
        ("Vorlage Nr.: Nr. 2020/1392\n", "2020/1392"),
        ("FDP-Fraktion   Vorlage.: 2023/0005\n", "2023/0005"),
        ("Punkt 5 der Tagesordnung: Zielgrößen\nVorlage: 2022/0405\n", "2022/0405"),
        ("DOPPELHAUSHALT 2024/2025\nANTRAG DHH/2023/5013\n", "DHH/2023/5013"),
        ("Vorlage Nr. 80 / 017 / 2013\n", "80/017/2013"),
        ("Die Vorlage vom 10.04.2013 wird zurückgezogen.\n", None),
        ("Vorlage Nr.: 10.04.2013\n", None),
        ("Keine Nummer.\n", None),
    ],
)
def test_number(text: str, expected: str | None) -> None:
    assert extract_council(text).number == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BESCHLUSSVORLAGE\nSTADT KARLSRUHE\n", "Beschlussvorlage"),
        ("Stadt X\nDer Oberbürgermeister\nERGÄNZUNGSANTRAG\n", "Ergänzungsantrag"),
        ("Änderungsantrag der CDU-Fraktion\n", "Änderungsantrag"),
        ("Änderungs- und Ergänzungsantrag\n", "Änderungsantrag"),
        ("Antrag der Fraktion BÜNDNIS 90/DIE GRÜNEN\n", "Antrag"),
        ("ANTRAG\n\nStadträtin A (SPD)\n", "Antrag"),
        ("Antrag: Randsteine Herrenwegle\n", "Antrag"),
        ("Anfrage der SPD-Fraktion vom 12.02.2010\n", "Anfrage"),
        ("Kleine Anfrage\n", "Anfrage"),
        ("Informationsvorlage\n\nGedruckt auf Recyclingpapier\n", "Informationsvorlage"),
        ("Mitteilungsvorlage\n", "Mitteilungsvorlage"),
        ("STELLUNGNAHME zum Antrag\nSPD-Fraktion\n", "Stellungnahme"),
        ("Vorlagenart: Berichtsvorlage\n", "Berichtsvorlage"),
        (
            "Vorlage Nr.: 147\n\nBericht\n\nAntrag an den Ortschaftsrat:\nDer Ortschaftsrat nimmt Kenntnis.",
            "Beschlussvorlage",
        ),
        ("Vorlagen Nr. 1\n\nBeschlussvorschlag:\nDer Ausschuss beschließt ...", "Beschlussvorlage"),
        ("Der Antrag wird abgelehnt.\n", None),
    ],
)
def test_paper_type(text: str, expected: str | None) -> None:
    assert extract_council(text).paper_type == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("STADT KARLSRUHE\nDer Oberbürgermeister\n", "Stadt Karlsruhe"),
        ("Kreis Mettmann\nDer Landrat\n", "Kreis Mettmann"),
        ("Rhein-Kreis Neuss\nDer Landrat\n", "Rhein-Kreis Neuss"),
        ("Stadt Mülheim an der Ruhr\nDer Oberbürgermeister\n", "Stadt Mülheim an der Ruhr"),
        ("Bezirksamt Wandsbek\nDezernat Wirtschaft\n", "Bezirksamt Wandsbek"),
        ("Vorlage\n\nClusterförderung im Kreis Mettmann - Zukünftige Aktivitäten\n", "Kreis Mettmann"),
        ("Vorlage\n\nDas Bezirksamt Eigentümer informiert.\n", None),
        ("Vorlage\n\nBeteiligung der Stadt Karlsruhe an der Sportpark-Nordost GmbH\n", "Stadt Karlsruhe"),
    ],
)
def test_body(text: str, expected: str | None) -> None:
    assert find_body(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Fachbereich: Amt für Wirtschaftsförderung Bearbeiter/in: K. B.\tDatum: 10.04.2013\n",
            "Amt für Wirtschaftsförderung",
        ),
        ("Federführung: Umweltamt\nDezernat: III\n", "Umweltamt"),
        ("Vorlage Nr.: 2022/0405\nVerantwortlich: Dez. 4\nDienststelle:      Stk\n", "Stk"),
        ("Gremium:\nTermin:\nVerantwortlich:\n\nGemeinderat\n13.11.2007\nDez. 1\n", "Dez. 1"),
    ],
)
def test_department(text: str, expected: str) -> None:
    assert extract_council(text).department == expected


def test_consultations_tab_table_with_roles() -> None:
    text = (
        "Beratungsfolge\tTermine\tArt der Entscheidung\n"
        "Ausschuss für Wirtschaftsförderung und Tourismus\t13.05.2013\tBeschluss\n"
        "Kreisausschuss\t03.06.2013\tVorberatung\n\nClusterförderung\n"
    )
    assert find_consultations(text) == (
        Consultation("Ausschuss für Wirtschaftsförderung und Tourismus", "2013-05-13", "Beschluss"),
        Consultation("Kreisausschuss", "2013-06-03", "Vorberatung"),
    )


def test_consultations_with_results_and_responsibility() -> None:
    text = (
        "Beratungsfolge dieser Vorlage\nGremium Termin TOP ö nö Ergebnis\n"
        "Hauptausschuss 17.05.2022 5 x  vorberaten\nGemeinderat 21.06.2022 5  x\n\nBeschlussantrag\n"
    )
    assert find_consultations(text) == (
        Consultation("Hauptausschuss", "2022-05-17", None, "vorberaten"),
        Consultation("Gemeinderat", "2022-06-21"),
    )
    text = (
        "Gremien Termin TOP Ö / N Zuständigkeit\nHaupt- und Finanzausschuss 05.11.2024 21 N Vorberatung\n"
        "Gemeinderat 19.11.2024 19 Ö Entscheidung\nKurzfassung\n"
    )
    assert [(c.committee, c.date, c.role) for c in find_consultations(text)] == [
        ("Haupt- und Finanzausschuss", "2024-11-05", "Vorberatung"),
        ("Gemeinderat", "2024-11-19", "Entscheidung"),
    ]


def test_consultations_date_first_and_glued_columns() -> None:
    text = "Beratungsfolge:\n13.05.2013 Ausschuss für Umwelt Kenntnisnahme\n"
    assert find_consultations(text) == (Consultation("Ausschuss für Umwelt", "2013-05-13", "Kenntnisnahme"),)
    text = "GremiumTerminTOPönöErgebnis\nBauausschuss16.09.20161x\n"
    assert find_consultations(text) == (Consultation("Bauausschuss", "2016-09-16"),)


def test_no_table_no_consultations() -> None:
    assert find_consultations("Der Ausschuss für Umwelt tagt am 13.05.2013.\n") == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Abstimmungsergebnis:\neinstimmig\n", "einstimmig beschlossen"),
        ("Abstimmungsergebnis: Verwiesen zur erneuten Beratung in den Hauptausschuss\n", "verwiesen"),
        ("Beratungsergebnis -einstimmig- Rat der Stadt\n", "einstimmig beschlossen"),
        ("Der Antrag wurde mehrheitlich abgelehnt.\n", "abgelehnt"),
        ("Die Niederschriften wurden zur Kenntnis genommen.\n", "zur Kenntnis genommen"),
        ("Die Angelegenheit wurde vertagt.\n", "vertagt"),
        ("einstimmig beschlossen\n", "einstimmig beschlossen"),
        # proposals are not results
        ("Beschlussvorschlag:\nDer Ausschuss nimmt den Bericht zur Kenntnis.\n", None),
        ("Der Rat beschließt die Satzung.\n", None),
    ],
)
def test_outcome(text: str, expected: str | None) -> None:
    assert find_outcome(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vorlage Nr. 1\n\nöffentlich\n", True),
        ("Vorlage Nr. 1\nnichtöffentlich\n", False),
        ("Vorlage Nr. 1\nNICHT ÖFFENTLICH\n", False),
        ("Tagesordnungspunkt: 1 öffentliche Sitzung\n", True),
        ("Nicht öffentliche Sitzung des Rates\n", False),
        ("Die Veranstaltung ist öffentlich zugänglich und kostenlos.\n", None),
        ("Vorlage Nr. 1\n", None),
    ],
)
def test_public(text: str, expected: bool | None) -> None:
    assert find_public(text, find_fields(text)) is expected


def test_subject_from_betreff_and_from_a_cover() -> None:
    text = (
        "Vorlage Nr.: 1\nBetreff: Clusterförderung im Kreis\nMettmann - Zukünftige Aktivitäten\n\n"
        "Beschlussvorschlag:\n"
    )
    assert extract_council(text).subject == "Clusterförderung im Kreis Mettmann - Zukünftige Aktivitäten"
    cover = (
        "BESCHLUSSVORLAGE\nSTADT KARLSRUHE\nDer Oberbürgermeister\nGremium:\n46. Plenarsitzung des\n"
        "Gemeinderates\nTermin:\nVorlage Nr.:\nTOP:\n\nVerantwortlich:\n\n15.01.2008\n1229\n2\nöffentlich\n"
        'Dez. 5\n\n\nVorhabenbezogener Bebauungsplan "Tulla-Areal", Karlsruhe-Oststadt; Satzungs-\n'
        "beschluss\n\nBeratungsfolge Sitzung am TOP ö nö Ergebnis\nGemeinderat 15.01.2008 2\n"
    )
    paper = extract_council(cover)
    assert (
        paper.subject
        == 'Vorhabenbezogener Bebauungsplan "Tulla-Areal", Karlsruhe-Oststadt; Satzungsbeschluss'
    )
    assert (paper.number, paper.department, paper.public, paper.body) == (
        "1229",
        "Dez. 5",
        True,
        "Stadt Karlsruhe",
    )
    assert paper.consultations == (Consultation("Gemeinderat", "2008-01-15"),)


def test_subject_skips_letterheads_and_addresses() -> None:
    text = (
        "Fraktion X, Hauptstraße 1, 76133 Musterstadt\n\nHerrn Oberbürgermeister\nDr. Max Muster\n"
        "76124 Musterstadt\n\n27.01.2015\n\nAntrag zum Thema\n\nStreuobstwiesen erhalten und entwickeln\n"
    )
    assert extract_council(text).subject == "Streuobstwiesen erhalten und entwickeln"


def test_subject_of_a_minutes_item() -> None:
    text = (
        "Niederschrift 29. Sitzung Hauptausschuss\n17. Mai 2022\nöffentlich\n\n"
        "Punkt 5 der Tagesordnung: Festsetzung von Zielgrößen für die gleichbe-\nrechtigte Teilhabe\n"
        "Vorlage: 2022/0405\n\nBeschluss:\nDer Hauptausschuss ...\nAbstimmungsergebnis:\nVerwiesen\n"
    )
    paper = extract_council(text)
    assert paper.subject == "Festsetzung von Zielgrößen für die gleichberechtigte Teilhabe"
    assert (paper.number, paper.outcome, paper.public) == ("2022/0405", "verwiesen", True)


def test_empty_text_gives_an_empty_paper() -> None:
    paper = extract_council("")
    assert paper.number is paper.subject is paper.paper_type is paper.outcome is paper.public is None
    assert paper.consultations == ()


# ----------------------------------------------------------------------------------------------- sections


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        ("Betreff:", "betreff"),
        ("Beschlussvorschlag:", "beschlussvorschlag"),
        ("Beschlussentwurf", "beschlussvorschlag"),
        ("Beschlussantrag (Kurzfassung)", "beschlussvorschlag"),
        ("Antrag:", "beschlussvorschlag"),
        ("Antrag an den Gemeinderat / Ausschuss", "beschlussvorschlag"),
        ("Vorschlag der Verwaltung:", "beschlussvorschlag"),
        ("Sachverhalt:", "sachverhalt"),
        ("Sachverhalt/Begründung:", "sachverhalt"),
        ("Sachverhalt / Begründung:", "sachverhalt"),
        ("Begründung:", "sachverhalt"),
        ("Sachdarstellung", "sachverhalt"),
        ("Erläuterungen:", "sachverhalt"),
        ("Finanzielle Auswirkungen:", "finanzielle_auswirkungen"),
        ("Kosten:", "finanzielle_auswirkungen"),
        ("Finanzierung:", "finanzielle_auswirkungen"),
        ("Haushaltsmäßige Auswirkungen", "finanzielle_auswirkungen"),
        ("Anlagen:", "anlagen"),
        ("2. Sachverhalt", "sachverhalt"),
    ],
)
def test_council_headings_get_canonical_names(heading: str, name: str) -> None:
    text = f"Vorlage\n\n{heading}\nDer Text des Abschnitts.\n\nAnlage\n"
    sections = split_sections(text, council=True)
    assert sections[0].name == name
    assert sections[0].heading == heading.rstrip(":").lstrip("2. ").strip()
    assert sections[0].text.startswith("Der Text des Abschnitts.")


def test_section_bodies_and_offsets() -> None:
    text = (
        "Beschlussvorschlag: Der Rat beschließt.\nSachverhalt/Begründung:\nWeil es nötig ist.\n"
        "Finanzielle Auswirkungen:\nKeine.\n"
    )
    sections = split_sections(text, council=True)
    assert [(s.name, s.text) for s in sections] == [
        ("beschlussvorschlag", "Der Rat beschließt."),
        ("sachverhalt", "Weil es nötig ist."),
        ("finanzielle_auswirkungen", "Keine."),
    ]
    for section in sections:
        assert text[section.start : section.start + len(section.text)] == section.text


def test_antrag_in_prose_is_no_heading() -> None:
    text = "Sachverhalt:\nDer Antrag der Fraktion wurde gestellt.\nAntrag\nsteht hier ohne Doppelpunkt.\n"
    assert [s.name for s in split_sections(text, council=True)] == ["sachverhalt"]


def test_generic_sections_for_other_documents() -> None:
    text = (
        "Projekt Hamm\n\nZiel und Aufgabenstellung\n\nDas Ziel ist ...\n\n"
        "Ausgangssituation & Forschungsfragen\n\n"
        "Die Stadt ...\n\nÜberblick\n\nKurz gesagt.\n"
    )
    sections = split_sections(text)
    assert [s.name for s in sections] == [
        "ziel_und_aufgabenstellung",
        "ausgangssituation_forschungsfragen",
        "ueberblick",
    ]
    assert sections[0].text == "Das Ziel ist ..."


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Ziel und Aufgabenstellung", "ziel_und_aufgabenstellung"),
        ("3.2 Maßnahmen", "massnahmen"),
        ("Über uns", "ueber_uns"),
        ("STRASSE", "strasse"),
        ("!!!", "section"),
    ],
)
def test_slug(heading: str, expected: str) -> None:
    assert slug(heading) == expected


# ------------------------------------------------------------------------------------------- real papers


def _seed(prefix: str) -> str:
    paths = sorted((SHARED / "seeds").glob(f"{prefix}*.txt")) if (SHARED / "seeds").is_dir() else []
    if not paths:
        pytest.skip("shared seeds not available")
    return paths[0].read_text(encoding="utf-8")


def test_kreis_mettmann_seed() -> None:
    paper = extract_council(_seed("001_"))
    assert paper.number == "80/017/2013"
    assert paper.paper_type == "Beschlussvorlage"
    assert paper.subject == "Clusterförderung im Kreis Mettmann - Zukünftige Aktivitäten"
    assert paper.department == "Amt für Wirtschaftsförderung und Planung"
    assert paper.body == "Kreis Mettmann"
    assert paper.public is True
    assert paper.consultations == (
        Consultation("Ausschuss für Wirtschaftsförderung und Tourismus", "2013-05-13", "Beschluss"),
    )
    names = [s.name for s in split_sections(_seed("001_"), council=True)]
    assert "beschlussvorschlag" in names and "sachverhalt" in names


@pytest.mark.parametrize(
    ("file_id", "number", "paper_type", "first_consultation"),
    [
        ("145487", "2014/0347", "Ergänzungsantrag", None),
        ("637533", "2022/0405", "Beschlussvorlage", ("Hauptausschuss", "2022-05-17")),
        ("661442", "2024/1120", "Beschlussvorlage", ("Haupt- und Finanzausschuss", "2024-11-05")),
        ("11165", "1166", "Beschlussvorlage", ("Gemeinderat", "2007-11-13")),
        ("1337", "1289", "Anfrage", None),
    ],
)
def test_karlsruhe_papers(
    file_id: str, number: str, paper_type: str, first_consultation: tuple | None
) -> None:
    path = KARLSRUHE / f"{file_id}.txt"
    if not path.exists():
        pytest.skip("Karlsruhe development data not available")
    paper = extract_council(path.read_text(encoding="utf-8"))
    assert (paper.number, paper.paper_type) == (number, paper_type)
    if first_consultation:
        assert (paper.consultations[0].committee, paper.consultations[0].date) == first_consultation


def test_beratungsfolge_rows_with_dash_separators() -> None:
    from clustermine.pipeline.council import find_consultations

    text = (
        "Beratungsfolge:\n"
        "Ausschuss für Wirtschafts- und Beschäftigungsförderung – 28.03.1995 – Vorberatung\n"
        "Haupt- und Finanzausschuss | 06.04.1995 | Empfehlung\n"
        "Rat der Stadt – 27.04.1995 – Beschluss\n\nBetreff: Technologiezentrum\n"
    )
    rows = find_consultations(text)
    assert [(r.committee, r.date, r.role) for r in rows] == [
        ("Ausschuss für Wirtschafts- und Beschäftigungsförderung", "1995-03-28", "Vorberatung"),
        ("Haupt- und Finanzausschuss", "1995-04-06", "Empfehlung"),
        ("Rat der Stadt", "1995-04-27", "Beschluss"),
    ]


def test_a_parliamentary_question_is_titled_by_its_topic_not_by_who_asks() -> None:
    cover = (
        "SCHLESWIG-HOLSTEINISCHER LANDTAG\n20. Wahlperiode\n\nDrucksache 20/3042\n11.03.2025\n\n"
        "Kleine Anfrage\ndes Abgeordneten Jan-Hendrik Mehrens (SPD)\n\nund\n\nAntwort\n"
        "der Landesregierung – Ministerium für Wirtschaft, Verkehr, Arbeit, Technologie und Tourismus\n\n"
        "Zukunft der Landesclusterpolitik in Schleswig-Holstein\n\nVorbemerkung des Fragestellers:\n"
    )
    assert extract_council(cover).subject == "Zukunft der Landesclusterpolitik in Schleswig-Holstein"
