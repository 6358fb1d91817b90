"""``trends`` and ``concordance`` end to end: add real files, ask as a researcher would, check what comes out."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner

from clustermine.cli import cli

DOCS = {
    "v2001.txt": """Stadt Bochum – Beschlussvorlage
Datum: 12.03.2001

Betreff: Kompetenzfelder der Wirtschaftsförderung

Die Stadt Bochum konzentriert ihre Wirtschaftsförderung auf wenige Kompetenzfelder. Das Kompetenzfeld
Gesundheitswirtschaft gilt als besonders aussichtsreich. Die Kompetenzfeldanalyse wurde vorgelegt.
""",
    "v2003.txt": """Stadt Dortmund – Beschlussvorlage
Datum: 04.06.2003

Betreff: Kompetenzfeld Logistik

Die Verwaltung schlägt vor, das Kompetenzfeld Logistik zu stärken. Im Kompetenzfeld arbeiten viele Betriebe.
Ein erster Cluster entsteht am Hafen.
""",
    "v2009.txt": """Stadt Bochum – Beschlussvorlage
Datum: 15.09.2009

Betreff: Clusterpolitik in der Gesundheitswirtschaft

Die Clusterpolitik des Landes setzt auf Cluster. Die Cluster der Gesundheitswirtschaft wachsen. Das
Clustermanagement berichtet jährlich. Den Clustern fehlen Fachkräfte.
""",
    "v2012.txt": """Stadt Dortmund – Niederschrift über die Sitzung des Wirtschaftsausschusses
Datum: 20.11.2012

Der Ausschuss berät über die Cluster der Region. Die regionale Wirtschaftsförderung unterstützt das
Clustermanagement. Ein Cluster für Logistik wurde gegründet.
""",
    "v2020.txt": """Kreis Düren – Beschlussvorlage
Datum: 02.02.2020

Betreff: Wasserstoff im Revier

Der Kreis setzt auf Wasserstoff. Die Wasserstoffwirtschaft braucht Fachkräfte. Ein Cluster Wasserstoff
soll entstehen.
""",
    "ohne-datum.txt": """Notizen zur Clusterpolitik

