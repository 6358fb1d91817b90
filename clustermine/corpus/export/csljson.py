"""CSL-JSON, the input of citeproc processors (Pandoc, Zotero, Mendeley) and of any CSL citation style.

A JSON array of items. The issuer is a ``literal`` name, so that styles print it whole instead of
abbreviating "Amt für Wirtschaftsförderung" to initials. Both the CSL 1.0.1 (``event``) and the CSL 1.0.2
(``event-title``, ``citation-key``) spellings are written, so older and newer processors find what they need.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from clustermine.corpus.export.record import Reference

#: CSL item type per citation kind.
TYPES = {"report": "report", "online": "webpage", "misc": "document", "event": "paper-conference"}


def render(references: Sequence[Reference]) -> str:
    return json.dumps([item(ref) for ref in references], ensure_ascii=False, indent=2) + "\n"


def item(ref: Reference) -> dict[str, Any]:
    """One CSL item; empty fields are left out."""
    data: dict[str, Any] = {
        "id": ref.key,
        "citation-key": ref.key,
        "type": TYPES[ref.kind],
        "title": ref.title,
        "author": [{"literal": ref.issuer}] if ref.issuer else None,
        "publisher": ref.institution,
        "issued": {"date-parts": [ref.date_parts]} if ref.date else None,
        "number": ref.number,
        "genre": ref.genre,
        "event": ref.event,
        "event-title": ref.event,
        "event-date": {"date-parts": [ref.date_parts]} if ref.event and ref.date else None,
        "language": ref.language,
        "keyword": ", ".join(ref.keywords) or None,
        "abstract": ref.abstract,
        "URL": ref.url,
        "accessed": {"date-parts": [[int(p) for p in ref.accessed.split("-")]]} if ref.url and ref.accessed else None,
        "archive_location": ref.path,
    }
    return {key: value for key, value in data.items() if value}
