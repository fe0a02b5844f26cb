"""PEP 702's ``deprecated`` for the methods of deprecated operations, async ones included.

``typing_extensions.deprecated`` wraps an ``async def`` in a plain function before Python
3.12 (and with typing-extensions older than 4.13 after it): the method still returns a
coroutine, but ``inspect.iscoroutinefunction`` says it is sync, and so do frameworks that
dispatch on it. Type checkers see the original class (its name is what they flag calls by)."""

from __future__ import annotations

import functools
import inspect
import warnings
from typing import TYPE_CHECKING, Any

import typing_extensions

if TYPE_CHECKING:
    from typing_extensions import deprecated as deprecated
else:
    _MARK = getattr(inspect, "markcoroutinefunction", None)  # Python 3.12+

    class deprecated(typing_extensions.deprecated):
        def __call__(self, arg: Any, /) -> Any:
            if self.category is None or not inspect.iscoroutinefunction(arg):
                return super().__call__(arg)
            message, category, stacklevel = self.message, self.category, self.stacklevel
            if _MARK is not None:  # 3.12+: warned at the call, as a sync method is

                @functools.wraps(arg)
                def wrapper(*args: Any, **kwargs: Any) -> Any:
                    warnings.warn(message, category=category, stacklevel=stacklevel + 1)
                    return arg(*args, **kwargs)

                wrapper = _MARK(wrapper)
            else:  # 3.11 reads a coroutine function off its code: warned at the first await

                @functools.wraps(arg)
                async def wrapper(*args: Any, **kwargs: Any) -> Any:
                    warnings.warn(message, category=category, stacklevel=stacklevel + 1)
                    return await arg(*args, **kwargs)

            arg.__deprecated__ = wrapper.__deprecated__ = message
            return wrapper


__all__ = ["deprecated"]
