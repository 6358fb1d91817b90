"""The PDF reader: text per page and the document information dictionary, via PDFium or pdfminer.six.

:func:`read_pdf` chooses the engine: PDFium (:mod:`clustermine.corpus.pdf_pdfium`) by default, pdfminer.six
when asked for or when PDFium cannot open a file or gives no usable text. The page layout (reading order,
headers and footers, hyphenation) is this module's, whichever engine found the characters.

This is the only module that imports pdfminer, so the PDF backend can be swapped here alone. pdfminer is slow
(a few pages per second), so the file is parsed once: the same ``PDFDocument`` gives the info dictionary, the
encryption state and the pages, and each page is laid out once.

Every failure a damaged file can provoke inside pdfminer becomes an :class:`UnreadableError` (or one of its
subclasses), because one broken PDF must not end a batch of thousands.
"""

from __future__ import annotations

import codecs
import datetime as dt
import logging
import re
import struct
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTContainer, LTCurve, LTImage, LTPage, LTTextBox
from pdfminer.pdfdocument import (
    PDFDocument,
    PDFEncryptionError,
    PDFNoValidXRef,
    PDFPasswordIncorrect,
    PDFXRefFallback,
)
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.psexceptions import PSException
from pdfminer.psparser import PSLiteral
from pdfminer.utils import PDFDocEncoding

from clustermine.corpus.normalise import join_hyphenation, normalise_text, remove_repeated_lines
from clustermine.errors import (
    ClustermineError,
    EmptyDocumentError,
    EncryptedError,
    NoTextLayerError,
    UnreadableError,
)
from clustermine.model import Extraction

__all__ = ["DEFAULT_ENGINE", "ENGINES", "LAPARAMS", "check_engine", "read_pdf"]

#: The PDF engines: PDFium (:mod:`clustermine.corpus.pdf_pdfium`, fast, native) and pdfminer.six (this
#: module, pure Python). Both feed the same reading order, header/footer removal and hyphenation joining;
#: on the German sample and demo PDFs their texts agree to 99.9 % (``bench/compare_pdf_engines.py``) and
#: PDFium is about six times as fast (``bench/bench_pdf.py``), so it is the default and pdfminer.six its
#: fallback.
ENGINES = ("pdfium", "pdfminer")
DEFAULT_ENGINE = "pdfium"

log = logging.getLogger(__name__)
# pdfminer warns on every odd object in damaged PDFs; without logging configured Python prints those to stderr,
# which would bury the one line per bad file the user needs. Problems reach the user as UnreadableError instead.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

#: Layout analysis settings. pdfminer groups characters into lines and lines into text boxes; the order of
#: the boxes is ours (:func:`_reading_order`), so ``boxes_flow=None`` skips pdfminer's own box ordering, which
#: reads a short last column before a long first one and costs O(n² log n) on pages with many boxes.
#: ``char_margin=2.0`` keeps the gutter between columns from being read as a space inside one line;
#: ``word_margin=0.1`` inserts a space at small gaps, so words set without space characters do not run
#: together; ``all_texts=True`` also reads text drawn inside form XObjects, which some producers use for
#: whole pages.
LAPARAMS = LAParams(
    line_overlap=0.5,
    char_margin=2.0,
    line_margin=0.5,
    word_margin=0.1,
    boxes_flow=None,
    detect_vertical=False,
    all_texts=True,
)

#: Share of the page height at the top and bottom where running headers and footers sit. A band of boxes
#: (set off by white space from the rest) lying wholly in that zone is read before (top) or after (bottom)
#: the body, so that remove_repeated_lines finds it at the page edge even on a page with columns.
_MARGIN_ZONE = 0.12
#: A column split needs a vertical gutter at least this wide (points) with at least this share of the
#: region's width on each side, so that a narrow column of labels ("Betreff:", "Beschluss:") stays beside
#: its text instead of being read as a column of its own.
_MIN_GUTTER = 6.0
_MIN_COLUMN_SHARE = 0.25
#: Pages with more boxes than this (big tables) keep the simple top-to-bottom order: the recursion is
#: quadratic in the worst case.
_MAX_BOXES_TO_ORDER = 400

