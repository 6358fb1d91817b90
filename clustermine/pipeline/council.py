"""The fields of a council paper: number, subject, type, department, body, Beratungsfolge, outcome, status.

Council information systems differ by municipality, but their papers follow shared conventions: a number
(``Vorlagen-Nr.``, ``Drucksache``, ``DS``), a subject (``Betreff`` or simply the first title line after the
form fields), a genre word on the cover (``BESCHLUSSVORLAGE``, ``ANTRAG``, ``Anfrage der Fraktion ...``), a
``Beratungsfolge`` table with committee, date and role, and a public/non-public mark. Reading them lets
researchers follow one policy through committees and link a paper to its minutes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Consultation, CouncilPaper
from .dates import scan_dates
from .fields import Field, find_fields, is_label_line
from .sections import split_sections  # council callers expect it here; other doctypes use it too

#: Where the cover sheet ends for the purpose of number, type, subject and body.
COVER_CHARS = 3000

_SEP = r"\s?[-‐]?\s?"
_NUMBER_VALUE = (
    r"(?P<num>(?:[A-ZÄÖÜ]{1,5}\s?[/-]\s?)?\d{1,6}(?:\s?[/.\-]\s?\d{1,6}){0,3}(?:\s?[a-zA-Z](?![\w/]))?)"
    r"(?![\d.]*\.\d{2,4}\b)"
)
# Labelled numbers, including the forms written without a colon ("Vorlagen Nr. 80/017/2013", "DS 14/2234").
_NUMBER_AT = re.compile(rf"\s*(?:Nr\.?\s*)?{_NUMBER_VALUE}")
_NUMBER = re.compile(
    rf"(?:(?<![\w])(?:Vorlagen?|Vorl\.?|Beschlussvorlage|Sitzungsvorlage|Drucksachen?|Drs\.?|Antrags?|Anfrage)"
    rf"{_SEP}(?:Nr\.?|Nummer|No\.?)\s*:?|(?<![\w])Drucksache\s*:?|(?<![\w])Vorlage\.?\s*:|(?<![\w])DS{_SEP}(?:Nr\.?)?"
    rf"\s*:?)[ \t]*(?:Nr\.?\s*)?{_NUMBER_VALUE}"
)
# A genre word followed by a reference with a slash ("ANTRAG DHH/2023/5013").
_NUMBER_AFTER_GENRE = re.compile(
    r"(?<![\w])(?:ANTRAG|ANFRAGE|Antrag|Anfrage|Vorlage|VORLAGE)[ \t]+"
    rf"(?=[A-Z]{{0,5}}/?\d+/\d){_NUMBER_VALUE}"
)

#: Genre words on the cover → canonical paper type; the first one on a cover line wins.
PAPER_TYPES: tuple[tuple[str, str], ...] = (
    (r"Stellungnahme\s+(?:zu[mr]?\b|der\s+Verwaltung\b)[^\n]*", "Stellungnahme"),
    (r"Änderungs-\s*(?:und|/)\s*Ergänzungsantrag|Änderungsantrag", "Änderungsantrag"),
    (r"Ergänzungsantrag", "Ergänzungsantrag"),
    (r"Dringlichkeitsantrag", "Dringlichkeitsantrag"),
    (r"Beschlussvorlage|Beschlußvorlage", "Beschlussvorlage"),
    (r"Informationsvorlage", "Informationsvorlage"),
    (r"Mitteilungsvorlage", "Mitteilungsvorlage"),
    (r"Berichtsvorlage", "Berichtsvorlage"),
    (r"Sitzungsvorlage|Verwaltungsvorlage|Ratsvorlage|Kreistagsvorlage", "Sitzungsvorlage"),
    (r"Mitteilung(?:\s+der\s+Verwaltung)?(?=\s*$)", "Mitteilung"),
    (r"(?:Kleine|Große|Schriftliche)\s+Anfrage|Anfrage", "Anfrage"),
    (r"(?:Haushalts|Prüf|Fraktions)?[Aa]ntrag", "Antrag"),
)
_TYPE_LINE = re.compile(
    r"^[ \t]*(?:(?:Öffentliche|Nichtöffentliche|Nicht\s+öffentliche|Gemeinsame|Neue|Geänderte)[ \t]+)?(?:"
    + "|".join(f"(?P<t{i}>{pattern})" for i, (pattern, _) in enumerate(PAPER_TYPES))
    + r")(?=[ \t]*(?:$|:|\(|\d|[A-Z]{2,5}/\d|(?:der|des|von|zum|zur|zu|vom|gem\.|gemäß|Nr\.?)\b))",
    re.MULTILINE | re.IGNORECASE,
)
_PROPOSAL = re.compile(
    r"^[ \t]*(?:Beschlussvorschlag|Beschlussentwurf|Beschlussantrag|Vorschlag\s+der\s+Verwaltung|"
    r"Antrag\s+an\s+(?:den|die|das)\s)",
    re.MULTILINE,
)

_BODY_KINDS = (
    r"Landeshauptstadt|Bundesstadt|Hansestadt|Universitätsstadt|Große\s+Kreisstadt|Kreisstadt|Stadt|Gemeinde|"
    r"Markt|Landkreis|(?:[A-ZÄÖÜ][a-zäöüß]+-)?Kreis|Samtgemeinde|Verbandsgemeinde|Region|Städteregion|"
    r"Regionalverband|Bezirksamt|Bezirk"
)
_CITY_KINDS = re.compile(
    r"(?:Landeshauptstadt|Hansestadt|Stadt|Landkreis|(?:[A-ZÄÖÜ][a-zäöüß]+-)?Kreis|STADT|"
    r"LANDKREIS|KREIS|HANSESTADT|LANDESHAUPTSTADT)"
)
_BODY = re.compile(
    rf"(?<![\w-])(?P<kind>{_BODY_KINDS})\s+(?P<name>[A-ZÄÖÜ][\wäöüß]+(?:-[A-ZÄÖÜ][\wäöüß]+)*"
    r"(?:\s+(?:an\s+der|am|im|in\s+der|ob\s+der)\s+[A-ZÄÖÜ][\wäöüß]+(?=[\s,.;)]|$))?)"
)
_BODY_UPPER = re.compile(
    r"(?<![\w-])(?P<kind>LANDESHAUPTSTADT|HANSESTADT|STADT|GEMEINDE|LANDKREIS|(?:[A-ZÄÖÜ]+-)?KREIS|MARKT|REGION)"
    r"\s+(?P<name>[A-ZÄÖÜ][A-ZÄÖÜß]+(?:-[A-ZÄÖÜ][A-ZÄÖÜß]+)*)(?![\wäöü])"
)

_TABLE_HEADER = re.compile(
    r"^[^\n]*(?:Beratungsfolge|(?:Gremium|Gremien|Beratungsgremium|Sitzungsgremium)[ \t]*(?:\w+[ \t]+)?"
    r"(?:Termin|Datum|Sitzung))[^\n]*$",
    re.MULTILINE,
)
_ROW_DATE = r"(?P<date>\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4})"
_ROW_SEP = r"[ \t]*(?:[-–—|:,;][ \t]*)?"  # "Ausschuss – 28.03.1995 – Vorberatung" and "Ausschuss | 28.03.1995"
_ROW = re.compile(
    rf"^[ \t]*(?P<committee>[A-ZÄÖÜ][^\t\n\d]*?[a-zäöüß.)]){_ROW_SEP}{_ROW_DATE}(?P<rest>[^\n]*)$"
)
_ROW_DATE_FIRST = re.compile(rf"^[ \t]*{_ROW_DATE}{_ROW_SEP}(?P<committee>[A-ZÄÖÜ][^\n]*?)[ \t]*$")

ROLES: tuple[tuple[str, str], ...] = (
    (r"Beschlussempfehlung|Empfehlung", "Empfehlung"),
    (r"Vorberatung|vorberatend", "Vorberatung"),
    (r"Entscheidung|entscheidend", "Entscheidung"),
    (r"Beschluss(?:fassung)?|beschließend", "Beschluss"),
    (r"Kenntnisnahme|zur\s+Kenntnis(?!\s+genommen)|Information", "Kenntnisnahme"),
    (r"Anhörung", "Anhörung"),
    (r"Beratung|beratend", "Beratung"),
    (r"Wahl", "Wahl"),
)
#: Outcome phrases, most specific first; the first that matches names the outcome.
OUTCOMES: tuple[tuple[str, str], ...] = (
    (r"abgelehnt|nicht\s+zugestimmt|keine\s+Mehrheit", "abgelehnt"),
    (r"verwiesen|Verweisung|überwiesen", "verwiesen"),
    (r"vertagt|zurückgestellt|Vertagung", "vertagt"),
    (r"zurückgezogen", "zurückgezogen"),
    (r"abgesetzt|von\s+der\s+Tagesordnung\s+genommen", "abgesetzt"),
    (r"(?:zur\s+)?Kenntnis\s+genommen|Kenntnisnahme\s+erfolgt", "zur Kenntnis genommen"),
    (r"einstimmig", "einstimmig beschlossen"),
    (r"beschlossen|angenommen|zugestimmt|Zustimmung|genehmigt|mehrheitlich", "beschlossen"),
    (r"vorberaten", "vorberaten"),
    (r"erledigt", "erledigt"),
)
_OUTCOME_RE = [(re.compile(rf"(?<![\w]){p}", re.IGNORECASE), name) for p, name in OUTCOMES]
_ROLE_RE = [(re.compile(rf"(?<![\w]){p}(?![\w])", re.IGNORECASE), name) for p, name in ROLES]
_RESULT_LABEL = re.compile(
    r"(?:Abstimmungsergebnis|Beratungsergebnis|Ergebnis\s+der\s+Abstimmung|Abstimmung)\s*:?[ \t-]*\n?[ \t]*"
    r"(?P<value>[^\n]{1,120})",
)
_RESULT_PHRASE = re.compile(
    r"\b(?:wurden?|ist|sind)\s+(?:\w+\s+){0,6}?(?P<value>(?:einstimmig\s+|mehrheitlich\s+)?(?:beschlossen|"
    r"angenommen|abgelehnt|vertagt|verwiesen|zurückgestellt|zur\s+Kenntnis\s+genommen|zurückgezogen|abgesetzt))"
    r"|^[ \t]*(?P<alone>(?:einstimmig|mehrheitlich)\s+(?:beschlossen|angenommen|abgelehnt))",
    re.MULTILINE,
)
_PUBLIC = re.compile(
    r"(?<![\w])(?P<no>[Nn]icht[ -]?öffentlich|NICHTÖFFENTLICH|NICHT\s+ÖFFENTLICH)(?:e|en|er)?(?![\w])"
    r"|(?<![\w-])(?P<yes>öffentlich|ÖFFENTLICH)(?:e|en|er)?(?=[ \t]*(?:$|Sitzung|Beratung))",
    re.MULTILINE,
)

# Lines on a cover that are never the subject.
_NOT_SUBJECT = re.compile(
    r"^(?:(?:Der|Die)\s+(?:Ober)?[Bb]ürgermeister(?:in)?|(?:Der|Die)\s+Landr(?:at|ätin)|Stadtr(?:at|ätin|äte)\b|"
    r"Kreisr(?:at|ätin)\b|Ratsherr|Ratsfrau|Bezirks(?:verordnete|abgeordnete)|Bürgermeisteramt|Ortsverwaltung|"
    r"Stadtverwaltung|Kreisverwaltung|Landratsamt|Gedruckt\s+auf|\d+\s+Prozent\s+Recyclingpapier|Prozent\s+Recycling|"
    r"Seite\s+\d|Herrn?\b|Frau\b|An\s+(?:den|die)\b|Eingang|Unterzeichnet|unterzeichnet|vom\b|Sitzung|Plenarsitzung|"
    r"\d+\.\s+Plenarsitzung|Beratungsfolge|Tagesordnung|TOP\b|Dez\.|Az\.|Tel\.|Telefon|E-Mail|Fax|"
    # a parliamentary question's cover: who asks and who answers is not what it is about
    r"(?:des|der)\s+Abgeordneten\b|der\s+Landesregierung\b|Antwort\s+der\b)",
)
# An address block (letters to the mayor) runs from "Herrn ..." to the next blank line.
_ADDRESS_START = re.compile(r"^(?:Herrn?|Frau|An\s+(?:den|die|das))\b")
_SUBJECT_STOP = re.compile(
    r"^[ \t]*(?:Beratungsfolge|Gremi(?:um|en)\b|Beschlussvorschlag|Beschlussantrag|Beschlussentwurf|"
    r"Kurzfassung|"
    r"Sachverhalt|Begründung|Antrag\s+an\b|Finanzielle\s+Auswirkung|Vorschlag\s+der\s+Verwaltung|Anlage|"
    r"Sehr\s+geehrte|\d{1,2}\.\s|\d{1,2}\)\s|[-•–]\s|(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)\b|"
    r"(?:nicht\s?)?öffentlich\b)",
    re.IGNORECASE,
)
_TOP_SUBJECT = re.compile(
    r"^[ \t]*(?:Punkt\s+\d+\w?\s+der\s+Tagesordnung|TOP\s*\d+(?:\.\d+)*\w?|Tagesordnungspunkt\s+\d+\w?)"
    r"\s*:[ \t]*"
    r"(?P<subject>[^\n]+)",
    re.MULTILINE,
)


def _normalise_number(raw: str) -> str:
    return re.sub(r"\s*([/.\-])\s*", r"\1", raw.strip()).rstrip(".")


def find_number(text: str, fields: Sequence[Field]) -> str | None:
    """The paper's number from its labelled fields or a labelled number in the first part of the text."""
    candidates = [(f.start, f.value) for f in fields if f.key == "number"]
    for pattern in (_NUMBER, _NUMBER_AFTER_GENRE):
        candidates += [(m.start("num"), m["num"]) for m in pattern.finditer(text, 0, COVER_CHARS)]
    for _, raw in sorted(candidates):
        match = _NUMBER_AT.match(raw)
        if match is None:
            continue
        value = _normalise_number(match["num"])
        if "." in value and scan_dates(value):
            continue  # a date in a number field
        return value
    return None


