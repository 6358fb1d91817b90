"""The polite HTTP client: retries with back-off, Retry-After, time-outs, rate limit, atomic downloads."""

from __future__ import annotations

import email.utils
import time
from pathlib import Path

import pytest

from clustermine.corpus.oparl.client import HttpClient, HttpError, retry_after_seconds, with_params
from tests.oparl_server import World, serve


@pytest.fixture
def world():
    with serve() as running:
        yield running


class Sleeps:
    """A stand-in for time.sleep that records the pauses instead of taking them."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def client(**kwargs: object) -> tuple[HttpClient, Sleeps]:
    sleeps = Sleeps()
    options = {"rate": 0, "timeout": 5.0, "retries": 3, "backoff": 0.25, "sleep": sleeps, **kwargs}
    return HttpClient(**options), sleeps  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7.0), (" 0 ", 0.0), ("1.5", 1.5), ("-3", 0.0), ("soon", None), ("", None), (None, None)],
)
def test_retry_after_seconds(value: str | None, expected: float | None) -> None:
    assert retry_after_seconds(value) == expected


def test_retry_after_as_http_date() -> None:
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= retry_after_seconds(later) <= 31
    earlier = email.utils.formatdate(time.time() - 30, usegmt=True)
    assert retry_after_seconds(earlier) == 0.0


def test_with_params_keeps_existing_query_and_encodes() -> None:
    url = with_params("https://x.org/papers?page=2", {"modified_since": "2024-01-01T00:00:00+01:00"})
    assert url == "https://x.org/papers?page=2&modified_since=2024-01-01T00%3A00%3A00%2B01%3A00"
    assert with_params("https://x.org/p", None) == "https://x.org/p"


def test_busy_answers_are_retried_honouring_retry_after(world: World) -> None:
    world.behaviour.fail["/oparl/v1/system"] = [429, 503]
    world.behaviour.retry_after = "2"
    http, sleeps = client()
    data, final = http.get_json(world.url("system"))
    assert data["type"].endswith("/System") and final == world.url("system")
    assert sleeps.calls == [2.0, 2.0] and http.requests == 3
    assert len(world.requests_to("/oparl/v1/system")) == 3


def test_server_errors_back_off_exponentially_then_fail(world: World) -> None:
    world.behaviour.fail["/oparl/v1/system"] = [500, 502, 504, 500]
    world.behaviour.retry_after = None
    http, sleeps = client(retries=3)
    with pytest.raises(HttpError) as caught:
        http.get_json(world.url("system"))
    assert sleeps.calls == [0.25, 0.5, 1.0]
    assert caught.value.status == 500 and "asked 4 times" in caught.value.message
    assert "run the same command again later" in caught.value.hint


def test_not_found_is_not_retried(world: World) -> None:
    http, sleeps = client()
    with pytest.raises(HttpError) as caught:
        http.get_json(world.url("nothing/here"))
    assert caught.value.status == 404 and sleeps.calls == [] and http.requests == 1


def test_a_very_long_retry_after_is_an_error_not_a_silent_hour(world: World) -> None:
    world.behaviour.fail["/oparl/v1/system"] = [429]
    world.behaviour.retry_after = "3600"
    http, sleeps = client(max_retry_after=60)
    with pytest.raises(HttpError, match="asks to wait 3600 s"):
        http.get_json(world.url("system"))
    assert sleeps.calls == []


def test_slow_answers_time_out_and_are_retried(world: World) -> None:
    world.behaviour.slow["/oparl/v1/system"] = 0.5
    http, sleeps = client(timeout=0.2, retries=1)
    with pytest.raises(HttpError) as caught:
        http.get_json(world.url("system"))
    assert "no answer within 0.2 s, asked 2 times" in caught.value.message
    assert "--timeout" in caught.value.hint and len(sleeps.calls) == 1


def test_refused_connection_is_a_clear_error() -> None:
    http, _ = client(retries=0)
    with pytest.raises(HttpError, match="cannot connect to 127.0.0.1:9"):
        http.get_json("http://127.0.0.1:9/oparl")


def test_not_json_and_not_a_url_are_clear_errors(world: World) -> None:
    http, _ = client()
    with pytest.raises(HttpError, match="not OParl JSON"):
        http.get_json(f"{world.base}/files/f101.pdf")
    with pytest.raises(HttpError, match="not a web address"):
        http.get_json("ftp://example.org/oparl")


def test_rate_limit_spaces_requests(world: World) -> None:
    clock = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock[0] += seconds

    http = HttpClient(rate=4, timeout=5, sleep=sleep, clock=lambda: clock[0])
    for _ in range(3):
        http.get_json(world.url("system"))
    assert sleeps == [0.25, 0.25]


def test_download_is_atomic_and_hashes(world: World, tmp_path: Path) -> None:
    http, _ = client()
    target = tmp_path / "cache" / "f101.pdf"
    got = http.download(f"{world.base}/files/f101.pdf", target, max_bytes=10_000_000)
    assert got.path == target and target.read_bytes().startswith(b"%PDF") and got.size == target.stat().st_size
    assert got.content_type == "application/pdf" and len(got.sha256) == 64

    world.behaviour.fail["/files/f102.pdf"] = [503, 503]
    broken = tmp_path / "cache" / "f102.pdf"
    with pytest.raises(HttpError):
        client(retries=1)[0].download(f"{world.base}/files/f102.pdf", broken, max_bytes=10_000_000)
    assert not broken.exists() and sorted(p.name for p in broken.parent.iterdir()) == ["f101.pdf"]


def test_oversized_download_is_refused(world: World, tmp_path: Path) -> None:
    http, _ = client()
    with pytest.raises(HttpError, match="larger than"):
        http.download(f"{world.base}/files/f101.pdf", tmp_path / "x.pdf", max_bytes=100)
    assert list(tmp_path.iterdir()) == []


def test_constructor_validates() -> None:
    with pytest.raises(ValueError, match="rate must be"):
        HttpClient(rate=-1)
    with pytest.raises(ValueError, match="timeout must be"):
        HttpClient(timeout=0)
