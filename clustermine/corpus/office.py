"""Read Word (DOCX) and OpenDocument (ODT) text documents with the standard library's zipfile and lxml.

Project descriptions and conference reports often come as office documents. Both formats are ZIP archives
of XML, so a few dozen lines of XML walking replace a dependency, and the parts that matter for mining
(paragraphs, headings, tables, line breaks, tabs, footnotes, core properties) are under our control.

Untrusted archives can be built to explode: a few kilobytes that inflate to gigabytes (zip bombs) or XML
whose entities expand exponentially ("billion laughs"). Members are therefore size- and ratio-checked
before and while they are inflated, documents that declare a DTD are refused (Word and LibreOffice never
write one), and the XML parser neither resolves entities nor touches the network.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator

from lxml import etree

from clustermine.corpus.normalise import normalise_text
from clustermine.errors import UnreadableError
from clustermine.model import Extraction

#: The most bytes one XML member may inflate to.
MAX_MEMBER_BYTES = 200 * 1024 * 1024
#: Inflation ratio above which a large member is taken for a zip bomb. Real document XML stays below 50:1
#: except when it repeats itself (empty table cells, one paragraph pasted thousands of times: up to ~300:1);
#: deflate cannot go beyond ~1030:1, where bombs sit.
MAX_RATIO = 400
#: Members smaller than this are not ratio-checked: the size limit alone keeps them harmless.
RATIO_CHECK_FROM = 8 * 1024 * 1024
#: Archives with more members than this are not documents.
MAX_MEMBERS = 50_000

_DOCX_HINT = "the file is damaged or not a Word document; open and save it again as DOCX"
_ODT_HINT = "the file is damaged or not an OpenDocument text; open and save it again as ODT or DOCX"
_BOMB_HINT = "the archive inflates to far more than any document; it was not read"
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_ODF_SPACE = re.compile(r"[ \t\r\n]+")  # ODF collapses white space in text; <text:s/> spells out more
_HEADING_STYLE = re.compile(r"^(heading|berschrift|titel|title|subtitle|untertitel)", re.IGNORECASE)

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False, remove_comments=True, remove_pis=True)


# ----------------------------------------------------------------------------------------------------------
# Safe access to the archive


def _open_archive(data: bytes, hint: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError,
            zlib.error) as exc:
        raise UnreadableError("not a ZIP archive or damaged", hint=hint) from exc
    if len(archive.infolist()) > MAX_MEMBERS:
        raise UnreadableError(f"archive has {len(archive.infolist())} members", hint=_BOMB_HINT)
    return archive


def _read_member(archive: zipfile.ZipFile, name: str, hint: str) -> bytes | None:
    """The inflated bytes of member ``name`` (None if absent); refuses zip bombs early and en route."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_MEMBER_BYTES:
        raise UnreadableError(f"{name} would inflate to {info.file_size // 1_000_000} MB (zip bomb?)",
                              hint=_BOMB_HINT)
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_CHECK_FROM and ratio > MAX_RATIO:
        raise UnreadableError(f"{name} has a compression ratio of {ratio:.0f}:1 (zip bomb?)", hint=_BOMB_HINT)
    chunks = []
    size = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(1 << 20):
                size += len(chunk)
                if size > MAX_MEMBER_BYTES or (size > RATIO_CHECK_FROM and size / max(info.compress_size, 1)
                                               > MAX_RATIO):
                    raise UnreadableError(f"{name} inflates beyond its declared size (zip bomb?)",
                                          hint=_BOMB_HINT)
                chunks.append(chunk)
    except UnreadableError:
        raise
    except RuntimeError as exc:  # zipfile says "File ... is encrypted, password required"
        raise UnreadableError(f"{name} is encrypted", hint="remove the password and save it again") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as exc:
        raise UnreadableError(f"{name} is damaged ({exc})", hint=hint) from exc
    return b"".join(chunks)


