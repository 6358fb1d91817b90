"""Format sniffing: content decides, the name only breaks ties, and refusals say what the file is."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from clustermine.corpus.sniff import SNIFFED_FORMATS, sniff_format
from clustermine.errors import EmptyDocumentError, EncryptedError, UnreadableError, UnsupportedFormatError
from tools.officegen import make_docx, make_odt


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "x.txt", "pdf"),
        (b"\r\n\r\njunk before the header %PDF-1.4\n", "", "pdf"),  # header within the first 1024 bytes
        (b"<!DOCTYPE html><html><body><p>Hallo</p></body></html>", "seite.pdf", "html"),
        (b"\xef\xbb\xbf  <!-- Kommentar --> <html lang='de'><p>x</p></html>", "", "html"),
        (b"<p>Ein Absatz</p>", "fragment.html", "html"),
        (b"<div><p>Ein Absatz</p><p>noch einer</p><br></div>", "", "html"),
        ("Die Stadt Dortmund fördert Cluster.\n".encode("cp1252"), "", "text"),
        ("Straße\r\nGröße\r\n".encode("utf-16"), "brief.txt", "text"),
        (b"[1] Einleitung\nDer Rat beschliesst ...", "", "text"),  # brackets, but not JSON
        (b"{Entwurf} Sitzungsvorlage", "", "text"),
        (b'{"title": "Clusterbericht", "text": "Die Region..."}', "a.pdf", "json"),
        (b'{"a": 1}\n{"a": 2}\n', "lines.jsonl", "json"),
        (b'{\n  "a": "x"\n}\n{\n  "a": "y"\n}\n', "stream.pdf", "json"),
        (b"[\"eins\", \"zwei\"]", "", "json"),
    ],
)
def test_content_decides(data: bytes, name: str, expected: str) -> None:
    assert sniff_format(data, name) == expected


def test_office_documents() -> None:
    assert sniff_format(make_docx(["Absatz"]), "x.pdf") == "docx"
    assert sniff_format(make_odt(["Absatz"]), "") == "odt"


def test_answers_are_within_the_declared_formats() -> None:
    for data in (b"%PDF-1.4", b"<html>", b"text", b"{}", make_docx(["a"]), make_odt(["a"])):
        assert sniff_format(data) in SNIFFED_FORMATS


def test_empty_file() -> None:
    with pytest.raises(EmptyDocumentError, match=r"file is empty \(0 bytes\)") as info:
        sniff_format(b"", "leer.txt")
    assert info.value.hint


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG image"),
        (b"GIF89a\x01\x00\x01\x00", "GIF image"),
        (b"II*\x00\x08\x00\x00\x00", "TIFF image"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "Windows executable"),
        (b"\x7fELF\x02\x01\x01\x00", "ELF executable"),
        (b"ID3\x04\x00\x00\x00\x00", "MP3 audio"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "WAV audio"),
        (b"\x1f\x8b\x08\x00\x00\x00", "gzip archive"),
        (b"{\\rtf1\\ansi Hallo}", "RTF document"),
    ],
)
def test_unsupported_kinds_are_named(data: bytes, kind: str) -> None:
    with pytest.raises(UnsupportedFormatError) as info:
        sniff_format(data, "datei.pdf")
    assert str(info.value.message) == f"unsupported file type: {kind}"
    assert info.value.hint


def test_png_hint_lists_what_is_readable() -> None:
    with pytest.raises(UnsupportedFormatError):
        sniff_format(b"\x89PNG\r\n\x1a\n" + bytes(100))


def test_unknown_binary() -> None:
    with pytest.raises(UnsupportedFormatError, match="unknown binary data"):
        sniff_format(bytes(range(256)) * 8, "kein_pdf.pdf")


def test_weak_magic_in_text_is_text() -> None:
    assert sniff_format(b"MZ-Nummer 12/2013: Sitzungsvorlage zur Clusterpolitik") == "text"


@pytest.mark.parametrize(
    ("members", "kind"),
    [
        ({"xl/workbook.xml": b"<workbook/>"}, "Excel workbook (XLSX)"),
        ({"ppt/presentation.xml": b"<p/>"}, "PowerPoint presentation (PPTX)"),
        ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}, "OpenDocument spreadsheet (ODS)"),
        ({"daten/a.csv": b"a;b"}, "ZIP archive"),
    ],
)
def test_other_zip_formats(members: dict[str, bytes], kind: str) -> None:
    with pytest.raises(UnsupportedFormatError) as info:
        sniff_format(zipped(members))
    assert info.value.message == f"unsupported file type: {kind}"


def test_legacy_word_document_asks_for_docx_or_pdf() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "WordDocument".encode("utf-16-le") + bytes(100)
    with pytest.raises(UnsupportedFormatError) as info:
        sniff_format(ole, "antrag.doc")
    assert "Word 97-2003" in info.value.message
    assert "DOCX or PDF" in info.value.hint


def test_password_protected_office_file() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(EncryptedError, match="password-protected"):
        sniff_format(ole, "geheim.docx")


def test_damaged_zip() -> None:
    broken = make_docx(["Absatz"])[:200]
    assert sniff_format(broken, "bericht.docx") == "docx"  # the reader explains the damage
    with pytest.raises(UnreadableError, match="damaged ZIP"):
        sniff_format(broken, "bericht.zip")


def test_large_json_cut_by_the_sniffing_window_is_still_json() -> None:
    data = json.dumps({"text": "Die Region fördert Cluster. " * 5000}).encode()
    assert sniff_format(data) == "json"
