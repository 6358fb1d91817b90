"""OParl Paper → clustermine's council metadata, and the document that stands for a paper without files.

The server knows for certain what the text analysis can only guess: the paper number (``reference``), its
type, its date, its title, the body that issued it, and the Beratungsfolge with the committees' names. So these
values win over the analysis (recorded with the rule ``oparl``), while what only the text holds (the sections,
the outcome written in the paper) is kept from the analysis.

Which file is the paper itself: ``mainFile`` when the server names one. Many servers (Karlsruhe among them)
list every file as ``auxiliaryFile``; then the first file whose name does not mark it as an attachment
(Anlage, Protokoll, Stellungnahme, Lageplan, …) is taken as the main file, else the first file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from clustermine.corpus.ingest import ExternalMetadata, document_id
from clustermine.corpus.oparl.objects import OParlFile, OParlPaper, id_tail
from clustermine.corpus.store import now_iso
from clustermine.model import Consultation, CouncilPaper, Document, Section

RULE = "oparl"

_ATTACHMENT = re.compile(
    r"^\W*(?:\d+[\s.)_-]*)?(?:anlagen?|anhang|attachment|protokoll\w*|niederschrift|auszug|beschlussauszug|"
    r"stellungnahme|stn\b|präsentation|praesentation|abstimmung\w*|lageplan|plan\b|karte|synopse)",
    re.IGNORECASE,
)

#: Roles that mean a consultation decides, for consultations that say so only through ``authoritative``.
DECIDING_ROLE = "Entscheidung"


def looks_like_attachment(file: OParlFile) -> bool:
    """True when the file's name marks it as an attachment rather than the paper itself."""
    return any(_ATTACHMENT.match(name) for name in (file.name, file.file_name) if name)


def split_files(paper: OParlPaper) -> tuple[OParlFile | None, tuple[OParlFile, ...]]:
    """The paper's main file (see module doc) and its other files, each file once."""
    files = paper.files
    if not files:
        return None, ()
    main = paper.main_file or next((f for f in files if not looks_like_attachment(f)), files[0])
    return main, tuple(f for f in files if f.id != main.id)


def council_metadata(
    paper: OParlPaper,
    *,
    body: str | None,
    name_of: Callable[[str], str | None],
    meeting_date: Callable[[str], str | None],
) -> CouncilPaper:
    """The council fields of ``paper``; ``name_of`` gives an organisation's name for its URL (None when
    unknown: the URL stands in), ``meeting_date`` a meeting's day."""

    def names(urls: tuple[str, ...]) -> str:
        return " / ".join(dict.fromkeys(name_of(u) or u for u in urls))

    steps = []
    for step in paper.consultations:
        role = step.role or (DECIDING_ROLE if step.authoritative else None)
        day = step.meeting_date or (meeting_date(step.meeting) if step.meeting else None)
        steps.append(Consultation(committee=names(step.organizations), date=day, role=role))
    return CouncilPaper(
        number=paper.reference,
        subject=paper.name,
        paper_type=paper.paper_type,
        department=names(paper.under_direction_of) or None,
        body=body,
        consultations=tuple(steps),
        public=True,  # OParl publishes public papers only
    )


def paper_title(paper: OParlPaper) -> str:
    return paper.name or (f"Drucksache {paper.reference}" if paper.reference else id_tail(paper.id))


def paper_info(paper: OParlPaper) -> dict[str, str]:
    info = {"oparl_paper": paper.id}
    if paper.web:
        info["web"] = paper.web
    if paper.version:
        info["oparl_spec"] = paper.version
    return info


def file_metadata(paper: OParlPaper, file: OParlFile, *, main: bool, council: CouncilPaper) -> ExternalMetadata:
    """What the document read from ``file`` takes from its paper (see module doc).

    The main file becomes the council paper itself; an attachment keeps the type the analysis finds (a
    Protokoll is minutes, a study a report) and is titled after its paper and its own name.
    """
    title = paper_title(paper)
    info = {**paper_info(paper), "oparl_file": file.id}
    if file.file_name:
        info["file_name"] = file.file_name
    if not main:
        info["attached_to"] = paper.reference or paper.id
    return ExternalMetadata(
        rule=RULE,
        source=file.url,
        source_name=file.file_name or file.name,
        title=title if main else f"{title} – {file.label}",
        doctype="council_paper" if main else None,
        date=paper.date,
        council=council,
        info=info,
    )


def paper_document(paper: OParlPaper, council: CouncilPaper) -> Document:
    """A document for a paper without (readable) files: its name and metadata as text, so that it can be
    found and filtered like every other paper."""
    title = paper_title(paper)
    lines = [title, ""]
    kind = " ".join(p for p in (council.paper_type, council.number) if p)
    if kind:
        lines.append(kind)
    if council.body:
        lines.append(council.body)
    if paper.date:
        lines.append(paper.date)
    for step in council.consultations:
        lines.append(" – ".join(p for p in (step.committee, step.date, step.role) if p))
    text = "\n".join(lines).strip()
    content_hash = hashlib.sha256(f"oparl-paper\n{paper.id}".encode()).hexdigest()
    return Document(
        id=document_id(content_hash),
        source=paper.web or paper.id,
        format="oparl",
        title=title,
        doctype="council_paper",
        date=paper.date,
        text=text,
        pages=(text,),
        sections=(Section("betreff", "Betreff", title, 0),),
        council=council,
        info=paper_info(paper),
        doctype_rule=RULE,
        date_rule=RULE if paper.date else None,
        content_hash=content_hash,
        size=len(text.encode("utf-8")),
        ingested_at=now_iso(),
        notes=("no readable file: only the OParl metadata",),
    )


__all__ = ["RULE", "council_metadata", "file_metadata", "looks_like_attachment", "paper_document", "split_files"]
