"""Evaluate the metadata stage on real council papers of the city of Karlsruhe (OParl + extracted text).

The data (``/work/shared/karlsruhe``, see its README) is a development set that is never copied into the
project: ``papers/<n>.json`` are OParl Papers, ``files/<file-id>.txt`` the text of their files. Each file is
run through :func:`clustermine.pipeline.metadata.analyse` as a PDF extraction without file metadata (the texts
come without their PDFs), and compared with what OParl says about its paper.

The Papers carry no ``mainFile``: the paper's own document is the first listed file that is not named like an
attachment (Anlage, Protokoll, Stellungnahme, Abstimmungsergebnis, ...). All other files are attachments; for
those only the doctype is checked where the file name says what to expect (a Protokoll → minutes, a
Stellungnahme or Antrag → council_paper); Anlagen may be anything and are only counted.

Usage::

    .venv/bin/python bench/eval_metadata_karlsruhe.py [--root DIR] [--limit N] [--failures N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clustermine.model import Extraction, Metadata  # noqa: E402
from clustermine.pipeline.dates import scan_dates  # noqa: E402
from clustermine.pipeline.metadata import analyse  # noqa: E402

DEFAULT_ROOT = Path("/work/shared/karlsruhe")
MIN_TEXT = 50  # shorter texts are scans or empty forms: counted, not evaluated

_ATTACHMENT_NAME = re.compile(
    r"(?:^|[\s_\-])(?:Anlage|Anlagen|Anhang|Protokoll|Protokollauszug|Niederschrift|Auszug|Stellungnahme|StN|"
    r"Abstimmung|Abstimmungsergebnis|Präsentation|Kurzpraesentation|Plan|Rahmenplan|Begründung|Begruendung|Karte|"
    r"Lageplan|Broschüre|Bericht|Gutachten|Satzung|Synopse|Vertrag|Bekanntgabe)(?=$|[\s_\-\d.:])",
    re.IGNORECASE,
)
_EXPECT_BY_NAME: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s*(?:Protokoll|Niederschrift|Auszug|Protokollauszug|Abstimmung)", re.I), "minutes"),
    (re.compile(r"^\s*(?:Stellungnahme|StN\b|STELLUNGNAHME)", re.I), "council_paper"),
    (re.compile(r"^\s*(?:Antrag|Änderungsantrag|Ergänzungsantrag|Anfrage)", re.I), "council_paper"),
)
# OParl type → the paper types analyse may name for it.
_TYPE_MATCHES = {
    "Beschlussvorlage": {"Beschlussvorlage", "Sitzungsvorlage"},
    "Informationsvorlage": {"Informationsvorlage", "Mitteilungsvorlage", "Berichtsvorlage", "Mitteilung"},
    "Antrag": {"Antrag", "Dringlichkeitsantrag"},
    "Anfrage": {"Anfrage"},
    "Änderungs-/Ergänzungsantrag": {"Änderungsantrag", "Ergänzungsantrag"},
}
_NAME_TYPE = re.compile(
    r"^\s*(?:-\s*\w+\s*-\s*)?(?P<type>Änderungsantrag|Ergänzungsantrag|Antrag|Anfrage|Informationsvorlage)\b"
)


@dataclass
class Tally:
    """Counts for one group of files (main files or attachments)."""

    files: int = 0
    no_text: int = 0
    evaluated: int = 0
    doctype: Counter[str] = field(default_factory=Counter)
    doctype_ok: int = 0
    date_in_text: int = 0
    date_found: int = 0
    date_exact: int = 0
    date_14: int = 0
    date_year: int = 0
    date_rules: Counter[str] = field(default_factory=Counter)
    rule_hits: dict[str, Counter[str]] = field(default_factory=dict)
    number_found: int = 0
    number_ok: int = 0
    number_modern_ok: int = 0
    number_modern: int = 0
    number_in_text: int = 0
    number_in_text_ok: int = 0
    type_found: int = 0
    type_ok: int = 0
    type_name_ok: int = 0
    type_confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    expected_doctype: Counter[tuple[str, str]] = field(default_factory=Counter)
    failures: dict[str, list[str]] = field(default_factory=dict)

    def fail(self, kind: str, note: str, keep: int) -> None:
        notes = self.failures.setdefault(kind, [])
        if len(notes) < keep:
            notes.append(note)


def normalise_reference(value: str | None) -> str:
    """``" 2013 / 295 "`` → ``"2013/0295"``-equivalent: spacing, case and leading zeros do not make two
    numbers
    different."""
    parts = re.split(r"([/\-.])", re.sub(r"\s+", "", value or "").upper())
    return "".join(part.lstrip("0") or "0" if part.isdigit() else part for part in parts)


def _file_id(file: dict) -> str:
    return file["id"].rstrip("/").rsplit("/", 1)[-1]


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value and len(value) == 10 else None


def main_file(paper: dict) -> dict | None:
    """The paper's own document: ``mainFile``, else the first file not named like an attachment, else None."""
    if paper.get("mainFile"):
        return paper["mainFile"]
    for file in paper.get("auxiliaryFile") or []:
        if not _ATTACHMENT_NAME.search(file.get("name") or ""):
            return file
    return None


