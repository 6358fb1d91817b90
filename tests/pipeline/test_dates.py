"""Dates: user input, dates written in German texts, and the date a document carries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clustermine.errors import BadDateError, ClustermineError
from clustermine.pipeline.dates import find_document_date, parse_user_date, scan_dates

TODAY = date(2026, 11, 25)
SEEDS = Path("/work/shared/seeds")


# ----------------------------------------------------------------------------------------------- user input


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2013", "2013"),
        ("2013-04", "2013-04"),
        ("2013-4", "2013-04"),
        ("2013-04-10", "2013-04-10"),
        ("10.04.2013", "2013-04-10"),
        ("1.4.2013", "2013-04-01"),
        ("10. 04. 2013", "2013-04-10"),
        ("4/2013", "2013-04"),
        ("04/2013", "2013-04"),
        ("April 2013", "2013-04"),
        ("april 2013", "2013-04"),
        ("März 2013", "2013-03"),
        ("Maerz 2013", "2013-03"),
        ("Sept. 2013", "2013-09"),
        ("10. April 2013", "2013-04-10"),
        ("  2013 ", "2013"),
        ("29.02.2012", "2012-02-29"),
        ("1800", "1800"),
        ("2100-12-31", "2100-12-31"),
    ],
)
def test_parse_user_date_keeps_precision(value: str, expected: str) -> None:
    assert parse_user_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "31.02.2013",
        "29.02.2013",
        "2013-13",
        "13/2013",
        "1799",
        "2101",
        "10.04.13",
        "gestern",
        "",
        "2013/04/10x",
    ],
)
def test_parse_user_date_rejects_with_value_and_accepted_forms(value: str) -> None:
    with pytest.raises(BadDateError) as info:
        parse_user_date(value)
    assert repr(value) in str(info.value)
    assert "YYYY-MM-DD" in (info.value.hint or "") and "DD.MM.YYYY" in (info.value.hint or "")
    assert isinstance(info.value, ValueError) and isinstance(info.value, ClustermineError)


@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 12, 31)))
def test_parse_user_date_reads_german_day_format_of_any_real_date(day: date) -> None:
    assert parse_user_date(f"{day.day}.{day.month}.{day.year}") == day.isoformat()
    assert parse_user_date(f"{day.month}/{day.year}") == day.isoformat()[:7]


# ------------------------------------------------------------------------------------------ dates in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tagung am 5. Dezember 2003 in Duisburg", ["2003-12-05"]),
        ("Stand: 24.04.07", ["2007-04-24"]),
        ("Stand: 01.02.98", ["1998-02-01"]),
        ("Anfrage vom 12. Feb. 2010", ["2010-02-12"]),
        ("im Jan. 2004 beschlossen", ["2004-01"]),
        ("seit Sept. 2010", ["2010-09"]),
        ("bis Maerz 2011 und MÄRZ 2012", ["2011-03", "2012-03"]),
        ("Laufzeit: 10/2016 – 09/2019", ["2016-10", "2019-09"]),
        ("am 21. und 22.04.2007 in Oldenburg", ["2007-04-21"]),
        ("vom 5.-6. Dezember 2003", ["2003-12-05"]),
        ("ISO 2013-04-10 und 2013-05", ["2013-04-10", "2013-05"]),
        ("Karlsruhe, den 10.04.2013", ["2013-04-10"]),
    ],
)
def test_scan_dates_reads_german_forms(text: str, expected: list[str]) -> None:
    assert [m.value for m in scan_dates(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "siehe Kapitel 4.1.12 und 3.2.1",
        "§ 5 Abs. 2 Satz 1 GemO",
        "am 31.02.2013",  # no such day
        "Bäderkonzept 2000 und 3.500 Euro",
        "Tel. 0721 133-1234",
        "Version 1.12.2",
    ],
)
def test_scan_dates_ignores_what_only_looks_like_a_date(text: str) -> None:
    assert scan_dates(text) == []


def test_scan_dates_offsets_point_at_the_date() -> None:
    text = "Die Sitzung findet am 13. Mai 2013 statt (vgl. 10.04.2013)."
    for mention in scan_dates(text):
        assert text[mention.start : mention.end] in ("13. Mai 2013", "10.04.2013")


def test_bare_years_only_on_request() -> None:
    assert scan_dates("Laufzeit 2004–2006") == []
    assert [m.value for m in scan_dates("Laufzeit 2004–2006", years=True)] == ["2004"]


# ----------------------------------------------------------------------------------------- document dates

COUNCIL_PAPER = """Beschlussvorlage
Vorlagen-Nr. 80/017/2013
Fachbereich: Amt für Wirtschaftsförderung\tDatum: 10.04.2013 Az.: 80-12

