"""A polite HTTP client for OParl servers, on the standard library only.

Council information systems are run by municipalities on modest machines; a research import must not become
their busiest user. So every request waits its turn (``rate`` requests per second at most), answers that ask
for patience (429, 502, 503, 504, other 5xx, timeouts, dropped connections) are retried with growing pauses,
and a ``Retry-After`` header is honoured when the server sends one. What still fails becomes an
:class:`HttpError` that says what happened and what the user can do, never a traceback.

Downloads stream into a temporary file beside the target and are renamed into place only when complete, so an
interrupted run never leaves a half file that a later run would take for the whole.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from clustermine import __version__
from clustermine.errors import ClustermineError

USER_AGENT = f"clustermine/{__version__} (OParl import for research; Python urllib)"

#: Statuses worth asking again: the server is busy or briefly broken, not refusing.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})

#: First pause before a retry in seconds; it doubles with every further attempt (tests make it tiny).
BACKOFF_SECONDS = 1.0

#: A server asking us to wait longer than this (Retry-After) gets a clear error instead of a silent hour.
MAX_RETRY_AFTER = 300.0

#: An OParl list page or object larger than this is refused (a broken server streaming garbage).
MAX_JSON_BYTES = 64 * 1024 * 1024

CHUNK = 1 << 16


class HttpError(ClustermineError):
    """A request that failed for good; ``status`` is the HTTP status if the server answered at all."""

    def __init__(self, message: str, hint: str | None = None, *, url: str, status: int | None = None) -> None:
        super().__init__(message, hint)
        self.url = url
        self.status = status


@dataclass(frozen=True)
class Download:
    """A file fetched to disk: where, how many bytes, their SHA-256, and the Content-Type the server gave."""

    path: Path
    size: int
    sha256: str
    content_type: str | None


def with_params(url: str, params: Mapping[str, str] | None) -> str:
    """``url`` with query parameters added (existing ones kept), encoded as OParl expects."""
    if not params:
        return url
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(dict(params))) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait according to a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class HttpClient:
    """GET JSON and download files with a rate limit, time-outs and retries with back-off.

    ``rate`` is the most requests per second (0: no limit), ``timeout`` the seconds to wait for the server to
    connect or send the next bytes, ``retries`` how often a request is repeated after a temporary failure.
    ``sleep`` and ``clock`` can be replaced in tests. ``requests`` counts the requests sent, ``waited`` the
    seconds spent in pauses.
    """

    def __init__(
        self,
        *,
        rate: float = 2.0,
        timeout: float = 60.0,
        retries: int = 3,
        backoff: float | None = None,
        max_retry_after: float = MAX_RETRY_AFTER,
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate < 0:
            raise ValueError(f"rate must be 0 (no limit) or a positive number of requests per second. Got {rate!r}.")
        if timeout <= 0:
            raise ValueError(f"timeout must be a positive number of seconds. Got {timeout!r} instead.")
        if retries < 0:
            raise ValueError(f"retries must be 0 or more. Got {retries!r} instead.")
        self.rate = rate
        self.timeout = timeout
        self.retries = retries
        self.backoff = BACKOFF_SECONDS if backoff is None else backoff
        self.max_retry_after = max_retry_after
        self.user_agent = user_agent
        self.sleep = sleep
        self.clock = clock
        self.requests = 0
        self.waited = 0.0
        self._next_slot = 0.0

    # -- public ----------------------------------------------------------------------------------------------

    def get_json(self, url: str, params: Mapping[str, str] | None = None) -> tuple[Any, str]:
        """The JSON at ``url`` (with ``params``) and the URL it finally came from (after redirects)."""
        target = with_params(url, params)

        def read(response: Any) -> tuple[Any, str]:
            body = _read_limited(response, MAX_JSON_BYTES, target)
            if (response.headers.get("Content-Encoding") or "").lower() == "gzip":
                body = gzip.decompress(body)
            try:
                return json.loads(body.decode("utf-8-sig")), response.geturl() or target
            except (UnicodeDecodeError, json.JSONDecodeError):
                start = body[:60].decode("utf-8", "replace").strip().replace("\n", " ")
                raise HttpError(
                    f"the answer is not OParl JSON (it starts with {start!r})", url=target,
                    hint="check that the URL points to an OParl API, e.g. its system URL (…/oparl/v1/system)",
                ) from None

        return self._request(target, read, {"Accept": "application/json", "Accept-Encoding": "gzip"})

    def download(self, url: str, target: Path, *, max_bytes: int) -> Download:
        """Stream ``url`` into ``target`` (atomically: a temporary file renamed when complete)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.part")

        def read(response: Any) -> Download:
            digest = hashlib.sha256()
            size = 0
            expected = response.headers.get("Content-Length")
            with open(temporary, "wb") as handle:
                while chunk := response.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise HttpError(
                            f"the file is larger than {max_bytes // 1_000_000} MB", url=url,
                            hint="clustermine reads files up to that size; download and split it by hand",
                        )
                    digest.update(chunk)
                    handle.write(chunk)
            if expected and expected.isdigit() and int(expected) != size:
                raise http.client.IncompleteRead(b"", int(expected) - size)
            os.replace(temporary, target)
            return Download(target, size, digest.hexdigest(), response.headers.get("Content-Type"))

        try:
            return self._request(url, read, {"Accept": "*/*"})
        finally:
            if temporary.exists():
                temporary.unlink()

    # -- the retry loop --------------------------------------------------------------------------------------

    def _request(self, url: str, read: Callable[[Any], Any], headers: dict[str, str]) -> Any:
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            raise HttpError(f"not a web address: {url!r}", url=url,
                            hint="give an http(s) URL of an OParl server, or a folder or file of OParl JSON")
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent, **headers})
        attempt = 0
        while True:
            self._pace()
            self.requests += 1
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return read(response)
            except urllib.error.HTTPError as exc:
                status = exc.code
                if status in RETRY_STATUSES and attempt < self.retries:
                    asked = retry_after_seconds(exc.headers.get("Retry-After") if exc.headers else None)
                    if asked is not None and asked > self.max_retry_after:
                        raise HttpError(
                            f"the server asks to wait {asked:.0f} s before asking again (HTTP {status})", url=url,
                            status=status, hint="try again later",
                        ) from None
                    self._pause(asked if asked is not None else self._backoff(attempt))
                    attempt += 1
                    continue
                raise _status_error(url, status, attempt + 1) from None
            except TimeoutError as exc:  # socket.timeout is TimeoutError
                error: Exception = exc
            except urllib.error.URLError as exc:  # refused, unknown host, TLS trouble; or a time-out inside
                error = exc.reason if isinstance(exc.reason, TimeoutError) else exc
            except (ConnectionError, http.client.HTTPException) as exc:
                error = exc
            if attempt >= self.retries:
                raise _network_error(url, error, self.timeout, attempt + 1) from None
            self._pause(self._backoff(attempt))
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        return self.backoff * (2**attempt)

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self.waited += seconds
            self.sleep(seconds)

    def _pace(self) -> None:
        """Wait until the next request slot: at most ``rate`` requests start per second."""
        if not self.rate:
            return
        now = self.clock()
        if now < self._next_slot:
            self._pause(self._next_slot - now)
            now = self._next_slot
        self._next_slot = now + 1.0 / self.rate