def compare_main(tally: Tally, paper: dict, meta: Metadata, text: str, note: str, keep: int) -> None:
    """Score one main file against its OParl paper."""
    tally.doctype[meta.doctype] += 1
    if meta.doctype == "council_paper":
        tally.doctype_ok += 1
    else:
        tally.fail("doctype", f"{note} → {meta.doctype} ({meta.doctype_rule})", keep)
    expected_day = _day(paper.get("date", "")[:10])
    tally.date_in_text += bool(expected_day) and expected_day.isoformat() in {
        m.value for m in scan_dates(text)
    }
    if meta.date:
        tally.date_found += 1
        tally.date_rules[(meta.date_rule or "").split(":")[0]] += 1
        hits = tally.rule_hits.setdefault(meta.date_rule or "-", Counter())
        hits["n"] += 1
        got = _day(meta.date)
        if expected_day and meta.date[:4] == str(expected_day.year):
            tally.date_year += 1
            hits["year"] += 1
        if got and expected_day:
            tally.date_exact += got == expected_day
            tally.date_14 += abs((got - expected_day).days) <= 14
            hits["exact"] += got == expected_day
            hits["14d"] += abs((got - expected_day).days) <= 14
            if abs((got - expected_day).days) > 14:
                tally.fail("date", f"{note} → {meta.date} ({meta.date_rule}) vs {expected_day}", keep)
    else:
        tally.fail("date-missing", note, keep)
    reference = normalise_reference(paper.get("reference"))
    number = normalise_reference(meta.council.number if meta.council else None)
    modern = "/" in reference
    tally.number_modern += modern
    if paper.get("reference") and paper["reference"] in text:
        tally.number_in_text += 1
        tally.number_in_text_ok += number == reference
    if number:
        tally.number_found += 1
        tally.number_ok += number == reference
        tally.number_modern_ok += modern and number == reference
        if modern and number != reference:
            tally.fail("number", f"{note} → {number} vs {reference}", keep)
    elif modern:
        tally.fail("number-missing", f"{note} ({reference})", keep)
    expected_type = paper.get("paperType") or ""
    got_type = meta.council.paper_type if meta.council else None
    bucket = "Haushalt*" if expected_type.startswith("Haushalt") else expected_type
    tally.type_confusion[(bucket, got_type or "-")] += 1
    if got_type:
        tally.type_found += 1
        ok = got_type in _TYPE_MATCHES.get(expected_type, {expected_type}) or (
            bucket == "Haushalt*" and got_type in ("Antrag", "Stellungnahme")
        )
        tally.type_ok += ok
        named = _NAME_TYPE.match(paper.get("name") or "")
        name_type = named["type"] if named else expected_type
        name_ok = got_type in _TYPE_MATCHES.get(name_type, {name_type}) or ok and not named
        tally.type_name_ok += name_ok
        if not ok and not name_ok and bucket != "Haushalt*":
            tally.fail("type", f"{note} → {got_type} vs {expected_type} / name {name_type}", keep)


def compare_attachment(tally: Tally, file: dict, meta: Metadata, note: str, keep: int) -> None:
    """Attachments: count doctypes; check those whose file name says what they are."""
    tally.doctype[meta.doctype] += 1
    for pattern, expected in _EXPECT_BY_NAME:
        if pattern.match(file.get("name") or ""):
            tally.expected_doctype[(expected, meta.doctype)] += 1
            if meta.doctype != expected:
                tally.fail(f"attachment-{expected}", f"{note} → {meta.doctype} ({meta.doctype_rule})", keep)
            break
    else:
        tally.expected_doctype[("(any)", meta.doctype)] += 1


def pct(part: int, whole: int) -> str:
    return f"{part:5d}/{whole:<5d} {100.0 * part / whole:5.1f}%" if whole else f"{part:5d}/0"


