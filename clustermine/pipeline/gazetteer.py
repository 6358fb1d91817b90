"""The gazetteers: which regions, clusters, programmes and organisations clustermine knows by name.

The packaged TSV files (``clustermine/data/gazetteers``, described in the README there) are read once per
process, together with any files the user adds, and checked on the way in: a broken row stops the load with the
file, the line and what is wrong, because a silently skipped row would only show up much later as an entity
that is never found. The result is one immutable :class:`Gazetteer` that answers the questions the rest of
clustermine asks: what an id stands for, what lies inside a region (so a search for ``Ruhrgebiet`` can include
Bochum), what a name typed on the command line refers to, and whether the loaded data changed since a corpus
was built (:attr:`Gazetteer.fingerprint`).

User files come in two shapes: the columns of the packaged file of that kind (recognised by the header), or a
simple ``kind<TAB>canonical<TAB>aliases`` table. A simple row whose kind and canonical name match a known entry
adds its aliases to that entry; any other simple row becomes a new entry with the id
``user-<kind>-<slug of the canonical name>``.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import ClustermineError

#: The packaged files, in load order (regions first: the others refer to region ids).
PACKAGED_FILES: tuple[str, ...] = (
    "regions.tsv",
    "region_members.tsv",
    "ambiguous_regions.tsv",
    "programs.tsv",
    "clusters.tsv",
    "orgs.tsv",
)

#: Columns of each packaged file; a user file with one of these headers is read as that kind of file.
COLUMNS: dict[str, tuple[str, ...]] = {
    "regions.tsv": ("id", "canonical", "kind", "parent", "aliases", "key"),
    "region_members.tsv": ("region_id", "member_id"),
    "ambiguous_regions.tsv": ("canonical", "reason"),
    "programs.tsv": (
        "id", "canonical", "level", "aliases", "valid_from", "valid_to", "predecessor", "successor", "note",
    ),
    "clusters.tsv": ("id", "canonical", "kind", "aliases", "region", "valid_from", "valid_to", "note"),
    "orgs.tsv": ("id", "canonical", "kind", "aliases", "region"),
}
#: Columns of the simple user format.
SIMPLE_COLUMNS: tuple[str, ...] = ("kind", "canonical", "aliases")

#: Entity kind of the entries in each file with entries.
FILE_KINDS: dict[str, str] = {
    "regions.tsv": "REGION",
    "programs.tsv": "PROGRAM",
    "clusters.tsv": "CLUSTER",
    "orgs.tsv": "ORG",
}
#: Allowed values of the sub-kind column per entity kind.
SUBKINDS: dict[str, frozenset[str]] = {
    "REGION": frozenset({"land", "bezirk", "kreis", "city", "region"}),
    "PROGRAM": frozenset({"eu", "federal", "land", "regional"}),
    "CLUSTER": frozenset({"field", "landescluster", "kompetenzfeld_ruhr", "leitmarkt", "initiative"}),
    "ORG": frozenset({"institute", "agency", "chamber", "ministry", "company", "association", "university", "body"}),
}
#: Sub-kind given to entries from simple user files.
USER_SUBKIND: dict[str, str] = {"REGION": "region", "PROGRAM": "regional", "CLUSTER": "initiative", "ORG": "body"}

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "’": "'", "–": "-", "—": "-"})


class GazetteerError(ClustermineError, ValueError):
    """A gazetteer file that cannot be used: missing, not UTF-8, wrong columns or rows that contradict others."""


@dataclass(frozen=True)
class GazetteerEntry:
    """One named thing: a region, a cluster (theme or initiative), a funding programme or an organisation.

    ``kind`` is the entity kind (``REGION``, ``CLUSTER``, ``PROGRAM``, ``ORG``); ``subkind`` the finer kind from
    the file (``land``/``bezirk``/``kreis``/``city``/``region`` for regions, the level ``eu``/``federal``/...
    for programmes, ``field``/``initiative``/... for clusters, ``chamber``/``ministry``/... for
    organisations). ``parent`` is the enclosing region for regions and the seat or area (a region id) for
    clusters and organisations. ``key`` is the official key of a region (Land, Bezirk, Kreis or Gemeinde
    key) where one exists.
    """

    id: str
    kind: str
    canonical: str
    subkind: str = ""
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    valid_from: int | None = None
    valid_to: int | None = None
    predecessor: str | None = None
    successor: str | None = None
    key: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by the aliases."""
        return (self.canonical, *self.aliases)

    def valid_in(self, year: int) -> bool:
        """Whether the entry existed in ``year`` (open ends count as valid)."""
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)