def _parse_member(archive: zipfile.ZipFile, name: str, hint: str) -> etree._Element | None:
    raw = _read_member(archive, name, hint)
    if raw is None:
        return None
    root_start = _ROOT_START.search(raw)
    prolog = raw[:root_start.start()] if root_start else raw
    if _DTD.search(prolog):
        raise UnreadableError(f"{name} declares a DTD or XML entities, which office programs never write",
                              hint="the file was crafted or damaged; it was not read")
    try:
        return etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        raise UnreadableError(f"{name} is not well-formed XML ({exc})", hint=hint) from exc


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _events(root: etree._Element, skip: frozenset[str]) -> Iterator[tuple[str, etree._Element]]:
    """("start"|"end", element) in document order, without descending into elements named in ``skip``.

    A skipped element yields only its "end", so that callers still see its tail text. Iterative, so
    hostile nesting cannot exhaust the Python stack.
    """
    stack: list[tuple[bool, etree._Element]] = [(False, root)]
    while stack:
        done, element = stack.pop()
        if done:
            yield "end", element
            continue
        if _local(element) in skip and element is not root:
            yield "end", element
            continue
        yield "start", element
        stack.append((True, element))
        stack.extend((False, child) for child in reversed(element) if isinstance(child.tag, str))


def _join_blocks(blocks: list[str]) -> str:
    return normalise_text("\n\n".join(b for b in blocks if b.strip()))


def _text_of(element: etree._Element | None) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip() if element is not None else ""


# ----------------------------------------------------------------------------------------------------------
# DOCX

_DOCX_SKIP = frozenset(
    {"pPr", "rPr", "Fallback", "del", "moveFrom", "instrText", "delText", "commentReference"}
)
_DOCX_CONTAINERS = frozenset(
    {"body", "sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag", "txbxContent"}
)


def read_docx(data: bytes, name: str = "") -> Extraction:
    """Read a Word document: paragraphs and headings as blocks, table rows as lines ("cell | cell"),
    footnotes and endnotes at the end, core properties in ``info``.
    """
    with _open_archive(data, _DOCX_HINT) as archive:
        document = _parse_member(archive, _docx_main_part(archive), _DOCX_HINT)
        if document is None:
            raise UnreadableError("word/document.xml is missing", hint=_DOCX_HINT)
        core = _parse_member(archive, "docProps/core.xml", _DOCX_HINT)
        app = _parse_member(archive, "docProps/app.xml", _DOCX_HINT)
        notes_roots = [_parse_member(archive, f"word/{part}.xml", _DOCX_HINT) for part in ("footnotes",
                                                                                           "endnotes")]
    body = next((e for e in document.iter() if _local(e) == "body"), None)
    blocks, first_heading = _docx_blocks(body) if body is not None else ([], None)
    for notes_root in notes_roots:
        if notes_root is not None:
            blocks += _docx_notes(notes_root)
    info = _core_properties(core)
    elements = app.iter() if app is not None else iter(())
    producer = _text_of(next((e for e in elements if _local(e) == "Application"), None))
    if producer:
        info["producer"] = producer
    title = info.pop("title", None) or first_heading
    return Extraction(format="docx", pages=(_join_blocks(blocks),), title=title or None, info=info)


def _docx_main_part(archive: zipfile.ZipFile) -> str:
    """Where the main document lives: word/document.xml, or wherever _rels/.rels points."""
    names = set(archive.namelist())
    if "word/document.xml" in names:
        return "word/document.xml"
    rels = _parse_member(archive, "_rels/.rels", _DOCX_HINT)
    if rels is not None:
        for rel in rels.iter():
            if (rel.get("Type") or "").endswith("/officeDocument") and rel.get("Target"):
                return rel.get("Target", "").lstrip("/")
    return "word/document.xml"


