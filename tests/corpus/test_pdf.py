"""The PDF reader, on PDFs generated at test time (tools/pdfgen.py) and on the real samples in ../shared."""

from __future__ import annotations

import random
import re
from io import BytesIO
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from clustermine.corpus.pdf import clean_title, decode_pdf_string, parse_pdf_date, read_pdf
from clustermine.errors import (
    ClustermineError,
    EmptyDocumentError,
    EncryptedError,
    NoTextLayerError,
    UnreadableError,
)
from clustermine.model import Extraction
from tools.pdfgen import encrypt_pdf, make_image_only_pdf, make_pdf

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

SENTENCES = [
    "Die Clusterförderung der Stadt Dortmund stützt sich auf Kompetenzfelder wie Logistik und Mikrosystem"
    "technik.",
    "Über die Strukturförderung aus den EU-Strukturfonds entscheidet der Wirtschaftsausschuss jährlich.",
    "Die Größe der geförderten Netzwerke schwankt zwischen zwölf und dreihundert Mitgliedsunternehmen.",
    "Für die Wirtschafts- und Sozialpolitik der Region ist die Zusammenarbeit mit Hochschulen entscheidend.",
    "Im Ziel-2-Gebiet wurden „Leuchtturmprojekte“ mit insgesamt 5 Mio. € Fördermitteln ausgestattet.",
]
#: Paragraphs that differ in their line breaks, so that no body line repeats at the top of most pages.
PARAGRAPHS = [" ".join(SENTENCES[i:] + SENTENCES[:i]) + f" Absatz {'I' * (n % 4 + 1)}." for n in range(5)
              for i in range(5)]
HEADER = "Stadt Dortmund – Clusterbericht 2013"


def _words(text: str) -> list[str]:
    return re.findall(r"[\w„“€.-]+", text)


@pytest.fixture(scope="session")
def report_pdf() -> bytes:
    """Four pages with a running header, "Seite N von M" footers, and words hyphenated at line ends."""
    blocks: list[str | tuple[str, str]] = [("h", "Clusterbericht 2013")]
    blocks += PARAGRAPHS
    return make_pdf(None, blocks, title="Clusterbericht 2013: Förderung über Kompetenzfelder",
                    author="Jürgen Müßig", subject="Regionale Wirtschaftsförderung", keywords="Cluster, EFRE",
                    layout="header-footer", header_text=HEADER, hyphenate=True,
                    creation_date="D:20130410120000+02'00'")


@pytest.fixture(scope="session")
def report(report_pdf: bytes) -> Extraction:
    return read_pdf(report_pdf, "bericht.pdf")


# --------------------------------------------------------------------------------------------------------
# text


def test_pages_and_format(report: Extraction) -> None:
    assert report.format == "pdf"
    assert len(report.pages) >= 3
    assert all(page.strip() for page in report.pages)
    assert report.notes == ()


def test_umlauts_quotes_and_euro_survive(report: Extraction) -> None:
    for expected in ("Clusterförderung", "Größe", "zwölf", "Über", "„Leuchtturmprojekte“", "5 Mio. €"):
        assert expected in report.text
    assert "(cid:" not in report.text


def test_hyphenated_words_are_joined_again(report_pdf: bytes, report: Extraction) -> None:
    raw = _raw_text(report_pdf)
    assert re.search(r"[a-zäöüß]-\n[a-zäöüß]", raw), "the generator should have broken words at line ends"
    assert _words(report.text.replace("\n", " ")) == _words(" ".join(["Clusterbericht 2013", *PARAGRAPHS]))


def test_running_header_and_page_numbers_are_removed(report_pdf: bytes, report: Extraction) -> None:
    assert HEADER in _raw_text(report_pdf)
    assert HEADER not in report.text
    assert "Seite" not in report.text
    assert report.pages[0].startswith("Clusterbericht 2013\n\nDie Clusterförderung der Stadt Dortmund")


def test_two_columns_are_read_column_by_column() -> None:
    left = " ".join(f"Links{i} erzählt von der Clusterpolitik im Ruhrgebiet." for i in range(30))
    right = " ".join(f"Rechts{i} berichtet über Ostwestfalen-Lippe." for i in range(12))
    pdf = make_pdf(None, [("h", "Zwei Spalten"), left, right], layout="two-column")
    text = read_pdf(pdf).text
    order = re.findall(r"(?:Links|Rechts)\d+", text)
    assert order == [f"Links{i}" for i in range(30)] + [f"Rechts{i}" for i in range(12)]
    assert text.startswith("Zwei Spalten")


