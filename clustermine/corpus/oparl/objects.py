"""OParl objects as clustermine reads them: validated once, at the boundary, in one spelling.

Servers speak several dialects. OParl 1.1 (``https://schema.oparl.org/1.1/Paper``) and 1.0
(``https://schema.oparl.org/1.0/Paper``) differ little for papers (1.1 adds ``sha512Checksum`` to files and
lists for embedded objects), but systems built on the drafts before 1.0 still answer with
``http://oparl.org/schema/1.0/Paper``, ``publishedDate`` instead of ``date``, ``underDirectionof``, and files
and consultations as URLs instead of embedded objects. Keys are matched without regard to case, dates may come
as dates or date-times, single values may stand where lists belong.

What cannot be mended makes the object invalid (:class:`InvalidObjectError`: no id, not a Paper); what can be
read around is recorded as a *problem* on the object (a date that is no date, a name missing) and the import
goes on with the rest.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any
from urllib.parse import unquote, urlsplit

from clustermine.errors import ClustermineError

#: The object types of the OParl schema, in their 1.1 spelling.
KINDS: tuple[str, ...] = (
    "System", "Body", "Organization", "Person", "Meeting", "AgendaItem", "Paper", "Consultation", "File",
    "Location", "LegislativeTerm", "Membership",
)
_KIND_BY_LOWER = {k.lower(): k for k in KINDS}

#: Keys whose values change without the content changing (servers that stamp everything as modified today).
VOLATILE_KEYS = frozenset({"modified", "created"})

#: Canonical key per kind, looked up by lower-case spelling; older spellings map onto the 1.1 names.
_KEYS: dict[str, dict[str, str]] = {
    "Paper": {
        **{k.lower(): k for k in (
            "id", "type", "body", "name", "reference", "date", "paperType", "relatedPaper", "superordinatedPaper",
            "subordinatedPaper", "mainFile", "auxiliaryFile", "location", "originatorPerson",
            "underDirectionOf", "originatorOrganization", "consultation", "license", "keyword", "created",
            "modified", "web", "deleted",
        )},
        "publisheddate": "date",  # drafts before 1.0
    },
    "File": {k.lower(): k for k in (
        "id", "type", "name", "fileName", "mimeType", "date", "size", "sha1Checksum", "sha512Checksum", "text",
        "accessUrl", "downloadUrl", "externalServiceUrl", "masterFile", "derivativeFile", "fileLicense",
        "meeting", "agendaItem", "paper", "license", "keyword", "created", "modified", "web", "deleted",
    )},
    "Consultation": {k.lower(): k for k in (
        "id", "type", "paper", "agendaItem", "meeting", "organization", "authoritative", "role", "license",
        "keyword", "created", "modified", "web", "deleted",
    )},
}


class InvalidObjectError(ClustermineError, ValueError):
    """An OParl object that cannot be imported at all (not an object, no id, of another type)."""


def object_kind(obj: Mapping[str, Any]) -> str | None:
    """The object's type in 1.1 spelling (``Paper``) from any of the type URLs, or None when it has none."""
    value = obj.get("type")
    if not isinstance(value, str) or not value.strip():
        return None
    tail = value.strip().rstrip("/").rsplit("/", 1)[-1]
    tail = tail.split("#")[-1].split(":")[-1]
    return _KIND_BY_LOWER.get(tail.lower())


def spec_version(obj: Mapping[str, Any]) -> str | None:
    """``1.0`` or ``1.1`` as the type URL says (None when it does not)."""
    match = re.search(r"/(\d+\.\d+)/", str(obj.get("type") or ""))
    return match.group(1) if match else None