def find_paper_type(text: str, fields: Sequence[Field]) -> str | None:
    """The genre the cover names; without one, a paper with a Beschlussvorschlag is a Beschlussvorlage."""
    for item in fields:
        if item.key == "art" and item.value:
            return item.value.split("  ")[0].strip()
    match = _TYPE_LINE.search(text, 0, 900)
    if match:
        index = int(next(name for name, value in match.groupdict().items() if value is not None)[1:])
        return PAPER_TYPES[index][1]
    if _PROPOSAL.search(text):
        return "Beschlussvorlage"
    return None


def find_department(fields: Sequence[Field]) -> str | None:
    """The responsible unit: Federführung before Fachbereich/Amt before Dienststelle before Dezernat."""
    order = (
        "federf",
        "fachbereich",
        "fachamt",
        "fachdienst",
        "amt",
        "dienststelle",
        "geschäftsbereich",
        "organisationseinheit",
        "abteilung",
        "referat",
        "dezernat",
        "verantwortlich",
    )
    found = [f for f in fields if f.key == "department" and f.value.strip()]
    for prefix in order:
        for item in found:
            if item.label.lower().startswith(prefix):
                return re.split(r"\t| {3,}", item.value.strip())[0][:120]
    return None


def find_body(text: str) -> str | None:
    """The council or district that issued the paper, e.g. ``"Stadt Karlsruhe"``, ``"Kreis Mettmann"``."""
    head = text[:COVER_CHARS]
    matches: list[tuple[int, int, str]] = []
    # a body named in running text counts only on the cover (the subject may name another city later)
    prose_end = min(len(head), 800)
    for pattern, upper in ((_BODY, False), (_BODY_UPPER, True)):
        for match in pattern.finditer(head):
            kind = " ".join(match["kind"].split())
            name = match["name"]
            value = f"{kind} {name}".title() if upper else f"{kind} {name}"
            line_start = head.rfind("\n", 0, match.start()) + 1
            at_line_start = not head[line_start : match.start()].strip(" \t-")
            if not at_line_start and (not _CITY_KINDS.fullmatch(kind) or match.start() > prose_end):
                # "Bezirksamt Eigentümer", "Region Ruhr" in prose: only cities and districts name a body there
                continue
            matches.append((0 if at_line_start else 1, match.start(), value))
    return min(matches)[2] if matches else None


