"""Specs from a URL: `apigen build https://.../openapi.yaml` and the `url` configuration key.

The root document and every file its relative `$ref`s reach are fetched (a timeout and a size
limit each) into a private mirror folder laid out like the server's paths, then loaded like any
local spec with the mirror's root as the `$ref` root: the bundler's refusal rules apply
unchanged, and nothing can leave the mirror. A `$ref` to another origin (scheme, host, port)
is refused unless that host is allowed; file paths and `file://` never are. Diagnostics show
the URLs, not the mirror.
"""

from __future__ import annotations

import atexit
import hashlib
import http.client
import shutil
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit

from ..diagnostics import Diagnostic, SpecError
from .parse import parse_document
from .pointer import escape

MAX_BYTES = 64 * 1024 * 1024  # per file
TIMEOUT = 30.0  # seconds, per file
MAX_FILES = 500


@dataclass
class FetchedSpec:
    """A spec fetched from `url`: its local copy (`root`, inside `mirror`) and every URL read."""

    url: str
    root: Path
    mirror: Path
    sha256: str
    files: dict[str, str] = field(default_factory=dict)  # URL -> sha256

    def display(self, path: Path) -> str:
        """The URL a mirrored file came from (diagnostics name it, not the mirror)."""
        rel = path.resolve().relative_to(self.mirror.resolve()).as_posix()
        return _origin(self.url) + "/" + rel


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _error(url: str, pointer: str, message: str) -> SpecError:
    return SpecError([Diagnostic(url, pointer, message, "error", kind="fetch")])


def _same_or_upgraded(url: str, target: str) -> bool:
    """Whether `target` is on `url`'s origin, or the same host upgraded from http to https (as
    the runtime's redirects allow)."""
    if _origin(target) == _origin(url):
        return True
    old, new = urlsplit(url), urlsplit(target)
    return (
        old.scheme.lower() == "http"
        and new.scheme.lower() == "https"
        and (old.hostname or "") == (new.hostname or "")
        and old.port in (None, 80)
        and new.port in (None, 443)
    )


class _Refused(Exception):
    """A redirect to another origin, refused before it is followed."""


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only on the origin it was asked of: urllib followed one to any host
    (the metadata address, an intranet host, even `ftp://`) and only then did the build see
    the final URL and refuse it."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not _same_or_upgraded(req.full_url, newurl):
            raise _Refused(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_SameOrigin)
_CHUNK = 64 * 1024


