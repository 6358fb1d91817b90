"""RIS, the tagged format every reference manager imports (Zotero, Citavi, EndNote, Mendeley).

One ``TAG  - value`` per line, CRLF line ends as the format asks, each record from ``TY`` to ``ER``. There is
no escaping in RIS, so every value is put on one line. Readers split ``AU`` at commas into last and first
name; a corporate issuer such as "Kreis Mettmann, Amt für Wirtschaftsförderung" therefore goes into ``AU`` up
to its first comma and in full into ``PB`` (publisher/institution), where nothing is split.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from clustermine.corpus.export.record import Reference, normalise_space

#: RIS type per citation kind.
TYPES = {"report": "RPRT", "online": "ELEC", "misc": "GEN", "event": "CONF"}

EOL = "\r\n"


def render(references: Sequence[Reference]) -> str:
    return "".join(record(ref) + EOL for ref in references)


def record(ref: Reference) -> str:
    """One ``TY … ER`` block."""
    tags: list[tuple[str, str | None]] = [
        ("TY", TYPES[ref.kind]),
        ("TI", ref.title),
        ("AU", author(ref.issuer)),
        ("PB", ref.issuer or ref.institution),
        ("PY", str(ref.year) if ref.year else None),
        ("DA", ris_date(ref.date)),
        ("T2", ref.event if ref.kind == "event" else None),
        ("SN", ref.number),
        ("M3", ref.genre),
        ("LA", ref.language),
        *(("KW", keyword) for keyword in ref.keywords),
        ("AB", ref.abstract),
        ("UR", ref.url),
        ("Y2", ris_date(ref.accessed) if ref.url else None),
        ("L1", file_uri(ref.path)),
    ]
    lines = [f"{tag}  - {normalise_space(value)}" for tag, value in tags if value and normalise_space(value)]
    return EOL.join([*lines, "ER  - "]) + EOL


def author(issuer: str | None) -> str | None:
    """The issuer up to its first comma (RIS readers would split the rest off as a first name)."""
    head = issuer.split(",")[0].strip() if issuer else ""
    return head or None


def ris_date(date: str | None) -> str | None:
    """``2013-04-10`` → ``2013/04/10/``, ``2013-04`` → ``2013/04//``, ``2013`` → ``2013///``."""
    if not date:
        return None
    parts = date.split("-") + ["", ""]
    return "/".join(parts[:3]) + "/"


def file_uri(path: str | None) -> str | None:
    """An absolute local path as a ``file://`` URI (what Zotero and EndNote attach); relative paths stay."""
    if not path:
        return None
    candidate = Path(path)
    return candidate.as_uri() if candidate.is_absolute() else path
