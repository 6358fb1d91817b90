"""End to end through the CLI: add a folder of real-looking documents, list, show, re-run, change, remove."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tools.officegen import make_docx
from tools.pdfgen import make_pdf

COUNCIL_PAPER = """Kreis Mettmann
Der Landrat

Vorlagen-Nr. 80/017/2013
öffentlich
Fachbereich: Amt für Wirtschaftsförderung und Planung
Datum: 10.04.2013

Beratungsfolge	Termine	Art der Entscheidung
Ausschuss für Wirtschaftsförderung und Tourismus	13.05.2013	Beschluss

Betreff: Clusterförderung im Kreis Mettmann – Zukünftige Aktivitäten

Beschlussvorschlag:
Die Verwaltung wird beauftragt, ihre Aktivitäten im Bereich der Clusterförderung auf die Handlungsfelder
Fachkräftesicherung und regionale Kooperationen im Bergischen Städtedreieck zu konzentrieren.

Sachverhalt:
Der Ausschuss hat im Februar über die Ergebnisse der Clusterarbeit beraten. Die Mitgliedschaft in den
Clustervereinen BioRiver und Schlüsselregion hat sich bewährt und soll fortgesetzt werden.

Finanzielle Auswirkungen:
Keine.
"""

PROJECT = [
    ("h", "Bottrop 2018plus – Wirtschaftsförderung im Strukturwandel"),
    "Laufzeit: 10/2016 – 09/2019",
    "Projektpartner: Stadt Bottrop – Amt für Wirtschaftsförderung; Institut Arbeit und Technik",
    "Projektleitung: Dr. Anna Beispiel",
    "Im Projekt werden mit Akteuren vor Ort neue Formen der Wirtschaftsförderung erforscht und in Reallaboren "
    "erprobt. Die Schließung des letzten Bergwerks im Ruhrgebiet markiert einen Wendepunkt des Strukturwandels.",
]

WEB_PAGE = """<!DOCTYPE html><html lang="de"><head><meta charset="windows-1252">
<title>Clusterkonferenz Münsterland | Wirtschaftsförderung</title>
<meta name="date" content="2019-11-05"></head><body>
<nav class="menu"><a href="/">Startseite</a> <a href="/kontakt">Kontakt</a></nav>
<main><h1>Clusterkonferenz Münsterland</h1>
<p>Über 200 Teilnehmerinnen und Teilnehmer diskutierten in Münster über die Zukunft der Kunststoffbranche
und die Rolle der Netzwerke für kleine und mittlere Unternehmen. Die Veranstaltung wurde aus Mitteln des
EFRE gefördert.</p></main>
<footer>Impressum · Datenschutz</footer></body></html>"""

REPORT_BLOCKS = [
    ("h", "Evaluation des Clustermanagements Logistik.NRW"),
    ("h", "Inhaltsverzeichnis"),
    "1 Zusammenfassung 2 Vorgehen 3 Ergebnisse",
    ("h", "1 Zusammenfassung"),
    "Die Studie bewertet die Arbeit des Clustermanagements in den Jahren 2009 bis 2012. Die Zahl der "
    "beteiligten Unternehmen ist deutlich gestiegen; die Kooperation mit den Hochschulen ist ausbaufähig.",
    ("h", "2 Vorgehen"),
    "Grundlage sind Interviews mit 40 Unternehmen und eine Auswertung der Projektdatenbank.",
]


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "Dokumente"
    folder.mkdir()
    (folder / "vorlage_80-017-2013.txt").write_text(COUNCIL_PAPER, encoding="utf-8")
    project = make_docx(PROJECT, title="Bottrop 2018plus", author="IAT", created="2016-09-20T10:00:00Z")
    (folder / "bottrop.docx").write_bytes(project)
    (folder / "konferenz.html").write_bytes(WEB_PAGE.encode("cp1252"))
    make_pdf(folder / "evaluation.pdf", REPORT_BLOCKS, title="Evaluation Logistik.NRW", author="RWI",
             creation_date="D:20130301120000")
    (folder / "Bild.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))  # skipped in folders: not a document
    return folder


def test_add_list_show_round_trip(run, run_json, docs: Path) -> None:
    result = run("add", docs)
    assert "4 added" in result.stdout and "0 failed" in result.stdout
    rows = run_json("ls")
    assert {r["doctype"] for r in rows} >= {"council_paper", "project_description"}
    by_name = {Path(r["source"]).name: r for r in rows}
    paper = run_json("show", by_name["vorlage_80-017-2013.txt"]["id"][:6])
    assert paper["doctype"] == "council_paper" and paper["date"] == "2013-04-10"
    assert paper["council"]["number"] == "80/017/2013"
    assert "beschlussvorschlag" in {s["name"] for s in paper["sections"]}
    assert paper["source"].endswith("vorlage_80-017-2013.txt")
    web = run_json("show", by_name["konferenz.html"]["id"], "--text")
    assert "Münsterland" in web["text"] and "Impressum" not in web["text"]
    project = run_json("show", by_name["bottrop.docx"]["id"])
    assert project["date"] == "2016-10"
    pdf = run_json("show", by_name["evaluation.pdf"]["id"], "--text")
    assert pdf["format"] == "pdf" and "Clustermanagements" in pdf["text"]


def test_rerun_is_incremental_and_changes_replace_old_versions(run, run_json, docs: Path, tmp_path: Path) -> None:
    run("add", docs)
    again = run_json("add", docs)
    assert again["counts"] == {"added": 0, "updated": 0, "unchanged": 4, "failed": 0}

    paper = docs / "vorlage_80-017-2013.txt"
    old_id = next(r["id"] for r in run_json("ls") if r["source"] == str(paper))
    paper.write_text(COUNCIL_PAPER.replace("Keine.", "Rund 25.000 € jährlich."), encoding="utf-8")
    changed = run_json("add", docs)
    assert changed["counts"]["updated"] == 1 and changed["counts"]["unchanged"] == 3
    ids = {r["id"] for r in run_json("ls")}
    assert old_id not in ids and len(ids) == 4

    copy = tmp_path / "Kopie der Vorlage.txt"
    shutil.copy(paper, copy)
    dup = run_json("add", copy)
    assert dup["counts"]["unchanged"] == 1 and dup["files"][0]["duplicate_of"] == str(paper)
    assert len(run_json("ls")) == 4
    assert str(copy) in run_json("show", dup["files"][0]["doc_id"])["sources"]


def test_overrides_and_remove(run, run_json, docs: Path) -> None:
    run("add", docs / "evaluation.pdf", "--type", "other", "--date", "05.03.2013")
    doc = run_json("ls")[0]
    assert doc["doctype"] == "other" and doc["date"] == "2013-03-05"
    shown = run_json("show", doc["id"])
    assert shown["doctype_rule"] == "user" and shown["date_rule"] == "user"
    run("remove", doc["id"][:8])
    assert run_json("ls") == []
    assert run_json("stats")["documents"] == 0


def test_usage_errors_exit_2(run, docs: Path) -> None:
    assert "Invalid value" in run("add", docs, "--date", "31.02.2013", expect=2).stderr
    run("add", docs, "--type", "novel", expect=2)
    run("add", expect=2)


def test_missing_corpus_is_a_clear_error(run) -> None:
    result = run("ls", expect=1)
    assert result.stderr.startswith("Error: no corpus found") and "Hint:" in result.stderr


def test_show_unknown_id(run, docs: Path) -> None:
    run("add", docs)
    assert "no document with id" in run("show", "ffffffff", expect=1).stderr


def test_stats_and_human_output(run, docs: Path) -> None:
    run("add", docs)
    out = run("stats").stdout
    assert "documents:   4" in out and "council_paper 1" in out
    table = run("ls").stdout.splitlines()
    assert table[0].split()[:4] == ["ID", "DATE", "DOCTYPE", "FORMAT"] and len(table) == 5


def test_python_dash_m_works() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "clustermine", "--help"], capture_output=True, text=True, check=True)
    assert "Commands:" in out.stdout and "add" in out.stdout
