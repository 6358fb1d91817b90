"""Which kind of document a text is, from the words its layout is built of.

German administrative genres announce themselves: a council paper has a ``Beratungsfolge`` and a
``Beschlussvorschlag``, minutes a ``Niederschrift`` heading and ``Abstimmungsergebnis`` lines, a project sheet
``Laufzeit`` and ``Projektpartner`` fields. But they also quote each other: minutes cite every ``Vorlage``
they handle, a Vorlage names the ``Sitzung`` that will decide it, a project page mentions the ``Tagung`` where
results were shown. So each cue has a weight, counts more on the cover (the first lines and the first page)
than deep in the body, and counts less each time it repeats; the doctype with the highest score wins if the
score is convincing, and the rule string names the cues that decided.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..model import DOCTYPES

#: The first lines, where a document names its own genre ("BESCHLUSSVORLAGE", "Niederschrift ...").
COVER_CHARS = 350
#: The first page, where layout fields sit.
PAGE_CHARS = 2500
#: How much of a text is read for cues.
SCAN_CHARS = 40_000
#: A winner needs at least this score; below it the document is "other" (or a web page, for HTML).
MIN_SCORE = 4.0

_COVER_FACTOR, _PAGE_FACTOR, _BODY_FACTOR = 3.0, 1.5, 1.0
_REPEAT_FACTOR, _MAX_REPEATS = 0.25, 4


@dataclass(frozen=True)
class Cue:
    """A word or layout element that speaks for a doctype.

    ``line=True``: only at the start of a line (after blanks or a list number). ``inside=True``: also as the
    end of a compound ("Ergebnisprotokoll", "Fachtagung"); otherwise only at a word start. ``case=True``:
    matched as written; otherwise the pattern is matched in lower case against the lower-cased text, which
    lets the regex engine search for its literal prefix instead of trying every position.
    """

    doctype: str
    name: str
    pattern: re.Pattern[str]
    weight: float
    line: bool = False
    case: bool = False
    inside: bool = False


def _cue(
    doctype: str,
    name: str,
    pattern: str,
    weight: float,
    *,
    line: bool = False,
    case: bool = False,
    inside: bool = False,
) -> Cue:
    if not case and re.search(r"\\[SWDB]", pattern):
        raise ValueError(f"cue {name!r}: upper-case escapes change meaning when lower-cased; got {pattern!r}")
    compiled = re.compile(pattern if case else pattern.lower(), re.MULTILINE)
    return Cue(doctype, name, compiled, weight, line, case, inside)


CUES: tuple[Cue, ...] = (
    # council papers: the paper's own genre words and its form fields
    _cue("council_paper", "Beschlussvorlage", r"Beschlussvorlage|Beschlußvorlage", 5),
    _cue(
        "council_paper",
        "Sitzungsvorlage",
        r"Sitzungsvorlage|Ratsvorlage|Verwaltungsvorlage|Kreistagsvorlage|"
        r"Druckvorlage|Tischvorlage",
        4,
    ),
    _cue(
        "council_paper",
        "Vorlage zur Sitzung",
        r"vorlage\s+(?:zur|für\s+die|zu)\s+(?:\w+\s+)?(?:sitzung|top)\b",
        4,
        inside=True,
    ),
    _cue(
        "council_paper", "Informationsvorlage", r"Informationsvorlage|Mitteilungsvorlage|Berichtsvorlage", 5
    ),
    _cue("council_paper", "Vorlagen-Nr.", r"Vorlagen?\s?[-‐]?\s?(?:Nr|Nummer)\b|Vorl\.\s?[-‐]?\s?Nr", 3),
    _cue("council_paper", "Drucksache", r"Drucksachen?[-‐ ]?(?:Nr\.?|Nummer)|Drucksache\b", 2),
    _cue("council_paper", "Beratungsfolge", r"Beratungsfolge", 5),
    _cue("council_paper", "Beschlussvorschlag", r"Beschlussvorschlag|Beschlussentwurf|Beschlussantrag", 4),
    _cue("council_paper", "Antrag an", r"Antrag\s+an\s+(?:den|die|das)\b", 3),
    _cue("council_paper", "Sachverhalt", r"Sachverhalt|Sachdarstellung", 2.5),
    _cue("council_paper", "Begründung", r"Begründung\s*:?\s*$", 1.5, line=True),
    _cue(
        "council_paper",
        "Finanzielle Auswirkungen",
        r"Finanzielle\s+Auswirkung(?:en)?|Haushaltsmäßige\s+Auswirkung",
        2,
    ),
    _cue(
        "council_paper",
        "Antrag",
        r"(?:Änderungs|Ergänzungs|Dringlichkeits|Prüf|Haushalts)?antrag(?=\s*$|\s*:|\s+(?:der|des|von"
        r"|zum|zur|nr)\b|\s+[a-z]{0,5}/?\d)",
        4,
        line=True,
    ),
    _cue(
        "council_paper",
        "Antrag der Fraktion",
        r"Antrag\s+(?:der|des)\s+(?:\w+\s+){0,3}(?:Fraktion|Gruppe|Stadtrat|"
        r"Stadträtin|Kreistagsfraktion|Ratsfraktion)",
        4,
    ),
    _cue(
        "council_paper",
        "Änderungsantrag",
        r"Änderungsantrag|Ergänzungsantrag|Änderungs-\s*(?:und|/)\s*Ergänzungs",
        3,
    ),
    _cue(
        "council_paper",
        "Anfrage",
        r"(?:Kleine\s+|Große\s+|Schriftliche\s+)?Anfrage(?=\s*$|\s*:|\s+(?:der|des|von|zum"
        r"|zur|nr)\b|\s+[a-z]{0,5}/?\d)",
        4,
        line=True,
    ),
    _cue("council_paper", "Stellungnahme", r"Stellungnahme\s+(?:zu[mr]?|der\s+Verwaltung)", 4),
    _cue(
        "council_paper",
        "beschließt",
        r"(?:Gemeinderat|Rat|Kreistag|Stadtrat|Ausschuss|Ortschaftsrat|Bezirksbeirat|"
        r"Bezirksvertretung)\s+(?:beschließt|empfiehlt|nimmt)",
        1.5,
    ),
    _cue("council_paper", "Unterzeichnet", r"unterzeichnet\s+von", 1),
    # minutes
    _cue("minutes", "Niederschrift", r"Niederschrift(?!en\s+über\s+die\s+öffentlichen)", 4),
    _cue("minutes", "Protokoll", r"protokoll(?!führ|notiz)(?:auszug)?", 3.5, inside=True),
    _cue("minutes", "Tagesordnung", r"Tagesordnung", 1.5),
    _cue("minutes", "Punkt der Tagesordnung", r"Punkt\s+\d+\w?\s+der\s+Tagesordnung", 3),
    _cue("minutes", "TOP", r"TOP\s?\d+", 1, case=True),
    _cue("minutes", "Sitzung vom", r"Sitzung\s+(?:vom|am)\b", 1),
    _cue("minutes", "Beratungsergebnis", r"Beratungsergebnis|Abstimmungsergebnis|Abstimmung\s*:", 3),
    _cue("minutes", "Beschluss:", r"Beschluss\s*:", 1.5, line=True),
    _cue(
        "minutes",
        "einstimmig",
        r"einstimmig\s+(?:beschlossen|angenommen|zugestimmt)|mehrheitlich\s+(?:beschlossen|"
        r"angenommen|abgelehnt)|(?:Ja|Dafür)[- ]?Stimmen|Gegenstimmen|Enthaltungen",
        2,
    ),
    _cue(
        "minutes",
        "Anwesend",
        r"Anwesend(?:e)?\s*:|Teilnehmende\s*:|Entschuldigt\s*:|Schriftführ(?:er|erin|ung)",
        3,
    ),
    _cue("minutes", "Vorsitz", r"Vorsitz\s*:|Vorsitzende[rn]?\s*:", 2),
    _cue(
        "minutes",
        "Redebeitrag",
        r"(?:Stadtr(?:at|ätin)|Kreisr(?:at|ätin)|Ratsherr|Ratsfrau|(?:Ober|Erste[rn]?\s+)?"
        r"Bürgermeister(?:in)?|Vorsitzende[r]?)\s+(?:Dr\.\s+)?[a-zäöü][a-zäöüß-]+(?:\s*\([^)\n]{1,30}\))?\s*:",
        2.5,
        line=True,
    ),
    _cue(
        "minutes",
        "eröffnet die Sitzung",
        r"eröffnet\s+die\s+Sitzung|schließt\s+die\s+Sitzung|Beginn\s+der\s+Sitzung|"
        r"ruft\s+(?:den\s+)?Tagesordnungspunkt",
        3,
    ),
    _cue("minutes", "Beschlussempfehlung", r"Beschlussempfehlung(?:en)?", 1.5),
    _cue("minutes", "Dokumentation Sitzung", r"Dokumentation\s+(?:der\s+)?Sitzung|Sitzungsverlauf", 3),
    # project descriptions
    _cue(
        "project_description",
        "Laufzeit",
        r"(?:Projekt)?laufzeit\s*:?|Förderzeitraum\s*:?|Projektzeitraum\s*:?",
        4,
        line=True,
    ),
    _cue("project_description", "Projektpartner", r"Projektpartner|Verbundpartner|Kooperationspartner", 3),
    _cue("project_description", "Projektleitung", r"Projektleitung|Projektleiter(?:in)?|Projektteam", 3),
    _cue(
        "project_description",
        "Auftraggeber",
        r"Auftraggeber(?:in)?|Fördermittelgeber|Zuwendungsgeber|"
        r"Projektträger|Förderkennzeichen|Gefördert\s+(?:durch|von)",
        3,
    ),
    _cue(
        "project_description",
        "Projektname",
        r"Projektname|Projekttitel|Projektbeschreibung|Projektsteckbrief",
        4,
    ),
    _cue(
        "project_description",
        "Ziel des Projektes",
        r"(?:Ziel|Ziele)\s+(?:des|dieses)\s+(?:\w+\s+)?(?:Verbund)?"
        r"(?:Projekte?s|Vorhabens)|Ziel\s+und\s+Aufgabenstellung|Aufgabenstellung",
        2.5,
    ),
    _cue("project_description", "Projekt", r"projekte?s?\b|vorhaben\b", 0.75, inside=True),
    _cue(
        "project_description",
        "Kurzbeschreibung",
        r"Kurzbeschreibung|Ausgangssituation|Forschungsfragen|"
        r"Vorgehen(?:sweise)?\s*$|Methodisches\s+Vorgehen",
        1.5,
    ),
    # conference reports
    _cue(
        "conference_report",
        "Tagungsbericht",
        r"Tagungsbericht|Konferenzbericht|Veranstaltungsbericht|"
        r"Tagungsdokumentation|Dokumentation\s+(?:der|des)\s+(?:\w+\s+)?(?:Tagung|Konferenz|Workshops?|Kongress"
        r"|Veranstaltung|Fachtagung)",
        5,
    ),
    _cue("conference_report", "Tagung", r"tagung(?<!vertagung)|konferenz|kongress|symposium", 2, inside=True),
    _cue("conference_report", "Veranstaltung", r"Veranstaltung\s*:|Ziel\s+der\s+Veranstaltung", 3, line=True),
    _cue("conference_report", "Workshop", r"Workshops?|Veranstaltung", 1),
    _cue("conference_report", "Programm", r"Programm\s*$|Tagungsprogramm|Ablauf\s*$", 1.5, line=True),
    _cue(
        "conference_report",
        "Referent",
        r"Referent(?:in|en|innen)?|Vortr(?:ag|äge)|Podium(?:sdiskussion)?|"
        r"Moderation|Keynote|Impulsvortrag|Begrüßung",
        2,
    ),
    _cue("conference_report", "Teilnehmer", r"Teilnehmer(?:innen)?|Teilnehmende", 1),
    # reports
    _cue("report", "Inhaltsverzeichnis", r"Inhaltsverzeichnis|Inhalt\s*$", 4, line=False),
    _cue("report", "Zusammenfassung", r"Zusammenfassung|Executive\s+Summary|Kurzfassung|Fazit\s*$", 1.5),
    _cue("report", "Gutachten", r"Gutachten|Expertise|Machbarkeitsstudie", 3),
    _cue("report", "Studie", r"Studie\b|Analyse\b|Untersuchung\b", 1.5),
    _cue(
        "report",
        "Bericht",
        r"bericht\b",
        1.5,
        inside=True,
    ),
    _cue("report", "Kapitel", r"Kapitel\s+\d|^\s*\d\.\d\.?\s+[A-ZÄÖÜ]", 2),
    _cue(
        "report",
        "Verzeichnis",
        r"Literaturverzeichnis|Abbildungsverzeichnis|Tabellenverzeichnis|"
        r"Abkürzungsverzeichnis|Quellenverzeichnis|Literatur\s*$",
        4,
    ),
    _cue("report", "Einleitung", r"Einleitung\s*$|Methodik\s*$|Handlungsempfehlungen", 2, line=True),
    _cue("report", "Abbildung", r"(?:Abbildung|Abb\.|Tabelle|Tab\.)\s+\d", 1),
    # web pages
    _cue("web_page", "Willkommen", r"Willkommen\s+(?:auf|bei|im)", 3),
    _cue("web_page", "Website", r"Website|Webseite|Homepage|Internetseite", 1.5),
    _cue(
        "web_page",
        "Impressum",
        r"Impressum|Datenschutz(?:erklärung)?|Cookies?|Barrierefreiheit|Sitemap|"
        r"Startseite|Navigation|Seitenanfang",
        2,
    ),
    _cue(
        "web_page",
        "News",
        r"News\b|Aktuelles\s*$|Newsletter|weiterlesen|mehr\s+erfahren|mehr\s+lesen|"
        r"zurück\s+zur",
        1.5,
    ),
    _cue("web_page", "Kontakt", r"Kontakt\s*$|Home\s*$|Suche\s*$|Menü\s*$", 1.5, line=True),
)


def _position_factor(pos: int) -> float:
    return _COVER_FACTOR if pos < COVER_CHARS else _PAGE_FACTOR if pos < PAGE_CHARS else _BODY_FACTOR


_LINE_PREFIX = re.compile(r"[ \t]*(?:\d+\.?[ \t]+)?")


def _positions(cue: Cue, text: str, lowered: str) -> list[int]:
    """Where ``cue`` occurs: at a word start (and, for line cues, at a line start)."""
    haystack = text if cue.case else lowered
    found = []
    for match in cue.pattern.finditer(haystack):
        start = match.start()
        if start and not cue.inside and haystack[start - 1].isalnum():
            continue
        if cue.line:
            line_start = haystack.rfind("\n", 0, start) + 1
            if not _LINE_PREFIX.fullmatch(haystack, line_start, start):
                continue
        found.append(start)
    return found


def score_cues(text: str) -> dict[str, list[tuple[float, str]]]:
    """Per doctype, the (score, cue name) pairs found in ``text``, for classification and for explaining it.

    Only the first :data:`SCAN_CHARS` characters are read: the genre shows on the first pages, and long
    reports would otherwise cost time for nothing.
    """
    text = text[:SCAN_CHARS]
    lowered = text.lower()
    found: dict[str, list[tuple[float, str]]] = {}
    for cue in CUES:
        positions = _positions(cue, text, lowered)
        if not positions:
            continue
        score = cue.weight * _position_factor(positions[0])
        score += cue.weight * _REPEAT_FACTOR * min(len(positions) - 1, _MAX_REPEATS)
        found.setdefault(cue.doctype, []).append((score, cue.name))
    return found


#: Genre words a document opens with ("NIEDERSCHRIFT", "Beschlussvorlage", "Tagungsbericht"): a document that
#: names its own genre in its first lines is believed over the genres it quotes further down.
TITLE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (doctype, re.compile(pattern, re.IGNORECASE))
    for doctype, pattern in (
        (
            "council_paper",
            r"(?:Beschluss|Informations|Mitteilungs|Berichts|Sitzungs|Druck|Tisch|Verwaltungs|Rats)"
            r"vorlage\b|(?:Änderungs-?|Ergänzungs|Dringlichkeits)?antrag\b|(?:Kleine\s+|Große\s+)?"
            r"Anfrage\b|Stellungnahme\s+zu|Drucksache\b|Vorlage\s+(?:Nr|zur|für)\b",
        ),
        (
            "minutes",
            r"Niederschrift\b|(?:Ergebnis|Sitzungs|Beschluss|Wort)?protokoll\b|(?:Auszug\s+(?:aus\s+(?:dem|der)"
            r"\s+)?)(?:Protokoll|Niederschrift)|Protokollauszug|Beschlussauszug",
        ),
        ("project_description", r"Projektbeschreibung|Projektsteckbrief|Projektskizze|Projektinformation"),
        (
            "conference_report",
            r"Tagungsbericht|Konferenzbericht|Veranstaltungsbericht|Tagungsdokumentation|"
            r"Dokumentation\s+(?:der|des)\s+(?:\w+\s+)?(?:Tagung|Konferenz|Fachtagung|Workshops?)",
        ),
        (
            "report",
            r"(?:Abschluss|End|Jahres|Zwischen|Sachstands|Evaluations|Forschungs)bericht\b|Gutachten\b|"
            r"Studie\b|Machbarkeitsstudie\b",
        ),
    )
)
_TITLE_LINES = 5
_TITLE_BONUS = (8.0, 6.0, 5.0, 4.0, 4.0)


def title_cues(text: str) -> list[tuple[str, float, str]]:
    """(doctype, score, word) for a genre word at the start of one of the first lines."""
    found: list[tuple[str, float, str]] = []
    lines = [line.strip() for line in text[: COVER_CHARS * 2].splitlines() if line.strip()][:_TITLE_LINES]
    for i, line in enumerate(lines):
        for doctype, pattern in TITLE_WORDS:
            match = pattern.match(line)
            if match and len(line) < 90:
                found.append((doctype, _TITLE_BONUS[i], match.group(0).strip()))
                break
    return found[:1]


def _nav_like(text: str) -> float:
    """How much a page looks like navigation: short lines, little running text. 0 (prose) to 1 (menus)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 5:
        return 0.0  # too little to tell menus from a short page
    short = sum(1 for line in lines if len(line) < 40)
    return short / len(lines)