def _role(rest: str) -> str | None:
    return next((name for pattern, name in _ROLE_RE if pattern.search(rest)), None)


def _outcome(phrase: str) -> str | None:
    return next((name for pattern, name in _OUTCOME_RE if pattern.search(phrase)), None)


def _split_row(match: re.Match[str]) -> tuple[str, str]:
    """Committee and the rest of a table row; a date-first row ends with its role/result columns."""
    committee = match["committee"]
    if "rest" in match.groupdict():
        return committee, match["rest"]
    cells = committee.split("\t")
    if len(cells) > 1:
        return cells[0], " ".join(cells[1:])
    ends = [
        m.start()
        for pattern, _ in _ROLE_RE + _OUTCOME_RE
        for m in [pattern.search(committee)]
        if m and m.start()
    ]
    cut = min(ends) if ends else len(committee)
    return committee[:cut], committee[cut:]


def find_consultations(text: str) -> tuple[Consultation, ...]:
    """The rows of the Beratungsfolge table: committee, date, role and (when filled in) the result."""
    header = _TABLE_HEADER.search(text, 0, max(COVER_CHARS, 6000))
    if header is None:
        return ()
    rows: list[Consultation] = []
    misses = 0
    carry = ""
    for line in text[header.end() :].splitlines()[1:40]:
        if not line.strip():
            continue
        match = _ROW.match(line) or _ROW_DATE_FIRST.match(line)
        if match is None:
            misses += 1
            stripped = line.strip()
            carry = stripped if (len(stripped) < 60 and re.search(r"[a-zäöü]{3}", stripped)) else ""
            if misses > (3 if not rows else 1):
                break
            continue
        misses = 0
        dates = scan_dates(match["date"])
        committee, rest = _split_row(match)
        if carry.endswith(("-", ",", "und")):
            committee = f"{carry} {committee}"
        committee = " ".join(committee.split())
        carry = ""
        rows.append(
            Consultation(
                committee=committee.strip(" -–"),
                date=dates[0].value if dates and dates[0].precision == 3 else None,
                role=_role(rest),
                outcome=_outcome(rest),
            )
        )
    return tuple(rows)


