"""The topic model finds the topics planted in a generated corpus (``tools/driftgen.py``), end to end.

150 documents (1995-2019), five planted topics of 20 nouns each written into filler sentences shared by all
topics, with document-type boilerplate, place names and trend terms on top. ``bench/eval_topics.py`` reports the
same measures on larger corpora and for more settings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bench.eval_topics import recovery
from clustermine.cli import cli
from clustermine.corpus import open_store
from clustermine.pipeline.topics import load_topics
from tools.driftgen import DriftTruth, generate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DriftTruth]:
    out = tmp_path_factory.mktemp("recovery")
    truth = generate(out / "gen", seed=0, years=(1995, 2019), docs_per_year=6)
    home = out / "home"
    result = CliRunner().invoke(cli, ["--home", str(home), "add", str(out / "gen" / "docs")])
    assert result.exit_code == 0, result.output
    return home, truth


def fit(home: Path, truth: DriftTruth, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["--home", str(home), "topics", "--json", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)
    with open_store(home) as store:
        model = load_topics(store)
        assert model is not None
        return recovery(store, model, truth)


def test_nmf_with_automatic_k_recovers_the_planted_topics(planted: tuple[Path, DriftTruth]) -> None:
    home, truth = planted
    scores = fit(home, truth)
    assert scores["documents"] == 150
    assert abs(scores["k"] - scores["planted_k"]) <= 1, scores
    assert scores["terms_min"] >= 6, scores  # every planted topic: >= 6 of its words in one fitted top 10
    assert scores["ari"] >= 0.85 and scores["nmi"] >= 0.85, scores


def test_lda_with_the_planted_k_recovers_most_of_them(planted: tuple[Path, DriftTruth]) -> None:
    home, truth = planted
    scores = fit(home, truth, "--method", "lda", "--k", str(len(truth.topics)))
    assert scores["k"] == 5 and scores["chosen_by"] == "user"
    assert sum(found >= 6 for found in scores["terms"].values()) >= 4, scores
    assert scores["ari"] >= 0.6 and scores["nmi"] >= 0.7, scores
