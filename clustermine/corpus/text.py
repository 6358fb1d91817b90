"""Read plain text files and JSON files that carry document text.

Plain text arrives as exports from old systems (cp1252, DOS code pages) and as the output of PDF converters
(form feeds between pages), so decoding goes through :mod:`clustermine.corpus.encoding` and pages are split
at form feeds. JSON turns up where scrapers and RAG pipelines saved what they extracted from council
papers, sometimes under a misleading name: one object, a list, JSON Lines, or pretty-printed objects simply
written one after another. The reader keeps the prose and leaves ids, URLs and short codes behind.
"""

from __future__ import annotations

import json
import re
from typing import Any

from clustermine.corpus.encoding import decode_text
from clustermine.corpus.normalise import normalise_text
from clustermine.errors import EmptyDocumentError, UnreadableError
from clustermine.model import Extraction

#: A first line longer than this is a paragraph, not a title.
MAX_TITLE_CHARS = 150

_URLISH = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.|mailto:|/|[A-Za-z]:\\)|^\S+@\S+\.\w+$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{3,}")
_TITLE_END = re.compile(r"[,;]$|[^.]\.$")
_JSON_SEPARATORS = re.compile(r"[\s,]*")
#: Keys whose string values are identifiers or technical data even when they contain words.
_TECHNICAL_KEYS = frozenset(
    {"id", "uuid", "guid", "url", "uri", "href", "link", "path", "file", "filename", "hash", "checksum",
     "mime", "mimetype", "type", "format", "lang", "language", "encoding", "slug", "source", "created",
     "modified", "date", "datum", "timestamp"}
)
_TITLE_KEYS = ("title", "titel", "headline", "subject", "betreff", "name")


def read_text(data: bytes, name: str = "") -> Extraction:
    """Read a plain text file: pages split at form feeds; a short, title-like first line is the title."""
    text, encoding = decode_text(data)
    pages = tuple(normalise_text(page) for page in text.split("\f"))
    while len(pages) > 1 and not pages[-1]:
        pages = pages[:-1]  # a trailing form feed ends the last page, it does not start a new one
    notes = () if encoding in ("utf-8", "ascii") else (f"decoded as {encoding}",)
    return Extraction(format="text", pages=pages, title=_title_line(pages), notes=notes)


def _title_line(pages: tuple[str, ...]) -> str | None:
    """The first non-empty line, when it is short, has words, and does not read like a sentence.

    Only a hint: the metadata stage decides the document title with more context.
    """
    for page in pages:
        for line in page.split("\n"):
            line = line.strip()
            if line.startswith("#"):  # a Markdown heading
                line = line.lstrip("#").strip()
            if not line:
                continue
            looks_like_title = (
                len(line) <= MAX_TITLE_CHARS
                and _WORD.search(line) is not None
                and len(line.split()) >= 2  # a lone word is a document type ("Beschlussvorlage")
                and not _TITLE_END.search(line)
                and not _URLISH.match(line)
            )
            return line if looks_like_title else None
    return None


# ----------------------------------------------------------------------------------------------------------
# JSON


def read_json(data: bytes, name: str = "") -> Extraction:
    """Read the prose of a JSON document: one paragraph per object, in document order.

    Accepts one value, a list, JSON Lines, or concatenated (pretty-printed) values. Raises
    :class:`UnreadableError` when nothing parses and :class:`EmptyDocumentError` when nothing is prose.
    """
    text, _ = decode_text(data)
    values, problem = _parse_stream(text)
    if not values:
        hint = "check that the file is complete and not truncated"
        raise UnreadableError(f"not valid JSON: {problem}", hint=hint)
    paragraphs = _prose_paragraphs(values)
    if not paragraphs:
        raise EmptyDocumentError(
            f"no prose text found in JSON ({len(values)} value{'s' if len(values) != 1 else ''})",
            hint="clustermine reads JSON that carries document text; this one has only ids, numbers, codes",
        )
    notes = (f"JSON is cut off or broken after {len(values)} value(s): {problem}",) if problem else ()
    page = normalise_text("\n\n".join(paragraphs))
    return Extraction(format="text", pages=(page,), title=_json_title(values), notes=notes)


def _parse_stream(text: str) -> tuple[list[Any], str | None]:
    """All JSON values in ``text`` one after another; the problem that stopped parsing, if any."""
    decoder = json.JSONDecoder()
    values: list[Any] = []
    position = _JSON_SEPARATORS.match(text, 0).end()
    while position < len(text):
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            return values, f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
        except RecursionError:
            return values, "values nested too deeply"
        values.append(value)
        position = _JSON_SEPARATORS.match(text, position).end()
    return values, None


def is_prose(value: str) -> bool:
    """Whether a JSON string is text a person wrote, rather than an id, a URL, a date or a short code."""
    value = value.strip()
    if len(value) < 12 or _URLISH.match(value):
        return False
    words = _WORD.findall(value)
    return len(words) >= 3 or (len(words) >= 2 and len(value) >= 25)


def _prose_paragraphs(values: list[Any]) -> list[str]:
    """Walk the values iteratively; strings of one object make one paragraph, list items one each."""
    paragraphs: dict[int, list[str]] = {}
    counter = 0
    # (value, owner, key): owner is the paragraph a string belongs to; key the object key it sits under.
    stack: list[tuple[Any, int | None, str | None]] = [(v, None, None) for v in reversed(values)]
    while stack:
        value, owner, key = stack.pop()
        if isinstance(value, str):
            if (key or "").lower() in _TECHNICAL_KEYS or not is_prose(value):
                continue
            if owner is None:
                counter += 1
                owner = counter
            paragraphs.setdefault(owner, []).append(value.strip())
        elif isinstance(value, dict):
            counter += 1
            stack.extend((v, counter, str(k)) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((v, None, key) for v in reversed(value))
    return ["\n".join(lines) for _, lines in sorted(paragraphs.items())]


def _json_title(values: list[Any]) -> str | None:
    """A title only from a single top-level object that names one (a list of records has none)."""
    if len(values) != 1 or not isinstance(values[0], dict):
        return None
    for key, value in values[0].items():
        if str(key).lower() in _TITLE_KEYS and isinstance(value, str) and 0 < len(value.strip()) <= 300:
            return normalise_text(value.strip())
    return None


__all__ = ["MAX_TITLE_CHARS", "is_prose", "read_json", "read_text"]
