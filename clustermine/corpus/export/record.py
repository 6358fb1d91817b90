"""From a stored :class:`~clustermine.model.Document` to a :class:`Reference`: what a bibliography needs to know.

Every output format (BibTeX, RIS, CSL-JSON, CSV, Markdown) renders the same record, so a decision such as "who
issued a council paper" or "what is the abstract of a report" is taken once, here, and the formats only differ
in syntax. The record holds plain text; escaping belongs to each format.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from clustermine.model import CouncilPaper, Document, Entity

#: How each document type is cited: ``report`` (with institution and number), ``online`` (a page or project
#: description with a URL), ``misc`` (the same without a URL), ``event`` (conference reports).
KINDS: dict[str, str] = {
    "council_paper": "report",
    "minutes": "report",
    "report": "report",
    "conference_report": "event",
    "project_description": "online",
    "web_page": "online",
    "other": "misc",
}

#: The genre German readers expect in a citation ("Beschlussvorlage 2013/0295", "Tagungsbericht").
GENRES: dict[str, str] = {
    "council_paper": "Vorlage",
    "minutes": "Niederschrift",
    "report": "Bericht",
    "conference_report": "Tagungsbericht",
    "project_description": "Projektbeschreibung",
    "web_page": "Webseite",
}

#: Entity kinds that become keywords, in this order (organisations and persons are not subject keywords).
KEYWORD_KINDS: tuple[str, ...] = ("CLUSTER", "REGION", "PROGRAM")

#: At most this many keywords per kind, the most mentioned first: a tag list of 40 regions helps nobody.
KEYWORDS_PER_KIND = 10

#: Abstracts longer than this are cut at a sentence end (resolutions can run over pages).
ABSTRACT_CHARS = 1500

_URL = re.compile(r"^https?://", re.IGNORECASE)
_HEADING_MARKS = re.compile(r"^\s*#+\s*")
_SPACE = re.compile(r"\s+")
_HEADING_LINE = re.compile(r"^\s*[^:]{1,60}:\s*$")
_LABEL = re.compile(r"^[^\s:]+(?:\s+[^\s:]+){0,2}\s*:\s")  # "Projektname: …", "Anwesend: …", "Datum/Ort: …"
_SUMMARY_HEADING = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?(?:Zusammenfassung|Kurzfassung|Abstract|Summary|Management Summary|"
    r"Das Wichtigste in Kürze)\s*:?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_SUMMARY_SECTIONS = ("kurzfassung", "zusammenfassung", "abstract", "summary")
_RESOLUTION_SECTIONS = ("beschlussvorschlag",)
#: Words before a full stop that do not end a sentence.
_ABBREVIATIONS_TEXT = "z.b bzw ca vgl nr dr prof e.v u.a d.h s abs art gem inkl ggf evtl ff mio mrd tsd st str bzgl usw"
_ABBREVIATIONS = frozenset(_ABBREVIATIONS_TEXT.split())


@dataclass(frozen=True)
class Reference:
    """One document as a bibliography entry. ``key`` is the citation key (unique within the corpus).

    ``issuer`` is the author or issuing body as one corporate name ("Kreis Mettmann, Amt für
    Wirtschaftsförderung und Planung"), ``institution`` the body that publishes it (for council papers the
    council or district, otherwise the issuer). ``path`` is the local file, ``url`` a web address; ``accessed``
    the day a web page was captured. ``snippet`` (search passage, words marked ``[[…]]``) is set only when the
    export came from a query.
    """

    id: str
    key: str
    doctype: str
    title: str
    issuer: str | None = None
    institution: str | None = None
    date: str | None = None
    number: str | None = None
    genre: str | None = None
    event: str | None = None
    url: str | None = None
    path: str | None = None
    accessed: str | None = None
    language: str = "de"
    keywords: tuple[str, ...] = ()
    abstract: str | None = None
    snippet: str | None = None
    content_hash: str | None = None
    position: int = 0

    @property
    def kind(self) -> str:
        """``report``, ``online``, ``misc`` or ``event`` — online only when there is a URL to point to."""
        kind = KINDS.get(self.doctype, "misc")
        return "misc" if kind == "online" and not self.url else kind

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    @property
    def date_parts(self) -> list[int]:
        """``2013-04`` → ``[2013, 4]``: the partial date as numbers, as CSL and RIS want it."""
        return [int(p) for p in self.date.split("-")] if self.date else []

    @property
    def summary(self) -> str | None:
        """The first sentence of the abstract, for one-line reading lists."""
        return first_sentence(self.abstract) if self.abstract else None


def reference_from_document(
    doc: Document, *, key: str = "", snippet: str | None = None, position: int = 0
) -> Reference:
    """Map a stored document (with its entities) to a :class:`Reference`."""
    url, path = locations(doc.source, doc.info)
    return Reference(
        id=doc.id,
        key=key,
        doctype=doc.doctype,
        title=clean_title(doc.title, doc.council, doc.source),
        issuer=issuer_of(doc.council, doc.info),
        institution=institution_of(doc.council, doc.info),
        date=doc.date,
        number=(doc.council.number if doc.council and doc.council.number else None),
        genre=genre_of(doc.doctype, doc.council),
        event=event_of(doc) if doc.doctype == "conference_report" else None,
        url=url,
        path=path,
        accessed=(doc.ingested_at or "")[:10] or None if url else None,  # the day the page was captured
        keywords=keywords_of(doc.entities),
        abstract=abstract_of(doc),
        snippet=snippet or None,
        content_hash=doc.content_hash,
        position=position,
    )


# -- fields -------------------------------------------------------------------------------------------------


def clean_title(title: str | None, council: CouncilPaper | None = None, source: str = "") -> str:
    """The title on one line, without Markdown heading marks; the subject or file name if there is no title."""
    for candidate in (title, council.subject if council else None, _file_stem(source)):
        text = normalise_space(_HEADING_MARKS.sub("", candidate or ""))
        if text:
            return text
    return "Ohne Titel"


def issuer_of(council: CouncilPaper | None, info: Mapping[str, Any]) -> str | None:
    """The author or issuing body as one name.

    The file's author field is usually the fullest form ("Stadt Dortmund, Wirtschafts- und
    Beschäftigungsförderung"); it is used when it names the council body the paper gives, or when the paper
    gives none. Otherwise body and department are joined.
    """
    author = normalise_space(str(info.get("author") or "")) or None
    body = normalise_space(council.body or "") if council else ""
    if body and not (author and body.casefold() in author.casefold()):
        department = normalise_space(council.department or "") if council else ""
        return f"{body}, {department}" if department and department.casefold() not in body.casefold() else body
    return author


def institution_of(council: CouncilPaper | None, info: Mapping[str, Any]) -> str | None:
    """The publishing institution: the council body for council papers, else the issuer."""
    if council and council.body:
        return normalise_space(council.body)
    return issuer_of(council, info)


def genre_of(doctype: str, council: CouncilPaper | None) -> str | None:
    if doctype == "council_paper" and council and council.paper_type:
        return normalise_space(council.paper_type)
    return GENRES.get(doctype)


def locations(source: str, info: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(URL, local path): a web source is the URL; a file keeps its path and may name its URL in its metadata."""
    if _URL.match(source or ""):
        return source, None
    declared = str(info.get("url") or "").strip()
    return (declared if _URL.match(declared) else None), (source or None)


