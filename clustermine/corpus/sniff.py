"""Decide which reader a file needs by looking at its bytes, not at its name.

Downloaded council papers are often misnamed: a ``.pdf`` that is an HTML error page, a ``.pdf`` that holds
JSON, a ``.doc`` that is really RTF. So content decides and the extension only breaks ties (HTML fragments,
damaged archives). Files no reader handles are refused here with a message that names what they are and
what to do, so a batch report tells the user more than "cannot read".
"""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib

from clustermine.errors import EmptyDocumentError, EncryptedError, UnreadableError, UnsupportedFormatError

#: What :func:`sniff_format` can answer; each has a reader in :mod:`clustermine.corpus.readers`.
SNIFFED_FORMATS: tuple[str, ...] = ("pdf", "html", "docx", "odt", "text", "json")

READABLE_HINT = "clustermine reads PDF, HTML, DOCX, ODT and plain text"
_SAVE_AS = "open it in Word or LibreOffice and save it as DOCX or PDF"
_EXPORT = "export it as PDF or plain text first"
_UNPACK = "unpack the archive and add the files inside"

# (magic, offset, kind, hint). Ordered so that longer, more specific signatures win.
_SIGNATURES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "PNG image", "run OCR on it first or add the original document"),
    (b"\xff\xd8\xff", 0, "JPEG image", "run OCR on it first or add the original document"),
    (b"GIF87a", 0, "GIF image", "add the original document instead"),
    (b"GIF89a", 0, "GIF image", "add the original document instead"),
    (b"II*\x00", 0, "TIFF image", "run OCR on it first, or convert it to a searchable PDF"),
    (b"MM\x00*", 0, "TIFF image", "run OCR on it first, or convert it to a searchable PDF"),
    (b"AT&TFORM", 0, "DjVu document", "convert it to PDF first"),
    (b"%!PS", 0, "PostScript file", "convert it to PDF first (ps2pdf)"),
    (b"{\\rtf", 0, "RTF document", _SAVE_AS),
    (b"SQLite format 3\x00", 0, "SQLite database", READABLE_HINT),
    (b"\x1f\x8b", 0, "gzip archive", _UNPACK),
    (b"7z\xbc\xaf\x27\x1c", 0, "7-Zip archive", _UNPACK),
    (b"Rar!\x1a\x07", 0, "RAR archive", _UNPACK),
    (b"\xfd7zXZ\x00", 0, "xz archive", _UNPACK),
    (b"ustar", 257, "tar archive", _UNPACK),
    (b"MZ", 0, "Windows executable", READABLE_HINT),
    (b"\x7fELF", 0, "ELF executable", READABLE_HINT),
    (b"\xcf\xfa\xed\xfe", 0, "Mach-O executable", READABLE_HINT),
    (b"\xca\xfe\xba\xbe", 0, "Mach-O executable or Java class file", READABLE_HINT),
    (b"ID3", 0, "MP3 audio", READABLE_HINT),
    (b"OggS", 0, "Ogg audio/video", READABLE_HINT),
    (b"fLaC", 0, "FLAC audio", READABLE_HINT),
    (b"\x1aE\xdf\xa3", 0, "Matroska/WebM video", READABLE_HINT),
    (b"wOFF", 0, "web font", READABLE_HINT),
    (b"wOF2", 0, "web font", READABLE_HINT),
)
# Magic numbers made of printable letters count only in files that also hold NUL bytes ("MZ-Nummer ...").
_WEAK_MAGIC = frozenset({b"MZ", b"ID3", b"OggS", b"fLaC", b"ustar", b"wOFF", b"wOF2"})
_RIFF_KINDS = {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}
_FTYP_KINDS = {b"heic": "HEIC image", b"heix": "HEIC image", b"avif": "AVIF image", b"M4A ": "M4A audio",
               b"qt  ": "QuickTime video"}

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE2_KINDS = (  # directory entry names are UTF-16LE in the file
    ("EncryptedPackage", "password-protected Office document"),
    ("WordDocument", "Word 97-2003 document (.doc)"),
    ("Workbook", "Excel 97-2003 workbook (.xls)"),
    ("PowerPoint Document", "PowerPoint 97-2003 presentation (.ppt)"),
    ("__substg1.0_", "Outlook message (.msg)"),
)

