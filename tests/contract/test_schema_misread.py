"""A valid response schema schemathesis cannot read is checked by jsonschema instead.

schemathesis' converter turns a 3.1 `prefixItems` into draft 4's `items: [...]` and then
meta-validates the result as 2020-12: every response of such an operation was reported as "the
spec's response schema is not a valid Schema Object", a false blame on the spec, and the body
itself was never checked (found by a hand-written 3.1 spec; opc's `3.1_specific` has one too).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from apigen.contract import ContractConfig, run_contract
from apigen.contract.runner import INVALID_RESPONSE_SCHEMA, SCHEMA_MISREAD
from apigen.contract.sandbox import start_sandbox
from apigen.contract.spec import SpecView
from tests.builds import build_into

TUPLE = {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "minItems": 2}

DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "servers": [{"url": "http://localhost"}],
    "paths": {
        "/pair": {
            "get": {
                "operationId": "getPair",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pair"}}
                        },
                    }
                },
            }
        }
    },
    "components": {"schemas": {"Pair": TUPLE}},
}


def _build(tmp_path: Path, name: str) -> tuple[Path, Path]:
    spec = tmp_path / "pair.json"
    spec.write_text(json.dumps(DOC))
    out = tmp_path / name
    build_into(spec, out, name=name)
    return spec, out


def test_a_valid_schema_schemathesis_misreads_is_not_blamed_on_the_spec(tmp_path: Path) -> None:
    spec, out = _build(tmp_path, "pair_valid")
    report = run_contract(ContractConfig(out, spec=spec, max_examples=3, seed=0))
    assert not [f for f in report.failures() if INVALID_RESPONSE_SCHEMA in f.message]
    assert not report.failures()


def test_a_body_breaking_such_a_schema_is_still_found(tmp_path: Path) -> None:
    spec, out = _build(tmp_path, "pair_broken")
    sandbox = start_sandbox(DOC)
    try:
        sandbox.set_response("GET", "/pair", 200, ["a", "not an integer"])
        report = run_contract(
            ContractConfig(out, spec=spec, max_examples=2, seed=0, base_url=sandbox.url)
        )
    finally:
        sandbox.stop()
    found = [f for f in report.failures() if SCHEMA_MISREAD in f.message]
    assert found and {f.check for f in found} == {"response_schema_conformance"}
    assert "not an integer" in found[0].message
    assert not report.new_failures("client")  # the body breaks the spec: the client may refuse it


def test_valid_schema_follows_refs_and_reads_the_document_s_dialect() -> None:
    view = SpecView(DOC)
    assert view.valid_schema({"$ref": "#/components/schemas/Pair"})
    assert not view.valid_schema({"type": "array", "items": [{"type": "string"}]})  # draft 4's
    broken = {**DOC, "components": {"schemas": {"Pair": {"type": 5}}}}
    assert not SpecView(broken).valid_schema({"$ref": "#/components/schemas/Pair"})
    legacy = {**DOC, "openapi": "3.0.3"}
    assert SpecView(legacy).valid_schema(
        {"type": "integer", "exclusiveMinimum": True, "minimum": 0}
    )


def test_a_schema_that_is_indeed_invalid_is_still_the_spec_s(tmp_path: Path) -> None:
    """`type: String` (a Java type name) breaks every JSON Schema dialect: the spec's fault."""
    doc = {**DOC, "openapi": "3.0.3", "components": {"schemas": {"Pair": {"type": "String"}}}}
    spec = tmp_path / "bad.json"
    spec.write_text(json.dumps(doc))
    out = tmp_path / "pair_invalid"
    build_into(spec, out, name="pair_invalid")
    report = run_contract(ContractConfig(out, spec=spec, max_examples=2, seed=0))
    blamed = [f for f in report.failures() if INVALID_RESPONSE_SCHEMA in f.message]
    assert blamed and {f.klass for f in blamed} == {"spec"}
    assert not report.new_failures("client")


def test_a_body_an_invalid_schema_cannot_judge_is_no_client_failure(tmp_path: Path) -> None:
    """codat accounting's `Items` (Prism over corpus, 2026-12-05): a schema made invalid deep
    inside (`type: {...}`), and a body missing the fields its valid part requires. The client's
    refusal was reported as "client ... though the body conforms to the spec"."""
    pages = {
        "type": "object",
        "required": ["pageNumber"],
        "properties": {
            "pageNumber": {"type": "integer"},
            "results": {"type": "array", "items": {"type": {"kind": "object"}}},
        },
    }
    doc = {**DOC, "openapi": "3.0.3", "components": {"schemas": {"Pair": pages}}}
    spec = tmp_path / "pages.json"
    spec.write_text(json.dumps(doc))
    out = tmp_path / "pages_invalid"
    build_into(spec, out, name="pages_invalid")
    sandbox = start_sandbox(doc)
    try:
        sandbox.set_response("GET", "/pair", 200, {"results": [], "_links": {"pageNumber": 1}})
        report = run_contract(
            ContractConfig(out, spec=spec, max_examples=2, seed=0, base_url=sandbox.url)
        )
    finally:
        sandbox.stop()
    assert [f for f in report.failures() if INVALID_RESPONSE_SCHEMA in f.message]
    assert not report.new_failures("client")