#: What pdfminer raises on damaged input. Its own exceptions derive from ``PSException``; the rest are
#: builtins it lets through from deep inside (bad indexes, missing keys, broken streams, cyclic references).
PDF_ERRORS: tuple[type[BaseException], ...] = (
    PSException,
    LookupError,
    ValueError,
    TypeError,
    AttributeError,
    AssertionError,
    ArithmeticError,
    RecursionError,
    NotImplementedError,
    EOFError,
    zlib.error,
    struct.error,
)

_DAMAGED_HINT = "download it again, or open it in a PDF viewer and save a new copy"
_OCR_HINT = "the PDF is a scan without text layer; run OCR (e.g. ocrmypdf -l deu) and add it again"
_PASSWORD_HINT = "remove the password, e.g. with qpdf --decrypt, and add it again"

#: A glyph pdfminer could not map to a character; such text is noise, not content.
_CID = re.compile(r"\(cid:\d+\)")
_SPACE_RUN = re.compile(r"[ \t]+")
_FIRST_WORD = re.compile(r"[^\s]+[.,;:!?]?")


@dataclass
class _PageText:
    """The text of one page and what else was on it (to tell a scan from an empty page)."""

    text: str = ""
    images: int = 0
    curves: int = 0
    undecodable: int = 0
    error: str | None = None


@dataclass
class _Scan:
    pages: list[_PageText] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_pdf(data: bytes, name: str = "", *, engine: str | None = None) -> Extraction:
    """Extract the text of each page and the document information of the PDF in ``data``.

    ``engine`` is ``"pdfium"`` (the default, :data:`DEFAULT_ENGINE`; pdfminer.six takes over a file PDFium
    cannot read well, with a note) or ``"pdfminer"``. ``name`` is only used in log messages; the caller
    puts the path into error reports itself.
    Raises :class:`UnreadableError` (not a PDF, damaged, truncated), :class:`EncryptedError`,
    :class:`NoTextLayerError` (scanned pages without OCR) or :class:`EmptyDocumentError`.
    """
    if not data.strip():
        raise EmptyDocumentError("the file is empty (0 bytes of content)", hint="download it again")
    _check_header(data)
    fallback: list[str] = []
    if check_engine(engine or DEFAULT_ENGINE) == "pdfium":
        from clustermine.corpus.pdf_pdfium import PdfiumFallback, read_pdf_pdfium

        try:
            return read_pdf_pdfium(data, name)
        except PdfiumFallback as exc:
            log.debug("pdfium gave up on %s: %s", name or "<bytes>", exc.reason)
            fallback.append(f"read with pdfminer.six because pdfium {exc.reason}")
    scan = _Scan()
    try:
        title, info = _parse(data, scan, PDFDocument)
    except ClustermineError:
        raise
    except PDF_ERRORS as exc:
        log.debug("pdfminer failed on %s", name or "<bytes>", exc_info=True)
        recovered = _recover(data)
        if recovered is None:
            raise _damaged(exc) from exc
        scan, title, info = recovered
    if not scan.pages:  # a table whose offsets point to the wrong places gives no pages, but no error either
        scan, title, info = _recover(data) or (scan, title, info)
    pages = _finish_pages(scan)
    return Extraction(format="pdf", pages=tuple(pages), title=title, info=info, notes=(*fallback, *scan.notes))


