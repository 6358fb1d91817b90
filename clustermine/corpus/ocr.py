"""Text for scanned PDF pages: optical character recognition with the Tesseract program and its German model.

Why the ``tesseract`` binary through a subprocess, not a Python binding: it keeps clustermine free of GPL/AGPL
Python dependencies and of a compiled extension, and it makes OCR an optional extra that a user switches on
by installing one Debian/Ubuntu package (``tesseract-ocr`` with ``tesseract-ocr-deu``). Pages are rendered to
images with pypdfium2 (PDFium, which clustermine also uses to read PDFs) or, where it is missing, with
poppler's ``pdftoppm``.

Modes (``add --ocr``): ``auto`` recognises pages that have no text layer (scans, text drawn as outlines, fonts
without a character map), ``always`` recognises every page and replaces the text layer with the result,
``never`` leaves scanned pages empty. Recognised text is marked: the extraction's ``info["ocr"]`` names the
pages and the engine, and a note warns that recognition errors are likely, so ``show`` and search results can
say that a text was not written but read from an image.

Bounded like every other reader: each page gets its own time limit, the Tesseract process inherits the
worker's memory limit and dies with the worker when that is stopped (Linux), and a failing page is left empty
with a note instead of failing the document.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from clustermine.errors import NoTextLayerError
from clustermine.model import Extraction

MODES: tuple[str, ...] = ("auto", "always", "never")
DEFAULT_MODE = "auto"
LANGUAGE = "deu"
#: Rendering resolution: scans are usually made at 300 dpi, and Tesseract reads 10-point type best there.
DPI = 300
#: Seconds one page may take in Tesseract (the worker's --timeout still bounds the whole file).
PAGE_TIMEOUT = 120.0
#: The environment variable that names the Tesseract program (default: ``tesseract`` on the PATH); an empty
#: value switches OCR off, e.g. to see what a machine without Tesseract would do.
TESSERACT_ENV = "CLUSTERMINE_TESSERACT"
INSTALL_HINT = (
    "the PDF is a scan without text layer: install Tesseract with German data (Debian/Ubuntu: apt-get install "
    "tesseract-ocr tesseract-ocr-deu) and add it again, or run OCR yourself (ocrmypdf -l deu scan.pdf out.pdf)"
)
#: A page counts as read when OCR finds at least one word of three letters (not just specks and rules).
_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class OcrStatus:
    """Whether OCR can run here; ``detail`` says what is missing or which version was found."""

    available: bool
    detail: str
    program: str | None = None


@functools.lru_cache(maxsize=4)
def _status(program_setting: str | None) -> OcrStatus:
    if program_setting == "":
        return OcrStatus(False, f"OCR is switched off (${TESSERACT_ENV} is empty)")
    program = shutil.which(program_setting or "tesseract")
    if program is None:
        return OcrStatus(False, "the tesseract program is not installed")
    try:
        found = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return OcrStatus(False, f"tesseract does not run ({exc})")
    languages = {line.strip() for line in (found.stdout + found.stderr).splitlines()}
    if LANGUAGE not in languages:
        return OcrStatus(False, "tesseract is installed without German data (tesseract-ocr-deu)", program)
    return OcrStatus(True, f"tesseract with German data ({program})", program)


def status() -> OcrStatus:
    """Is Tesseract with German data installed? (asked once per process)"""
    return _status(os.environ.get(TESSERACT_ENV))


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"ocr mode must be one of {', '.join(MODES)}. Got {mode!r} instead.")
    return mode


# ----------------------------------------------------------------------------------------------------
# the two hooks the PDF reading calls


def rescue(data: bytes, error: NoTextLayerError, mode: str = DEFAULT_MODE) -> Extraction:
    """A PDF without any usable text layer: recognise every page, or raise ``error`` with advice.

    Called when the reader found only images, outlines or undecodable glyphs. Without Tesseract (or with
    ``mode="never"``) the error goes on with the hint how to switch OCR on.
    """
    check_mode(mode)
    if mode == "never":
        raise NoTextLayerError(error.message, hint="the PDF is a scan without text layer: add it with --ocr auto "
                                                   "to read it with OCR") from error
    found = status()
    if not found.available:
        raise NoTextLayerError(f"{error.message}; {found.detail}", hint=INSTALL_HINT) from error
    try:
        texts, failures = _recognise(data, None, found.program or "tesseract")
    except Exception as exc:  # noqa: BLE001 - PDFium refusing to render a damaged file is still this error
        raise NoTextLayerError(f"{error.message}; OCR could not render the pages ({type(exc).__name__}: {exc})",
                               hint=error.hint) from exc
    if not any(texts.values()):
        detail = f" ({failures[0]})" if failures else ""
        raise NoTextLayerError(f"{error.message}; OCR found no readable text either{detail}",
                               hint="the PDF has no text layer and OCR read nothing on its pages: look at it in a "
                                    "PDF viewer, it may be blank or a picture") from error
    pages = tuple(texts.get(n, "") for n in range(1, max(texts) + 1))
    return _marked(Extraction(format="pdf", pages=pages), [n for n, t in texts.items() if t], failures)


def complete(data: bytes, extraction: Extraction, mode: str = DEFAULT_MODE) -> Extraction:
    """A PDF that has text: in ``auto`` mode recognise its empty pages that hold images, in ``always`` mode
    every page. Without Tesseract the extraction stays as it is; its notes already name the scanned pages."""
    check_mode(mode)
    if mode == "never" or (mode == "auto" and all(extraction.pages)):
        return extraction
    found = status()
    if not found.available:
        return _note_missing(extraction, found) if mode == "always" else extraction
    numbers = list(range(1, len(extraction.pages) + 1))
    if mode == "auto":
        numbers = _pages_with_images(data, [n for n in numbers if not extraction.pages[n - 1]])
    if not numbers:
        return extraction
    try:
        texts, failures = _recognise(data, numbers, found.program or "tesseract")
    except Exception as exc:  # noqa: BLE001 - the text layer is still good: keep it, say what failed
        return replace(extraction, notes=(*extraction.notes, f"OCR failed: {type(exc).__name__}: {exc}"))
    pages = list(extraction.pages)
    read = []
    for number, text in texts.items():
        if text and 0 < number <= len(pages):
            pages[number - 1] = text
            read.append(number)
    if not read and not failures:
        return extraction
    return _marked(replace(extraction, pages=tuple(pages)), read, failures)


def _marked(extraction: Extraction, read: list[int], failures: list[str]) -> Extraction:
    """Record in ``info`` and ``notes`` which pages are OCR text, so every view can say so."""
    notes = list(extraction.notes)
    info = dict(extraction.info)
    if read:
        listed = page_ranges(read)
        info["ocr"] = f"pages {listed} of {len(extraction.pages)} (Tesseract, {LANGUAGE})"
        notes = [n for n in notes if "OCR would add them" not in n]
        notes.append(f"OCR: the text of page(s) {listed} was recognised from images; expect recognition errors")
    notes += [f"OCR failed: {failure}" for failure in failures[:3]]
    return replace(extraction, info=info, notes=tuple(notes))


def _note_missing(extraction: Extraction, found: OcrStatus) -> Extraction:
    note = f"--ocr always was asked for, but {found.detail}; the text layer was kept"
    return replace(extraction, notes=(*extraction.notes, note))


def page_ranges(numbers: Sequence[int]) -> str:
    """``[1, 2, 3, 5]`` -> ``"1–3, 5"``."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