def test_a_heading_over_both_columns_and_a_short_right_column() -> None:
    canvas_pdf = BytesIO()
    canvas = Canvas(canvas_pdf, pagesize=A4, invariant=1)
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(72, 760, "Überschrift über beide Spalten des Berichts")
    canvas.setFont("Helvetica", 10)
    for column, tag, lines in ((0, "L", 45), (1, "R", 8)):
        for i in range(lines):
            canvas.drawString(72 + column * 240, 720 - i * 12, f"{tag}{i} Zeile über Cluster")
    canvas.drawString(72, 40, "Fußzeile")
    canvas.showPage()
    canvas.save()
    text = read_pdf(canvas_pdf.getvalue()).text
    order = re.findall(r"Überschrift|[LR]\d+|Fußzeile", text)
    assert order == ["Überschrift", *(f"L{i}" for i in range(45)), *(f"R{i}" for i in range(8)), "Fußzeile"]
    assert text.endswith("Fußzeile")


def test_word_broken_across_a_page_break_is_joined() -> None:
    canvas_pdf = BytesIO()
    canvas = Canvas(canvas_pdf, pagesize=A4, invariant=1)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(72, 700, "Der Ausschuss empfiehlt die Clusterför-")
    canvas.showPage()
    canvas.setFont("Helvetica", 10)
    canvas.drawString(72, 700, "derung fortzusetzen.")
    canvas.showPage()
    canvas.save()
    result = read_pdf(canvas_pdf.getvalue())
    assert result.pages == ("Der Ausschuss empfiehlt die Clusterförderung", "fortzusetzen.")


# --------------------------------------------------------------------------------------------------------
# document information


def test_document_info(report: Extraction) -> None:
    assert report.title == "Clusterbericht 2013: Förderung über Kompetenzfelder"
    assert report.info["author"] == "Jürgen Müßig"
    assert report.info["subject"] == "Regionale Wirtschaftsförderung"
    assert report.info["keywords"] == "Cluster, EFRE"
    assert report.info["created"] == "2013-04-10T12:00:00+02:00"
    assert report.info["modified"] == "2013-04-10T12:00:00+02:00"
    assert report.info["producer"].startswith("ReportLab")


def test_title_outside_pdfdocencoding_is_utf16() -> None:
    title = "Görlitz–Zgorzelec → grenzüberschreitende Cluster (Łódź)"
    pdf = make_pdf(None, ["Text über Cluster."], title=title, author="Ősz")
    assert b"\\376\\377" in pdf  # reportlab wrote UTF-16BE with a byte order mark, as octal escapes
    result = read_pdf(pdf)
    assert result.title == title
    assert result.info["author"] == "Ősz"


def test_placeholder_title_and_author_are_dropped() -> None:
    pdf = make_pdf(None, ["Text über Cluster."], title="Microsoft Word - vorlage.doc", author="Administrator")
    result = read_pdf(pdf)
    assert result.title is None
    assert "author" not in result.info


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Microsoft Word - Clusterbericht 2013.docx", "Clusterbericht 2013"),
        ("Microsoft Word - vorlage.doc", None),
        ("Microsoft PowerPoint - Präsentation1", None),
        ("untitled", None),
        ("Unbenannt", None),
        ("Dokument1", None),
        ("bericht_final_v2", None),
        ("C:\\Daten\\Bericht.doc", None),
        ("  ", None),
        (None, None),
        ("Vorlage 2013/0815 – Clusterförderung", "Vorlage 2013/0815 – Clusterförderung"),
        ("Kompetenzfeld Logistik", "Kompetenzfeld Logistik"),
    ],
)
def test_clean_title(title: str | None, expected: str | None) -> None:
    assert clean_title(title) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("D:20130410120000+02'00'", "2013-04-10T12:00:00+02:00"),
        ("D:20130410120000+02'00", "2013-04-10T12:00:00+02:00"),
        ("D:20130410120000Z", "2013-04-10T12:00:00Z"),
        ("D:20130410120000Z00'00'", "2013-04-10T12:00:00Z"),
        ("D:20130410120000-05'30'", "2013-04-10T12:00:00-05:30"),
        ("D:20130410120000", "2013-04-10T12:00:00"),
        ("D:201304101200", "2013-04-10T12:00:00"),
        ("D:20130410", "2013-04-10"),
        ("D:201304", "2013-04"),
        ("D:2013", "2013"),
        ("20130410120000", "2013-04-10T12:00:00"),
        ("D:20131340120000", None),
        ("D:00000101000000", None),
        ("gestern", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_pdf_date(raw: str | None, expected: str | None) -> None:
    assert parse_pdf_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"F\xf6rderung \x8cZitat\x8d", "Förderung „Zitat“"),  # PDFDocEncoding
        (b"\xfe\xff" + "Förderung €".encode("utf-16-be"), "Förderung €"),
        (b"\xff\xfe" + "Förderung".encode("utf-16-le"), "Förderung"),
        (b"\xef\xbb\xbf" + "Förderung".encode(), "Förderung"),
    ],
)
def test_decode_pdf_string(raw: bytes, expected: str) -> None:
    assert decode_pdf_string(raw) == expected


