"""Request bodies by media type: JSON, Stripe-style urlencoded forms, multipart, raw bytes.

JSON, forms and in-memory multipart are encoded to bytes once per call, so retries resend
identical content. Files (paths, open binary files) and iterators of bytes are streamed instead
(``StreamBody``): read in chunks while sending, never held in memory whole. Paths and seekable
files are re-read for a retry; an iterator can be sent once only, so such a call is not retried.
"""

from __future__ import annotations

import binascii
import io
import json
import mimetypes
import os
import re
import stat
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any, Final, cast
from urllib.parse import unquote

import httpx
from pydantic import BaseModel

from ._operation import Encoding
from ._params import deep_pairs, encode_query, json_number, jsonable, quoter, scalar

__all__ = ["StreamBody", "encode_body", "is_json"]

CHUNK_SIZE = 64 * 1024


# How the refusal of data for a part in another media type ends (the contract matches it).
FOREIGN_PART = "apigen encodes data only as JSON"


def is_json(media_type: str) -> bool:
    media = media_type.split(";")[0].strip().lower()
    return media == "application/json" or media.endswith(("+json", "/json"))


def encode_body(
    media_type: str,
    value: Any,
    encoding: Mapping[str, Encoding] | None,
    data: frozenset[str] = frozenset(),
    texts: frozenset[str] = frozenset(),
) -> tuple[bytes | StreamBody, str | None]:
    """Return ``(content, content_type)`` for ``value`` sent as ``media_type``; ``data``: the
    multipart fields that take no file (``Body.data``; the others are judged by their value);
    ``texts``: those whose string is their part as written (``Body.texts``)."""
    media = media_type.split(";")[0].strip().lower()
    encoding = encoding or {}
    if is_json(media):
        return _json(jsonable(value)), media_type
    if media == "application/x-www-form-urlencoded":
        return _form(_mapping(value, media), encoding), media_type
    if media.startswith("multipart/"):
        return _multipart(_mapping(value, media), encoding, data, texts)
    if "*" in media and not media.startswith("text/") and _structured(value):
        # a media range (`*/*`, `application/*`) taking an object: its JSON, labelled so
        # (Kubernetes' bodies; as `application/octet-stream` a server refuses or misreads it)
        return _json(jsonable(value)), "application/json"
    declared = media_type
    if "*" in media:  # a range names no type to label the body with: the plainest of it
        declared = "text/plain" if media.startswith("text/") else "application/octet-stream"
    if isinstance(value, str) and (media.startswith("text/") or _charset(declared) is not None):
        # (`application/xml; charset=iso-8859-1` too: its octets are what the label says)
        charset = _charset(declared)
        if charset is None:
            # text is sent as UTF-8, and says so: a text/* type without a charset reads as
            # US-ASCII (RFC 2046 §4.1.2), and servers decoded `héllo` as ISO-8859-1 (`hÃ©llo`)
            return value.encode(), declared + "; charset=utf-8"
        try:
            return value.encode(charset), declared  # the charset the type names
        except LookupError:  # a charset Python does not know: UTF-8, as before
            pass
        except UnicodeEncodeError as exc:
            raise ValueError(
                f"the body is sent as {declared}: {value[exc.start : exc.end]!r} has no"
                f" {charset} spelling (pass bytes to send other octets)"
            ) from None
    if isinstance(value, tuple) and _is_file(value):
        # `FileInput`'s `(filename, content[, content type])`: the content, as the type given
        # (an operation taking `image/png` or `image/jpeg`), else as the declared one
        _, content, given = _file(value, None)
        return (content if isinstance(content, bytes) else StreamBody([content])), given or declared
    return _raw(value), declared


def _charset(media_type: str) -> str | None:
    """The ``charset`` parameter of a media type, if any."""
    for param in media_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return None


def _json(value: Any) -> bytes:
    return json.dumps(
        value, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_json_text
    ).encode()


def _json_text(value: Any) -> str | int | float:
    """Bytes inside JSON (a ``format: binary`` string property) go as their UTF-8 text, as they
    do in queries and forms; JSON has no spelling for other bytes (``format: byte`` is base64).
    A ``Decimal`` is a JSON number."""
    if isinstance(value, bytes | bytearray):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise TypeError(
                "bytes in a JSON body must be UTF-8 text: JSON cannot carry other octets "
                "(send a base64 string for `format: byte`, or upload the file as multipart)"
            ) from None
    return json_number(value)  # a Decimal: a JSON number (else the TypeError json expects)


