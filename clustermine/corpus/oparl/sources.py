"""Where OParl objects come from: a live server (through the polite client and the cache) or a dump on disk.

Both answer the same few questions the importer asks: which bodies are there, which papers does a body have
(since when), what is the object behind this URL (an organisation, a meeting), and where are the bytes of this
file. A server is asked once per run for each referenced object and never again for what the cache holds; a
dump is read from disk only, so ``import-oparl`` on a folder works without a network.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clustermine.corpus.oparl.cache import RawCache
from clustermine.corpus.oparl.client import HttpClient, HttpError
from clustermine.corpus.oparl.objects import OParlFile, id_tail, object_kind, parse_moment
from clustermine.corpus.oparl.walker import ListWalk, walk_list
from clustermine.corpus.readers import MAX_FILE_BYTES
from clustermine.errors import ClustermineError


class FileUnavailable(ClustermineError):
    """A file that cannot be had: no URL to fetch it from, or not in an offline dump."""

    def __init__(self, message: str, hint: str | None = None, *, missing: bool = False) -> None:
        super().__init__(message, hint)
        self.missing = missing


@dataclass
class Body:
    """A body (Körperschaft) to import from; ``papers_url`` is its paper list on a server."""

    id: str | None
    name: str | None
    papers_url: str | None = None
    short_name: str | None = None
    single_paper: dict[str, Any] | None = None

    @property
    def label(self) -> str:
        return self.name or self.short_name or self.id or "(papers without a body)"


@dataclass
class Fetched:
    """A file's bytes on disk and whether they were downloaded now (else they were there already)."""

    path: Path
    downloaded: bool


@dataclass
class SourceBase:
    """What both kinds of source share: notes for the user, and a memo of looked-up objects."""

    notes: list[str] = field(default_factory=list)
    _memo: dict[tuple[str, str], dict[str, Any] | None] = field(default_factory=dict)

    offline = False

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def select_bodies(bodies: list[Body], selector: str | None) -> list[Body]:
    """The bodies ``--body`` names: by id, the id's last part, short name or name (case ignored)."""
    if not selector:
        return bodies
    wanted = selector.strip().casefold()
    for test in (
        lambda b: (b.id or "").casefold() == wanted,
        lambda b: b.id is not None and id_tail(b.id).casefold() == wanted,
        lambda b: (b.short_name or "").casefold() == wanted or (b.name or "").casefold() == wanted,
        lambda b: wanted in (b.name or "").casefold() or wanted in (b.short_name or "").casefold(),
    ):
        found = [b for b in bodies if test(b)]
        if found:
            return found
    listing = "; ".join(f"{b.label} ({b.id})" for b in bodies[:20]) or "none"
    raise ClustermineError(f"no body matches --body {selector!r}", hint=f"the source has: {listing}")


# -- a live server ---------------------------------------------------------------------------------------------


