"""Path keys holding a query or a fragment (tests/fixtures/path-keys.yaml, decisions.md 27):
the IR's wire path and parameters, the URL the client sends, sandbox routing, a contract run."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from apigen.contract import ContractConfig, run_contract
from apigen.diagnostics import Report
from apigen.ir import Api, build_api
from apigen.ir.nodes import LiteralOf, Prim
from apigen.path_keys import split_key
from apigen.pipeline import _reserved, open_spec
from apigen.sandbox import Sandbox
from tests.builds import api_of, build_into, on_path
from tests.conftest import ROOT

SPEC = ROOT / "tests" / "fixtures" / "path-keys.yaml"


@pytest.fixture(scope="module")
def api() -> Api:
    report = Report()
    loaded, name = open_spec(SPEC, report=report)
    reserved_client, reserved_resource = _reserved()
    return build_api(
        loaded.document,
        package="keys",
        spec_file=name,
        spec_sha256="",
        report=report,
        reserved_client=reserved_client,
        reserved_resource=reserved_resource,
    )


def test_split_key() -> None:
    key = split_key("/w?lat={lat}&units=metric#x")
    assert (key.wire, key.bound, key.constants, key.fragment) == (
        "/w",
        (("lat", "lat"),),
        (("units", "metric"),),
        "x",
    )
    assert split_key("/#Action=Run").fragment_pairs == (("Action", "Run"),)
    assert split_key("/a/{b}").plain


def test_wire_paths_and_names(api: Api) -> None:
    calls = {op.path: (op.wire_path, ".".join([*op.resource, op.name])) for op in api.operations}
    assert calls["/#X-Amz-Target=Things.DescribeThing"] == ("/", "root.describe_thing")
    assert calls["/weather?city={city}"] == ("/weather", "weather.retrieve_by_city")
    assert calls["/things/{id}#labels"] == ("/things/{id}", "things.remove_labels")
    twins = {op.method: op.name for op in api.operations if op.path == "/#Action=StartThing"}
    assert twins == {"get": "start_thing", "post": "start_thing_post"}


def test_constants_and_bound_parameters(api: Api) -> None:
    by_path = {(op.path, op.method): op for op in api.operations}
    start = by_path[("/#Action=StartThing", "get")]
    consts = {p.wire_name: p.const for p in start.params if p.has_const}
    assert consts == {"Action": "StartThing", "Version": "2020-01-01"}
    assert not next(p for p in start.params if p.wire_name == "ThingId").has_const
    weather = by_path[("/weather?lat={lat}&lon={lon}&units=metric", "get")]
    where = {p.wire_name: (p.location, p.has_const, p.const) for p in weather.params}
    assert where == {
        "lat": ("query", False, None),
        "lon": ("query", False, None),
        "units": ("query", True, "metric"),
    }
    target = by_path[("/#X-Amz-Target=Things.DescribeThing", "post")]
    header = next(p for p in target.params if p.location == "header")
    assert (header.has_const, header.const) == (True, "Things.DescribeThing")


def test_a_query_constant_takes_the_declared_parameter_s_type_or_the_key_s(tmp_path: Path) -> None:
    """Helper 174: `?n=5` with a declared integer `n` rendered `n: int = "5"`, `?comp=block`
    beside `enum: [list]` `comp: Literal["list"] = "block"`, `?x=1&x=2` `x: Literal["1"] = "2"`:
    each failed mypy --strict, unwarned."""

    def query(name: str, schema: dict[str, object]) -> dict[str, object]:
        return {"name": name, "in": "query", "required": True, "schema": schema}

    ok = {"200": {"description": "ok"}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a?comp=block": {
                "put": {
                    "operationId": "putBlock",
                    "parameters": [query("comp", {"type": "string", "enum": ["list"]})],
                    "responses": ok,
                }
            },
            "/b?n=5&on=true": {
                "get": {
                    "operationId": "getB",
                    "parameters": [
                        query("n", {"type": "integer"}),
                        query("on", {"type": "boolean"}),
                    ],
                    "responses": ok,
                }
            },
            "/c?x=1&x=2": {"post": {"operationId": "postC", "responses": ok}},
            # (the review: a `$ref` was not followed, a number or a date was warned)
            "/d?comp=list&name=abc&x=1.5&n=05&day=2024-01-31": {
                "get": {
                    "operationId": "getD",
                    "parameters": [
                        query("comp", {"$ref": "#/components/schemas/Comp"}),
                        query("name", {"$ref": "#/components/schemas/Name"}),
                        query("x", {"type": "number"}),
                        query("n", {"type": "integer"}),
                        query("day", {"type": "string", "format": "date"}),
                    ],
                    "responses": ok,
                }
            },
        },
        "components": {
            "schemas": {
                "Comp": {"type": "string", "enum": ["list", "block"]},
                "Name": {"type": "string", "minLength": 1},
            }
        },
    }
    report = Report()
    api = api_of(document, report)
    consts = {
        (op.operation_id, p.wire_name): (p.type, p.const)
        for op in api.operations
        for p in op.params
        if p.has_const
    }
    assert consts[("putBlock", "comp")] == (LiteralOf(("block",), None), "block")
    assert consts[("getB", "n")] == (Prim("int"), 5)
    assert consts[("getB", "on")] == (Prim("bool"), True)
    assert consts[("postC", "x")] == (LiteralOf(("1",), None), "1")
    assert consts[("getD", "comp")][1] == "list" and consts[("getD", "name")][1] == "abc"
    assert consts[("getD", "x")] == (Prim("float"), 1.5)
    # spelled as the key has them (`05` is not `5` on the wire)
    assert consts[("getD", "n")] == (LiteralOf(("05",), None), "05")
    assert consts[("getD", "day")] == (LiteralOf(("2024-01-31",), None), "2024-01-31")
    warned = sorted(d.message for d in report.items if d.kind == "parameter")
    assert warned == [
        "the path key repeats the query constant 'x'",
        "the path key's query constant comp=block is not a value of the declared parameter",
    ]


def test_the_url_sent(tmp_path: Path) -> None:
    out = tmp_path / "keys"
    build_into(SPEC, out, name="keys")
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"ok": True})

    with on_path(out, "keys") as keys:
        client = keys.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        client.root.start_thing(thing_id="t1")
        client.weather.retrieve_by_lat_and_lon_metric(lat=1.5, lon=2)
        client.root.describe_thing(thing_id="t2")
    start, weather, describe = sent
    assert start.url.path == "/api/" and not start.url.fragment
    assert dict(start.url.params) == {
        "ThingId": "t1",
        "Action": "StartThing",
        "Version": "2020-01-01",
    }
    assert weather.url.path == "/api/weather"
    assert dict(weather.url.params) == {"lat": "1.5", "lon": "2", "units": "metric"}
    assert describe.headers["X-Amz-Target"] == "Things.DescribeThing"


def test_sandbox_routes_by_constants() -> None:
    with Sandbox(SPEC) as sandbox:
        for action in ("StartThing", "StopThing"):
            r = httpx.get(
                f"{sandbox.url}/",
                params={"Action": action, "Version": "2020-01-01", "ThingId": "x"},
            )
            assert r.status_code == 200
        r = httpx.get(f"{sandbox.url}/weather", params={"city": "Oslo"})
        assert r.status_code == 200
        ops = [req.operation_id for req in sandbox.requests]
        assert ops == ["GET_StartThing", "GET_StopThing", None]
        assert sandbox.requests[-1].template == "/weather?city={city}"


def test_contract_run(tmp_path: Path) -> None:
    out = tmp_path / "keys"
    build_into(SPEC, out, name="keys")
    report = run_contract(ContractConfig(out, spec=SPEC, max_examples=3))
    assert len(report.operations) == 8
    # `labels=[""]` spells `labels=`, which the spec reads as absent: the spec's own limit
    bad = [
        f
        for op in report.operations
        for f in op.failures
        if (f.klass, f.check) != ("spec", "empty_query_value")
    ]
    assert not bad, "\n".join(f"{f.operation_id} [{f.klass}/{f.check}] {f.message}" for f in bad)
