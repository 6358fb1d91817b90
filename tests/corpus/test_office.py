"""DOCX and ODT: round trips through tools/officegen.py, core properties, and hostile archives."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from clustermine.corpus.office import MAX_MEMBER_BYTES, read_docx, read_odt
from clustermine.errors import UnreadableError
from tools.officegen import make_docx, make_odt

BLOCKS = [
    ("h", "Kompetenzfeld Logistik"),
    "Die Stadt Duisburg fördert das „Kompetenzfeld Logistik“ mit 1,5 Mio. €.",
    "Erste Zeile\nzweite Zeile\tnach einem Tab",
    ("table", [["Jahr", "Mittel", "Quelle"], ["2012", "1,2 Mio. €", "EFRE"], ["2013", "", "Land NRW"]]),
    ("h", "Beschlussvorschlag"),
    "Der Rat beschließt die Fortschreibung.",
]
EXPECTED = (
    "Kompetenzfeld Logistik\n\n"
    "Die Stadt Duisburg fördert das „Kompetenzfeld Logistik“ mit 1,5 Mio. €.\n\n"
    "Erste Zeile\nzweite Zeile\tnach einem Tab\n\n"
    "Jahr | Mittel | Quelle\n2012 | 1,2 Mio. € | EFRE\n2013 | Land NRW\n\n"
    "Beschlussvorschlag\n\n"
    "Der Rat beschließt die Fortschreibung."
)
WRITERS = {"docx": (make_docx, read_docx), "odt": (make_odt, read_odt)}


@pytest.mark.parametrize("fmt", WRITERS)
def test_round_trip(fmt: str) -> None:
    make, read = WRITERS[fmt]
    data = make(BLOCKS, title="Antrag Logistik", author="Amt für Wirtschaft", created="2013-04-10")
    extraction = read(data, f"antrag.{fmt}")
    assert extraction.format == fmt
    assert extraction.text == EXPECTED
    assert extraction.title == "Antrag Logistik"
    assert extraction.info["author"] == "Amt für Wirtschaft"
    assert extraction.info["created"].startswith("2013-04-10T00:00:00")
    assert extraction.info["producer"]


@pytest.mark.parametrize("fmt", WRITERS)
def test_first_heading_is_the_title_when_properties_have_none(fmt: str) -> None:
    make, read = WRITERS[fmt]
    assert read(make(BLOCKS)).title == "Kompetenzfeld Logistik"


@pytest.mark.parametrize("fmt", WRITERS)
def test_writers_are_deterministic(fmt: str) -> None:
    make, _ = WRITERS[fmt]
    assert make(BLOCKS, title="T") == make(BLOCKS, title="T")
    assert make(BLOCKS, created="20130410") == make(BLOCKS, created="2013-04-10T00:00:00Z")


def test_odt_mimetype_comes_first_and_stored() -> None:
    with zipfile.ZipFile(io.BytesIO(make_odt(BLOCKS))) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED


def test_odt_spaces_survive() -> None:
    assert read_odt(make_odt(["zwei  Leerzeichen,   drei"])).text == "zwei  Leerzeichen,   drei"


def test_writer_rejects_unknown_blocks() -> None:
    with pytest.raises(ValueError, match="must be a str"):
        make_docx([("bild", "x.png")])


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("read", [read_docx, read_odt])
def test_not_a_zip(read) -> None:
    with pytest.raises(UnreadableError) as info:
        read(b"Das ist kein Word-Dokument.")
    assert "save it again" in info.value.hint


def test_truncated_docx() -> None:
    with pytest.raises(UnreadableError, match="damaged"):
        read_docx(make_docx(BLOCKS)[:-120])


def test_docx_without_document_part() -> None:
    with pytest.raises(UnreadableError, match="missing"):
        read_docx(zipped({"[Content_Types].xml": b"<Types/>"}))


def test_zip_bomb_is_refused_quickly() -> None:
    # 250 MB of zeros deflate to about 250 KB: refused from the declared size, before inflating anything.
    buffer = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("word/document.xml", "w", force_zip64=True) as member:
        for _ in range(MAX_MEMBER_BYTES // len(chunk) + 50):
            member.write(chunk)
    bomb = buffer.getvalue()
    assert len(bomb) < 2 * 1024 * 1024
    started = time.monotonic()
    with pytest.raises(UnreadableError, match="zip bomb"):
        read_docx(bomb)
    assert time.monotonic() - started < 5


def test_high_compression_ratio_is_refused() -> None:
    bomb = zipped({"content.xml": b"<a>" + b" " * (20 * 1024 * 1024) + b"</a>",
                   "mimetype": b"application/vnd.oasis.opendocument.text"})
    with pytest.raises(UnreadableError, match="compression ratio"):
        read_odt(bomb)


def test_lying_size_header_is_caught_while_inflating() -> None:
    payload = b"<w:document xmlns:w='x'>" + b" " * (5 * 1024 * 1024) + b"</w:document>"
    data = bytearray(zipped({"word/document.xml": payload}))
    # Rewrite the declared uncompressed size (local header and central directory) to a harmless 1 KB.
    real = len(payload).to_bytes(4, "little")
    data = bytes(data).replace(real, (1024).to_bytes(4, "little"))
    with pytest.raises(UnreadableError):
        read_docx(data)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    b"<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)


def test_billion_laughs_is_not_expanded() -> None:
    data = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": BILLION_LAUGHS})
    started = time.monotonic()
    with pytest.raises(UnreadableError, match="DTD"):
        read_docx(data)
    assert time.monotonic() - started < 5


def test_external_entities_are_not_fetched(tmp_path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIM")
    xml = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
           "<text:p>&x;</text:p></office:text></office:body></office:document-content>").encode()
    data = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": xml})
    with pytest.raises(UnreadableError):
        read_odt(data)


def test_docx_details() -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = (
        f'<w:document {w}><w:body>'
        '<w:p><w:pPr><w:pStyle w:val="berschrift1"/>'
        '<w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
        "<w:r><w:t>Überschrift</w:t></w:r></w:p>"
        '<w:p><w:r><w:t xml:space="preserve">Alt </w:t></w:r>'
        "<w:del><w:r><w:delText>gelöscht</w:delText></w:r>"
        "</w:del><w:ins><w:r><w:t>eingefügt</w:t></w:r></w:ins>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        "<w:r><w:t>-</w:t><w:noBreakHyphen/><w:t>Ende</w:t></w:r></w:p>"
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>Im Inhaltssteuerelement</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        "</w:body></w:document>"
    ).encode()
    core = (
        b"<cp:coreProperties "
        b'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        b'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
        b"<dc:subject>Clusterf\xc3\xb6rderung</dc:subject><cp:keywords>Cluster; Logistik</cp:keywords>"
        b"<dcterms:created>1601-01-01T00:00:00Z</dcterms:created>"
        b"<dcterms:modified>2014-05-06T07:08:09.123Z</dcterms:modified></cp:coreProperties>"
    )
    extraction = read_docx(zipped({"word/document.xml": document, "docProps/core.xml": core}))
    assert extraction.text == "Überschrift\n\nAlt eingefügt--Ende\n\nIm Inhaltssteuerelement"
    assert extraction.title == "Überschrift"
    assert extraction.info == {"description": "Clusterförderung", "subject": "Clusterförderung",
                               "keywords": "Cluster; Logistik", "modified": "2014-05-06T07:08:09Z"}


def test_odt_details() -> None:
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        "<text:sequence-decls><text:sequence-decl text:name='Table'/></text:sequence-decls>"
        '<text:h text:outline-level="1">Förderprogramm</text:h>'
        "<text:p>\n   Eingerückt im XML,<text:soft-page-break/> dann ein Hinweis"
        "<text:note><text:note-citation>1"
        "</text:note-citation><text:note-body><text:p>Siehe Anlage 2.</text:p></text:note-body></text:note>"
        " und <text:span>weiter</text:span>.</text:p>"
        "<text:list><text:list-item><text:p>Punkt eins</text:p></text:list-item>"
        "<text:list-item><text:p>Punkt zwei</text:p></text:list-item></text:list>"
        "<text:p>Mit Kommentar<office:annotation><text:p>interne Notiz</text:p></office:annotation>"
        " am Ende.</text:p>"
        "</office:text></office:body></office:document-content>"
    ).encode()
    meta = (
        b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        b'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b"<office:meta><meta:initial-creator>Erstautorin</meta:initial-creator><dc:creator>Bearbeiter</dc:creator>"
        b"<meta:keyword>Cluster</meta:keyword><meta:keyword>Logistik</meta:keyword>"
        b"<meta:creation-date>2012-03-04T05:06:07.890000000</meta:creation-date></office:meta></office:document-meta>"
    )
    data = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": content,
                   "meta.xml": meta})
    extraction = read_odt(data)
    assert extraction.text == (
        "Förderprogramm\n\nEingerückt im XML, dann ein Hinweis und weiter.\n\nPunkt eins\n\nPunkt zwei\n\n"
        "Mit Kommentar am Ende.\n\nSiehe Anlage 2."
    )
    assert extraction.title == "Förderprogramm"
    assert extraction.info == {"author": "Erstautorin", "keywords": "Cluster, Logistik",
                               "created": "2012-03-04T05:06:07"}


def test_docx_footnotes_come_last() -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = (f"<w:document {w}><w:body><w:p><w:r><w:t>Text mit Fußnote</w:t></w:r>"
                '<w:r><w:footnoteReference w:id="1"/></w:r></w:p></w:body></w:document>').encode()
    notes = (f'<w:footnotes {w}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
             '</w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Quelle: IHK 2012.</w:t></w:r></w:p>'
             "</w:footnote>"
             "</w:footnotes>").encode()
    extraction = read_docx(zipped({"word/document.xml": document, "word/footnotes.xml": notes}))
    assert extraction.text == "Text mit Fußnote\n\nQuelle: IHK 2012."