def _docx_paragraph(paragraph: etree._Element) -> str:
    parts: list[str] = []
    for event, element in _events(paragraph, _DOCX_SKIP):
        if event != "start":
            continue
        name = _local(element)
        if name == "t":
            parts.append(element.text or "")
        elif name == "tab" and _local(element.getparent()) == "r":
            parts.append("\t")
        elif name in ("br", "cr") and _local(element.getparent()) == "r":
            parts.append("\n")
        elif name == "noBreakHyphen":
            parts.append("-")
        elif name == "p" and element is not paragraph:
            parts.append("\n")  # a paragraph in a text box inside this one
    return "".join(parts)


def _docx_style(paragraph: etree._Element) -> str:
    for element in paragraph:
        if _local(element) == "pPr":
            for prop in element:
                if _local(prop) == "pStyle":
                    return prop.get(f"{{{_W}}}val") or prop.get("val") or ""
    return ""


def _docx_table(table: etree._Element) -> str:
    lines = []
    for row in (e for e in table.iter() if _local(e) == "tr"):
        if _nearest_table(row) is not table:
            continue  # a row of a table nested in a cell: its text is part of that cell
        cells = []
        for cell in (c for c in row if _local(c) == "tc"):
            paragraphs = (_docx_paragraph(p) for p in cell.iter() if _local(p) == "p")
            cells.append(re.sub(r"\s+", " ", " ".join(paragraphs)).strip())
        line = " | ".join(c for c in cells if c)
        if line:
            lines.append(line)
    return "\n".join(lines)


def _nearest_table(element: etree._Element) -> etree._Element | None:
    return next((a for a in element.iterancestors() if _local(a) == "tbl"), None)