def _mapping(value: Any, media: str) -> Mapping[str, Any]:
    if isinstance(value, Mapping):
        return cast("Mapping[str, Any]", value)
    data = jsonable(value)
    if not isinstance(data, Mapping):
        raise TypeError(f"a {media} body must be an object, got {type(data).__name__}")
    return cast("Mapping[str, Any]", data)


def _form(fields: Mapping[str, Any], encoding: Mapping[str, Encoding]) -> bytes:
    q = quoter(plus=True)
    parts: list[str] = []
    for name, raw in fields.items():
        value = _plain(jsonable(raw), name)
        enc = encoding.get(name)
        if enc is not None and enc.content_type and is_json(enc.content_type):
            parts.append(f"{q(name)}={q(_json(value).decode())}")
            continue
        custom = enc is not None and (enc.style is not None or enc.explode is not None)
        style = (enc.style or "form") if enc is not None and custom else "deepObject"
        parts += encode_query(name, value, style, enc.explode if enc else None, q)
    return "&".join(parts).encode()


def is_file(value: Any) -> bool:
    """Whether ``value`` is an upload (bytes, a path, an open file, an iterator of bytes, or
    ``(filename, content[, type])``), not data to encode."""
    return _is_file(value)


def _is_file(value: Any) -> bool:
    if isinstance(value, tuple):
        parts = cast("tuple[object, ...]", value)
        return 2 <= len(parts) <= 3 and isinstance(parts[0], str | None)
    return isinstance(
        value, bytes | bytearray | memoryview | os.PathLike | Iterator | AsyncIterator
    ) or _readable(value)


def _readable(value: object) -> bool:
    """An open file (or any object with a `read` method), not a model with a `read` field
    (`Permission(read=True)` was taken for a file)."""
    return not isinstance(value, BaseModel) and callable(getattr(value, "read", None))


def _data_field_file(value: Any) -> bool:
    """A file in a field whose schema holds no file (`Body.data`): a tuple only when it holds
    file content, `(filename, bytes | path | open file[, type])` (`tags=("x", "y")` is values;
    Stripe's `file`, a plain string in its spec, takes `("x.pdf", data)`)."""
    if isinstance(value, tuple):
        parts = cast("tuple[object, ...]", value)
        return _is_file(value) and _is_file(parts[1]) and not isinstance(parts[1], tuple)
    return _is_file(value)


def _content(value: Any) -> bytes | _Source:
    """A file's content: bytes as they are, a path or an open file streamed from disk, an
    iterator's chunks as it yields them."""
    if isinstance(value, os.PathLike):  # pathlib's, or any other (anyio.Path, py.path)
        return _PathSource(Path(os.fsdecode(cast("os.PathLike[str]", value))))
    if _readable(value):
        return _FileSource(value)
    if isinstance(value, str):
        return value.encode()
    if (data := _as_bytes(value)) is not None:
        return data
    # an iterator of chunks (a generator), streamed once: as a whole body may be
    if isinstance(value, AsyncIterator):
        return _AsyncIterSource(cast("AsyncIterator[object]", value))
    if isinstance(value, Iterator):
        return _IterSource(cast("Iterator[object]", value))
    raise TypeError(
        f"cannot upload a {type(value).__name__} as a file: pass bytes, a path, "
        "an open binary file or an iterator of bytes"
    )


def _file(value: Any, content_type: str | None) -> tuple[str | None, bytes | _Source, str | None]:
    if isinstance(value, tuple):  # (filename, content[, content type]), checked by _is_file
        parts = cast("tuple[object, ...]", value)
        filename = parts[0] if isinstance(parts[0], str) else None
        media = cast("str | None", parts[2]) if len(parts) == 3 else content_type
        return filename, _content(parts[1]), media
    name: object = (
        os.fsdecode(cast("os.PathLike[str]", value))
        if isinstance(value, os.PathLike)
        else getattr(value, "name", None)
    )
    filename = os.path.basename(str(name)) if isinstance(name, str | PurePath) else "upload"
    return filename, _content(value), content_type


