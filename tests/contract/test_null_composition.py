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