def fold(text: str) -> str:
    """Lower-case, umlauts and ß spelled out, dashes unified and spaces collapsed: ``Förderung`` == ``FOERDERUNG``.

    This is the comparison :meth:`Gazetteer.find` uses; entity matching adds stemming on top (see entities).
    """
    text = unicodedata.normalize("NFC", text).lower().translate(_FOLD)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(text.replace("-", " ").replace("/", " ").split())


def bare_name(name: str) -> str:
    """A name without its trailing qualifier: ``Oldenburg (Oldb)`` -> ``Oldenburg``, ``Neunkirchen (Saar)``."""
    return _QUALIFIER.sub("", name).strip()


def slug(text: str) -> str:
    """An ASCII id fragment for a name: ``Kreis Düren`` -> ``kreis-dueren``."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(text))) or "x"


# --------------------------------------------------------------------------------------------- reading files


@dataclass(frozen=True)
class _Row:
    source: str  # file name as shown in messages
    line: int
    values: dict[str, str]

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"


@dataclass(frozen=True)
class _Table:
    source: str
    layout: str  # a key of COLUMNS, or "simple"
    rows: tuple[_Row, ...]
    digest: bytes


def _parse_table(data: bytes, source: str, *, expected: str | None = None) -> _Table:
    """Split one TSV file into rows keyed by its header; ``expected`` forces the layout of a packaged file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GazetteerError(
            f"{source}: not UTF-8 (byte {exc.start})", hint="save the file as UTF-8 text"
        ) from None
    lines = text.splitlines()
    i = 0
    while i < len(lines) and (lines[i].startswith("#") or not lines[i].strip()):
        i += 1
    if i == len(lines):
        raise GazetteerError(f"{source}: no header line", hint=_layout_hint())
    header = tuple(col.strip() for col in lines[i].split("\t"))
    layout = _layout_of(header)
    if layout is None or (expected is not None and layout != expected):
        wanted = COLUMNS[expected] if expected else None
        raise GazetteerError(
            f"{source}:{i + 1}: header must be "
            + ("\t".join(wanted) if wanted else "the columns of a packaged gazetteer or 'kind canonical aliases'")
            + f". Got {list(header)} instead.",
            hint=_layout_hint(),
        )
    columns = COLUMNS.get(layout, SIMPLE_COLUMNS)
    rows: list[_Row] = []
    errors: list[str] = []
    for lineno, line in enumerate(lines[i + 1 :], start=i + 2):
        if not line.strip():
            continue
        if line.startswith("#"):
            errors.append(f"{source}:{lineno}: comment lines are only allowed above the header")
            continue
        fields_ = line.split("\t")
        if len(fields_) != len(columns):
            errors.append(
                f"{source}:{lineno}: expected {len(columns)} tab-separated fields ({', '.join(columns)}), "
                f"got {len(fields_)}"
            )
            continue
        rows.append(_Row(source, lineno, {c: v.strip() for c, v in zip(columns, fields_, strict=True)}))
    _raise_all(errors)
    return _Table(source, layout, tuple(rows), hashlib.sha256(data).digest())


def _layout_of(header: tuple[str, ...]) -> str | None:
    for name, columns in COLUMNS.items():
        if header == columns:
            return name
    if tuple(h.lower() for h in header) == SIMPLE_COLUMNS:
        return "simple"
    return None


