"""Shared fixtures: a CLI runner bound to a temporary corpus, and the location of ../shared."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from clustermine.cli import cli

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path inside ../shared, skipping the test when that folder is not there (e.g. outside this workplace)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "corpus-home"


@pytest.fixture
def run(home: Path) -> Callable[..., Result]:
    """Invoke the CLI against a fresh corpus home: ``run("add", folder)``."""
    runner = CliRunner()

    def invoke(*args: object, expect: int | None = 0) -> Result:
        result = runner.invoke(cli, ["--home", str(home), *map(str, args)], catch_exceptions=False)
        if expect is not None:
            assert result.exit_code == expect, f"exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
        return result

    return invoke


@pytest.fixture
def run_json(run: Callable[..., Result]) -> Callable[..., object]:
    def invoke(*args: object, expect: int | None = 0) -> object:
        return json.loads(run(*args, "--json", expect=expect).stdout)

    return invoke
