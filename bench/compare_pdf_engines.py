"""How close the two PDF engines come: PDFium (pypdfium2) against pdfminer.six, file by file.

The default engine was chosen by these numbers (see README, "Large corpora"). For every PDF it reports:
- ``similarity``: character-level similarity of the two texts (difflib ratio, 1.0 = identical), and ``words``:
  the same for the multiset of words, which ignores order (a table read in another order costs ``similarity``
  but not ``words``);
- ``umlauts``: ä ö ü Ä Ö Ü ß in each text;
- ``joined``/``kept``: line-end hyphens that hyphenation joined ("Clusterför-|derung") or kept ("EU-|Strukturfonds",
  "Wirtschafts-| und"), and ``unjoined``: lower-case letter, hyphen, line break, lower-case letter left in the text
  (a join that was missed);
- ``removed``: lines dropped as running headers, footers and page numbers;
- ``columns``: pages whose body has two or more columns, and ``order``: how well the order of their lines agrees
  (difflib ratio over the lines of those pages);
- ``fallback``: whether PDFium handed the file to pdfminer.six, and pages/s of one pass each (single process;
  ``bench/bench_pdf.py`` measures speed properly).

Usage: python bench/compare_pdf_engines.py [PDF or folder ...] [--json bench/results/pdf_engines.json]
       (default: ../shared/corpus/*.pdf and demo/corpus/*.pdf)
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clustermine.corpus import pdf  # noqa: E402

DEFAULT_SOURCES = [ROOT.parent / "shared" / "corpus", ROOT / "demo" / "corpus"]
UMLAUTS = re.compile(r"[äöüÄÖÜß]")
UNJOINED = re.compile(r"[a-zäöüß]-\n[a-zäöüß]")
WORD = re.compile(r"\w+")
FALLBACK = "read with pdfminer.six"


class Counts:
    """What the shared cleaning steps did to one file (they are wrapped while it is read)."""

    def __init__(self) -> None:
        self.joined = self.kept = self.removed = 0


@contextmanager
def counting() -> Iterator[Counts]:
    """Count hyphen joins and removed header/footer lines by wrapping the steps both engines share."""
    counts = Counts()
    join, remove = pdf.join_hyphenation, pdf.remove_repeated_lines

    def join_counted(text: str) -> str:
        out = join(text)
        before, after = text.count("-\n"), out.count("-\n")
        counts.joined += max(before - after, 0)
        counts.kept += after
        return out

    def remove_counted(pages: list[str]) -> list[str]:
        out = remove(pages)
        counts.removed += sum(p.count("\n") + bool(p) for p in pages) - sum(p.count("\n") + bool(p) for p in out)
        return out

    pdf.join_hyphenation, pdf.remove_repeated_lines = join_counted, remove_counted
    try:
        yield counts
    finally:
        pdf.join_hyphenation, pdf.remove_repeated_lines = join, remove


def read(data: bytes, engine: str) -> tuple[Any, Counts, float]:
    with counting() as counts:
        started = time.perf_counter()
        extraction = pdf.read_pdf(data, engine=engine)
        seconds = time.perf_counter() - started
    return extraction, counts, seconds


def column_pages(data: bytes) -> list[int]:
    """Pages (0-based) whose body the reading order splits into columns, judged on PDFium's text boxes."""
    import pypdfium2

    from clustermine.corpus import pdf_pdfium

    found = []
    document = pypdfium2.PdfDocument(data)
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            boxes = pdf_pdfium._boxes(pdf_pdfium._lines(textpage, pdf._PageText()))
            if len(boxes) >= 2 and pdf._split_columns(boxes):
                found.append(index)
    finally:
        document.close()
    return found


def ratio(a: Any, b: Any) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def word_ratio(a: str, b: str) -> float:
    left, right = Counter(WORD.findall(a)), Counter(WORD.findall(b))
    total = sum(left.values()) + sum(right.values())
    return 2 * sum((left & right).values()) / total if total else 1.0


