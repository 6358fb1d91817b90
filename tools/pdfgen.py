"""Reproducible PDFs for tests and the demo corpus, written with reportlab (a dev/test dependency only).

Tests need PDFs whose content they know exactly: German text with umlauts, words broken at line ends,
running headers and page numbers, two columns, several pages, an image-only "scan", encryption. Generating
them at test time keeps binary fixtures out of the repository and makes every test say what its input
contains. Output is byte-for-byte deterministic (reportlab's ``invariant`` mode plus a fixed creation date),
except for :func:`encrypt_pdf`, whose file id is random.

The layout engine is deliberately simple: lines are wrapped greedily with real font metrics and drawn with
``drawString``, so the text layer holds exactly the lines the tests expect. Helvetica's WinAnsi encoding
covers German (äöüÄÖÜß, „ “ ‚ ‘, – —, €); no font file is needed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Literal, Union  # Union: aliases are evaluated at run time on Python 3.10

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["encrypt_pdf", "make_image_only_pdf", "make_pdf", "wrap_words"]

Block = Union[str, tuple[str, str]]  # noqa: UP007
Layout = Literal["plain", "two-column", "header-footer"]
PathLike = Union[str, "os.PathLike[str]", None]

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
SOFT_HYPHEN = "\u00ad"
MARGIN_X = 72.0
MARGIN_TOP = 80.0
MARGIN_BOTTOM = 80.0
COLUMN_GAP = 30.0
#: Shortest piece either side of an invented hyphenation point ("Clus-ter" is fine, "C-luster" is not).
MIN_PART = 3


@dataclass(frozen=True)
class _Line:
    text: str
    font: str
    size: float
    space_before: float = 0.0


def make_pdf(
    path: PathLike,
    blocks: Sequence[Block],
    *,
    title: str | None = None,
    author: str | None = None,
    subject: str | None = None,
    keywords: str | None = None,
    layout: Layout = "plain",
    header_text: str | None = None,
    creation_date: str | None = "D:20130410120000",
    font_size: float = 10,
    hyphenate: bool = False,
) -> bytes:
    """Write a text PDF and return its bytes (also saved to ``path`` unless it is None).

    ``blocks`` are paragraphs (``str``), headings (``("h", text)``) or forced page breaks (``("page", "")``).
    Lines always break at spaces and after hyphens already in a word ("EU-" | "Strukturfonds"); soft hyphens
    (U+00AD) in the text mark further break points; ``hyphenate=True`` also splits any long word between two
    lower-case letters, so tests can check that the reader joins "Clusterför-" | "derung" again.
    ``layout="header-footer"`` repeats ``header_text`` (or the title) on top of every page and puts
    "Seite N von M" at the bottom; ``"two-column"`` sets the text in two columns.
    """
    if layout not in ("plain", "two-column", "header-footer"):
        raise ValueError(f"layout must be 'plain', 'two-column' or 'header-footer'. Got {layout!r} instead.")
    width, height = A4
    columns = 2 if layout == "two-column" else 1
    column_width = (width - 2 * MARGIN_X - (columns - 1) * COLUMN_GAP) / columns
    lines = _layout_blocks(blocks, column_width, font_size, hyphenate)
    pages = _paginate(lines, columns, height - MARGIN_TOP - MARGIN_BOTTOM)
    buffer = BytesIO()
    canvas = _canvas(buffer, title, author, subject, keywords, creation_date)
    for number, page in enumerate(pages, start=1):
        for column, column_lines in enumerate(page):
            x = MARGIN_X + column * (column_width + COLUMN_GAP)
            _draw_column(canvas, column_lines, x, height - MARGIN_TOP)
        if layout == "header-footer":
            _draw_running(canvas, header_text or title or "", number, len(pages), font_size)
        canvas.showPage()
    canvas.save()
    return _finish(buffer.getvalue(), path)


def _canvas(buffer: BytesIO, title: str | None, author: str | None, subject: str | None, keywords: str | None,
            creation_date: str | None) -> Canvas:
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(title or "")
    canvas.setAuthor(author or "")
    canvas.setSubject(subject or "")
    canvas.setKeywords(keywords or "")
    canvas.setCreator("clustermine tools/pdfgen.py")
    if creation_date:
        canvas.setDateFormatter(lambda *_: creation_date)
    return canvas


def _finish(data: bytes, path: PathLike) -> bytes:
    if path is not None:
        with open(path, "wb") as handle:
            handle.write(data)
    return data


# --------------------------------------------------------------------------------------------------------
# line breaking


def _layout_blocks(blocks: Sequence[Block], width: float, size: float, hyphenate: bool) -> list[_Line | None]:
    """Turn blocks into drawable lines; ``None`` stands for a forced page break."""
    lines: list[_Line | None] = []
    for block in blocks:
        kind, text = ("p", block) if isinstance(block, str) else block
        if kind == "page":
            lines.append(None)
            continue
        font, font_size = (BOLD, size + 3) if kind == "h" else (FONT, size)
        for i, text_line in enumerate(wrap_words(text, width, font, font_size, hyphenate=hyphenate)):
            gap = font_size * (1.0 if kind == "h" else 0.7) if i == 0 and lines else 0.0
            lines.append(_Line(text_line, font, font_size, gap))
    return lines


def wrap_words(
    text: str, width: float, font: str = FONT, size: float = 10, *, hyphenate: bool = False
) -> list[str]:
    """Greedy line breaking with real font metrics; the returned lines carry their break hyphens."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while word:
            candidate = f"{current} {word}" if current else word
            if stringWidth(candidate.replace(SOFT_HYPHEN, ""), font, size) <= width:
                current, word = candidate, ""
                continue
            head, word = _split_word(word, current, width, font, size, hyphenate)
            if head:
                current = f"{current} {head}" if current else head
            elif not current:  # a word wider than the line: let it stick out
                current, word = word, ""
            lines.append(current.replace(SOFT_HYPHEN, ""))
            current = ""
    if current:
        lines.append(current.replace(SOFT_HYPHEN, ""))
    return lines


