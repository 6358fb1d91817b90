"""Doctype classification from layout cues, including the genres that quote each other."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from clustermine.model import DOCTYPES
from clustermine.pipeline.doctype import CUES, classify

SHARED = Path("/work/shared")

CASES = {
    "council_paper": """BESCHLUSSVORLAGE
STADT MUSTERSTADT
Vorlagen-Nr. 80/017/2013
Beratungsfolge\tTermine\tArt der Entscheidung
Ausschuss für Wirtschaft\t13.05.2013\tBeschluss
Betreff: Clusterförderung
Beschlussvorschlag:
Der Ausschuss beschließt die Fortsetzung der Clusterförderung.
Sachverhalt:
Der Ausschuss hat in seiner Sitzung vom 21.02.2013 den Bericht zur Kenntnis genommen.""",
    "minutes": """Niederschrift
über die 12. Sitzung des Ausschusses für Wirtschaft am 13.05.2013
Anwesend: Herr A, Frau B
Vorsitz: Herr C
TOP 1 Clusterförderung (Vorlage Nr. 80/017/2013)
Die Vorlage wird erläutert. Zur Vorlage gibt es keine Fragen.
Beschluss: Der Ausschuss stimmt der Vorlage zu.
Abstimmungsergebnis: einstimmig beschlossen
TOP 2 Verschiedenes (Vorlage Nr. 80/018/2013, Beschlussvorlage)""",
    "project_description": """Bottrop2018plus
Projektname: Bottrop 2018plus
Laufzeit: 10/2016 – 09/2019
Projektpartner: Stadt Bottrop, Institut X
Projektleitung: Frau Y
Ziel des Projektes ist es, neue Formen der Wirtschaftsförderung zu erproben.
Die Ergebnisse werden auf einer Tagung im Herbst vorgestellt.""",
    "conference_report": """Clustermanagement in der Strukturpolitik / Clustertagung
Veranstaltung: Clustermanagement in NRW
Ziel der Veranstaltung
Die Tagung am 5. Dezember 2003 in Duisburg brachte Referenten aus Wissenschaft und Praxis zusammen.
Vorträge und eine Podiumsdiskussion zeigten das Interesse der Teilnehmer.""",
    "report": """Abschlussbericht Clusterpolitik
Inhaltsverzeichnis
1 Einleitung
2.1 Methodik
Zusammenfassung
Die Studie untersucht ... (Abbildung 1, Tabelle 2)
Literaturverzeichnis""",
    "web_page": """Willkommen auf der Website "Strategische Partnerschaften"!