def _layout_hint() -> str:
    return "use the header of the packaged file of that kind, or 'kind<TAB>canonical<TAB>aliases'"


def _raise_all(errors: list[str]) -> None:
    if not errors:
        return
    shown = errors[:10]
    more = f"\n... and {len(errors) - len(shown)} more" if len(errors) > len(shown) else ""
    raise GazetteerError("\n".join(shown) + more, hint="fix the rows named above and load again")


def _packaged_table(name: str) -> _Table:
    data = resources.files("clustermine.data.gazetteers").joinpath(name).read_bytes()
    return _parse_table(data, name, expected=name)


def _user_table(path: Path) -> _Table:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise GazetteerError(f"gazetteer file {str(path)!r} does not exist", hint="check the path") from None
    except OSError as exc:
        raise GazetteerError(f"gazetteer file {str(path)!r} cannot be read: {exc.strerror}") from None
    return _parse_table(data, str(path))


# --------------------------------------------------------------------------------------- building the entries


def _year(row: _Row, column: str, errors: list[str]) -> int | None:
    value = row.values.get(column, "")
    if not value:
        return None
    if not _YEAR.match(value):
        errors.append(f"{row.where}: {column} must be a four-digit year or empty. Got {value!r} instead.")
        return None
    return int(value)


def _aliases(row: _Row, errors: list[str]) -> tuple[str, ...]:
    raw = row.values.get("aliases", "")
    if not raw:
        return ()
    aliases = tuple(a.strip() for a in raw.split("|"))
    if any(not a for a in aliases):
        errors.append(f"{row.where}: empty alias in {raw!r} (two '|' in a row or a '|' at an end)")
    return tuple(dict.fromkeys(a for a in aliases if a and a != row.values["canonical"]))


def _entry_from_row(row: _Row, layout: str, errors: list[str]) -> GazetteerEntry | None:
    values = row.values
    kind = FILE_KINDS[layout]
    subkind_column = "level" if layout == "programs.tsv" else "kind"
    entry_id, canonical, subkind = values["id"], values["canonical"], values[subkind_column]
    bad = len(errors)
    if not _ID.match(entry_id):
        errors.append(f"{row.where}: id must be a lower-case ASCII slug like 'ks-05158'. Got {entry_id!r} instead.")
    if not canonical:
        errors.append(f"{row.where}: canonical name is empty")
    if subkind not in SUBKINDS[kind]:
        allowed = ", ".join(sorted(SUBKINDS[kind]))
        errors.append(f"{row.where}: {subkind_column} must be one of {allowed}. Got {subkind!r} instead.")
    valid_from, valid_to = _year(row, "valid_from", errors), _year(row, "valid_to", errors)
    if valid_from and valid_to and valid_from > valid_to:
        errors.append(f"{row.where}: valid_from {valid_from} is after valid_to {valid_to}")
    aliases = _aliases(row, errors)
    if len(errors) > bad:
        return None
    return GazetteerEntry(
        id=entry_id,
        kind=kind,
        canonical=canonical,
        subkind=subkind,
        parent=values.get("parent") or values.get("region") or None,
        aliases=aliases,
        valid_from=valid_from,
        valid_to=valid_to,
        predecessor=values.get("predecessor") or None,
        successor=values.get("successor") or None,
        key=values.get("key") or None,
    )