def classify(
    extraction_text: str, title: str | None = None, fmt: str = "", info: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """The doctype of a text (one of :data:`~clustermine.model.DOCTYPES`) and the rule that decided.

    The rule names the strongest cues, e.g. ``"cues:council_paper(Beratungsfolge,Beschlussvorschlag)"``; HTML
    without convincing cues becomes ``web_page`` (``"format:html"``), anything else ``other``
    (``"fallback"``). The title (and the file's description/keywords) is read as part of the cover.
    """
    info = info or {}
    cover = " ".join(v for v in (title, info.get("description"), info.get("keywords")) if v)
    text = (cover + "\n\n" + extraction_text) if cover else extraction_text
    found = score_cues(text)
    for doctype, score, word in title_cues(text):
        found.setdefault(doctype, []).append((score, f"title:{word}"))
    totals = {doctype: sum(score for score, _ in cues) for doctype, cues in found.items()}
    if fmt == "html":
        nav = _nav_like(extraction_text)
        totals["web_page"] = totals.get("web_page", 0.0) + 2.0 + 4.0 * nav
        found.setdefault("web_page", []).append((2.0 + 4.0 * nav, "html"))
    if not totals:
        return "other", "fallback"
    best = max(totals, key=lambda d: (totals[d], -DOCTYPES.index(d)))
    if totals[best] < MIN_SCORE:
        if fmt == "html":
            return "web_page", "format:html"
        return "other", "fallback"
    names = [name for _, name in sorted(found[best], reverse=True)[:3]]
    return best, f"cues:{best}({','.join(names)})"


__all__ = ["CUES", "MIN_SCORE", "TITLE_WORDS", "Cue", "classify", "score_cues", "title_cues"]
