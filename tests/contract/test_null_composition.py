"""The contract runner on null and readOnly beside composition keywords (decisions §31), with
inline specs shaped like gsmtasks (3.0, drf-spectacular's `allOf: [$ref] + nullable`), Vercel
(3.1 `type: "null"` beside `oneOf`) and Codat (3.1 `allOf: [$ref, {type: "null"}]`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigen.contract.runner import NULL_BESIDE_MEMBERS
from apigen.contract.spec import SpecView
from tests.builds import contract_of

LOC = {"$ref": "#/components/schemas/Location"}
CUR = {"$ref": "#/components/schemas/Currency"}
SCHEMAS: dict[str, Any] = {
    "Location": {
        "type": "object",
        "properties": {"lat": {"type": "number"}, "lng": {"type": "number"}},
    },
    "Currency": {"type": "string"},
}


def _spec(
    version: str, props: dict[str, Any], required: list[str], *, read: bool = False
) -> dict[str, Any]:
    """A `POST /things` taking and returning `Thing`; `read`: a `GET` returning it (schemathesis
    cannot draw a request from a schema that admits no value)."""
    schemas = {
        **SCHEMAS,
        "Thing": {"type": "object", "properties": props, "required": required},
    }
    thing = {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
    operation: dict[str, Any] = {
        "operationId": "getThing" if read else "createThing",
        "responses": {
            "201": {"description": "made", "content": thing},
            "400": {"description": "bad"},
        },
    }
    if not read:
        operation["requestBody"] = {"required": True, "content": thing}
    return {
        "openapi": version,
        "info": {"title": "things", "version": "1"},
        "paths": {"/things": {"get" if read else "post": operation}},
        "components": {"schemas": schemas},
    }


GSMTASKS = _spec(
    "3.0.3",
    {
        "end_location": {"allOf": [LOC], "nullable": True},
        "objective": {"nullable": True, "oneOf": [{"type": "string", "enum": ["a", "b"]}]},
        "signature": {"type": "object", "nullable": True, "readOnly": True},
        "stamp": {"allOf": [CUR, {"readOnly": True}]},
        "name": {"type": "string"},
    },
    ["end_location", "signature", "stamp", "name"],
)
VERCEL_CODAT = _spec(
    "3.1.0",
    {
        "assigned": {"oneOf": [{"type": "number"}, {"type": "boolean"}], "type": "null"},
        "currency": {"allOf": [CUR, {"type": "null"}]},
        "name": {"type": "string"},
    },
    ["assigned", "currency", "name"],
    read=True,
)


@pytest.mark.slow
def test_nullable_beside_all_of_and_read_only_in_all_of_pass(tmp_path: Path) -> None:
    report = contract_of(tmp_path, GSMTASKS, "nullcomp30")
    failures = [f for op in report.operations for f in op.failures]
    assert not failures, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in failures)


@pytest.mark.slow
def test_a_null_type_beside_members_is_the_spec_s_contradiction(tmp_path: Path) -> None:
    report = contract_of(tmp_path, VERCEL_CODAT, "nullcomp31")
    failures = [f for op in report.operations for f in op.failures]
    bad = [f for f in failures if f.klass != "spec"]
    assert not bad, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in bad)
    assert any(f.message.startswith(NULL_BESIDE_MEMBERS) for f in failures)


def test_the_request_check_reads_null_and_read_only_as_the_ir_does() -> None:
    view = SpecView(GSMTASKS)
    thing = GSMTASKS["components"]["schemas"]["Thing"]
    assert view.errors(thing, {"end_location": None, "objective": None, "name": "a"}) == []
    assert view.errors(thing, {"end_location": 3, "name": "a"}) != []
    assert view.flagged(thing["properties"]["stamp"], "readOnly")
    view31 = SpecView(VERCEL_CODAT)
    thing31 = VERCEL_CODAT["components"]["schemas"]["Thing"]
    assert view31.errors(thing31, {"assigned": None, "currency": None, "name": "a"}) == []
    assert view31.errors(thing31, {"assigned": 2.5, "currency": "GBP", "name": "a"}) == []
    assert view31.errors(thing31, {"assigned": "x", "currency": None, "name": "a"}) != []
    # valid only read as "or null": JSON Schema alone admits no value there
    assert view31.null_reading_only(thing31, {"assigned": 2.5, "currency": None, "name": "a"})
    assert not view31.null_reading_only(thing31, {"assigned": "x", "currency": None, "name": "a"})
    assert not view31.null_reading_only(SCHEMAS["Location"], {"lat": 1.0})


def test_an_unknown_tag_beside_a_null_is_not_filed_as_the_null_s(tmp_path: Path) -> None:
    """A helper's Prism sweep: a body with a random discriminator tag (Prism's) and a null
    property was filed as the spec's "null type beside members", because the body was valid
    as apigen reads null and not as JSON Schema alone; the problem was the tag, the server's.
    Without the null the same tag was filed as the server's, as it should be."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from apigen.contract import ContractConfig, run_contract
    from tests.builds import build_into

    class Api(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = {"kind": "zzz", **({"addr": None} if "null" in self.path else {})}
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    person = {"$ref": "#/components/schemas/Person"}
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": person}}}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "nulltags", "version": "1"},
        "paths": {
            "/with-null": {"get": {"operationId": "withNull", "responses": ok}},
            "/plain": {"get": {"operationId": "plain", "responses": ok}},
        },
        "components": {
            "schemas": {
                "Person": {
                    "type": "object",
                    "discriminator": {
                        "propertyName": "kind",
                        "mapping": {"a": "#/components/schemas/Adult"},
                    },
                    "properties": {
                        "kind": {"type": "string"},
                        "addr": {
                            "type": "object",
                            "nullable": True,
                            "properties": {"street": {"type": "string"}},
                        },
                    },
                },
                "Adult": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Person"},
                        {"type": "object", "properties": {"age": {"type": "integer"}}},
                    ]
                },
            }
        },
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        spec = tmp_path / "nulltags.json"
        spec.write_text(json.dumps(document))
        build_into(spec, tmp_path / "nulltags", name="nulltags")
        config = ContractConfig(
            tmp_path / "nulltags",
            spec=spec,
            base_url=url,
            mock=True,
            max_examples=1,
            variants=("sync",),
        )
        report = run_contract(config)
    finally:
        server.shutdown()
        server.server_close()
    by_op = {op.operation_id: op.failures for op in report.operations}
    tagged = {
        name: {f.klass for f in failures if "discriminator" in f.message}
        for name, failures in by_op.items()
    }
    assert tagged == {"withNull": {"sandbox"}, "plain": {"sandbox"}}, by_op
    assert not any(f.message.startswith(NULL_BESIDE_MEMBERS) for f in by_op["withNull"])