_ZIP_KINDS = (  # (member that identifies it, kind, hint)
    ("xl/workbook.xml", "Excel workbook (XLSX)", _EXPORT),
    ("ppt/presentation.xml", "PowerPoint presentation (PPTX)", _EXPORT),
    ("visio/document.xml", "Visio drawing", _EXPORT),
)
_ODF_TEXT = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template")
_ODF_KINDS = {
    "spreadsheet": "OpenDocument spreadsheet (ODS)",
    "presentation": "OpenDocument presentation (ODP)",
    "graphics": "OpenDocument drawing (ODG)",
}

_HTML_MARKERS = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<frameset[\s>]", re.IGNORECASE)
_HTML_TAGS = re.compile(r"<(p|div|br|span|a|table|tr|td|h[1-6]|ul|ol|li|section|article|meta|title)[\s/>]",
                        re.IGNORECASE)
_LEADING_JUNK = re.compile(r"\A(?:\s+|<!--.*?-->|<\?xml[^>]*\?>)*", re.DOTALL)
_HEAD = 65_536


def sniff_format(data: bytes, name: str = "") -> str:
    """Return the reader ``data`` needs: one of :data:`SNIFFED_FORMATS`.

    Raises :class:`EmptyDocumentError` for zero bytes, :class:`UnsupportedFormatError` for content no reader
    handles (the message names what was found), :class:`EncryptedError` for password-protected Office files
    and :class:`UnreadableError` for a ZIP archive too damaged to look inside.
    """
    if not data:
        raise EmptyDocumentError(
            "file is empty (0 bytes)", hint="the download or copy did not finish; fetch it again"
        )
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if b"%PDF" in data[:1024]:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _sniff_zip(data, ext)
    if data.startswith(_OLE2):
        _refuse_ole2(data)
    _refuse_binary_signatures(data)
    return _sniff_text(data, ext)


def _unsupported(kind: str, hint: str = READABLE_HINT) -> UnsupportedFormatError:
    return UnsupportedFormatError(f"unsupported file type: {kind}", hint=hint)


def _refuse_binary_signatures(data: bytes) -> None:
    has_nul = b"\x00" in data[:1024]
    for magic, offset, kind, hint in _SIGNATURES:
        if data[offset:offset + len(magic)] == magic and (has_nul or magic not in _WEAK_MAGIC):
            raise _unsupported(kind, hint)
    if data[:4] == b"RIFF" and data[8:12] in _RIFF_KINDS:
        raise _unsupported(_RIFF_KINDS[data[8:12]])
    if data[4:8] == b"ftyp":
        raise _unsupported(_FTYP_KINDS.get(data[8:12], "MP4 video or audio"))
    if data[:2] == b"BM" and data[6:10] == b"\x00\x00\x00\x00":
        raise _unsupported("BMP image", "run OCR on it first or add the original document")


def _refuse_ole2(data: bytes) -> None:
    head = data[:1_048_576]
    for entry, kind in _OLE2_KINDS:
        if entry.encode("utf-16-le") in head:
            if entry == "EncryptedPackage":
                raise EncryptedError(
                    f"unsupported file type: {kind}",
                    hint="remove the password in Word or LibreOffice and save it again as DOCX",
                )
            raise _unsupported(kind, _SAVE_AS)
    raise _unsupported("Microsoft Office 97-2003 file (OLE2)", _SAVE_AS)


def _sniff_zip(data: bytes, ext: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = ""
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                mimetype = archive.read("mimetype").decode("ascii", errors="replace").strip()
            content_types = ""
            types_member = "[Content_Types].xml"
            if types_member in names and archive.getinfo(types_member).file_size < 1_000_000:
                content_types = archive.read(types_member).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError, RuntimeError,
            ValueError, zlib.error) as exc:
        if ext in ("docx", "odt"):
            return ext  # let the reader say the document is damaged, with the advice that fits
        hint = "the file is incomplete or corrupt; fetch it again"
        raise UnreadableError("damaged ZIP archive", hint=hint) from exc
    if "word/document.xml" in names or "wordprocessingml.document.main" in content_types:
        return "docx"
    if mimetype in _ODF_TEXT:
        return "odt"
    for member, kind, hint in _ZIP_KINDS:
        if member in names:
            raise _unsupported(kind, hint)
    if mimetype.startswith("application/vnd.oasis.opendocument."):
        kind = _ODF_KINDS.get(mimetype.rsplit(".", 1)[-1], f"OpenDocument file ({mimetype})")
        raise _unsupported(kind, _EXPORT)
    if mimetype == "application/epub+zip":
        raise _unsupported("EPUB e-book", _EXPORT)
    raise _unsupported("ZIP archive", _UNPACK)


