"""OpenAPI 3.2 documents are read (they were refused: "apigen reads Swagger 2.0 and OpenAPI
3.0/3.1"), validated by openapi-spec-validator's 3.2 validator, and their new operations are
methods: `query` (the HTTP QUERY method: safe, idempotent, with a body) and
`additionalOperations` (`COPY`). `itemSchema` streams were read already. An `in: querystring`
parameter is named and left out (a warning, not silence)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from apigen.diagnostics import Report
from apigen.pipeline import build
from tests.builds import build_into, on_path
from tests.conftest import FIXTURES

SPEC = FIXTURES / "openapi_32.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report]:
    out = tmp_path_factory.mktemp("oas32") / "oas32"
    result = build(SPEC, out, name="oas32")
    return out, result.report


@pytest.fixture
def pkg(built: tuple[Path, Report]) -> Iterator[ModuleType]:
    with on_path(built[0], "oas32") as pkg:
        yield pkg


THING = {"id": "t1", "kind": "a", "pet": {"type": "Cat", "meow": True}}


def _answer(request: httpx.Request) -> httpx.Response:
    if request.method == "QUERY":
        assert json.loads(request.content) == {"text": "t", "limit": 2}
        return httpx.Response(200, json=[THING])
    if request.method == "COPY":
        assert request.headers["Destination"] == "/things/t2"
        return httpx.Response(201, json={**THING, "id": "t2"})
    if request.url.path.endswith("/things"):
        lines = b"".join(json.dumps({**THING, "id": f"t{i}"}).encode() + b"\n" for i in (1, 2))
        return httpx.Response(200, content=lines, headers={"Content-Type": "application/jsonl"})
    return httpx.Response(200, json=THING)


def test_query_and_additional_operations_are_methods(pkg: ModuleType) -> None:
    transport = httpx.MockTransport(_answer)
    client = pkg.Client(
        base_url="https://api.test/v1", http_client=httpx.Client(transport=transport)
    )
    (found,) = client.search.search_things(text="t", limit=2)
    assert found.id == "t1" and found.pet.meow is True
    assert client.things.copy("t1", destination="/things/t2").id == "t2"
    assert [t.id for t in client.things.list()] == ["t1", "t2"]  # itemSchema, JSON lines

    async def calls() -> str:
        aclient = pkg.AsyncClient(
            base_url="https://api.test/v1", http_client=httpx.AsyncClient(transport=transport)
        )
        (thing,) = await aclient.search.search_things(text="t", limit=2)
        copied = await aclient.things.copy("t1", destination="/things/t2")
        return f"{thing.id} {copied.id}"

    assert asyncio.run(calls()) == "t1 t2"


def test_a_query_is_retried_as_a_safe_method(pkg: ModuleType) -> None:
    """QUERY is safe and idempotent (RFC 9110 draft, OpenAPI 3.2): a 503 is retried, and no
    idempotency key is invented for it."""
    sent: list[httpx.Request] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(503) if len(sent) == 1 else httpx.Response(200, json=[])

    client = pkg.Client(
        base_url="https://api.test/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(flaky)),
        idempotency_header="Idempotency-Key",
    )
    client._sleep = lambda seconds: None
    assert client.search.search_things(text="t") == []
    assert [r.method for r in sent] == ["QUERY", "QUERY"]
    assert "Idempotency-Key" not in sent[0].headers


def test_the_querystring_parameter_is_named_and_left_out(built: tuple[Path, Report]) -> None:
    (warned,) = [d for d in built[1].items if "querystring" in d.message]
    assert warned.pointer == "#/paths/~1things/get/parameters/0"
    assert warned.action == "parameter left out: pass the query with `extra_query=`"


def test_a_broken_32_document_is_reported_where_it_is_wrong(tmp_path: Path) -> None:
    text = SPEC.read_text().replace("type: array", "type: arrray", 1)
    text = text.replace("parent: things", "parent: nope")
    spec = tmp_path / "broken.yaml"
    spec.write_text(text)
    report = build(spec, tmp_path / "out", name="broken").report
    found = {(d.pointer, d.message) for d in report.items}
    assert ("#/tags", "Tag 'search' references unknown parent tag 'nope'") in found
    assert any(
        p.endswith("/query/responses/200/content/application~1json/schema/type") and "arrray" in m
        for p, m in found
    )


@pytest.mark.slow
def test_the_contract_run_drives_the_query_and_names_what_it_skips(tmp_path: Path) -> None:
    from apigen.contract import ContractConfig, run_contract

    build_into(SPEC, tmp_path / "oas32c", name="oas32c")
    report = run_contract(ContractConfig(tmp_path / "oas32c", spec=SPEC, max_examples=5, seed=0))
    by_id = {r.operation_id: r for r in report.operations}
    assert all(not r.failures for r in report.operations), [r.failures for r in report.operations]
    assert by_id["searchThings"].calls > 0 and by_id["listThings"].calls > 0
    assert by_id["copyThing"].skipped.startswith("no case drawn for COPY")
