"""The pypdfium2 engine of the PDF reader: the same pages as pdfminer.six, about six times as fast.

Why a second engine: pdfminer.six lays out a page in pure Python (4-30 pages per second and process, by how
much text a page holds), which makes an archive of 100,000 pages a day's work. PDFium, the C++ library
inside Chrome, decodes fonts and positions in native code. It does no layout analysis we could use, though:
its own text output joins the two columns of a page line by line and drops line breaks after hyphens. So
this module takes only the characters and their font boxes from PDFium's text page API and rebuilds lines and
text boxes the way pdfminer's ``LAParams`` (see :data:`clustermine.corpus.pdf.LAPARAMS`) does; the page text
then goes through the very same reading order, header/footer removal and hyphenation joining as the pdfminer engine
(:mod:`clustermine.corpus.pdf`). ``bench/compare_pdf_engines.py`` measures how close the two come on real and
demo PDFs (99.9 % of the characters alike, the same umlauts, hyphen joins and removed headers) and
``bench/bench_pdf.py`` how fast they are (about 190 against 31 pages per second and process, including the
cleaning both share); the numbers are in the README ("Large corpora"). The per-character loop in
:func:`_lines` is most of the remaining time.

PDFium marks a hyphen it takes for a line-end hyphenation as U+0002 and then leaves out the line break. We
turn the marker back into ``-`` and break the line where the characters do, so that
:func:`~clustermine.corpus.normalise.join_hyphenation` decides with its word lists, as for pdfminer, and
"EU-" | "Strukturfonds" keeps its hyphen.

When PDFium cannot open a file, finds a damaged cross-reference table, finds no text at all, or returns
mostly glyphs without a character mapping, :func:`read_pdf_pdfium` raises :class:`PdfiumFallback` and the
caller reads the file with pdfminer.six, whose messages for damaged, cut-off, scanned and undecodable files
the rest of clustermine already knows.

PDFium is not thread-safe; :data:`PDFIUM_LOCK` serialises it within a process (Dask workers may run several
threads). Other code that calls PDFium in a worker should hold it too.
"""

from __future__ import annotations

import ctypes
import math
import threading
from dataclasses import dataclass, field
from typing import Any

from clustermine.corpus.normalise import normalise_text
from clustermine.corpus.pdf import (
    _box_text,
    _finish_pages,
    _is_placeholder,
    _PageText,
    _reading_order,
    _Scan,
    _summary,
    clean_title,
    parse_pdf_date,
)
from clustermine.errors import ClustermineError, EncryptedError
from clustermine.model import Extraction

__all__ = ["PDFIUM_LOCK", "PdfiumFallback", "read_pdf_pdfium"]

#: Held around every use of PDFium in this process (PDFium keeps global state and is not thread-safe).
PDFIUM_LOCK = threading.RLock()

#: Line building, as pdfminer's LAParams in clustermine.corpus.pdf: characters join a line when their boxes
#: overlap vertically by half the smaller height and the gap is below two character widths; lines join a text
#: box when they lie within half a line height of each other, have about the same height and are aligned.
_LINE_OVERLAP = 0.5
_CHAR_MARGIN = 2.0
_LINE_MARGIN = 0.5
#: Beyond this share of glyphs without a character mapping (or U+FFFD), PDFium's text is taken as garbage.
MAX_UNDECODABLE_SHARE = 0.05
_HYPHEN_MARKER = 0x02
#: Width of a space as a share of the loose character box height (about an em): Helvetica 0.28, Times 0.25.
_SPACE_SHARE = 0.25
_UNMAPPED_SAMPLE = 16
#: Font size per height of PDFium's loose character box (1 / 1.17, measured on Helvetica, Arial and Times).
_EM_PER_LOOSE_HEIGHT = 0.855
_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
_PASSWORD_HINT = "remove the password, e.g. with qpdf --decrypt, and add it again"
_COPY_PERMISSION = 0x10


class PdfiumFallback(Exception):  # noqa: N818 - a signal to the caller, not an error for the user
    """PDFium could not give trustworthy text; ``reason`` says why, for the document's notes."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Line:
    """A run of characters on one baseline; coordinates in PDF points, origin bottom left, like pdfminer's."""

    x0: float
    y0: float
    x1: float
    y1: float
    chars: list[str] = field(default_factory=list)

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def text(self) -> str:
        return "".join(self.chars).strip()


@dataclass
class _Box:
    """Lines that belong together (a paragraph, a table cell): the unit the reading order arranges."""

    x0: float
    y0: float
    x1: float
    y1: float
    lines: list[_Line]

    def get_text(self) -> str:
        ordered = sorted(self.lines, key=lambda line: -line.y1)
        return "".join(line.text() + "\n" for line in ordered)