_Part = tuple[str, tuple[str | None, "bytes | _Source", str | None]]


_JOINED: Final = frozenset({"form", "spaceDelimited", "pipeDelimited"})
# sequences a multipart field takes as they are: text, bytes, and lists and tuples themselves
_NOT_ITEMS: Final = (str, bytes, bytearray, memoryview, list, tuple)


def _multipart(
    fields: Mapping[str, Any],
    encoding: Mapping[str, Encoding],
    data_fields: frozenset[str] = frozenset(),
    texts: frozenset[str] = frozenset(),
) -> tuple[bytes | StreamBody, str | None]:
    parts: list[_Part] = []
    for name, value in fields.items():
        if value is None:
            continue
        if isinstance(value, Sequence) and not isinstance(value, _NOT_ITEMS):
            # a range, a deque: its items, as a list's (an array argument takes a `Sequence`:
            # `ids=range(1, 3)` went out as one JSON part, a deque of paths raised)
            value = list(cast("Sequence[object]", value))
        enc = encoding.get(name)
        content_type = enc.content_type if enc else None
        # in a field the spec gives no file (`data_fields`) a tuple is a sequence of values
        # unless it holds file content: `tags=("x", "y")` went out as a file named `x` holding
        # `y`. Bytes, paths and open files stay files there (Stripe's `file` is a plain string)
        is_file = _is_file if name not in data_fields else _data_field_file
        data = None if is_file(value) else jsonable(value)
        sequence = isinstance(value, list) or (isinstance(value, tuple) and data is not None)
        items: list[object] = list(cast("list[object]", value)) if sequence else [value]
        files_in_list = sequence and any(is_file(v) for v in items)
        if (
            isinstance(data, list)
            and data  # (an empty array sends no part, as an exploded one)
            and not files_in_list
            and enc is not None
            and enc.style in _JOINED
            and enc.explode is False
            and not any(isinstance(v, dict | list) for v in cast("list[object]", data))
        ):
            # Swagger 2.0's `collectionFormat: csv` (ssv, pipes) in a multipart body: one part,
            # the items joined (`ids=1,2`), as 2.0 clients send it
            ((key, joined),) = styled_pairs(name, cast("list[object]", data), enc.style, False)
            parts.append(
                (key, (None, joined.encode("utf-8", "surrogateescape"), _part_type(content_type)))
            )
            continue
        if (
            isinstance(data, dict | list)
            and not files_in_list  # files are file parts, one per item
            and enc is not None
            and enc.style == "deepObject"
        ):
            data = _plain(data, name)
            # Stripe's convention (``file_link_data[create]=true``): bracketed names, one part
            # per leaf. Other styles do not apply to multipart (OpenAPI 3.0 ``encoding.style``:
            # urlencoded forms only): an object is one JSON part (decisions.md "Multipart").
            for key, pair_value in styled_pairs(name, data, "deepObject", enc.explode):
                parts.append(
                    (
                        key,
                        (
                            None,
                            pair_value.encode("utf-8", "surrogateescape"),
                            _part_type(content_type),
                        ),
                    )
                )
            continue
        # An array is one part per item (files and scalars alike); an object one JSON part,
        # ``application/json`` unless ``encoding.<name>.contentType`` says otherwise.
        for item in items:
            if item is None:
                continue
            if is_file(item):
                filename, content, given = _file(item, None)
                parts.append(
                    (name, (filename, content, given or _part_type(content_type, filename)))
                )
                continue
            data = _plain(jsonable(item), name)
            if isinstance(data, dict | list):
                json_type = _part_type(content_type, None, structured=True)
                if json_type is None:
                    raise TypeError(
                        f"multipart field {name!r} is sent as {content_type}: pass it encoded "
                        f"(str or bytes); {FOREIGN_PART}"
                    )
                parts.append((name, (None, _json(data), json_type)))
            else:
                part_type = _part_type(content_type)
                # a part the spec types as JSON holds JSON: `"hello"`, not `hello` (which no
                # JSON reader takes) nor `"123"` sent as the number `123`; unless the string is
                # the JSON document itself (`contentMediaType`: `texts`)
                as_json = part_type is not None and is_json(part_type) and name not in texts
                text = _json(data) if as_json else scalar(data).encode()
                parts.append((name, (None, text, part_type)))
    # No part at all is still a body (the closing boundary alone): a required multipart body
    # whose fields are all optional is sent empty, as a required JSON body is sent as ``{}``.
    boundary = binascii.hexlify(os.urandom(16)).decode()
    body = StreamBody(_multipart_pieces(parts, boundary))
    media = f"multipart/form-data; boundary={boundary}"
    if body.in_memory():
        return b"".join(body), media
    return body, media