def canonical_keys(obj: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """The object with its keys in 1.1 spelling (unknown keys kept as they are)."""
    known = _KEYS.get(kind, {})
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = known.get(str(key).lower(), key)
        if name not in out or out[name] in (None, "", []):
            out[name] = value
    return out


def fingerprint(obj: Any) -> str:
    """A hash of the object's content without its time stamps (so "modified today" alone changes nothing)."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in VOLATILE_KEYS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    text = json.dumps(strip(obj), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- dates ---------------------------------------------------------------------------------------------------

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_day(value: Any) -> str | None:
    """A calendar date ``YYYY-MM-DD`` from an OParl date or date-time (also ``DD.MM.YYYY``); None if invalid.

    The date part of a date-time is taken as written: a paper dated ``2013-12-13T00:00:00+01:00`` is of the
    13th, whatever the time zone.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    german = _GERMAN_DATE.match(text)
    if german:
        text = f"{german[3]}-{int(german[2]):02d}-{int(german[1]):02d}"
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return None


def parse_moment(value: Any) -> datetime | None:
    """An aware date-time from an OParl ``date-time`` (``Z`` and missing zones read as UTC), else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        day = parse_day(text)
        if day is None:
            return None
        moment = datetime.fromisoformat(day)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# -- the records ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OParlFile:
    """A File of a paper: where to get it and what the server says about it."""

    id: str
    name: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    date: str | None = None
    size: int | None = None
    sha1: str | None = None
    sha512: str | None = None
    access_url: str | None = None
    download_url: str | None = None

    @property
    def label(self) -> str:
        """How a user recognises the file: its name, its file name, or the last part of its id."""
        return self.name or self.file_name or id_tail(self.id)

    @property
    def url(self) -> str | None:
        """The address the document will name as its source."""
        return self.access_url or self.download_url

    def version(self) -> str:
        """What identifies this version of the file's bytes (its time stamps left out, see module doc)."""
        parts = [self.id, self.access_url, self.download_url, self.size, self.sha1, self.sha512, self.file_name,
                 self.date]
        return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class OParlConsultation:
    """One step of the Beratungsfolge: the organisations (first one leads), role, meeting."""

    id: str | None
    organizations: tuple[str, ...] = ()
    role: str | None = None
    authoritative: bool | None = None
    meeting: str | None = None
    meeting_date: str | None = None  # known only when the meeting came embedded


@dataclass(frozen=True)
class OParlPaper:
    """A Paper, validated and in one spelling. ``problems`` lists what was wrong but could be read around."""

    id: str
    body: str | None
    name: str | None
    reference: str | None
    date: str | None
    paper_type: str | None
    modified: str | None
    web: str | None
    main_file: OParlFile | None
    auxiliary_files: tuple[OParlFile, ...]
    consultations: tuple[OParlConsultation, ...]
    under_direction_of: tuple[str, ...]
    deleted: bool
    version: str | None
    fingerprint: str
    problems: tuple[str, ...] = field(default=())

    @property
    def files(self) -> tuple[OParlFile, ...]:
        """Main file first, then the auxiliary files, each file once."""
        out: dict[str, OParlFile] = {}
        for file in ((self.main_file,) if self.main_file else ()) + self.auxiliary_files:
            out.setdefault(file.id, file)
        return tuple(out.values())

    @property
    def label(self) -> str:
        """How a user recognises the paper in a message: its reference, else its name, else its id."""
        return self.reference or (self.name or "")[:60] or self.id


Lookup = Callable[[str, str], "dict[str, Any] | None"]


def id_tail(url: str) -> str:
    """The last path segment of an OParl id (``…/files/145055`` → ``145055``)."""
    path = urlsplit(url).path if "://" in url else url
    return unquote(path.rstrip("/").rsplit("/", 1)[-1]) or url


def parse_paper(raw: Any, *, lookup: Lookup | None = None) -> OParlPaper:
    """Validate a raw Paper and read it into an :class:`OParlPaper`.

    ``lookup(url, kind)`` fetches objects a paper names by URL instead of embedding them (files and
    consultations in pre-1.0 servers); without it such references are reported as problems.
    """
    if not isinstance(raw, Mapping):
        raise InvalidObjectError(f"expected a Paper object, got {type(raw).__name__}",
                                 hint="the server sent something else than OParl objects in the paper list")
    kind = object_kind(raw)
    if kind is not None and kind != "Paper":
        raise InvalidObjectError(f"the object is a {kind}, not a Paper", hint="the server's paper list is mixed up")
    obj = canonical_keys(raw, "Paper")
    problems: list[str] = []
    paper_id = _text(obj.get("id"))
    if not paper_id:
        raise InvalidObjectError("the paper has no id", hint="the server sent a broken object; it was left out")
    if kind is None:
        problems.append("it has no OParl type")
    if obj.get("deleted") is True:
        return OParlPaper(paper_id, _text(obj.get("body")), None, None, None, None, _text(obj.get("modified")),
                          None, None, (), (), (), True, spec_version(obj), fingerprint(raw), tuple(problems))

    name = _text(obj.get("name"))
    if not name:
        problems.append("it has no name")
    raw_date = obj.get("date")
    day = parse_day(raw_date)
    if raw_date not in (None, "") and day is None:
        problems.append(f"date {raw_date!r} is not a date (YYYY-MM-DD); ignored")
    modified = _text(obj.get("modified"))
    if modified and parse_moment(modified) is None:
        problems.append(f"modified {modified!r} is not a date-time; ignored")
        modified = None
    paper_type = _text(obj.get("paperType"))
    if paper_type and "://" in paper_type:  # drafts gave a URL of the type
        paper_type = id_tail(paper_type)

    main_file = None
    main_raw = obj.get("mainFile")
    if main_raw not in (None, "", []):
        main_list = main_raw if isinstance(main_raw, list) else [main_raw]
        if isinstance(main_raw, list):
            problems.append("mainFile is a list; its first file is taken as the main file")
        files = _files(main_list[:1], lookup, problems)
        main_file = files[0] if files else None
    aux_raw = obj.get("auxiliaryFile")
    aux_list = aux_raw if isinstance(aux_raw, list) else ([] if aux_raw in (None, "") else [aux_raw])
    auxiliary = _files(aux_list, lookup, problems)

    cons_raw = obj.get("consultation")
    cons_list = cons_raw if isinstance(cons_raw, list) else ([] if cons_raw in (None, "") else [cons_raw])
    consultations = tuple(c for c in (_consultation(item, lookup, problems) for item in cons_list) if c)

    return OParlPaper(
        id=paper_id,
        body=_text(obj.get("body")) if not isinstance(obj.get("body"), Mapping) else _text(obj["body"].get("id")),
        name=name,
        reference=_text(obj.get("reference")),
        date=day,
        paper_type=paper_type,
        modified=modified,
        web=_text(obj.get("web")),
        main_file=main_file,
        auxiliary_files=tuple(auxiliary),
        consultations=consultations,
        under_direction_of=_urls(obj.get("underDirectionOf")),
        deleted=False,
        version=spec_version(obj),
        fingerprint=fingerprint(raw),
        problems=tuple(problems),
    )


def parse_file(raw: Any, problems: list[str] | None = None) -> OParlFile | None:
    """A File object (embedded or fetched) as :class:`OParlFile`; None, with a problem, when unusable."""
    problems = problems if problems is not None else []
    if not isinstance(raw, Mapping):
        problems.append(f"a file entry is not an object ({_short(raw)}); left out")
        return None
    obj = canonical_keys(raw, "File")
    access = _text(obj.get("accessUrl"))
    download = _text(obj.get("downloadUrl"))
    file_id = _text(obj.get("id")) or access or download
    if not file_id:
        problems.append("a file has neither id nor accessUrl; left out")
        return None
    if not (access or download):
        problems.append(f"file {id_tail(file_id)} has no accessUrl; it cannot be downloaded")
    size = obj.get("size")
    if size is not None and not (isinstance(size, int) and size >= 0):
        problems.append(f"file {id_tail(file_id)}: size {size!r} is not a number of bytes; ignored")
        size = None
    return OParlFile(
        id=file_id,
        name=_text(obj.get("name")),
        file_name=_text(obj.get("fileName")),
        mime_type=(_text(obj.get("mimeType")) or "").lower() or None,
        date=parse_day(obj.get("date")),
        size=size,
        sha1=(_text(obj.get("sha1Checksum")) or "").lower() or None,
        sha512=(_text(obj.get("sha512Checksum")) or "").lower() or None,
        access_url=access,
        download_url=download,
    )


def _files(items: list[Any], lookup: Lookup | None, problems: list[str]) -> list[OParlFile]:
    out = []
    for item in items:
        if isinstance(item, str):
            fetched = lookup(item, "File") if lookup else None
            if fetched is None:
                problems.append(f"file {item} could not be fetched; left out")
                continue
            item = fetched
        parsed = parse_file(item, problems)
        if parsed:
            out.append(parsed)
    return out


def _consultation(item: Any, lookup: Lookup | None, problems: list[str]) -> OParlConsultation | None:
    if isinstance(item, str):
        fetched = lookup(item, "Consultation") if lookup else None
        if fetched is None:
            problems.append(f"consultation {item} could not be fetched; left out")
            return None
        item = fetched
    if not isinstance(item, Mapping):
        problems.append(f"a consultation is not an object ({_short(item)}); left out")
        return None
    obj = canonical_keys(item, "Consultation")
    meeting = obj.get("meeting")
    meeting_date = None
    if isinstance(meeting, Mapping):  # embedded meeting (some servers)
        meeting_date = parse_day(meeting.get("start"))
        meeting = meeting.get("id")
    authoritative = obj.get("authoritative")
    return OParlConsultation(
        id=_text(obj.get("id")),
        organizations=_urls(obj.get("organization")),
        role=_text(obj.get("role")),
        authoritative=authoritative if isinstance(authoritative, bool) else None,
        meeting=_text(meeting),
        meeting_date=meeting_date,
    )


def _urls(value: Any) -> tuple[str, ...]:
    """A list of references (URLs, or embedded objects' ids); a single one is accepted too."""
    items = value if isinstance(value, list) else ([] if value in (None, "") else [value])
    out = []
    for item in items:
        text = _text(item.get("id")) if isinstance(item, Mapping) else _text(item)
        if text:
            out.append(text)
    return tuple(dict.fromkeys(out))


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return " ".join(value.split()) or None
    return None


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:39] + "…"


__all__ = [
    "KINDS",
    "InvalidObjectError",
    "OParlConsultation",
    "OParlFile",
    "OParlPaper",
    "canonical_keys",
    "fingerprint",
    "id_tail",
    "object_kind",
    "parse_day",
    "parse_file",
    "parse_moment",
    "parse_paper",
    "spec_version",
]