def check_engine(engine: str) -> str:
    """``engine`` if it names a PDF engine; a ValueError in the project's wording otherwise."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}. Got {engine!r} instead.")
    return engine


# ----------------------------------------------------------------------------------------------------
# opening


def _check_header(data: bytes) -> None:
    """Reject what is not a PDF at all before pdfminer spends time searching it for objects."""
    if b"%PDF-" not in data[:1024]:
        kind = _guess_kind(data)
        raise UnreadableError(
            f"not a PDF file (it starts with {data[:8]!r}{kind})",
            hint="check that the download worked; a PDF starts with %PDF-",
        )


def _guess_kind(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return ", which looks like an HTML page, e.g. a login or error page"
    if head.startswith(b"pk\x03\x04"):
        return ", which looks like a ZIP archive or an office document"
    return ""


def _parse(data: bytes, scan: _Scan, kind: type[PDFDocument]) -> tuple[str | None, dict[str, str]]:
    document = _open(data, scan.notes, kind)
    _check_complete(document, data, scan.notes)
    title, info = _document_info(document)
    _read_pages(document, scan)
    return title, info


class _ScannedDocument(PDFDocument):
    """A document whose objects are found by scanning the file, its cross-reference table ignored."""

    def find_xref(self, parser: PDFParser) -> int:
        raise PDFNoValidXRef("cross-reference table ignored")


def _recover(data: bytes) -> tuple[_Scan, str | None, dict[str, str]] | None:
    """Read the file again without trusting its cross-reference table (offsets shifted by an editor or a
    transfer that changed line ends); None when that finds no pages either."""
    scan = _Scan()
    try:
        title, info = _parse(data, scan, _ScannedDocument)
    except (ClustermineError, *PDF_ERRORS):
        return None
    return (scan, title, info) if scan.pages else None  # _check_complete noted the recovery


def _open(data: bytes, notes: list[str], kind: type[PDFDocument] = PDFDocument) -> PDFDocument:
    """Parse the document structure, opening encrypted files with the empty password where that works."""
    parser = PDFParser(BytesIO(data))
    try:
        document = kind(parser, password="")
    except PDFPasswordIncorrect:
        raise EncryptedError("PDF is encrypted and needs a password", hint=_PASSWORD_HINT) from None
    except PDFEncryptionError as exc:
        raise EncryptedError(f"PDF uses an encryption that cannot be opened ({_summary(exc)})",
                             hint=_PASSWORD_HINT) from None
    if document.encryption is not None:
        notes.append("encrypted; opened with empty password")
    if not document.is_extractable:
        notes.append("the PDF's permissions forbid copying text; text extracted for analysis anyway")
    return document


def _check_complete(document: PDFDocument, data: bytes, notes: list[str]) -> None:
    """Tell a cut-off download from a PDF that only has a sloppy end.

    Without the final ``%%EOF`` and without a readable cross-reference table, the file was cut off: reading
    the objects that survived would put a silently partial text into the corpus.
    """
    has_eof = b"%%EOF" in data[-4096:]
    recovered = any(isinstance(xref, PDFXRefFallback) for xref in document.xrefs)
    if not has_eof and recovered:
        raise UnreadableError(
            "the file is damaged or incomplete (it ends without the PDF end marker %%EOF; it was cut off)",
            hint=_DAMAGED_HINT,
        )
    if recovered:
        notes.append("cross-reference table damaged; objects recovered by scanning the file")
    elif not has_eof:
        notes.append("no %%EOF marker at the end of the file")


def _damaged(exc: BaseException) -> UnreadableError:
    message = f"the file is damaged or incomplete (PDF parser: {_summary(exc)})"
    return UnreadableError(message, hint=_DAMAGED_HINT)


def _summary(exc: BaseException) -> str:
    """One line, not too long: pdfminer messages may quote whole dictionaries."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, RecursionError):
        text = "objects nested too deeply or referring to themselves"
    return text if len(text) <= 120 else text[:117] + "..."


# ----------------------------------------------------------------------------------------------------
# document information


#: Info dictionary entries copied into ``Extraction.info`` (dates are parsed separately).
_INFO_KEYS = {"Author": "author", "Subject": "subject", "Keywords": "keywords", "Producer": "producer",
              "Creator": "creator"}


def _document_info(document: PDFDocument) -> tuple[str | None, dict[str, str]]:
    """Title and the ``info`` mapping of :class:`Extraction` from the Info dictionary and the catalog."""
    raw: dict[str, Any] = {}
    for entry in reversed(document.info):  # pdfminer lists the newest trailer first; newest wins
        entry = resolve1(entry)
        if isinstance(entry, dict):
            raw.update(entry)
    info: dict[str, str] = {}
    for key, target in _INFO_KEYS.items():
        value = _pdf_string(raw.get(key))
        if value and not _is_placeholder(key, value):
            info[target] = value
    for key, target in (("CreationDate", "created"), ("ModDate", "modified")):
        date = parse_pdf_date(_pdf_string(raw.get(key)))
        if date:
            info[target] = date
    language = _pdf_string(document.catalog.get("Lang"))
    if language:
        info["language"] = language
    return clean_title(_pdf_string(raw.get("Title"))), info


def _is_placeholder(key: str, value: str) -> bool:
    """Values that libraries fill in by default ("untitled", "anonymous", "unspecified", "Administrator")."""
    return bool(_GENERIC_TITLES.match(value) or key == "Author" and _GENERIC_AUTHORS.match(value))


def _pdf_string(value: Any) -> str | None:
    """A text string from the info dictionary, decoded and normalised; None for anything else or blank."""
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        value = value.name
    if isinstance(value, bytes):
        value = decode_pdf_string(value)
    if not isinstance(value, str):
        return None
    text = " ".join(normalise_text(value).split())
    return text or None


