"""``client.<resource>.with_raw_response.<method>(...)`` and ``.with_streaming_response.``: the
wrappers generated resource classes build from these helpers (one typed attribute per method).
Paginated methods get their own: the raw response of the first page, ``parse()`` the page."""

from __future__ import annotations

import contextlib
import functools
import importlib
from collections.abc import AsyncGenerator, Callable, Coroutine, Generator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import httpx

from ._response import AsyncStreamedResponse, RawResponse, StreamedResponse

if TYPE_CHECKING:  # pages are imported by the list call itself, not by this module
    from ._pagination import (  # _PageBase: the pages' shared base, internal to the runtime
        AsyncPage,
        AsyncPaginator,
        SyncPage,
        _PageBase,  # pyright: ignore[reportPrivateUsage]
    )

__all__ = [
    "part_attribute",
    "part_method",
    "raw_async_page",
    "raw_page",
    "streaming_async_page",
    "streaming_page",
]

T = TypeVar("T")
PageT = TypeVar("PageT", bound="_PageBase[Any]")
P = ParamSpec("P")


def _response_of(page: _PageBase[Any]) -> httpx.Response:
    if page.response is None:  # pragma: no cover - every fetched page records its response
        raise TypeError("the page has no HTTP response")
    return page.response


class _PageStreamed(StreamedResponse[PageT]):
    """A page's (already read) response; ``parse()`` is the page."""

    def __init__(self, page: PageT) -> None:
        super().__init__(page.request.op, _response_of(page))
        self._page = page

    def parse(self) -> PageT:
        return self._page


class _AsyncPageStreamed(AsyncStreamedResponse[PageT]):
    def __init__(self, page: PageT) -> None:
        super().__init__(page.request.op, _response_of(page))
        self._page = page

    async def parse(self) -> PageT:
        return self._page


def raw_page(method: Callable[P, SyncPage[T]]) -> Callable[P, RawResponse[SyncPage[T]]]:
    """``with_raw_response`` for a sync list method: the first page's response."""

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[SyncPage[T]]:
        page = method(*args, **kwargs)
        return RawResponse(_response_of(page), lambda: page)

    return call


def raw_async_page(
    method: Callable[P, AsyncPaginator[T]],
) -> Callable[P, Coroutine[Any, Any, RawResponse[AsyncPage[T]]]]:
    """``with_raw_response`` for an async list method: ``await`` it for the first page's."""

    @functools.wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[AsyncPage[T]]:
        page = await method(*args, **kwargs)
        return RawResponse(_response_of(page), lambda: page)

    return call


def streaming_page(
    method: Callable[P, SyncPage[T]],
) -> Callable[P, AbstractContextManager[StreamedResponse[SyncPage[T]]]]:
    """``with_streaming_response`` for a sync list method (a page is small: it is read)."""

    @contextlib.contextmanager
    def call(
        *args: P.args, **kwargs: P.kwargs
    ) -> Generator[StreamedResponse[SyncPage[T]], None, None]:
        response = _PageStreamed(method(*args, **kwargs))
        try:
            yield response
        finally:
            response.close()

    return call


def streaming_async_page(
    method: Callable[P, AsyncPaginator[T]],
) -> Callable[P, AbstractAsyncContextManager[AsyncStreamedResponse[AsyncPage[T]]]]:
    """``with_streaming_response`` for an async list method."""

    @contextlib.asynccontextmanager
    async def call(
        *args: P.args, **kwargs: P.kwargs
    ) -> AsyncGenerator[AsyncStreamedResponse[AsyncPage[T]], None]:
        response = _AsyncPageStreamed(await method(*args, **kwargs))
        try:
            yield response
        finally:
            await response.close()

    return call


def part_method(
    resource: object, name: str, package: str | None, parts: dict[str, tuple[str, str]]
) -> Any:
    """A large resource's method from the part module that defines it (imported on first use:
    resolving one method of GitHub's `repos` loads one of its 14 modules, not all), bound to
    `resource` and kept on it. Unknown names raise `AttributeError` as usual."""
    where = parts.get(name)
    if where is None:
        raise AttributeError(f"{type(resource).__name__!r} object has no attribute {name!r}")
    module = importlib.import_module(where[0], package)
    function = getattr(getattr(module, where[1]), name)
    bound = function.__get__(resource, type(resource))
    resource.__dict__[name] = bound
    return bound


def part_attribute(
    owner: object,
    name: str,
    package: str | None,
    parts: dict[str, str],
    classes: dict[str, str],
    kind: str = "",
) -> Any:
    """A large resource's method, or its raw/streaming wrapper, from the part module that
    defines it (imported on first use), kept on `owner`. `parts`: method -> part module;
    `classes`: part module -> its class (sync or async, as `owner` is). `kind` empty: `owner`
    is the resource and the method is bound to it; else `owner` is the resource's
    `With<kind>` wrapper (`self._resource`) and the part's `<class>With<kind>` wrappers of
    that part's methods are copied onto it. Unknown names raise `AttributeError` as usual."""
    where = parts.get(name)
    if where is None:
        raise AttributeError(f"{type(owner).__name__!r} object has no attribute {name!r}")
    cls = getattr(importlib.import_module(where, package), classes[where] + kind)
    if not kind:
        bound = getattr(cls, name).__get__(owner, type(owner))
        owner.__dict__[name] = bound
        return bound
    wrappers: object = cls(owner._resource)  # type: ignore[attr-defined]
    found: dict[str, object] = vars(wrappers)
    for attr, value in found.items():
        if attr != "_resource":
            owner.__dict__.setdefault(attr, value)
    return owner.__dict__[name]
