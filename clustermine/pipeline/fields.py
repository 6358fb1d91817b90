"""Read the labelled fields on the cover of an administrative document.

Council papers, minutes and project sheets put their facts into form fields (``Datum: 10.04.2013``, ``Vorlage
Nr.: 336``, ``Fachbereich: ...``). Text extracted from a PDF form keeps the field order but not always the
layout: several fields share one line, and on some cover sheets (Karlsruhe's, for one) all labels come first
and their values follow on separate lines. Dates, paper numbers and departments are all read from these
fields, so they are parsed once, here, and the other modules ask for fields by canonical key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: How far into a document fields are looked for: covers and letterheads sit on the first page.
HEAD_CHARS = 4000

_NUMBER_LABEL = (
    r"Vorlagen?\s?[-‐]?\s?(?:Nr\.?|Nummer)|Vorl\.?\s?[-‐]?\s?Nr\.?|Vorlagennummer|Drucksachen?\s?[-‐]?\s?"
    r"(?:Nr\.?|Nummer)|Drucksache|Drs\.?\s?[-‐]?\s?Nr\.?|DS\s?[-‐]?\s?Nr\.?"
)

#: (canonical key, label pattern, kind of value). The kind lets a stacked cover sheet, where values follow
#: their labels a few lines later, give each value to the label that can take it.
LABELS: tuple[tuple[str, str, str], ...] = (
    (
        "termin",
        r"Termine?|Sitzungstermin|Sitzungsdatum|Sitzungstag|Sitzung\s+am|Datum\s+der\s+Sitzung|"
        r"[A-ZÄÖÜ][\wäöüß-]*(?:rat|tag|ausschuss|beirat|versammlung|vertretung)\s+am",
        "date",
    ),
    ("datum", r"Datum|Date", "date"),
    ("stand", r"Stand", "date"),
    ("vom", r"vom", "date"),
    ("eingegangen", r"eingegangen|Eingang", "date"),
    ("number", _NUMBER_LABEL, "number"),
    ("top", r"TOP|Tagesordnungspunkt|TO\s?[-‐]?\s?Punkt", "number"),
    ("gremium", r"Gremium|Gremien|Beratungsgremium", "text"),
    ("betreff", r"Betreff|Betr\.|Gegenstand", "text"),
    ("art", r"Vorlagenart|Vorlageart|Art\s+der\s+Vorlage|Dokumentart|Dokumententyp", "text"),
    (
        "department",
        r"Federführung|Federführend(?:es\s+Amt|e\s+Dienststelle)?|Fachbereich|Fachamt|Fachdienst|Dezernat|"
        r"Dienststelle|Amt|Geschäftsbereich|Organisationseinheit|Verantwortlich|Abteilung|Referat",
        "text",
    ),
    (
        "bearbeiter",
        r"Bearbeiter(?:/in|in)?|Sachbearbeiter(?:/in|in)?|Auskunft\s+erteilt|Ansprechpartner(?:/in|in)?",
        "text",
    ),
    ("az", r"Az\.?|Aktenzeichen", "text"),
    (
        "laufzeit",
        r"(?:Projekt)?[Ll]aufzeit|Förderlaufzeit|Projektzeitraum|Förderzeitraum|Projektdauer",
        "text",
    ),
)

_KIND = {key: kind for key, _, kind in LABELS} | {"other": "text"}
_GROUPS = {f"k{i}": key for i, (key, _, _) in enumerate(LABELS)}
_ANY_LABEL = "|".join(f"(?P<k{i}>{pattern})" for i, (_, pattern, _) in enumerate(LABELS))

# A label inside a line: at the line start or after whitespace, followed by a colon.
_INLINE = re.compile(rf"(?:^|(?<=[\s|]))(?:{_ANY_LABEL})[ \t]*:", re.IGNORECASE | re.MULTILINE)
# A line that holds nothing but a label (the value comes later).
_LABEL_ONLY = re.compile(rf"[ \t]*(?:{_ANY_LABEL})[ \t]*:[ \t]*", re.IGNORECASE)
# Any other short "Label:" line on a cover (``Version:``, ``Verfasser:``) waits for a value like a known one,
# so that it does not hand its value to the next known label.
_OTHER_LABEL_ONLY = re.compile(
    r"[ \t]*(?P<label>[A-ZÄÖÜ][\wäöüß./-]*(?:[ \t][\wäöüß./-]+){0,2})[ \t]*:[ \t]*"
)
# Number labels end in "Nr." and are unmistakable even without a colon ("Vorlage Nr." alone on its line).
_NUMBER_LABEL_ONLY = re.compile(rf"[ \t]*(?:{_NUMBER_LABEL})[ \t]*", re.IGNORECASE)

_DATE_VALUE = re.compile(
    r"(?:\w+,\s*)?(?:den\s+)?\d{1,2}\.\s?(?:\d{1,2}\.|[A-Za-zÄÖÜäöü]+\.?)\s?\d{2,4}"
    r"(?:[ ,]+\d{1,2}[:.]\d{2}(?:\s*Uhr)?)?"
)
_NUMBER_VALUE = re.compile(r"(?:[A-ZÄÖÜ]{1,5}\s?[/-]?\s?)?\d[\dA-Za-z/.\-]{0,18}(?:\s?[a-z])?")
# A wrapped value line ends visibly unfinished: "45. Plenarsitzung des" / "Gemeinderates".
_INCOMPLETE = re.compile(r"(?:\b(?:des|der|den|dem|und|für|im|am|zum|zur|von)|[-,/&])$")
_FLAG_VALUE = re.compile(r"(?:nicht[ -]?)?öffentlich|ö|nö|N|Ö", re.IGNORECASE)


@dataclass(frozen=True)
class Field:
    """One labelled value: ``key`` is canonical (``datum``, ``number``, ...), ``label`` as written."""

    key: str
    label: str
    value: str
    start: int  # offset of the value in the text
    end: int = -1  # offset just after the value (values may span lines on stacked cover sheets)


def _kind_of(value: str) -> str:
    """What a value line looks like, so that it can be matched to a waiting label."""
    if _FLAG_VALUE.fullmatch(value):
        return "flag"
    if _DATE_VALUE.fullmatch(value):
        return "date"
    if _NUMBER_VALUE.fullmatch(value):
        return "number"
    return "text"


def _accepts(label_kind: str, value_kind: str) -> bool:
    return label_kind == value_kind or (label_kind == "text" and value_kind == "number")


def _key_of(match: re.Match[str]) -> str:
    if match.re is _NUMBER_LABEL_ONLY:
        return "number"
    return next(_GROUPS[name] for name, value in match.groupdict().items() if value is not None)


def find_fields(text: str, *, head_chars: int = HEAD_CHARS) -> list[Field]:
    """All labelled fields in the first ``head_chars`` characters, in text order.

    Inline fields (``Datum: 10.04.2013 Az.: 80-12``) are split at each known label. A run of label-only lines
    (``Termin:`` / ``Vorlage Nr.:`` / ``TOP:``) collects the value lines that follow, each value going to the
    first waiting label whose kind (date, number, text) fits it; a value that fits none ends the run. Unknown
    ``Label:`` lines take part (key ``other``) so that they do not pass their values on to known labels.
    """
    fields: list[Field] = []
    pending: list[tuple[str, str]] = []
    last_text: int | None = None  # index in ``fields`` of a text value that may continue on the next line
    pos = 0
    head = text[:head_chars]
    for line in head.splitlines(keepends=True):
        line_start, pos = pos, pos + len(line)
        stripped = line.strip()
        if not stripped:
            last_text = None
            continue
        only = _LABEL_ONLY.fullmatch(line.rstrip("\r\n")) or _NUMBER_LABEL_ONLY.fullmatch(line.rstrip("\r\n"))
        if only and (only.group(0).rstrip().endswith((":", ".")) or only.re is _LABEL_ONLY):
            pending.append((_key_of(only), only.group(0).strip().rstrip(":").strip()))
            last_text = None
            continue
        other = _OTHER_LABEL_ONLY.fullmatch(line.rstrip("\r\n"))
        if other and len(stripped) <= 30:
            pending.append(("other", other["label"]))
            last_text = None
            continue
        value_start = line_start + line.index(stripped[0])
        inline = _INLINE.search(line) is not None
        kind = _kind_of(stripped)
        if (
            kind == "text"
            and last_text is not None
            and not inline
            and _INCOMPLETE.search(fields[last_text].value)
        ):
            prev = fields[last_text]
            fields[last_text] = Field(
                prev.key, prev.label, f"{prev.value} {stripped}", prev.start, value_start + len(stripped)
            )
            continue
        if pending and not inline:
            if kind == "flag":
                fields.append(Field("public", "", stripped, value_start, value_start + len(stripped)))
                continue
            taker = next((i for i, (key, _) in enumerate(pending) if _accepts(_KIND[key], kind)), None)
            if taker is not None:
                key, label = pending.pop(taker)
                fields.append(Field(key, label, stripped, value_start, value_start + len(stripped)))
                last_text = len(fields) - 1 if _KIND[key] == "text" else None
                continue
            pending.clear()
        last_text = None
        matches = list(_INLINE.finditer(line))
        for i, match in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
            raw = line[match.end() : end]
            value = raw.strip()
            label = match.group(0).rstrip(":").strip()
            if value:
                value_at = line_start + match.end() + raw.index(value[0])
                fields.append(Field(_key_of(match), label, value, value_at, value_at + len(value)))
            elif i + 1 == len(matches):
                pending.append((_key_of(match), label))
    return fields


def is_label_line(line: str) -> bool:
    """True for a line that holds only a known label (its value follows on a later line)."""
    line = line.rstrip("\r\n")
    return _LABEL_ONLY.fullmatch(line) is not None or _NUMBER_LABEL_ONLY.fullmatch(line) is not None


__all__ = ["HEAD_CHARS", "LABELS", "Field", "find_fields", "is_label_line"]