def _part_type(
    declared: str | None, filename: str | None = None, structured: bool = False
) -> str | None:
    """The one media type a part's ``Content-Type`` names, from its ``encoding.contentType``,
    which may list types and ranges (``image/png, image/jpeg``, ``image/*``: OpenAPI 3.0.3 and
    3.1): the type a file's name suggests when the list admits it, else the first type listed
    that is no range, else the plainest of the range; for data sent as JSON (``structured``),
    a JSON type the list admits (None: it admits none). No header may name a list or a range
    (RFC 9110 §8.3); they went out as written. None without a declared type: the file's
    name decides later, as for any part."""
    if not declared:
        return "application/json" if structured else None
    ranges = [r.strip() for r in declared.split(",") if r.strip()]
    if structured:
        listed = next((r for r in ranges if is_json(r)), None)
        if listed is not None:
            return listed
        admits = any(_media_in("application/json", r) for r in ranges)
        return "application/json" if admits else None
    guessed = guess_type(filename) if filename else None
    if guessed and any(_media_in(guessed, r) for r in ranges):
        return guessed
    concrete = next((r for r in ranges if "*" not in r.split(";")[0]), None)
    if concrete is not None:
        return concrete
    return (
        "text/plain"
        if ranges and ranges[0].lower().startswith("text/")
        else ("application/octet-stream")
    )


_BREAKS = re.compile(r"[\r\n\0]")
# what a file compressed so is (`data.csv.gz` is gzip, not CSV: `guess_type`'s encoding)
_COMPRESSED = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip2",
    "xz": "application/x-xz",
    "compress": "application/x-compress",
    "br": "application/x-brotli",
}


def guess_type(filename: str) -> str | None:
    """The media type a file name suggests: a compressed file's own (`data.csv.gz` went out as
    `text/csv`, its bytes gzip), else what its extension says; None when unknown."""
    media, encoding = mimetypes.guess_type(filename)
    if encoding is not None:
        return _COMPRESSED.get(encoding, "application/octet-stream")
    return media


def _media_in(media: str, media_range: str) -> bool:
    """Whether ``media`` is ``media_range`` or within it (``image/*``, ``*/*``)."""
    kind, _, sub = media.lower().partition("/")
    rkind, _, rsub = media_range.split(";")[0].strip().lower().partition("/")
    return rkind in ("*", kind) and rsub in ("*", sub)


_FORM_PARAM_ESCAPES = {'"': "%22", "\\": "\\\\"} | {
    chr(c): f"%{c:02X}" for c in range(0x20) if c != 0x1B
}
_FORM_PARAM_RE = re.compile("|".join(re.escape(c) for c in _FORM_PARAM_ESCAPES))


def _form_param(name: str, value: str) -> str:
    return f'{name}="{_FORM_PARAM_RE.sub(lambda m: _FORM_PARAM_ESCAPES[m.group(0)], value)}"'


def _multipart_pieces(parts: list[_Part], boundary: str) -> list[bytes | _Source]:
    """The body as httpx would render it, with file contents left as sources to stream."""
    pieces: list[bytes | _Source] = []
    for name, (filename, content, content_type) in parts:
        head = f"--{boundary}\r\nContent-Disposition: form-data; {_form_param('name', name)}"
        if filename:
            head += f"; {_form_param('filename', filename)}"
            content_type = content_type or guess_type(filename)
            content_type = content_type or "application/octet-stream"
        if content_type:
            if _BREAKS.search(content_type):  # (a header line of its own: `X-Evil: 1`)
                raise ValueError(f"the content type of part {name!r} holds a line break")
            head += f"\r\nContent-Type: {content_type}"
        pieces += [(head + "\r\n\r\n").encode(), content, b"\r\n"]
    pieces.append(f"--{boundary}--\r\n".encode())
    return pieces


