"""A short fuzzing run of the readers in CI (``bench/fuzz_readers.py`` runs thousands): no crash, no hang."""

from __future__ import annotations

import os

import pytest

from tests.reliability.fuzzing import run_fuzz

FILES = int(os.environ.get("CLUSTERMINE_FUZZ_FILES", "80"))

pytestmark = pytest.mark.slow


def test_mutated_files_are_read_or_refused_clearly() -> None:
    report = run_fuzz(FILES, seed=int(os.environ.get("CLUSTERMINE_FUZZ_SEED", "7")), jobs=2, timeout=60)
    print(report.summary())
    assert report.tried == FILES
    assert report.crashes == []
    assert report.timeouts == []
    assert report.read + report.handled == FILES
