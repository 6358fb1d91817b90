"""CSV: one row per document with the same columns every time, for spreadsheets, R and pandas.

The columns never depend on the documents (an empty cell rather than a missing column), so scripts that read
the file keep working from one export to the next. Keywords are joined with "; ".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from clustermine.corpus.export.record import Reference

COLUMNS: tuple[str, ...] = (
    "position", "key", "id", "doctype", "title", "issuer", "institution", "date", "year", "number", "genre",
    "event", "language", "keywords", "abstract", "snippet", "url", "file", "content_hash",
)


def render(references: Sequence[Reference]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for ref in references:
        writer.writerow(row(ref)[c] for c in COLUMNS)
    return buffer.getvalue()


def row(ref: Reference) -> dict[str, str]:
    values = {
        "position": ref.position,
        "key": ref.key,
        "id": ref.id,
        "doctype": ref.doctype,
        "title": ref.title,
        "issuer": ref.issuer,
        "institution": ref.institution,
        "date": ref.date,
        "year": ref.year,
        "number": ref.number,
        "genre": ref.genre,
        "event": ref.event,
        "language": ref.language,
        "keywords": "; ".join(ref.keywords),
        "abstract": ref.abstract,
        "snippet": ref.snippet,
        "url": ref.url,
        "file": ref.path,
        "content_hash": ref.content_hash,
    }
    return {key: "" if value is None else str(value) for key, value in values.items()}
