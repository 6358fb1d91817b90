"""Entities end to end through the CLI: found when adding, shown per document, counted, extended by users."""

from __future__ import annotations

from pathlib import Path

import pytest

PAPER = """Kreis Mettmann – Der Landrat
Vorlagen-Nr. 80/021/2014
Datum: 12.03.2014

Betreff: Clusterförderung im Kreis Mettmann

Beschlussvorschlag:
Der Ausschuss beauftragt die Verwaltung, die Mitgliedschaft im Clusterverein BioRiver fortzusetzen und
mit der Stadt Düsseldorf sowie dem Bergischen Städtedreieck Projekte aus dem EFRE-Programm vorzubereiten.

Sachverhalt:
Die Unternehmen des Kreises Mettmann sind in der Gesundheitswirtschaft und im Maschinenbau stark. In
Velbert und Heiligenhaus prägt die Schließtechnik die Wirtschaft. Mittel aus der Ziel-2-Förderung flossen
bis 2006 in den Technologietransfer; die IHK Düsseldorf unterstützt das Vorhaben.
"""

PROJECT = """Projektname: Wasserstoff im Revier
Laufzeit: 01/2021 – 12/2023
Projektpartner: Institut Arbeit und Technik; Stadt Gelsenkirchen

Das Projekt untersucht, wie Unternehmen im Ruhrgebiet vom Strukturstärkungsgesetz profitieren. Im Rahmen
des Wettbewerbs im Rheinischen Revier entstand das Netzwerk H2-Region Emscher-Lippe.
"""


@pytest.fixture
def corpus(run, tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "vorlage.txt").write_text(PAPER, encoding="utf-8")
    (folder / "projekt.txt").write_text(PROJECT, encoding="utf-8")
    run("add", folder)
    return {"paper": "vorlage.txt", "project": "projekt.txt"}


def doc_id(run_json, name: str) -> str:
    return next(r["id"] for r in run_json("ls") if r["source"].endswith(name))


def test_show_entities_normalises_inflected_forms(run_json, corpus) -> None:
    shown = run_json("show", doc_id(run_json, corpus["paper"]), "--entities")
    assert ("CLUSTER", "cl-in-bioriver") in {(e["kind"], e["id"]) for e in shown["entities"]}
    mettmann = [e for e in shown["entities"] if e["kind"] == "REGION" and "Mettmann" in e["canonical"]]
    assert {e["text"] for e in mettmann} >= {"Kreis Mettmann", "Kreises Mettmann"}
    assert len({e["canonical"] for e in mettmann}) == 1 and mettmann[0]["id"] == "ks-05158"
    programs = {e["canonical"] for e in shown["entities"] if e["kind"] == "PROGRAM"}
    assert {"Ziel 2", "Europäischer Fonds für regionale Entwicklung"} <= programs
    ziel = next(e for e in shown["entities"] if e["canonical"] == "Ziel 2")
    assert ziel["text"] == "Ziel-2-Förderung"
    for entity in shown["entities"]:
        assert set(entity) >= {"kind", "text", "canonical", "start", "end"}
        assert entity["text"] in entity["sentence"]


def test_show_entities_human_output(run, run_json, corpus) -> None:
    out = run("show", doc_id(run_json, corpus["paper"]), "--entities").stdout
    assert "region:" in out and "BioRiver" in out


def test_entities_command_counts_and_filters(run_json, corpus) -> None:
    rows = run_json("entities", "--kind", "REGION")
    assert rows and all(r["kind"] == "REGION" for r in rows)
    assert all(set(r) == {"kind", "canonical", "id", "documents", "mentions"} for r in rows)
    by_name = {r["canonical"]: r for r in rows}
    assert by_name["Ruhrgebiet"]["documents"] == 1
    assert run_json("entities", "--years", "1990-1995") == []
    assert all(r["kind"] == "PROGRAM" for r in run_json("entities", "--kind", "program", "--type", "council_paper"))


def test_user_gazetteer_applies_without_reingesting(run, run_json, corpus, tmp_path: Path) -> None:
    extra = tmp_path / "netzwerke.tsv"
    extra.write_text("kind\tcanonical\taliases\nCLUSTER\tSchließtechnik-Netzwerk Velbert\tSchließtechnik\n",
                     encoding="utf-8")
    result = run("rebuild", "--gazetteer", extra)
    assert "documents annotated" in result.stdout
    names = {r["canonical"] for r in run_json("entities", "--kind", "CLUSTER")}
    assert "Schließtechnik-Netzwerk Velbert" in names
    again = run_json("rebuild")  # nothing out of date any more
    assert again["annotated"] == 0


def test_broken_gazetteer_is_refused_clearly(run, corpus, tmp_path: Path) -> None:
    bad = tmp_path / "kaputt.tsv"
    bad.write_text("kind\tcanonical\taliases\nSTADT\tMusterstadt\t\n", encoding="utf-8")
    result = run("rebuild", "--gazetteer", bad, expect=1)
    assert result.stderr.startswith("Error:") and "kaputt.tsv" in result.stderr


def test_persons_are_off_by_default(run_json, tmp_path: Path, run) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "a.txt").write_text("Herr Bürgermeister Dr. Hans Beispiel eröffnet die Sitzung in Dortmund. " * 3,
                                  encoding="utf-8")
    run("add", folder)
    assert run_json("entities", "--kind", "PERSON") == []
    run("rebuild", "--persons")
    assert run_json("entities", "--kind", "PERSON")