@dataclass
class ServerSource(SourceBase):
    """An OParl server, starting from a System, Body, body list, paper list or single Paper URL."""

    url: str = ""
    client: HttpClient | None = None
    cache: RawCache | None = None

    def _get(self, url: str, params: Mapping[str, str] | None = None) -> tuple[Any, str]:
        assert self.client is not None
        return self.client.get_json(url, params)

    def bodies(self, selector: str | None) -> list[Body]:
        """Find the bodies behind the start URL (raises :class:`HttpError` when it cannot be read)."""
        start, final = self._get(self.url)
        if isinstance(start, Mapping) and isinstance(start.get("data"), list):
            first = next((i for i in start["data"] if isinstance(i, Mapping)), {})
            if object_kind(first) == "Paper":
                return select_bodies([Body(None, None, papers_url=self.url)], None)
            return select_bodies(self._body_list(self.url), selector)
        if not isinstance(start, Mapping):
            raise ClustermineError(f"{self.url} does not answer with an OParl object",
                                   hint="give the system URL of the OParl API (…/oparl/v1/system)")
        kind = object_kind(start)
        self._remember(start, kind)
        if kind == "System":
            bodies_url = start.get("body")
            if not isinstance(bodies_url, str):
                raise ClustermineError("the OParl system names no body list", hint="give a body's URL instead")
            return select_bodies(self._body_list(bodies_url), selector)
        if kind == "Body":
            return select_bodies([self._body(start)], selector)
        if kind == "Paper":
            return [Body(None, None, single_paper=dict(start))]
        raise ClustermineError(
            f"{self.url} is {('an OParl ' + kind) if kind else 'not an OParl object'}, not a System, Body or list",
            hint="give the URL of the OParl system, of a body, or of a body's paper list",
        )

    def _body_list(self, url: str) -> list[Body]:
        walk = ListWalk(url)
        bodies = []
        for item in walk_list(self._get, url, walk=walk):
            if isinstance(item, Mapping) and object_kind(item) in ("Body", None) and item.get("id"):
                self._remember(item, "Body")
                bodies.append(self._body(item))
        for problem in walk.problems:
            self.note(f"body list {url}: {problem}")
        if not bodies:
            raise ClustermineError(f"the OParl body list {url} holds no bodies",
                                   hint="check the URL, or give a body's URL directly")
        return bodies

    def _body(self, obj: Mapping[str, Any]) -> Body:
        papers = obj.get("paper")
        if not isinstance(papers, str):
            self.note(f"body {obj.get('name') or obj.get('id')} names no paper list; nothing to import from it")
            papers = None
        return Body(str(obj.get("id")), _name(obj), papers_url=papers, short_name=_str(obj.get("shortName")))

    def papers(self, body: Body, params: Mapping[str, str] | None, walk: ListWalk,
               on_total: Callable[[int], None] | None = None) -> Iterator[Any]:
        """The raw papers of ``body``, page by page."""
        if body.single_paper is not None:
            walk.complete = True
            yield body.single_paper
            return
        if not body.papers_url:
            walk.complete = True
            return
        yield from walk_list(self._get, body.papers_url, params, walk=walk, on_total=on_total)

    def lookup(self, url: str, kind: str) -> dict[str, Any] | None:
        """The object at ``url``: from this run's memo, the cache, or (once) the server."""
        key = (url, kind)
        if key in self._memo:
            return self._memo[key]
        found = self.cache.get(url, kind) if self.cache else None
        if found is None:
            try:
                data, _ = self._get(url)
            except HttpError as exc:
                self.note(f"{kind} {url}: {exc.message}")
                data = None
            if isinstance(data, Mapping) and data.get("id"):
                found = dict(data)
                self._remember(found, kind)
            elif data is not None:
                self.note(f"{kind} {url}: the answer is not an OParl object")
        self._memo[key] = found
        return found

    def remember(self, obj: Mapping[str, Any], kind: str) -> None:
        self._remember(obj, kind)

    def _remember(self, obj: Mapping[str, Any], kind: str | None) -> None:
        if self.cache is not None and kind:
            self.cache.put(dict(obj), kind)

    def fetch_file(self, file: OParlFile) -> Fetched:
        """The file's bytes on disk: reused from the cache, else downloaded (raises HttpError/FileUnavailable)."""
        assert self.client is not None and self.cache is not None
        target = self.cache.file_path(file)
        if target.is_file():
            return Fetched(target, downloaded=False)
        urls = list(dict.fromkeys(u for u in (file.download_url, file.access_url) if u))
        if not urls:
            raise FileUnavailable("the file has no accessUrl or downloadUrl",
                                  hint="the server lists the file without saying where it is; nothing to do")
        gone: HttpError | None = None
        for url in urls:  # downloadUrl first; when it is gone, accessUrl may still work
            try:
                self.client.download(url, target, max_bytes=MAX_FILE_BYTES)
                return Fetched(target, downloaded=True)
            except HttpError as exc:
                if exc.status not in (404, 410):
                    raise
                gone = exc
        assert gone is not None
        raise gone


# -- a dump on disk --------------------------------------------------------------------------------------------


