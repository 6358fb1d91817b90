"""Expanding files, folders and globs: stable order, loops cut, non-documents skipped, problems reported."""

from __future__ import annotations

import os
from pathlib import Path

from clustermine.corpus.sources import SourceFile, SourceProblem, WalkStats, expand_paths


def make_tree(root: Path) -> None:
    (root / "b").mkdir(parents=True)
    (root / "a.txt").write_text("x")
    (root / "b" / "c.pdf").write_bytes(b"%PDF")
    (root / "b" / "Bild.png").write_bytes(b"\x89PNG")
    (root / ".hidden.txt").write_text("x")
    (root / "Übersicht Förderung.html").write_text("<html></html>")
    (root / "ohne_endung").write_text("x")


def names(items) -> list[str]:
    return [Path(i.path).name for i in items if isinstance(i, SourceFile)]


def test_folder_walk_is_sorted_and_skips_non_documents(tmp_path: Path) -> None:
    make_tree(tmp_path)
    stats = WalkStats()
    found = list(expand_paths([tmp_path], stats=stats))
    assert names(found) == ["a.txt", "ohne_endung", "Übersicht Förderung.html", "c.pdf"]
    assert stats.skipped_other_types == 1 and stats.skipped_hidden == 1


def test_explicit_file_is_always_taken(tmp_path: Path) -> None:
    make_tree(tmp_path)
    assert names(expand_paths([tmp_path / "b" / "Bild.png"])) == ["Bild.png"]


def test_glob_and_missing_paths(tmp_path: Path) -> None:
    make_tree(tmp_path)
    found = list(expand_paths([str(tmp_path / "**" / "*.pdf"), str(tmp_path / "fehlt.pdf"), str(tmp_path / "*.xyz")]))
    assert names(found) == ["c.pdf"]
    problems = [p for p in found if isinstance(p, SourceProblem)]
    assert [p.reason for p in problems] == ["no such file or folder", "no files match this pattern"]


def test_symlink_loop_is_cut_and_files_come_once(tmp_path: Path) -> None:
    make_tree(tmp_path)
    os.symlink(tmp_path, tmp_path / "b" / "loop")
    stats = WalkStats()
    found = names(expand_paths([tmp_path, tmp_path / "a.txt"], stats=stats))
    assert found.count("a.txt") == 1
    assert stats.symlink_loops >= 1


def test_broken_symlink_is_reported(tmp_path: Path) -> None:
    os.symlink(tmp_path / "nowhere.pdf", tmp_path / "link.pdf")
    problems = [p for p in expand_paths([tmp_path]) if isinstance(p, SourceProblem)]
    assert problems and problems[0].reason == "broken symbolic link"


def test_excluded_folder_is_not_walked(tmp_path: Path) -> None:
    make_tree(tmp_path)
    assert names(expand_paths([tmp_path], exclude=[tmp_path / "b"])) == [
        "a.txt", "ohne_endung", "Übersicht Förderung.html"
    ]
