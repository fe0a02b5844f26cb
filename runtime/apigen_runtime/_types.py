"""Small shared types: the "argument omitted" sentinel and per-call request options."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath
from typing import IO, Final, Literal, TypeAlias, TypedDict

import httpx

__all__ = ["NOT_GIVEN", "FileInput", "NotGiven", "RequestOptions"]


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


class RequestOptions(TypedDict, total=False):
    """Per-call overrides accepted by every generated method as ``request_options=``."""

    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, object]
    extra_body: Mapping[str, object]
    timeout: float | httpx.Timeout | None
    max_retries: int
    idempotency_key: str
    deadline: float | None  # seconds for the whole call, all attempts and waits included
    retry_count_header: str | None  # the header carrying the retry number; None: not sent


FileContent: TypeAlias = bytes | IO[bytes] | PurePath
FileInput: TypeAlias = (
    FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str | None]
)
"""A file to upload: raw bytes, an open binary file, a path, or ``(filename, content[, type])``."""
