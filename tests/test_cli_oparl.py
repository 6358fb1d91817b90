"""``import-oparl`` end to end through the CLI: a test OParl server, its failures, dumps, and real Karlsruhe data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import shared_path
from tests.oparl_server import PaperSpec, World, serve

FAST = ("--rate", "0", "-j", "1")


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("clustermine.corpus.oparl.client.BACKOFF_SECONDS", 0.001)


@pytest.fixture
def world():
    with serve() as running:
        yield running


def main_document(run_json, paper: dict) -> dict:
    """The document of a paper that stands for the paper itself (its main file, or its metadata)."""
    docs = [run_json("show", doc_id) for doc_id in paper["doc_ids"]]
    return next(d for d in docs if d["doctype_rule"] == "oparl")


def test_import_show_search_and_incremental_reruns(run, run_json, world: World) -> None:
    data = run_json("import-oparl", world.url("system"), *FAST)
    assert data["counts"] == {"papers": {"new": 9, "updated": 0, "unchanged": 0, "failed": 0},
                              "files": {"downloaded": 9, "reused": 0, "failed": 0, "missing": 0}}
    assert data["bodies"] == ["Stadt Musterstadt", "Kreis Beispielkreis"] and data["requests"] > 0
    papers = {p["reference"]: p for p in data["papers"]}

    shown = main_document(run_json, papers["2023/0101"])
    assert (shown["doctype"], shown["doctype_rule"], shown["date"], shown["date_rule"]) == (
        "council_paper", "oparl", "2023-04-20", "oparl")
    assert shown["title"] == "Clusterförderung Gesundheitswirtschaft – Fortführung des Clustermanagements"
    council = shown["council"]
    assert (council["number"], council["paper_type"], council["body"], council["department"]) == (
        "2023/0101", "Beschlussvorlage", "Stadt Musterstadt", "Amt für Wirtschaftsförderung")
    assert [(c["committee"], c["date"], c["role"]) for c in council["consultations"]] == [
        ("Ausschuss für Wirtschaftsförderung und Tourismus", "2023-05-16", "Vorberatung"),
        ("Rat der Stadt Musterstadt", "2023-06-27", "Entscheidung")]
    assert shown["source"] == f"{world.base}/files/a/f101.pdf" and shown["info"]["web"] == f"{world.base}/vorgang/101"
    assert "beschlussvorschlag" in {s["name"] for s in shown["sections"]}
    no_files = main_document(run_json, papers["2023/0110"])
    assert no_files["format"] == "oparl" and no_files["council"]["paper_type"] == "Anfrage"
    human = run("show", no_files["id"]).stdout
    assert "paper number: 2023/0110" in human and "body:         Stadt Musterstadt" in human

    assert len(run_json("ls", "--type", "council_paper")) >= 9
    kreis = run_json("search", "Clusterförderung", "--type", "council_paper", "--body", "Beispielkreis")
    assert [h["council"]["number"] for h in kreis["hits"]] == ["KT/2023/015"]
    stadt = run_json("search", "Clusterförderung", "--body", "Stadt Musterstadt")
    assert stadt["total"] >= 1 and "KT/2023/015" not in {h["council"]["number"] for h in stadt["hits"]}

    world.log.clear()
    again = run("import-oparl", world.url("system"), *FAST)
    assert again.stdout.startswith("papers: 0 new, 0 updated, 0 unchanged, 0 failed")
    assert "only for papers changed since" in again.stderr
    assert not [p for p, _ in world.log if p.startswith("/files/")]

    world.paper("2024/0002").name = "Landeswettbewerb Innovationsregion – Neufassung"
    world.paper("2024/0002").modified = "2030-01-01T00:00:00+01:00"
    world.papers.append(PaperSpec("203", "1", "2024/0003", "Gründerzentrum Wasserstoff", "Antrag", "2024-03-01",
                                  "2030-01-01T00:00:00+01:00"))
    changed = run_json("import-oparl", world.url("system"), *FAST)
    assert changed["counts"]["papers"] == {"new": 1, "updated": 1, "unchanged": 0, "failed": 0}
    hits = run_json("search", "Neufassung", "--type", "council_paper")["hits"]
    assert [h["council"]["number"] for h in hits] == ["2024/0002"]
    assert run_json("search", "number:2024/0003")["hits"][0]["doctype"] == "council_paper"


def test_failures_are_reported_one_line_each(run, run_json, world: World) -> None:
    world.add_broken()
    world.behaviour.fail["/oparl/v1/bodies/1/papers"] = [429]
    world.behaviour.slow["/files/f202.pdf"] = 0.5
    result = run("import-oparl", world.url("system"), *FAST, "--timeout", "0.2", "--retries", "1", expect=1)
    lines = result.stderr.splitlines()
    failed = [line for line in lines if line.startswith("FAILED")]
    assert len(failed) == 5, result.stderr
    assert any("the paper has no id" in line for line in failed)
    assert any("expected a Paper object, got str" in line for line in failed)
    assert any("'Anlage 1 Lageplan' of paper 2024/0093" in line and "not found (HTTP 404)" in line for line in failed)
    assert any("web page or error message instead of the PDF" in line for line in failed)
    assert any("'Vorlage Landeswettbewerb'" in line and "no answer within 0.2 s, asked 2 times" in line
               and "raise --timeout" in line for line in failed)
    assert any(line.startswith("WARNING paper 2024/0093: date '31.02.2024'") for line in lines)
    assert "2 failed" in result.stdout and "3 failed" in result.stdout
    assert len(world.requests_to("/oparl/v1/bodies/1/papers")) == 1 + 4  # the 429 was asked again
    assert run_json("stats")["failures"] >= 5

    world.behaviour.slow.clear()
    world.paper("2024/0093").aux[0].broken = None
    world.paper("2024/0095").main.broken = None
    fixed = run_json("import-oparl", world.url("system"), *FAST)
    assert fixed["counts"]["files"] == {"downloaded": 3, "reused": 1, "failed": 0, "missing": 0}


def test_dump_on_disk_is_imported_offline(run, run_json, world: World, tmp_path: Path) -> None:
    dump = world.dump(tmp_path / "dump")
    world.log.clear()
    metadata = run_json("import-oparl", dump, "--no-files", "-j", "1")
    assert metadata["offline"] and metadata["requests"] == 0 and not world.log
    assert metadata["counts"]["papers"]["new"] == 9 and sum(metadata["counts"]["files"].values()) == 0
    assert {d["format"] for d in run_json("ls")} == {"oparl"}

    full = run_json("import-oparl", dump, "-j", "1")
    assert full["counts"] == {"papers": {"new": 0, "updated": 7, "unchanged": 2, "failed": 0},
                              "files": {"downloaded": 0, "reused": 9, "failed": 0, "missing": 0}}
    assert not world.log
    papers = {p["reference"]: p for p in full["papers"]}
    shown = main_document(run_json, papers["KT/2023/015"])
    assert shown["format"] == "pdf" and shown["council"]["body"] == "Kreis Beispielkreis"
    assert shown["council"]["consultations"][0] == {"committee": "Kreistag Beispielkreis", "date": "2023-05-16",
                                                    "role": "Entscheidung", "outcome": None}
    assert {d["format"] for d in run_json("ls")} == {"pdf", "oparl"}
    assert len([d for d in run_json("ls") if d["format"] == "oparl"]) == 2  # the two papers without files


def test_unusable_sources_are_clear_errors(run, tmp_path: Path) -> None:
    missing = run("import-oparl", tmp_path / "nothing-here", expect=1)
    assert missing.stderr.startswith("Error: ") and "does not exist" in missing.stderr and "Hint:" in missing.stderr
    (tmp_path / "empty.json").write_text("{}", encoding="utf-8")
    assert "no OParl Paper objects" in run("import-oparl", tmp_path / "empty.json", expect=1).stderr
    refused = run("import-oparl", "http://127.0.0.1:9/oparl/v1/system", "--retries", "0", expect=1)
    assert "cannot connect to 127.0.0.1:9" in refused.stderr
    run("import-oparl", "http://x.org", "--rate", "-1", expect=2)


def test_karlsruhe_dump_maps_reference_date_and_type(run_json) -> None:
    root = shared_path("karlsruhe")
    data = run_json("import-oparl", root, "--limit", "12", "-j", "1")
    assert data["offline"] and data["limit_reached"] and len(data["papers"]) == 12
    assert data["counts"]["papers"]["failed"] == 0
    for paper in data["papers"]:
        source = next(p for p in (root / "papers").glob("*.json")
                      if json.loads(p.read_text(encoding="utf-8"))["id"] == paper["id"])
        original = json.loads(source.read_text(encoding="utf-8"))
        shown = main_document(run_json, paper)
        assert shown["council"]["number"] == original["reference"]
        assert shown["council"]["paper_type"] == original["paperType"]
        assert shown["date"] == original["date"] and shown["date_rule"] == "oparl"
        assert shown["title"] == " ".join(original["name"].split())


def test_body_filter_is_a_council_filter() -> None:
    from clustermine.index import SearchFilters
    from clustermine.index.query import Filter

    filters = SearchFilters(bodies=("Stadt Karlsruhe", " "))
    assert filters.bodies == ("Stadt Karlsruhe",) and not filters.is_empty()
    assert filters.nodes() == [Filter("council", "Stadt Karlsruhe")]
