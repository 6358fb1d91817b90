"""The two PDF engines: PDFium (default) and pdfminer.six give the same pages; PDFium hands over what it cannot read.

The layout tests of ``test_pdf.py`` run with the default engine; here each German edge case runs with both engines
and the pages must be equal, so a difference between the engines shows up as a diff of two texts.
"""

from __future__ import annotations

import difflib
import re
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from clustermine.corpus import pdf_pdfium
from clustermine.corpus.pdf import DEFAULT_ENGINE, ENGINES, read_pdf
from clustermine.corpus.pdf_pdfium import PdfiumFallback
from clustermine.errors import EncryptedError, NoTextLayerError
from tests.conftest import SHARED
from tools.pdfgen import encrypt_pdf, make_image_only_pdf, make_pdf

FALLBACK_NOTE = "read with pdfminer.six because pdfium"


def _canvas_pdf(*pages: list[tuple[float, float, str]], font: str = "Helvetica", size: float = 10) -> bytes:
    """A PDF with each ``(x, y, text)`` drawn where it says: the test decides the layout to the point."""
    out = BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    for lines in pages:
        canvas.setFont(font, size)
        for x, y, text in lines:
            canvas.drawString(x, y, text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _both(data: bytes) -> tuple[tuple[str, ...], tuple[str, ...]]:
    pdfium, pdfminer = read_pdf(data, engine="pdfium"), read_pdf(data, engine="pdfminer")
    assert not any(FALLBACK_NOTE in note for note in pdfium.notes), pdfium.notes
    return pdfium.pages, pdfminer.pages


def test_pdfium_is_the_default() -> None:
    assert DEFAULT_ENGINE == "pdfium"
    assert set(ENGINES) == {"pdfium", "pdfminer"}


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="engine must be one of pdfium, pdfminer. Got 'xpdf' instead."):
        read_pdf(make_pdf(None, ["Text."]), engine="xpdf")


# --------------------------------------------------------------------------------------------------------
# the same text from both engines


def test_hyphenation_marker_is_judged_like_a_hyphen() -> None:
    """PDFium turns a line-end hyphen into U+0002 and drops the line break; both engines must join alike."""
    lines = ["Die Förderung kam aus den EU-", "Strukturfonds und diente der Clusterför-",
             "derung in der Wirtschafts-", "und Sozialpolitik des Kreises."]
    data = _canvas_pdf([(72, 700 - 12 * i, line) for i, line in enumerate(lines)])
    pdfium, pdfminer = _both(data)
    assert pdfium == pdfminer
    text = " ".join(pdfium)
    assert "EU-Strukturfonds" in text and "Clusterförderung" in text and "Wirtschafts- und" in text
    assert "\x02" not in text and "\ufffe" not in text and "\u00ad" not in text


def test_umlauts_quotes_and_ligatures() -> None:
    from reportlab import __file__ as reportlab_init
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("Vera", str(Path(reportlab_init).parent / "fonts" / "Vera.ttf")))
    data = _canvas_pdf([(72, 700, "Die Pro\ufb01le der Kon\ufb02iktregionen: „Größe“ über Ähnlichkeit – 5 €.")],
                       font="Vera")
    pdfium, pdfminer = _both(data)
    assert pdfium == pdfminer == ("Die Profile der Konfliktregionen: „Größe“ über Ähnlichkeit – 5 €.",)


def test_running_headers_and_page_numbers() -> None:
    paragraphs = [f"Absatz {i}: Die Clusterförderung im Kreis Mettmann wird über das Kompetenzfeld Logistik "
                  f"und die Zusammenarbeit mit Hochschulen im Bergischen Städtedreieck fortgesetzt." for i in range(90)]
    data = make_pdf(None, paragraphs, layout="header-footer", header_text="Kreis Mettmann – Bericht 2013",
                    hyphenate=True)
    pdfium, pdfminer = _both(data)
    assert len(pdfium) >= 4
    assert pdfium == pdfminer
    assert "Kreis Mettmann – Bericht 2013" not in "".join(pdfium) and "Seite" not in "".join(pdfium)