def read_pdf_pdfium(data: bytes, name: str = "") -> Extraction:
    """Pages and document information of the PDF in ``data``, read with PDFium.

    Raises :class:`PdfiumFallback` when pdfminer.six should read the file instead, and
    :class:`~clustermine.errors.EncryptedError` for a file that needs a password (pdfminer could not open it
    either). ``name`` is unused; it keeps the reader signature of :mod:`clustermine.corpus.readers`.
    """
    try:
        import pypdfium2  # noqa: F401 - only to turn a missing install into a fallback
    except ImportError as exc:
        raise PdfiumFallback(f"is not installed ({exc})") from None
    with PDFIUM_LOCK:
        try:
            return _read(data)
        except (ClustermineError, PdfiumFallback):
            raise
        except Exception as exc:  # noqa: BLE001 - whatever PDFium trips over, pdfminer gets its chance
            raise PdfiumFallback(f"failed ({type(exc).__name__}: {_summary(exc)})") from exc


def _read(data: bytes) -> Extraction:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _PASSWORD_ERROR:
            raise EncryptedError("PDF is encrypted and needs a password", hint=_PASSWORD_HINT) from None
        raise PdfiumFallback(f"could not open the file ({_summary(exc)})") from None
    try:
        if not raw.FPDF_DocumentHasValidCrossReferenceTable(document):
            raise PdfiumFallback("found a damaged cross-reference table")
        scan = _Scan()
        _note_encryption(document, scan.notes)
        title, info = _document_info(document)
        for index in range(len(document)):
            page = document[index]
            try:
                scan.pages.append(_page_text(page))
            finally:
                page.close()
    finally:
        document.close()
    _check_text(scan)
    pages = _finish_pages(scan)
    return Extraction(format="pdf", pages=tuple(pages), title=title, info=info, notes=tuple(scan.notes))


def _note_encryption(document: Any, notes: list[str]) -> None:
    import pypdfium2.raw as raw

    if raw.FPDF_GetSecurityHandlerRevision(document) == -1:
        return
    notes.append("encrypted; opened with empty password")
    if not raw.FPDF_GetDocPermissions(document) & _COPY_PERMISSION:
        notes.append("the PDF's permissions forbid copying text; text extracted for analysis anyway")


def _check_text(scan: _Scan) -> None:
    """Hand the file to pdfminer when PDFium's text is missing or mostly undecodable."""
    glyphs = sum(len(page.text) for page in scan.pages)
    undecodable = sum(page.undecodable for page in scan.pages)
    if not any(page.text.strip() for page in scan.pages):
        raise PdfiumFallback("found no text")
    if undecodable > MAX_UNDECODABLE_SHARE * (glyphs + undecodable):
        raise PdfiumFallback(f"found {undecodable} glyph(s) without a character mapping")


# ----------------------------------------------------------------------------------------------------
# document information


_INFO_KEYS = {"Author": "author", "Subject": "subject", "Keywords": "keywords", "Producer": "producer",
              "Creator": "creator"}


def _document_info(document: Any) -> tuple[str | None, dict[str, str]]:
    """Title and ``info`` as the pdfminer engine gives them (PDFium decodes the strings itself)."""
    raw_info = document.get_metadata_dict(skip_empty=True)
    info: dict[str, str] = {}
    for key, target in _INFO_KEYS.items():
        value = _clean(raw_info.get(key))
        if value and not _is_placeholder(key, value):
            info[target] = value
    for key, target in (("CreationDate", "created"), ("ModDate", "modified")):
        date = parse_pdf_date(_clean(raw_info.get(key)))
        if date:
            info[target] = date
    language = _clean(_language(document))
    if language:
        info["language"] = language
    return clean_title(_clean(raw_info.get("Title"))), info


def _clean(value: str | None) -> str | None:
    text = " ".join(normalise_text(value or "").split())
    return text or None