def keywords_of(entities: Iterable[Entity]) -> tuple[str, ...]:
    """Canonical names of the clusters, regions and programmes, most mentioned first within each kind."""
    counts: dict[str, Counter[str]] = {kind: Counter() for kind in KEYWORD_KINDS}
    for entity in entities:
        if entity.kind in counts:
            counts[entity.kind][normalise_space(entity.canonical)] += 1
    seen: set[str] = set()
    out: list[str] = []
    for kind in KEYWORD_KINDS:
        ranked = sorted(counts[kind].items(), key=lambda item: (-item[1], item[0].casefold()))
        for name, _ in ranked[:KEYWORDS_PER_KIND]:
            # keyword lists are separated by commas or semicolons in every format, so those cannot stay inside
            name = re.sub(r"\s*[,;]\s*", " / ", name)
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                out.append(name)
    return tuple(out)


def event_of(doc: Document) -> str | None:
    """The event a conference report is about: its title without "Tagungsbericht:" and without the subtitle."""
    title = clean_title(doc.title, doc.council, doc.source)
    title = re.sub(
        r"^(?:Tagungsbericht|Veranstaltungsbericht|Dokumentation|Bericht|Konferenzbericht)\b\s*:?\s*", "", title
    )
    depth = 0
    for i, char in enumerate(title):  # cut at the first " – " that is not inside „…“
        depth += {"„": 1, "“": -1, "«": 1, "»": -1}.get(char, 0)
        if depth <= 0 and title.startswith((" – ", " — ", " - "), i):
            title = title[:i]
            break
    return title.strip() or None


