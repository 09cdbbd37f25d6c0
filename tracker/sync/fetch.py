"""One download: a conditional GET with a timeout, bounded retries and a size limit, into a
file, hashed as it is written (standard library only: urllib follows redirects, and nothing
here needs more than it gives).

Retried, with exponential back-off: connection errors, timeouts, a body cut short, 5xx. Not
retried: 4xx (asking again will not help), a body over the size limit.
"""

import hashlib
import http.client
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tracker import __version__

USER_AGENT = f"tracker/{__version__} (sync)"
CHUNK = 1 << 16


class DownloadFailed(Exception):
    """The download did not give a whole body; `str()` says why in one line."""

    def __init__(self, reason: str, *, status: int | None = None, retry: bool = False) -> None:
        super().__init__(reason)
        self.status = status
        self.retry = retry


@dataclass(frozen=True)
class Limits:
    """How patient a download is."""

    timeout: float = 60.0  # seconds a connection or a read may wait
    retries: int = 3  # attempts after the first
    retry_wait: float = 2.0  # seconds before the first retry; doubled before each next one
    max_bytes: int = 1 << 30


@dataclass(frozen=True)
class Download:
    """What the server answered: a body written to `path`, or "not modified"."""

    status: int
    url: str  # after redirects
    not_modified: bool = False
    bytes: int = 0
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    attempts: int = 1


def download(
    url: str,
    path: Path,
    *,
    limits: Limits,
    etag: str | None = None,
    last_modified: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Download:
    """GET `url` into `path` (only `If-None-Match` / `If-Modified-Since` when given), retrying
    what may pass; raises `DownloadFailed` naming the last reason and the attempts made."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    attempts = limits.retries + 1
    for attempt in range(1, attempts + 1):
        try:
            result = _attempt(url, path, headers, limits)
        except DownloadFailed as error:
            if not error.retry or attempt == attempts:
                tries = f" (after {attempt} attempts)" if attempt > 1 else ""
                raise DownloadFailed(f"{error}{tries}", status=error.status) from error
            sleep(limits.retry_wait * 2 ** (attempt - 1))
            continue
        return Download(**{**vars(result), "attempts": attempt})
    raise AssertionError("unreachable: the last attempt returns or raises")


def _attempt(url: str, path: Path, headers: dict[str, str], limits: Limits) -> Download:
    request = urllib.request.Request(url, headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=limits.timeout)
    except urllib.error.HTTPError as error:
        error.close()
        if error.code == 304:
            return Download(
                status=304,
                url=error.url or url,
                not_modified=True,
                etag=error.headers.get("ETag"),
                last_modified=error.headers.get("Last-Modified"),
            )
        reason = f"HTTP {error.code} {error.reason}".rstrip()
        raise DownloadFailed(reason, status=error.code, retry=error.code >= 500) from error
    except urllib.error.URLError as error:
        raise DownloadFailed(f"cannot connect: {_reason(error.reason)}", retry=True) from error
    except (OSError, http.client.HTTPException) as error:
        raise DownloadFailed(f"cannot connect: {_reason(error)}", retry=True) from error
    with response:
        status = response.status
        declared = _declared_length(response.headers.get("Content-Length"))
        if declared is not None and declared > limits.max_bytes:
            raise DownloadFailed(
                f"the body would be {declared:,} bytes, over the limit of {limits.max_bytes:,}",
                status=status,
            )
        received, digest = _receive(response, path, limits.max_bytes, status)
        if declared is not None and received != declared:
            raise DownloadFailed(
                f"truncated: {received:,} of the {declared:,} bytes announced",
                status=status,
                retry=True,
            )
        return Download(
            status=status,
            url=response.url or url,
            bytes=received,
            sha256=digest,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
        )


def _receive(
    response: http.client.HTTPResponse, path: Path, max_bytes: int, status: int
) -> tuple[int, str]:
    """Write the body to `path` (flushed to disk); its length and SHA-256."""
    digest = hashlib.sha256()
    received = 0
    with path.open("wb") as out:
        while True:
            try:
                chunk = response.read(CHUNK)
            except http.client.IncompleteRead as error:
                received += len(error.partial)
                missing = error.expected
                announced = f" of the {received + missing:,} bytes announced" if missing else ""
                raise DownloadFailed(
                    f"truncated: {received:,} bytes{announced}",
                    status=status,
                    retry=True,
                ) from error
            except (OSError, http.client.HTTPException) as error:
                raise DownloadFailed(
                    f"cut off after {received:,} bytes: {_reason(error)}", status=status, retry=True
                ) from error
            if not chunk:
                break
            received += len(chunk)
            if received > max_bytes:
                raise DownloadFailed(
                    f"the body is over the limit of {max_bytes:,} bytes", status=status
                )
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return received, digest.hexdigest()


def _declared_length(text: str | None) -> int | None:
    if text is None or not text.strip().isdecimal():
        return None
    return int(text)


def _reason(error: object) -> str:
    if isinstance(error, socket.timeout | TimeoutError):
        return "timed out"
    text = str(getattr(error, "strerror", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