def _docx_blocks(body: etree._Element) -> tuple[list[str], str | None]:
    """Paragraphs and tables of the body in order, and the text of the first heading."""
    blocks: list[str] = []
    first_heading = None
    stack = [iter(body)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        name = _local(element)
        if name == "p":
            text = _docx_paragraph(element)
            blocks.append(text)
            if first_heading is None and text.strip() and _HEADING_STYLE.match(_docx_style(element)):
                first_heading = re.sub(r"\s+", " ", text).strip()
        elif name == "tbl":
            blocks.append(_docx_table(element))
        elif name in _DOCX_CONTAINERS:
            stack.append(iter(element))
    return blocks, first_heading


def _docx_notes(root: etree._Element) -> list[str]:
    notes = []
    for note in root:
        if _local(note) not in ("footnote", "endnote") or note.get(f"{{{_W}}}type") in ("separator",
                                                                                        "continuationSeparator",
                                                                                        "continuationNotice"):
            continue
        text = "\n".join(_docx_paragraph(p) for p in note if _local(p) == "p").strip()
        if text:
            notes.append(text)
    return notes


# ----------------------------------------------------------------------------------------------------------
# ODT

_ODT_SKIP = frozenset({"note", "annotation", "annotation-end", "tracked-changes", "bookmark-ref",
                       "sequence-decls", "variable-decls", "user-field-decls", "forms", "soft-page-break"})


def read_odt(data: bytes, name: str = "") -> Extraction:
    """Read an OpenDocument text: paragraphs, headings, lists, tables (rows as lines), notes at the end."""
    with _open_archive(data, _ODT_HINT) as archive:
        content = _parse_member(archive, "content.xml", _ODT_HINT)
        if content is None:
            raise UnreadableError("content.xml is missing", hint=_ODT_HINT)
        meta = _parse_member(archive, "meta.xml", _ODT_HINT)
    text_root = next((e for e in content.iter() if _local(e) == "text" and _local(e.getparent()) == "body"),
                     None)
    blocks, notes, first_heading = _odt_blocks(text_root) if text_root is not None else ([], [], None)
    info = _core_properties(meta)
    title = info.pop("title", None) or first_heading
    return Extraction(format="odt", pages=(_join_blocks(blocks + notes),), title=title or None, info=info)


def _odt_inline(paragraph: etree._Element, notes: list[str]) -> str:
    """The text of one text:p / text:h with spaces, tabs and line breaks; note bodies go to ``notes``."""
    for note_body in (e for e in paragraph.iter() if _local(e) == "note-body"):
        notes.append(_text_of(note_body))
    parts: list[str] = []
    for event, element in _events(paragraph, _ODT_SKIP):
        if event == "start":
            name = _local(element)
            if name == "s":
                count = element.get(f"{{{_TEXT}}}c", "1")
                parts.append(" " * min(int(count) if count.isdigit() else 1, 100))
            elif name == "tab":
                parts.append("\t")
            elif name == "line-break":
                parts.append("\n")
            if element.text:
                text = _ODF_SPACE.sub(" ", element.text)
                parts.append(text.lstrip(" ") if element is paragraph else text)  # leading space is layout
        elif element is not paragraph and element.tail:
            parts.append(_ODF_SPACE.sub(" ", element.tail))
    return "".join(parts)


def _odt_table(table: etree._Element, notes: list[str]) -> str:
    lines = []
    for row in (e for e in table.iter() if _local(e) == "table-row"):
        if next((a for a in row.iterancestors() if _local(a) == "table"), None) is not table:
            continue
        cells = []
        for cell in (c for c in row if _local(c) == "table-cell"):
            paragraphs = (_odt_inline(p, notes) for p in cell.iter() if _local(p) in ("p", "h"))
            cells.append(re.sub(r"\s+", " ", " ".join(paragraphs)).strip())
        line = " | ".join(c for c in cells if c)
        if line:
            lines.append(line)
    return "\n".join(lines)


def _odt_blocks(text_root: etree._Element) -> tuple[list[str], list[str], str | None]:
    blocks: list[str] = []
    notes: list[str] = []
    first_heading = None
    stack = [iter(text_root)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        name = _local(element)
        if name in ("p", "h"):
            text = _odt_inline(element, notes)
            blocks.append(text)
            if name == "h" and first_heading is None and text.strip():
                first_heading = re.sub(r"\s+", " ", text).strip()
        elif name == "table":
            blocks.append(_odt_table(element, notes))
        elif name not in _ODT_SKIP:
            stack.append(iter(element))  # sections, lists, list items, frames, text boxes ...
    return blocks, notes, first_heading


# ----------------------------------------------------------------------------------------------------------
# Core properties (docProps/core.xml and meta.xml)

_PROPERTY_KEYS = {
    "title": "title",
    "creator": "author",
    "initial-creator": "author",
    "created": "created",
    "creation-date": "created",
    "modified": "modified",
    "date": "modified",
    "keywords": "keywords",
    "keyword": "keywords",
    "description": "description",
    "subject": "subject",
    "language": "language",
    "generator": "producer",
}


def _core_properties(root: etree._Element | None) -> dict[str, str]:
    """Map Dublin Core / OOXML / ODF metadata to ``info`` keys; ODF's first author beats its last editor."""
    if root is None:
        return {}
    info: dict[str, str] = {}
    keywords: list[str] = []
    for element in root.iter():
        key = _PROPERTY_KEYS.get(_local(element))
        value = _text_of(element)
        if not key or not value:
            continue
        if key in ("created", "modified"):
            value = _iso_date(value)
            if not value:
                continue
        if key == "keywords":
            keywords.append(value)
        elif key == "author" and _local(element) == "initial-creator":
            info["author"] = value
        else:
            info.setdefault(key, value)
    if keywords:
        info["keywords"] = ", ".join(keywords)
    if "subject" in info and "description" not in info:
        info["description"] = info["subject"]
    return info


def _iso_date(value: str) -> str | None:
    """W3CDTF / ODF timestamps without fractions of seconds; Word's zero dates (1601, 1899) become None."""
    value = re.sub(r"(T\d{2}:\d{2}:\d{2})\.\d+", r"\1", value.strip())
    year = value[:4]
    return value if year.isdigit() and int(year) >= 1980 else None


__all__ = ["MAX_MEMBER_BYTES", "MAX_RATIO", "read_docx", "read_odt"]
