"""A corpus of hostile and broken files, written at test time: what a researcher's download folder really holds.

Each :class:`Case` is one file with what ``add`` must make of it: ``added`` (with a phrase its stored text must
contain), ``failed`` (with words one of which its one-line reason must contain) or ``either`` (a damaged file
that may be partly readable; it must just not crash, hang or take the batch down). :func:`write_corpus` lays
the files out in a folder, with the awkward file names, a symlink loop and a self-referencing link.
``bench/fuzz_readers.py`` mutates these same files by the thousand.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from tests.reliability import rawpdf

GOOD = "Die Stadt Dortmund fördert das Kompetenzfeld Logistik seit 1999 mit Mitteln aus dem Ziel-2-Programm."
UMLAUTS = "Größere Förderung für Übergänge: Straße, Maßnahme, „Clusterförderung“ – 5 €."
LINES = [GOOD, UMLAUTS, "Der Kreis Mettmann unterstützt Netzwerke der Wirtschaftsförderung.",
         "Strukturwandel im Ruhrgebiet verlangt Kooperation zwischen Hochschulen und Unternehmen."]
#: Umlauts that every German code page has (no „“, – or €, which Latin-1 and the DOS pages lack).
PLAIN_UMLAUTS = "Größere Förderung für Übergänge: Straße, Maßnahme, Clusterförderung im Ökosystem."
WORDS = " ".join(LINES).replace(".", "").replace(",", "").replace(":", "").split()


@dataclass(frozen=True)
class Case:
    """One hostile file. ``name`` may be ``bytes`` (a file name that is no UTF-8)."""

    name: str | bytes
    data: bytes
    expect: str  # "added", "failed" or "either"
    words: tuple[str, ...] = ()  # failed: one of these is in the reason; added: this text is in the document
    note: str = ""  # what the case is about, for reports

    @property
    def shown(self) -> str:
        return os.fsdecode(self.name) if isinstance(self.name, bytes) else self.name


# ----------------------------------------------------------------------------------------------------
# builders


def text_pdf(blocks: list[str] | None = None, **options: object) -> bytes:
    from tools.pdfgen import make_pdf

    return make_pdf(None, [("h", "Bericht zur Clusterförderung"), *(blocks or [GOOD * 3, UMLAUTS * 2])],
                    title="Bericht zur Clusterförderung", **options)  # type: ignore[arg-type]


def scanned_pdf(lines: list[str], *, pages: int = 1, dpi: int = 150) -> bytes:
    """An image-only PDF whose pages are pictures of real German text (a scan a machine can read again)."""
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from tools.pdfgen import make_pdf

    source = pdfium.PdfDocument(make_pdf(None, [("h", lines[0]), *lines[1:]], font_size=12))
    image = source[0].render(scale=dpi / 72, grayscale=True).to_pil()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    for _ in range(pages):
        canvas.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def corrupt(data: bytes, seed: int, flips: int = 30) -> bytes:
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(flips):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(member: str, megabytes: int, extra: dict[str, bytes] | None = None) -> bytes:
    """A ZIP whose ``member`` inflates to ``megabytes`` MB of zeros (about 1 MB on disk per GB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
        with archive.open(member, "w", force_zip64=True) as handle:
            chunk = b"\0" * (1 << 20)
            for _ in range(megabytes):
                handle.write(chunk)
    return buffer.getvalue()


def entity_bomb(body: bytes) -> bytes:
    """A DOCTYPE whose entities would expand to 10^9 copies of a word (the "billion laughs")."""
    entities = b"".join(
        b'<!ENTITY e%d "%s">\n' % (i, (b"&e%d;" % (i - 1)) * 10 if i else b"Foerderung ") for i in range(10)
    )
    return b'<?xml version="1.0"?>\n<!DOCTYPE d [\n' + entities + b"]>\n" + body.replace(b"BOMB", b"&e9;")


def docx(text: str) -> bytes:
    from tools.officegen import make_docx

    return make_docx([("h", "Antrag"), text], title="Antrag")


W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'wordprocessingml.document.main+xml"/></Types>'
)


