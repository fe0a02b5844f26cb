"""Configured client defaults that a copy (`with_options`, `copy`) or a caller's own option
must keep. Helper 211, against a client built from an `apigen.toml`: every copy got a fresh
empty cache (per-call copies always missed; a delete through a copy left the parent's entry
stale), and `retry=RetryPolicy(max_delay=10)` (the README's "default strategy, tuned") stopped
honouring the provider's should-retry header."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import httpx
import pytest

from tests.builds import on_path
from tests.cli.test_config import DEMO, build_client, write


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("copies")
    cfg = write(
        root / "apigen.toml",
        f"""\
        [clients.demo]
        spec = "{DEMO}"
        output = "out/demo"
        package = "copydemo"
        should_retry_header = "x-please-retry"

        [clients.demo.cache]
        ttl = 60
        """,
    )
    with on_path(build_client(cfg), "copydemo") as module:
        yield module


def test_copies_share_the_configured_cache(pkg: ModuleType) -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(f"{request.method} {request.url.path}")
        if request.method == "DELETE":
            return httpx.Response(204)
        return httpx.Response(200, json={"id": "w1", "name": f"v{len(sent)}"})

    client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    first = client.widgets.get("w1")
    again = client.with_options(max_retries=0).widgets.get("w1")  # served from the cache
    assert again.name == first.name and sent == ["GET /widgets/w1"]
    client.copy(timeout=5).widgets.delete("w1")  # a write through a copy retires the entry
    after = client.widgets.get("w1")
    assert sent == ["GET /widgets/w1", "DELETE /widgets/w1", "GET /widgets/w1"]
    assert after.name != first.name
    assert pkg.Client(cache=None).with_options(max_retries=1)._cache is None  # off stays off


@pytest.mark.parametrize("how", ["constructor", "with_options"])
def test_a_tuned_retry_policy_keeps_the_providers_retry_header(pkg: ModuleType, how: str) -> None:
    count = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal count
        count += 1
        return httpx.Response(500, headers={"x-please-retry": "false"}, json={})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    tuned = pkg.RetryPolicy(base_delay=0.0, max_delay=0.0)
    if how == "constructor":
        client = pkg.Client(http_client=http, retry=tuned, cache=None)
    else:
        client = pkg.Client(http_client=http, cache=None).with_options(retry=tuned)
    with pytest.raises(pkg.InternalServerError):
        client.widgets.list()
    assert count == 1  # the server said not to retry
    own = pkg.RetryPolicy(base_delay=0.0, max_delay=0.0, should_retry_header="x-other")
    with pytest.raises(pkg.InternalServerError):
        pkg.Client(http_client=http, retry=own, max_retries=2, cache=None).widgets.list()
    assert count == 4  # a header of the caller's own: theirs, so the 500 was retried
