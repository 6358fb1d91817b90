"""Text normalisation: German edge cases, and properties that must hold for any input."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from clustermine.corpus.normalise import join_hyphenation, normalise_text, remove_repeated_lines

# --------------------------------------------------------------------------------------------------------
# normalise_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Unicode forms
        ("Stra\u00dfe", "Straße"),
        ("STRASSE und Straße", "STRASSE und Straße"),
        ("Fo\u0308rderung fu\u0308r A\u0308mter", "Förderung für Ämter"),  # macOS file names, some PDFs
        ("\ufb01nanzielle E\ufb00ekte, \ufb02ache Hierarchie", "finanzielle Effekte, flache Hierarchie"),
        ("Ko\ufb03zient, Gri\ufb04e, \ufb06ark", "Koffizient, Griffle, stark"),
        # hyphens and spaces
        ("Cluster\u00adförderung", "Clusterförderung"),
        ("Verwal\u00ad\ntung", "Verwaltung"),
        ("Verwal\u00ad \n  tung", "Verwaltung"),
        ("Verwal\x02\ntung", "Verwaltung"),  # pdfium's marker for a soft hyphen at a line end
        ("EU\u2011Strukturfonds", "EU-Strukturfonds"),
        ("5\u00a0000\u00a0€ und 5\u202f%", "5 000 € und 5 %"),
        ("z.\u2009B.", "z. B."),
        ("Zero\u200bwidth\ufeff", "Zerowidth"),
        # controls and lines
        ("a\x00b\x07c\x1bd", "abcd"),
        ("Spalte 1\tSpalte 2\fneue Seite", "Spalte 1\tSpalte 2\fneue Seite"),
        ("Zeile 1\r\nZeile 2\rZeile 3", "Zeile 1\nZeile 2\nZeile 3"),
        ("Zeile   \nZeile\t\n", "Zeile\nZeile"),
        ("Absatz\n\n\n\n\n\nAbsatz", "Absatz\n\n\nAbsatz"),
        ("Absatz\n\nAbsatz", "Absatz\n\nAbsatz"),
        ("\n\n  eingerückt\n\n", "  eingerückt"),
        ("", ""),
        # mojibake: UTF-8 read as cp1252 or Latin-1
        ("FÃ¶rderung", "Förderung"),
        ("GrÃ¶ÃŸe der MÃ¤rkte Ã¼ber MÃ¼nchen", "Größe der Märkte über München"),
        ("Ã„mter, Ã–ffnung, Ãœbergang", "Ämter, Öffnung, Übergang"),
        ("â€žCluster-Initiativeâ€œ â€“ 5 â‚¬", "„Cluster-Initiative“ – 5 €"),
        ("Gr\u00c3\u00b6\u00c3\x9fe", "Größe"),  # read as Latin-1: continuation bytes became C1 controls
        ("FÃƒÂ¶rderung", "Förderung"),  # encoded twice
        ("Preis:Â\xa05 â‚¬", "Preis: 5 €"),
        # cp1252 bytes read as Latin-1
        ("\x84Cluster\x93 \x96 Netzwerk\x85", "„Cluster“ – Netzwerk…"),
        # correct text that must come out unchanged
        ("Straße“ und Maß‚", "Straße“ und Maß‚"),
        ("Ärger, Öl, Übel, äöüß", "Ärger, Öl, Übel, äöüß"),
        ("São Paulo, naïve, Ångström, Łódź", "São Paulo, naïve, Ångström, Łódź"),
        ("„Zitat“ – ‚innen‘ — Ende…", "„Zitat“ – ‚innen‘ — Ende…"),
        ("Größe² · 5 € · § 5 Abs. 2 · ½", "Größe² · 5 € · § 5 Abs. 2 · ½"),
        ("Verwal-\ntung", "Verwal-\ntung"),  # joining is join_hyphenation's job
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


# --------------------------------------------------------------------------------------------------------
# join_hyphenation


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Verwal-\ntung", "Verwaltung"),
        ("die Clusterför-\nderung der Region", "die Clusterförderung der Region"),
        ("Clusterför- \nderung", "Clusterförderung"),  # Karlsruhe: trailing space before the newline
        ("zuge- \nstimmt", "zugestimmt"),
        ("Regional-\n  entwicklung", "Regionalentwicklung"),
        ("Förde-\n\nrung", "Förderung"),  # a text block ended mid-word
        ("Ver\u2010\nwaltung", "Verwaltung"),
        ("EU-\nStrukturfonds", "EU-Strukturfonds"),
        ("Ziel-\n2-Gebiet", "Ziel-2-Gebiet"),
        ("Ziel-2-\nGebiet", "Ziel-2-Gebiet"),
        ("2013-\n2014", "2013-2014"),
        ("EU-\nweit", "EU-weit"),
        ("NRW-\nweit", "NRW-weit"),
        ("Ost-\nWest-\nAchse", "Ost-West-Achse"),
        ("EU-Struktur-\nfonds", "EU-Strukturfonds"),
        ("Wirtschafts-\nund Sozialpolitik", "Wirtschafts- und Sozialpolitik"),
        ("Bundes-\noder Landesmittel", "Bundes- oder Landesmittel"),
        ("Bundes-\nbzw. Landesmittel", "Bundes- bzw. Landesmittel"),
        ("Wirtschafts-\nsowie Sozialpolitik", "Wirtschafts- sowie Sozialpolitik"),
        ("weder Bundes-\nnoch Landesmittel", "weder Bundes- noch Landesmittel"),
        ("Bundes-\nunderstützung", "Bundesunderstützung"),  # a word starting with "und" is not "und"
        ("öffentlich-\nrechtlichen Träger", "öffentlich-rechtlichen Träger"),
        ("wissenschaftlich-\ntechnische Zusammenarbeit", "wissenschaftlich-technische Zusammenarbeit"),
        ("Bottom-up-Ansatz, ein Bottom-\nup-Prozess", "Bottom-up-Ansatz, ein Bottom-up-Prozess"),
        (
            "Baden-Württemberg und die baden-\nwürttembergischen Cluster",  # the document's own spelling
            "Baden-Württemberg und die baden-württembergischen Cluster",
        ),
        # what is no broken word stays as it is
        ("Liste:\n- erster Punkt\n- zweiter Punkt", "Liste:\n- erster Punkt\n- zweiter Punkt"),
        ("Betrag: 5,-\nEuro", "Betrag: 5,-\nEuro"),
        ("Region -\nund mehr", "Region -\nund mehr"),
        ("Ende-\n\n\nAnfang", "Ende-\n\n\nAnfang"),
        ("Straße\nzweite Zeile", "Straße\nzweite Zeile"),
        ("z.B. § 5 Abs. 2", "z.B. § 5 Abs. 2"),
    ],
)
def test_join_hyphenation(raw: str, expected: str) -> None:
    assert join_hyphenation(raw) == expected


# --------------------------------------------------------------------------------------------------------
# remove_repeated_lines


HEADER = "Stadt Dortmund · Clusterbericht 2013"


BODIES = [
    "Die Stadt fördert Kompetenzfelder.\nLogistik steht dabei vorn.",
    "Der Kreis setzt auf Netzwerke.\nDie Gesundheitswirtschaft wächst.",
    "Das Land gibt EFRE-Mittel.\nDie IHK berät die Betriebe.",
    "Der Rat beschließt die Vorlage.\nDie Verwaltung berichtet jährlich.",
    "Die Region zieht Bilanz.\nDas Cluster wird fortgeführt.",
]


def _pages(n: int, header: str | None = HEADER, footer: str | None = "Seite {n} von {total}") -> list[str]:
    pages = []
    for i in range(1, n + 1):
        lines = [header] if header else []
        lines.append(BODIES[i - 1])
        lines += [footer.format(n=i, total=n)] if footer else []
        pages.append("\n".join(lines))
    return pages


def test_running_header_and_footer_are_removed() -> None:
    result = remove_repeated_lines(_pages(5))
    assert len(result) == 5
    assert result == BODIES


@pytest.mark.parametrize(
    "footer",
    ["{n}", "- {n} -", "– {n} –", "Seite {n}", "Seite {n} von {total}", "{n} / {total}", "S. {n}", "[{n}]"],
)
def test_page_number_styles(footer: str) -> None:
    assert remove_repeated_lines(_pages(4, header=None, footer=footer)) == BODIES[:4]


def test_header_missing_on_the_title_page_is_still_removed_elsewhere() -> None:
    pages = _pages(4)
    pages[0] = "Clusterbericht 2013\nTitelseite"
    assert remove_repeated_lines(pages) == ["Clusterbericht 2013\nTitelseite", *BODIES[1:4]]


def test_short_documents_keep_everything_but_page_numbers() -> None:
    result = remove_repeated_lines(_pages(2, footer="{n}"))
    assert result == [f"{HEADER}\n{BODIES[0]}", f"{HEADER}\n{BODIES[1]}"]
    assert remove_repeated_lines(["Nur eine Seite\n1"]) == ["Nur eine Seite"]


def test_numbers_that_are_not_page_numbers_stay() -> None:
    pages = ["Kopf\nText\n150"] + [f"{body}\n2013" for body in BODIES[:3]]
    result = remove_repeated_lines(pages)
    assert result == pages  # 150 and 2013 are far from the page's position; "#" is too short to repeat


def test_repeated_lines_in_the_middle_and_short_cells_stay() -> None:
    pages = [f"Mo\nDi\nMi\nBeschluss: einstimmig\n{body}\nDo\nFr" for body in BODIES[:4]]
    assert remove_repeated_lines(pages) == pages  # too short for headers, or not at the page edge


def test_empty_and_blank_pages() -> None:
    assert remove_repeated_lines([]) == []
    assert remove_repeated_lines(["", "\n\n", "Text"]) == ["", "\n\n", "Text"]


# --------------------------------------------------------------------------------------------------------
# properties

_GERMAN_AND_TRAPS = st.sampled_from(
    list("aeinrstuAEÄÖÜäöüß -\n\t\r\f.,“„–")
    + ["\u00ad", "\x02", "\u0308", "\u0303", "\u0302", "\u00a0", "\u200b", "\ufeff", "\ufb01"]
    + ["\x81", "\x84", "\x9f"]
    + ["Ã", "Â", "â", "€", "¶", "¼", "Ÿ", "œ", "ž", "ƒ", "\x80", "und", "EU", "Seite 3", "2"]
)
_TEXTS = st.one_of(st.text(), st.lists(_GERMAN_AND_TRAPS, max_size=60).map("".join))


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
@example("A\u00ad\u0303¤")  # a deletion that would bring a combining mark next to its base
@example("ÂÂÂÂ¡")  # mojibake of mojibake of mojibake
def test_normalise_text_is_idempotent_and_total(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "\r" not in once and "\u00ad" not in once and "\n\n\n\n" not in once
    assert not any(line.endswith((" ", "\t")) for line in once.split("\n"))


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_join_hyphenation_is_idempotent_and_only_touches_line_end_hyphens(text: str) -> None:
    once = join_hyphenation(text)
    assert join_hyphenation(once) == once
    if "\n" not in text:
        assert once == text
    assert _letters(once) == _letters(text)  # only hyphens and white space go


def _letters(text: str) -> str:
    return re.sub(r"[\s\-\u2010]", "", text)


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXTS, max_size=6))
def test_remove_repeated_lines_keeps_pages_and_only_drops_lines(pages: list[str]) -> None:
    result = remove_repeated_lines(pages)
    assert len(result) == len(pages)
    for before, after in zip(pages, result, strict=True):
        assert set(after.split("\n")) <= set(before.split("\n")) | {""}
