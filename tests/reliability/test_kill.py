"""kill -9 during ``add``, during indexing and during ``rebuild``, at random moments: the store stays intact after
every kill, and running the command again finishes the work with nothing lost and nothing doubled.

CI runs a few rounds per stage (``CLUSTERMINE_KILL_ROUNDS``, default 2; the seed in ``CLUSTERMINE_KILL_SEED``);
``python bench/kill_torture.py`` runs many more.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from tests.reliability.killing import reference_corpus, stages, torture, write_documents

ROUNDS = int(os.environ.get("CLUSTERMINE_KILL_ROUNDS", "2"))
SEED = int(os.environ.get("CLUSTERMINE_KILL_SEED", "20130410"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict, float]:
    root = tmp_path_factory.mktemp("kill")
    docs = root / "Vorlagen"
    write_documents(docs, 12)
    reference, seconds = reference_corpus(docs, root / "reference")
    assert len(reference["documents"]) == 12 and reference["indexed"] == sorted(reference["documents"])
    return docs, root / "reference", reference, seconds


@pytest.mark.parametrize("name", ["add", "index", "rebuild"])
def test_kill_nine_at_random_moments_loses_nothing(corpus, tmp_path: Path, name: str) -> None:
    docs, reference_home, reference, seconds = corpus
    stage = next(s for s in stages(docs) if s.name == name)
    home = tmp_path / "home"
    if name != "add":  # indexing and rebuild start from a complete corpus
        shutil.copytree(reference_home, home)
    rng = random.Random(f"{SEED}-{name}")
    result = torture(stage, home, reference, rounds=ROUNDS, longest=seconds, rng=rng)
    print(result.line())
    assert result.problems == []
    assert result.lost == []
    assert result.killed + result.finished_early == ROUNDS