Cluster und Kompetenzfelder werden oft verwechselt. Ein Cluster ist kein Kompetenzfeld.
""",
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One corpus for the whole module: adding files is the slow part."""
    root = tmp_path_factory.mktemp("cli-trends")
    folder = root / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    home = root / "home"
    result = CliRunner().invoke(cli, ["--home", str(home), "-q", "add", str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return home


def run(home: Path, *args: object, expect: int = 0):
    result = CliRunner().invoke(cli, ["--home", str(home), *map(str, args)], catch_exceptions=False)
    assert result.exit_code == expect, f"exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
    return result


def run_json(home: Path, *args: object):
    return json.loads(run(home, *args, "--json").stdout)


def by_period(rows: list[dict], term: str) -> dict[str, dict]:
    return {r["period"]: r for r in rows if r["term"] == term}


def test_json_rows_are_tidy(home: Path) -> None:
    rows = run_json(home, "trends", "Cluster", "Kompetenzfelder")
    required = {"term", "period", "count", "per_10k", "docs", "docs_in_period", "count_alone",
                "count_in_compounds", "tokens_in_period", "share_docs"}
    assert rows and all(required <= set(r) for r in rows)
    assert {r["term"] for r in rows} == {"Cluster", "Kompetenzfelder"}
    periods = [r["period"] for r in rows if r["term"] == "Cluster"]
    assert periods == [str(y) for y in range(2001, 2021)]  # every year, also those without documents
    cluster = by_period(rows, "Cluster")
    assert (cluster["2009"]["count_alone"], cluster["2009"]["count_in_compounds"]) == (3, 3)
    assert cluster["2009"]["per_10k"] == pytest.approx(6 / cluster["2009"]["tokens_in_period"] * 10_000, abs=1e-3)
    assert cluster["2005"]["docs_in_period"] == 0 and cluster["2005"]["per_10k"] is None
    kompetenz = by_period(rows, "Kompetenzfelder")
    assert (kompetenz["2001"]["count_alone"], kompetenz["2001"]["count_in_compounds"]) == (3, 1)  # with Betreff


def test_human_output_has_sparklines_table_and_thin_marks(home: Path) -> None:
    out = run(home, "trends", "Cluster", "Kompetenzfeld", "--bin", "10").stdout
    assert "2001-2009" in out and "2010-2019" in out and "2020" in out  # bins start at multiples of 10
    assert "PER_10K" in out and "IN_COMPOUNDS" in out and "DOCS_IN_PERIOD" in out
    assert "thin" in out
    assert any(ch in out for ch in "▁▂▃▄▅▆▇█_.-~=+*#")


def test_undated_only_on_request(home: Path) -> None:
    result = run(home, "trends", "Cluster", "--bin", "20")
    assert "undated" not in result.stdout and "1 undated document is left out" in result.stderr
    rows = run_json(home, "trends", "Cluster", "--bin", "20", "--include-undated")
    assert by_period(rows, "Cluster")["undated"]["count_alone"] == 2


def test_filters_and_query_select_documents(home: Path) -> None:
    rows = run_json(home, "trends", "Cluster", "--query", "Gesundheitswirtschaft", "--periods", "2001-2010")
    assert by_period(rows, "Cluster")["2001-2010"]["docs_in_period"] == 2
    rows = run_json(home, "trends", "Cluster", "--region", "Dortmund", "--periods", "2001-2020")
    assert by_period(rows, "Cluster")["2001-2020"]["docs_in_period"] == 2
    rows = run_json(home, "trends", "Cluster", "--years", "2009-2012")
    assert [r["period"] for r in rows] == ["2009", "2010", "2011", "2012"]


def test_by_region_rolls_up(home: Path) -> None:
    rows = run_json(home, "trends", "Cluster", "--by", "region", "--top", "3")
    assert len(rows) == 3 and rows[0]["period"] == "Nordrhein-Westfalen" and rows[0]["level"] == "land"
    assert rows[0]["docs_in_period"] == 5 and rows[0]["region_id"] == "de-nw"
    out = run(home, "trends", "Cluster", "--by", "region", "--top", "3").stdout
    assert "REGION" in out and "LEVEL" in out


def test_by_doctype(home: Path) -> None:
    rows = run_json(home, "trends", "Wasserstoff", "--by", "doctype")
    assert sum(r["count"] for r in rows) == 4  # 3 alone (Betreff too) + Wasserstoffwirtschaft
    from clustermine.model import DOCTYPES

    assert {r["period"] for r in rows} <= set(DOCTYPES)


def test_prefix_and_phrase(home: Path) -> None:
    rows = run_json(home, "trends", "Cluster*", "regionale Wirtschaftsförderung", "--periods", "2001-2020")
    prefix = by_period(rows, "Cluster*")["2001-2020"]
    assert prefix["count_in_compounds"] is None and prefix["count"] == 11
    assert by_period(rows, "regionale Wirtschaftsförderung")["2001-2020"]["count"] == 1


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_writes_a_chart(home: Path, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"trend{suffix}"
    run(home, "trends", "Cluster", "Kompetenzfeld", "--bin", "5", "--plot", target)
    data = target.read_bytes()
    if suffix == ".png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24])[0] > 800
    else:
        svg = data.decode("utf-8")
        assert "Kompetenzfeld" in svg and "per 10,000 words" in svg and "2001–2004" in svg


def test_emerging(home: Path) -> None:
    rows = run_json(home, "trends", "--emerging", "--periods", "2001-2005,2006-2015,2016-2020", "--min-count", "2",
                    "--min-docs", "1")
    assert rows and all({"term", "period", "z", "direction", "count", "count_before", "delta", "new"} <= set(r)
                        for r in rows)
    later = {r["term"]: r for r in rows if r["period"] == "2006-2015"}
    assert later["Cluster"]["direction"] == "rising" and later["Cluster"]["z"] > 0
    assert later["Clustermanagement"]["new"]
    assert {r["direction"] for r in rows if r["period"] == "2001-2005"} == {"characteristic"}
    out = run(home, "trends", "--emerging", "--periods", "2001-2005,2006-2015,2016-2020", "--min-count", "2",
              "--min-docs", "1").stdout
    assert "compared with 2001-2005" in out and "rising" in out and "new:" in out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["trends"], 2, "give one or more terms"),
        (["trends", "Cluster", "--emerging"], 2, "not both"),
        (["trends", "Cluster", "--periods", "2015-2010"], 2, "ends before it starts"),
        (["trends", "Cluster", "--by", "region", "--bin", "5"], 2, "only go with --by year"),
        (["trends", "Cluster", "--plot", "chart.jpg"], 2, "must end in"),
        (["trends", "Cluster", "--by", "doctype", "--plot", "chart.png"], 2, "--by year"),
        (["trends", "Cluster", "--all-words"], 2, "only go with --emerging"),
        (["trends", "Cluster", "--min-count", "3"], 2, "only go with --emerging"),
        (["trends", "Cluster", "--top", "3"], 2, "--top goes with"),
        (["concordance", "Cluster", "--width", "5"], 2, "--width"),
        (["trends", "Clustr"], 1, "not found in the corpus"),
        (["trends", "die"], 1, "function word"),
        (["trends", "Cluster", "--query", "Raumfahrtbahnhof"], 1, "select no document"),
        (["trends", "--emerging", "--periods", "2001-2020"], 1, "at least two periods"),
        (["trends", "Cluster", "--periods", "1980-1985"], 1, "no selected document is dated in 1980-1985"),
        (["concordance", "Clustr"], 1, "not found in the corpus"),
    ],
)
def test_errors_say_what_to_do(home: Path, args: list[str], code: int, message: str) -> None:
    result = run(home, *args, expect=code)
    assert message in result.stderr and "Traceback" not in result.stderr


def test_unknown_term_suggests(home: Path) -> None:
    result = run(home, "trends", "Clustr", expect=1)
    assert "Error: „Clustr“ was not found in the corpus" in result.stderr and "Cluster" in result.stderr


def test_concordance_marks_forms_and_compounds(home: Path) -> None:
    data = run_json(home, "concordance", "Cluster")
    assert data["total"] == 14 and data["docs"] == 5 and data["shown"] == 14
    kinds = {(line["match"], line["kind"]) for line in data["lines"]}
    assert {("Cluster", "exact"), ("Clustern", "form"), ("Clusterpolitik", "compound")} <= kinds
    dates = [line["date"] for line in data["lines"]]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates[-1] is None  # by date, undated last
    for line in data["lines"]:
        assert set(line) >= {"doc_id", "date", "title", "left", "match", "right", "kind", "start", "end"}


def test_concordance_options(home: Path) -> None:
    data = run_json(home, "concordance", "Cluster", "--no-compounds", "--years", "2009-2012", "--width", "15",
                    "--limit", "3")
    assert data["shown"] == 3 and data["total"] == 5
    assert all(line["kind"] != "compound" and len(line["left"]) <= 15 for line in data["lines"])
    out = run(home, "concordance", "regionale", "Wirtschaftsförderung").stdout
    assert "regionale Wirtschaftsförderung" in out and "1 occurrence in 1 document" in out
    out = run(home, "concordance", "Kompetenzfeld", "--region", "Bochum").stdout
    assert "+ Kompetenzfeldanalyse" not in out and "Kompetenzfeldanalyse" in out and "~" in out
