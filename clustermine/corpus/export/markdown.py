"""Markdown reading lists: grouped by year or by document type, one entry per document.

Each entry gives the title (linked to its URL for web sources), issuer, date, paper number, the citation key
and id, a one-line summary, for exports from a query the passage that matched, with the matched words in bold,
and the local file. Local files are shown as paths, not as ``file://`` links, because most Markdown viewers
(GitHub, GitLab, markdown-it) refuse to link them. Text from the documents is escaped, so a title with ``*``,
``_`` or ``[`` prints as written instead of turning into emphasis or links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from clustermine.corpus.export.record import ExportInfo, Reference
from clustermine.model import DOCTYPES

GROUPINGS = ("year", "type", "none")

TYPE_HEADINGS = {
    "council_paper": "Council papers",
    "minutes": "Minutes",
    "project_description": "Project descriptions",
    "conference_report": "Conference reports",
    "report": "Reports",
    "web_page": "Web pages",
    "other": "Other documents",
}

_INLINE = re.compile(r"([\\`*_\[\]<>~|])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+#=])")
_MARK = re.compile(r"\[\[(.+?)\]\]")


def render(references: Sequence[Reference], *, info: ExportInfo | None = None, group_by: str = "year") -> str:
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPINGS)}. Got {group_by!r} instead.")
    info = info or ExportInfo()
    lines = [f"# {escape(info.title)}", ""]
    if info.details:
        lines += [" · ".join(escape(d) for d in info.details), ""]
    for heading, members in groups(references, group_by):
        if heading:
            lines += [f"## {escape(heading)}", ""]
        for ref in members:
            lines += entry(ref)
    return "\n".join(lines).rstrip() + "\n"


def groups(references: Sequence[Reference], group_by: str) -> list[tuple[str | None, list[Reference]]]:
    """Years oldest first (undated last, documents by date within a year), or types in the README's order."""
    if group_by == "none":
        return [(None, list(references))]
    if group_by == "type":
        order = {t: i for i, t in enumerate(DOCTYPES)}
        types = sorted({r.doctype for r in references}, key=lambda t: (order.get(t, len(order)), t))
        return [(TYPE_HEADINGS.get(t, t), [r for r in references if r.doctype == t]) for t in types]
    years = sorted({r.year for r in references if r.year})
    out: list[tuple[str | None, list[Reference]]] = [
        (str(y), sorted((r for r in references if r.year == y), key=lambda r: (r.date or "", r.position)))
        for y in years
    ]
    undated = [r for r in references if not r.year]
    if undated:
        out.append(("Undated", undated))
    return out


def entry(ref: Reference) -> list[str]:
    """A list item: the citation line, then the summary and the matching passage as paragraphs of the item."""
    title = f"**{escape(ref.title)}**"
    if ref.url:
        title = f"[{title}](<{ref.url.replace('<', '%3C').replace('>', '%3E').replace(' ', '%20')}>)"
    facts = [ref.issuer, ref.date or "undated", " ".join(p for p in (ref.genre, ref.number) if p) or None]
    head = " · ".join(escape(f) for f in facts if f)
    lines = [f"- {title} — {head} · `{ref.key}` · id `{ref.id}`", ""]
    if ref.summary:
        lines += [f"  {block_safe(escape(ref.summary))}", ""]
    if ref.snippet:
        lines += [f"  > {block_safe(highlight(ref.snippet))}", ""]
    if ref.path:
        lines += [f"  File: {code(ref.path)}", ""]
    return lines


def escape(text: str) -> str:
    """Backslash-escape the characters that Markdown would read as formatting."""
    return _ENTITY.sub("&amp;", _INLINE.sub(r"\\\1", text))


def block_safe(text: str) -> str:
    """Text that starts a paragraph must not start a list, heading or quote ("1. Der Rat …")."""
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", text)


def highlight(snippet: str) -> str:
    """``[[word]]`` markers → bold, everything else escaped."""
    parts = _MARK.split(snippet.replace("]][[", ""))  # adjacent marks form one bold run
    return "".join(f"**{escape(p)}**" if i % 2 else escape(p) for i, p in enumerate(parts))


def code(text: str) -> str:
    """A code span that holds any text, backticks included."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