def styled_pairs(
    name: str, value: dict[str, Any] | list[Any], style: str, explode: bool | None
) -> list[tuple[str, str]]:
    """Unencoded ``(name, value)`` pairs of a form-style serialisation (multipart parts)."""
    if style == "deepObject":
        return [(unquote(k), v) for k, v in deep_pairs(name, value)]
    items: list[Any] = list(value.items()) if isinstance(value, dict) else list(value)
    if explode if explode is not None else style == "form":
        if isinstance(value, dict):
            return [(str(k), scalar(v)) for k, v in items if v is not None]
        return [(name, scalar(v)) for v in items if v is not None]
    flat = (
        [x for k, v in items if v is not None for x in (str(k), scalar(v))]
        if isinstance(value, dict)
        else [scalar(v) for v in items if v is not None]
    )
    sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
    return [(name, sep.join(flat))]


def _structured(value: Any) -> bool:
    """JSON-shaped data the caller built (a model, a mapping, a list), not a file or bytes."""
    return isinstance(value, BaseModel | Mapping | list)


def _raw(value: Any) -> bytes | StreamBody:
    """A whole body sent as is: bytes or text; a path, an open file or an iterator (sync or
    async) of bytes, streamed; JSON-shaped data (a model, a dict) as JSON; a number as text."""
    if (data := _as_bytes(value)) is not None:
        return data
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, os.PathLike) or _readable(value):
        return StreamBody([_content(value)])
    if isinstance(value, list | tuple):
        chunks = [_as_bytes(v) for v in cast("list[object]", value)]
        if chunks and None not in chunks:  # chunks already in memory, sent as one
            return b"".join(c or b"" for c in chunks)
    if isinstance(value, AsyncIterable):
        return StreamBody([_AsyncIterSource(cast("AsyncIterable[object]", value))])
    if isinstance(value, Iterator) or (
        isinstance(value, Iterable) and not isinstance(value, Mapping | list | tuple | set)
    ):
        return StreamBody([_IterSource(cast("Iterable[object]", value))])
    data = _plain(jsonable(value), "body")
    return _json(data) if isinstance(data, dict | list) else scalar(data).encode()


_PLAIN = (str, int, float, bool, type(None), bytes, Decimal)


def _plain(value: Any, where: str) -> Any:
    """``value`` (after ``jsonable``) when it is made only of JSON-shaped data; otherwise a
    ``TypeError`` before anything is sent (never ``str(obj)`` on the wire)."""
    _check_plain(value, where)
    return value


def _check_plain(value: object, where: str) -> None:
    if isinstance(value, dict):
        for item in cast("dict[str, object]", value).values():
            _check_plain(item, where)
    elif isinstance(value, list):
        for item in cast("list[object]", value):
            _check_plain(item, where)
    elif not isinstance(value, _PLAIN):
        raise TypeError(
            f"cannot send a {type(value).__module__}.{type(value).__qualname__} in {where!r}: "
            "pass JSON-shaped data (str, int, float, bool, None, dict, list or a model), bytes, "
            "a path, an open binary file or an iterator of bytes"
        )


# --- streamed bodies --------------------------------------------------------------------------