def _read(
    url: str, referrer: tuple[str, str] | None, max_bytes: int, timeout: float
) -> tuple[bytes, str]:
    """The bytes of `url` and the URL they came from (after same-origin redirects). `timeout`
    bounds the whole file, not only each read (a server trickling bytes held a build)."""
    where = referrer or (url, "#")
    # (spaces and other unsendable characters percent-encoded: `./my schemas.yaml` beside a
    # fetched spec, which builds from disk, raised http.client's InvalidURL: helper 213)
    sendable = quote(url, safe="%/:=&?~#+!$,;'@()*[]")
    request = urllib.request.Request(sendable, headers={"User-Agent": "apigen", "Accept": "*/*"})
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    size = 0
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            final: str = response.geturl()
            final = url if final == sendable else final  # (not moved: as the caller spelled it)
            while size <= max_bytes:
                if time.monotonic() > deadline:
                    raise _error(*where, f"cannot fetch {url}: not read in {timeout:g} s")
                # `read1`: what has arrived (a `read(n)` waited for n bytes or the end, so a
                # trickling server passed the deadline by as long as it liked)
                reader = getattr(response, "read1", response.read)
                chunk = reader(min(_CHUNK, max_bytes + 1 - size))
                if not chunk:
                    left = getattr(response, "length", None)
                    if isinstance(left, int) and left > 0:
                        # the connection closed before `Content-Length` was read (RFC 9112
                        # 8: incomplete): the part read built a client without its operations
                        # (helper 225)
                        raise _error(
                            *where,
                            f"cannot fetch {url}: the connection closed after {size} of"
                            f" {size + left} bytes (try again, or download it and pass the file)",
                        )
                    break
                chunks.append(chunk)
                size += len(chunk)
    except _Refused as exc:
        raise _error(*where, f"{url} redirected to another origin ({exc}): refused") from None
    except urllib.error.HTTPError as exc:
        raise _error(*where, f"cannot fetch {url}: HTTP {exc.code} {exc.reason}") from None
    except http.client.HTTPException as exc:  # a chunked body cut short (`IncompleteRead`)
        raise _error(
            *where,
            f"cannot fetch {url}: the response ended early or was malformed"
            f" ({type(exc).__name__}; try again, or download it and pass the file)",
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise _error(
            *where,
            f"cannot fetch {url}: {reason} (offline? download it and pass the file instead)",
        ) from None
    except ValueError as exc:  # InvalidURL, a host IDNA cannot encode (`a..b`): a traceback
        raise _error(
            *where, f"cannot fetch {url}: not a URL that can be requested ({exc})"
        ) from None
    if size > max_bytes:
        raise _error(*where, f"{url} is larger than {max_bytes} bytes: refused")
    return b"".join(chunks), final


def _refs(node: Any, pointer: str = "#") -> Iterator[tuple[str, str]]:
    """(ref, pointer of the object holding it) for every `$ref` string in a parsed document."""
    stack: list[tuple[Any, str]] = [(node, pointer)]
    while stack:
        current, at = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield ref, at
            for key, value in current.items():
                if isinstance(value, dict | list):
                    escaped = escape(str(key))
                    stack.append((value, f"{at}/{escaped}"))
        elif isinstance(current, list):
            stack.extend((value, f"{at}/{i}") for i, value in enumerate(current))


def _local(mirror: Path, url: str) -> Path:
    """Where `url` is kept in the mirror: its path, with `..` folded away (never above it)."""
    parts = [p for p in PurePosixPath(unquote(urlsplit(url).path)).parts if p not in ("/", "..")]
    name = "/".join(parts) or "index"
    if name.endswith("/"):
        name += "index"
    return mirror / name


def fetch_spec(
    url: str,
    *,
    allow_hosts: frozenset[str] = frozenset(),
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT,
) -> FetchedSpec:
    """Fetch `url` and the files its relative `$ref`s name (same origin, or a host in
    `allow_hosts`) into a fresh mirror folder removed when the process exits."""
    url = urldefrag(url)[0]
    try:
        urlsplit(url).port  # noqa: B018  (raises for a bad port)
    except ValueError as exc:
        raise _error(url, "#", f"not a valid URL ({exc})") from None
    if "\0" in unquote(url):
        raise _error(url, "#", "the URL names a file with a NUL character")
    mirror = Path(tempfile.mkdtemp(prefix="apigen-url-"))
    atexit.register(shutil.rmtree, mirror, True)
    origin = _origin(url)
    fetched = FetchedSpec(url, _local(mirror, url), mirror, "")
    queue: list[tuple[str, tuple[str, str] | None]] = [(url, None)]
    while queue:
        current, referrer = queue.pop()
        if current in fetched.files:
            continue
        if len(fetched.files) >= MAX_FILES:
            raise _error(url, "#", f"more than {MAX_FILES} files referenced: refused")
        data, final = _read(current, referrer, max_bytes, timeout)
        sha = hashlib.sha256(data).hexdigest()
        fetched.files[current] = sha
        if current == url:
            fetched.sha256 = sha
            if final != url:
                # moved (`/latest/` to `/v2/`, same origin): its relative refs are relative to
                # where it is (RFC 3986 §5.1.3), so it is kept, and loaded, from there
                current = urldefrag(final)[0]
                fetched.root = _local(mirror, current)
                origin = _origin(current)  # (http upgraded to https: its refs are there)
        target = _local(mirror, current)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        except (OSError, ValueError):  # `/api/openapi` a file and `/api/openapi/pet.yaml` below
            raise _error(
                *(referrer or (current, "#")),
                f"cannot keep {current} beside the other files: its path is a file and a"
                " folder of this spec at once (download the files and build from them)",
            ) from None
        try:
            doc = parse_document(
                data.decode("utf-8-sig"), current, json_hint=current.endswith(".json")
            )
        except (SpecError, UnicodeDecodeError):
            continue  # the loader reports it with its file and line
        for ref, at in _refs(doc):
            part = ref.split("#", 1)[0]
            if not part:
                continue
            try:
                urlsplit(urljoin(current, part)).port  # noqa: B018  (raises for a bad port)
            except ValueError as exc:  # `http://[::1` (an unclosed bracket), a port past 65535
                raise _error(current, at, f"$ref {ref!r} is no valid URL ({exc})") from None
            if "\0" in unquote(part):  # no file is named so (and the mirror cannot keep one)
                raise _error(current, at, f"$ref {ref!r} names a file with a NUL character")
            scheme = urlsplit(part).scheme.lower()
            if scheme not in ("", "http", "https"):
                raise _error(
                    current, at, f"$ref {ref!r} refused: a spec from a URL reads URLs only"
                )
            absolute = urljoin(current, part)
            if _origin(absolute) != origin:
                host = urlsplit(absolute).hostname or ""
                if host not in allow_hosts:
                    raise _error(
                        current,
                        at,
                        f"$ref {ref!r} refused: {_origin(absolute)} is another origin than "
                        f"{origin} (download the files and build from them)",
                    )
                if not scheme:
                    raise _error(current, at, f"$ref {ref!r}: leaves {origin}")
                continue  # an allowed host: the loader fetches it (load_spec(remote_hosts=))
            if scheme or part.startswith("/"):
                # an absolute same-origin URL or path: the loader reads relative refs only (an
                # absolute path was fetched, then refused as a local file's, with advice about
                # `--ref-root`, which no URL takes)
                raise _error(current, at, f"$ref {ref!r}: write same-origin refs as relative paths")
            if urlsplit(part).query:  # the mirror keeps files by path: `a.yaml?v=1` is none
                raise _error(
                    current,
                    at,
                    f"$ref {ref!r}: a query string in a $ref is not supported in a spec from a URL"
                    " (refer to the file by its path)",
                )
            queue.append((absolute, (current, at)))
    return fetched