def find_outcome(text: str, consultations: Sequence[Consultation] = ()) -> str | None:
    """The result the text states (``Abstimmungsergebnis: einstimmig``, ``wurde vertagt``), not a proposal."""
    for match in _RESULT_LABEL.finditer(text):
        found = _outcome(match["value"])
        if found:
            return found
    for match in _RESULT_PHRASE.finditer(text):
        found = _outcome(match["value"] or match["alone"])
        if found:
            return found
    for consultation in reversed(consultations):
        if consultation.outcome:
            return consultation.outcome
    return None


def find_public(text: str, fields: Sequence[Field]) -> bool | None:
    """True for public papers and sessions, False for "nichtöffentlich", None when the cover says neither."""
    for item in fields:
        if item.key == "public":
            lowered = item.value.lower()
            if "nicht" in lowered or lowered in ("nö", "n"):
                return False
            if "öffentlich" in lowered or lowered in ("ö",):
                return True
    match = _PUBLIC.search(text, 0, COVER_CHARS)
    if match is None:
        return None
    return match["no"] is None


def _join(lines: list[str]) -> str:
    out = ""
    for line in lines:
        line = " ".join(line.split())
        if out.endswith("-") and line[:1].islower():
            out = out[:-1] + line
        elif out.endswith(("-", "/")):
            out += line
        else:
            out = f"{out} {line}" if out else line
    return out.strip()