def _language(document: Any) -> str | None:
    import pypdfium2.raw as raw

    size = raw.FPDFCatalog_GetLanguage(document, None, 0)
    if size <= 2:
        return None
    buffer = (ctypes.c_ushort * (size // 2))()
    raw.FPDFCatalog_GetLanguage(document, buffer, size)
    return bytes(buffer).decode("utf-16-le", errors="replace").rstrip("\x00")


# ----------------------------------------------------------------------------------------------------
# pages


def _page_text(page: Any) -> _PageText:
    """The page's text in reading order; images and drawings are counted only where there is no text."""
    result = _PageText()
    textpage = page.get_textpage()
    try:
        turns = _turns(textpage.raw)
        lines = _lines(textpage, result, turns)
    finally:
        textpage.close()
    boxes = _boxes(lines)
    _, bottom, _, top = _turned(turns, *page.get_bbox())
    texts = (_box_text(box.get_text(), result) for box in _reading_order(boxes, bottom, top))
    result.text = "\n\n".join(text for text in texts if text)
    if not result.text:
        _count_objects(page, result)
    return result


def _lines(textpage: Any, page: _PageText, turns: int = 0) -> list[_Line]:
    """Group the page's characters (in PDFium's order) into lines, as pdfminer does with its ``LTChar`` objects.

    A character continues the line when it overlaps the previous one vertically by half the smaller height
    and the gap between them is below two character widths; otherwise it starts a new line (the next line, or
    the next column). PDFium's generated line breaks are ignored: they are missing after hyphens and between
    lines it merged. Spaces count for the gaps (so that runs of spaces in tables do not split a line) but not
    for the line's box. Where PDFium replaced a space glyph by a space of its own (without a box), the gap
    is measured less that space, so that a bullet and its text stay one line as in pdfminer.

    ``turns`` quarter turns (see :func:`_turns`) are applied to every box first, so that the text runs left to
    right. This loop is the engine's hot path (one C call per character for the box): it avoids attribute
    lookups and small function calls on purpose.
    """
    import pypdfium2.raw as raw

    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    text = _page_chars(handle, count)
    unmapped = _unmapped(handle, text)
    get_box = raw.FPDFText_GetLooseCharBox
    rect = raw.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    lines: list[_Line] = []
    chars: list[str] = []  # the open line: its characters and box (lx0 ...), kept in locals for speed
    lx0 = ly0 = lx1 = ly1 = 0.0
    px0 = py0 = px1 = py1 = 0.0  # the previous character's box
    virtual_space = False
    for index, char in enumerate(text):
        if char == "\r" or char == "\n":
            continue
        if char == "\ufffd" or index in unmapped:
            page.undecodable += 1
            continue
        space = char == " " or char.isspace()
        if not get_box(handle, index, rect_ref):
            continue
        x0, y0, x1, y1 = rect.left, rect.bottom, rect.right, rect.top
        if turns:
            x0, y0, x1, y1 = _turned(turns, x0, y0, x1, y1)
        if x1 <= x0 or y1 <= y0:
            if space and chars:  # a space PDFium generated between words: it has no box
                chars.append(" ")
                virtual_space = True
            continue
        same = False
        if chars:
            height = py1 - py0 if py1 - py0 < y1 - y0 else y1 - y0
            overlap = (py1 if py1 < y1 else y1) - (py0 if py0 > y0 else y0)
            if overlap > _LINE_OVERLAP * height:
                gap = x0 - px1 if x0 - px1 > px0 - x1 else px0 - x1
                if virtual_space:
                    gap -= _SPACE_SHARE * height
                width = px1 - px0 if px1 - px0 > x1 - x0 else x1 - x0
                same = gap < _CHAR_MARGIN * width
        virtual_space = False
        if same:
            if space:
                chars.append(" ")
            else:
                chars.append(char)
                lx0 = x0 if x0 < lx0 else lx0
                lx1 = x1 if x1 > lx1 else lx1
                ly0 = y0 if y0 < ly0 else ly0
                ly1 = y1 if y1 > ly1 else ly1
        elif space:
            continue
        else:
            if chars:
                lines.append(_Line(lx0, ly0, lx1, ly1, chars))
            chars = [char]
            lx0, ly0, lx1, ly1 = x0, y0, x1, y1
        px0, py0, px1, py1 = x0, y0, x1, y1
    if chars:
        lines.append(_Line(lx0, ly0, lx1, ly1, chars))
    return [_em_box(line) for line in lines if line.text()]


def _turns(handle: Any) -> int:
    """Quarter turns that make most of the page's text run left to right (0 for almost every page).

    A landscape table is often drawn turned by 90 degrees on a portrait page that the viewer turns back
    (``/Rotate``); PDFium gives the characters' boxes as drawn, so its lines would run up the page. Decided by
    the angle of up to 64 characters spread over the page.
    """
    import pypdfium2.raw as raw

    count = raw.FPDFText_CountChars(handle)
    votes = [0, 0, 0, 0]
    for index in range(0, count, max(1, count // 64)):
        angle = raw.FPDFText_GetCharAngle(handle, index)
        if angle >= 0 and raw.FPDFText_GetUnicode(handle, index) > 0x20:
            votes[round(angle / (math.pi / 2)) % 4] += 1
    return (4 - votes.index(max(votes))) % 4  # PDFium measures the angle clockwise


def _turned(turns: int, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    """The box (left, bottom, right, top) turned clockwise by ``turns`` quarter turns.

    Text running up the page (one counter-clockwise quarter turn from normal) is turned back by one clockwise
    quarter turn, (x, y) -> (y, -x), and then runs left to right.
    """
    if turns == 1:
        return y0, -x1, y1, -x0
    if turns == 2:
        return -x1, -y1, -x0, -y0
    if turns == 3:
        return -y1, x0, -y0, x1
    return x0, y0, x1, y1


def _em_box(line: _Line) -> _Line:
    """Shrink the line to the height of its font size, the character height pdfminer works with.

    PDFium's loose boxes span the font's ascent to descent, about 1.17 em for Helvetica and Arial; with them,
    lines a paragraph apart would touch and headings would merge with the text below.
    """
    middle = (line.y0 + line.y1) / 2
    half = (line.y1 - line.y0) * _EM_PER_LOOSE_HEIGHT / 2
    line.y0, line.y1 = middle - half, middle + half
    return line


def _page_chars(handle: Any, count: int) -> str:
    """One character per index of PDFium's char list, fetched in one call; the hyphen marker becomes ``-``.

    PDFium's text buffer has ``U+FFFE`` where its char list holds the hyphen marker (U+0002) or no
    character at all; those few are looked up one by one. Should the buffer not line up with the char list
    (PDFium may leave characters out), every character is looked up one by one.
    """
    import pypdfium2.raw as raw

    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(handle, 0, count, buffer) - 1  # without the terminating NUL
    text = bytes(buffer)[: 2 * max(written, 0)].decode("utf-16-le", errors="replace")
    if len(text) != count:
        codes = [raw.FPDFText_GetUnicode(handle, i) for i in range(count)]
        text = "".join(chr(c) if c and c != _HYPHEN_MARKER else ("-" if c else "\ufffd") for c in codes)
    if "\ufffe" in text:
        chars = list(text)
        for i, char in enumerate(chars):
            if char == "\ufffe":
                chars[i] = "-" if raw.FPDFText_GetUnicode(handle, i) == _HYPHEN_MARKER else "\ufffd"
        text = "".join(chars)
    return text


def _unmapped(handle: Any, text: str) -> frozenset[int]:
    """Indexes of glyphs PDFium could not map to a character (it then passes on the raw glyph code).

    Such glyphs come by the font, so a sample of every 16th character finds them; only a page where the
    sample finds one is checked character by character.
    """
    import pypdfium2.raw as raw

    has_error = raw.FPDFText_HasUnicodeMapError
    if not any(has_error(handle, i) for i in range(0, len(text), _UNMAPPED_SAMPLE)):
        return frozenset()
    return frozenset(i for i in range(len(text)) if has_error(handle, i))


def _boxes(lines: list[_Line]) -> list[_Box]:
    """Join neighbouring, aligned lines of about the same height into boxes (pdfminer's grouping rule)."""
    order = sorted(range(len(lines)), key=lambda i: -lines[i].y1)
    parent = list(range(len(lines)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for pos, i in enumerate(order):
        line = lines[i]
        reach = _LINE_MARGIN * line.height
        for j in order[pos + 1 :]:
            other = lines[j]
            if other.y1 < line.y0 - reach:
                break
            if _neighbours(line, other, reach):
                parent[root(j)] = root(i)
    groups: dict[int, list[_Line]] = {}
    for i in order:
        groups.setdefault(root(i), []).append(lines[i])
    return [
        _Box(min(ln.x0 for ln in group), min(ln.y0 for ln in group), max(ln.x1 for ln in group),
             max(ln.y1 for ln in group), group)
        for group in groups.values()
    ]


def _neighbours(line: _Line, other: _Line, reach: float) -> bool:
    if other.x0 > line.x1 or other.x1 < line.x0:
        return False
    if abs(line.height - other.height) > reach:
        return False
    return (abs(line.x0 - other.x0) <= reach or abs(line.x1 - other.x1) <= reach
            or abs((line.x0 + line.x1) - (other.x0 + other.x1)) / 2 <= reach)


def _count_objects(page: Any, result: _PageText) -> None:
    """Images and drawings on a page without text: a scan, or text converted to outlines."""
    import pypdfium2.raw as raw

    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_PATH]):
        if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
            result.images += 1
        else:
            result.curves += 1