Beratungsfolge\tTermine\tArt der Entscheidung
Ausschuss für Wirtschaftsförderung\t13.05.2013\tBeschluss

Clusterförderung im Kreis - Zukünftige Aktivitäten
"""

KARLSRUHE_ANFRAGE = """ANFRAGE

Stadtrat Max Muster (GRÜNE)
vom 12. Februar 2010
Gremium:
Termin:
Vorlage Nr.:
TOP:
41. Plenarsitzung des
Gemeinderates
23.02.2010
1289
5
öffentlich

Umsetzung des Bäderkonzepts 2000
"""

MEETING_ONLY = """Beschlussvorlage
Vorlage Nr.: 2022/0405
Festsetzung von Zielgrößen
Gremium Termin TOP ö nö Ergebnis
Hauptausschuss 17.05.2022 5 x vorberaten
Gemeinderat 21.06.2022 7 x
"""


@pytest.mark.parametrize(
    ("text", "doctype", "kwargs", "expected"),
    [
        # a council paper's own Datum beats both its meeting and the PDF's creation date
        (
            COUNCIL_PAPER,
            "council_paper",
            {"info": {"created": "2013-04-12T09:00:00Z"}},
            ("2013-04-10", "label:Datum"),
        ),
        # an Anfrage is dated by its "vom", not by the later session
        (KARLSRUHE_ANFRAGE, "council_paper", {}, ("2010-02-12", "phrase:vom")),
        # without an own date, the session it was written for
        (
            MEETING_ONLY,
            "council_paper",
            {"meetings": ["2022-06-21", "2022-05-17"]},
            ("2022-05-17", "beratungsfolge"),
        ),
        # ... unless the file itself is older: then its sessions lie in its future and the file date wins
        (
            MEETING_ONLY,
            "council_paper",
            {"info": {"created": "2022-04-11"}, "meetings": ["2022-05-17"]},
            ("2022-04-11", "info:created"),
        ),
        (
            "Projektname: X\nLaufzeit: 10/2016 – 09/2019\n",
            "project_description",
            {},
            ("2016-10", "laufzeit-start"),
        ),
        ("Projekt Y\n\nLaufzeit: 2004–2006\n", "project_description", {}, ("2004", "laufzeit-start")),
        # a project is described before it starts: its Laufzeit may lie after the file's date
        (
            "Projektname: X\nLaufzeit: 10/2016 – 09/2019\n",
            "project_description",
            {"info": {"created": "2016-09-20T10:00:00Z"}},
            ("2016-10", "laufzeit-start"),
        ),
        (
            "Projektlaufzeit:\n01.03.2012 bis 28.02.2015",
            "project_description",
            {},
            ("2012-03-01", "laufzeit-start"),
        ),
        (
            "Clustertagung\n\nDie Tagung am 5. Dezember 2003 in Duisburg zeigte ...",
            "conference_report",
            {},
            ("2003-12-05", "phrase:event"),
        ),
        (
            "Willkommen!\n\nNEWS\n\n12.03.07 Alte Meldung\n24.04.07 Neue Meldung\n",
            "web_page",
            {},
            ("2007-04-24", "newest-date"),
        ),
        (
            "Niederschrift über die öffentliche Sitzung des Rates am 24.02.2025\n\n"
            "TOP 1 Genehmigung der Niederschrift vom 25.11.2024\n",
            "minutes",
            {},
            ("2025-02-24", "phrase:Sitzung"),
        ),
        (
            "Genehmigung der Niederschriften vom 25.11.2024\nRat der Stadt - 24.02.2025 - Beschluss\n"
            "Rat der Stadt - 24.02.2025 - Kenntnisnahme\n",
            "minutes",
            {},
            ("2025-02-24", "first-date"),
        ),
        ("Abschlussbericht\n\nDezember 2010\n\nInhaltsverzeichnis", "report", {}, ("2010-12", "first-date")),
        ("Bericht\n\nStand: 24.04.07\n", "report", {}, ("2007-04-24", "label:Stand")),
        (
            "Bericht\n\nNach dem Gesetz vom 1. Januar 2004 gilt Folgendes. Im März 2010 wurde beschlossen.",
            "report",
            {},
            ("2010-03", "first-date"),
        ),
        ("Gutachten\n\nKarlsruhe, 12. März 2010\n", "report", {}, ("2010-03-12", "place-date")),
        ("Übersicht\n\nZeitraum 10.04.2013 - 12.04.2014", "other", {}, ("2013-04-10", "first-date")),
        # events after the file was written are announcements, not the document's date
        (
            "Einladung\n\nDie Veranstaltung am 5. Mai 2014 ...",
            "other",
            {"info": {"created": "D:20130401120000"}},
            ("2013-04-01", "info:created"),
        ),
        (
            "Kein Datum hier.",
            "other",
            {"fmt": "html", "info": {"date": "2012-05-01", "created": "2010-01-01"}},
            ("2012-05-01", "info:date"),
        ),
        (
            "Kein Datum hier.",
            "other",
            {"source_name": "public/20220428RegioBramfeld.pdf"},
            ("2022-04-28", "name"),
        ),
        ("Kein Datum hier.", "other", {"info": {"created": "1970-01-01"}}, (None, None)),
        ("Die Sitzung ist am 13.05.2099.", "other", {}, (None, None)),
    ],
)
def test_find_document_date(text: str, doctype: str, kwargs: dict, expected: tuple) -> None:
    info = kwargs.pop("info", {})
    assert find_document_date(text, info, doctype=doctype, today=TODAY, **kwargs) == expected


def test_ortschaftsrat_label_dates_a_stacked_cover() -> None:
    text = (
        "Stadt Karlsruhe\nOrtsverwaltung\n\nOrtschaftsrat am:    12. Februar 2008\n\nVorlage Nr.:     147\n"
    )
    assert find_document_date(text, {}, doctype="council_paper", today=TODAY) == (
        "2008-02-12",
        "label:Termin",
    )


def test_prose_vom_at_a_line_start_is_not_a_header() -> None:
    text = (
        "Beschlussvorlage\nGremien Termin TOP\nGemeinderat 23.01.2024 8\n\nEntlastung für das Geschäftsjahr\n"
        "vom 1. Januar 2021 bis 31. Dezember 2021 erteilt.\n"
    )
    assert find_document_date(text, {}, doctype="council_paper", meetings=["2024-01-23"], today=TODAY) == (
        "2024-01-23",
        "beratungsfolge",
    )


@pytest.mark.parametrize(
    ("seed", "doctype", "expected"),
    [
        ("001_", "council_paper", ("2013-04-10", "label:Datum")),
        ("002_", "project_description", ("2016-10", "laufzeit-start")),
        ("003_", "conference_report", ("2003-12-05", "phrase:event")),
        ("004_", "web_page", ("2007-04-24", "newest-date")),
    ],
)
def test_seed_dates(seed: str, doctype: str, expected: tuple) -> None:
    paths = sorted(SEEDS.glob(f"{seed}*.txt")) if SEEDS.is_dir() else []
    if not paths:
        pytest.skip("shared seeds not available")
    text = paths[0].read_text(encoding="utf-8")
    assert find_document_date(text, {}, doctype=doctype, today=TODAY) == expected
