"""``clustermine check [--repair]``: each kind of damage is found, named in one line, and repaired where it can be."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.killing import write_documents


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One corpus of four documents, added once; each test works on a copy of it."""
    from tests.reliability.killing import cli

    root = tmp_path_factory.mktemp("check-template")
    write_documents(root / "Vorlagen", 4, sentences=8)
    done = cli(root / "corpus-home", "add", root / "Vorlagen", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture
def docs(tmp_path: Path, template: Path) -> Path:
    shutil.copytree(template / "Vorlagen", tmp_path / "Vorlagen")
    for path in (tmp_path / "Vorlagen").iterdir():  # the dates the corpus recorded
        info = (template / "Vorlagen" / path.name).stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    return tmp_path / "Vorlagen"


@pytest.fixture
def added(docs: Path, home: Path, template: Path) -> Path:
    """The template corpus in this test's home, its source paths pointing at this test's copy of the files."""
    shutil.copytree(template / "corpus-home", home)
    conn = sqlite3.connect(home / "corpus.sqlite")
    for table, column in (("sources", "path"), ("documents", "source")):
        conn.execute(f"UPDATE {table} SET {column} = replace({column}, ?, ?)",
                     (str(template / "Vorlagen"), str(docs)))
    conn.commit()
    conn.close()
    return home


def codes(run_json, *args: str, expect: int = 1) -> set[str]:
    report = run_json("check", *args, expect=expect)
    return {f["code"] for f in report["remaining"]}


def test_a_sound_corpus_is_ok(run, run_json, added: Path) -> None:
    result = run("check")
    assert "OK: no problems found" in result.stdout and "4 documents" in result.stdout
    report = run_json("check")
    assert report["ok"] is True and report["remaining"] == [] and report["checked"]["indexed"] == 4
    assert set(report) == {"home", "ok", "repair", "checked", "findings", "remaining"}


def test_index_damage_is_found_and_repaired(run, run_json, added: Path) -> None:
    index = added / "index"
    current = (index / "CURRENT").read_text().strip()
    (index / "gen-000099").mkdir()  # a rebuild killed before its switch
    (index / "CURRENT.tmp").write_text("gen-000099\n")
    (index / current / f"MAIN_deadbeef{0:08d}.trm").write_bytes(b"half a segment")  # an update killed mid-commit
    conn = sqlite3.connect(added / "corpus.sqlite")
    conn.execute("DELETE FROM documents WHERE id = (SELECT MIN(id) FROM documents)")  # FKs off: rows stay behind
    conn.commit()
    conn.close()
    found = codes(run_json)
    assert found == {"store.orphan_rows", "index.extra", "index.generations", "index.debris"}
    result = run("check", expect=1)
    assert "check --repair" in result.stdout
    assert all(line.count("\n") == 0 for line in result.stdout.splitlines())
    repaired = run("check", "--repair")
    assert "repaired:" in repaired.stdout and "OK: no problems left" in repaired.stdout
    assert codes(run_json, expect=0) == set()
    assert not (index / "gen-000099").exists() and not (index / "CURRENT.tmp").exists()


def test_missing_pointer_rebuilds_the_index(run, run_json, added: Path) -> None:
    (added / "index" / "CURRENT").unlink()
    assert codes(run_json) == {"index.pointer", "index.generations"}
    run("check", "--repair")
    assert run_json("search", "Wirtschaftsförderung")["total"] == 4


def test_store_ahead_of_the_index_is_synced(run, run_json, added: Path, docs: Path) -> None:
    from clustermine.corpus import add_paths, entity_settings, open_store

    extra = docs.parent / "neu"
    write_documents(extra, 1, seed=9, sentences=5)
    (extra / "vorlage_000.txt").rename(extra / "nachtrag.txt")
    with open_store(added) as store:  # stored, but the index was not synced (as after a kill)
        add_paths(store, [str(extra)], jobs=1, entities=entity_settings(store))
    assert codes(run_json) == {"index.missing"}
    run("check", "--repair")
    assert codes(run_json, expect=0) == set()


def test_changed_touched_and_missing_files(run, run_json, added: Path, docs: Path, tmp_path: Path) -> None:
    files = sorted(docs.iterdir())
    with open(files[0], "a", encoding="utf-8") as handle:
        handle.write("Nachtrag: die Förderung wird verlängert.\n")
    os.utime(files[1], (time.time() - 3600, time.time() - 3600))
    moved = tmp_path / "anderswo"
    moved.mkdir()
    shutil.move(str(files[2]), moved / files[2].name)
    assert codes(run_json) == {"sources.changed", "sources.touched", "sources.missing"}
    assert codes(run_json, "--hash") == {"sources.changed", "sources.touched", "sources.missing"}
    result = run("check", "--repair", expect=1)  # a file that is gone is the user's call
    assert "read 1 file(s) again" in result.stdout and "recorded the new dates of 1 file(s)" in result.stdout
    assert "add them from the new place" in result.stdout
    assert codes(run_json) == {"sources.missing"}
    run("add", moved)  # the same content found at its new place: the old path can go
    run("check", "--repair")
    assert codes(run_json, expect=0) == set()
    assert len(run_json("ls")) == 4


def test_outdated_entities_and_term_counts(run, run_json, added: Path) -> None:
    conn = sqlite3.connect(added / "corpus.sqlite")
    conn.execute("UPDATE documents SET entities_fingerprint = 'old' WHERE id = (SELECT MIN(id) FROM documents)")
    terms = conn.execute("SELECT COUNT(*) FROM doc_terms").fetchone()[0]
    conn.execute("UPDATE doc_terms SET fingerprint = 'old'")
    conn.commit()
    conn.close()
    expected = {"store.entities", "index.changed"} | ({"store.terms"} if terms else set())
    assert codes(run_json) == expected
    run("check", "--repair")
    assert codes(run_json, expect=0) == set()


def test_stale_lock_of_orphaned_readers_is_released(run, run_json, added: Path) -> None:
    # the process that takes the lock forks a "reader" and dies: the reader keeps the lock, as after kill -9
    script = (
        "import fcntl, os, sys, time\n"
        "handle = open(sys.argv[1], 'a+'); fcntl.flock(handle, fcntl.LOCK_EX)\n"
        "if os.fork() == 0:\n    time.sleep(600); os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(added / "write.lock")], check=True, timeout=60)
    busy = run("add", added.parent / "Vorlagen", expect=1)
    assert "is busy" in busy.stderr
    report = run_json("check", expect=1)
    [lock] = [f for f in report["remaining"] if f["code"] == "locks.stale"]
    assert "leftover reader processes of a killed run" in lock["message"]
    repaired = run("check", "--repair")
    assert "ended leftover process" in repaired.stdout
    run("add", added.parent / "Vorlagen")


def test_damaged_database_is_reported_not_a_traceback(run, added: Path) -> None:
    path = added / "corpus.sqlite"
    sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 2, len(data) - 4096, 4096):  # scribble over every page but the first and last
        data[offset + 100: offset + 400] = os.urandom(300)
    path.write_bytes(bytes(data))
    result = run("check", "--json", expect=None)
    assert result.exit_code == 1
    if result.stdout.strip():
        report = json.loads(result.stdout)
        assert any(f["code"] == "store.integrity" for f in report["remaining"])
    else:  # too damaged to open at all: a one-line error
        assert result.stderr.startswith("Error:")


@pytest.mark.parametrize("error, damage", [
    (sqlite3.DatabaseError("database disk image is malformed"), True),
    (sqlite3.DatabaseError("file is not a database"), True),
    (sqlite3.OperationalError("Could not decode to UTF-8 column 'title' with text 'x'"), True),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), True),
    (sqlite3.OperationalError("database is locked"), False),
    (sqlite3.OperationalError("attempt to write a readonly database"), False),
])
def test_damage_is_told_apart_from_a_busy_or_read_only_store(error: Exception, damage: bool) -> None:
    from clustermine.corpus.store import is_damage

    assert is_damage(error) is damage


def test_text_that_no_longer_decodes_is_reported_as_damage(run, added: Path) -> None:
    """Garbled bytes in a text column: one error line, not a traceback (seen once in CI with random damage)."""
    conn = sqlite3.connect(added / "corpus.sqlite")
    conn.execute("UPDATE documents SET title = CAST(X'C3FFFE' AS TEXT)")
    conn.commit()
    conn.close()
    for command in (("check", "--json"), ("ls",)):
        result = run(*command, expect=None)
        assert result.exit_code == 1, result.stdout
        if command[0] == "check" and result.stdout.strip():
            report = json.loads(result.stdout)
            assert any(f["code"] == "store.integrity" for f in report["remaining"])
        else:
            assert result.stderr.startswith("Error:") and "Traceback" not in result.stderr