# --------------------------------------------------------------------------------------------------------
# encryption


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_encrypted_with_empty_user_password_is_read(
    report_pdf: bytes, report: Extraction, algorithm: str
) -> None:
    result = read_pdf(encrypt_pdf(report_pdf, user_password="", algorithm=algorithm))
    assert result.pages == report.pages
    assert result.title == report.title
    assert "encrypted; opened with empty password" in result.notes


def test_encrypted_with_password_raises(report_pdf: bytes) -> None:
    with pytest.raises(EncryptedError) as caught:
        read_pdf(encrypt_pdf(report_pdf, user_password="geheim"))
    assert caught.value.message == "PDF is encrypted and needs a password"
    assert "qpdf --decrypt" in (caught.value.hint or "")


# --------------------------------------------------------------------------------------------------------
# files without text, broken files


def test_image_only_pdf_needs_ocr() -> None:
    with pytest.raises(NoTextLayerError) as caught:
        read_pdf(make_image_only_pdf(pages=2))
    assert "ocrmypdf" in (caught.value.hint or "")


def test_outlined_text_needs_ocr() -> None:
    with pytest.raises(NoTextLayerError):
        read_pdf(make_image_only_pdf(kind="shapes"))


def test_blank_pdf_is_empty() -> None:
    with pytest.raises(EmptyDocumentError):
        read_pdf(make_pdf(None, []))


def test_scanned_pages_among_text_pages_get_a_note() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in (make_pdf(None, ["Seite mit Text über Cluster."]), make_image_only_pdf()):
        for page in PdfReader(BytesIO(data)).pages:
            writer.add_page(page)
    out = BytesIO()
    writer.write(out)
    result = read_pdf(out.getvalue())
    assert result.pages == ("Seite mit Text über Cluster.", "")
    assert any("page(s) 2 are images without text" in note for note in result.notes)


@pytest.mark.parametrize("fraction", [0.1, 0.33, 0.5, 0.75, 0.95])
def test_truncated_pdf_is_unreadable(report_pdf: bytes, fraction: float) -> None:
    with pytest.raises(UnreadableError) as caught:
        read_pdf(report_pdf[: int(len(report_pdf) * fraction)])
    assert type(caught.value) is UnreadableError
    assert "damaged or incomplete" in caught.value.message
    assert "\n" not in str(caught.value)
    assert caught.value.hint


@pytest.mark.parametrize(
    ("data", "mentions"),
    [
        (b"Dies ist eine Textdatei, kein PDF.", "not a PDF"),
        (b"<!DOCTYPE html><html><body>Anmeldung erforderlich</body></html>", "HTML"),
        (b"PK\x03\x04" + bytes(100), "ZIP"),
        (b"%PDF-1.4\n" + bytes(200), "damaged"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF", ""),
    ],
)
def test_not_a_pdf_is_unreadable(data: bytes, mentions: str) -> None:
    with pytest.raises(UnreadableError) as caught:
        read_pdf(data)
    assert mentions in str(caught.value)


@pytest.mark.parametrize("data", [b"", b"   \n"])
def test_zero_bytes_is_empty(data: bytes) -> None:
    with pytest.raises(EmptyDocumentError):
        read_pdf(data)


def test_corrupted_bytes_never_escape_as_other_errors(report_pdf: bytes) -> None:
    """One damaged file must not end a batch: whatever pdfminer trips over becomes a ClustermineError."""
    rng = random.Random(20130410)
    for _ in range(60):
        data = bytearray(report_pdf)
        for _ in range(rng.randint(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            result = read_pdf(bytes(data))
        except ClustermineError:
            continue
        assert isinstance(result, Extraction)


# --------------------------------------------------------------------------------------------------------
# real documents


@pytest.mark.parametrize("name", ["s001.pdf", "s002.pdf", "s003.pdf", "s004.pdf", "s005.pdf"])
def test_shared_samples(name: str) -> None:
    path = SHARED / "corpus" / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    result = read_pdf(path.read_bytes(), name)
    text = result.text
    assert len(text) > 500
    assert re.search(r"\b\w*[äöüÄÖÜß]\w*\b", text)
    assert "(cid:" not in text
    assert "Ã" not in text and "\ufffd" not in text
    assert "\t" not in text and "  " not in text
    assert re.search(r"[a-zäöüß]-\n[a-zäöüß]", text) is None  # no hyphenation left unjoined


def _raw_text(pdf: bytes) -> str:
    """pdfminer's own text of ``pdf``, to show what the reader had to clean up."""
    from pdfminer.high_level import extract_text

    return extract_text(BytesIO(pdf))
