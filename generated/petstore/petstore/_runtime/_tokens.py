"""The client's OAuth token cache: every client has one, so it lives apart from the OAuth flows
(``_oauth.py``), which a client without OAuth never imports."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, cast

from ._drivers import FlowLock

if TYPE_CHECKING:
    from ._oauth import Token, TokenStore

__all__ = ["TokenCache"]


def _is_code_key(key: Hashable) -> bool:
    """An authorization-code token's cache key: ``("code", ...)``."""
    return isinstance(key, tuple) and cast("tuple[object, ...]", key)[:1] == ("code",)


class TokenCache:
    """One client's tokens, the lock that makes renewals single-flight, and its token store."""

    def __init__(self) -> None:
        self.lock = FlowLock()
        self._store: TokenStore | None = None
        self._tokens: dict[Hashable, Token | None] = {}

    def __repr__(self) -> str:
        return f"<TokenCache of {len(self._tokens)} tokens>"

    @property
    def store(self) -> TokenStore | None:
        """Client-wide store for authorization-code tokens (wins over a scheme's own store)."""
        return self._store

    @store.setter
    def store(self, store: TokenStore | None) -> None:
        self._store = store
        stale: list[Hashable] = [k for k in self._tokens if _is_code_key(k)]
        for key in stale:
            del self._tokens[key]  # reload from the new store on next use

    def get(self, key: Hashable, initial: Callable[[], Token | None]) -> Token | None:
        if key not in self._tokens:
            self._tokens[key] = initial()
        return self._tokens[key]

    def put(self, key: Hashable, token: Token) -> None:
        self._tokens[key] = token
