"""Documents → references: issuer, genre, abstract, keywords, event, locations, per document type.

``make_document`` and ``TRICKY_TITLES`` are shared with the format tests (``test_export_*.py``).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from clustermine.corpus.export.record import (
    KEYWORDS_PER_KIND,
    Reference,
    abstract_of,
    clean_title,
    event_of,
    first_sentence,
    issuer_of,
    keywords_of,
    locations,
    opening_paragraph,
    reference_from_document,
    shorten,
)
from clustermine.model import CouncilPaper, Document, Entity, Section

#: Titles that break naive exports: umlauts, ß, quotes, braces (paired and not), &, %, #, _, ~, ^, $, backslashes,
#: TeX ligatures and Markdown markup.
TRICKY_TITLES: tuple[str, ...] = (
    "Clusterförderung im Kreis Mettmann – „Zukunft“ & Strategie: 100 % #1",
    "Straße, Maß & Fuß: {Entwurf} für C:\\Daten\\Cluster_2013 ~ ^Ziel^",
    'Ungepaarte Klammer { in "Anführungszeichen" und $Kosten$ -- 50%',
    "ÄÖÜ äöü ß ẞ – Übersicht} mit Ende",
    "Back\\slash \\textbf{nicht} fett; a--b ''x'' `y` <<z>> *kein* _Markdown_ [Link](x)",
    "Kreis-Wirtschaftsförderung_NRW #Hashtag ~Tilde & Co. KG – 3. Fortschreibung",
)

TRICKY_ISSUER = "Kreis Mettmann, Amt für Wirtschaftsförderung & Planung (50 % Anteil_x)"


def make_document(doc_id: str = "ab12cd34ef56ab78", **changes: object) -> Document:
    """A council paper of the Kreis Mettmann with a resolution, entities and file metadata; ``changes`` override."""
    text = (
        "Kreis Mettmann\nDer Landrat\n\nBeschlussvorlage\nVorlagen-Nr. 2013/0295\n\n"
        "Betreff:\nClusterförderung im Kreis Mettmann\n\n"
        "Beschlussvorschlag:\nDer Kreistag beschließt, die Clusterförderung fortzuführen. Die Verwaltung wird "
        "beauftragt, jährlich zu berichten.\n\nSachverhalt:\nSeit dem Jahr 2000 fördert der Kreis die Betriebe "
        "der Schlüsselindustrie in Velbert und Heiligenhaus mit einem eigenen Clustermanagement."
    )
    resolution = ("Der Kreistag beschließt, die Clusterförderung fortzuführen. Die Verwaltung wird\n"
                  "beauftragt, jährlich zu berichten.")
    base = Document(
        id=doc_id,
        source=f"/daten/vorlagen/{doc_id}.pdf",
        format="pdf",
        title="Clusterförderung im Kreis Mettmann",
        doctype="council_paper",
        date="2013-04-10",
        text=text,
        sections=(Section("beschlussvorschlag", "Beschlussvorschlag:", resolution, 120),),
        council=CouncilPaper(number="2013/0295", subject="Clusterförderung im Kreis Mettmann",
                             paper_type="Beschlussvorlage", department="Amt für Wirtschaftsförderung und Planung",
                             body="Kreis Mettmann"),
        info={"author": "Kreis Mettmann, Amt für Wirtschaftsförderung und Planung"},
        content_hash=doc_id + "0" * 48,
        ingested_at="2024-05-02T10:00:00+00:00",
        entities=(
            Entity("REGION", "Kreis Mettmann", "Kreis Mettmann", 0, 14, "ks-05158"),
            Entity("REGION", "Velbert", "Velbert", 0, 7),
            Entity("REGION", "Kreises Mettmann", "Kreis Mettmann", 0, 14, "ks-05158"),
            Entity("CLUSTER", "Schließ- und Sicherungstechnik", "Schließ- und Sicherungstechnik", 0, 10),
            Entity("PROGRAM", "EFRE", "Europäischer Fonds für regionale Entwicklung", 0, 4),
            Entity("ORG", "IHK", "IHK zu Düsseldorf", 0, 3),
        ),
    )
    return replace(base, **changes)


def test_council_paper_maps_to_a_report_with_institution_and_number() -> None:
    ref = reference_from_document(make_document(), key="mettmann2013clusterfoerderung")
    assert ref.kind == "report" and ref.key == "mettmann2013clusterfoerderung"
    assert ref.issuer == "Kreis Mettmann, Amt für Wirtschaftsförderung und Planung"
    assert ref.institution == "Kreis Mettmann"
    assert (ref.number, ref.genre, ref.year, ref.date_parts) == ("2013/0295", "Beschlussvorlage", 2013, [2013, 4, 10])
    assert ref.abstract == ("Der Kreistag beschließt, die Clusterförderung fortzuführen. Die Verwaltung wird "
                            "beauftragt, jährlich zu berichten.")
    assert ref.summary == "Der Kreistag beschließt, die Clusterförderung fortzuführen."
    assert ref.path == "/daten/vorlagen/ab12cd34ef56ab78.pdf" and ref.url is None and ref.accessed is None
    assert ref.language == "de"


def test_keywords_are_canonical_names_of_clusters_regions_programmes_most_mentioned_first() -> None:
    ref = reference_from_document(make_document())
    assert ref.keywords == ("Schließ- und Sicherungstechnik", "Kreis Mettmann", "Velbert",
                            "Europäischer Fonds für regionale Entwicklung")  # no ORG
    many = [Entity("REGION", f"Ort {i}", f"Ort {i:02d}", 0, 1) for i in range(30)]
    assert len(keywords_of(many)) == KEYWORDS_PER_KIND
    separators = [Entity("CLUSTER", "x", "Wirtschaft, Verkehr; Häfen", 0, 1)]
    assert keywords_of(separators) == ("Wirtschaft / Verkehr / Häfen",)


@pytest.mark.parametrize(
    ("council", "info", "expected"),
    [
        (CouncilPaper(body="Kreis Mettmann", department="Amt 80"), {"author": "Kreis Mettmann, Amt 80, Zi. 3"},
         "Kreis Mettmann, Amt 80, Zi. 3"),
        (CouncilPaper(body="Stadt Duisburg", department="CDU-Fraktion"),
         {"author": "CDU-Fraktion im Rat der Stadt Duisburg"}, "CDU-Fraktion im Rat der Stadt Duisburg"),
        (CouncilPaper(body="Stadt Hamm", department="Amt für Wirtschaftsförderung"), {},
         "Stadt Hamm, Amt für Wirtschaftsförderung"),
        (CouncilPaper(body="Stadt Hamm"), {"author": "Max Mustermann"}, "Stadt Hamm"),
        (None, {"author": "  Institut Arbeit\nund Technik "}, "Institut Arbeit und Technik"),
        (None, {}, None),
    ],
)
def test_issuer(council: CouncilPaper | None, info: dict[str, str], expected: str | None) -> None:
    assert issuer_of(council, info) == expected


@pytest.mark.parametrize(
    ("doctype", "source", "info", "kind"),
    [
        ("web_page", "https://example.org/cluster", {}, "online"),
        ("web_page", "/daten/seite.html", {"url": "https://www.kreis-mettmann.de/wf"}, "online"),
        ("web_page", "/daten/seite.html", {}, "misc"),
        ("project_description", "/daten/projekt.pdf", {}, "misc"),
        ("conference_report", "/daten/tagung.pdf", {}, "event"),
        ("minutes", "/daten/niederschrift.pdf", {}, "report"),
        ("report", "/daten/studie.pdf", {}, "report"),
        ("other", "/daten/x.txt", {}, "misc"),
    ],
)
def test_kind_per_document_type(doctype: str, source: str, info: dict[str, str], kind: str) -> None:
    ref = reference_from_document(make_document(doctype=doctype, source=source, info=info, council=None))
    assert ref.kind == kind
    if kind == "online":
        assert ref.url and ref.accessed == "2024-05-02"


def test_locations() -> None:
    assert locations("https://a.de/x", {}) == ("https://a.de/x", None)
    assert locations("/a/b.html", {"url": "https://a.de/b"}) == ("https://a.de/b", "/a/b.html")
    assert locations("/a/b.html", {"url": "javascript:void(0)"}) == (None, "/a/b.html")


def test_clean_title_drops_markdown_marks_and_falls_back() -> None:
    assert clean_title("## Tagungsbericht:\n Kompetenzfelder") == "Tagungsbericht: Kompetenzfelder"
    assert clean_title(None, CouncilPaper(subject="Betreff X")) == "Betreff X"
    assert clean_title("", None, "/a/b/kompetenz_feld.pdf") == "kompetenz feld"
    assert clean_title(None) == "Ohne Titel"


@pytest.mark.parametrize(
    ("title", "event"),
    [
        ("Tagungsbericht Clusterkonferenz Ruhr 2009 – Cluster in der Krise", "Clusterkonferenz Ruhr 2009"),
        ("## Tagungsbericht: 2. Industrie-4.0-Forum Saar", "2. Industrie-4.0-Forum Saar"),
        ("Dokumentation: Workshop „Kompetenzfeld Energie – Vom Bestand zur Zukunft“ – Ergebnisse",
         "Workshop „Kompetenzfeld Energie – Vom Bestand zur Zukunft“"),
    ],
)
def test_event_of_a_conference_report(title: str, event: str) -> None:
    assert event_of(make_document(title=title, doctype="conference_report", council=None)) == event


def test_abstract_prefers_the_summary_of_a_report_over_its_imprint() -> None:
    text = (
        "Transformationsbericht 2023\n\nHerausgegeben vom Netzwerk Region Stuttgart, gefördert vom Ministerium im "
        "Rahmen der Förderrichtlinie für Netzwerke, im September 2023 in Stuttgart.\n\nInhaltsverzeichnis\n\n"
        "1 Zusammenfassung\n\n2 Beschäftigung\n\n1 Zusammenfassung\n\nDie Region befindet sich mitten in einer "
        "tiefgreifenden Transformation der Fahrzeugindustrie. Der Bericht zeigt die Folgen.\n\n2 Beschäftigung\n\n…"
    )
    doc = make_document(doctype="report", council=None, sections=(), text=text)
    assert abstract_of(doc).startswith("Die Region befindet sich mitten")


def test_abstract_of_a_council_paper_without_resolution_is_its_opening_paragraph() -> None:
    doc = make_document(sections=())
    assert abstract_of(doc).startswith("Der Kreistag beschließt")  # first prose paragraph (not the letterhead)


def test_opening_paragraph_skips_labels_titles_and_tables() -> None:
    text = ("## Projekt X\n\nProjektname: Ein Name mit vielen Wörtern, die hier stehen und gar nicht aufhören "
            "wollen, sagt man.\n\nLaufzeit: 04/1995 – 03/1997\n\n2003 | 14.850 | 9,6 | 2,4 | 2004 | 15.100 | 9,8 | "
            "2,5 | 2005 | 1. 2. 3.\n\nSeit der Wiedervereinigung hat sich die industrielle Basis der Region "
            "Dresden tiefgreifend verändert. Mehr folgt.")
    assert opening_paragraph(text, title="Projekt X").startswith("Seit der Wiedervereinigung")
    assert opening_paragraph("Zu kurz.") is None


def test_sentences_and_shortening_respect_german_abbreviations() -> None:
    assert first_sentence("Der Kreis fördert z. B. Cluster. Dann mehr.") == "Der Kreis fördert z. B. Cluster."
    assert first_sentence("Am 5. Mai 2013 beschloss der Rat Nr. 5 die Förderung. Zweiter.") == (
        "Am 5. Mai 2013 beschloss der Rat Nr. 5 die Förderung.")
    long = "Wort " * 100
    assert shorten(long, 50).endswith("…") and len(shorten(long, 50)) <= 50
    assert shorten("Eins zwei drei. Vier fünf sechs sieben.", 30) == "Eins zwei drei."


@pytest.mark.parametrize("title", TRICKY_TITLES)
def test_tricky_titles_are_kept_verbatim_in_the_record(title: str) -> None:
    ref = reference_from_document(make_document(title=title))
    assert ref.title == title
    assert isinstance(ref, Reference)


def tricky_references() -> list[Reference]:
    """One reference per tricky title, cycling through the document types, with URLs, paths and specials
    in issuer, abstract and keywords: the input of the round-trip tests of every format."""
    doctypes = ["council_paper", "web_page", "conference_report", "project_description", "report", "other",
                "minutes"]
    refs = []
    for n, title in enumerate(TRICKY_TITLES):
        doctype = doctypes[n % len(doctypes)]
        doc = make_document(
            f"{n:02d}" + "ab12cd34ef56ab"[: 14],
            title=title,
            doctype=doctype,
            date=["2013-04-10", "2009", "2021-11", None][n % 4],
            source=["/daten/Vorlagen 2013/vorlage_1.pdf", "https://example.org/seite?x=1&y=%20"][n % 2],
            info={"author": TRICKY_ISSUER if n % 2 else "Stadt Köln \"Süd\" #2"},
            council=CouncilPaper(number=f"VO/{n}_2013#a", paper_type="Beschluss-Vorlage & Antrag",
                                 body="Kreis Mettmann") if doctype == "council_paper" else None,
            sections=(Section("beschlussvorschlag", "Beschlussvorschlag:",
                              f"Der Rat beschließt 100 % der Mittel für {title} bereitzustellen.", 0),),
            entities=(Entity("CLUSTER", "x", "Logistik & Häfen_2", 0, 1), Entity("REGION", "y", "Köln {Süd}", 0, 1)),
        )
        refs.append(reference_from_document(doc, key=f"key{n}", snippet=f"… das [[{title[:12]}]] …"))
    return refs
