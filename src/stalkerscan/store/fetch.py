"""HTTPS downloads for indicator updates: certificate checked, size checked, https only.

This is the only place stalkerscan opens a network connection, and only when the user runs
``stalkerscan indicators update``. ``ssl``, ``http.client`` and ``urllib.request`` are imported
by the functions that download, so the commands that never do (a scan) do not load them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from stalkerscan import __version__

if TYPE_CHECKING:
    import http.client
    import ssl
    import urllib.request

MAX_BYTES = 64 * 1024 * 1024
"""Largest file an update downloads (the Echap STIX bundle is under 5 MiB)."""
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A download failed; the message says why in plain words."""


@dataclass(frozen=True, slots=True)
class FetchedFile:
    """A file downloaded completely."""

    url: str
    """The URL asked for."""
    path: Path
    """Where it was written."""
    sha256: str
    """SHA-256 of the bytes written."""
    size: int
    """Number of bytes written."""


def https_context(cafile: Path | None = None) -> ssl.SSLContext:
    """A TLS context that verifies certificates and host names (system CAs, or ``cafile``)."""
    import ssl  # noqa: PLC0415

    return ssl.create_default_context(cafile=str(cafile) if cafile is not None else None)


def _opener(context: ssl.SSLContext) -> urllib.request.OpenerDirector:
    """An opener that checks certificates with ``context`` and follows only https redirects."""
    import urllib.request  # noqa: PLC0415

    class HttpsOnlyRedirects(urllib.request.HTTPRedirectHandler):
        """Follow redirects only to other https:// URLs."""

        def redirect_request(
            self,
            req: urllib.request.Request,
            fp: IO[bytes],
            code: int,
            msg: str,
            headers: Any,
            newurl: str,
        ) -> urllib.request.Request | None:
            if not newurl.lower().startswith("https://"):
                raise FetchError(f"the server redirected to a non-HTTPS address ({newurl})")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context), HttpsOnlyRedirects()
    )


def _reason(err: BaseException) -> str:
    import ssl  # noqa: PLC0415
    import urllib.error  # noqa: PLC0415

    if isinstance(err, urllib.error.HTTPError):
        return f"the server answered HTTP {err.code} {err.reason}"
    reason = err.reason if isinstance(err, urllib.error.URLError) else err
    if isinstance(reason, ssl.SSLCertVerificationError):
        detail = reason.verify_message or str(reason)
        return f"the server's certificate could not be verified ({detail})"
    if isinstance(reason, ssl.SSLError):
        return f"the secure connection failed ({reason.reason or reason})"
    if isinstance(reason, TimeoutError):
        return "the connection timed out"
    return f"the connection failed ({reason})"


def _copy(response: http.client.HTTPResponse, dest: Path, max_bytes: int) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with dest.open("wb") as out:
        while chunk := response.read(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"the file is larger than {max_bytes // (1024 * 1024)} MiB")
            digest.update(chunk)
            out.write(chunk)
    expected = response.getheader("Content-Length")
    if expected is not None and expected.isdigit() and int(expected) != size:
        raise FetchError(f"the download is incomplete ({size} of {expected} bytes)")
    return digest.hexdigest(), size


def fetch_https(
    url: str,
    dest: Path,
    *,
    context: ssl.SSLContext | None = None,
    timeout: float = 30.0,
    max_bytes: int = MAX_BYTES,
) -> FetchedFile:
    """Download ``url`` (https only) to ``dest``; raise FetchError on any failure or short read."""
    if not url.lower().startswith("https://"):
        raise FetchError(f"only https:// addresses are downloaded, not {url}")
    import http.client  # noqa: PLC0415
    import urllib.error  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415

    opener = _opener(context or https_context())
    request = urllib.request.Request(url, headers={"User-Agent": f"stalkerscan/{__version__}"})
    try:
        with opener.open(request, timeout=timeout) as response:
            if response.status != 200:
                raise FetchError(f"the server answered HTTP {response.status}")
            sha256, size = _copy(response, dest, max_bytes)
    except FetchError:
        raise
    except http.client.IncompleteRead as err:
        raise FetchError(f"the download is incomplete ({len(err.partial)} bytes received)") from err
    except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
        raise FetchError(_reason(err)) from err
    return FetchedFile(url=url, path=dest, sha256=sha256, size=size)