def compare(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    (fast, fast_counts, fast_s), (slow, slow_counts, slow_s) = read(data, "pdfium"), read(data, "pdfminer")
    columns = column_pages(data)
    order = (ratio([ln for i in columns for ln in fast.pages[i].splitlines()],
                   [ln for i in columns for ln in slow.pages[i].splitlines()]) if columns else None)
    return {
        "file": path.name,
        "pages": len(slow.pages),
        "chars": [len(fast.text), len(slow.text)],
        "similarity": round(ratio(fast.text, slow.text), 4),
        "words": round(word_ratio(fast.text, slow.text), 4),
        "umlauts": [len(UMLAUTS.findall(fast.text)), len(UMLAUTS.findall(slow.text))],
        "joined": [fast_counts.joined, slow_counts.joined],
        "kept": [fast_counts.kept, slow_counts.kept],
        "unjoined": [len(UNJOINED.findall(fast.text)), len(UNJOINED.findall(slow.text))],
        "removed": [fast_counts.removed, slow_counts.removed],
        "columns": len(columns),
        "order": None if order is None else round(order, 4),
        "fallback": any(FALLBACK in note for note in fast.notes),
        "pages_per_s": [round(len(fast.pages) / fast_s, 1), round(len(slow.pages) / slow_s, 1)],
    }


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def total(key: str) -> list[int]:
        return [sum(r[key][0] for r in rows), sum(r[key][1] for r in rows)]

    chars = sum(r["chars"][1] for r in rows) or 1
    ordered = [r for r in rows if r["order"] is not None]
    pages = sum(r["pages"] for r in rows)
    seconds = [sum(r["pages"] / r["pages_per_s"][i] for r in rows) for i in (0, 1)]
    return {
        "files": len(rows),
        "pages": pages,
        "similarity_weighted": round(sum(r["similarity"] * r["chars"][1] for r in rows) / chars, 4),
        "similarity_min": min(r["similarity"] for r in rows),
        "words_min": min(r["words"] for r in rows),
        "identical_files": sum(r["similarity"] == 1.0 for r in rows),
        "umlauts": total("umlauts"),
        "joined": total("joined"),
        "kept": total("kept"),
        "unjoined": total("unjoined"),
        "removed": total("removed"),
        "column_pages": sum(r["columns"] for r in rows),
        "order_min": min((r["order"] for r in ordered), default=None),
        "fallbacks": sum(r["fallback"] for r in rows),
        "pages_per_s": [round(pages / s, 1) for s in seconds],
    }


def pdf_files(sources: list[Path]) -> list[Path]:
    found: list[Path] = []
    for source in sources:
        if source.is_dir():
            found += sorted(source.glob("*.pdf"))
        elif source.suffix.lower() == ".pdf":
            found.append(source)
    return found


def show(rows: list[dict[str, Any]], summary: dict[str, Any], echo: Callable[[str], None] = print) -> None:
    echo("values as pdfium / pdfminer.six where there are two")
    echo(f"{'file':44} {'pg':>3} {'sim':>6} {'words':>6} {'umlauts':>11} {'joined':>9} {'kept':>7} "
         f"{'removed':>9} {'col':>3} {'order':>6} {'pages/s':>13}")
    def pair(r: dict[str, Any], key: str) -> str:
        return f"{r[key][0]}/{r[key][1]}"

    for r in rows:
        order = "" if r["order"] is None else f"{r['order']:.4f}"
        echo(f"{r['file'][:44]:44} {r['pages']:>3} {r['similarity']:>6.4f} {r['words']:>6.4f} {pair(r, 'umlauts'):>11} "
             f"{pair(r, 'joined'):>9} {pair(r, 'kept'):>7} {pair(r, 'removed'):>9} {r['columns']:>3} {order:>6} "
             f"{pair(r, 'pages_per_s'):>13}{'  FALLBACK' if r['fallback'] else ''}")
    echo("")
    for key, value in summary.items():
        echo(f"{key:20} {value}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="*", type=Path, help="PDF files or folders (default: shared + demo)")
    parser.add_argument("--json", type=Path, help="also write the rows and the summary as JSON here")
    args = parser.parse_args(argv)
    files = pdf_files(args.sources or [s for s in DEFAULT_SOURCES if s.exists()])
    if not files:
        parser.error("no PDF files found")
    rows = [compare(path) for path in files]
    summary = summarise(rows)
    show(rows, summary)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"summary": summary, "files": rows}, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