class _Source:
    """One streamed piece of a body."""

    length: int | None = None
    replayable = True
    async_only = False

    def chunks(self) -> Iterator[bytes]:
        raise NotImplementedError

    async def achunks(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks():  # local file reads block briefly, as in httpx
            yield chunk


def _as_bytes(value: object) -> bytes | None:
    """bytes, bytearray and memoryview as bytes; None for anything else."""
    if isinstance(value, memoryview):
        return value.tobytes()
    return bytes(value) if isinstance(value, bytes | bytearray) else None


def _to_bytes(chunk: object) -> bytes:
    if isinstance(chunk, str):
        return chunk.encode()
    if (data := _as_bytes(chunk)) is not None:
        return data
    raise TypeError(f"an upload body must yield bytes, got {type(chunk).__name__}")


class _PathSource(_Source):
    """A file on disk, opened (and closed) at each send: retries re-read it.

    A regular file's size is its length (`Content-Length`, 0 for an empty one), and exactly that
    much is sent (one grown since is cut there; one shrunk is an ``APIError``); anything else (a
    pipe, ``/dev/stdin``, a ``/proc`` file whose size reads 0) is sent chunked, to its end. The size
    on disk was taken as the length of all of them, and h11 raised its own ``LocalProtocolError``
    ("Too much data for declared Content-Length") past ``except APIError``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        found = path.stat()  # also: a missing file fails before sending
        regular = stat.S_ISREG(found.st_mode)
        if regular and found.st_size == 0:  # empty, or `/proc`'s: one byte read tells
            with path.open("rb") as file:
                regular = not file.read(1)
        # (an empty file keeps `Content-Length: 0`: S3's presigned PUTs refuse chunked bodies)
        self.length = found.st_size if regular else None

    def chunks(self) -> Iterator[bytes]:
        with self.path.open("rb") as file:
            if self.length is None:
                while chunk := file.read(CHUNK_SIZE):
                    yield chunk
                return
            left = self.length
            while left > 0:
                chunk = file.read(min(CHUNK_SIZE, left))
                if not chunk:
                    from ._errors import APIError

                    raise APIError(
                        f"{self.path} shrank while it was sent ({self.length - left} of the"
                        f" {self.length} bytes it held when the call began)"
                    )
                left -= len(chunk)
                yield chunk


class _FileSource(_Source):
    """An open file (binary, or text sent as UTF-8), read in chunks from where it stood when
    the call was made; a seekable file is rewound there for a retry."""

    def __init__(self, file: Any) -> None:
        self.file = file
        self.start: int | None = None
        try:
            if file.seekable():
                self.start = file.tell()
                end = file.seek(0, io.SEEK_END)
                file.seek(self.start)
                if not isinstance(file, io.TextIOBase):
                    self.length = end - self.start
        except (AttributeError, OSError, ValueError):
            self.start = None
        self.replayable = self.start is not None
        self._used = False

    def chunks(self) -> Iterator[bytes]:
        if self.start is not None:
            self.file.seek(self.start)
        elif self._used:
            raise RuntimeError("this upload was an unseekable file and has been sent already")
        self._used = True
        while chunk := self.file.read(CHUNK_SIZE):
            yield _to_bytes(chunk)


class _IterSource(_Source):
    """An iterator of bytes, consumed lazily while sending: it can be sent once only."""

    replayable = False

    def __init__(self, iterable: Iterable[Any]) -> None:
        self.iterable = iterable
        self._used = False

    def chunks(self) -> Iterator[bytes]:
        if self._used:
            raise RuntimeError("this upload was an iterator and has been sent already")
        self._used = True
        for chunk in self.iterable:
            yield _to_bytes(chunk)


class _AsyncIterSource(_Source):
    """An async iterator of bytes (``AsyncClient`` only), consumed once, lazily."""

    replayable = False
    async_only = True

    def __init__(self, iterable: AsyncIterable[Any]) -> None:
        self.iterable = iterable
        self._used = False

    def chunks(self) -> Iterator[bytes]:
        raise TypeError("an async iterable upload body needs the AsyncClient")

    async def achunks(self) -> AsyncIterator[bytes]:
        if self._used:
            raise RuntimeError("this upload was an async iterator and has been sent already")
        self._used = True
        async for chunk in self.iterable:
            yield _to_bytes(chunk)


class StreamBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A request body read piece by piece while it is sent (each send starts over)."""

    def __init__(self, pieces: list[bytes | _Source]) -> None:
        self.pieces = pieces
        sources = [p for p in pieces if isinstance(p, _Source)]
        self.replayable = all(s.replayable for s in sources)
        self.async_only = any(s.async_only for s in sources)
        lengths = [len(p) if isinstance(p, bytes) else p.length for p in pieces]
        self.length: int | None = None if None in lengths else sum(x or 0 for x in lengths)

    def in_memory(self) -> bool:
        return all(isinstance(p, bytes) for p in self.pieces)

    def __iter__(self) -> Iterator[bytes]:
        for piece in self.pieces:
            if isinstance(piece, bytes):
                yield piece
            else:
                yield from piece.chunks()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self.pieces:
            if isinstance(piece, bytes):
                yield piece
            else:
                async for chunk in piece.achunks():
                    yield chunk
