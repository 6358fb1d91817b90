"""The bundled demo corpus as a labelled set: ingested through the CLI, types and dates must match the labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO

DEMO = REPO / "demo"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    from click.testing import CliRunner

    from clustermine.cli import cli

    home = tmp_path_factory.mktemp("demo-home")
    runner = CliRunner()
    result = runner.invoke(cli, ["--home", str(home), "add", str(DEMO / "corpus"), "--json"])
    assert result.exit_code == 0, result.stderr
    listing = json.loads(runner.invoke(cli, ["--home", str(home), "ls", "--json"]).stdout)
    return {Path(row["source"]).name: row for row in listing}


def labels() -> list[dict]:
    return [json.loads(line) for line in (DEMO / "expected.jsonl").read_text(encoding="utf-8").splitlines()]


def test_demo_corpus_is_rendered_and_complete(ingested: dict[str, dict]) -> None:
    expected = labels()
    assert len(expected) >= 60
    assert {e["file"] for e in expected} == set(ingested)
    years = {int(e["date"][:4]) for e in expected}
    assert min(years) <= 1996 and max(years) >= 2024
    assert {Path(e["file"]).suffix for e in expected} == {".pdf", ".docx", ".odt", ".html", ".txt"}


def test_doctype_accuracy_on_demo_corpus(ingested: dict[str, dict]) -> None:
    expected = labels()
    right = [e["file"] for e in expected if ingested[e["file"]]["doctype"] == e["doctype"]]
    assert len(right) / len(expected) >= 0.95, sorted(set(e["file"] for e in expected) - set(right))


def test_date_accuracy_on_demo_corpus(ingested: dict[str, dict]) -> None:
    expected = labels()
    exact = sum(ingested[e["file"]]["date"] == e["date"] for e in expected)
    same_year = sum((ingested[e["file"]]["date"] or "")[:4] == e["date"][:4] for e in expected)
    assert exact / len(expected) >= 0.85
    assert same_year / len(expected) >= 0.95


def test_near_duplicate_pairs_are_found(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from clustermine.cli import cli

    runner = CliRunner()
    pairs = [("c13", "c14"), ("c27", "c28"), ("p15", "p16")]
    files = [str(p) for p in sorted((DEMO / "corpus").iterdir()) if p.name[:3] in {x for pair in pairs for x in pair}]
    files += [str(DEMO / "corpus" / n) for n in ("c01-dortmund-technologiezentrum-mikrosystemtechnik.pdf",)]
    home = tmp_path / "home"
    assert runner.invoke(cli, ["--home", str(home), "add", *files]).exit_code == 0
    found = json.loads(runner.invoke(cli, ["--home", str(home), "duplicates", "--json"]).stdout)
    titles = {(r["title"], r["other_title"]) for r in found}
    assert len(found) == 3, titles


def test_demo_corpus_matches_its_sources() -> None:
    """Every source is rendered and labelled (byte equality is left to ``demo/build.py --check``: PDF bytes may
    differ between reportlab releases)."""
    import sys

    sys.path.insert(0, str(DEMO))
    import build  # demo/build.py

    sources = sorted((DEMO / "sources").glob("*.txt"))
    rendered = {p.stem for p in (DEMO / "corpus").iterdir()}
    assert {s.stem for s in sources} == rendered
    for source, label in zip(sources, labels(), strict=True):
        fields, _ = build.parse_source(source)
        assert (label["doctype"], label["date"]) == (fields["doctype"], fields["date"])