def _following_lines(text: str, pos: int, count: int) -> list[tuple[str, int]]:
    """The next ``count`` lines after the line holding ``pos``, each with the offset just past it."""
    found = []
    end = text.find("\n", pos)
    while end >= 0 and len(found) < count:
        nxt = text.find("\n", end + 1)
        stop = len(text) if nxt < 0 else nxt
        found.append((text[end + 1 : stop], stop))
        end = nxt
    return found


def subject_span(text: str, fields: Sequence[Field]) -> tuple[str | None, int, int]:
    """The Betreff, normalised, and the span of text it was read from (``-1, -1`` if none).

    A ``Betreff:`` field wins, then the topic of a minutes item ("Punkt 5 der Tagesordnung: ..."), else the
    first title-like line after the cover fields, with up to three wrapped continuation lines.
    """
    for item in fields:
        if item.key == "betreff" and len(item.value) > 3:
            lines, end = [item.value], item.end
            for line, stop in _following_lines(text, item.end, 3):
                if not line.strip() or _SUBJECT_STOP.match(line) or ":" in line[:30]:
                    break
                lines.append(line)
                end = stop
            return _join(lines)[:300], item.start, end
    top = _TOP_SUBJECT.search(text, 0, COVER_CHARS)
    if top:
        lines, end = [top["subject"]], top.end()
        for line, stop in _following_lines(text, top.end(), 3):
            if not line.strip() or ":" in line or _NUMBER.match(line.strip()) or _TYPE_LINE.match(line):
                break
            lines.append(line)
            end = stop
        return _join(lines)[:300], top.start("subject"), end
    taken = [(f.start, max(f.end, f.start + len(f.value))) for f in fields]
    in_table = in_address = False
    pos = 0
    lines: list[str] = []
    start = end = -1
    for line in text[:COVER_CHARS].splitlines(keepends=True):
        line_start, pos = pos, pos + len(line)
        stripped = line.strip()
        is_field = (
            is_label_line(line)
            or any(line_start <= s < pos for s, _ in taken)
            or any(s < line_start < e for s, e in taken)
        )
        if lines:
            if not stripped or is_field or len(lines) >= 4 or _SUBJECT_STOP.match(stripped):
                break
            if _NUMBER.search(stripped) or (len(stripped) < 60 and re.search(r"[Ff]raktion\b", stripped)):
                break
            if _TABLE_HEADER.match(stripped):
                break
            lines.append(stripped)
            end = line_start + len(line.rstrip())
            continue
        if not stripped:
            in_table = in_address = False
            continue
        if _TABLE_HEADER.match(stripped):
            in_table = True
            continue
        if _ADDRESS_START.match(stripped):
            in_address = True
        if in_address or in_table or is_field or _NUMBER.match(stripped):
            continue
        if _looks_like_subject(stripped):
            lines.append(stripped)
            start = line_start + len(line) - len(line.lstrip())
            end = line_start + len(line.rstrip())
    if not lines:
        return None, -1, -1
    return _join(lines)[:300], start, end


