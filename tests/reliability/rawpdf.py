"""Hand-built PDFs for the structures reportlab never writes: broken cross-reference tables, page trees that
point at themselves, thousands of pages, content streams that inflate to hundreds of megabytes.

A PDF is a list of numbered objects plus a cross-reference table of their byte offsets; writing them by hand
takes a few lines and lets a test break exactly the part it is about.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def stream(content: bytes, *, compress: bool = False) -> bytes:
    """A stream object body; ``compress`` deflates it (and says so in the dictionary)."""
    if compress:
        content = zlib.compress(content, 9)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def text_content(lines: Sequence[str]) -> bytes:
    """A page content stream drawing ``lines`` in Helvetica (WinAnsi covers German)."""
    parts = [b"BT /F1 11 Tf 72 770 Td 14 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        parts.append(b"(" + escaped.encode("cp1252") + b") '")
    parts.append(b"ET")
    return b"\n".join(parts)


def assemble(objects: Sequence[bytes], *, root: int = 1, xref: str = "good") -> bytes:
    """Objects 1..n, a cross-reference table and a trailer.

    ``xref``: ``"good"``; ``"shifted"`` (every offset off by 7 bytes, as after an editor re-saved the file
    with other line ends); ``"garbage"`` (the table replaced by junk); ``"none"`` (no table, no startxref).
    """
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    trailer = b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(objects) + 1, root)
    if xref == "none":
        out += trailer + b"%%EOF\n"
        return bytes(out)
    if xref == "garbage":
        out += b"xref\n0 %d\n" % (len(objects) + 1) + b"this is no table at all\n" * 3 + trailer
    else:
        shift = 7 if xref == "shifted" else 0
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % (offset + shift) for offset in offsets)
        out += trailer
    out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def simple_pdf(pages: Sequence[Sequence[str]], *, xref: str = "good") -> bytes:
    """A text PDF with one page per entry of ``pages`` (each a list of lines)."""
    count = len(pages)
    # 1 catalog, 2 pages, 3 font, then per page: page object and its content stream
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count), FONT]
    for i, lines in enumerate(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Contents %d 0 R >>" % (5 + 2 * i))
        objects.append(stream(text_content(lines)))
    return assemble(objects, xref=xref)


def many_pages_pdf(count: int, words: Sequence[str], *, seed: int = 0) -> bytes:
    """``count`` pages, each with a different line of ``words`` (a line on every page would be taken for a
    running header and removed)."""
    import random

    rng = random.Random(seed)
    return simple_pdf([[" ".join(rng.choices(words, k=8))] for _ in range(count)])


def cyclic_page_tree_pdf() -> bytes:
    """A page tree whose node lists itself among its kids (a loop a naive walker follows for ever)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 4 0 R] /Count 2 >>",
        FONT,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
        b" /Contents 5 0 R >>",
        stream(text_content(["Kreislauf im Seitenbaum"])),
    ]
    return assemble(objects)


def nested_arrays_pdf(depth: int = 100_000) -> bytes:
    """An object of arrays nested ``depth`` deep inside the page resources (parser recursion)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        FONT,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> /X 6 0 R >>"
        b" /Contents 5 0 R >>",
        stream(text_content(["Verschachtelt"])),
        b"[" * depth + b"]" * depth,
    ]
    return assemble(objects)


def inflation_bomb_pdf(megabytes: int) -> bytes:
    """One page whose content stream inflates from about 1/1000 of ``megabytes`` to ``megabytes`` MB."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    packed = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    body = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        FONT,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
        b" /Contents 5 0 R >>",
        body,
    ]
    return assemble(objects)