def test_two_columns_and_a_heading_over_both() -> None:
    lines = [(72, 760, "Überschrift über beide Spalten")]
    lines += [(72, 720 - i * 12, f"L{i} Zeile über Cluster") for i in range(40)]
    lines += [(312, 720 - i * 12, f"R{i} Zeile über Regionen") for i in range(9)]
    lines += [(72, 40, "Fußzeile")]
    pdfium, pdfminer = _both(_canvas_pdf(lines))
    assert pdfium == pdfminer
    order = re.findall(r"Überschrift|[LR]\d+|Fußzeile", pdfium[0])
    assert order == ["Überschrift", *(f"L{i}" for i in range(40)), *(f"R{i}" for i in range(9)), "Fußzeile"]


def test_columns_drawn_row_by_row_are_still_read_column_by_column() -> None:
    """PDFium joins the two halves of a row into one line; the reader must split them at the gutter."""
    lines = []
    for i in range(30):
        lines += [(72, 720 - i * 12, f"Links{i} über Cluster"), (320, 720 - i * 12, f"Rechts{i} über Netzwerke")]
    pdfium, pdfminer = _both(_canvas_pdf(lines))
    assert pdfium == pdfminer
    order = re.findall(r"(?:Links|Rechts)\d+", pdfium[0])
    assert order == [f"Links{i}" for i in range(30)] + [f"Rechts{i}" for i in range(30)]


LANDSCAPE = ["Querformat: Tabelle über Cluster", "Zeile zwei der Förderung", "Zeile drei mit Umlauten äöü"]


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_text_drawn_turned_on_a_turned_page(degrees: int) -> None:
    """A landscape table drawn turned on a portrait page, which the viewer turns back (/Rotate)."""
    from pypdf import PdfReader, PdfWriter

    out = BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.setFont("Helvetica", 10)
    canvas.translate(A4[0] / 2, A4[1] / 2)
    canvas.rotate(degrees)
    for i, line in enumerate(LANDSCAPE):
        canvas.drawString(-150, 100 - 14 * i, line)
    canvas.showPage()
    canvas.save()
    writer = PdfWriter()
    for page in PdfReader(BytesIO(out.getvalue())).pages:
        page.rotate((360 - degrees) % 360)
        writer.add_page(page)
    turned = BytesIO()
    writer.write(turned)
    assert read_pdf(turned.getvalue(), engine="pdfium").pages == ("\n".join(LANDSCAPE),)


