"""Bad input through the CLI: one clear line per bad file, the batch goes on, nothing half-written, exit 1."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from tools.pdfgen import encrypt_pdf, make_image_only_pdf, make_pdf

GOOD = "Die Stadt Dortmund fördert das Kompetenzfeld Logistik seit 1999 mit Mitteln aus dem Ziel-2-Programm."


def failed_lines(stderr: str) -> dict[str, str]:
    lines = [line for line in stderr.splitlines() if line.startswith("FAILED ")]
    return {Path(line[7:].split(": ", 1)[0]).name: line for line in lines}


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "Archiv mit Ärger"
    folder.mkdir()
    pdf = make_pdf(None, [("h", "Bericht"), GOOD * 5], title="Bericht")
    (folder / "gut.txt").write_text(GOOD, encoding="utf-8")
    (folder / "gut.pdf").write_bytes(pdf)
    (folder / "leer.txt").write_bytes(b"")
    (folder / "abgeschnitten.pdf").write_bytes(pdf[: len(pdf) // 3])
    (folder / "kein_pdf.pdf").write_bytes(bytes(range(256)) * 8)
    (folder / "passwort.pdf").write_bytes(encrypt_pdf(pdf, user_password="geheim"))
    (folder / "offen_verschluesselt.pdf").write_bytes(encrypt_pdf(pdf, user_password=""))
    (folder / "scan.pdf").write_bytes(make_image_only_pdf())
    (folder / "seite_1252.html").write_bytes(
        f"<html><head><title>Förderung</title></head><body><p>{GOOD} Größe: 5 €.</p></body></html>".encode("cp1252")
    )
    (folder / "mojibake.txt").write_bytes(GOOD.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"))
    return folder


def test_bad_files_each_get_one_line_and_the_rest_is_added(run, run_json, home: Path, bad_folder: Path) -> None:
    result = run("add", bad_folder, expect=1)
    failed = failed_lines(result.stderr)
    assert set(failed) == {"leer.txt", "abgeschnitten.pdf", "kein_pdf.pdf", "passwort.pdf", "scan.pdf"}
    assert "empty" in failed["leer.txt"]
    assert "password" in failed["passwort.pdf"] and "qpdf" in failed["passwort.pdf"]
    assert "text layer" in failed["scan.pdf"] and "OCR" in failed["scan.pdf"].upper()
    assert "unsupported" in failed["kein_pdf.pdf"] or "damaged" in failed["kein_pdf.pdf"]
    assert "damaged" in failed["abgeschnitten.pdf"] or "incomplete" in failed["abgeschnitten.pdf"]
    assert all(len(line.splitlines()) == 1 for line in failed.values())
    assert "5 failed" in result.stdout and "5 added" in result.stdout

    docs = {Path(r["source"]).name: r for r in run_json("ls")}
    assert set(docs) == {"gut.txt", "gut.pdf", "offen_verschluesselt.pdf", "seite_1252.html", "mojibake.txt"}
    html = run_json("show", docs["seite_1252.html"]["id"], "--text")
    assert "Größe: 5 €" in html["text"]
    assert "fördert" in run_json("show", docs["mojibake.txt"]["id"], "--text")["text"]

    stats = run_json("stats")
    assert stats["failures"] == 5 and stats["documents"] == 5
    conn = sqlite3.connect(home / "corpus.sqlite")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT COUNT(*) FROM pages WHERE doc_id NOT IN (SELECT id FROM documents)").fetchone()[0] == 0


def test_unsupported_type_named_explicitly(run, tmp_path: Path) -> None:
    png = tmp_path / "Foto.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    result = run("add", png, expect=1)
    assert "unsupported file type" in result.stderr


def test_missing_path_and_empty_glob(run, tmp_path: Path) -> None:
    result = run("add", tmp_path / "gibtsnicht.pdf", str(tmp_path / "*.docx"), expect=1)
    assert "no such file or folder" in result.stderr and "no files match" in result.stderr


def test_unreadable_file(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "gesperrt.txt"
    target.write_text(GOOD, encoding="utf-8")
    real_open = open

    def deny(file, *args, **kwargs):  # root ignores chmod, so simulate the denial
        if str(file) == str(target):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", deny)
    result = run("add", target, expect=1)
    assert "permission denied" in result.stderr and "chmod" in result.stderr


def test_file_vanishing_mid_run(run, run_json, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clustermine.corpus import ingest

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b.txt").write_text(GOOD + " Zweite Fassung.", encoding="utf-8")
    real_hash = ingest.file_hash

    def hash_then_delete(path):
        digest = real_hash(path)
        if str(path).endswith("a.txt"):
            os.remove(path)  # gone after it was found and hashed, before the worker reads it
        return digest

    monkeypatch.setattr(ingest, "file_hash", hash_then_delete)
    result = run("add", folder, expect=1)
    assert "a.txt: file disappeared" in result.stderr
    assert [Path(r["source"]).name for r in run_json("ls")] == ["b.txt"]


def test_per_file_time_limit(run, run_json, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import clustermine.corpus.readers as readers

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "haengt.txt").write_text("HANG " + GOOD, encoding="utf-8")
    (folder / "ok.txt").write_text(GOOD, encoding="utf-8")
    real = readers.read_bytes

    def slow(data, name="", *args, **kwargs):
        if name == "haengt.txt":
            time.sleep(60)
        return real(data, name, *args, **kwargs)

    monkeypatch.setattr(readers, "read_bytes", slow)  # workers are forked, so they see the patch
    started = time.monotonic()
    result = run("add", folder, "--timeout", "2", expect=1)
    assert time.monotonic() - started < 30
    assert "haengt.txt: reading took longer than 2 s" in result.stderr
    assert [Path(r["source"]).name for r in run_json("ls")] == ["ok.txt"]


def test_identical_bad_files_each_get_their_line(run, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("leer1.txt", "leer2.txt", "leer3.txt"):
        (folder / name).write_text("   \n\n  ", encoding="utf-8")
    result = run("add", folder, expect=1)
    assert set(failed_lines(result.stderr)) == {"leer1.txt", "leer2.txt", "leer3.txt"}
    assert "3 failed" in result.stdout


def test_named_pipe_does_not_hang_the_batch(run, run_json, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "ok.txt").write_text(GOOD, encoding="utf-8")
    result = run("add", folder, expect=1)
    assert "pipe.txt: not a regular file" in result.stderr
    assert [Path(r["source"]).name for r in run_json("ls")] == ["ok.txt"]
