"""Search end to end through the CLI on the demo corpus: German matching, filters, JSON, typos, errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from clustermine.cli import cli
from tests.conftest import REPO


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("search-home")
    result = CliRunner().invoke(cli, ["--home", str(home), "add", str(REPO / "demo" / "corpus")])
    assert result.exit_code == 0, result.stderr
    return home


def invoke(home, *args: str, expect: int = 0):
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    assert result.exit_code == expect, result.output + (result.stderr or "")
    return result


def search_json(home, *args: str) -> dict:
    return json.loads(invoke(home, "search", *args, "--json").stdout)


def test_json_contract(demo_home) -> None:
    result = search_json(demo_home, "Clusterförderung")
    assert result["total"] > 0 and set(result["facets"]) >= {"doctype", "year", "region", "cluster", "program"}
    hit = result["hits"][0]
    assert set(hit) >= {"id", "source", "title", "doctype", "date", "score", "snippet"}
    assert "[[" in hit["snippet"]


def test_inflected_and_ascii_spellings_find_the_same_documents(demo_home) -> None:
    umlaut = {h["id"] for h in search_json(demo_home, "Münsterland", "-n", "50")["hits"]}
    ascii_ = {h["id"] for h in search_json(demo_home, "Muensterland", "-n", "50")["hits"]}
    assert umlaut and umlaut == ascii_


def test_filters_as_options(demo_home) -> None:
    result = search_json(demo_home, "Cluster", "--type", "council_paper", "--years", "2005-2012")
    assert result["hits"] and all(h["doctype"] == "council_paper" for h in result["hits"])
    assert all(2005 <= int(h["date"][:4]) <= 2012 for h in result["hits"])
    ruhr = search_json(demo_home, "--region", "Ruhrgebiet", "-n", "100")
    assert ruhr["total"] >= 5


def test_typo_is_corrected(demo_home) -> None:
    result = search_json(demo_home, "Gesundheitswirtschat")
    assert result["corrected_from"] == "Gesundheitswirtschat" and result["total"] > 0
    assert "showing results for" in invoke(demo_home, "search", "Gesundheitswirtschat").stdout


def test_human_output_and_explain(demo_home) -> None:
    out = invoke(demo_home, "search", "Förderung", "--explain", "-n", "3").stdout
    assert "results for „Förderung“" in out and "?" in out


def test_bad_query_is_a_clear_error(demo_home) -> None:
    result = invoke(demo_home, "search", 'regoin:Ruhr "offen', expect=1)
    assert result.stderr.startswith("Error:") and "Traceback" not in result.stderr


def test_similar(demo_home) -> None:
    first = search_json(demo_home, "MedEcon")["hits"][0]["id"]
    similar = json.loads(invoke(demo_home, "similar", first, "--json").stdout)
    assert similar["hits"] and first not in {h["id"] for h in similar["hits"]}


def test_remove_updates_the_index(demo_home, tmp_path) -> None:
    import shutil

    home = tmp_path / "copy"
    shutil.copytree(demo_home, home)
    hit = search_json(home, "MedEcon")["hits"][0]["id"]
    invoke(home, "remove", hit)
    assert hit not in {h["id"] for h in search_json(home, "MedEcon", "--all-versions")["hits"]}


def test_words_that_never_meet_fall_back_to_any_word(demo_home) -> None:
    strict = search_json(demo_home, "MedEcon", "Lausitz")
    assert strict["any_words"] is True and strict["total"] > 0
    assert search_json(demo_home, "MedEcon")["any_words"] is False
    assert search_json(demo_home, "MedEcon NOT Ruhr OR Lausitz")["any_words"] is False


def test_index_from_another_version_is_rebuilt_by_search(demo_home, tmp_path) -> None:
    import shutil

    home = tmp_path / "old"
    shutil.copytree(demo_home, home)
    for meta in (home / "index").glob("gen-*/meta.json"):
        data = json.loads(meta.read_text())
        data["analysis_version"] = "0-old"
        meta.write_text(json.dumps(data))
    result = CliRunner().invoke(cli, ["--home", str(home), "search", "MedEcon", "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["total"] > 0 and "Building the search index" in result.stderr
