"""A call asks for the JSON type its success is declared as: `Accept: application/hal+json`,
not `application/json`, which a server that negotiates content answers with 406 (Prism did, for
`application/vnd.api+json`, `application/hal+json`: a hand-written spec, 2026-12-04). 269
operations of the shared specs declare such a type (gsmtasks' `application/json; version=...`,
openfintech's JSON:API, Amadeus)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import apigen_runtime as rt
from apigen.ir.operations import accept_header

from .conftest import Recorder, op


async def _accepts(operation: rt.Operation[Any], **kwargs: Any) -> list[str | None]:
    recorder = Recorder(httpx.Response(200, json={}), httpx.Response(200, json={}))
    transport = httpx.MockTransport(recorder)
    base = "https://api.test"
    rt.SyncAPIClient(
        base_url=base, http_client=httpx.Client(transport=transport), **kwargs
    ).request(operation, {})
    client = rt.AsyncAPIClient(
        base_url=base, http_client=httpx.AsyncClient(transport=transport), **kwargs
    )
    await client.request(operation, {})
    return [r.headers.get("Accept") for r in recorder.requests]


async def test_the_declared_json_type_is_asked_for() -> None:
    assert await _accepts(op(accept="application/vnd.api+json")) == ["application/vnd.api+json"] * 2
    assert await _accepts(op()) == ["application/json"] * 2  # plain JSON, as before


async def test_the_caller_s_accept_header_wins() -> None:
    hal = op(accept="application/hal+json")
    mine = {"default_headers": {"Accept": "application/json"}}
    assert await _accepts(hal, **mine) == ["application/json"] * 2


@pytest.mark.parametrize(
    ("declared", "accept"),
    [
        ([], None),
        (["application/json"], None),
        (["application/json; charset=utf-8", "*/*"], None),
        (["application/vnd.api+json"], "application/vnd.api+json"),
        (["application/json", "application/hal+json"], "application/json, application/hal+json"),
        (["application/json; version=2.4"], "application/json; version=2.4"),
        (["application/x+json", "application/x+json"], "application/x+json"),
        (["application/x+json;\n  v=1"], "application/x+json; v=1"),
        (["application/x+json\x00", "application/é+json"], None),  # no header value
    ],
)
def test_which_accept_a_declaration_makes(declared: list[str], accept: str | None) -> None:
    assert accept_header(declared) == accept


async def test_a_success_declared_only_as_default_asks_for_its_json() -> None:
    """A helper's Swagger 2.0 probe: an operation whose only response is `default` (typed as
    its model) sent `Accept: */*`, and a server preferring the first `produces` type
    (`application/xml`) answered XML, which the call could not parse."""
    default_only = op(responses={"default": rt.Response(dict[str, Any], "json")})
    assert await _accepts(default_only) == ["application/json"] * 2
    with_ok = op(
        responses={
            "204": rt.Response(None, "empty"),
            "default": rt.Response(dict[str, Any], "json"),
        }
    )
    assert await _accepts(with_ok) == ["*/*"] * 2  # the 2xx decides: nothing to ask for
