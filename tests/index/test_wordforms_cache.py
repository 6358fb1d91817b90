"""The stemmer's exception table is cached between processes, and a damaged cache only costs time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clustermine.index import wordforms


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    wordforms._exceptions.cache_clear()
    yield tmp_path / "clustermine"
    wordforms._exceptions.cache_clear()


def test_the_table_is_written_once_and_read_back_equal(cache_home: Path) -> None:
    built = wordforms._exceptions()
    files = list(cache_home.glob("stem-exceptions-*.json"))
    assert len(files) == 1
    wordforms._exceptions.cache_clear()
    assert wordforms._exceptions() == built
    assert built.nouns["staedte"] == "stadt"


def test_a_damaged_cache_is_rebuilt(cache_home: Path) -> None:
    wordforms._exceptions()
    (path,) = cache_home.glob("stem-exceptions-*.json")
    path.write_text("{not json", encoding="utf-8")
    wordforms._exceptions.cache_clear()
    assert wordforms._exceptions().nouns["staedte"] == "stadt"


def test_an_unwritable_cache_folder_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder should be
    wordforms._exceptions.cache_clear()
    try:
        assert wordforms._exceptions().nouns["staedte"] == "stadt"
    finally:
        wordforms._exceptions.cache_clear()
