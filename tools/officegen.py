"""Write small DOCX and ODT files for tests and the demo corpus, byte for byte the same on every run.

Tests need real office files whose text is known, and the demo corpus must not change when rebuilt; so
the writers fix every timestamp and attribute that zipfile would otherwise take from the clock or the
platform. The output is the minimum that Word and LibreOffice open without complaint: content types and
relationships (DOCX) or a stored ``mimetype`` first and a manifest (ODT), a style for headings, and the
core properties that clustermine's readers map into ``Extraction.info``.

Blocks are paragraphs (``str``; ``\\n`` becomes a line break, ``\\t`` a tab), headings ``("h", text)``
and tables ``("table", rows)`` with ``rows`` a list of lists of cell strings.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

Block = str | tuple[str, str] | tuple[str, Sequence[Sequence[str]]]

#: The timestamp every archive member gets (the earliest a ZIP file can hold).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _w3c_date(value: str) -> str:
    """``2013-04-10``, ``20130410`` or a full W3CDTF timestamp, as ``2013-04-10T00:00:00Z``."""
    value = value.strip()
    if re.fullmatch(r"\d{8}", value):
        value = f"{value[:4]}-{value[4:6]}-{value[6:]}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        value += "T00:00:00Z"
    return value


def _zip(members: list[tuple[str, str | bytes, bool]]) -> bytes:
    """A ZIP archive of ``(name, content, compress)`` with fixed timestamps and attributes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content, compress in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            data = content.encode("utf-8") if isinstance(content, str) else content
            archive.writestr(info, data, compresslevel=6 if compress else None)
    return buffer.getvalue()


def _blocks(blocks: Sequence[Block]) -> list[tuple[str, object]]:
    """Check and label the blocks: ("p", str), ("h", str) or ("table", rows)."""
    labelled: list[tuple[str, object]] = []
    for block in blocks:
        if isinstance(block, str):
            labelled.append(("p", block))
        elif isinstance(block, tuple) and len(block) == 2 and block[0] in ("h", "table"):
            labelled.append((block[0], block[1]))
        else:
            raise ValueError(f"a block must be a str, ('h', text) or ('table', rows). Got {block!r} instead.")
    return labelled


# ----------------------------------------------------------------------------------------------------------
# DOCX

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCX_CONTENT_TYPES = (
    _XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
_DOCX_RELS = (
    _XML_DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_DOCX_DOCUMENT_RELS = (
    _XML_DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'styles" Target="styles.xml"/>'
    "</Relationships>"
)
_DOCX_STYLES = (
    _XML_DECL + f'<w:styles xmlns:w="{_W_NS}">'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
    '<w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>'
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>'
    + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
              for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + "</w:tblBorders></w:tblPr></w:style></w:styles>"
)
_DOCX_APP = (
    _XML_DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>clustermine officegen</Application></Properties>"
)


def _docx_runs(text: str) -> str:
    """Runs for one paragraph: ``\\n`` → ``<w:br/>``, ``\\t`` → ``<w:tab/>``."""
    pieces = []
    for i, line in enumerate(text.split("\n")):
        if i:
            pieces.append("<w:br/>")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                pieces.append("<w:tab/>")
            if chunk:
                pieces.append(f'<w:t xml:space="preserve">{_text(chunk)}</w:t>')
    return f"<w:r>{''.join(pieces)}</w:r>" if pieces else ""


def _docx_paragraph(text: str, style: str | None = None) -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{props}{_docx_runs(text)}</w:p>"


def _docx_table(rows: Sequence[Sequence[str]]) -> str:
    columns = max((len(row) for row in rows), default=1)
    width = 9000 // max(columns, 1)
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for _ in range(columns))
    body = []
    for row in rows:
        cells = list(row) + [""] * (columns - len(row))
        body.append("<w:tr>" + "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{_docx_paragraph(cell)}</w:tc>'
            for cell in cells) + "</w:tr>")
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>")


