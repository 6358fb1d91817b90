"""The raw OParl JSON and the downloaded files, kept under the corpus home (``<home>/oparl/<host>/``).

Why keep them: a re-run should not ask the server again for what it already gave (organisations, meetings,
files), and a later re-analysis (better metadata rules, another mapping) should need no network at all. The
folder is itself an OParl dump: ``clustermine import-oparl <home>/oparl/<host>`` maps it again offline.

Layout: ``<host>/<kind>/<hash of id>.json`` holds one object each (the latest version seen), and
``<host>/files/<version key><suffix>`` the bytes of one version of a File. Every write goes to a temporary file
that is renamed into place, so a killed run leaves either the old or the new content, never half of one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from clustermine.corpus.oparl.objects import OParlFile

FOLDER = "oparl"
FILES = "files"

_SUFFIXES = {
    "application/pdf": ".pdf",
    "text/html": ".html",
    "text/plain": ".txt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/msword": ".doc",
}


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def host_folder_name(url: str) -> str:
    """A folder name for a server (``web1.karlsruhe.de``, ``127.0.0.1_8080``)."""
    netloc = urlsplit(url).netloc.lower() or "local"
    return re.sub(r"[^a-z0-9.\-]+", "_", netloc).strip("_") or "local"


def file_suffix(file: OParlFile) -> str:
    """A suffix for a cached file, from its file name or MIME type (readers sniff the content anyway)."""
    for name in (file.file_name, file.url):
        if name:
            suffix = Path(urlsplit(name).path if "://" in name else name).suffix.lower()
            if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
                return suffix
    return _SUFFIXES.get((file.mime_type or "").split(";")[0].strip(), ".bin")


class RawCache:
    """Objects and files of one or more OParl servers under ``root`` (``<home>/oparl``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def folder(self, url: str) -> Path:
        return self.root / host_folder_name(url)

    def object_path(self, object_id: str, kind: str) -> Path:
        digest = hashlib.sha256(object_id.encode("utf-8")).hexdigest()[:24]
        return self.folder(object_id) / kind.lower() / f"{digest}.json"

    def get(self, object_id: str, kind: str) -> dict[str, Any] | None:
        """The cached object, or None (also for a damaged cache file: it is only a cache)."""
        path = self.object_path(object_id, kind)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def put(self, obj: dict[str, Any], kind: str) -> None:
        """Keep ``obj`` (it must have an id); rewritten only when it changed."""
        object_id = obj.get("id")
        if not isinstance(object_id, str) or not object_id:
            return
        path = self.object_path(object_id, kind)
        data = json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        try:
            if path.read_bytes() == data:
                return
        except OSError:
            pass
        atomic_write_bytes(path, data)

    def file_path(self, file: OParlFile) -> Path:
        """Where the bytes of this version of ``file`` are (or will be) kept."""
        return self.folder(file.url or file.id) / FILES / f"{file.version()}{file_suffix(file)}"


__all__ = ["FILES", "FOLDER", "RawCache", "atomic_write_bytes", "file_suffix", "host_folder_name"]
