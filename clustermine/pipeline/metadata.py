"""The metadata stage: doctype, date, title, sections and council fields of one extracted file.

This is the one call the corpus needs (``analyse(extraction)``); it runs the small modules in the order their
answers depend on each other (the doctype decides which date wins and whether council fields are read) and
records, for every value, the rule that produced it, so that a wrong date can be traced to its cause.
"""

from __future__ import annotations

import re
from datetime import date

from ..model import Extraction, Metadata, Section
from .council import extract_council, subject_span
from .dates import find_document_date
from .doctype import classify
from .fields import find_fields, is_label_line
from .sections import split_sections

#: Doctypes whose cover carries council fields (number, Beratungsfolge, ...).
COUNCIL_DOCTYPES = ("council_paper", "minutes")

_FILE_NAME = re.compile(r"\.(?:docx?|pdf|pptx?|xlsx?|odt|ods|rtf|txt|html?|indd|qxd)\s*$", re.IGNORECASE)
_APP_PREFIX = re.compile(r"^(?:Microsoft\s+(?:Word|PowerPoint|Excel)\s*-\s*|Word\s*-\s*)", re.IGNORECASE)
_GENERIC_TITLES = re.compile(
    r"(?:untitled|unbenannt|ohne\s+titel|titel|title|dokument\s*\d*|document\s*\d*|folie\s*\d*|slide\s*\d*|"
    r"powerpoint[- ]präsentation|präsentation|presentation|deckblatt|vorlage|word|pdf|druck|print|test|"
    r"entwurf|seite\s*\d*|\d+)",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"^(?:Gedruckt\s+auf|\d+\s+Prozent\s+Recyclingpapier|Seite\s+\d|-\s*\d+\s*-|\d+\s*$|[\W_]+$|www\.|https?://|"
    r"[A-Z]:\\|\\\\|/[\w.-]+/)",  # page furniture, URLs and file paths ("K:\DAT\...", "/home/...")
    re.IGNORECASE,
)

# The issuer's letterhead above a heading ("STADT GELSENKIRCHEN", "Der Oberbürgermeister"): who wrote it, not what
# it is; the heading below it is the title.
_ISSUER_LINE = re.compile(
    r"^(?:(?i:Stadt|Kreis|Landkreis|Gemeinde|Markt|Hansestadt|Bezirksamt|Region)\s+"
    r"[A-ZÄÖÜ][\w\-]*(?:\s+(?i:an\s+der\s+|am\s+|im\s+)?[A-ZÄÖÜ(][\w\-.()]*)?"
    r"|(?:Der|Die)\s+(?:Ober)?[Bb]ürgermeister(?:in)?|(?:Der|Die)\s+Landr(?:at|ätin)"
    r"|Der\s+Magistrat(?:\s+der\s+Stadt\s+[A-ZÄÖÜ][\w\-]*)?)$"
)


def good_title(value: str | None) -> str | None:
    """A file's own title if it describes the document; None for file names, app prefixes and placeholders."""
    if not value:
        return None
    title = " ".join(_APP_PREFIX.sub("", value).split())
    if len(title) < 4 or len(title) > 250 or _FILE_NAME.search(title) or _GENERIC_TITLES.fullmatch(title):
        return None
    letters = sum(ch.isalpha() for ch in title)
    if letters < 0.5 * len(title.replace(" ", "")) or " " not in title and re.search(r"[_\d]", title):
        return None
    if title.count("_") >= 2 or re.fullmatch(r"[\w-]+\.[\w.-]+", title):
        # a file name written into the title field ("2022_09_29_RA-Bramfeld_...", "Stellenanzeige.Fraktion")
        return None
    return title


def first_heading(text: str, *, limit: int = 1500) -> str | None:
    """The first title-like line(s) of a text: page furniture and labels skipped, wrapped lines joined."""
    lines: list[str] = []
    for raw in text[:limit].splitlines():
        line = " ".join(raw.split())
        if line.startswith("#"):  # a Markdown heading in a plain-text file
            line = line.lstrip("#").strip()
        if lines:
            if not line or is_label_line(raw) or len(lines) >= 3 or lines[-1].endswith((".", ":", "!", "?")):
                break
            if len(" ".join(lines)) + len(line) > 200 or ":" in line[:25]:
                break
            lines.append(line)
            continue
        if (
            not line
            or _BOILERPLATE.match(line)
            or is_label_line(raw)
            or not re.search(r"[A-Za-zÄÖÜäöüß]{3}", line)
            or _ISSUER_LINE.match(line)
        ):
            continue
        lines.append(line)
    if not lines:
        return None
    title = " ".join(lines)
    title = re.sub(r"(\w)- (\w)", lambda m: m[1] + m[2] if m[2].islower() else f"{m[1]}-{m[2]}", title)
    return title[:200].rstrip(" :,;")


def _source_title(source_name: str) -> str | None:
    stem = source_name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", stem)
    words = " ".join(re.sub(r"[_]+", " ", stem).split())
    return words if re.search(r"[A-Za-zÄÖÜäöüß]{3}", words) else None


def choose_title(
    text: str, extraction_title: str | None, doctype: str, subject: str | None, source_name: str = ""
) -> tuple[str | None, str | None]:
    """The title and its rule: a council paper's Betreff, else the file's own title when it is a real one,
    else the first heading-like line, else the file name."""
    if doctype == "council_paper" and subject:
        return subject, "council:subject"
    title = good_title(extraction_title)
    if title and not _ISSUER_LINE.match(title):  # a text file's first line may be the letterhead
        return title, "extraction"
    heading = first_heading(text)
    if heading:
        return heading, "first-line"
    if subject:
        return subject, "council:subject"
    name = _source_title(source_name)
    return (name, "source-name") if name else (None, None)


def analyse(extraction: Extraction, *, source_name: str = "", today: date | None = None) -> Metadata:
    """Doctype, date, title, sections and council fields of one file, each with the rule that decided.

    ``source_name`` (the file name or URL) is a last resort for the date and the title. ``today`` bounds
    plausible dates (default: the real today); tests pin it.
    """
    text = extraction.text
    fields = find_fields(text)
    doctype, doctype_rule = classify(text, extraction.title, extraction.format, extraction.info)
    council = extract_council(text, fields=fields) if doctype in COUNCIL_DOCTYPES else None
    found_date, date_rule = find_document_date(
        text,
        extraction.info,
        doctype=doctype,
        fmt=extraction.format,
        source_name=source_name,
        fields=fields,
        meetings=[c.date for c in council.consultations if c.date] if council else (),
        today=today,
    )
    title, title_rule = choose_title(
        text, extraction.title, doctype, council.subject if council else None, source_name
    )
    sections = split_sections(text, council=doctype in COUNCIL_DOCTYPES)
    if council and council.subject and not any(s.name == "betreff" for s in sections):
        # the Betreff as a section too (its text as written, so that offsets stay true)
        _, start, end = subject_span(text, fields)
        if start >= 0:
            sections = (Section("betreff", "", text[start:end].strip(), start), *sections)
    return Metadata(
        doctype=doctype,
        doctype_rule=doctype_rule,
        date=found_date,
        date_rule=date_rule,
        title=title,
        title_rule=title_rule,
        sections=sections,
        council=council,
    )


__all__ = ["COUNCIL_DOCTYPES", "analyse", "choose_title", "first_heading", "good_title"]
