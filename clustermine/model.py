"""The records that flow through clustermine.

One ``Document`` travels from the readers through the pipeline into the store, the index and the exports. The
records are frozen dataclasses of plain data so that they can cross process boundaries (worker pools, Dask) and
round-trip through JSON without custom encoders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

#: The document types clustermine distinguishes, in the order the README lists them.
DOCTYPES: tuple[str, ...] = (
    "council_paper",
    "minutes",
    "project_description",
    "conference_report",
    "report",
    "web_page",
    "other",
)

#: Formats the readers produce.
FORMATS: tuple[str, ...] = ("pdf", "html", "text", "docx", "odt", "oparl")


@dataclass(frozen=True)
class Extraction:
    """What a reader gets out of one file: the text per page and what the file says about itself.

    ``info`` holds the file's own metadata under stable keys (``author``, ``created``, ``modified``,
    ``description``, ``keywords``, ``language``, ``date``, ``producer``), each only when present.
    ``notes`` records facts about the extraction a user may want to know (e.g. ``"encrypted, opened with
    empty password"``).
    """

    format: str
    pages: tuple[str, ...]
    title: str | None = None
    info: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The whole text, pages separated by a blank line."""
        return "\n\n".join(p for p in self.pages if p)


@dataclass(frozen=True)
class Section:
    """A named part of a document, e.g. the ``beschlussvorschlag`` of a council paper.

    ``name`` is a stable lower-case key (``betreff``, ``beschlussvorschlag``, ``sachverhalt``,
    ``finanzielle_auswirkungen``, ``anlagen``, ...); ``heading`` is the heading as the document writes it.
    ``start`` is the character offset of the section body in the document text (-1 if unknown).
    """

    name: str
    heading: str
    text: str
    start: int = -1


@dataclass(frozen=True)
class Consultation:
    """One step of a council paper's Beratungsfolge: which body handles it, when, and how."""

    committee: str
    date: str | None = None
    role: str | None = None  # Beschluss, Kenntnisnahme, Empfehlung, Vorberatung, Entscheidung ...
    outcome: str | None = None  # beschlossen, abgelehnt, vertagt, verwiesen, zur Kenntnis genommen ...


@dataclass(frozen=True)
class CouncilPaper:
    """Fields specific to council papers (Beschluss-/Sitzungsvorlagen, Anträge, Drucksachen)."""

    number: str | None = None  # Vorlagen-Nr. / Drucksache / reference
    subject: str | None = None  # Betreff
    paper_type: str | None = None  # Beschlussvorlage, Antrag, Anfrage, Informationsvorlage, ...
    department: str | None = None  # Fachbereich / Amt / Dezernat
    body: str | None = None  # the council or district that issued it (e.g. "Stadt Karlsruhe")
    consultations: tuple[Consultation, ...] = ()
    outcome: str | None = None
    public: bool | None = None


@dataclass(frozen=True)
class Metadata:
    """What the metadata stage infers about a document, with the rule that decided each value."""

    doctype: str = "other"
    doctype_rule: str = "fallback"
    date: str | None = None
    date_rule: str | None = None
    title: str | None = None
    title_rule: str | None = None
    sections: tuple[Section, ...] = ()
    council: CouncilPaper | None = None


#: Entity kinds; PERSON is only produced when switched on (council papers name staff).
ENTITY_KINDS: tuple[str, ...] = ("REGION", "CLUSTER", "PROGRAM", "ORG", "PERSON")


@dataclass(frozen=True)
class Entity:
    """One mention of a region, cluster, funding programme or organisation in a document's text.

    ``canonical`` is the normalised name (what facets and counts use), ``id`` the gazetteer id when the entity
    is known there (e.g. ``ks-05158`` for Kreis Mettmann) or None for names found by patterns only.
    ``start``/``end`` are character offsets into the document text; ``sentence_start``/``sentence_end`` those
    of the sentence it stands in. ``rule`` tells how it was found (``gazetteer``, ``pattern:<name>``,
    ``compound``).
    """

    kind: str
    text: str
    canonical: str
    start: int
    end: int
    id: str | None = None
    sentence_start: int = -1
    sentence_end: int = -1
    rule: str = "gazetteer"


@dataclass(frozen=True)
class Document:
    """A document in the corpus. ``id`` is derived from the file content, so it is stable across runs."""

    id: str
    source: str
    format: str
    title: str | None
    doctype: str
    date: str | None
    text: str
    pages: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    council: CouncilPaper | None = None
    info: Mapping[str, str] = field(default_factory=dict)
    doctype_rule: str | None = None
    date_rule: str | None = None
    content_hash: str | None = None
    size: int | None = None
    mtime: float | None = None
    ingested_at: str | None = None
    notes: tuple[str, ...] = ()
    entities: tuple[Entity, ...] = ()

    @property
    def year(self) -> int | None:
        """The document year, which is what trends and filters use."""
        return int(self.date[:4]) if self.date else None

    def section(self, name: str) -> Section | None:
        """The first section called ``name``, or None."""
        return next((s for s in self.sections if s.name == name), None)

    def to_dict(self, *, text: bool = True) -> dict[str, Any]:
        """A JSON-ready dict; ``text=False`` leaves out the bulky text and pages."""
        data = asdict(self)
        data["info"] = dict(self.info)
        data["year"] = self.year
        if not text:
            data.pop("text")
            data.pop("pages")
            data.pop("entities")
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Document:
        """Inverse of :meth:`to_dict` (unknown keys are ignored, so older JSON still loads)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["pages"] = tuple(values.get("pages") or ())
        values["notes"] = tuple(values.get("notes") or ())
        values["sections"] = tuple(Section(**s) for s in values.get("sections") or ())
        values["entities"] = tuple(Entity(**e) for e in values.get("entities") or ())
        council = values.get("council")
        if council is not None:
            values["council"] = council_from_dict(council)
        values.setdefault("text", "")
        return cls(**values)


@dataclass(frozen=True)
class Hit:
    """One search result: the document's identity, why it ranks where it does, and the passage that matters.

    ``snippet`` is plain text with the matched words marked as ``[[word]]``, so each front end (terminal
    colours, Markdown, HTML) can render highlights its own way. ``council`` carries paper number, committee and
    meeting date for council papers. ``duplicates`` lists the ids of collapsed near-duplicates.
    ``explanation`` (only with ``explain=True``) maps matched query terms to the fields, stems and compound
    parts that matched.
    """

    id: str
    source: str
    title: str | None
    doctype: str
    date: str | None
    score: float
    snippet: str = ""
    rank: int = 0
    council: Mapping[str, Any] | None = None
    duplicates: tuple[str, ...] = ()
    explanation: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["council"] = dict(self.council) if self.council else None
        data["explanation"] = dict(self.explanation) if self.explanation else None
        return data


def council_from_dict(data: Mapping[str, Any]) -> CouncilPaper:
    """Build a :class:`CouncilPaper` from its ``asdict`` form."""
    values = dict(data)
    values["consultations"] = tuple(Consultation(**c) for c in values.get("consultations") or ())
    return CouncilPaper(**values)


__all__ = [
    "DOCTYPES",
    "FORMATS",
    "Consultation",
    "CouncilPaper",
    "Document",
    "ENTITY_KINDS",
    "Entity",
    "Extraction",
    "Hit",
    "Metadata",
    "Section",
    "council_from_dict",
]