@dataclass
class _Builder:
    """Collects rows from all files, then checks references once everything is read."""

    entries: dict[str, GazetteerEntry] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)  # id -> where it was defined
    members: list[tuple[_Row, str, str]] = field(default_factory=list)
    ambiguous: list[tuple[_Row, str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add_table(self, table: _Table) -> None:
        for row in table.rows:
            if table.layout == "region_members.tsv":
                self.members.append((row, row.values["region_id"], row.values["member_id"]))
            elif table.layout == "ambiguous_regions.tsv":
                self.ambiguous.append((row, row.values["canonical"], row.values["reason"]))
            elif table.layout == "simple":
                self.add_simple(row)
            else:
                entry = _entry_from_row(row, table.layout, self.errors)
                if entry is not None:
                    self.add_entry(entry, row.where)

    def add_entry(self, entry: GazetteerEntry, where: str) -> None:
        if entry.id in self.entries:
            self.errors.append(
                f"{where}: id {entry.id!r} is already used at {self.origin[entry.id]}; ids must be unique across all "
                "gazetteer files (to add aliases to a known entry, use a 'kind canonical aliases' file)"
            )
            return
        self.entries[entry.id] = entry
        self.origin[entry.id] = where

    def add_simple(self, row: _Row) -> None:
        kind = row.values["kind"].upper()
        canonical = row.values["canonical"]
        if kind not in FILE_KINDS.values():
            self.errors.append(
                f"{row.where}: kind must be one of REGION, CLUSTER, PROGRAM, ORG. Got {row.values['kind']!r} instead."
            )
            return
        if not canonical:
            self.errors.append(f"{row.where}: canonical name is empty")
            return
        aliases = _aliases(row, self.errors)
        known = next(
            (e for e in self.entries.values() if e.kind == kind and fold(e.canonical) == fold(canonical)), None
        )
        if known is not None:
            merged = tuple(dict.fromkeys((*known.aliases, *(a for a in aliases if a != known.canonical))))
            self.entries[known.id] = replace(known, aliases=merged)
            return
        base = f"user-{kind.lower()}-{slug(canonical)}"
        entry_id, n = base, 2
        while entry_id in self.entries:
            entry_id, n = f"{base}-{n}", n + 1
        self.add_entry(
            GazetteerEntry(id=entry_id, kind=kind, canonical=canonical, subkind=USER_SUBKIND[kind], aliases=aliases),
            row.where,
        )

    def check_references(self) -> None:
        for entry_id, entry in self.entries.items():
            where = self.origin[entry_id]
            if entry.parent and entry.parent not in self.entries:
                self.errors.append(f"{where}: {'parent' if entry.kind == 'REGION' else 'region'} {entry.parent!r} "
                                   "is not a region id")
            elif entry.parent and self.entries[entry.parent].kind != "REGION":
                self.errors.append(f"{where}: {entry.parent!r} is a {self.entries[entry.parent].kind}, not a region")
            for column in ("predecessor", "successor"):
                other = getattr(entry, column)
                if other and (other not in self.entries or self.entries[other].kind != "PROGRAM"):
                    self.errors.append(f"{where}: {column} {other!r} is not a programme id")
        for row, region_id, member_id in self.members:
            for column, value in (("region_id", region_id), ("member_id", member_id)):
                if value not in self.entries or self.entries[value].kind != "REGION":
                    self.errors.append(f"{row.where}: {column} {value!r} is not a region id")
        region_names = {e.canonical for e in self.entries.values() if e.kind == "REGION"}
        for row, canonical, _reason in self.ambiguous:
            if canonical not in region_names:
                self.errors.append(f"{row.where}: {canonical!r} is not the canonical name of a region")


# ---------------------------------------------------------------------------------------------- the gazetteer


class Gazetteer:
    """All loaded entries with the region hierarchy, programme lineages and a name index.

    Build it with :func:`load_gazetteer`. ``ambiguous`` maps region ids to the reason their short name needs
    supporting context (from ``ambiguous_regions.tsv``).
    """

    def __init__(
        self,
        entries: Iterable[GazetteerEntry],
        *,
        members: Iterable[tuple[str, str]] = (),
        ambiguous: Mapping[str, str] | None = None,
        fingerprint: str = "",
        files: Sequence[str] = (),
    ) -> None:
        self.entries: tuple[GazetteerEntry, ...] = tuple(entries)
        self.ambiguous: Mapping[str, str] = dict(ambiguous or {})
        self.fingerprint = fingerprint
        self.files: tuple[str, ...] = tuple(files)
        self._by_id = {e.id: e for e in self.entries}
        self._children: dict[str, list[str]] = defaultdict(list)
        self._members: dict[str, list[str]] = defaultdict(list)
        self._member_of: dict[str, list[str]] = defaultdict(list)
        for e in self.entries:
            if e.kind == "REGION" and e.parent:
                self._children[e.parent].append(e.id)
        for region_id, member_id in members:
            self._members[region_id].append(member_id)
            self._member_of[member_id].append(region_id)
        self._names: dict[str, list[str]] = defaultdict(list)
        for e in self.entries:
            for name in dict.fromkeys((*e.names, *(bare_name(n) for n in e.names))):
                if e.id not in self._names[fold(name)]:
                    self._names[fold(name)].append(e.id)

    # -- lookups ----------------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id

    def __getitem__(self, entry_id: str) -> GazetteerEntry:
        try:
            return self._by_id[entry_id]
        except KeyError:
            raise KeyError(f"no gazetteer entry with id {entry_id!r}") from None

    def get(self, entry_id: str) -> GazetteerEntry | None:
        """The entry with this id, or None."""
        return self._by_id.get(entry_id)

    def of_kind(self, kind: str) -> tuple[GazetteerEntry, ...]:
        """All entries of one entity kind, in file order."""
        return tuple(e for e in self.entries if e.kind == kind)

    def members(self, region_id: str) -> tuple[str, ...]:
        """The Kreise and kreisfreie Städte listed for a named region (``rg-...``)."""
        return tuple(self._members.get(region_id, ()))

    # -- hierarchy --------------------------------------------------------------------------------------------

    def ancestors(self, entry_id: str) -> tuple[str, ...]:
        """Ids of everything a region lies in, nearest first: Gemeinde -> Kreis -> Bezirk -> Land, then the
        named regions (Ruhrgebiet, Bergisches Land, ...) that list the Kreis, and their own ancestors.

        For a cluster or organisation these are its seat region and that region's ancestors.
        """
        entry = self._by_id.get(entry_id)
        if entry is None:
            return ()
        chain: list[str] = []
        queue: deque[str] = deque()
        if entry.kind == "REGION":
            queue.append(entry_id)
        elif entry.parent:
            chain.append(entry.parent)
            queue.append(entry.parent)
        seen = {entry_id, *chain}
        while queue:
            current = queue.popleft()
            parent = self._by_id[current].parent if current in self._by_id else None
            nexts = ([parent] if parent else []) + self._member_of.get(current, [])
            for nxt in nexts:
                if nxt not in seen:
                    seen.add(nxt)
                    chain.append(nxt)
                    queue.append(nxt)
        # put the administrative chain first, named regions after it
        admin = [i for i in chain if self._by_id[i].subkind != "region"]
        named = [i for i in chain if self._by_id[i].subkind == "region"]
        return tuple(admin + named)

    def descendants(self, entry_id: str) -> tuple[str, ...]:
        """Ids of everything inside a region: Bezirke, Kreise, Gemeinden, named regions of a Land, and for a
        named region its member Kreise with their Gemeinden. Breadth first, without the region itself."""
        out: list[str] = []
        seen = {entry_id}
        queue: deque[str] = deque([entry_id])
        while queue:
            current = queue.popleft()
            for nxt in (*self._children.get(current, ()), *self._members.get(current, ())):
                if nxt not in seen:
                    seen.add(nxt)
                    out.append(nxt)
                    queue.append(nxt)
        return tuple(out)

    def within(self, entry_id: str, region_id: str) -> bool:
        """Whether ``entry_id`` is ``region_id`` or lies inside it."""
        return entry_id == region_id or region_id in self.ancestors(entry_id)

    def lineage(self, program_id: str) -> tuple[str, ...]:
        """A programme with all predecessors and successors, oldest first (Ziel 2 -> Ziel RWB -> Ziel IWB)."""
        if program_id not in self._by_id:
            return ()
        back: list[str] = []
        current = self._by_id[program_id].predecessor
        while current and current in self._by_id and current not in back and current != program_id:
            back.append(current)
            current = self._by_id[current].predecessor
        forward: list[str] = []
        current = self._by_id[program_id].successor
        while current and current in self._by_id and current not in forward and current != program_id:
            forward.append(current)
            current = self._by_id[current].successor
        return (*reversed(back), program_id, *forward)

    # -- names ------------------------------------------------------------------------------------------------

    def find(self, name: str, kind: str | None = None) -> tuple[GazetteerEntry, ...]:
        """Entries called ``name`` (canonical, alias or the name without its qualifier, "Oldenburg" for
        "Oldenburg (Oldb)"), ignoring case, umlaut spelling and hyphens; ``kind`` limits the entity kind.

        Exact matches come first, then the names with a designator added or dropped: "Mettmann" finds the
        town and then "Kreis Mettmann", "Kreis Mettmann" finds the Kreis and then the town. Use it for filters
        typed by users such as ``region:Mettmann``; the caller decides whether to take the first or all.
        """
        wanted = kind.upper() if kind else None
        key = fold(name)
        ids = list(self._names.get(key, ()))
        for designator in ("kreis", "landkreis", "stadt", "region", "regierungsbezirk"):
            for candidate in (f"{designator} {key}", key.removeprefix(f"{designator} ")):
                for entry_id in self._names.get(candidate, ()):
                    if entry_id not in ids:
                        ids.append(entry_id)
        found = [self._by_id[i] for i in ids]
        return tuple(e for e in found if wanted is None or e.kind == wanted)


# ------------------------------------------------------------------------------------------------- loading


def load_gazetteer(extra_files: Sequence[Path | str] = ()) -> Gazetteer:
    """The packaged gazetteers plus ``extra_files`` (user TSVs), validated; cached per process.

    The cache key includes each user file's size and modification time, so an edited file is read again.
    Raises :class:`GazetteerError` naming the file, line and problem when a file cannot be used.
    """
    stamps = []
    for item in extra_files:
        path = Path(item).expanduser()
        try:
            stat = path.stat()
            stamps.append((str(path.resolve()), stat.st_mtime_ns, stat.st_size))
        except OSError:
            stamps.append((str(path), -1, -1))
    return _load(tuple(stamps))


@lru_cache(maxsize=16)
def _load(stamps: tuple[tuple[str, int, int], ...]) -> Gazetteer:
    tables = [_packaged_table(name) for name in PACKAGED_FILES]
    tables += [_user_table(Path(path)) for path, _, _ in stamps]
    builder = _Builder()
    for table in tables:
        builder.add_table(table)
    _raise_all(builder.errors)
    builder.check_references()
    _raise_all(builder.errors)
    by_canonical: dict[str, list[str]] = defaultdict(list)
    for e in builder.entries.values():
        if e.kind == "REGION":
            by_canonical[e.canonical].append(e.id)
    ambiguous = {rid: reason for _, canonical, reason in builder.ambiguous for rid in by_canonical[canonical]}
    digest = hashlib.sha256()
    for table in tables:
        digest.update(os.path.basename(table.source).encode("utf-8") + b"\0" + table.digest)
    return Gazetteer(
        builder.entries.values(),
        members=[(region_id, member_id) for _, region_id, member_id in builder.members],
        ambiguous=ambiguous,
        fingerprint=digest.hexdigest()[:16],
        files=[t.source for t in tables],
    )


__all__ = [
    "COLUMNS",
    "PACKAGED_FILES",
    "SIMPLE_COLUMNS",
    "Gazetteer",
    "GazetteerEntry",
    "GazetteerError",
    "bare_name",
    "fold",
    "load_gazetteer",
    "slug",
]
