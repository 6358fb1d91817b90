"""The registry: dispatch by content, lazy imports, and the failures a batch meets on disk."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clustermine.corpus import readers
from clustermine.corpus.readers import READERS, read_bytes, read_path
from clustermine.errors import EmptyDocumentError, UnreadableError, UnsupportedFormatError
from clustermine.model import Extraction
from tests.conftest import REPO, shared_path
from tools.officegen import make_docx, make_odt

TEXT = "Die Stadt Dortmund fördert das Kompetenzfeld Logistik seit 1999 mit Mitteln aus dem Ziel-2-Programm."


def small_pdf(text: str) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_registry_covers_every_sniffed_format() -> None:
    from clustermine.corpus.sniff import SNIFFED_FORMATS

    assert set(READERS) == set(SNIFFED_FORMATS)


def test_pdf_named_txt_is_read_as_pdf() -> None:
    extraction = read_bytes(small_pdf("Clusterpolitik in Dortmund"), "notiz.txt")
    assert extraction.format == "pdf"
    assert "Clusterpolitik in Dortmund" in extraction.text


@pytest.mark.parametrize(
    ("data", "name", "fmt"),
    [
        (f"<html><body><p>{TEXT}</p></body></html>".encode(), "seite.pdf", "html"),
        (make_docx([TEXT]), "antrag.odt", "docx"),
        (make_odt([TEXT]), "antrag", "odt"),
        (TEXT.encode("cp1252"), "notiz.docx", "text"),
        (f'{{"text": "{TEXT}"}}'.encode(), "daten.pdf", "text"),
    ],
)
def test_dispatch_by_content(data: bytes, name: str, fmt: str) -> None:
    extraction = read_bytes(data, name)
    assert isinstance(extraction, Extraction)
    assert extraction.format == fmt
    assert TEXT in extraction.text


def test_unsupported_png() -> None:
    with pytest.raises(UnsupportedFormatError, match="PNG image") as info:
        read_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "karte.pdf")
    assert info.value.hint


def test_empty_file() -> None:
    with pytest.raises(EmptyDocumentError, match=r"0 bytes"):
        read_bytes(b"", "leer.txt")


@pytest.mark.parametrize("data", [b"   \n\n\t  ", b"<html><body><nav>Menu</nav></body></html>"])
def test_no_text_found(data: bytes) -> None:
    with pytest.raises(EmptyDocumentError, match="no text found"):
        read_bytes(data)


def test_unexpected_reader_failure_becomes_unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: bytes, name: str = "") -> Extraction:
        raise KeyError("surprise")

    monkeypatch.setitem(READERS, "text", broken)
    with pytest.raises(UnreadableError, match="could not read text file: KeyError") as info:
        read_bytes(b"Hallo Welt")
    assert isinstance(info.value.__cause__, KeyError)


def test_read_path(tmp_path: Path) -> None:
    path = tmp_path / "Förderung.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    assert read_path(path).text == TEXT
    other = "Andere Bytes als auf der Platte"
    assert read_path(str(path), data=other.encode()).text == other


def test_vanished_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableError, match="file disappeared before it could be read"):
        read_path(tmp_path / "weg.pdf")


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "gesperrt.txt"
    path.write_text(TEXT)

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)  # tests run as root, where chmod 000 does not stop reads
    with pytest.raises(UnreadableError, match="permission denied") as info:
        read_path(path)
    assert info.value.hint == "check the file's read permissions (chmod a+r)"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(UnreadableError, match="directory"):
        read_path(tmp_path)


def test_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UnreadableError, match="not a regular file"):
        read_path(fifo)  # would block forever if it were opened


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "gross.txt"
    path.write_text(TEXT)
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 10)
    with pytest.raises(UnreadableError, match="too large"):
        read_path(path)


def test_importing_readers_does_not_import_pdfminer_or_lxml() -> None:
    code = (
        "import sys, clustermine.corpus.readers\n"
        "heavy = [m for m in sys.modules if m.startswith(('pdfminer', 'lxml', 'charset_normalizer'))]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_shared_json_named_pdf_reads_as_text() -> None:
    path = shared_path("corpus", "s006.json")
    extraction = read_path(path)
    assert extraction.format == "text"
    assert "Beschlussfassung über Ausschussvorlagen" in extraction.text
    assert all(ch in extraction.text for ch in "äöüß")


_SEEDS = [b"", b"<html><body><p>", b"%PDF-1.4\n", b"PK\x03\x04", b"{\"a\": ", b"\xef\xbb\xbf", b"\xff\xfe"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_SEEDS), st.binary(max_size=400), st.sampled_from(["", "a.pdf", "a.docx", "a.html"]))
def test_any_bytes_give_an_extraction_or_an_unreadable_error(prefix: bytes, tail: bytes, name: str) -> None:
    try:
        extraction = read_bytes(prefix + tail, name)
    except UnreadableError as exc:
        assert not str(exc).startswith("could not read"), exc  # the safety net caught a reader bug
        return
    assert extraction.text.strip()
