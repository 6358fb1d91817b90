"""Scanned papers: read with Tesseract where it is installed (marked as OCR text), a clear hint where it is not."""

from __future__ import annotations

import io
import shutil

import pytest

from clustermine.corpus import ocr
from clustermine.corpus.readers import read_bytes
from clustermine.errors import NoTextLayerError
from tests.reliability.hostile import GOOD, PLAIN_UMLAUTS, scanned_pdf, text_pdf

LINES = ["Beschlussvorlage Wirtschaftsförderung", GOOD, PLAIN_UMLAUTS]
SKIP_REASON = "tesseract with German data not installed: apt-get install tesseract-ocr tesseract-ocr-deu"


@pytest.fixture
def tesseract() -> None:
    if not ocr.status().available:
        pytest.skip(SKIP_REASON)


@pytest.fixture
def no_tesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without Tesseract, whatever this one has."""
    monkeypatch.setenv(ocr.TESSERACT_ENV, "")


@pytest.fixture(scope="module")
def scan() -> bytes:
    return scanned_pdf(LINES, pages=2)


def mixed_pdf() -> bytes:
    """Page 1 with a text layer, page 2 a scan (an appendix scanned in)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(text_pdf())).pages[0])
    writer.add_page(PdfReader(io.BytesIO(scanned_pdf(LINES))).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_scan_is_read_and_marked(tesseract, scan: bytes) -> None:
    extraction = read_bytes(scan, "scan.pdf")
    assert len(extraction.pages) == 2
    for page in extraction.pages:
        assert "Kompetenzfeld Logistik" in page and "Wirtschaftsförderung" in page and "Straße" in page
    assert extraction.info["ocr"] == "pages 1–2 of 2 (Tesseract, deu)"
    assert any(note.startswith("OCR:") and "recognition errors" in note for note in extraction.notes)


def test_scanned_pages_of_a_text_pdf_are_filled_in(tesseract) -> None:
    extraction = read_bytes(mixed_pdf(), "anlage.pdf")
    assert "Bericht zur Clusterförderung" in extraction.pages[0]
    assert "Kompetenzfeld Logistik" in extraction.pages[1]
    assert extraction.info["ocr"].startswith("pages 2 of 2")
    assert not any("OCR would add them" in note for note in extraction.notes)


def test_always_replaces_the_text_layer(tesseract) -> None:
    extraction = read_bytes(text_pdf(), "bericht.pdf", ocr="always")
    assert extraction.info["ocr"].startswith("pages 1")
    assert "Kompetenzfeld" in extraction.text


def test_never_leaves_scans_alone_and_says_how(scan: bytes) -> None:
    with pytest.raises(NoTextLayerError) as caught:
        read_bytes(scan, "scan.pdf", ocr="never")
    assert "--ocr auto" in caught.value.hint
    mixed = read_bytes(mixed_pdf(), "anlage.pdf", ocr="never")
    assert mixed.pages[1] == "" and "ocr" not in mixed.info


def test_without_tesseract_the_hint_says_how_to_install(no_tesseract, scan: bytes) -> None:
    with pytest.raises(NoTextLayerError) as caught:
        read_bytes(scan, "scan.pdf")
    assert "apt-get install tesseract-ocr tesseract-ocr-deu" in caught.value.hint
    assert "switched off" in caught.value.message
    mixed = read_bytes(mixed_pdf(), "anlage.pdf")  # the text pages are still read; the note names the scans
    assert any("OCR would add them" in note for note in mixed.notes)


def test_bad_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="must be one of auto, always, never"):
        read_bytes(text_pdf(), "x.pdf", ocr="sometimes")


def test_page_ranges() -> None:
    assert ocr.page_ranges([5, 1, 2, 3, 7, 8]) == "1–3, 5, 7–8"
    assert ocr.page_ranges([4]) == "4"


def test_add_show_and_the_ocr_option(tesseract, run, run_json, tmp_path, scan: bytes) -> None:
    folder = tmp_path / "Scans"
    folder.mkdir()
    (folder / "vorlage_scan.pdf").write_bytes(scan)
    result = run("add", folder, "--ocr", "never", expect=1)
    assert "FAILED" in result.stderr and "--ocr auto" in result.stderr
    run("add", folder)  # the default, auto
    [row] = run_json("ls")
    shown = run("show", row["id"]).stdout
    assert "ocr:" in shown and "Tesseract" in shown and "recognised from images" in shown
    data = run_json("show", row["id"], "--text")
    assert data["info"]["ocr"].startswith("pages 1–2") and "Kompetenzfeld Logistik" in data["text"]
    hits = run_json("search", "Kompetenzfeld")
    assert hits["total"] == 1
    assert hits["hits"][0]["snippet"].startswith("[OCR] ")  # recognised text may hold misread words


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
def test_pdftoppm_renders_when_pypdfium2_is_missing(tesseract, scan: bytes) -> None:
    pages = dict(ocr._render_pdftoppm(scan, None))
    assert sorted(pages) == [1, 2] and all(png.startswith(b"\x89PNG") for png in pages.values())
