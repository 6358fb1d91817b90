"""File names as the store keeps them and as messages show them.

Linux file names are bytes. Archives unpacked from old Windows ZIP files often carry names in CP437 or
Latin-1 (``F\\x94rderung.pdf``), which Python hands over with lone surrogates that SQLite, JSON and the
terminal all refuse. Rather than lose such a document (or the whole batch), the store keeps these names
with the undecodable bytes written as ``\\xNN``; :func:`real_path` turns that form back into the name on disk,
so incremental ``add`` and ``check`` still find the file. Names that are valid UTF-8 are stored unchanged.

A name may also contain a newline. Stored as it is, but a one-line report must stay one line, so
:func:`printable_path` escapes control characters for messages.
"""

from __future__ import annotations

import os
import re

_ESCAPED_BYTE = re.compile(r"\\x([89a-f][0-9a-f])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def storable_path(path: str | os.PathLike[str]) -> str:
    """``path`` as a string SQLite and JSON accept: bytes that are no UTF-8 become ``\\xNN``."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", errors="backslashreplace")
    return text


def real_path(stored: str) -> str:
    """The name on disk for a path from the store (undoes :func:`storable_path`)."""
    if "\\x" not in stored or os.path.lexists(stored):
        return stored
    raw = _ESCAPED_BYTE.sub(lambda m: chr(0xDC00 + int(m.group(1), 16)), stored)
    return raw if os.path.lexists(raw) else stored


def printable_path(path: str) -> str:
    """``path`` for a one-line message: newlines, tabs and other control characters escaped."""
    path = storable_path(path)
    if not _CONTROL.search(path):
        return path
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], path)


__all__ = ["printable_path", "real_path", "storable_path"]