def report(title: str, tally: Tally, *, main: bool) -> None:
    n = tally.evaluated
    print(
        f"\n== {title}: {tally.files} files, {tally.no_text} without text (<{MIN_TEXT} chars), {n} evaluated"
    )
    print("doctype distribution:", dict(tally.doctype.most_common()))
    if main:
        print("doctype council_paper   ", pct(tally.doctype_ok, n))
        print("paper date in the text  ", pct(tally.date_in_text, n), "(ceiling for exact-day matches)")
        print("date found              ", pct(tally.date_found, n))
        print("date exact day          ", pct(tally.date_exact, n))
        print("date within ±14 days    ", pct(tally.date_14, n))
        print("date same year          ", pct(tally.date_year, n))
        print("date by rule             files  exact  ±14d  year")
        for rule, hits in sorted(tally.rule_hits.items(), key=lambda kv: -kv[1]["n"]):
            n_rule = hits["n"]
            shares = [100 * hits[key] / n_rule for key in ("exact", "14d", "year")]
            print(f"   {rule:22s} {n_rule:5d} " + " ".join(f"{share:5.1f}%" for share in shares))
        print("reference in text       ", pct(tally.number_in_text, n))
        print("number found            ", pct(tally.number_found, n))
        print("number == reference     ", pct(tally.number_ok, n))
        print("  modern refs (YYYY/NNNN)", pct(tally.number_modern_ok, tally.number_modern))
        print("  where text contains it", pct(tally.number_in_text_ok, tally.number_in_text))
        print("paper type found        ", pct(tally.type_found, n))
        print("paper type == paperType ", pct(tally.type_ok, n))
        print("paper type == name type ", pct(tally.type_name_ok, n))
        print("paper type confusion (OParl paperType → found):")
        for (expected, got), count in sorted(tally.type_confusion.items(), key=lambda kv: -kv[1])[:25]:
            print(f"   {count:5d}  {expected:30s} → {got}")
    else:
        checked = {k: v for k, v in tally.expected_doctype.items() if k[0] != "(any)"}
        ok = sum(v for (e, g), v in checked.items() if e == g)
        print("doctype as named        ", pct(ok, sum(checked.values())))
        print("expected → found:")
        for (expected, got), count in sorted(
            tally.expected_doctype.items(), key=lambda kv: (kv[0][0], -kv[1])
        ):
            print(f"   {count:5d}  {expected:14s} → {got}")
    for kind, notes in tally.failures.items():
        print(f"-- failures: {kind}")
        for item in notes:
            print("   ", item)


def run(root: Path, limit: int | None, keep: int) -> int:
    papers = sorted((root / "papers").glob("*.json"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0)
    if limit:
        papers = papers[:limit]
    mains, attachments = Tally(), Tally()
    without_main = 0
    seconds, chars, analysed = 0.0, 0, 0
    wall = time.perf_counter()
    for path in papers:
        paper = json.loads(path.read_text(encoding="utf-8"))
        main = main_file(paper)
        without_main += main is None
        for file in paper.get("auxiliaryFile") or []:
            is_main = main is not None and _file_id(file) == _file_id(main)
            tally = mains if is_main else attachments
            tally.files += 1
            text_path = root / "files" / f"{_file_id(file)}.txt"
            text = text_path.read_text(encoding="utf-8", errors="replace") if text_path.exists() else ""
            if len(text.strip()) < MIN_TEXT:
                tally.no_text += 1
                continue
            tally.evaluated += 1
            start = time.perf_counter()
            meta = analyse(Extraction(format="pdf", pages=(text,)), source_name=file.get("fileName") or "")
            seconds += time.perf_counter() - start
            chars += len(text)
            analysed += 1
            note = f"{path.stem}:{_file_id(file)} [{paper.get('paperType')}] {file.get('name', '')[:40]!r}"
            if is_main:
                compare_main(mains, paper, meta, text, note, keep)
            else:
                compare_attachment(attachments, file, meta, note, keep)
    wall = time.perf_counter() - wall
    print(
        f"Karlsruhe: {len(papers)} papers ({without_main} without a file named like the paper itself: "
        f"all their files count as attachments), {analysed} files analysed"
    )
    report("main files", mains, main=True)
    report("attachments", attachments, main=False)
    print(
        f"\ntime: analyse {seconds:.1f}s for {analysed} files = {analysed / seconds:.0f} files/s "
        f"({chars / seconds / 1e6:.2f} M chars/s); wall incl. reading {wall:.1f}s"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--root", type=Path, default=DEFAULT_ROOT, help="the karlsruhe folder (papers/, files/)"
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N papers")
    parser.add_argument("--failures", type=int, default=8, help="failure examples to show per kind")
    args = parser.parse_args(argv)
    if not (args.root / "papers").is_dir():
        print(f"Error: no papers/ folder in {args.root}", file=sys.stderr)
        return 1
    return run(args.root, args.limit, args.failures)


if __name__ == "__main__":
    raise SystemExit(main())