# ----------------------------------------------------------------------------------------------------
# rendering and recognition


def _recognise(data: bytes, numbers: Sequence[int] | None, program: str) -> tuple[dict[int, str], list[str]]:
    """Page number -> recognised text (empty when nothing legible), and the reasons of pages that failed."""
    from clustermine.corpus.normalise import join_hyphenation, normalise_text

    texts: dict[int, str] = {}
    failures: list[str] = []
    for number, image in _render(data, numbers):
        try:
            raw = _tesseract(program, image)
        except OcrPageError as exc:
            failures.append(f"page {number}: {exc}")
            texts[number] = ""
            continue
        text = join_hyphenation(normalise_text(raw)).strip()
        texts[number] = text if _WORD.search(text) else ""
    return texts, failures


class OcrPageError(Exception):
    """One page could not be recognised (Tesseract failed, timed out, or ran out of memory)."""


def _tesseract(program: str, image: bytes) -> str:
    command = [program, "stdin", "stdout", "-l", LANGUAGE, "--psm", "3"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one thread: the worker pool already uses every core
    try:
        done = subprocess.run(command, input=image, capture_output=True, timeout=PAGE_TIMEOUT, env=env,
                              check=False, preexec_fn=_die_with_parent if sys.platform == "linux" else None)
    except subprocess.TimeoutExpired:
        raise OcrPageError(f"Tesseract took longer than {PAGE_TIMEOUT:g} s") from None
    except OSError as exc:
        raise OcrPageError(f"Tesseract could not be started ({exc.strerror or exc})") from None
    if done.returncode != 0:
        message = " ".join(done.stderr.decode("utf-8", "replace").split())[:160]
        raise OcrPageError(f"Tesseract exited with code {done.returncode} ({message or 'no message'})")
    return done.stdout.decode("utf-8", errors="replace")


def _die_with_parent() -> None:
    """In the Tesseract child: be killed when the reader process is (its time limit ran out)."""
    import contextlib
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG


def _render(data: bytes, numbers: Sequence[int] | None) -> Iterator[tuple[int, bytes]]:
    """(page number, PNG) for the pages ``numbers`` (1-based; None: all pages), greyscale at :data:`DPI`."""
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        yield from _render_pdftoppm(data, numbers)
        return
    yield from _render_pdfium(data, numbers)


def _render_pdfium(data: bytes, numbers: Sequence[int] | None) -> Iterator[tuple[int, bytes]]:
    import io

    import pypdfium2 as pdfium

    from clustermine.corpus.pdf_pdfium import PDFIUM_LOCK

    # PDFium is not thread-safe (Dask workers may run threads): every call holds the lock, but never across a
    # yield, so Tesseract's work on one page does not block other threads' PDF reading
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        count = len(document)
    try:
        wanted = numbers if numbers is not None else range(1, count + 1)
        for number in wanted:
            if not 0 < number <= count:
                continue
            with PDFIUM_LOCK:
                page = document[number - 1]
                try:
                    image = page.render(scale=DPI / 72, grayscale=True).to_pil()
                finally:
                    page.close()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            yield number, buffer.getvalue()
    finally:
        with PDFIUM_LOCK:
            document.close()


def _render_pdftoppm(data: bytes, numbers: Sequence[int] | None) -> Iterator[tuple[int, bytes]]:
    program = shutil.which("pdftoppm")
    if program is None:
        raise NoTextLayerError("pages must be rendered for OCR, but neither pypdfium2 nor pdftoppm is installed",
                               hint="pip install pypdfium2, or apt-get install poppler-utils")
    with tempfile.TemporaryDirectory(prefix="clustermine-ocr-") as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        ranges = [(n, n) for n in numbers] if numbers is not None else [(None, None)]
        for first, last in ranges:
            command = [program, "-r", str(DPI), "-gray", "-png"]
            if first is not None:
                command += ["-f", str(first), "-l", str(last)]
            subprocess.run([*command, str(source), str(Path(folder) / "page")], capture_output=True,
                           timeout=PAGE_TIMEOUT, check=False)
            for image in sorted(Path(folder).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
                yield int(image.stem.rsplit("-", 1)[1]), image.read_bytes()
                image.unlink()


def _pages_with_images(data: bytes, numbers: Sequence[int]) -> list[int]:
    """Those of the (empty) pages that show images or drawings: a blank page needs no OCR."""
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c
    except ImportError:
        return list(numbers)  # cannot tell without rendering; OCR of a blank page costs a second and finds nothing
    from clustermine.corpus.pdf_pdfium import PDFIUM_LOCK

    kinds = {pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_SHADING}
    with PDFIUM_LOCK:  # PDFium is not thread-safe
        return _image_pages(pdfium.PdfDocument(data), numbers, kinds)


def _image_pages(document: Any, numbers: Sequence[int], kinds: set[int]) -> list[int]:
    try:
        found = []
        for number in numbers:
            if not 0 < number <= len(document):
                continue
            page = document[number - 1]
            try:
                if any(obj.type in kinds for obj in page.get_objects(max_depth=2)):
                    found.append(number)
            finally:
                page.close()
        return found
    finally:
        document.close()


__all__ = [
    "DEFAULT_MODE",
    "INSTALL_HINT",
    "MODES",
    "OcrStatus",
    "check_mode",
    "complete",
    "page_ranges",
    "rescue",
    "status",
]