def test_upright_text_on_a_page_marked_as_turned() -> None:
    """/Rotate on a page whose text is drawn upright: PDFium reads the lines (pdfminer.six reads them letter by
    letter, as it turns the characters with the page)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(BytesIO(_canvas_pdf([(72, 700 - 14 * i, line) for i, line in enumerate(LANDSCAPE)]))).pages:
        page.rotate(90)
        writer.add_page(page)
    turned = BytesIO()
    writer.write(turned)
    assert read_pdf(turned.getvalue(), engine="pdfium").pages == ("\n".join(LANDSCAPE),)


def test_word_broken_across_a_page_break() -> None:
    data = _canvas_pdf([(72, 700, "Der Ausschuss empfiehlt die Clusterför-")], [(72, 700, "derung fortzusetzen.")])
    pdfium, pdfminer = _both(data)
    assert pdfium == pdfminer == ("Der Ausschuss empfiehlt die Clusterförderung", "fortzusetzen.")


def test_document_information_is_the_same() -> None:
    data = make_pdf(None, ["Text über Cluster."], title="Görlitz–Zgorzelec: grenzüberschreitende Cluster",
                    author="Jürgen Müßig", subject="Wirtschaftsförderung", keywords="Cluster, EFRE",
                    creation_date="D:20130410120000+02'00'")
    pdfium, pdfminer = read_pdf(data, engine="pdfium"), read_pdf(data, engine="pdfminer")
    assert (pdfium.title, dict(pdfium.info)) == (pdfminer.title, dict(pdfminer.info))
    assert pdfium.info["created"] == "2013-04-10T12:00:00+02:00"


@pytest.mark.parametrize("password", ["", "geheim"])
def test_encryption_is_handled_alike(password: str) -> None:
    data = encrypt_pdf(make_pdf(None, ["Geheimer Text über Cluster."]), user_password=password)
    if password:
        for engine in ENGINES:
            with pytest.raises(EncryptedError):
                read_pdf(data, engine=engine)
        return
    pdfium, pdfminer = read_pdf(data, engine="pdfium"), read_pdf(data, engine="pdfminer")
    assert pdfium.pages == pdfminer.pages == ("Geheimer Text über Cluster.",)
    assert pdfium.notes == pdfminer.notes == ("encrypted; opened with empty password",)


# --------------------------------------------------------------------------------------------------------
# falling back to pdfminer.six


def test_scan_falls_back_and_fails_as_before() -> None:
    for engine in ENGINES:
        with pytest.raises(NoTextLayerError):
            read_pdf(make_image_only_pdf(pages=2), engine=engine)


def test_damaged_cross_reference_table_falls_back_with_a_note() -> None:
    data = make_pdf(None, ["Die Clusterförderung wird fortgesetzt."])
    start = data.rindex(b"startxref")
    broken = data[:start] + re.sub(rb"startxref\s+\d+", b"startxref\n17", data[start:])
    result = read_pdf(broken, engine="pdfium")
    assert result.pages == ("Die Clusterförderung wird fortgesetzt.",)
    assert result.notes[0] == f"{FALLBACK_NOTE} found a damaged cross-reference table"
    assert not any(FALLBACK_NOTE in note for note in read_pdf(broken, engine="pdfminer").notes)


@pytest.mark.parametrize(
    ("problem", "note"),
    [
        (PdfiumFallback("found 812 glyph(s) without a character mapping"),
         "found 812 glyph(s) without a character mapping"),
        (RuntimeError("boom"), "failed (RuntimeError: boom)"),
    ],
)
def test_any_pdfium_trouble_falls_back(monkeypatch: pytest.MonkeyPatch, problem: Exception, note: str) -> None:
    def broken(data: bytes) -> None:
        raise problem

    monkeypatch.setattr(pdf_pdfium, "_read", broken)
    result = read_pdf(make_pdf(None, ["Text über Cluster."]))
    assert result.pages == ("Text über Cluster.",)
    assert result.notes == (f"{FALLBACK_NOTE} {note}",)


def test_mostly_undecodable_text_is_garbage() -> None:
    scan = pdf_pdfium._Scan(pages=[pdf_pdfium._PageText(text="x" * 90, undecodable=10)])
    with pytest.raises(PdfiumFallback, match="10 glyph"):
        pdf_pdfium._check_text(scan)
    pdf_pdfium._check_text(pdf_pdfium._Scan(pages=[pdf_pdfium._PageText(text="x" * 990, undecodable=10)]))


def test_no_text_at_all_falls_back() -> None:
    with pytest.raises(PdfiumFallback, match="found no text"):
        pdf_pdfium._check_text(pdf_pdfium._Scan(pages=[pdf_pdfium._PageText(images=1)]))


def test_threads_share_pdfium_safely() -> None:
    """PDFium is not thread-safe; Dask workers may run several threads, so the engine serialises them."""
    data = make_pdf(None, [f"Absatz {i} über Clusterförderung im Ruhrgebiet." for i in range(30)], hyphenate=True)
    expected = read_pdf(data)
    with ThreadPoolExecutor(4) as threads:
        results = list(threads.map(lambda _: read_pdf(data).pages, range(16)))
    assert all(pages == expected.pages for pages in results)


# --------------------------------------------------------------------------------------------------------
# real documents


@pytest.mark.parametrize("name", ["s001.pdf", "s002.pdf", "s003.pdf", "s004.pdf", "s005.pdf"])
def test_shared_samples_agree(name: str) -> None:
    path = SHARED / "corpus" / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    data = path.read_bytes()
    pdfium, pdfminer = read_pdf(data, name, engine="pdfium"), read_pdf(data, name, engine="pdfminer")
    assert not any(FALLBACK_NOTE in note for note in pdfium.notes)
    assert len(pdfium.pages) == len(pdfminer.pages)
    lines = [[line for line in result.text.splitlines() if line.strip()] for result in (pdfium, pdfminer)]
    similarity = difflib.SequenceMatcher(None, *lines, autojunk=False).ratio()  # lines: fast, and order-aware
    assert similarity >= 0.95, similarity  # measured: 0.955 (a bullet list) to 1.0
    umlauts = re.compile(r"[äöüÄÖÜß]")
    assert len(umlauts.findall(pdfium.text)) == len(umlauts.findall(pdfminer.text))
    assert sorted(re.findall(r"\w+", pdfium.text)) == sorted(re.findall(r"\w+", pdfminer.text))
