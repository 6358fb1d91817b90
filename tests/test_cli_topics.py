"""``clustermine topics`` end to end on a small generated corpus with planted topics."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from clustermine.cli import cli
from tools.driftgen import generate

Run = Callable[..., Result]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 documents (2000-2009), added once, with a model fitted with the default settings."""
    out = tmp_path_factory.mktemp("topics-corpus")
    generate(out / "gen", seed=7, years=(2000, 2009), docs_per_year=6)
    home = out / "home"
    runner = CliRunner()
    result = runner.invoke(cli, ["--home", str(home), "add", str(out / "gen" / "docs"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["--home", str(home), "topics"])
    assert result.exit_code == 0, result.output
    return home


@pytest.fixture
def run_in(corpus: Path, tmp_path: Path) -> Callable[[bool], Run]:
    """``run_in(copy)`` → a CLI runner on the shared corpus, or (copy=True) on a private copy to change."""

    def make(copy: bool) -> Run:
        home = corpus
        if copy:
            home = tmp_path / "home"
            shutil.copytree(corpus, home)
        runner = CliRunner()

        def invoke(*args: object, expect: int | None = 0) -> Result:
            result = runner.invoke(cli, ["--home", str(home), *map(str, args)], catch_exceptions=False)
            if expect is not None:
                assert result.exit_code == expect, f"exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
            return result

        return invoke

    return make


def as_json(result: Result) -> dict:
    return json.loads(result.stdout)


def test_the_stored_model_is_shown_without_fitting_again(run_in: Callable[[bool], Run]) -> None:
    run = run_in(False)
    first = run("topics")
    assert "Fitted" not in first.stderr
    assert "chosen by coherence" in first.stdout
    data = as_json(run("topics", "--json"))
    model = data["model"]
    assert model["method"] == "nmf" and model["chosen_by"] == "coherence" and model["documents"] == 60
    assert [s["k"] for s in model["k_scores"]] == list(range(3, 13))
    assert model["k"] == len(data["topics"]) and 4 <= model["k"] <= 6
    assert data["status"] == {"new_documents": 0, "removed_documents": 0, "outdated": False}
    assert as_json(run("topics", "--json"))["model"]["id"] == model["id"]  # the same stored model


def test_topics_have_labels_weighted_terms_and_representative_documents(run_in: Callable[[bool], Run]) -> None:
    topics = as_json(run_in(False)("topics", "--json"))["topics"]
    assert [t["id"] for t in topics] == list(range(1, len(topics) + 1))
    assert [t["share"] for t in topics] == sorted((t["share"] for t in topics), reverse=True)
    assert sum(t["n_documents"] for t in topics) == 60
    for topic in topics:
        assert topic["label"] == ", ".join(topic["label"].split(", ")[:3]) and topic["label"].count(", ") == 2
        weights = [term["weight"] for term in topic["terms"]]
        assert weights == sorted(weights, reverse=True) and 0 < sum(weights) <= 1
        docs = topic["documents"]
        assert 1 <= len(docs) <= 5 and all(d["title"] and 2000 <= d["year"] <= 2009 for d in docs)
    labels = " ".join(t["label"] for t in topics)
    assert "Logistik" in labels or "Güterverkehr" in labels or "Hafen" in labels


def test_place_names_and_boilerplate_are_left_out_unless_kept(run_in: Callable[[bool], Run]) -> None:
    run = run_in(True)
    default_terms = {t["term"] for topic in as_json(run("topics", "--json"))["topics"] for t in topic["terms"]}
    places = {"Gelsenkirchen", "Münster", "Siegen", "Bielefeld", "Krefeld", "Wuppertal", "Emscher-Lippe",
              "Münsterland", "Niederrhein", "Kassel", "Oldenburg", "Cottbus", "Lausitz"}
    assert not default_terms & places
    assert not default_terms & {"Vorlagen-Nr", "Beratungsfolge", "TOP", "Laufzeit", "Projektpartner"}
    kept = run("topics", "--k", "8", "--keep-places", "--keep-boilerplate", "--json")
    assert "Fitting a new model" in kept.stderr
    kept_terms = {t["term"] for topic in as_json(kept)["topics"] for t in topic["terms"]}
    assert kept_terms & (places | {"Vorlagen-Nr", "Beratungsfolge", "TOP", "Laufzeit", "Projektpartner", "Uhr"})


def test_options_describe_the_model_and_refit_repeats_its_settings(run_in: Callable[[bool], Run]) -> None:
    run = run_in(True)
    result = run("topics", "--k", "4", "--method", "lda", "--json")
    assert "Fitted LDA with 4 topics (as asked)" in result.stderr
    model = as_json(result)["model"]
    assert (model["k"], model["method"], model["chosen_by"]) == (4, "lda", "user")
    assert len(model["k_scores"]) == 1
    shown = run("topics", "--json")  # no options: the stored LDA model
    assert "Fitted" not in shown.stderr and as_json(shown)["model"]["id"] == model["id"]
    refit = run("topics", "--refit", "--json")
    assert "Fitted LDA with 4 topics" in refit.stderr
    again = as_json(refit)["model"]
    assert again["id"] != model["id"] and again["fingerprint"] == model["fingerprint"]
    assert [t["label"] for t in as_json(refit)["topics"]] == [t["label"] for t in as_json(result)["topics"]]
    auto = as_json(run("topics", "--k", "auto", "--json"))["model"]  # back to the defaults
    assert (auto["method"], auto["chosen_by"]) == ("nmf", "coherence")


def test_a_documents_topic_shares(run_in: Callable[[bool], Run]) -> None:
    run = run_in(False)
    doc_id = as_json(run("topics", "--json"))["topics"][0]["documents"][0]["id"]
    data = as_json(run("topics", "--doc", doc_id[:8], "--json"))
    assert data["id"] == doc_id and data["in_model"] is True
    shares = [t["share"] for t in data["topics"]]
    assert shares == sorted(shares, reverse=True) and sum(shares) == pytest.approx(1.0, abs=0.01)
    assert data["topics"][0]["topic"] == 1 and data["topics"][0]["label"]
    text = run("topics", "--doc", doc_id).stdout
    assert doc_id in text and "█" in text and "%" in text


def test_prevalence_by_year_as_table_json_and_chart(run_in: Callable[[bool], Run], tmp_path: Path) -> None:
    run = run_in(False)
    data = as_json(run("topics", "--by-year", "--json"))
    years = data["years"]
    assert [y["year"] for y in years] == list(range(2000, 2010)) and data["undated"] == 0
    assert all(y["documents"] == 6 for y in years)
    for year in years:
        assert sum(year["weight"]) == pytest.approx(1.0, abs=0.01)
        assert sum(year["dominant"]) == pytest.approx(1.0, abs=0.01)
        assert len(year["weight"]) == len(data["topics"])
    text = run("topics", "--by-year").stdout
    assert "YEAR  DOCS" in text and "2009     6" in text and "DOCUMENTS (main topic)" in text
    chart = tmp_path / "topics.svg"
    result = run("topics", "--by-year", "--plot", chart)
    assert chart.exists() and "<svg" in chart.read_text(encoding="utf-8")[:500]
    assert "Chart written" in result.stderr
    run("topics", "--plot", tmp_path / "alone.png")  # --plot implies --by-year
    assert (tmp_path / "alone.png").stat().st_size > 1000


def test_added_and_removed_documents_are_reported(run_in: Callable[[bool], Run], tmp_path: Path) -> None:
    run = run_in(True)
    removed = as_json(run("topics", "--json"))["topics"][-1]["documents"][-1]["id"]
    run("remove", removed)
    new = tmp_path / "neu.txt"
    new.write_text("Logistik im Binnenhafen\n\nDer Binnenhafen und der Güterverkehr wachsen. Die Spedition und "
                   "die Kontraktlogistik brauchen Lagerflächen am Containerterminal. " * 5, encoding="utf-8")
    run("add", new)
    result = run("topics", "--json")
    assert as_json(result)["status"] == {"new_documents": 1, "removed_documents": 1, "outdated": False}
    assert "1 documents were added since" in result.stderr and "--refit" in result.stderr
    assert "1 documents of the model were removed" in result.stderr
    new_id = as_json(run("ls", "--json"))
    new_id = next(d["id"] for d in new_id if d["source"].endswith("neu.txt"))
    estimate = run("topics", "--doc", new_id, "--json")
    data = as_json(estimate)
    assert data["in_model"] is False and data["topics"]
    labels = {t["id"]: t["label"] for t in as_json(run("topics", "--json"))["topics"]}
    assert any(word in labels[data["topics"][0]["topic"]] for word in ("Logistik", "Hafen", "Güterverkehr",
                                                                        "Binnenhafen", "Spedition"))
    assert "estimated with the stored topics" in run("topics", "--doc", new_id).stdout
    refit = run("topics", "--refit", "--json")
    assert as_json(refit)["status"]["new_documents"] == 0 and as_json(refit)["model"]["documents"] == 60


def test_a_selection_by_filters_is_kept_with_the_model(run_in: Callable[[bool], Run]) -> None:
    run = run_in(True)
    result = run("topics", "--type", "council_paper", "--k", "2", "--json")
    model = as_json(result)["model"]
    assert model["settings"]["filters"] == {"doctypes": ["council_paper"]}
    assert 10 <= model["documents"] < 60
    assert "Documents: --type council_paper" in run("topics").stdout
    assert as_json(run("topics", "--refit", "--json"))["model"]["documents"] == model["documents"]


def test_errors_and_usage_errors(run_in: Callable[[bool], Run], tmp_path: Path) -> None:
    run = run_in(False)
    for args in (["--k", "1"], ["--k", "many"], ["--method", "pca"], ["--plot", tmp_path / "chart.txt"],
                 ["--doc", "abcd", "--by-year"]):
        result = run("topics", *args, expect=2)
        assert "Traceback" not in result.output
    nowhere = run("topics", "--plot", tmp_path / "no" / "such" / "folder.png", expect=1)
    assert nowhere.stderr.startswith("Error: the folder of the chart file")
    missing = run("topics", "--doc", "ffffffffff", expect=1)
    assert missing.stderr.startswith("Error: no document with id")
    nothing = run("topics", "--query", "Xylophonorchester", "--refit", expect=1)
    assert nothing.stderr.startswith("Error: the selection holds no documents")


def test_too_few_documents_say_how_many_are_needed(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i, topic in enumerate(["Logistik und Hafen", "Pflege und Kliniken", "Energie und Wasserstoff"]):
        (docs / f"d{i}.txt").write_text(f"{topic}\n\nDer Bericht behandelt {topic} in der Region.\n", "utf-8")
    runner = CliRunner()
    home = tmp_path / "home"
    assert runner.invoke(cli, ["--home", str(home), "add", str(docs)]).exit_code == 0
    result = runner.invoke(cli, ["--home", str(home), "topics"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: too few documents for a topic model: 3 documents (0 with terms that "
                                    "other documents share), 15 are needed (5 per topic)")
    assert "Hint:" in result.stderr and "Traceback" not in result.output