def _decode_head(data: bytes) -> tuple[str, str]:
    """Decode the first 64 KB for sniffing; a multi-byte character cut at the end must not spoil UTF-8."""
    from clustermine.corpus.encoding import decode_text

    head = data[:_HEAD]
    if len(data) > _HEAD:
        for cut in range(4):  # back off to a UTF-8 character boundary
            try:
                return head[:len(head) - cut].decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                continue
    return decode_text(head)


def _looks_like_json(text: str, truncated: bool) -> bool:
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return False
    try:
        _, end = json.JSONDecoder().raw_decode(stripped)
    except json.JSONDecodeError as exc:
        # A valid start cut off by the 64 KB sniffing window still counts.
        cut_off = exc.pos >= len(stripped) - 64 or exc.msg.startswith("Unterminated string")
        return truncated and cut_off
    except RecursionError:
        return True  # deeply nested brackets: JSON all right; the reader reports the depth
    rest = stripped[end:].lstrip()
    return not rest or rest[0] in "{[,"  # one value, JSON Lines or a stream; not "[1] Einleitung ..."


def _control_share(text: str) -> float:
    """Share of control characters; text extracted from PDFs with broken fonts has some, binary data many."""
    if not text:
        return 0.0
    controls = sum(1 for ch in text if (ch < " " and ch not in "\t\n\r\f\v\x1a") or "\x7f" <= ch <= "\x9f")
    return controls / len(text)


def _is_binary(text: str, raw_has_nul: bool) -> bool:
    """NUL bytes with control characters, or mostly control characters: not text.

    A few control characters alone do not make a file binary: text exported from PDFs with broken font
    encodings is full of them between readable lines. Bytes that decode as UTF-16 only thanks to their
    NULs must look Latin.
    """
    share = _control_share(text)
    if share > 0.3 or ("\x00" in text and share > 0.05):
        return True
    if raw_has_nul:
        exotic = sum(1 for ch in text if ch > "\u02ff" and not "\u2000" <= ch <= "\u214f")
        return exotic > len(text) // 10 or ("\x00" in text and share > 0.05)
    return False


def _sniff_text(data: bytes, ext: str) -> str:
    text, _ = _decode_head(data)
    truncated = len(data) > _HEAD
    if _is_binary(text, b"\x00" in data[:_HEAD]):
        shown = f", named .{ext}" if ext else ""
        raise _unsupported(f"unknown binary data ({_control_share(text):.0%} control characters{shown})")
    body = _LEADING_JUNK.sub("", text[:8192], count=1)
    lowered = body[:4096].lower()
    svg_first = lowered.startswith("<") and "<svg" in lowered[:512] and "<html" not in lowered
    if lowered.startswith("<svg") or svg_first:
        raise _unsupported("SVG image")
    if _HTML_MARKERS.search(lowered):
        return "html"
    if _looks_like_json(body, truncated):
        return "json"
    if body.startswith("<"):
        # A fragment or an XML file: tags make it markup; the name breaks the tie for sparse ones.
        if ext in ("html", "htm", "xhtml", "shtml", "php", "asp", "aspx", "jsp", "xml"):
            return "html"
        if len(_HTML_TAGS.findall(lowered)) >= 3 or text.lstrip().startswith("<?xml"):
            return "html"
    elif ext in ("html", "htm", "xhtml") and len(_HTML_TAGS.findall(lowered)) >= 3:
        return "html"
    return "text"


__all__ = ["READABLE_HINT", "SNIFFED_FORMATS", "sniff_format"]