def _core_xml(title: str | None, author: str | None, created: str) -> str:
    stamp = _text(_w3c_date(created))
    parts = [
        _XML_DECL,
        "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    ]
    if title:
        parts.append(f"<dc:title>{_text(title)}</dc:title>")
    if author:
        parts.append(f"<dc:creator>{_text(author)}</dc:creator>")
    parts.append(f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>')
    parts.append(f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>')
    parts.append("</cp:coreProperties>")
    return "".join(parts)


def make_docx(blocks: Sequence[Block], *, title: str | None = None, author: str | None = None,
              created: str = "2013-04-10T00:00:00Z") -> bytes:
    """A Word document with ``blocks``; the same arguments always give the same bytes."""
    body = []
    for kind, value in _blocks(blocks):
        if kind == "table":
            body.append(_docx_table(value))  # type: ignore[arg-type]
        else:
            body.append(_docx_paragraph(str(value), "Heading1" if kind == "h" else None))
    document = (
        _XML_DECL + f'<w:document xmlns:w="{_W_NS}"><w:body>{"".join(body)}'
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1417" w:right="1417" w:bottom="1134" w:left="1417" w:header="708" w:footer="708" '
        'w:gutter="0"/></w:sectPr></w:body></w:document>'
    )
    return _zip([
        ("[Content_Types].xml", _DOCX_CONTENT_TYPES, True),
        ("_rels/.rels", _DOCX_RELS, True),
        ("word/document.xml", document, True),
        ("word/_rels/document.xml.rels", _DOCX_DOCUMENT_RELS, True),
        ("word/styles.xml", _DOCX_STYLES, True),
        ("docProps/core.xml", _core_xml(title, author, created), True),
        ("docProps/app.xml", _DOCX_APP, True),
    ])


# ----------------------------------------------------------------------------------------------------------
# ODT

_ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
_ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3"'
)
_ODT_MANIFEST = (
    _XML_DECL + '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
    f'manifest:media-type="{_ODT_MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_ODT_STYLES = (
    _XML_DECL + f"<office:document-styles {_ODF_NS}><office:styles>"
    '<style:style style:name="Standard" style:family="paragraph"/>'
    '<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" '
    'style:parent-style-name="Standard" style:default-outline-level="1">'
    '<style:text-properties fo:font-size="16pt" fo:font-weight="bold"/></style:style>'
    "</office:styles></office:document-styles>"
)


def _odt_inline(text: str) -> str:
    """Escape ``text`` the ODF way: runs of spaces as ``<text:s/>``, tabs and line breaks as elements."""
    out = []
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append("<text:line-break/>")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                out.append("<text:tab/>")
            out.append(_odt_spaces(chunk))
    return "".join(out)


def _odt_spaces(chunk: str) -> str:
    """ODF collapses spaces: keep the first of a run and count the rest in ``<text:s text:c="n"/>``."""
    pieces = []
    for k, piece in enumerate(re.split(r"( {2,})", chunk)):
        if k % 2:
            pieces.append(" " + (f'<text:s text:c="{len(piece) - 1}"/>' if len(piece) > 2 else "<text:s/>"))
        else:
            pieces.append(_text(piece))
    joined = "".join(pieces)
    return "<text:s/>" + joined[1:] if joined.startswith(" ") else joined


def _odt_table(rows: Sequence[Sequence[str]], number: int) -> str:
    columns = max((len(row) for row in rows), default=1)
    body = []
    for row in rows:
        cells = list(row) + [""] * (columns - len(row))
        cell_xml = (f'<table:table-cell office:value-type="string"><text:p>{_odt_inline(cell)}</text:p>'
                    "</table:table-cell>" for cell in cells)
        body.append(f"<table:table-row>{''.join(cell_xml)}</table:table-row>")
    return (f'<table:table table:name="Tabelle{number}">'
            f'<table:table-column table:number-columns-repeated="{columns}"/>{"".join(body)}</table:table>')


def make_odt(blocks: Sequence[Block], *, title: str | None = None, author: str | None = None,
             created: str = "2013-04-10T00:00:00Z") -> bytes:
    """An OpenDocument text with ``blocks``; the same arguments always give the same bytes."""
    body = []
    tables = 0
    for kind, value in _blocks(blocks):
        if kind == "table":
            tables += 1
            body.append(_odt_table(value, tables))  # type: ignore[arg-type]
        elif kind == "h":
            body.append(f'<text:h text:style-name="Heading_20_1" text:outline-level="1">'
                        f"{_odt_inline(str(value))}</text:h>")
        else:
            body.append(f'<text:p text:style-name="Standard">{_odt_inline(str(value))}</text:p>')
    content = (_XML_DECL + f"<office:document-content {_ODF_NS}><office:body><office:text>"
               f"{''.join(body)}</office:text></office:body></office:document-content>")
    stamp = _text(_w3c_date(created).rstrip("Z"))
    meta = [_XML_DECL, f"<office:document-meta {_ODF_NS}><office:meta>",
            "<meta:generator>clustermine officegen</meta:generator>"]
    if title:
        meta.append(f"<dc:title>{_text(title)}</dc:title>")
    if author:
        meta.append(f"<meta:initial-creator>{_text(author)}</meta:initial-creator>")
        meta.append(f"<dc:creator>{_text(author)}</dc:creator>")
    meta.append(f"<meta:creation-date>{stamp}</meta:creation-date><dc:date>{stamp}</dc:date>")
    meta.append("</office:meta></office:document-meta>")
    return _zip([
        ("mimetype", _ODT_MIMETYPE, False),  # first and uncompressed, as ODF requires
        ("META-INF/manifest.xml", _ODT_MANIFEST, True),
        ("content.xml", content, True),
        ("styles.xml", _ODT_STYLES, True),
        ("meta.xml", "".join(meta), True),
    ])


__all__ = ["Block", "ZIP_TIME", "make_docx", "make_odt"]