def decode_pdf_string(raw: bytes) -> str:
    """Decode a PDF text string: UTF-16 with byte order mark, UTF-8 with BOM (PDF 2.0), else PDFDocEncoding.

    Producers that wrote UTF-8 without a BOM come out as mojibake here; :func:`normalise_text` repairs that.
    """
    if raw.startswith(codecs.BOM_UTF16_BE):
        return raw[2:].decode("utf-16-be", errors="replace")
    if raw.startswith(codecs.BOM_UTF16_LE):
        return raw[2:].decode("utf-16-le", errors="replace")
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace")
    return "".join(PDFDocEncoding[b] for b in raw)


_PDF_DATE = re.compile(
    r"^\s*(?:D:)?(?P<y>\d{4})(?P<mo>\d{2})?(?P<d>\d{2})?(?P<h>\d{2})?(?P<mi>\d{2})?(?P<s>\d{2})?"
    r"\s*(?:(?P<z>Z)|(?P<sign>[+-])(?P<oh>\d{2})'?(?P<om>\d{2})?'?)?"
)


def parse_pdf_date(value: str | None) -> str | None:
    """``D:20130410120000+02'00'`` -> ``2013-04-10T12:00:00+02:00``; ``D:2013`` -> ``2013``; junk -> None.

    As precise as the file is: a date without time gives ``YYYY-MM-DD`` and a year alone gives ``YYYY``, the
    partial dates clustermine uses everywhere. The first ten characters are always the calendar date.
    """
    match = _PDF_DATE.match(value or "")
    if not match:
        return None
    parts = match.groupdict()
    year = int(parts["y"])
    if not 1980 <= year <= 2100:  # PDF did not exist before; Word's zero dates are junk
        return None
    if parts["mo"] is None:
        return f"{year:04d}"
    try:
        day = dt.date(year, int(parts["mo"]), int(parts["d"] or 1))
    except ValueError:
        return None
    if parts["d"] is None:
        return day.isoformat()[:7]
    if parts["h"] is None:
        return day.isoformat()
    return _with_time(day, parts)


def _with_time(day: dt.date, parts: Mapping[str, str | None]) -> str:
    hour, minute, second = (int(parts[k] or 0) for k in ("h", "mi", "s"))
    if hour > 23 or minute > 59 or second > 59:
        return day.isoformat()
    stamp = f"{day.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}"
    if parts["z"]:
        return stamp + "Z"
    if parts["sign"] and parts["oh"] and int(parts["oh"]) <= 14:
        return f"{stamp}{parts['sign']}{parts['oh']}:{parts['om'] or '00'}"
    return stamp


#: Titles that say nothing: what office suites and PDF libraries fill in by default.
_GENERIC_TITLES = re.compile(
    r"^(untitled|unbenannt|ohne titel|no title|kein titel|titel|title|none|null|anonymous|unknown|unspecified"
    r"|dokument\s*\d*|document\s*\d*|vorlage\s*\d*|template\s*\d*|folie\s*\d*|slide\s*\d*|seite\s*\d*"
    r"|präsentation\s*\d*|presentation\s*\d*|powerpoint[- ]präsentation|powerpoint presentation"
    r"|microsoft word|microsoft powerpoint|word|pdf|brief|briefkopf|formular|neues dokument|new document)$",
    re.IGNORECASE,
)
#: Authors that name an account, not a person or an office.
_GENERIC_AUTHORS = re.compile(
    r"^(admin|administrator|user|benutzer|nutzer|owner|besitzer|default|standard|gast|guest|test"
    r"|windows[- ]benutzer|windows user|microsoft office[- ](user|anwender|benutzer)|office user"
    r"|pc|rechner)$",
    re.IGNORECASE,
)
_APP_PREFIX = re.compile(r"^(microsoft\s+)?(word|powerpoint|excel)\s+-\s+", re.IGNORECASE)
_FILE_SUFFIX = re.compile(r"\.(docx?|dotx?|rtf|odt|ott|pptx?|xlsx?|pdf|indd|qxd|txt|html?)$", re.IGNORECASE)


