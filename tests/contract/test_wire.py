"""`apigen.contract.wire`: how the request on the wire is read back and compared (issue 7)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from apigen.contract.spec import SpecView
from apigen.contract.wire import (
    EMPTY_REQUIRED,
    FORM_EMPTY_REQUIRED,
    SCHEMA_PROBLEM,
    UNCHECKABLE_SCHEMA,
    UNSPELLABLE_KEY,
    UNSPELLABLE_VALUE,
    _with_implied,
    check_request,
    same,
)

BASE = "http://127.0.0.1:9/v1"


def _view(operation: dict[str, Any]) -> SpecView:
    return SpecView(
        {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/things": {"post": {**operation, "responses": {"200": {"description": "ok"}}}}
            },
        }
    )


FORM_BODY = {
    "requestBody": {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
                        "items": {"type": "array", "items": {"type": "object"}},
                    },
                }
            }
        }
    }
}


def _form(view: SpecView, content: str, body: dict[str, Any]) -> list[str]:
    request = httpx.Request(
        "POST",
        f"{BASE}/things",
        content=content.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    return check_request(view, "POST", "/things", BASE, request, {}, body, True)


def test_digit_keyed_object_stays_an_object_where_an_object_is_meant() -> None:
    # Stripe PostTransfers: `metadata[6]=%C2%85` is the object {"6": "\x85"}, not a list.
    view = _view(FORM_BODY)
    assert _form(view, "metadata[6]=%C2%85", {"metadata": {"6": "\x85"}}) == []
    assert _form(view, "metadata[0]=a", {"metadata": {"0": "a"}}) == []
    assert same({"6": "\x85"}, {"6": "\x85"})
    assert same({"0": "a", "1": "b"}, {"0": "a", "1": "b"})
    assert not same({"0": "a", "1": "b"}, ["a", "b", "c"])


def test_index_keyed_object_reads_as_the_list_meant() -> None:
    view = _view(FORM_BODY)
    assert _form(view, "items[0][a]=1&items[1][b]=2", {"items": [{"a": "1"}, {"b": "2"}]}) == []
    assert same({"0": "a", "1": "b"}, ["a", "b"])
    assert not same({"0": "a", "1": "b"}, ["b", "a"])


def _query(view: SpecView, query: str, value: Any) -> list[str]:
    request = httpx.Request("POST", f"{BASE}/things?{query}")
    return check_request(
        view, "POST", "/things", BASE, request, {("query", "q"): value}, None, False
    )


def _q(**extra: Any) -> SpecView:
    return _view(
        {"parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}, **extra}]}
    )


def test_empty_value_of_required_query_parameter_is_a_spec_problem() -> None:
    # OpenAPI 3.0: allowEmptyValue defaults to false, so `q=` is no value: a required parameter
    # whose schema admits "" cannot carry it.
    problems = _query(_q(required=True), "q=", "")
    assert len(problems) == 1 and problems[0].startswith(EMPTY_REQUIRED)
    assert _query(_q(required=True, allowEmptyValue=True), "q=", "") == []
    assert _query(_q(), "q=", "") == []  # optional: absent is fine
    assert _query(_q(required=True), "q=x", "x") == []


def test_form_key_without_a_spelling_is_a_spec_problem() -> None:
    # Stripe's bracketed keys cannot spell the key "" (`a[]=v` reads as a list item) nor a key
    # holding `]`: the client sends the only spelling there is, the reader cannot get it back.
    view = _view(FORM_BODY)
    for key, content in (("", "metadata[]=v"), ("a]b", "metadata[a%5Db]=v")):
        problems = _form(view, content, {"metadata": {key: "v"}})
        assert len(problems) == 1 and problems[0].startswith(UNSPELLABLE_KEY), problems
    assert _form(view, "metadata[a%5Bb]=v", {"metadata": {"a[b": "v"}}) == []


def test_an_undeclared_top_level_key_is_unspellable_only_where_it_reads_back_otherwise() -> None:
    """Helper 227: any top-level name holding `[` or `]` was the spec's `form_key`, and its
    value left unchecked; `a]b` and `[Dh` (no `a[b]` shape) are sent and read back whole."""
    view = _view(FORM_BODY)
    for key, content in (("a]b", "a%5Db=v"), ("[Dh", "%5BDh=v")):
        assert _form(view, content, {key: "v"}) == [], key
        wrong = _form(view, content.replace("=v", "=w"), {key: "v"})
        assert wrong and not wrong[0].startswith(UNSPELLABLE_KEY), wrong  # (now checked)
    for key, content in (
        ("", "=v"),
        ("a[b]", "a%5Bb%5D=v"),
        ("x[]", "x%5B%5D=v"),
        ("a[", "a%5B=v"),  # (read back as `a`: the last review)
        ("[", "%5B=v"),
    ):
        problems = _form(view, content, {key: "v"})
        assert len(problems) == 1 and problems[0].startswith(UNSPELLABLE_KEY), (key, problems)


def test_unspellable_deep_object_query_parameter_still_claims_its_pairs() -> None:
    # Stripe GetInvoicesUpcoming: `subscription_items[0][k][]=v` for the key "" is the spec's
    # problem; the parameter's other pairs are still its own, not undeclared parameters (which
    # would blame the client).
    view = _q(style="deepObject", explode=True)
    query = "q[a]=1&q[b][]=2"
    problems = _query(view, query, {"a": "1", "b": {"": "2"}})
    assert len(problems) == 1 and problems[0].startswith(UNSPELLABLE_KEY), problems


def test_a_delimiter_inside_a_joined_item_is_a_spec_problem() -> None:
    # Asana `opt_fields` (form, explode false): ["a,b"] and ["a", "b"] are both `a,b`; OpenAPI
    # defines no escape, so the reader cannot get the item back.
    array = {"type": "array", "items": {"type": "string"}}
    view = _q(schema=array, explode=False)
    problems = _query(view, "q=a%2Cb", ["a,b"])
    assert len(problems) == 1 and problems[0].startswith(UNSPELLABLE_VALUE), problems
    assert _query(view, "q=a,b", ["a", "b"]) == []
    pipes = _q(schema=array, style="pipeDelimited", explode=False)
    assert _query(pipes, "q=a%7Cb", ["a|b"])[0].startswith(UNSPELLABLE_VALUE)
    assert _query(pipes, "q=a,b", ["a,b"]) == []  # a comma is no delimiter of pipes
    exploded = _q(schema=array)  # form, explode true: one pair per item, nothing joined
    assert _query(exploded, "q=a%2Cb", ["a,b"]) == []
    obj = _q(schema={"type": "object", "additionalProperties": {"type": "string"}}, explode=False)
    assert _query(obj, "q=k,v%2Cw", {"k": "v,w"})[0].startswith(UNSPELLABLE_VALUE)
    assert _query(obj, "q=k,v", {"k": "v"}) == []


def test_a_pipe_or_space_delimited_object_reads_back_by_its_own_delimiter() -> None:
    # OpenAPI's style table: pipeDelimited, explode false, {R: 100, G: 200} is `R|100|G|200`
    # (features/3.1/parameters-style.yaml); it read back as {} when split at commas
    obj = {"type": "object", "additionalProperties": {"type": "string"}}
    pipes = _q(schema=obj, style="pipeDelimited", explode=False)
    assert _query(pipes, "q=R|100|G|200", {"R": "100", "G": "200"}) == []
    assert _query(pipes, "q=R|1%7C2", {"R": "1|2"})[0].startswith(UNSPELLABLE_VALUE)
    assert _query(pipes, "q=R|a,b", {"R": "a,b"}) == []  # a comma is data here
    spaces = _q(schema=obj, style="spaceDelimited", explode=False)
    assert _query(spaces, "q=R%20100%20G%20200", {"R": "100", "G": "200"}) == []


def test_a_nested_value_in_a_form_query_and_an_empty_exploded_object_are_spec_problems() -> None:
    # AWS EC2 `Filter: [{Name, Values}]` (form): OpenAPI spells no array or object inside one,
    # the client's JSON item cannot be read back as the object meant
    objects = _q(schema={"type": "array", "items": {"type": "object"}}, required=True)
    problems = _query(objects, "q=%7B%7D", [{}])
    assert len(problems) == 1 and problems[0].startswith(UNSPELLABLE_VALUE), problems
    assert "undeclared" not in " ".join(problems)  # its pairs are still its own
    # a required exploded object drawn empty has no pair to send: absent, the spec's fault
    obj = _q(schema={"type": "object", "properties": {"a": {"type": "string"}}}, required=True)
    problems = _query(obj, "", {})
    assert len(problems) == 1 and problems[0].startswith(EMPTY_REQUIRED), problems
    assert _query(obj, "a=1", {"a": "1"}) == []


def test_an_exploded_member_named_like_another_parameter_is_ambiguous_not_the_client_s() -> None:
    # AWS ModifyInstanceAttribute: `Value` is a parameter and a member of `EbsOptimized`
    obj = {"type": "object", "properties": {"Value": {"type": "string"}}}
    view = _view(
        {
            "parameters": [
                {"name": "EbsOptimized", "in": "query", "schema": obj},
                {"name": "Value", "in": "query", "schema": {"type": "string"}},
            ]
        }
    )

    def sent(query: str, intended: dict[tuple[str, str], Any]) -> list[str]:
        request = httpx.Request("POST", f"{BASE}/things?{query}")
        return check_request(view, "POST", "/things", BASE, request, intended, None, False)

    assert sent("Value=false", {("query", "EbsOptimized"): {"Value": "false"}}) == []
    both = {("query", "EbsOptimized"): {"Value": "a"}, ("query", "Value"): "b"}
    problems = sent("Value=a&Value=b", both)
    assert problems and all(p.startswith(UNSPELLABLE_VALUE) for p in problems), problems
    assert sent("Value=b", {("query", "Value"): "b"}) == []


def test_two_exploded_objects_with_a_member_in_common_are_ambiguous_not_the_client_s() -> None:
    # openapi-python-client's baseline: `model_prop` and `required_model_prop`, both exploded
    # objects with an `a_property`, both write `a_property=` (corpus2 opc baseline_openapi_3.0)
    obj = {"type": "object", "properties": {"a_property": {"type": "integer"}}}
    view = _view(
        {
            "parameters": [
                {"name": "model_prop", "in": "query", "schema": obj},
                {"name": "required_model_prop", "in": "query", "schema": obj, "required": True},
            ]
        }
    )

    def sent(query: str, intended: dict[tuple[str, str], Any]) -> list[str]:
        request = httpx.Request("POST", f"{BASE}/things?{query}")
        return check_request(view, "POST", "/things", BASE, request, intended, None, False)

    both = {
        ("query", "model_prop"): {"a_property": 1},
        ("query", "required_model_prop"): {"a_property": -1},
    }
    problems = sent("a_property=1&a_property=-1", both)
    assert problems and all(p.startswith(UNSPELLABLE_VALUE) for p in problems), problems
    assert sent("a_property=-1", {("query", "required_model_prop"): {"a_property": -1}}) == []


def test_a_form_array_joined_by_its_encoding_reads_back_as_the_array() -> None:
    # Swagger 2.0 formData arrays default to collectionFormat csv: encoding explode false
    view = _view(
        {
            "requestBody": {
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "tags": {"type": "array", "items": {"type": "string"}},
                                "ids": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                        "encoding": {
                            "tags": {"style": "form", "explode": False},
                            "ids": {"style": "pipeDelimited", "explode": False},
                        },
                    }
                }
            }
        }
    )
    assert _form(view, "tags=%24%2C%3E&ids=a%7Cb", {"tags": ["$", ">"], "ids": ["a", "b"]}) == []
    assert _form(view, "tags=%24", {"tags": ["$"]}) == []
    wrong = _form(view, "tags=%24%2C%3E", {"tags": [">", "$"]})
    assert wrong and "body field tags" in wrong[0]
    ambiguous = _form(view, "tags=a%2Cb", {"tags": ["a,b"]})
    assert ambiguous and ambiguous[0].startswith(UNSPELLABLE_VALUE)


def test_a_form_object_not_exploded_reads_back_by_pairs() -> None:
    """A helper's sweep: `objform=a,x,b,0` (OpenAPI's form spelling of `{a: x, b: 0}` with
    `explode: false`) was compared whole with the object: every case a client failure."""
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
    }
    form = {
        "schema": {"type": "object", "properties": {"objform": schema}},
        "encoding": {"objform": {"style": "form", "explode": False}},
    }
    view = _view({"requestBody": {"content": {"application/x-www-form-urlencoded": form}}})
    assert _form(view, "objform=a%2Cx%2Cb%2C0", {"objform": {"a": "x", "b": 0}}) == []
    wrong = _form(view, "objform=a%2Cy%2Cb%2C0", {"objform": {"a": "x", "b": 0}})
    assert wrong and "body field objform" in wrong[0]
    ambiguous = _form(view, "objform=a%2Cx%2Cy", {"objform": {"a": "x,y"}})
    assert ambiguous and ambiguous[0].startswith(UNSPELLABLE_VALUE)


def test_exploded_form_arrays_and_json_fields_read_back_as_the_client_sends_them() -> None:
    """A hand-written spec's form with `ids: {style: form, explode: true}` and `meta:
    {contentType: application/json}`: `ids=1` (one item) was read as the string "1", not [1],
    and the JSON text of `meta` was compared with the value pruned of its nulls, as if it were
    bracketed (`{"a": [1, null]}` is JSON's to spell): 30 client failures, none the client's."""
    schema = {
        "type": "object",
        "required": ["meta"],
        "properties": {
            "ids": {"type": "array", "items": {"type": "integer"}},
            "meta": {"type": "object", "additionalProperties": True},
        },
    }
    view = _view(
        {
            "requestBody": {
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": schema,
                        "encoding": {
                            "ids": {"style": "form", "explode": True},
                            "meta": {"contentType": "application/json"},
                        },
                    }
                }
            }
        }
    )
    assert _form(view, "ids=1&meta=%7B%7D", {"ids": [1], "meta": {}}) == []
    assert _form(view, "ids=1&ids=2&meta=%7B%7D", {"ids": [1, 2], "meta": {}}) == []
    wrong = _form(view, "ids=2&meta=%7B%7D", {"ids": [1], "meta": {}})
    assert wrong and "body field ids" in wrong[0]
    nulls = {"a": [1, None], "b[]": None}  # nothing a bracketed key could spell
    sent = "meta=" + quote(json.dumps(nulls, separators=(",", ":")))
    assert _form(view, sent, {"meta": nulls}) == []
    dropped = _form(view, "meta=" + quote('{"a":[1]}'), {"meta": nulls})
    assert dropped and "not JSON" in dropped[0]


def test_an_entry_naming_only_a_content_type_keeps_the_form_default() -> None:
    """`ids: {contentType: text/plain}` leaves `style` and `explode` at their defaults (form,
    exploded): `ids=1&ids=2` is the array the client meant, `ids[]=1&ids[]=2` is not."""
    view = _view(
        {
            "requestBody": {
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {
                            "type": "object",
                            "properties": {"ids": {"type": "array", "items": {"type": "integer"}}},
                        },
                        "encoding": {"ids": {"contentType": "text/plain"}},
                    }
                }
            }
        }
    )
    assert _form(view, "ids=1&ids=2", {"ids": [1, 2]}) == []
    schema = view.document["paths"]["/things"]["post"]["requestBody"]["content"][
        "application/x-www-form-urlencoded"
    ]
    implied = _with_implied(schema["encoding"], schema["schema"], view)
    assert implied == {"ids": {"contentType": "text/plain", "style": "form", "explode": True}}
    # (a review: `style: null`, which `check` warns of, is no style either, as the IR reads it)
    nulls = _with_implied({"ids": {"style": None}}, schema["schema"], view)
    assert nulls == {"ids": {"style": "form", "explode": True}}


def test_a_required_form_field_given_null_or_empty_is_a_spec_problem() -> None:
    # Twilio's `UseCaseCategories`: a required (nullable) array in a form body; the client sends
    # nothing for [] or None (a form has no spelling for either), the server reads it as missing
    array = {"type": "array", "items": {"type": "string"}, "nullable": True}
    schema = {
        "allOf": [
            {"type": "object", "required": ["Name"], "properties": {"Name": {"type": "string"}}},
            {"type": "object", "required": ["Tags"], "properties": {"Tags": array}},
        ]
    }
    form = {"application/x-www-form-urlencoded": {"schema": schema}}
    view = _view({"requestBody": {"required": True, "content": form}})
    for value in ([], None):
        problems = _form(view, "Name=a", {"Name": "a", "Tags": value})
        assert len(problems) == 1 and problems[0].startswith(FORM_EMPTY_REQUIRED), problems
        empty = _form(view, "", {"Tags": value})  # the only field: nothing to send at all
        assert len(empty) == 1 and empty[0].startswith(FORM_EMPTY_REQUIRED), empty
    assert _form(view, "Name=a&Tags=x&Tags=y", {"Name": "a", "Tags": ["x", "y"]}) == []
    optional = _view(
        {
            "requestBody": {
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {"type": "object", "properties": {"Tags": array}}
                    }
                }
            }
        }
    )
    assert _form(optional, "", {"Tags": []}) == []


def test_a_required_form_field_holding_only_nested_empties_is_a_spec_problem() -> None:
    # Box's token revocation requires `grant_type` and declares no such property: schemathesis
    # draws any value for it, here `[[]]`, which the bracketed form encoding sends no pair for
    schema = {"type": "object", "required": ["grant_type"], "properties": {"token": {}}}
    form = {"application/x-www-form-urlencoded": {"schema": schema}}
    view = _view({"requestBody": {"required": True, "content": form}})
    for value in ([[]], [None, {}], {"a": {"b": []}}):
        problems = _form(view, "", {"grant_type": value})
        assert len(problems) == 1 and problems[0].startswith(FORM_EMPTY_REQUIRED), (value, problems)
    # a value with something to spell is sent, and no problem
    assert _form(view, "grant_type%5B1%5D=x", {"grant_type": [[], "x"]}) == []
    # a field with its own encoding spells nested values as JSON: only the top level counts
    custom = {
        **form["application/x-www-form-urlencoded"],
        "encoding": {"grant_type": {"style": "form"}},
    }
    encoded = _view({"requestBody": {"content": {"application/x-www-form-urlencoded": custom}}})
    assert _form(encoded, "grant_type=%5B%5D", {"grant_type": [[]]}) == []


def _multipart(view: SpecView, parts: list[tuple[str, str]], body: dict[str, Any]) -> list[str]:
    content = "".join(
        f'--b\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n' for n, v in parts
    )
    request = httpx.Request(
        "POST",
        f"{BASE}/things",
        content=(content + "--b--\r\n").encode(),
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    return check_request(view, "POST", "/things", BASE, request, {}, body, True)


def test_a_required_multipart_field_of_null_items_is_a_spec_problem() -> None:
    # openapi-generator's enum-in-multipart: `fileType` required, undeclared, drawn as `[None]`:
    # one part per array item and null items skipped, so no part goes out; `{}` is a JSON part
    schema = {"type": "object", "required": ["fileType"], "properties": {"name": {}}}
    view = _view({"requestBody": {"content": {"multipart/form-data": {"schema": schema}}}})
    for value in (None, [], [None, None]):
        problems = _multipart(view, [], {"fileType": value})
        assert len(problems) == 1 and problems[0].startswith(FORM_EMPTY_REQUIRED), (value, problems)
    assert _multipart(view, [("fileType", "{}")], {"fileType": {}}) == []


def test_a_multipart_name_reads_back_by_html5_form_encoding() -> None:
    # Apacta uploadImage: a drawn extra part named `J%73` was read back as `Js` (every `%XX`
    # decoded), though HTML5 encoding (the runtime's, httpx's) escapes only `"` and controls
    schema = {"type": "object", "additionalProperties": {"type": "string"}}
    view = _view({"requestBody": {"content": {"multipart/form-data": {"schema": schema}}}})
    parts = [("J%73", "v"), ('a"b\r', "w")]
    content = "".join(
        f'--b\r\nContent-Disposition: form-data; name="{n.replace(chr(34), "%22").replace(chr(13), "%0D")}"'
        f"\r\n\r\n{v}\r\n"
        for n, v in parts
    )
    request = httpx.Request(
        "POST",
        f"{BASE}/things",
        content=(content + "--b--\r\n").encode(),
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    intended = dict(parts)
    assert check_request(view, "POST", "/things", BASE, request, {}, intended, True) == []


def _get(base: str, url: str) -> list[str]:
    view = SpecView(
        {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/fake": {"put": {"responses": {"200": {"description": "ok"}}}}},
        }
    )
    return check_request(view, "PUT", "/fake", base, httpx.Request("PUT", url), {}, None, False)


def test_base_path_with_characters_a_url_encodes_is_compared_decoded() -> None:
    """A base path spelt raw (a Swagger 2 `basePath` of `/v2 */ ' " =end -- \\r\\n`) goes on the
    wire percent-encoded: that is the same path, not one outside the base path."""
    raw = "http://127.0.0.1:9/v2 */ ' \" =end -- \\r\\n"
    sent = httpx.Request("PUT", raw + "/fake").url
    assert sent.raw_path != b"/v2 */ ' \" =end -- \\r\\n/fake"  # httpx encodes it
    assert _get(raw, str(sent)) == []
    encoded = "http://127.0.0.1:9/v2%20*/%20'%20%22%20=end%20--%20%5Cr%5Cn"
    assert _get(encoded, str(sent)) == []
    # a request elsewhere is still caught: another base path, or the base path's last segment lost
    (problem,) = _get(raw, "http://127.0.0.1:9/v2%20*/%20'%20%22%20=end%20--%20%5Cr/fake")
    assert "is not under the base path" in problem
    (problem,) = _get(raw, "http://127.0.0.1:9/v2%20*/fake")
    assert "is not under the base path" in problem


def test_a_json_body_declared_with_parameters_is_checked() -> None:
    """`application/json;charset=utf-8` (oag's `oneof_polymorphism_and_inheritance`) is JSON:
    the body's schema and its equality to the given value were not checked at all."""
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    view = SpecView(
        {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/things": {
                    "post": {
                        "requestBody": {
                            "content": {"application/json;charset=utf-8": {"schema": schema}}
                        },
                        "responses": {"200": {"description": "ok"}},
                    }
                }
            },
        }
    )

    def check(content: str, intended: Any) -> list[str]:
        request = httpx.Request(
            "POST",
            f"{BASE}/things",
            content=content.encode(),
            headers={"Content-Type": "application/json;charset=utf-8"},
        )
        return check_request(view, "POST", "/things", BASE, request, {}, intended, True)

    assert check('{"n": 1}', {"n": 1}) == []
    assert any("does not match the schema" in p for p in check('{"n": "x"}', {"n": "x"}))
    assert any("is not the given" in p for p in check('{"n": 2}', {"n": 1}))


