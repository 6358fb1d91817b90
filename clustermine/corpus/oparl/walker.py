"""Reading a paginated OParl list (``data`` + ``links.next``) to its end, and never further.

Real servers misbehave here more than anywhere: a ``next`` link that points back to a page already read, the
same page served again under a new URL (page numbers that wrap around), empty pages that keep linking on, a
404 instead of an empty list when a ``modified_since`` window holds nothing. The walk stops at the first sign
of a loop and says why; a page that cannot be read ends the walk as *incomplete*, so the caller knows the list
was not seen to its end (and does not move its "changed since" mark forward).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from clustermine.corpus.oparl.client import HttpError

#: Empty pages in a row after which a list that keeps linking on is taken as ended.
MAX_EMPTY_PAGES = 3

GetJson = Callable[[str, "Mapping[str, str] | None"], "tuple[Any, str]"]


@dataclass
class ListWalk:
    """How far a list was read: pages, items, the total the server announced, and what went wrong."""

    url: str
    since: str | None = None  # the modified_since asked for, if any
    pages: int = 0
    items: int = 0
    total: int | None = None
    complete: bool = False
    failed: bool = False
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def page_key(url: str) -> str:
    """A URL in a canonical form (no fragment, sorted query) so that ``?b=1&a=2`` and ``?a=2&b=1`` meet."""
    parts = urlsplit(url)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def walk_list(
    get_json: GetJson,
    url: str,
    params: Mapping[str, str] | None = None,
    *,
    walk: ListWalk | None = None,
    on_total: Callable[[int], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield the objects of the list at ``url`` page by page; ``walk`` (if given) records how it went.

    ``params`` (e.g. ``modified_since``) go with the first request only: the server must carry them into its
    ``next`` links. Items that are not objects are yielded too, so the caller can report them.
    """
    walk = walk if walk is not None else ListWalk(url)
    visited: set[str] = set()
    seen_pages: set[frozenset[str]] = set()
    empty_run = 0
    next_url: str | None = url
    first = True
    while next_url:
        key = page_key(next_url)
        if key in visited:
            walk.problems.append(f"page {walk.pages + 1} links back to a page already read ({next_url}); "
                                 "stopped there")
            _end_of_loop(walk)
            return
        visited.add(key)
        try:
            page, final_url = get_json(next_url, params if first else None)
        except HttpError as exc:
            if first and params and exc.status == 404:
                walk.problems.append("the server answered 404 for the filtered list; taken as: nothing changed")
                walk.complete = True
                return
            walk.problems.append(f"page {walk.pages + 1} ({next_url}): {exc.message}")
            walk.failed = True
            return
        visited.add(page_key(final_url))
        first = False
        items, links, total = _page_parts(page)
        if items is None:
            walk.problems.append(f"page {walk.pages + 1} ({next_url}) is not an OParl list (no 'data' array)")
            walk.failed = True
            return
        walk.pages += 1
        if walk.total is None and total is not None:
            walk.total = total
            if on_total:
                on_total(total)
        ids = frozenset(str(item.get("id")) for item in items if isinstance(item, Mapping) and item.get("id"))
        if ids and ids in seen_pages:
            walk.problems.append(f"page {walk.pages} repeats an earlier page under a new URL ({next_url}); "
                                 "stopped there")
            _end_of_loop(walk)
            return
        if ids:
            seen_pages.add(ids)
        empty_run = 0 if items else empty_run + 1
        for item in items:
            walk.items += 1
            yield item
        next_url = _next_link(links, final_url, walk)
        if next_url and empty_run >= MAX_EMPTY_PAGES:
            walk.problems.append(f"{empty_run} empty pages in a row that still link on; stopped there")
            next_url = None
    if not walk.failed:
        walk.complete = True


def _end_of_loop(walk: ListWalk) -> None:
    """A loop ends the walk; it is complete unless the server announced more items than were read."""
    if walk.total is not None and walk.items < walk.total:
        walk.problems.append(f"only {walk.items} of the {walk.total} announced items could be read")
        walk.failed = True
    else:
        walk.complete = True


def _page_parts(page: Any) -> tuple[list[Any] | None, Mapping[str, Any], int | None]:
    if isinstance(page, list):  # a bare array: some servers (and dumps) give the data only
        return page, {}, None
    if not isinstance(page, Mapping) or not isinstance(page.get("data"), list):
        return None, {}, None
    links = page.get("links") if isinstance(page.get("links"), Mapping) else {}
    pagination = page.get("pagination") if isinstance(page.get("pagination"), Mapping) else {}
    total = pagination.get("totalElements")
    return page["data"], links, total if isinstance(total, int) and total >= 0 else None


def _next_link(links: Mapping[str, Any], base: str, walk: ListWalk) -> str | None:
    value = links.get("next")
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        walk.problems.append(f"page {walk.pages}: links.next is not a URL ({value!r}); stopped there")
        walk.failed = True
        return None
    target = urljoin(base, value.strip())
    if urlsplit(target).scheme not in ("http", "https"):
        walk.problems.append(f"page {walk.pages}: links.next {value!r} is not a web address; stopped there")
        walk.failed = True
        return None
    return target


__all__ = ["ListWalk", "page_key", "walk_list"]