def clean_title(title: str | None) -> str | None:
    """The document's own title, or None when it is a placeholder or a file name.

    "Microsoft Word - Clusterbericht 2013.doc" -> "Clusterbericht 2013"; "untitled", "Dokument1",
    "Microsoft Word - vorlage.doc" and "C:\\Daten\\bericht_final_v2.doc" -> None.
    """
    if not title:
        return None
    text = _FILE_SUFFIX.sub("", _APP_PREFIX.sub("", title.strip())).strip(" -_.")
    if "\\" in text or "/" in text and " " not in text:
        return None  # a path
    if " " not in text and "_" in text:
        return None  # a file name: bericht_final_v2
    if len(text) < 3 or not any(c.isalpha() for c in text) or _GENERIC_TITLES.match(text):
        return None
    return text


# ----------------------------------------------------------------------------------------------------
# pages


def _read_pages(document: PDFDocument, scan: _Scan) -> None:
    """Lay out every page once and keep its text and what else it holds."""
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=LAPARAMS)
    interpreter = PDFPageInterpreter(resources, device)
    for page in _pages(document, scan):
        try:
            interpreter.process_page(page)
            scan.pages.append(_page_text(device.get_result()))
        except PDF_ERRORS as exc:
            scan.pages.append(_PageText(error=_summary(exc)))


def _pages(document: PDFDocument, scan: _Scan) -> Iterator[PDFPage]:
    """The pages in order; a page tree that breaks after some pages keeps those (with a note)."""
    pages = PDFPage.create_pages(document)
    while True:
        try:
            yield next(pages)
        except StopIteration:
            return
        except PDF_ERRORS as exc:
            if not scan.pages:
                raise
            last = len(scan.pages)
            scan.notes.append(f"page tree damaged after page {last}; rest left out ({_summary(exc)})")
            return


def _page_text(layout: LTPage) -> _PageText:
    page = _PageText()
    boxes: list[LTTextBox] = []
    for item in _walk(layout):
        if isinstance(item, LTTextBox):
            boxes.append(item)
        elif isinstance(item, LTImage):
            page.images += 1
        elif isinstance(item, LTCurve):
            page.curves += 1
    texts = (_box_text(box.get_text(), page) for box in _reading_order(boxes, layout.y0, layout.y1))
    page.text = "\n\n".join(text for text in texts if text)
    return page


def _walk(container: LTContainer[Any]) -> Iterator[Any]:
    """Everything on the page, descending into figures (whose text boxes are in page coordinates)."""
    for item in container:
        yield item
        if isinstance(item, LTContainer) and not isinstance(item, LTTextBox):
            yield from _walk(item)


def _reading_order(boxes: list[LTTextBox], bottom: float, top: float) -> list[LTTextBox]:
    """Order text boxes as a person reads them: header zone, body column by column, footer zone.

    The body is cut recursively (an XY-cut): first into columns at a vertical gutter that runs through the
    whole region, then into bands at horizontal gaps, and what cannot be cut is read top to bottom.
    """
    if len(boxes) > _MAX_BOXES_TO_ORDER:
        return _top_down(boxes)
    zone = (top - bottom) * _MARGIN_ZONE
    bands = _split(boxes, lambda b: (-b.y1, -b.y0), 1.0)
    head: list[LTTextBox] = []
    foot: list[LTTextBox] = []
    while len(bands) > 1 and min(b.y0 for b in bands[0]) >= top - zone:
        head += bands.pop(0)
    while len(bands) > 1 and max(b.y1 for b in bands[-1]) <= bottom + zone:
        foot = bands.pop() + foot
    body = [b for band in bands for b in band]
    return _xy_cut(head) + _xy_cut(body) + _xy_cut(foot)


def _top_down(boxes: list[LTTextBox]) -> list[LTTextBox]:
    return sorted(boxes, key=lambda b: (-round(b.y1), b.x0))


def _xy_cut(boxes: list[LTTextBox]) -> list[LTTextBox]:
    if len(boxes) < 2:
        return boxes
    columns = _split_columns(boxes)
    if columns:
        return [b for column in columns for b in _xy_cut(column)]
    bands = _split(boxes, lambda b: (-b.y1, -b.y0), 1.0)
    if len(bands) > 1:
        return [b for band in bands for b in _xy_cut(band)]
    return _top_down(boxes)