def test_a_json_body_schema_no_validator_can_use_is_the_spec_s_not_a_mismatch() -> None:
    # openapi-generator's composed-schemas.yaml: `anyOf: [{type: file}, ...]` inside an OpenAPI
    # 3.0 JSON body. jsonschema knows no type `file`, so the check has no verdict on any body:
    # the run classes that as the spec's, where it once blamed the client for a body it sent
    schema = {
        "type": "object",
        "properties": {"file": {"anyOf": [{"type": "file"}, {"type": "string"}]}},
    }
    view = _view({"requestBody": {"content": {"application/json": {"schema": schema}}}})

    def sent(body: Any) -> list[str]:
        request = httpx.Request("POST", f"{BASE}/things", json=body)
        return check_request(view, "POST", "/things", BASE, request, {}, body, True)

    problems = sent({"file": ""})
    assert len(problems) == 1 and problems[0].startswith(UNCHECKABLE_SCHEMA), problems
    assert "Unknown type 'file'" in problems[0]
    usable = _view(
        {"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}}
    )
    request = httpx.Request("POST", f"{BASE}/things", json=[1])
    refused = check_request(usable, "POST", "/things", BASE, request, {}, [1], True)
    assert len(refused) == 1 and refused[0].startswith(SCHEMA_PROBLEM), refused


def test_a_required_nested_property_that_spells_nothing_is_a_spec_problem() -> None:
    # Stripe's customers.create: `shipping` is `anyOf: [{required: [address, name]}, enum [""]]`
    # with a deepObject encoding entry; `shipping={"address": {}, "name": "a"}` goes out as
    # `shipping[name]=a` (no pair spells `{}`), which the server reads as missing the address
    address = {"type": "object", "properties": {"city": {"type": "string"}}}
    shipping = {
        "anyOf": [
            {
                "type": "object",
                "required": ["address", "name"],
                "properties": {"address": address, "name": {"type": "string"}},
            },
            {"type": "string", "enum": [""]},
        ]
    }
    items = {"type": "array", "items": shipping}
    schema = {"type": "object", "properties": {"shipping": shipping, "many": items}}
    media = {
        "schema": schema,
        "encoding": {"shipping": {"style": "deepObject", "explode": True}},
    }
    view = _view({"requestBody": {"content": {"application/x-www-form-urlencoded": media}}})
    problems = _form(view, "shipping%5Bname%5D=a", {"shipping": {"address": {}, "name": "a"}})
    assert len(problems) == 1 and problems[0].startswith(FORM_EMPTY_REQUIRED), problems
    assert "shipping[address]" in problems[0]
    in_list = _form(view, "many%5B0%5D%5Bname%5D=a", {"many": [{"address": [], "name": "a"}]})
    assert len(in_list) == 1 and "many[0][address]" in in_list[0], in_list
    sent = "shipping%5Baddress%5D%5Bcity%5D=x&shipping%5Bname%5D=a"
    assert _form(view, sent, {"shipping": {"address": {"city": "x"}, "name": "a"}}) == []
    # a property nothing requires may spell nothing
    problems = _form(view, "shipping%5Bname%5D=a", {"shipping": {"name": "a", "x": {}}})
    assert not any(p.startswith(FORM_EMPTY_REQUIRED) for p in problems), problems


def test_a_required_array_of_empty_strings_is_an_empty_value_too() -> None:
    # Swagger petstore findPetsByTags(tags=[""]): `tags=` (one empty item) or `tags=&tags=`
    # reads as absent to a server, as `q=` does (Prism: "must have required property 'tags'")
    for explode, query in ((True, "q=&q="), (False, "q=")):
        view = _q(required=True, explode=explode, schema={"type": "array", "items": {}})
        value = ["", ""] if explode else [""]
        problems = _query(view, query, value)
        assert len(problems) == 1 and problems[0].startswith(EMPTY_REQUIRED), problems
    # an item that is not empty is a value: `q=,` (two empty items unexploded) and `q=a`
    view = _q(required=True, explode=False, schema={"type": "array", "items": {}})
    assert _query(view, "q=%2C", ["", ""]) == []
    assert _query(view, "q=a", ["a"]) == []


def _path(style: str, explode: bool, schema: dict[str, Any], sent: str, value: Any) -> list[str]:
    view = SpecView(
        {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/items/{id}": {
                    "get": {
                        "parameters": [
                            {
                                "name": "id",
                                "in": "path",
                                "required": True,
                                "style": style,
                                "explode": explode,
                                "schema": schema,
                            }
                        ],
                        "responses": {"200": {"description": "ok"}},
                    }
                }
            },
        }
    )
    request = httpx.Request("GET", f"{BASE}/items/{sent}")
    return check_request(
        view, "GET", "/items/{id}", BASE, request, {("path", "id"): value}, None, False
    )