def _split_word(
    word: str, current: str, width: float, font: str, size: float, hyphenate: bool
) -> tuple[str, str]:
    """The longest head of ``word`` (ending in a hyphen) that still fits after ``current``, and the rest."""
    prefix = f"{current} " if current else ""
    for position in sorted(_break_points(word, hyphenate), reverse=True):
        head = word[:position].rstrip(SOFT_HYPHEN)
        head = head if head.endswith("-") else head + "-"
        if stringWidth((prefix + head).replace(SOFT_HYPHEN, ""), font, size) <= width:
            return head, word[position:].lstrip(SOFT_HYPHEN)
    return "", word


def _break_points(word: str, hyphenate: bool) -> Iterable[int]:
    """Where ``word`` may be split: after its hyphens, at soft hyphens, and (hyphenating) between letters."""
    points = {i + 1 for i, c in enumerate(word[:-1]) if c == "-" and i > 0}
    points |= {i for i, c in enumerate(word) if c == SOFT_HYPHEN and 0 < i < len(word) - 1}
    if hyphenate and SOFT_HYPHEN not in word:
        plain = word.rstrip(".,;:!?)\u201c\"'")
        points |= {
            i for i in range(MIN_PART, len(plain) - MIN_PART + 1)
            if plain[i - 1].islower() and plain[i].islower()
        }
    return points


def _paginate(lines: list[_Line | None], columns: int, frame_height: float) -> list[list[list[_Line]]]:
    """Fill column after column, page after page."""
    pages: list[list[list[_Line]]] = [[[]]]
    used = 0.0
    for line in lines:
        if line is None:
            pages.append([[]])
            used = 0.0
            continue
        needed = line.space_before + line.size * 1.25
        if used + needed > frame_height and pages[-1][-1]:
            if len(pages[-1]) < columns:
                pages[-1].append([])
            else:
                pages.append([[]])
            used = 0.0
            line = _Line(line.text, line.font, line.size)  # no gap at the top of a column
            needed = line.size * 1.25
        pages[-1][-1].append(line)
        used += needed
    return pages


def _draw_column(canvas: Canvas, lines: list[_Line], x: float, top: float) -> None:
    y = top
    for line in lines:
        y -= line.space_before + line.size * 1.25
        canvas.setFont(line.font, line.size)
        canvas.drawString(x, y, line.text)


def _draw_running(canvas: Canvas, header: str, number: int, total: int, size: float) -> None:
    """Running header on top, "Seite N von M" at the bottom: what remove_repeated_lines must take away."""
    width, height = A4
    canvas.setFont(FONT, size - 2)
    if header:
        canvas.drawString(MARGIN_X, height - MARGIN_TOP / 2, header)
    canvas.drawCentredString(width / 2, MARGIN_BOTTOM / 2, f"Seite {number} von {total}")


# --------------------------------------------------------------------------------------------------------
# scans and encryption


def make_image_only_pdf(path: PathLike = None, *, pages: int = 1, kind: Literal["image", "shapes"] = "image",
                        title: str | None = None) -> bytes:
    """A PDF without any text: each page holds a grey raster image (like a scan) or only vector shapes."""
    buffer = BytesIO()
    canvas = _canvas(buffer, title, None, None, None, "D:20130410120000")
    for _ in range(pages):
        if kind == "image":
            canvas.drawImage(ImageReader(_scan_image()), MARGIN_X, 200, width=450, height=560)
        else:
            for row in range(30):
                canvas.rect(MARGIN_X, 750 - row * 20, 300 + (row * 37) % 150, 8, stroke=0, fill=1)
        canvas.showPage()
    canvas.save()
    return _finish(buffer.getvalue(), path)


def _scan_image() -> Image:
    """A grey page with dark bars where a scan would show lines of text (Pillow comes with reportlab)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (450, 560), color=235)
    draw = ImageDraw.Draw(image)
    for row in range(30):
        top = 20 + row * 18
        draw.rectangle((20, top, 20 + 260 + (row * 53) % 150, top + 8), fill=40)
    return image


def encrypt_pdf(data: bytes, user_password: str = "", owner_password: str = "x",
                algorithm: str = "RC4-128") -> bytes:
    """Encrypt ``data`` with pypdf. An empty ``user_password`` gives a PDF every viewer opens without asking;
    ``algorithm`` is any pypdf accepts (``"RC4-128"``, ``"AES-128"``, ``"AES-256"``)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm=algorithm)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
