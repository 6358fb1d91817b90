"""Dates: what a user types, and which date a German document carries.

Trends are counted by year, so every document needs a date, and a wrong one moves a document into the wrong
period. A German council paper mentions many dates: its own (``Datum:``, ``vom ...``), the meetings that will
handle it, the laws it cites, deadlines, and older resolutions. Which of them is *the* date depends on the
kind of document, so :func:`find_document_date` tries evidence in an order chosen per doctype and reports the
rule that decided. Dates are partial-aware: ``"2013"``, ``"2013-04"`` and ``"2013-04-10"`` are all valid
answers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..errors import BadDateError
from .fields import Field, find_fields

MIN_YEAR, MAX_YEAR = 1800, 2100

#: Month names and abbreviations as German (and a few English) texts write them, lower case.
MONTHS: dict[str, int] = {
    "januar": 1, "jänner": 1, "january": 1, "jan": 1,
    "februar": 2, "feber": 2, "february": 2, "febr": 2, "feb": 2,
    "märz": 3, "maerz": 3, "marz": 3, "march": 3, "mär": 3, "mrz": 3,
    "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "december": 12, "dez": 12, "dec": 12,
}  # fmt: skip
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")(?![a-zäöüß])\.?"  # lower case

ACCEPTED_FORMS = "YYYY, YYYY-MM, YYYY-MM-DD, DD.MM.YYYY, MM/YYYY or a month name and year ('April 2013')"

# The forms below start with a digit (or, for month names, are matched in lower case) and check what precedes
# them only after that first character: this lets the regex engine jump from digit to digit instead of trying
# every position, which matters because every document is scanned.
_D = r"\d(?<![\d.]\d)\d?"  # a one- or two-digit day/month not glued to a preceding number or dot
_Y4 = r"(?:18|19|20)\d{2}"

# Day precision. A two-digit year is only read with two-digit day and month ("24.04.07"), because "4.1.12" is
# far more often a section number than a date.
_ISO = re.compile(r"(?P<y>\d(?<![\d.]\d)\d{3})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d-])")
# A range of days in one month ("21. und 22.04.2007", "5.-6. Dezember 2003") is read as its first day.
_DAY_RANGE = re.compile(
    rf"(?P<d1>{_D})\.?\s*(?:-|–|—|bis|und|u\.|/)\s*[0-3]?\d\.\s?"
    rf"(?:(?P<m>[01]?\d)\.\s?(?P<y>{_Y4})|(?P<mon>{_MONTH})\s*(?P<yt>\d{{4}}))(?!\d)"
)
_DAY_TEXT = re.compile(rf"(?P<d>{_D})\.?\s*(?P<mon>{_MONTH})\s*,?\s*(?P<y>\d{{4}}|'?\d{{2}})(?![\d.]\d|\d)")
_DAY_NUM = re.compile(rf"(?P<d>\d(?<![\d.,/]\d)\d?)\.\s?(?P<m>[01]?\d)\.\s?(?P<y>{_Y4})(?!\d)")
_DAY_NUM2 = re.compile(r"(?P<d>\d(?<![\d.,/]\d)\d)\.(?P<m>[01]\d)\.(?P<y>\d{2})(?![\d]|\.\d)")
# Month precision.
_MONTH_TEXT = re.compile(rf"(?P<mon>{_MONTH})\s*(?P<y>\d{{4}}|'\d{{2}})(?!\d)")
_MONTH_SLASH = re.compile(rf"(?P<m>\d(?<![\d./]\d)\d?)\s?/\s?(?P<y>{_Y4})(?![\d/])")
_MONTH_DOT = re.compile(rf"(?P<m>\d(?<![\d.]\d)\d)\.(?P<y>{_Y4})(?![\d.])")
_MONTH_ISO = re.compile(r"(?P<y>\d(?<![\d.]\d)\d{3})-(?P<m>\d{2})(?![\d-])")
# Bare years, only read where a label says a date follows (``Laufzeit: 2004-2006``) or in a title.
_YEAR = re.compile(r"(?P<y>[12](?<![\d/.,\-–][12])\d{3})(?![\d]|/\d|\.\d)")

# (pattern, precision, matched in the lower-cased text, must start a word), longest readings first.
_FORMS: tuple[tuple[re.Pattern[str], int, bool, bool], ...] = (
    (_ISO, 3, False, False),
    (_DAY_RANGE, 3, True, False),
    (_DAY_TEXT, 3, True, False),
    (_DAY_NUM, 3, False, False),
    (_DAY_NUM2, 3, False, False),
    (_MONTH_TEXT, 2, True, True),
    (_MONTH_SLASH, 2, False, False),
    (_MONTH_DOT, 2, False, False),
    (_MONTH_ISO, 2, False, False),
)


@dataclass(frozen=True)
class DateMention:
    """A date written in a text: ``value`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (``precision`` 1-3)."""

    value: str
    start: int
    end: int
    precision: int

    @property
    def earliest(self) -> date:
        """The first day the mention can mean, for comparisons with full dates."""
        parts = [int(p) for p in self.value.split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _year(raw: str) -> int:
    """Four digits as written; two digits 00-49 are 20xx, 50-99 are 19xx (``07`` → 2007, ``98`` → 1998)."""
    raw = raw.lstrip("'")
    value = int(raw)
    if len(raw) == 2:
        value += 2000 if value < 50 else 1900
    return value


def make_date(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """The ISO form of a (partial) date, or None if it is not a real calendar date within 1800-2100."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _convert(match: re.Match[str], precision: int) -> str | None:
    """The ISO value of a match of one of the date forms (None if it is no calendar date)."""
    g = match.groupdict()
    year = _year(g.get("y") or g.get("yt") or "")
    if g.get("mon"):
        month = _month(g["mon"])
    elif g.get("m"):
        month = int(g["m"])
    else:
        month = None
    day = g.get("d1") or g.get("d")
    if precision == 3 and day is not None and month is not None:
        return make_date(year, month, int(day))
    if precision == 2 and month is not None:
        return make_date(year, month)
    return make_date(year) if precision == 1 else None


def _lower(text: str) -> str:
    """Lower case with offsets kept (the few characters whose lower case is longer stay as they are)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def scan_dates(
    text: str, start: int = 0, end: int | None = None, *, years: bool = False
) -> list[DateMention]:
    """Every date written in ``text[start:end]``, in text order; the longest reading wins where forms overlap.

    Bare years are included only with ``years=True``: in running text they are more often amounts, street
    numbers or programme names ("Bäderkonzept 2000") than dates.
    """
    end = len(text) if end is None else min(end, len(text))
    lowered = _lower(text[:end])
    forms = _FORMS + (((_YEAR, 1, False, False),) if years else ())
    taken = bytearray(max(0, end - start) + 1)  # 1 where a longer reading already claimed the character
    found: list[DateMention] = []
    for pattern, precision, lower, word_start in forms:
        haystack = lowered if lower else text
        for match in pattern.finditer(haystack, start, end):
            s, e = match.span()
            if taken.find(1, s - start, e - start) >= 0:
                continue
            if word_start and s and (haystack[s - 1].isalnum() or haystack[s - 1] == "."):
                continue
            value = _convert(match, precision)
            if value is None:
                continue
            taken[s - start : e - start] = b"\x01" * (e - s)
            found.append(DateMention(value, s, e, precision))
    found.sort(key=lambda m: m.start)
    return found


# --------------------------------------------------------------------------------------------------- user
# input

_USER_FORMS: tuple[
    tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[int, int | None, int | None]]], ...
] = (
    (re.compile(r"(\d{4})"), lambda m: (int(m[1]), None, None)),
    (re.compile(r"(\d{4})-(\d{1,2})"), lambda m: (int(m[1]), int(m[2]), None)),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), lambda m: (int(m[1]), int(m[2]), int(m[3]))),
    (re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})"), lambda m: (int(m[3]), int(m[2]), int(m[1]))),
    (re.compile(r"(\d{1,2})\s?[/.]\s?(\d{4})"), lambda m: (int(m[2]), int(m[1]), None)),
    (re.compile(rf"({_MONTH})\s*(\d{{4}})", re.IGNORECASE), lambda m: (int(m[2]), _month(m[1]), None)),
    (
        re.compile(rf"(\d{{1,2}})\.?\s*({_MONTH})\s*(\d{{4}})", re.IGNORECASE),
        lambda m: (int(m[3]), _month(m[2]), int(m[1])),
    ),
)


def parse_user_date(value: str) -> str:
    """Normalise a date a user typed (``"10.04.2013"``, ``"4/2013"``, ``"April 2013"``) to ISO, keeping its
    precision.

    Users filter a corpus by period, so "2013" must stay a year and "April 2013" a month: the result is
    ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``. Raises :class:`BadDateError` for anything else, for days that do
    not exist (31.02.) and for years outside 1800-2100.
    """
    raw = " ".join(str(value).split())
    for pattern, parts in _USER_FORMS:
        match = pattern.fullmatch(raw)
        if match is None:
            continue
        year, month, day = parts(match)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise BadDateError(
                f"The year in the date {value!r} is outside {MIN_YEAR}-{MAX_YEAR}.",
                hint=f"use {ACCEPTED_FORMS}",
            )
        result = make_date(year, month, day)
        if result is None:
            raise BadDateError(f"{value!r} is not a calendar date.", hint=f"use {ACCEPTED_FORMS}")
        return result
    raise BadDateError(f"Cannot read the date {value!r}.", hint=f"use {ACCEPTED_FORMS}")


# ------------------------------------------------------------------------------------------- document dates

#: How much of the text counts as "the first part", where a document's own date is written.
HEAD_CHARS = 3000
#: How much of the text is read for dates at all (for counting how often a date recurs, e.g. in page headers).
SCAN_CHARS = 30_000

_LAW_WORDS = re.compile(
    r"Gesetz|gesetz|Verordnung|verordnung|Satzung|satzung|Richtlinie|richtlinie|Erlass|erlass|Vorschrift|"
    r"Staatsvertrag|Bekanntmachung|Urteil|Beschluss|beschluss|Schreiben|BGBl|GVBl|GBl|Amtsbl|Fassung|§"
)
# The end of a range follows a date and a connector ("10.04. - 12.04.2013", "2004 bis 2006").
_BEFORE_RANGE_END = re.compile(r"(?:\d\.?|\d{4})\s*(?:bis(?:\s+(?:zum|spätestens))?|[–—-]|und)\s*$")
_BEFORE_DEADLINE = re.compile(
    r"\b(?:bis|spätestens|ab|ab\s+dem|zum|per|Stichtag|frist\w*|Ablauf\s+des)\s*(?:zum\s+|am\s+)?$",
    re.IGNORECASE,
)
# Minutes approve the minutes of earlier sessions ("Genehmigung der Niederschrift vom ..."): those dates are
# not the session's own.
_EARLIER_RECORD = re.compile(
    r"Genehmigung|Niederschriften|Protokolle\b|(?:letzten|vorherigen|vorangegangenen|früheren|seiner|ihrer|dessen|deren)"
    r"\s+(?:\w+\s+)?Sitzung",
    re.IGNORECASE,
)
_BEFORE_REFERENCE = re.compile(r"\b(?:vom|v\.|geändert\s+(?:am|durch)|in\s+Kraft\s+(?:getreten\s+)?am)\s*$")
_DOC_WORDS = (
    r"Antrag|Anfrage|Stellungnahme|Ergänzungsantrag|Änderungsantrag|Schreiben|Bericht|Vorlage|Mitteilung|"
    r"Protokoll|Niederschrift|Sitzung|Beschlussvorlage|Informationsvorlage|Drucksache|Fraktion|Gemeinderatsfraktion"
)

_LABEL_OWN = re.compile(
    r"(?:^|(?<=[\s(|]))(?P<label>Datum|Date|Stand|Erstellt(?:\s+am)?|Erstellungsdatum|Veröffentlicht(?:\s+am)?|"
    r"Ausgabedatum|Dokumentdatum|Berichtsdatum|Redaktionsschluss|Letzte\s+Änderung|Zuletzt\s+aktualisiert)"
    r"(?P<colon>[ \t]*:)?[ \t]*\n?[ \t]*(?:vom\s+|den\s+)?(?=\d|[A-ZÄÖÜa-z]{3})",
    re.IGNORECASE | re.MULTILINE,
)
_PHRASE_VOM = re.compile(
    rf"(?:^[ \t]*|^[ \t]*(?:{_DOC_WORDS})\b[^\n]{{0,120}}?\s)vom:?[ \t]*(?=\d)", re.MULTILINE
)
_WEEKDAYS = r"Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag|Mo|Di|Mi|Do|Fr|Sa|So"
_PLACE_DATE = re.compile(
    rf"^[ \t]*(?!(?:{_WEEKDAYS}|Seite|Stand|Datum|Termin|Sitzung)\b)"
    r"(?P<place>[A-ZÄÖÜ][\wäöüß.\-/ ]{1,40}?),"
    r"[ \t]*(?:den[ \t]+)?(?=\d)",
    re.MULTILINE,
)
_WEEKDAY_DATE = re.compile(rf"(?:^|(?<=[\s(]))(?:{_WEEKDAYS})\.?,?[ \t]+(?:den[ \t]+)?(?=\d)", re.MULTILINE)
# A session named in a header line: at the line start, or after the genre of the record on the same line
# ("Niederschrift über die 12. Sitzung des Rates am ..."); "zu seiner Sitzung am ..." in prose is a reference.
_MEETING = re.compile(
    r"^[ \t]*(?:[^\n]{0,60}?\b(?:Niederschrift|Protokoll|Ergebnisse?|Tagesordnung|Einladung|Beschlüsse|"
    r"Auszug|Beschlussempfehlungen)\b[^\n]{0,80}?)?(?:\d+\.\s+)?(?:(?:öffentlichen?|nichtöffentlichen?|konstituierenden?|"
    r"ordentlichen?|außerordentlichen?)\s+)?(?:Sitzung|Ratssitzung|Plenarsitzung|Ausschusssitzung|Versammlung|"
    r"Besprechung)\b[^\n.;:]{0,80}?\b(?:am|vom)[ \t]+(?:\w+,?[ \t]+)?(?:den[ \t]+)?(?=\d)",
    re.MULTILINE,
)
_EVENT = re.compile(
    r"(?:Tagung|Fachtagung|Konferenz|Fachkonferenz|Kongress|Workshop|Veranstaltung|Symposium|Forum|Seminar|"
    r"Fachgespräch|Jahrestreffen|Netzwerktreffen|Tag\s+der)\b[^\n.;]{0,80}?\b(?:am|vom)[ \t]+(?:\w+,?[ \t]+)?"
    r"(?:den[ \t]+)?(?=\d)"
)
_LAUFZEIT = re.compile(
    r"(?:Projekt)?[Ll]aufzeit|Förderlaufzeit|Projektzeitraum|Förderzeitraum|Bearbeitungszeitraum|Projektdauer|"
    r"Durchführungszeitraum"
)

#: Evidence families tried per doctype; the first that finds a date wins: ``own`` the document's own date
#: (``Datum:``, ``Stand:``, a header "vom ...", "Ort, den ..."); ``meeting`` its ``Termin`` field or the first
#: date of its Beratungsfolge; ``session`` a header naming the session ("Niederschrift über die Sitzung am
#: ..."); ``weekday`` "Freitag, 4. Juli 2025"; ``event`` the day of a Tagung; ``laufzeit`` a project's start;
#: ``head`` the most plausible date in the first part; ``newest`` the latest date there; ``title-year`` a lone
#: year in the first line; ``name`` a date in the file name; ``info`` the file's metadata.
ORDER: dict[str, tuple[str, ...]] = {
    "council_paper": ("own", "meeting", "head", "name", "info"),
    "minutes": ("meeting", "session", "weekday", "head", "own", "name", "info"),
    "project_description": ("laufzeit", "own", "head", "name", "info"),
    "conference_report": ("event", "own", "weekday", "head", "name", "info"),
    "report": ("own", "head", "title-year", "name", "info"),
    "web_page": ("own", "newest", "name", "info"),
    "other": ("own", "meeting", "session", "event", "laufzeit", "head", "title-year", "name", "info"),
}

_INFO_KEYS = {"html": ("date", "modified", "created"), "": ("created", "date", "modified")}


def _info_date(raw: str | None) -> str | None:
    """A date from file metadata (ISO strings, PDF ``D:YYYYMMDD`` stamps); implausible defaults dropped."""
    if not raw:
        return None
    match = re.match(r"\s*(?:D:)?(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?", str(raw))
    if match is None:
        for mention in scan_dates(str(raw)):
            return mention.value
        return None
    year = int(match[1])
    if year < 1980:  # default stamps of broken producers (1970, 1900) say nothing about the document
        return None
    return make_date(year, int(match[2]) if match[2] else None, int(match[3]) if match[3] else None)


@dataclass
class _Context:
    text: str
    head_end: int
    limit: date
    fields: Sequence[Field]
    info: Mapping[str, str]
    source_name: str
    fmt: str
    mentions: list[DateMention]
    meetings: Sequence[str]
    today: date


def _acceptable(ctx: _Context, mention: DateMention) -> bool:
    return mention.earliest <= ctx.limit


def _excluded(ctx: _Context, mention: DateMention) -> bool:
    """Dates that are not the document's own: laws, range ends, deadlines, references to older papers."""
    before = ctx.text[max(0, mention.start - 90) : mention.start]
    before = before.rsplit("\n\n", 1)[-1]
    if _BEFORE_RANGE_END.search(before[-12:]) or _BEFORE_DEADLINE.search(before[-24:]):
        return True
    line = before.rsplit("\n", 1)[-1]
    if _EARLIER_RECORD.search(line):
        return True
    if _BEFORE_REFERENCE.search(before[-30:]):
        line_start = before.rsplit("\n", 1)[-1]
        return _LAW_WORDS.search(before) is not None or not re.match(rf"\s*(?:vom|{_DOC_WORDS})", line_start)
    return False


def _after(
    ctx: _Context, pos: int, *, years: bool = False, span: int = 60, limit: date | None = None
) -> DateMention | None:
    """The date that starts right at ``pos`` (after a label), if any, and not after ``limit``."""
    for mention in scan_dates(ctx.text, pos, min(len(ctx.text), pos + span), years=years):
        if mention.start - pos <= 3 and mention.earliest <= (limit or ctx.limit):
            return mention
        break
    return None


def _ends_line(text: str, pos: int) -> bool:
    """True if nothing but blanks and closing punctuation follows ``pos`` on its line."""
    end = text.find("\n", pos)
    return not text[pos : len(text) if end < 0 else end].strip(" \t.,;)")


def _own(ctx: _Context) -> tuple[str, str] | None:
    candidates: list[tuple[int, str, str]] = []
    for item in ctx.fields:
        if item.key in ("datum", "stand", "vom", "eingegangen"):
            for mention in scan_dates(item.value)[:1]:
                if mention.earliest <= ctx.limit:
                    label = "vom" if item.key == "vom" else item.label.split()[0].capitalize()
                    candidates.append((item.start, mention.value, f"label:{label}"))
    for match in _LABEL_OWN.finditer(ctx.text, 0, ctx.head_end):
        before = ctx.text[ctx.text.rfind("\n", 0, match.start()) + 1 : match.start()]
        if not (match["colon"] or not before.strip() or before.endswith(("(", "\t", "  ", "|"))):
            # "Stand September 2017 waren ..." is prose, "Stand: 09/2017" or "(Stand 27.05.2026)" a label
            continue
        mention = _after(ctx, match.end())
        if mention:
            label = match["label"].split()[0].capitalize()
            candidates.append((match.start(), mention.value, f"label:{label}"))
    for match in _PHRASE_VOM.finditer(ctx.text, 0, ctx.head_end):
        before = ctx.text[max(0, match.start() - 60) : match.end()]
        mention = _after(ctx, match.end())
        # the date must end its line: "vom 17. Januar 2014" as a header, not "vom 1. Januar bis ..." in prose
        if mention and _ends_line(ctx.text, mention.end) and not _LAW_WORDS.search(before):
            candidates.append((match.start(), mention.value, "phrase:vom"))
    if candidates:
        _, value, rule = min(candidates)
        return value, rule
    for match in _PLACE_DATE.finditer(ctx.text):
        mention = _after(ctx, match.end())
        if mention and mention.precision >= 2:
            return mention.value, "place-date"
    return None


def _meeting(ctx: _Context) -> tuple[str, str] | None:
    """The session a paper is for: its ``Termin`` field, else the earliest date of its Beratungsfolge."""
    for item in ctx.fields:
        if item.key == "termin":
            for mention in scan_dates(item.value)[:1]:
                if _acceptable(ctx, mention):
                    return mention.value, "label:Termin"
    meetings = sorted(m for m in ctx.meetings if m and date.fromisoformat((m + "-01-01")[:10]) <= ctx.limit)
    return (meetings[0], "beratungsfolge") if meetings else None


def _session(ctx: _Context) -> tuple[str, str] | None:
    """Minutes name their session in a phrase: "Niederschrift über die Sitzung des Rates am 13.05.2013"."""
    for match in _MEETING.finditer(ctx.text, 0, ctx.head_end):
        mention = _after(ctx, match.end())
        if mention and mention.precision == 3:
            return mention.value, "phrase:Sitzung"
    return None


def _weekday(ctx: _Context) -> tuple[str, str] | None:
    for match in _WEEKDAY_DATE.finditer(ctx.text, 0, ctx.head_end):
        mention = _after(ctx, match.end())
        if mention and mention.precision == 3:
            return mention.value, "weekday-date"
    return None


def _event(ctx: _Context) -> tuple[str, str] | None:
    for match in _EVENT.finditer(ctx.text, 0, ctx.head_end):
        mention = _after(ctx, match.end())
        if mention:
            return mention.value, "phrase:event"
    return None


def _laufzeit(ctx: _Context) -> tuple[str, str] | None:
    """A project's start; descriptions are written before projects start, so it may follow the file date."""
    for match in _LAUFZEIT.finditer(ctx.text, 0, ctx.head_end):
        rest = re.match(
            r"[ \t]*:?[ \t]*\n?[ \t]*(?:von[ \t]+|vom[ \t]+|ab[ \t]+|seit[ \t]+)?", ctx.text[match.end() :]
        )
        start = match.end() + (rest.end() if rest else 0)
        mention = _after(ctx, start, years=True, limit=ctx.today)
        if mention:
            return mention.value, "laufzeit-start"
    return None


def _head_candidates(ctx: _Context) -> list[DateMention]:
    return [
        m for m in ctx.mentions
        if m.start < ctx.head_end and m.precision >= 2 and _acceptable(ctx, m) and not _excluded(ctx, m)
    ]  # fmt: skip


def _head(ctx: _Context) -> tuple[str, str] | None:
    """The most plausible date in the first part: precise, early, repeated (own dates recur on each page)."""
    candidates = _head_candidates(ctx)
    if not candidates:
        return None
    counts = Counter(m.value for m in ctx.mentions)

    def score(m: DateMention) -> float:
        position = 1.5 if m.start < 600 else 1.0 if m.start < 1500 else 0.5
        return m.precision + position + 0.6 * min(counts[m.value] - 1, 3)

    best = max(candidates, key=lambda m: (score(m), -m.start))
    return best.value, "first-date" if best is candidates[0] else "frequent-date"


def _newest(ctx: _Context) -> tuple[str, str] | None:
    candidates = [m for m in _head_candidates(ctx) if m.precision == 3]
    if not candidates:
        return None
    return max(candidates, key=lambda m: m.value).value, "newest-date"


def _title_year(ctx: _Context) -> tuple[str, str] | None:
    first = next((line for line in ctx.text[:400].splitlines() if line.strip()), "")
    years = [m for m in scan_dates(first, years=True) if m.earliest <= ctx.limit]
    return (years[0].value, "title-year") if len(years) == 1 else None


def _name(ctx: _Context) -> tuple[str, str] | None:
    stem = ctx.source_name.replace("\\", "/").rsplit("/", 1)[-1]
    match = re.search(r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)", stem)
    if match:
        value = make_date(int(match[1]), int(match[2]), int(match[3]))
        if value and date.fromisoformat(value) <= ctx.limit:
            return value, "name"
    for mention in scan_dates(stem):
        if mention.precision == 3 and _acceptable(ctx, mention):
            return mention.value, "name"
    return None


def _info(ctx: _Context) -> tuple[str, str] | None:
    for key in _INFO_KEYS.get(ctx.fmt, _INFO_KEYS[""]):
        value = _info_date(ctx.info.get(key))
        if value and date.fromisoformat((value + "-01-01")[:10]) <= ctx.today:
            return value, f"info:{key}"
    return None


_FAMILIES: dict[str, Callable[[_Context], tuple[str, str] | None]] = {
    "own": _own,
    "meeting": _meeting,
    "session": _session,
    "weekday": _weekday,
    "event": _event,
    "laufzeit": _laufzeit,
    "head": _head,
    "newest": _newest,
    "title-year": _title_year,
    "name": _name,
    "info": _info,
}


def _file_limit(info: Mapping[str, str], today: date) -> date:
    """The latest date a document can carry: the file's own (newest) date, else today."""
    stamps = [_info_date(info.get(key)) for key in ("created", "modified")]
    full = [date.fromisoformat(s) for s in stamps if s and len(s) == 10]
    limit = max(full) + timedelta(days=1) if full else today
    return min(limit, today)


def find_document_date(
    text: str,
    info: Mapping[str, str] | None = None,
    *,
    doctype: str | None = None,
    fmt: str = "",
    source_name: str = "",
    fields: Sequence[Field] | None = None,
    meetings: Sequence[str] = (),
    head_chars: int = HEAD_CHARS,
    today: date | None = None,
    order: Iterable[str] | None = None,
) -> tuple[str | None, str | None]:
    """The date a document carries, and the rule that found it (``"label:Datum"``, ``"laufzeit-start"``, ...).

    Evidence is tried in the order :data:`ORDER` gives for ``doctype``: a council paper's own ``Datum`` or
    ``vom`` beats the meeting date in its Beratungsfolge, minutes are dated by their meeting, a project by the
    start of its Laufzeit, a web page by its newest news item. Dates of laws and earlier papers ("Gesetz vom
    ..."), the ends of ranges, deadlines and dates after the file's own date (or today) are never chosen.
    ``fields`` (from :func:`~clustermine.pipeline.fields.find_fields`) and ``meetings`` (the ISO dates of a
    council paper's Beratungsfolge) can be passed by callers that have them already. File
    metadata (``info``: PDF created, HTML meta date) is the last resort, because files are often re-saved
    long after the document was written. Returns ``(None, None)`` when nothing fits.
    """
    info = info or {}
    today = today or date.today()
    ctx = _Context(
        text=text,
        head_end=min(len(text), head_chars),
        limit=_file_limit(info, today),
        fields=fields if fields is not None else find_fields(text),
        info=info,
        source_name=source_name,
        fmt=fmt,
        mentions=scan_dates(text, 0, SCAN_CHARS),
        meetings=meetings,
        today=today,
    )
    for family in order or ORDER.get(doctype or "other", ORDER["other"]):
        found = _FAMILIES[family](ctx)
        if found:
            return found
    return None, None


__all__ = [
    "ACCEPTED_FORMS",
    "HEAD_CHARS",
    "MONTHS",
    "ORDER",
    "DateMention",
    "find_document_date",
    "make_date",
    "parse_user_date",
    "scan_dates",
]