def test_label_and_matrix_path_parameters_read_back_by_their_style() -> None:
    """The client sent `.0` for a `label` id of "0" (right, by OpenAPI's style table); the check
    read every path segment as `simple` and blamed the client (hand-written styles spec)."""
    ints = {"type": "array", "items": {"type": "integer"}}
    obj = {"type": "object", "additionalProperties": {"type": "integer"}}
    assert _path("label", False, {"type": "string"}, ".0", "0") == []
    assert _path("label", True, ints, ".1.2", [1, 2]) == []
    assert _path("label", False, obj, ".R,1,G,2", {"R": 1, "G": 2}) == []
    assert _path("matrix", False, {"type": "string"}, ";id=a", "a") == []
    assert _path("matrix", True, ints, ";id=1;id=2", [1, 2]) == []
    assert _path("matrix", False, ints, ";id=1,2", [1, 2]) == []
    assert _path("matrix", True, obj, ";R=1;G=2", {"R": 1, "G": 2}) == []
    # a client that ignored the style is still caught
    (problem,) = _path("label", False, {"type": "string"}, "0", "x")
    assert "reads as '0'" in problem
    (problem,) = _path("matrix", True, ints, "1,2", [1, 2])
    assert "path parameter id" in problem


def test_an_exploded_space_or_pipe_delimited_array_repeats_its_key() -> None:
    """`explode: true` repeats the key for every array style (`q=1&q=2`), as the runtime and
    the sandbox read it; the check read only the first pair, split at the delimiter."""
    array = {"type": "array", "items": {"type": "integer"}}
    for style in ("spaceDelimited", "pipeDelimited"):
        view = _q(schema=array, style=style, explode=True)
        assert _query(view, "q=1&q=2&q=3", [1, 2, 3]) == []
        assert _query(view, "q=1&q=2", [1, 2, 3]) != []
    joined = _q(schema=array, style="spaceDelimited", explode=False)
    assert _query(joined, "q=1%202%203", [1, 2, 3]) == []


@pytest.mark.parametrize(
    "base",
    ["http://LocalHost:8000/v1", "http://user:pw@localhost:8000/v1", "https://localhost:443/v1"],
)
def test_the_base_url_is_compared_as_httpx_sends_it(base: str) -> None:
    """A helper's product review: `--base-url http://LocalHost:8000` (or one with a password,
    or `https://host:443`) failed every call as the client's: the sent URL (lower-case host,
    no default port, no password) was compared with the option as written."""
    view = _view({})
    request = httpx.Request("POST", httpx.URL(base).join("/v1/things"))
    assert not any(
        "sent to" in p
        for p in check_request(view, "POST", "/things", base, request, {}, None, False)
    )


def test_a_report_shows_no_password_nor_query_api_key() -> None:
    """The same review: an API key the spec sends in the query, and a password in
    `--base-url`, were printed in the reports' `http:` lines (text, JSON, JUnit: CI logs)."""
    from apigen.contract.runner import shown_url

    shown = shown_url("https://me:pw@api.test/v1/x?api_key=SECRET&page=2", frozenset({"api_key"}))
    assert "SECRET" not in shown and "pw" not in shown
    assert "page=2" in shown and "api.test/v1/x" in shown
