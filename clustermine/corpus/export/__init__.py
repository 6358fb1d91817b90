"""Literature export: documents of the corpus as BibTeX, RIS, CSL-JSON, CSV or a Markdown reading list.

The facade for the common case::

    from clustermine.corpus.export import export_text, write_atomic

    text = export_text(store, ["3f2a9c1b0d4e5f67", "77e0a2…"], "bibtex")
    write_atomic("literatur.bib", text)

Each document becomes one :class:`~clustermine.corpus.export.record.Reference` (:mod:`.record`), with a
citation key that is unique over the whole corpus (:mod:`.keys`); one module per format renders the references.
No module here needs more than the standard library, so exporting adds no dependency.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clustermine.errors import ClustermineError

if TYPE_CHECKING:
    from clustermine.corpus.export.record import ExportInfo, Reference

#: Output formats, in the order the help lists them.
FORMATS: tuple[str, ...] = ("bibtex", "ris", "csljson", "csv", "markdown")

#: File extensions that name a format (``-o literatur.bib`` needs no ``--format``).
EXTENSIONS: dict[str, str] = {
    ".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".json": "csljson", ".csl": "csljson",
    ".csljson": "csljson", ".csv": "csv", ".md": "markdown", ".markdown": "markdown",
}

_MODULES = {"bibtex": "bibtex", "ris": "ris", "csljson": "csljson", "csv": "table", "markdown": "markdown"}


class ExportError(ClustermineError, ValueError):
    """An export that cannot be made: an unknown format, nothing selected, a file that cannot be written."""


def format_for_path(path: str | os.PathLike[str] | None, default: str = "bibtex") -> str:
    """The format a file name asks for (``.bib``, ``.ris``, ``.json``, ``.csv``, ``.md``), else ``default``."""
    if path is None:
        return default
    return EXTENSIONS.get(Path(path).suffix.lower(), default)


def corpus_keys(store: Any) -> dict[str, str]:
    """Citation keys for every document of the corpus (see :mod:`.keys` for why corpus-wide).

    Reads only titles, dates, council fields, file metadata and region counts, not the texts.
    """
    from clustermine.corpus.export.keys import KeySource, assign_keys
    from clustermine.corpus.export.record import clean_title, issuer_of
    from clustermine.model import council_from_dict

    places: dict[str, tuple[int, str]] = {}
    for row in store.conn.execute(
        "SELECT doc_id, canonical, COUNT(*) FROM entities WHERE kind = 'REGION' GROUP BY doc_id, canonical"
    ):
        best = places.get(row[0])
        if best is None or (-row[2], row[1]) < (-best[0], best[1]):  # most mentioned, then alphabetical
            places[row[0]] = (row[2], row[1])
    sources = []
    for row in store.conn.execute("SELECT id, title, date, source, council_json, info_json FROM documents"):
        council = council_from_dict(json.loads(row["council_json"])) if row["council_json"] else None
        info = json.loads(row["info_json"] or "{}")
        sources.append(
            KeySource(
                id=row["id"],
                title=clean_title(row["title"], council, row["source"]),
                date=row["date"],
                body=council.body if council else None,
                issuer=issuer_of(council, info),
                place=places[row["id"]][1] if row["id"] in places else None,
            )
        )
    return assign_keys(sources)


def build_references(
    store: Any, ids: Iterable[str], *, snippets: Mapping[str, str] | None = None
) -> list[Reference]:
    """The references of ``ids`` in the given order (ids must exist; see ``store.resolve_id``)."""
    from clustermine.corpus.export.record import reference_from_document

    keys = corpus_keys(store)
    snippets = snippets or {}
    return [
        reference_from_document(store.get(doc_id), key=keys[doc_id], snippet=snippets.get(doc_id), position=n)
        for n, doc_id in enumerate(ids, start=1)
    ]


def render(
    references: Sequence[Reference], fmt: str, *, info: ExportInfo | None = None, group_by: str = "year"
) -> str:
    """The references as text in format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise ExportError(f"format must be one of {', '.join(FORMATS)}. Got {fmt!r} instead.")
    module = import_module(f"clustermine.corpus.export.{_MODULES[fmt]}")
    if fmt == "markdown":
        return module.render(references, info=info, group_by=group_by)
    if fmt == "bibtex":
        return module.render(references, header=(info.title, *info.details) if info else ())
    return module.render(references)


def export_text(
    store: Any,
    ids: Iterable[str],
    fmt: str,
    *,
    snippets: Mapping[str, str] | None = None,
    info: ExportInfo | None = None,
    group_by: str = "year",
) -> str:
    """Build the references of ``ids`` and render them: the whole export in one call."""
    return render(build_references(store, ids, snippets=snippets), fmt, info=info, group_by=group_by)


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text so that ``path`` holds either the old or the complete new content, never a half file.

    The text goes to a temporary file in the same folder, which then replaces ``path`` (``os.replace`` is
    atomic). The new file gets the usual permissions (or those of the file it replaces), not the private ones
    of a temporary file.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, before the rename
            "w", encoding="utf-8", newline="", dir=folder, prefix=f".{target.name}.", suffix=".tmp", delete=False
        )
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}",
                          hint="check that the folder exists and that you may write to it") from exc
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, _mode_for(target))
        os.replace(handle.name, target)
    except BaseException as exc:
        Path(handle.name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ExportError(f"cannot write {target}: {exc.strerror or exc}",
                              hint="check the file name and that you may write there") from exc
        raise


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "ExportError",
    "build_references",
    "corpus_keys",
    "export_text",
    "format_for_path",
    "render",
    "write_atomic",
]
