"""Drawn responses (variety, validity, determinism), `Prefer`, recording and canned answers."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS30Validator

from apigen.sandbox import Sandbox
from apigen.sandbox._server import parse_prefer
from tests.conftest import shared_specs

from .test_validation import AUTH, DOG, SHOP

ITEM = "/v1/items/1"


def _item_errors(value: Any) -> list[str]:
    root = {"components": SHOP["components"], "allOf": [{"$ref": "#/components/schemas/Item"}]}
    validator = OAS30Validator(root, format_checker=OAS30Validator.FORMAT_CHECKER)
    return [e.message for e in validator.iter_errors(value)]


def test_drawn_responses_vary_and_stay_valid() -> None:
    seen_null = seen_omitted = seen_extra = False
    branches: set[str] = set()
    emails: set[str] = set()
    for seed in range(8):
        sandbox = Sandbox(SHOP, seed=seed)
        for _ in range(5):
            reply = sandbox.handle("GET", ITEM, AUTH)
            assert reply.status == 200
            item = reply.json()
            assert _item_errors(item) == [], item
            seen_null |= item["note"] is None
            seen_omitted |= "email" not in item or "created" not in item
            seen_extra |= any(k.startswith("x_sandbox_extra") for k in item)
            branches |= set(item["kind"])
            emails.add(item.get("email", ""))
    assert seen_null, "a nullable field was never null"
    assert seen_omitted, "an optional field was never left out"
    assert seen_extra, "no unknown field was ever added"
    assert branches == {"meow", "bark"}, "oneOf branches not all drawn"
    assert len(emails) > 5


def test_successive_draws_differ_and_replay_per_seed() -> None:
    def bodies(seed: int) -> list[bytes]:
        sandbox = Sandbox(SHOP, seed=seed)
        return [sandbox.handle("GET", ITEM, AUTH).body for _ in range(6)]

    first = bodies(11)
    assert len(set(first)) > 1, "every request got the same body"
    assert bodies(11) == first  # same seed, same sequence of bytes
    assert bodies(12) != first


def test_same_bytes_over_http_for_same_seed() -> None:
    runs = []
    for _ in range(2):
        with (
            Sandbox(SHOP, seed=5) as sandbox,
            httpx.Client(base_url=sandbox.url or "", headers=AUTH) as client,
        ):
            runs.append([client.get("/items", params={"limit": "2"}).content for _ in range(3)])
    assert runs[0] == runs[1]


def test_parse_prefer() -> None:
    assert parse_prefer('code=404, example="dog"; dynamic=false') == {
        "code": "404",
        "example": "dog",
        "dynamic": "false",
    }
    assert parse_prefer(None) == {}


def test_prefer_code_example_and_dynamic() -> None:
    sandbox = Sandbox(SHOP, seed=1)

    def get(prefer: str) -> Any:
        return sandbox.handle("GET", ITEM, {**AUTH, "Prefer": prefer})

    missing = get("code=404")
    assert missing.status == 404
    assert set(missing.json()) <= {"message", "documentation_url"}

    undeclared = get("code=418")
    assert undeclared.status == 400
    assert "code=418 is not a declared response" in undeclared.json()["message"]  # its 4xx shape

    assert get("example=dog").json() == DOG
    assert get("example=cat").json()["name"] == "Tom"
    unknown = get("example=bird")
    assert unknown.status == 400
    assert "declared: cat, dog" in unknown.json()["message"]

    static = {get("dynamic=false").body for _ in range(3)}
    assert len(static) == 1
    assert json.loads(static.pop())["name"] == "Tom"  # the first named example
    drawn = {get("dynamic=true").body for _ in range(4)}
    assert len(drawn) > 1


def test_static_sandbox_draws_only_when_asked() -> None:
    sandbox = Sandbox(SHOP, dynamic=False)
    bodies = {sandbox.handle("GET", ITEM, AUTH).body for _ in range(3)}
    assert len(bodies) == 1
    drawn = {sandbox.handle("GET", ITEM, {**AUTH, "Prefer": "dynamic=true"}).body for _ in range(4)}
    assert len(drawn) > 1


def test_prefer_does_not_bypass_validation() -> None:
    sandbox = Sandbox(SHOP)
    reply = sandbox.handle("GET", "/v1/items", {**AUTH, "Prefer": "code=200"})
    assert reply.status == 400  # `limit` is still required


def test_recorded_requests_are_a_bounded_ring() -> None:
    sandbox = Sandbox(SHOP, record_limit=5)
    for limit in range(1, 9):
        sandbox.handle("GET", f"/v1/items?limit={limit}", AUTH)
    sandbox.handle("GET", "/v1/items?limit=0", AUTH)
    assert len(sandbox.requests) == 5
    last = sandbox.requests[-1]
    assert (last.query, last.status, last.operation_id) == ([("limit", "0")], 400, "listItems")
    assert last.problem is not None and "'limit'" in last.problem
    assert [r.query[0][1] for r in sandbox.requests[:-1]] == ["5", "6", "7", "8"]
    assert all(r.problem is None and r.status == 200 for r in sandbox.requests[:-1])
    sandbox.reset()
    assert len(sandbox.requests) == 0


def test_respond_cans_answers_but_still_validates() -> None:
    with (
        Sandbox(SHOP) as sandbox,
        httpx.Client(base_url=sandbox.url or "", headers=AUTH) as client,
    ):
        sandbox.respond("GET", "/items/{id}", 503, json={"error": {"type": "api_error"}})
        sandbox.respond("GET", "/not/declared", 200, json=[1])
        answered = client.get("/items/4")
        assert (answered.status_code, answered.json()) == (503, {"error": {"type": "api_error"}})
        assert client.get("/items/x").status_code == 400  # an invalid request stays invalid
        assert client.get("/not/declared").json() == [1]
        assert [r.status for r in sandbox.requests] == [503, 400, 200]


def test_sandbox_from_a_spec_path() -> None:
    sandbox = Sandbox(shared_specs() / "petstore.yaml", seed=2)
    url = sandbox.start()
    try:
        assert sandbox.port is not None and url.endswith(f":{sandbox.port}/v2")
        response = httpx.get(url + "/pet/3", headers={"api_key": "k"}, timeout=5)
        assert response.status_code == 200
        assert {"name", "photoUrls"} <= response.json().keys()
    finally:
        sandbox.stop()
    assert sandbox.port is None


def test_fifty_concurrent_clients_are_all_answered() -> None:
    results: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    with Sandbox(SHOP) as sandbox:

        def client() -> None:
            try:
                with httpx.Client(base_url=sandbox.url or "", headers=AUTH, timeout=20) as c:
                    codes = [c.get("/items", params={"limit": "3"}).status_code for _ in range(4)]
                with lock:
                    results.extend(codes)
            except BaseException as exc:  # collected, then asserted on below
                with lock:
                    errors.append(exc)

        threads = [threading.Thread(target=client) for _ in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert results == [200] * 200


def test_connection_cap_answers_503_instead_of_queueing() -> None:
    with (
        Sandbox(SHOP, max_connections=1) as sandbox,
        httpx.Client(base_url=sandbox.url or "", headers=AUTH, timeout=5) as first,
    ):
        assert first.get("/items", params={"limit": "1"}).status_code == 200  # holds its slot
        second = httpx.get(f"{sandbox.url}/items?limit=1", headers=AUTH, timeout=5)
        assert second.status_code == 503
        assert "too many open connections" in second.json()["error"]["message"]


@pytest.mark.parametrize("name", ["stripe", "github"])
def test_real_spec_draws_vary(
    name: str, stripe_doc: dict[str, Any], github_doc: dict[str, Any]
) -> None:
    document = stripe_doc if name == "stripe" else github_doc
    sandbox = Sandbox(document, seed=4)
    path, headers = (
        ("/v1/customers/cus_1", {"Authorization": "Bearer sk"})
        if name == "stripe"
        else ("/repos/o/r", {})
    )
    bodies = [sandbox.handle("GET", path, headers).json() for _ in range(6)]
    assert len({json.dumps(b, sort_keys=True) for b in bodies}) > 1


def test_link_pagination_points_back_at_the_sandbox(github_doc: dict[str, Any]) -> None:
    # GitHub declares `Link` with the example `<https://api.github.com/resource?page=2>`:
    # served as is, a client could only refuse it (another origin) or leave the sandbox.
    sandbox = Sandbox(github_doc)
    links = []
    for target in (
        "/repos/o/r/issues?per_page=2",
        "/repos/o/r/issues?per_page=2&page=2",
        "/repos/o/r/issues?per_page=2&page=3",
    ):
        for dynamic in ("true", "false"):
            reply = sandbox.handle("GET", target, {"Prefer": f"dynamic={dynamic}"})
            assert reply.status == 200
            links.append(reply.headers["Link"])
    first, _, second, _, third, static_third = links
    assert first == (
        '</repos/o/r/issues?per_page=2&page=2>; rel="next", '
        '</repos/o/r/issues?per_page=2&page=3>; rel="last"'
    )
    assert '</repos/o/r/issues?per_page=2&page=3>; rel="next"' in second
    assert 'rel="next"' not in third and 'rel="prev"' in third and third == static_third
    assert "api.github.com" not in "".join(links)
    # `GET /organizations` pages by `since` (an id): no `page` to move on, so no Link at all
    organizations = sandbox.handle("GET", "/organizations?per_page=2")
    assert organizations.status == 200 and "Link" not in organizations.headers


def test_a_declared_content_encoding_is_not_sent() -> None:
    # Notion declares `Content-Encoding` (example gzip) with its other recorded headers: sent
    # over an uncompressed body, every client failed to decode the response
    header = {"schema": {"type": "string", "example": "gzip"}}
    ok = {
        "description": "OK",
        "headers": {"Content-Encoding": header, "CF-RAY": {"schema": {"type": "string"}}},
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/blocks": {"get": {"responses": {"200": ok}}}},
    }
    reply = Sandbox(doc).handle("GET", "/blocks", {})
    assert reply.status == 200 and "CF-RAY" in reply.headers
    assert "content-encoding" not in {name.lower() for name in reply.headers}