def _split_columns(boxes: list[LTTextBox]) -> list[list[LTTextBox]] | None:
    """Left and right of the first gutter that leaves a real column on both sides, or None."""
    parts = _split(boxes, lambda b: (b.x0, b.x1), _MIN_GUTTER)
    if len(parts) < 2:
        return None
    width = max(b.x1 for b in boxes) - min(b.x0 for b in boxes)
    for i in range(1, len(parts)):
        left = [b for part in parts[:i] for b in part]
        right = [b for part in parts[i:] for b in part]
        if min(_extent(left), _extent(right)) >= _MIN_COLUMN_SHARE * width:
            return [left, right]
    return None


def _extent(boxes: list[LTTextBox]) -> float:
    return max(b.x1 for b in boxes) - min(b.x0 for b in boxes)


def _split(boxes: list[LTTextBox], span: Any, min_gap: float) -> list[list[LTTextBox]]:
    """Group boxes whose projections (``span(box)`` = start, end) overlap or lie closer than ``min_gap``."""
    groups: list[list[LTTextBox]] = []
    end = float("-inf")
    for box in sorted(boxes, key=span):
        start, stop = span(box)
        if not groups or start - end >= min_gap:
            groups.append([box])
            end = stop
        else:
            groups[-1].append(box)
            end = max(end, stop)
    return groups


def _box_text(text: str, page: _PageText) -> str:
    """One text box: tabs and runs of spaces from justified text made single spaces, junk glyphs counted."""
    text, found = _CID.subn("", text.replace("\f", " "))
    page.undecodable += found
    lines = (_SPACE_RUN.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _finish_pages(scan: _Scan) -> list[str]:
    """Normalise, strip headers and footers, join hyphenation; raise when nothing readable is left."""
    if not scan.pages:
        raise EmptyDocumentError("the PDF has no pages", hint="download it again")
    if all(page.error for page in scan.pages):
        raise UnreadableError(f"the file is damaged or incomplete (PDF parser: {scan.pages[0].error})",
                              hint=_DAMAGED_HINT)
    texts = remove_repeated_lines([normalise_text(page.text) for page in scan.pages])
    # one call for the whole document, so that a hyphenated spelling on one page informs the others
    texts = _join_across_pages(join_hyphenation("\f".join(texts)).split("\f"))
    _note_problems(scan, texts)
    if not any(texts):
        _raise_no_text(scan)
    return texts


def _join_across_pages(texts: list[str]) -> list[str]:
    """Move the rest of a word that the page break split ("Förde-" | "rung ...") back onto its first page."""
    for i in range(len(texts) - 1):
        head, tail = texts[i], texts[i + 1]
        if not head.endswith("-") or not tail[:1].isalpha():
            continue
        first_word = _FIRST_WORD.match(tail)
        if first_word is None:
            continue
        joined = join_hyphenation(f"{head}\n{first_word.group()}")
        if "\n" + first_word.group() not in joined:
            rest = tail[first_word.end():].lstrip(" ")
            texts[i], texts[i + 1] = joined, rest[1:] if rest.startswith("\n") else rest
    return texts


def _note_problems(scan: _Scan, texts: list[str]) -> None:
    failed = [str(i + 1) for i, page in enumerate(scan.pages) if page.error]
    if failed:
        scan.notes.append(f"page(s) {', '.join(failed)} could not be read and were left empty")
    images_only = [str(i + 1) for i, (page, text) in enumerate(zip(scan.pages, texts, strict=True))
                   if not text and page.images and not page.error]
    if images_only and any(texts):
        listed = ", ".join(images_only)
        scan.notes.append(f"page(s) {listed} are images without text (scanned?); OCR would add them")
    undecodable = sum(page.undecodable for page in scan.pages)
    if undecodable:
        scan.notes.append(f"{undecodable} glyph(s) without a character mapping were left out")


def _raise_no_text(scan: _Scan) -> None:
    pages = len(scan.pages)
    if any(page.images for page in scan.pages):
        raise NoTextLayerError(f"no text on any of the {pages} page(s), only images", hint=_OCR_HINT)
    if any(page.undecodable for page in scan.pages):
        raise NoTextLayerError(
            f"the text of the {pages} page(s) cannot be decoded (fonts without a character map)",
            hint="run OCR (e.g. ocrmypdf --force-ocr -l deu) and add it again",
        )
    if any(page.curves for page in scan.pages):
        raise NoTextLayerError(
            f"no text on any of the {pages} page(s), only drawings (text converted to outlines?)",
            hint=_OCR_HINT,
        )
    raise EmptyDocumentError(f"the PDF has {pages} page(s) but no text", hint="look at it in a PDF viewer")
