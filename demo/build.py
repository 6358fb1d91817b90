"""Render the demo corpus: ``demo/sources/*.txt`` -> ``demo/corpus/`` in PDF, DOCX, ODT, HTML and text.

The output is deterministic (fixed timestamps, reportlab's invariant mode), so re-running it changes no byte
unless a source changed. ``demo/expected.jsonl`` records each file's expected type and date; tests use it
as a labelled set for the metadata stage.

Usage: python demo/build.py [--check]
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from tools.officegen import make_docx, make_odt  # noqa: E402
from tools.pdfgen import make_pdf  # noqa: E402

SOURCES = ROOT / "sources"
OUTPUT = ROOT / "corpus"
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "odt": "odt", "html": "html", "txt": "txt", "txt-cp1252": "txt"}


def parse_source(path: Path) -> tuple[dict[str, str], str]:
    """Split a source file into its header fields and body."""
    head, sep, body = path.read_text(encoding="utf-8").partition("\n---\n")
    if not sep:
        raise SystemExit(f"{path}: missing '---' line between header and body")
    fields = {}
    for line in head.splitlines():
        if line.strip():
            key, _, value = line.partition(":")
            fields[key.strip()] = value.split("  #")[0].strip()
    return fields, body.strip() + "\n"


def blocks_of(body: str) -> list[str | tuple[str, str]]:
    """Paragraphs and headings; form-like paragraphs (short lines) keep their line breaks as separate blocks."""
    blocks: list[str | tuple[str, str]] = []
    for para in body.split("\n\n"):
        lines = [line.rstrip() for line in para.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if len(lines) == 1 and lines[0].startswith("## "):
            blocks.append(("h", lines[0][3:].strip()))
        elif len(lines) > 1 and min(len(line) for line in lines) < 70:
            for line in lines:
                blocks.append(("h", line[3:].strip()) if line.startswith("## ") else line)
        else:
            blocks.append(" ".join(lines))
    return blocks


def pdf_date(value: str, days_later: int = 3) -> str:
    """A PDF creation date a few days after the document date (files are usually saved after they are dated)."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    stamp = date(parts[0], parts[1], parts[2]) + timedelta(days=days_later)
    return stamp.strftime("D:%Y%m%d093000")


def render_html(fields: dict[str, str], body: str) -> str:
    """A web page with the boilerplate real sites have: navigation, cookie banner, sidebar, footer."""
    site = fields.get("author", "Wirtschaftsförderung")
    main = []
    for block in blocks_of(body):
        if isinstance(block, tuple):
            main.append(f"<h2>{html.escape(block[1])}</h2>")
        else:
            main.append(f"<p>{html.escape(block)}</p>")
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{html.escape(fields['title'])} | {html.escape(site)}</title>
<meta name="description" content="{html.escape(fields['title'])}">
<meta name="author" content="{html.escape(site)}">
<meta name="date" content="{fields['date']}">
</head>
<body>
<div id="cookie-banner" class="cookie-notice">Diese Website verwendet Cookies. <a href="#">Einverstanden</a></div>
<header class="site-header"><a class="logo" href="/">{html.escape(site)}</a>
<nav class="main-nav"><ul><li><a href="/">Startseite</a></li><li><a href="/ueber-uns">Über uns</a></li>
<li><a href="/projekte">Projekte</a></li><li><a href="/presse">Presse</a></li><li><a href="/kontakt">Kontakt</a></li>
</ul></nav></header>
<nav class="breadcrumb"><a href="/">Startseite</a> &gt; <a href="/aktuelles">Aktuelles</a></nav>
<main>
<h1>{html.escape(fields['title'])}</h1>
{chr(10).join(main)}
</main>
<aside class="sidebar"><h3>Newsletter</h3><p>Jetzt anmelden und nichts verpassen.</p></aside>
<footer class="site-footer">
<p>© {fields['date'][:4]} {html.escape(site)} · Impressum · Datenschutz · Barrierefreiheit</p>
</footer>
</body>
</html>
"""


def render(path: Path) -> tuple[str, bytes, dict[str, str]]:
    fields, body = parse_source(path)
    fmt = fields["format"]
    name = f"{path.stem}.{EXTENSIONS[fmt]}"
    title, author = fields["title"], fields.get("author")
    if fmt == "pdf":
        data = make_pdf(None, blocks_of(body), title=title, author=author, layout=fields.get("layout", "plain"),
                        header_text=author, creation_date=pdf_date(fields["date"]))
    elif fmt == "docx":
        data = make_docx(blocks_of(body), title=title, author=author, created=pdf_date(fields["date"])[2:10])
    elif fmt == "odt":
        data = make_odt(blocks_of(body), title=title, author=author, created=pdf_date(fields["date"])[2:10])
    elif fmt == "html":
        data = render_html(fields, body).encode("utf-8")
    elif fmt == "txt-cp1252":
        data = body.replace("\n", "\r\n").encode("cp1252", errors="replace")
    else:
        data = body.encode("utf-8")
    return name, data, fields


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if demo/corpus is not up to date")
    args = parser.parse_args()
    OUTPUT.mkdir(exist_ok=True)
    expected, stale = [], []
    for source in sorted(SOURCES.glob("*.txt")):
        name, data, fields = render(source)
        target = OUTPUT / name
        if not target.exists() or target.read_bytes() != data:
            stale.append(name)
            if not args.check:
                target.write_bytes(data)
        expected.append(
            {"file": name, "doctype": fields["doctype"], "date": fields["date"], "title": fields["title"]}
        )
    manifest = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in expected)
    manifest_path = ROOT / "expected.jsonl"
    if not manifest_path.exists() or manifest_path.read_text(encoding="utf-8") != manifest:
        stale.append("expected.jsonl")
        if not args.check:
            manifest_path.write_text(manifest, encoding="utf-8")
    if args.check and stale:
        print(f"demo corpus is out of date: {', '.join(stale)}; run make demo-corpus", file=sys.stderr)
        return 1
    print(f"{len(expected)} documents in {OUTPUT} ({len(stale)} written)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