def find_subject(text: str, fields: Sequence[Field]) -> tuple[str | None, int]:
    """The Betreff and the offset it starts at (see :func:`subject_span`)."""
    subject, start, _ = subject_span(text, fields)
    return subject, start


def _looks_like_subject(line: str) -> bool:
    if (
        len(line) < 12
        or len(line.split()) < 2
        or not re.search(r"[a-zäöüß]{3}", line)
        or line.count("\t") > 1
    ):
        return False
    if _NOT_SUBJECT.match(line) or _SUBJECT_STOP.match(line) or _TYPE_LINE.match(line):
        return False
    if re.fullmatch(r"[\W\d_]+", line) or (len(line) < 60 and re.search(r"[Ff]raktion\b", line)):
        return False
    if re.match(r"[^:]{1,30}:\s*\S", line) and not re.search(r"\w{4,}.*:\s+\w", line[:40]):
        return False  # a label with its value
    if _BODY.fullmatch(line.strip()) or _BODY_UPPER.fullmatch(line.strip()):
        return False
    if re.search(r"\b\d{5}\s+[A-ZÄÖÜ]", line):
        return False  # a postal address
    return not (line.endswith(":") and len(line) < 25)


def extract_council(text: str, *, fields: Sequence[Field] | None = None) -> CouncilPaper:
    """All council fields of a paper (or of a session's minutes), each None/empty where the text is silent."""
    fields = find_fields(text) if fields is None else fields
    consultations = find_consultations(text)
    subject, _ = find_subject(text, fields)
    return CouncilPaper(
        number=find_number(text, fields),
        subject=subject,
        paper_type=find_paper_type(text, fields),
        department=find_department(fields),
        body=find_body(text),
        consultations=consultations,
        outcome=find_outcome(text, consultations),
        public=find_public(text, fields),
    )


__all__ = [
    "OUTCOMES",
    "PAPER_TYPES",
    "ROLES",
    "extract_council",
    "find_body",
    "find_consultations",
    "find_department",
    "find_number",
    "find_outcome",
    "find_paper_type",
    "find_public",
    "find_subject",
    "split_sections",
    "subject_span",
]