@dataclass
class DumpSource(SourceBase):
    """OParl objects in a JSON file or a folder of them (single objects, list pages, arrays, JSON Lines)."""

    path: Path = Path(".")
    _objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    _papers: dict[str, dict[str, Any]] = field(default_factory=dict)
    _files: dict[str, list[Path]] = field(default_factory=dict)

    offline = True

    def load(self) -> DumpSource:
        """Read every JSON file (raises ClustermineError when there is nothing OParl in it)."""
        if not self.path.exists():
            raise ClustermineError(f"{self.path} does not exist",
                                   hint="give an OParl URL (http…) or a folder or file of OParl JSON")
        json_files = [self.path] if self.path.is_file() else sorted(
            p for p in self.path.rglob("*") if p.suffix.lower() in (".json", ".jsonl") and _visible(p, self.path)
        )
        for file in json_files:
            for obj in _read_json_objects(file, self.note):
                self._index(obj, top=True)
        if not self._papers:
            raise ClustermineError(f"no OParl Paper objects found in {self.path}",
                                   hint="the dump must hold OParl objects with \"type\": \"…/Paper\"")
        root = self.path if self.path.is_dir() else self.path.parent
        folders = [root]
        if root.name != "files" and (root.parent / "files").is_dir():  # papers/ beside files/ (a common layout)
            folders.append(root.parent / "files")
        for folder in folders:
            for item in folder.rglob("*"):
                if item.suffix.lower() not in (".json", ".jsonl") and item.is_file() and _visible(item, folder):
                    self._files.setdefault(item.name.casefold(), []).append(item)
                    self._files.setdefault(item.stem.casefold(), []).append(item)
        return self

    def _index(self, obj: Any, *, top: bool) -> None:
        if isinstance(obj, list):
            for item in obj:
                self._index(item, top=top)
            return
        if not isinstance(obj, Mapping):
            return
        if isinstance(obj.get("data"), list) and "type" not in obj:  # a list page
            self._index(obj["data"], top=top)
            return
        kind = object_kind(obj)
        object_id = obj.get("id")
        if kind and isinstance(object_id, str):
            self._objects.setdefault(object_id, dict(obj))
            if kind == "Paper":
                known = self._papers.get(object_id)
                if known is None or _newer(obj, known):
                    self._papers[object_id] = dict(obj)
        elif top and isinstance(object_id, str) and obj.get("type") is None and (
            "paperType" in obj or "reference" in obj
        ):
            self._papers.setdefault(object_id, dict(obj))  # a paper without its type: parse_paper reports it
        for value in obj.values():
            if isinstance(value, (Mapping, list)):
                self._index(value, top=False)

    def bodies(self, selector: str | None) -> list[Body]:
        found = {oid: o for oid, o in self._objects.items() if object_kind(o) == "Body"}
        bodies = [Body(oid, _name(o), short_name=_str(o.get("shortName"))) for oid, o in found.items()]
        referenced = {_str(p.get("body")) for p in self._papers.values()}
        bodies += [Body(b, None) for b in sorted(r for r in referenced if r and r not in found)]
        if None in referenced or "" in referenced:
            bodies.append(Body(None, None))
        return select_bodies(bodies, selector)

    def papers(self, body: Body, params: Mapping[str, str] | None, walk: ListWalk,
               on_total: Callable[[int], None] | None = None) -> Iterator[Any]:
        mine = [p for p in self._papers.values() if (_str(p.get("body")) or None) == body.id]
        walk.total = len(mine)
        if on_total:
            on_total(len(mine))
        for paper in mine:
            walk.items += 1
            yield paper
        walk.pages = 1
        walk.complete = True

    def lookup(self, url: str, kind: str) -> dict[str, Any] | None:
        found = self._objects.get(url)
        return found if found is not None and object_kind(found) in (kind, None) else None

    def remember(self, obj: Mapping[str, Any], kind: str) -> None:
        """A dump is already on disk: nothing to keep."""

    def fetch_file(self, file: OParlFile) -> Fetched:
        """The file from the dump's folder (by cache name, id or file name); offline, nothing is downloaded."""
        keys = [file.version(), id_tail(file.id), file.file_name or "", Path(file.file_name or "").stem]
        for key in keys:
            matches = self._files.get(key.casefold()) if key else None
            if matches:
                return Fetched(matches[0], downloaded=False)
        raise FileUnavailable("the file is not in the dump", missing=True,
                              hint="import from the server's URL to download it, or put it beside the dump")


def _read_json_objects(path: Path, note: Callable[[str], None]) -> list[Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        note(f"{path}: cannot be read ({exc}); skipped")
        return []
    try:
        return [json.loads(text)]
    except json.JSONDecodeError:
        pass
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                note(f"{path}: line {n} is not JSON; skipped")
    return out


def _visible(path: Path, root: Path) -> bool:
    return not any(part.startswith(".") for part in path.relative_to(root).parts)


def _newer(candidate: Mapping[str, Any], known: Mapping[str, Any]) -> bool:
    new, old = parse_moment(candidate.get("modified")), parse_moment(known.get("modified"))
    return bool(new and (old is None or new > old))


def _name(obj: Mapping[str, Any]) -> str | None:
    return _str(obj.get("name")) or _str(obj.get("shortName"))


def _str(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


__all__ = ["Body", "DumpSource", "Fetched", "FileUnavailable", "ServerSource", "select_bodies"]
