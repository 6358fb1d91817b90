"""Split a document into named sections at its headings.

Researchers search the ``beschlussvorschlag`` of council papers separately from the ``sachverhalt`` (what was
decided versus why), so council headings get canonical names whatever the municipality calls them
("Beschlussantrag", "Vorschlag der Verwaltung", "Sachverhalt/Begründung", "Erläuterungen"). Other documents
get generic sections named after their headings (``ziel_und_aufgabenstellung``), which is enough to show where
a hit sits.
"""

from __future__ import annotations

import re
import unicodedata

from ..model import Section

#: Canonical section name → heading patterns (matched at the start of a line, whole words).
CANONICAL: tuple[tuple[str, str], ...] = (
    ("betreff", r"Betreff|Betr\.|Gegenstand"),
    (
        "beschlussvorschlag",
        r"Beschlussvorschlag|Beschlußvorschlag|Beschlussentwurf|Beschlussantrag(?:\s*\(Kurzfassung\))?|"
        r"Beschlussempfehlung|Vorschlag\s+der\s+Verwaltung|Antrag\s+(?:an\s+(?:den|die|das)\s+[^\n:]{1,60}|"
        r"der\s+Verwaltung)|Antrag(?=\s*:)|Empfehlung\s+der\s+Verwaltung|Entscheidungsvorschlag",
    ),
    (
        "sachverhalt",
        r"Sachverhalt(?:sdarstellung)?(?:\s*/\s*Begründung|\s+und\s+Begründung)?|Begründung(?:\s*/\s*Sachverhalt)?|"
        r"Sachdarstellung|(?:Ergänzende\s+)?Erläuterungen|Problembeschreibung|Darstellung\s+des\s+Sachverhalts",
    ),
    (
        "finanzielle_auswirkungen",
        r"Finanzielle\s+Auswirkung(?:en)?|Kosten(?=\s*:)|Finanzierung(?=\s*:)|Haushaltsmäßige\s+Auswirkung(?:en)?|"
        r"Haushaltsrechtliche\s+Auswirkung(?:en)?|Auswirkungen\s+auf\s+den\s+Haushalt|Finanzielle\s+Folgen",
    ),
    ("anlagen", r"Anlagen?(?:verzeichnis)?|Anhang"),
    ("beschluss", r"Beschluss(?=\s*:)|Beschlussfassung(?=\s*:)"),
    ("abstimmungsergebnis", r"Abstimmungsergebnis|Beratungsergebnis|Abstimmung(?=\s*:)"),
    ("kurzfassung", r"Kurzfassung|Zusammenfassung"),
    ("anlass", r"Anlass(?:\s+der\s+Vorlage)?|Ausgangslage"),
)

_KNOWN = re.compile(
    r"^[ \t]*(?:\d{1,2}[.)][ \t]*)?(?P<heading>"
    + "|".join(f"(?P<{name}>{pattern})" for name, pattern in CANONICAL)
    + r")[ \t]*(?::[ \t]*(?P<inline>[^\n]*)|[ \t]*$)",
    re.MULTILINE,
)
# A generic heading: a short line without final punctuation, on its own between blank lines (or numbered).
_GENERIC = re.compile(
    r"(?:^|\n)[ \t]*\n(?P<line>[ \t]*(?:(?:\d{1,2}\.){1,3}\d{0,2}[ \t]+|[IVX]{1,4}\.[ \t]+)?"
    r"[A-ZÄÖÜ][^\n]{1,78}?)[ \t]*\n(?=[ \t]*\n|[ \t]*[A-ZÄÖÜ0-9„\"•-])"
)


def slug(heading: str) -> str:
    """A stable lower-case key for a heading: umlauts transliterated, other signs to ``_``."""
    text = heading.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"^\s*(?:\d+\.)*\d*\s*", "", text)
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:60] or "section"


def _is_generic_heading(line: str) -> bool:
    words = line.split()
    if not 1 <= len(words) <= 10 or len(line) < 3:
        return False
    if line.rstrip()[-1] in ".,;:-–!?" and not re.match(r"^\s*(?:\d+\.)+\s*$", line):
        return False
    letters = sum(ch.isalpha() for ch in line)
    return letters >= 0.6 * len(line.replace(" ", "")) and "  " not in line.strip()


def _canonical(match: re.Match[str]) -> str:
    return next(name for name, _ in CANONICAL if match.group(name) is not None)


def split_sections(text: str, *, council: bool | None = None) -> tuple[Section, ...]:
    """The sections of ``text``, in order; ``start`` is the offset of each section's body.

    Council headings (``Beschlussvorschlag:``, ``Sachverhalt/Begründung``, ...) always get their canonical
    name. With ``council=False`` (or ``None`` and fewer than two council headings found) generic headings
    become sections too, named by :func:`slug`. A heading may carry its body on the same line after a colon.
    """
    marks: list[tuple[int, int, str, str]] = []  # (heading start, body start, name, heading)
    for match in _KNOWN.finditer(text):
        inline = match.group("inline")
        heading = match.group("heading").strip()
        body = match.end("inline") - len(inline) if inline and inline.strip() else match.end()
        marks.append((match.start("heading"), body, _canonical(match), heading))
    if council is None:
        council = (
            len({name for _, _, name, _ in marks if name not in ("anlagen", "kurzfassung", "beschluss")}) >= 2
        )
    if not council:
        taken = {start for start, _, _, _ in marks}
        for match in _GENERIC.finditer(text):
            line = match.group("line")
            start = match.start("line") + len(line) - len(line.lstrip())
            if start in taken or not _is_generic_heading(line):
                continue
            marks.append((start, match.end("line"), slug(line), line.strip()))
    marks.sort()
    # a heading repeated right after its own section (a form's "Finanzielle Auswirkungen" then "Finanzierung")
    # continues that section
    marks = [m for i, m in enumerate(marks) if i == 0 or m[2] != marks[i - 1][2]]
    sections = []
    for i, (_, body_start, name, heading) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        body = text[body_start:end]
        offset = body_start + len(body) - len(body.lstrip())
        sections.append(
            Section(name=name, heading=heading, text=body.strip(), start=offset if body.strip() else -1)
        )
    return tuple(sections)


__all__ = ["CANONICAL", "slug", "split_sections"]
