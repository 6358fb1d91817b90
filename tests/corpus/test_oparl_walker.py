"""Pagination: to the end of the list and never further, whatever the server's links do."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clustermine.corpus.oparl.client import HttpError
from clustermine.corpus.oparl.walker import ListWalk, page_key, walk_list

BASE = "https://ris.example.org/papers"


def server(pages: dict[str, Any]):
    """A get_json over canned pages; a page that is an exception is raised."""
    asked: list[tuple[str, Mapping[str, str] | None]] = []

    def get_json(url: str, params: Mapping[str, str] | None) -> tuple[Any, str]:
        asked.append((url, params))
        page = pages[url]
        if isinstance(page, Exception):
            raise page
        return page, url

    return get_json, asked


def page(ids: list[int], next_url: str | None = None, total: int | None = None) -> dict[str, Any]:
    data = {"data": [{"id": f"p{i}"} for i in ids], "links": {"next": next_url} if next_url else {}}
    if total is not None:
        data["pagination"] = {"totalElements": total}
    return data


def walk(pages: dict[str, Any], params: Mapping[str, str] | None = None) -> tuple[list[str], ListWalk, list]:
    get_json, asked = server(pages)
    record = ListWalk(BASE)
    totals: list[int] = []
    items = list(walk_list(get_json, BASE, params, walk=record, on_total=totals.append))
    ids = [item["id"] if isinstance(item, dict) else item for item in items]
    assert totals == ([record.total] if record.total is not None else [])
    return ids, record, asked


def test_pages_in_order_with_filters_on_the_first_request_only() -> None:
    ids, record, asked = walk({
        BASE: page([1, 2], f"{BASE}?page=2", total=5),
        f"{BASE}?page=2": page([3, 4], "?page=3"),  # relative next link
        f"{BASE}?page=3": page([5]),
    }, params={"modified_since": "2024-01-01T00:00:00+00:00"})
    assert ids == ["p1", "p2", "p3", "p4", "p5"]
    assert record.complete and not record.failed and record.pages == 3 and record.total == 5
    assert asked[0][1] == {"modified_since": "2024-01-01T00:00:00+00:00"} and asked[1][1] is None


def test_a_next_link_back_to_a_read_page_stops_the_walk() -> None:
    ids, record, _ = walk({BASE: page([1], f"{BASE}?page=2"), f"{BASE}?page=2": page([2], BASE + "#top")})
    assert ids == ["p1", "p2"] and record.complete and "links back to a page already read" in record.problems[0]


def test_the_same_page_under_a_new_url_stops_the_walk() -> None:
    ids, record, _ = walk({
        BASE: page([1, 2], f"{BASE}?page=2"),
        f"{BASE}?page=2": page([3], f"{BASE}?page=1&sort=id"),
        f"{BASE}?page=1&sort=id": page([1, 2], f"{BASE}?page=2&sort=id"),
    })
    assert ids == ["p1", "p2", "p3"]  # the repeated page is not yielded again
    assert record.complete and "repeats an earlier page" in record.problems[0]


def test_a_loop_before_the_announced_total_is_incomplete() -> None:
    _, record, _ = walk({BASE: page([1, 2], f"{BASE}?page=2", total=10), f"{BASE}?page=2": page([1, 2], "x")})
    assert record.failed and not record.complete and "only 2 of the 10" in record.problems[-1]


def test_404_for_a_filtered_window_means_nothing_changed() -> None:
    ids, record, _ = walk({BASE: HttpError("not found (HTTP 404)", url=BASE, status=404)},
                          params={"modified_since": "2030-01-01T00:00:00+00:00"})
    assert ids == [] and record.complete and not record.failed and "404" in record.problems[0]


def test_404_without_a_filter_and_broken_pages_fail_the_walk() -> None:
    ids, record, _ = walk({BASE: HttpError("not found (HTTP 404)", url=BASE, status=404)})
    assert ids == [] and record.failed and not record.complete
    ids, record, _ = walk({BASE: page([1], f"{BASE}?page=2"),
                           f"{BASE}?page=2": HttpError("the server failed (HTTP 500)", url="x", status=500)})
    assert ids == ["p1"] and record.failed and "page 2" in record.problems[0]
    ids, record, _ = walk({BASE: {"kein": "OParl"}})
    assert ids == [] and record.failed and "not an OParl list" in record.problems[0]


def test_bad_next_links_fail_the_walk() -> None:
    for bad in (42, "mailto:rat@example.org"):
        ids, record, _ = walk({BASE: {"data": [{"id": "p1"}], "links": {"next": bad}}})
        assert ids == ["p1"] and record.failed and "stopped there" in record.problems[0]


def test_empty_pages_that_keep_linking_on_end_the_walk() -> None:
    pages = {BASE if n == 0 else f"{BASE}?page={n}": page([], f"{BASE}?page={n + 1}") for n in range(10)}
    ids, record, asked = walk(pages)
    assert ids == [] and len(asked) == 3 and "empty pages" in record.problems[0]


def test_a_bare_array_is_a_list_without_links() -> None:
    ids, record, _ = walk({BASE: [{"id": "a"}, "kein Objekt"]})
    assert ids == ["a", "kein Objekt"] and record.items == 2 and record.complete  # the caller reports the string


def test_page_key_is_canonical() -> None:
    assert page_key("HTTPS://X.org/p?b=1&a=2#frag") == page_key("https://x.org/p?a=2&b=1")
