"""Is a downloaded file what the server promised? Hashes, sizes, checksums, and PDFs that are web pages.

Servers answer a missing or protected file with a login or error page and status 200; read as HTML, such a page
would enter the corpus as a document. So a file announced as PDF (by MIME type or name) that starts like a web
page or JSON is refused. Size and checksum mismatches are only noted: real servers often give the size of
another rendition.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from clustermine.corpus.oparl.objects import OParlFile


@dataclass(frozen=True)
class Checked:
    """A downloaded file's SHA-256 and size; ``problem``/``hint`` when it is not the file, ``notes`` on doubts."""

    sha256: str
    size: int
    problem: str | None = None
    hint: str | None = None
    notes: tuple[str, ...] = ()


def check_bytes(path: Path, file: OParlFile) -> Checked:
    """Hash the file and compare it with what the server said (size, checksums, that a PDF is a PDF)."""
    sha256 = hashlib.sha256()
    sha1 = hashlib.sha1(usedforsecurity=False) if file.sha1 else None
    sha512 = hashlib.sha512() if file.sha512 else None
    size = 0
    head = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            if not head:
                head = chunk[:1024]
            size += len(chunk)
            for digest in (sha256, sha1, sha512):
                if digest is not None:
                    digest.update(chunk)
    checked = Checked(sha256.hexdigest(), size)
    if size == 0:
        return Checked(checked.sha256, 0, "the server sent an empty file",
                       "the file may be missing on the server; nothing to do unless it persists")
    stripped = head.lstrip().lower()
    named = (file.file_name or file.url or "").lower().split("?")[0]
    expects_pdf = (file.mime_type or "").endswith("pdf") or named.endswith(".pdf")
    if expects_pdf and b"%PDF" not in head and stripped.startswith((b"<!doctype html", b"<html", b"<?xml", b"{")):
        return Checked(checked.sha256, size, "the server sent a web page or error message instead of the PDF",
                       f"the file may need a login or be gone; open {file.url} in a browser")
    notes = []
    if file.size is not None and file.size != size:
        notes.append(f"OParl gives the file size as {file.size} bytes, the download has {size}")
    for name, expected, digest in (("SHA-1", file.sha1, sha1), ("SHA-512", file.sha512, sha512)):
        if expected and digest is not None and digest.hexdigest() != expected:
            notes.append(f"the file's {name} checksum does not match the one OParl gives")
    return Checked(checked.sha256, size, notes=tuple(notes))


__all__ = ["Checked", "check_bytes"]