Home
Kontakt
Impressum
Datenschutz
NEWS
24.04.07 Wirtschaftsförderer diskutieren ... weiterlesen""",
    "other": "Liebe Leserinnen und Leser, wir wünschen Ihnen schöne Feiertage und ein gutes neues Jahr.",
}


@pytest.mark.parametrize("doctype", list(CASES))
def test_each_doctype_from_its_cues(doctype: str) -> None:
    found, rule = classify(CASES[doctype], None, "text", {})
    assert found == doctype, rule
    assert rule == "fallback" if doctype == "other" else re.fullmatch(rf"cues:{doctype}\([^()]+\)", rule)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # minutes quote Vorlagen and Drucksachen all the time
        (
            "NIEDERSCHRIFT\nGremium: 57. Plenarsitzung Gemeinderat\n"
            "Punkt 5 der Tagesordnung: Wohnraumförderung\n"
            "Vorlage: 2013/0228\nErgänzungsantrag der Fraktion X vom 17. Januar 2014\nVorlage: 2014/0348\n"
            "Änderungsantrag der Fraktion Y\nVorlage: 2014/0357\nBeschluss:\nDer Gemeinderat beschließt ...\n"
            "Abstimmungsergebnis: einstimmig zugestimmt",
            "minutes",
        ),
        # council papers name the Sitzung that will decide them
        (
            "ANTRAG\nStadträtin A (SPD)\nvom 17. Oktober 2007\nGremium:\nTermin:\nVorlage Nr.:\n"
            "45. Plenarsitzung des Gemeinderates\n11.12.2007\n1206\nKindertageseinrichtungen\n"
            "1. Die Verwaltung untersucht ... in der Sitzung vom 15.08.2006.\nSachverhalt/Begründung:\n...",
            "council_paper",
        ),
        (
            "Druckvorlage zur öffentlichen Sitzung des Ortschaftsrates am 01.04.2008\n"
            "Zu Punkt 1 der T.O.: Kreisverkehr\nFrau S wird zur Sitzung anwesend sein.",
            "council_paper",
        ),
        (
            "Auszug Protokoll Haushaltsberatungen 15./16.12.2020\nTeilhaushalt 1700\n"
            "Antrag 7 (Seite 100): Digitalisierung (SPD)\n"
            "Stadtrat Marvi (SPD): Ich kann mich der Stellungnahme "
            "anschließen.\nBürgermeisterin Luczak-Schwarz: Danke.",
            "minutes",
        ),
        (
            "Antrag: Randsteine Herrenwegle\nFDP-Ortschaftsratsfraktion\nGremium Termin TOP ö nö\n"
            "Ortschaftsrat Wolfartsweier 12.05.2021 3\nBegründung:\nDie Randsteine ...",
            "council_paper",
        ),
        # a project description may mention a Tagung
        (
            "Projektname: Netzwerk Z\nLaufzeit: 2004–2006\nAuftraggeber: Ministerium\n"
            "Die Ergebnisse wurden auf einer Tagung und in einem Workshop vorgestellt.",
            "project_description",
        ),
    ],
)
def test_genres_that_quote_each_other(text: str, expected: str) -> None:
    assert classify(text, None, "pdf", {})[0] == expected


def test_html_without_cues_is_a_web_page() -> None:
    text = "Start\nÜber uns\nProjekte\nTermine\nLinks\n\nHier entsteht unser Auftritt."
    assert classify(text, None, "html", {}) == ("web_page", "cues:web_page(html)")
    assert classify("Kurz.", None, "html", {}) == ("web_page", "format:html")
    assert classify(text, None, "pdf", {}) == ("other", "fallback")


def test_title_and_description_count_as_cover() -> None:
    text = "Die Ergebnisse der Expertengespräche werden hier zusammengefasst."
    assert classify(text, "Tagungsbericht Clusterkonferenz 2010", "pdf", {})[0] == "conference_report"
    assert classify(text, None, "pdf", {"description": "Projektbeschreibung und Projektpartner"})[0] == (
        "project_description"
    )


def test_empty_text_is_other() -> None:
    assert classify("", None, "pdf", {}) == ("other", "fallback")


def test_cues_are_well_formed() -> None:
    assert {cue.doctype for cue in CUES} <= set(DOCTYPES)
    assert all(cue.weight > 0 and cue.name for cue in CUES)


SEED_DOCTYPES = {
    "000_": "project_description",
    "001_": "council_paper",
    "002_": "project_description",
    "003_": "conference_report",
    "004_": "web_page",
}


@pytest.mark.parametrize(("seed", "expected"), list(SEED_DOCTYPES.items()))
def test_seed_doctypes(seed: str, expected: str) -> None:
    paths = sorted((SHARED / "seeds").glob(f"{seed}*.txt")) if (SHARED / "seeds").is_dir() else []
    if not paths:
        pytest.skip("shared seeds not available")
    assert classify(paths[0].read_text(encoding="utf-8"), None, "text", {})[0] == expected


def _manifest() -> list[dict]:
    path = SHARED / "corpus" / "MANIFEST.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("entry", _manifest() or [None], ids=lambda e: e["id"] if e else "absent")
def test_corpus_doctypes(entry: dict | None) -> None:
    if entry is None:
        pytest.skip("shared corpus not available")
    readers = pytest.importorskip("clustermine.corpus.readers")
    extraction = readers.read_path(SHARED / "corpus" / entry["file"])
    found, rule = classify(extraction.text, extraction.title, extraction.format, extraction.info)
    assert found == entry["doctype"], rule