# ----------------------------------------------------------------------------------------------------
# the catalogue


def pdf_cases(*, heavy: bool = True) -> list[Case]:
    """Broken, locked, scanned and oversized PDFs. ``heavy`` adds the thousands of pages and the 300 MB stream."""
    from tools.pdfgen import encrypt_pdf, make_image_only_pdf

    good = text_pdf()
    cases = [
        Case("gut.pdf", good, "added", ("Kompetenzfeld Logistik",)),
        Case("abgeschnitten.pdf", good[: len(good) // 3], "failed", ("damaged", "incomplete"), "truncated download"),
        Case("halb.pdf", good[: len(good) * 3 // 4], "failed", ("damaged", "incomplete"), "truncated at 3/4"),
        Case("kaputt_bytes.pdf", corrupt(good, 7), "either", note="30 random bytes overwritten"),
        Case("kein_pdf.pdf", bytes(range(256)) * 16, "failed", ("unsupported", "not a PDF", "binary")),
        Case("login_seite.pdf", b"<!DOCTYPE html><html><body><p>Bitte melden Sie sich an.</p></body></html>",
             "added", ("Bitte melden",), "an HTML login page saved as .pdf: content decides"),
        Case("leer.pdf", b"", "failed", ("empty",)),
        Case("nur_kopf.pdf", b"%PDF-1.7\n", "failed", ("damaged", "incomplete", "no pages")),
        Case("xref_verschoben.pdf", rawpdf.simple_pdf([LINES[:2], LINES[2:]], xref="shifted"), "added",
             ("Kompetenzfeld Logistik",), "cross-reference offsets off by 7 bytes"),
        Case("xref_muell.pdf", rawpdf.simple_pdf([LINES[:2], LINES[2:]], xref="garbage"), "added",
             ("Kompetenzfeld Logistik",), "cross-reference table replaced by junk"),
        Case("xref_fehlt.pdf", rawpdf.simple_pdf([LINES[:2], LINES[2:]], xref="none"), "added",
             ("Kompetenzfeld Logistik",), "no cross-reference table at all"),
        Case("seitenbaum_kreis.pdf", rawpdf.cyclic_page_tree_pdf(), "either", note="page tree lists itself"),
        Case("tief_verschachtelt.pdf", rawpdf.nested_arrays_pdf(), "either", note="arrays nested 100,000 deep"),
        Case("passwort.pdf", encrypt_pdf(good, user_password="geheim"), "failed", ("password",)),
        Case("passwort_aes.pdf", encrypt_pdf(good, user_password="geheim", algorithm="AES-256"), "failed",
             ("password", "encryption")),
        Case("offen_verschluesselt.pdf", encrypt_pdf(good, user_password=""), "added", ("Kompetenzfeld Logistik",)),
        Case("offen_aes.pdf", encrypt_pdf(good, user_password="", algorithm="AES-128"), "added",
             ("Kompetenzfeld Logistik",)),
        Case("scan_ohne_text.pdf", make_image_only_pdf(pages=2), "failed", ("text layer", "images", "OCR")),
        Case("nur_linien.pdf", make_image_only_pdf(kind="shapes"), "failed", ("drawings", "OCR", "text")),
    ]
    if heavy:
        cases += [
            Case("tausend_seiten.pdf", rawpdf.many_pages_pdf(2000, WORDS), "added", ("Kompetenzfeld",),
                 "2,000 pages"),
            Case("strom_bombe.pdf", rawpdf.inflation_bomb_pdf(200), "failed",
                 ("no text", "memory", "longer than"), "a content stream that inflates to 200 MB"),
        ]
    return cases


ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1", "iso8859-15",
             "cp850", "cp437", "mac_roman")


def text_cases() -> list[Case]:
    """German text and HTML in every encoding German material comes in, mojibake, and junk."""
    cases = []
    for encoding in ENCODINGS:  # the code page's name in the text keeps files whose bytes agree apart
        sample = f"Bericht {encoding}\n\n{GOOD}\n{PLAIN_UMLAUTS}\n"
        cases.append(Case(f"text_{encoding}.txt", sample.encode(encoding), "added", ("Größere Förderung",)))
    for encoding in ("utf-8", "cp1252", "iso8859-15", "utf-16"):
        html = (f'<html><head><meta charset="{encoding}"><title>Förderung</title></head>'
                f"<body><main><h1>Übersicht</h1><p>{GOOD}</p><p>{PLAIN_UMLAUTS}</p></main></body></html>")
        cases.append(Case(f"seite_{encoding}.html", html.encode(encoding), "added", ("Größere Förderung",)))
    wrong = f'<html><head><meta charset="utf-8"><title>x</title></head><body><p>{GOOD} {UMLAUTS}</p></body></html>'
    cases += [
        Case("falsch_deklariert.html", wrong.encode("cp1252"), "added", ("Größere Förderung",),
             "cp1252 bytes that claim to be UTF-8"),
        Case("mojibake.txt", (GOOD + "\n" + UMLAUTS).encode("utf-8").decode("cp1252", "replace").encode("utf-8"),
             "added", ("fördert",), "UTF-8 read as Windows-1252 and saved again"),
        Case("doppelt_mojibake.txt", GOOD.encode("utf-8").decode("latin-1").encode("utf-8").decode("latin-1")
             .encode("utf-8"), "added", ("Dortmund",), "mis-decoded twice"),
        Case("leer.txt", b"", "failed", ("empty",)),
        Case("nur_leerzeichen.txt", b" \n\t\r\n   \n", "failed", ("no text", "white space")),
        Case("binaer.txt", random.Random(3).randbytes(4096), "failed", ("binary", "unsupported", "no text")),
        Case("buchstabenkette.txt", GOOD.encode() + b" " + b"y" * 20_000, "added", ("Kompetenzfeld",),
             "a 20,000-letter word (compound splitting must not take minutes)"),
        Case("nullbytes.txt", b"\0" * 2048, "failed", ("binary", "unsupported", "no text")),
        Case("tief.html", b"<html><body><p>vorher</p>" + b"<div>" * 100_000 + GOOD.encode() + b"</div>" * 100_000
             + b"</body></html>", "added", ("Kompetenzfeld",), "100,000 nested elements"),
        Case("tief_offen.html", b"<html><body>" + b"<div><span><b>Wort " * 30_000 + b"Ende", "either",
             note="90,000 unclosed elements"),
        Case("entitaeten.html", entity_bomb(b"<html><body><p>" + GOOD.encode() + b" BOMB</p></body></html>"),
             "either", note="billion laughs in an HTML page"),
        Case("entitaeten_xml.txt", entity_bomb(b"<dokument><p>" + GOOD.encode() + b" BOMB</p></dokument>"),
             "either", note="billion laughs in an XML file (named .txt: folders skip .xml)"),
        Case("tief.json", b"[" * 200_000 + b"]" * 200_000, "failed", ("nested", "deep", "no text", "text"),
             "JSON nested 200,000 deep"),
        Case("lange_zeile.txt", (GOOD + " ").encode() * 3_000, "added", ("Ziel-2-Programm",), "one 300 KB line"),
    ]
    return cases


def office_cases() -> list[Case]:
    body = b"<w:document " + W_NS + b"><w:body><w:p><w:r><w:t>" + GOOD.encode() + b" BOMB</w:t></w:r></w:p>" \
        b"</w:body></w:document>"
    return [
        Case("gut.docx", docx(GOOD), "added", ("Kompetenzfeld Logistik",)),
        Case("kein_zip.docx", b"Das ist kein Word-Dokument, nur Text mit der Endung docx.", "either",
             note="plain text named .docx (read as text)"),
        Case("kein_zip_binaer.docx", bytes(range(256)) * 8, "failed", ("unsupported", "binary", "damaged")),
        Case("abgeschnitten.docx", docx(GOOD)[:-150], "failed", ("damaged", "ZIP", "incomplete")),
        Case("zip_bombe.docx", zip_bomb("word/document.xml", 250, {"[Content_Types].xml": CONTENT_TYPES}),
             "failed", ("zip bomb", "compression", "large")),
        Case("entitaeten.docx", zipped({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": entity_bomb(body)}),
             "failed", ("DTD", "entit", "damaged")),
        Case("nur_zip.docx", zipped({"liesmich.txt": GOOD.encode()}), "failed", ("ZIP", "unsupported", "missing")),
    ]


#: File names that trip up shells, terminals, JSON and SQLite (content: a good text each, or an empty one).
NAMES: tuple[tuple[str | bytes, str], ...] = (
    ("Förderung 2013 (Entwurf).txt", "added"),
    ("Fo\u0308rderung zerlegt.txt", "added"),  # NFD, as macOS writes it
    (b"F\xf6rderung latin1.txt", "added"),  # Latin-1 bytes: no UTF-8
    (b"F\x94rderung cp437.txt", "added"),  # from a ZIP made on old Windows
    ("zeile\numbruch.txt", "added"),
    ("leer\nmit umbruch.txt", "failed"),
    ("tab\tund 'quote\".txt", "added"),
    ("-beginnt mit strich.txt", "added"),
    ("ü" * 120 + ".txt", "added"),  # 244 bytes: near the limit of most file systems
)


def name_cases() -> list[Case]:
    cases = []
    for i, (name, expect) in enumerate(NAMES):
        data = f"{GOOD} Fassung {i}. {WORDS[i % len(WORDS)]}".encode() if expect == "added" else b""
        cases.append(Case(name, data, expect, ("Kompetenzfeld",) if expect == "added" else ("empty",)))
    return cases


def all_cases(*, heavy: bool = True) -> list[Case]:
    return pdf_cases(heavy=heavy) + text_cases() + office_cases() + name_cases()


def write_corpus(folder: Path, cases: list[Case]) -> dict[str, Case]:
    """Write ``cases`` into ``folder`` (plus a symlink loop and a link to itself); returns the cases by the path
    ``add`` reports for them (names that are no UTF-8 written as ``\\xNN``, as the store keeps them)."""
    from clustermine.corpus.paths import storable_path

    folder.mkdir(parents=True, exist_ok=True)
    by_path = {}
    for case in cases:
        name = case.name if isinstance(case.name, bytes) else case.name.encode("utf-8")
        path = os.path.join(os.fsencode(folder), name)
        with open(path, "wb") as handle:
            handle.write(case.data)
        by_path[storable_path(os.fsdecode(path))] = case
    loops = folder / "Unterordner mit Schleife"
    loops.mkdir(exist_ok=True)
    (loops / "zurück").symlink_to("..", target_is_directory=True)
    (loops / "selbst.txt").symlink_to("selbst.txt")
    return by_path


def mutations(data: bytes, rng: random.Random) -> bytes:
    """One random mutation of a file: flipped bytes, a cut, a repeated or removed slice, or spliced junk."""
    kind = rng.randrange(6)
    if not data:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(64)))
    at = rng.randrange(len(data))
    if kind == 0:
        return corrupt(data, rng.randrange(1 << 30), rng.randint(1, 50))
    if kind == 1:
        return data[:at]
    if kind == 2:
        end = min(len(data), at + rng.randint(1, 4096))
        return data[:end] + data[at:end] * rng.randint(2, 50) + data[end:]
    if kind == 3:
        return data[:at] + data[min(len(data), at + rng.randint(1, 4096)):]
    if kind == 4:
        return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 256))) + data[at:]
    return _inflate_mutation(data, rng)


def _inflate_mutation(data: bytes, rng: random.Random) -> bytes:
    """Recompress a stream with changed bytes inside (PDF content, ZIP members stay well-formed outside)."""
    start = data.find(b"stream\n")
    end = data.find(b"\nendstream", start)
    if start < 0 or end < 0:
        return corrupt(data, rng.randrange(1 << 30), 5)
    body = data[start + 7:end]
    try:
        plain = zlib.decompress(body)
    except zlib.error:
        plain = body
    mutated = corrupt(plain, rng.randrange(1 << 30), rng.randint(1, 20)) if plain else plain
    return data[:start + 7] + zlib.compress(mutated) + data[end:]

