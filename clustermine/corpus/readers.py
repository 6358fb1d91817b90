"""The reader registry: from bytes (or a path) to an :class:`Extraction`, whatever the file's format.

:func:`read_bytes` sniffs the content, hands it to the one reader for that format and makes sure the result
has text; :func:`read_path` adds the file-system failures a batch meets (files that vanish mid-run,
missing permissions, folders, pipes). Readers are imported when first used, so importing this module does
not pull in pdfminer or lxml and worker start-up and ``--help`` stay fast.
"""

from __future__ import annotations

import importlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from clustermine.corpus.sniff import sniff_format
from clustermine.errors import ClustermineError, EmptyDocumentError, NoTextLayerError, UnreadableError
from clustermine.model import Extraction

Reader = Callable[..., Extraction]  # (data, name, **options) -> Extraction

#: Files larger than this are refused instead of being read into memory.
MAX_FILE_BYTES = 512 * 1024 * 1024


def _lazy(module: str, function: str) -> Reader:
    """A reader that imports ``module`` only when it is first called."""

    def read(data: bytes, name: str = "", **options: str) -> Extraction:
        reader: Reader = getattr(importlib.import_module(module), function)
        return reader(data, name, **options)

    read.__name__ = function
    read.__qualname__ = function
    read.__doc__ = f"Lazily calls :func:`{module}.{function}`."
    return read


#: Format (as :func:`~clustermine.corpus.sniff.sniff_format` names it) → reader.
READERS: dict[str, Reader] = {
    "pdf": _lazy("clustermine.corpus.pdf", "read_pdf"),
    "html": _lazy("clustermine.corpus.html", "read_html"),
    "docx": _lazy("clustermine.corpus.office", "read_docx"),
    "odt": _lazy("clustermine.corpus.office", "read_odt"),
    "text": _lazy("clustermine.corpus.text", "read_text"),
    "json": _lazy("clustermine.corpus.text", "read_json"),
}

_NO_TEXT_HINTS = {
    "pdf": "the PDF has no text layer; if it is a scan, run OCR on it first",
    "html": "the page has no text outside menus and scripts; save the page as rendered by a browser",
    "docx": "the document holds no text (only images or empty pages?)",
    "odt": "the document holds no text (only images or empty pages?)",
    "text": "the file holds only white space; if it was extracted from a scanned PDF, run OCR on the PDF instead",
}


def read_bytes(data: bytes, name: str = "", *, ocr: str = "auto", pdf_engine: str | None = None) -> Extraction:
    """Read a file's content; ``name`` (the file name) only breaks ties and shows up in messages.

    ``ocr`` (``auto``, ``always``, ``never``) decides whether the pages of scanned PDFs are read with OCR
    (:mod:`clustermine.corpus.ocr`; it needs Tesseract and says how to install it when it is missing).
    ``pdf_engine`` (``pdfium``, ``pdfminer``; None: the default) chooses how PDFs are read
    (:func:`clustermine.corpus.pdf.read_pdf`).

    Raises :class:`~clustermine.errors.UnreadableError` (or a subclass) for anything that cannot become
    text: unsupported or damaged formats, empty files, files with no text. Unexpected failures inside a
    reader are reported the same way, chained to the original exception, so one odd file never stops a batch.
    """
    kind = sniff_format(data, name)
    reader = READERS[kind]
    scanned: NoTextLayerError | None = None
    try:
        extraction = reader(data, name, **({"engine": pdf_engine} if kind == "pdf" and pdf_engine else {}))
    except NoTextLayerError as exc:
        if kind != "pdf":
            raise
        scanned = exc
    except ClustermineError:
        raise
    except RecursionError as exc:
        hint = "the file is damaged or crafted"
        raise UnreadableError(f"{kind} file is nested too deeply to read", hint=hint) from exc
    except Exception as exc:  # a bug or a file no one foresaw: report it, keep the batch going
        raise UnreadableError(
            f"could not read {kind} file: {type(exc).__name__}: {exc}",
            hint="the file may be damaged; if it opens elsewhere, please report it together with the file",
        ) from exc
    if kind == "pdf":  # scanned pages: recognised with OCR where the mode and the machine allow
        from clustermine.corpus.ocr import complete, rescue

        extraction = rescue(data, scanned, ocr) if scanned else complete(data, extraction, ocr)
    if not extraction.text.strip():
        hint = _NO_TEXT_HINTS.get(kind, "the file holds only white space; check where it came from")
        raise EmptyDocumentError("no text found", hint=hint)
    return extraction


def read_path(path: str | os.PathLike[str], *, data: bytes | None = None) -> Extraction:
    """Read the file at ``path``; pass ``data`` when the bytes were already read (e.g. to hash them).

    File-system problems become :class:`~clustermine.errors.UnreadableError` with a hint for the user.
    """
    path = Path(path)
    if data is None:
        data = read_file_bytes(path)
    return read_bytes(data, path.name)


def read_file_bytes(path: Path) -> bytes:
    """The file's bytes; missing, unreadable, special (pipe, device) or oversized files raise UnreadableError."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableError("not a regular file (a pipe, socket or device)",
                                  hint="copy the content into a normal file and add that")
        if info.st_size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 1_000_000
            raise UnreadableError(f"file too large ({info.st_size // 1_000_000} MB)",
                                  hint=f"clustermine reads files up to {limit} MB; split it")
        return path.read_bytes()
    except FileNotFoundError:
        raise UnreadableError("file disappeared before it could be read",
                              hint="it was moved or deleted during the run; run the command again") from None
    except PermissionError:
        hint = "check the file's read permissions (chmod a+r)"
        raise UnreadableError("permission denied", hint=hint) from None
    except IsADirectoryError:
        raise UnreadableError("is a directory, not a file",
                              hint="pass the folder itself to add all the files in it") from None
    except OSError as exc:
        hint = "check the disk and the file"
        raise UnreadableError(f"cannot read file: {exc.strerror or exc}", hint=hint) from None


__all__ = ["MAX_FILE_BYTES", "READERS", "Reader", "read_bytes", "read_file_bytes", "read_path"]