def abstract_of(doc: Document) -> str | None:
    """The resolution text (Beschlussvorschlag) of a council paper, otherwise the opening paragraph.

    For reports with a summary (Zusammenfassung, Kurzfassung) its first paragraph is taken, because a report's
    first paragraph is usually the imprint or the table of contents.
    """
    if doc.doctype == "council_paper":
        for name in _RESOLUTION_SECTIONS:
            section = doc.section(name)
            text = normalise_space(section.text) if section else ""
            if len(text) >= 20:
                return shorten(text, ABSTRACT_CHARS)
    for name in _SUMMARY_SECTIONS:
        section = doc.section(name)
        paragraph = opening_paragraph(section.text) if section else None
        if paragraph:
            return shorten(paragraph, ABSTRACT_CHARS)
    heading = _SUMMARY_HEADING.search(doc.text)
    while heading:  # the first summary heading may be a line of the table of contents: try each
        paragraph = opening_paragraph(doc.text[heading.end():], title=doc.title)
        if paragraph:
            return shorten(paragraph, ABSTRACT_CHARS)
        heading = _SUMMARY_HEADING.search(doc.text, heading.end())
    paragraph = opening_paragraph(doc.text, title=doc.title)
    return shorten(paragraph, ABSTRACT_CHARS) if paragraph else None


def opening_paragraph(text: str, *, title: str | None = None) -> str | None:
    """The first paragraph that reads like prose: a dozen words or more, a full stop, not a "Label: value"."""
    title_key = normalise_space(_HEADING_MARKS.sub("", title or "")).casefold()
    for block in re.split(r"\n\s*\n", text):
        lines = block.strip().splitlines()
        if len(lines) > 1 and (_HEADING_LINE.match(lines[0]) or _HEADING_MARKS.match(lines[0])):
            lines = lines[1:]  # "Sachverhalt:" or "## Anlass" on its own line above the text
        paragraph = normalise_space(_HEADING_MARKS.sub("", "\n".join(lines)))
        if not paragraph or paragraph.casefold() == title_key:
            continue
        words = paragraph.split()
        if len(words) < 12 or _LABEL.match(paragraph) or not re.search(r"[.!?](?:\s|$)", paragraph):
            continue
        if sum(c.isdigit() or c == "|" for c in paragraph) > len(paragraph) / 4:  # a table
            continue
        return paragraph
    return None


# -- text helpers -------------------------------------------------------------------------------------------


def normalise_space(text: str) -> str:
    """One line: runs of whitespace (including line breaks) become one space; control characters go."""
    text = "".join(c for c in text if c.isprintable() or c.isspace())
    return _SPACE.sub(" ", text).strip()


def sentence_ends(text: str) -> Iterable[int]:
    """Offsets just after each sentence-ending punctuation mark (not after abbreviations or ordinals)."""
    for match in re.finditer(r"[.!?…](?=\s+[\"„(]?[A-ZÄÖÜ0-9])|[.!?…]$", text):
        before = text[: match.start()].rsplit(None, 1)
        word = before[-1].casefold().rstrip(".") if before else ""
        if match.group() == "." and (word in _ABBREVIATIONS or word.isdigit() or len(word) == 1):
            continue
        yield match.end()


def first_sentence(text: str, limit: int = 200) -> str:
    """The first sentence, cut at a word boundary with "…" when longer than ``limit``."""
    end = next(iter(sentence_ends(text)), len(text))
    return shorten(text[:end], limit)


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at the last sentence end (else word) before it, marked with "…"."""
    if len(text) <= limit:
        return text
    ends = [e for e in sentence_ends(text[:limit]) if e >= limit // 2]
    if ends:
        return text[: ends[-1]]
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–-") + "…"


def _file_stem(source: str) -> str:
    name = re.split(r"[\\/]", source.rstrip("/\\"))[-1] if source else ""
    return name.rsplit(".", 1)[0].replace("_", " ") if name else ""


@dataclass(frozen=True)
class ExportInfo:
    """What an exported list is: a title ("Literature for „Clusterförderung“") and provenance lines."""

    title: str = "Literature list"
    details: tuple[str, ...] = ()
