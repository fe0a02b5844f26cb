"""`_rt.deprecated` on an `async def`: still a coroutine function, warning the caller.

typing-extensions' decorator made it a plain function before Python 3.12 (helper 184). Where
Python can mark a function as a coroutine function (3.12+, `inspect.markcoroutinefunction`),
the wrapper is sync and warns at the call, as a sync method's does (the review: an `async def`
wrapper warned at the first await, attributed to asyncio under `gather`); on 3.11 it is an
`async def` and warns at the first await."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

import pytest

import apigen_runtime as rt
from apigen_runtime import _deprecated


class Old:
    @rt.deprecated("old.m() is deprecated")
    async def m(self, x: int) -> int:
        return x + 1


def test_an_async_method_stays_a_coroutine_function_and_warns() -> None:
    assert inspect.iscoroutinefunction(Old.m)
    assert Old.m.__deprecated__ == "old.m() is deprecated"  # type: ignore[attr-defined]

    async def call() -> int:
        with pytest.warns(DeprecationWarning, match="old.m") as caught:
            result = await Old().m(1)
        assert caught[0].filename == __file__
        return result

    assert asyncio.run(call()) == 2


def test_where_python_marks_coroutine_functions_the_call_warns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    marked: list[Callable[..., Any]] = []

    def mark(function: Callable[..., Any]) -> Callable[..., Any]:
        marked.append(function)
        return function

    monkeypatch.setattr(_deprecated, "_MARK", mark)

    class Later:
        @rt.deprecated("later.m() is deprecated")
        async def m(self) -> int:
            return 3

    assert marked  # the sync wrapper, marked
    with pytest.warns(DeprecationWarning, match="later.m") as caught:
        pending = Later().m()  # warned here, before any await
    assert caught[0].filename == __file__
    assert asyncio.run(pending) == 3
