"""File names that are no UTF-8 or hold line breaks, and a word of 20,000 letters: found by the hostile corpus."""

from __future__ import annotations

import os
import time
from pathlib import Path

from clustermine.corpus.ingest import FileOutcome
from clustermine.corpus.paths import printable_path, real_path, storable_path
from tests.reliability.hostile import GOOD


def test_names_that_are_no_utf8_round_trip(tmp_path: Path) -> None:
    raw = os.path.join(os.fsencode(tmp_path), b"F\xf6rderung.txt")
    open(raw, "wb").close()
    name = os.fsdecode(raw)
    stored = storable_path(name)
    assert stored.endswith("F\\xf6rderung.txt")
    stored.encode("utf-8")  # what SQLite and JSON need
    assert real_path(stored) == name and os.path.exists(real_path(stored))
    assert storable_path(str(tmp_path / "Förderung.txt")) == str(tmp_path / "Förderung.txt")


def test_a_failure_line_stays_one_line() -> None:
    outcome = FileOutcome("/a/zeile\numbruch\t.txt", "failed", reason="file is empty (0 bytes)", hint="fetch it")
    assert outcome.line() == "/a/zeile\\numbruch\\t.txt: file is empty (0 bytes) — fetch it"
    assert printable_path("/a/b c.txt") == "/a/b c.txt"


def test_odd_names_are_added_once_and_found_unchanged_again(run, run_json, tmp_path: Path) -> None:
    folder = tmp_path / "Archiv"
    folder.mkdir()
    for i, name in enumerate([b"F\xf6rderung.txt", b"zeile\numbruch.txt", "Förderung (Entwurf).txt".encode()]):
        with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
            handle.write(f"{GOOD} Fassung {i}.".encode())
    first = run_json("add", folder)
    assert first["counts"]["added"] == 3
    again = run_json("add", folder)
    assert again["counts"] == {"added": 0, "updated": 0, "unchanged": 3, "failed": 0}
    assert run_json("check")["ok"] is True


def test_a_word_of_twenty_thousand_letters_is_not_split_for_minutes() -> None:
    from clustermine.pipeline.compounds import default_splitter

    started = time.monotonic()
    assert default_splitter()("y" * 20_000) == ("y" * 20_000,)
    assert time.monotonic() - started < 10
