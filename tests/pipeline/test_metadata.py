"""The metadata facade: one call from an Extraction to doctype, date, title, sections and council fields."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clustermine.model import DOCTYPES, Extraction, Metadata
from clustermine.pipeline.dates import parse_user_date
from clustermine.pipeline.metadata import analyse, first_heading, good_title

TODAY = date(2026, 11, 25)
SHARED = Path("/work/shared")

MEETTMANN_LIKE = """Beschluss
Kenntnisnahme
Vorlagen Nr. 80/017/2013
öffentlich
Fachbereich: Amt für Wirtschaftsförderung Bearbeiter/in: K. B.\tDatum: 10.04.2013 Az.: 80-12

Beratungsfolge\tTermine\tArt der Entscheidung
Ausschuss für Wirtschaftsförderung und Tourismus\t13.05.2013\tBeschluss

Clusterförderung im Kreis Mettmann - Zukünftige Aktivitäten

Beschlussvorschlag:

Die Verwaltung wird beauftragt, die Clusterförderung fortzusetzen.

Sachverhaltsdarstellung:

Der Ausschuss nahm am 21.02.2013 den Bericht zur Kenntnis.
"""


def _analyse(text: str, *, fmt: str = "pdf", title: str | None = None, info: dict | None = None) -> Metadata:
    return analyse(Extraction(format=fmt, pages=(text,), title=title, info=info or {}), today=TODAY)


def test_council_paper() -> None:
    meta = _analyse(
        MEETTMANN_LIKE, title="Microsoft Word - VL_80_017_2013.docx", info={"created": "2013-04-11"}
    )
    assert (meta.doctype, meta.date, meta.date_rule) == ("council_paper", "2013-04-10", "label:Datum")
    assert meta.doctype_rule.startswith("cues:council_paper(")
    assert (meta.title, meta.title_rule) == (
        "Clusterförderung im Kreis Mettmann - Zukünftige Aktivitäten",
        "council:subject",
    )
    assert meta.council is not None and meta.council.number == "80/017/2013"
    names = [s.name for s in meta.sections]
    assert names[0] == "betreff" and "beschlussvorschlag" in names and "sachverhalt" in names


def test_title_from_the_file_when_it_is_a_real_title() -> None:
    text = "Projektname: Netzwerk\nLaufzeit: 2004–2006\nProjektpartner: A, B\n"
    meta = _analyse(text, title="Netzwerk Zukunft Ruhr – Projektbeschreibung")
    assert (meta.title, meta.title_rule) == ("Netzwerk Zukunft Ruhr – Projektbeschreibung", "extraction")
    assert (meta.doctype, meta.date) == ("project_description", "2004")


@pytest.mark.parametrize(
    "title",
    [
        None,
        "",
        "Microsoft Word - Stellenanzeige.Fraktion.docx",
        "Stellenanzeige.Fraktion",
        "Dokument1",
        "Folie 1",
        "2022_09_29_RA-Bramfeld_Protokoll",
        "PowerPoint-Präsentation",
        "untitled",
        "VL_80_017",
    ],
)
def test_placeholder_titles_are_not_used(title: str | None) -> None:
    assert good_title(title) is None


def test_first_heading_skips_page_furniture_and_joins_wrapped_lines() -> None:
    text = (
        "\n\nGedruckt auf 100 Prozent Recyclingpapier\n- 1 -\nBeschlussempfehlungen\n"
        "Regionalausschuss Nord\nTermin:\n"
    )
    assert first_heading(text) == "Beschlussempfehlungen Regionalausschuss Nord"
    assert first_heading("Cluster-\nFörderung im Land\n\nText") == "Cluster-Förderung im Land"
    assert first_heading("Verwal-\ntung der Mittel\n\nText") == "Verwaltung der Mittel"
    assert first_heading("") is None


def test_web_page() -> None:
    text = (
        "Start\nProjekte\nKontakt\nImpressum\n\nNEWS\n24.04.07 Tagung in Oldenburg\n12.03.07 Neues Projekt\n"
    )
    meta = _analyse(text, fmt="html", info={"modified": "2008-01-01"})
    assert (meta.doctype, meta.date, meta.date_rule) == ("web_page", "2007-04-24", "newest-date")
    assert meta.council is None


def test_empty_extraction() -> None:
    meta = analyse(Extraction(format="pdf", pages=()), source_name="leer.pdf")
    assert (meta.doctype, meta.date, meta.sections, meta.council) == ("other", None, (), None)
    assert (meta.title, meta.title_rule) == ("leer", "source-name")


def test_metadata_is_plain_data() -> None:
    meta = _analyse(MEETTMANN_LIKE)
    assert json.loads(json.dumps(asdict(meta)))["council"]["consultations"][0]["role"] == "Beschluss"


# --------------------------------------------------------------------------------------- realistic inputs


SEEDS = {
    "000_": ("project_description", None, "Produktionsnahe Dienstleistungen"),
    "001_": ("council_paper", "2013-04-10", "Clusterförderung im Kreis Mettmann - Zukünftige Aktivitäten"),
    "002_": ("project_description", "2016-10", "Bottrop2018plus"),
    "003_": ("conference_report", "2003-12-05", "Clustermanagement in der Strukturpolitik"),
    "004_": ("web_page", "2007-04-24", 'Willkommen auf der Website "Strategische Partnerschaften"!'),
}


@pytest.mark.parametrize(("prefix", "expected"), list(SEEDS.items()))
def test_seeds(prefix: str, expected: tuple) -> None:
    paths = sorted((SHARED / "seeds").glob(f"{prefix}*.txt")) if (SHARED / "seeds").is_dir() else []
    if not paths:
        pytest.skip("shared seeds not available")
    meta = analyse(Extraction(format="text", pages=(paths[0].read_text(encoding="utf-8"),)), today=TODAY)
    doctype, day, title = expected
    assert (meta.doctype, meta.date) == (doctype, day)
    assert meta.title is not None and meta.title.startswith(title)
    _check_properties(meta, paths[0].read_text(encoding="utf-8"))


def _manifest() -> list[dict]:
    path = SHARED / "corpus" / "MANIFEST.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _read(path: Path) -> Extraction:
    """The corpus readers if they exist; else pdfminer for PDFs and the raw text for anything else."""
    try:
        from clustermine.corpus.readers import read_path
    except ImportError:
        if path.suffix == ".pdf":
            high_level = pytest.importorskip("pdfminer.high_level")
            return Extraction(format="pdf", pages=(high_level.extract_text(str(path)),))
        return Extraction(format="text", pages=(path.read_text(encoding="utf-8"),))
    return read_path(path)


@pytest.mark.parametrize("entry", _manifest() or [None], ids=lambda e: e["id"] if e else "absent")
def test_shared_corpus(entry: dict | None) -> None:
    if entry is None:
        pytest.skip("shared corpus not available")
    extraction = _read(SHARED / "corpus" / entry["file"])
    meta = analyse(extraction, source_name=entry["file"], today=TODAY)
    assert meta.doctype == entry["doctype"], meta.doctype_rule
    expected = entry["date"]
    assert meta.date is not None and meta.date[: len(expected)] == expected, meta.date_rule
    _check_properties(meta, extraction.text)


def _karlsruhe_main_files(limit: int) -> list[Path]:
    root = SHARED / "karlsruhe"
    if not (root / "papers").is_dir():
        return []
    found = []
    for path in sorted((root / "papers").glob("*.json"))[::10]:
        paper = json.loads(path.read_text(encoding="utf-8"))
        files = paper.get("auxiliaryFile") or []
        if files and re.match(
            r"(?:Beschlussvorlage|Antrag|Anfrage|Informationsvorlage)\b", files[0].get("name", "")
        ):
            text = root / "files" / f"{files[0]['id'].rsplit('/', 1)[-1]}.txt"
            if text.exists() and len(text.read_text(encoding="utf-8").strip()) > 50:
                found.append(path)
        if len(found) >= limit:
            break
    return found


@pytest.mark.slow
def test_karlsruhe_sample() -> None:
    papers = _karlsruhe_main_files(80)
    if not papers:
        pytest.skip("Karlsruhe development data not available")
    council = same_year = 0
    for path in papers:
        paper = json.loads(path.read_text(encoding="utf-8"))
        file_id = paper["auxiliaryFile"][0]["id"].rsplit("/", 1)[-1]
        text = (SHARED / "karlsruhe" / "files" / f"{file_id}.txt").read_text(encoding="utf-8")
        meta = analyse(Extraction(format="pdf", pages=(text,)), today=TODAY)
        council += meta.doctype == "council_paper"
        same_year += (meta.date or "")[:4] == paper["date"][:4]
        _check_properties(meta, text)
    assert council / len(papers) >= 0.95
    assert same_year / len(papers) >= 0.8


def _check_properties(meta: Metadata, text: str) -> None:
    """What holds for any output: known doctype, a valid partial date, rules next to values, true offsets."""
    assert meta.doctype in DOCTYPES and meta.doctype_rule
    if meta.date is not None:
        assert parse_user_date(meta.date) == meta.date and meta.date_rule
        assert meta.date <= TODAY.isoformat()
    assert (meta.title is None) == (meta.title_rule is None)
    for section in meta.sections:
        assert re.fullmatch(r"[a-z0-9_]+", section.name)
        if section.start >= 0 and section.text:
            size = min(30, len(section.text))
            assert text[section.start : section.start + size] == section.text[:size]


_PIECES = st.sampled_from(
    [
        "Datum:",
        "vom",
        "Vorlage Nr.:",
        "Beratungsfolge",
        "Gremium Termin TOP",
        "Sitzung am",
        "Laufzeit:",
        "Niederschrift",
        "ANTRAG",
        "Betreff:",
        "öffentlich",
        "10.04.2013",
        "24.04.07",
        "5. Dezember 2003",
        "10/2016",
        "2004–2006",
        "31.02.2013",
        "§ 5 Abs. 2",
        "Stadt Karlsruhe",
        "Kreis Mettmann",
        "einstimmig",
        "Beschlussvorschlag:",
        "Sachverhalt:",
        "\n",
        "\n\n",
        " ",
        "\t",
        ":",
        "-",
        "Ausschuss",
        "1.",
        "ä",
        "ß",
    ]
)


@given(st.lists(_PIECES, max_size=60).map("".join))
@settings(max_examples=200, deadline=None)
def test_any_text_gives_well_formed_metadata(text: str) -> None:
    meta = analyse(Extraction(format="pdf", pages=(text,)), today=TODAY)
    _check_properties(meta, text)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("STADT GELSENKIRCHEN\n\nNiederschrift\nüber die 14. Sitzung\n\nBeginn", "Niederschrift über die 14. Sitzung"),
        ("Stadt Duisburg\nDer Oberbürgermeister\n\nNIEDERSCHRIFT\n\nText", "NIEDERSCHRIFT"),
        ("STADT FRANKFURT AM MAIN\nNiederschrift der Sitzung\n\nText", "Niederschrift der Sitzung"),
        ("## InnoRegio LausitzEnergie\n\nText", "InnoRegio LausitzEnergie"),
        ("Stadt Karlsruhe baut Cluster aus.\n\nText", "Stadt Karlsruhe baut Cluster aus."),
    ],
)
def test_first_heading_skips_the_issuers_letterhead_and_markdown_marks(text: str, title: str) -> None:
    assert first_heading(text) == title


def test_a_letterhead_first_line_is_not_the_title() -> None:
    from clustermine.pipeline.metadata import choose_title

    text = "STADT GELSENKIRCHEN\n\nNiederschrift\nüber die 14. Sitzung\n\nBeginn: 16:00 Uhr"
    assert choose_title(text, "STADT GELSENKIRCHEN", "minutes", None) == (
        "Niederschrift über die 14. Sitzung", "first-line")
