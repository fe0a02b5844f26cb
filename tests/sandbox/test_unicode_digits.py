"""`str.isdigit()` is true for `"¹"` and `"²"`, which `int()` refuses: every place that tested a
key or segment with it before `int()` crashed on such text (Slack seed 3: the sandbox answered
400 to the client's valid form body `x[¹]=v`). Digits mean ASCII digits there now."""

from __future__ import annotations

from typing import Any

from apigen.contract.wire import same
from apigen.sandbox import Sandbox
from apigen.sandbox._forms import parse_form
from apigen.sandbox._responses import _code
from apigen.schema_rules import ref_siblings_apply
from apigen.spec.pointer import MISSING, find
from apigen_runtime._paging import _int


def test_a_superscript_form_key_is_an_object_key_not_an_index() -> None:
    assert parse_form("x[%C2%B9]=v&y[0]=a&y[1]=b") == {"x": {"¹": "v"}, "y": ["a", "b"]}


def test_a_superscript_status_key_is_no_status() -> None:
    assert _code("²00") is None and _code("2XX") == 200 and _code("404") == 404


def test_a_superscript_pointer_segment_names_nothing() -> None:
    assert find({"a": [1, 2]}, "#/a/¹") is MISSING
    assert find({"a": [1, 2]}, "#/a/1") == 2


def test_a_superscript_version_is_no_3_1() -> None:
    assert not ref_siblings_apply({"openapi": "3.¹"})
    assert ref_siblings_apply({"openapi": "3.1.0"})


def test_the_contract_reads_superscript_keys_as_an_object() -> None:
    assert not same({"¹": "v"}, ["v"])  # (wire, intended)
    assert same({"0": "v"}, ["v"])


def test_a_page_number_in_superscript_falls_back_to_the_default() -> None:
    assert _int("¹", 1) == 1 and _int("12", 1) == 12 and _int("-3", 0) == -3


def test_the_sandbox_takes_a_valid_form_body_with_a_superscript_key() -> None:
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/x-www-form-urlencoded": {"schema": {"type": "object"}}
                        }
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    headers = {"content-type": "application/x-www-form-urlencoded"}
    reply = Sandbox(doc, seed=0).handle("POST", "/a", headers, b"x[%C2%B9]=v")
    assert reply.status == 200, reply.body


def test_query_numbers_are_ascii_and_end_where_the_text_ends() -> None:
    """Python's `\\d` matches `١٢` (Arabic-Indic digits, which `int()` reads as 12) and its `$`
    matches before a final line break: the sandbox took `n=%D9%A1%D9%A2` and `n=12%0A` as
    the integer 12, `u=http://a%0A` as a URI. A client sending either is wrong, and the
    sandbox now says so."""
    params: list[dict[str, Any]] = [
        {"name": "n", "in": "query", "schema": {"type": "integer"}},
        {"name": "f", "in": "query", "schema": {"type": "number"}},
        {"name": "u", "in": "query", "schema": {"type": "string", "format": "uri"}},
    ]
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {"get": {"parameters": params, "responses": {"200": {"description": "ok"}}}}
        },
    }
    sandbox = Sandbox(document)
    for good in ("n=12", "n=-3", "f=1.5", "f=2e3", "u=http://a"):
        assert sandbox.handle("GET", f"/x?{good}").status == 200, good
    for bad in ("n=12%0A", "n=%D9%A1%D9%A2", "f=1.5%0A", "f=%D9%A1.5", "u=http://a%0A"):
        assert sandbox.handle("GET", f"/x?{bad}").status == 400, bad
