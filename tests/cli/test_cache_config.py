"""Issue 12: configuration turns the response cache on (`[clients.x.cache]`): the generated
client then caches unless the caller passes `cache=None` or a cache of its own."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from apigen.config import ConfigError, load_config
from apigen.ir.options import ApiOptions
from apigen.pipeline import build
from tests.builds import on_path
from tests.conftest import FIXTURES

SPEC = FIXTURES / "first-contact.yaml"


def test_configured_cache_is_the_client_default(tmp_path: Path) -> None:
    build(SPEC, tmp_path / "cachedpkg", options=ApiOptions(cache={"ttl": 60, "max_entries": 10}))
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "cus_1", "name": "Ada"})

    with on_path(tmp_path / "cachedpkg", "cachedpkg") as pkg:
        http = httpx.Client(transport=httpx.MockTransport(handler))
        client = pkg.Client(api_key="k", http_client=http)
        statuses = [client.customers.with_raw_response.retrieve("c").cache_status for _ in range(2)]
        assert statuses == ["miss", "hit"] and len(seen) == 1
        plain = pkg.Client(api_key="k", http_client=http, cache=None)  # opted out
        plain.customers.retrieve("c")
        plain.customers.retrieve("c")
        assert len(seen) == 3
        other = pkg.Client(api_key="k", http_client=http)  # its own cache, not the first's
        assert other.customers.with_raw_response.retrieve("c").cache_status == "miss"


def test_unconfigured_client_has_no_cache(tmp_path: Path) -> None:
    build(SPEC, tmp_path / "plainpkg")
    source = (tmp_path / "plainpkg" / "plainpkg" / "_client.py").read_text()
    assert "cache=None if isinstance(cache, _rt.NotGiven) else cache" in source


def test_cache_keys_are_checked(tmp_path: Path) -> None:
    (tmp_path / "apigen.toml").write_text(
        f'[clients.x]\nspec = "{SPEC}"\noutput = "out"\n[clients.x.cache]\nttl = -1\nsize = 3\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "apigen.toml").clients[0].problems()
    text = "\n".join(caught.value.problems)
    assert "clients.x.cache.ttl" in text and "clients.x.cache.size: unknown key" in text