def _read_limited(response: Any, limit: int, url: str) -> bytes:
    parts: list[bytes] = []
    size = 0
    while chunk := response.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise HttpError(f"the answer is larger than {limit // 1_000_000} MB", url=url,
                            hint="this does not look like an OParl page; check the URL")
        parts.append(chunk)
    expected = response.headers.get("Content-Length")
    if expected and expected.isdigit() and int(expected) != size and not response.headers.get("Content-Encoding"):
        raise http.client.IncompleteRead(b"", int(expected) - size)
    return b"".join(parts)


def _times(attempts: int) -> str:
    return "once" if attempts == 1 else f"{attempts} times"


def _status_error(url: str, status: int, attempts: int) -> HttpError:
    if status == 404:
        return HttpError("not found (HTTP 404)", url=url, status=status,
                         hint="the server links to something it does not have; nothing to do unless it persists")
    if status == 410:
        return HttpError("gone (HTTP 410)", url=url, status=status, hint="the server removed it")
    if status in (401, 403):
        return HttpError(f"access denied (HTTP {status})", url=url, status=status,
                         hint="the server wants a login for this; only public data can be imported")
    if status == 429:
        return HttpError(f"the server asked to slow down (HTTP 429), asked {_times(attempts)}", url=url,
                         status=status, hint="lower --rate and run the command again later")
    if status >= 500:
        return HttpError(f"the server failed (HTTP {status}), asked {_times(attempts)}", url=url, status=status,
                         hint="the server has trouble; run the same command again later (it resumes)")
    return HttpError(f"the server refused the request (HTTP {status})", url=url, status=status,
                     hint="check the URL")


def _network_error(url: str, error: Exception, timeout: float, attempts: int) -> HttpError:
    if isinstance(error, TimeoutError):
        return HttpError(f"no answer within {timeout:g} s, asked {_times(attempts)}", url=url,
                         hint="the server is slow or down; raise --timeout or run the command again later")
    if isinstance(error, http.client.IncompleteRead):
        return HttpError(f"the server broke off the transfer, asked {_times(attempts)}", url=url,
                         hint="run the same command again later (it resumes)")
    reason = getattr(error, "reason", None) or error
    host = urlsplit(url).netloc
    return HttpError(f"cannot connect to {host}: {reason}", url=url,
                     hint="check the URL and your network connection, then run the command again")


__all__ = [
    "BACKOFF_SECONDS",
    "Download",
    "HttpClient",
    "HttpError",
    "MAX_RETRY_AFTER",
    "retry_after_seconds",
    "with_params",
]
