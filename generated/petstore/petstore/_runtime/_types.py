"""Small shared types: the "argument omitted" sentinel and per-call request options."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import (
    IO,
    TYPE_CHECKING,
    Final,
    Literal,
    Protocol,
    TypeAlias,
    TypedDict,
    TypeVar,
    overload,
)

import httpx

__all__ = [
    "NOT_GIVEN",
    "ExtraBody",
    "ExtraHeaders",
    "ExtraQuery",
    "FileInput",
    "NotGiven",
    "Omit",
    "RequestOptions",
    "SequenceNotStr",
    "TimeoutOption",
    "omit",
    "request_options",
]


_T_co = TypeVar("_T_co", covariant=True)

if TYPE_CHECKING:

    class SequenceNotStr(Protocol[_T_co]):
        """What an array argument takes: a list, a tuple, any other sequence but a ``str`` (a
        ``str`` is a ``Sequence[str]`` of its characters: ``tags="a"`` went out as one string
        where the API asks for an array). ``str`` does not fit: its ``__contains__`` takes
        ``str`` only, where this takes any object. ``__getitem__`` takes ``int``, as typeshed's
        ``Sequence`` (``SupportsIndex`` refused a caller's own ``Sequence[str]`` under mypy);
        no ``index``/``count`` (with ``value: Any`` against ``list.index(value: T)``, mypy read
        ``[1, 2]`` as a ``list[Any]`` and took it for strings: helper 180). At run time it is
        ``collections.abc.Sequence`` (pydantic validates a TypedDict that holds one)."""

        @overload
        def __getitem__(self, index: int, /) -> _T_co: ...
        @overload
        def __getitem__(self, index: slice, /) -> Sequence[_T_co]: ...
        def __contains__(self, value: object, /) -> bool: ...
        def __len__(self) -> int: ...
        def __iter__(self) -> Iterator[_T_co]: ...
        def __reversed__(self) -> Iterator[_T_co]: ...

else:
    SequenceNotStr = Sequence


class NotGiven:
    """Marks an omitted argument, so that ``None`` can keep meaning an explicit JSON ``null``."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


class Omit:
    """Drops a default header for one call: ``extra_headers={"User-Agent": omit}``."""

    _instance: Omit | None = None

    def __new__(cls) -> Omit:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "omit"

    def __reduce__(self) -> str:
        return "omit"


omit: Final = Omit()


class RequestOptions(TypedDict, total=False):
    """Per-call overrides. Generated methods take them as keyword arguments (``extra_headers=``,
    ``extra_query=``, ``extra_body=``, ``timeout=``, ``max_retries=``, ``idempotency_key=``,
    ``deadline=``, ``retry_count_header=``) and pass them on as this dict
    (``request_options(...)``)."""

    extra_headers: ExtraHeaders
    extra_query: Mapping[str, object]
    extra_body: Mapping[str, object]
    timeout: float | httpx.Timeout | None
    max_retries: int
    idempotency_key: str | None  # None: a nullable key property sent as null; no header
    deadline: float | None  # seconds for the whole call, all attempts and waits included
    retry_count_header: str | None  # the header carrying the retry number; None: not sent


FileContent: TypeAlias = (
    bytes
    | bytearray
    | memoryview
    | IO[bytes]
    | os.PathLike[str]
    | Iterator[bytes]
    | AsyncIterator[bytes]
)
FileInput: TypeAlias = (
    FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str | None]
)
"""A file to upload: raw bytes, an open binary file, a path (any ``os.PathLike``), an iterator
of bytes (a generator: streamed once, so not retried; an async one with ``AsyncClient``), or
``(filename, content[, type])``."""


ExtraHeaders: TypeAlias = Mapping[str, "str | Omit"]
ExtraQuery: TypeAlias = Mapping[str, object]
ExtraBody: TypeAlias = Mapping[str, object]
TimeoutOption: TypeAlias = float | httpx.Timeout | None
"""Seconds (or an ``httpx.Timeout``) for one call; ``None`` waits forever."""


def request_options(
    extra_headers: ExtraHeaders | None = None,
    extra_query: ExtraQuery | None = None,
    extra_body: ExtraBody | None = None,
    timeout: TimeoutOption | NotGiven = NOT_GIVEN,
    max_retries: int | NotGiven = NOT_GIVEN,
    idempotency_key: str | NotGiven | None = NOT_GIVEN,
    deadline: float | NotGiven | None = NOT_GIVEN,
    retry_count_header: str | NotGiven | None = NOT_GIVEN,
) -> RequestOptions:
    """The per-call keyword arguments of a generated method, as the runtime's options dict
    (omitted ones left out, so the client's own settings apply)."""
    options = RequestOptions()
    if extra_headers is not None:
        options["extra_headers"] = extra_headers
    if extra_query is not None:
        options["extra_query"] = extra_query
    if extra_body is not None:
        options["extra_body"] = extra_body
    if not isinstance(timeout, NotGiven):
        options["timeout"] = timeout
    if not isinstance(max_retries, NotGiven):
        options["max_retries"] = max_retries
    if not isinstance(idempotency_key, NotGiven):
        options["idempotency_key"] = idempotency_key
    if not isinstance(deadline, NotGiven):
        options["deadline"] = deadline
    if not isinstance(retry_count_header, NotGiven):
        options["retry_count_header"] = retry_count_header
    return options
