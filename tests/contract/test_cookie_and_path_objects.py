"""Cookies read in their own `form` style, and object path parameters drawn at all.

Found by the contract run on `features/3.0/parameters-style.yaml` (2026-12-03), once cookies
that are not strings were drawn: 50 client failures, none the client's. The check read a cookie
as a `simple` header value: an exploded array (`a=1; a=2`, one cookie per item) by its last
cookie only, an exploded object (`k=v`, one cookie per member) as "not sent"; a header or
cookie object holding an object (which no style spells) was blamed on the client. And every
operation with an object path parameter drew no case at all ("cannot draw cases": schemathesis
refuses any path value whose `str()` holds `{`).
"""

from __future__ import annotations

from typing import Any

import httpx

from apigen.contract.cases import CaseInput, CaseSource, _as_tokens, _from_token
from apigen.contract.runner import _empty_path_container
from apigen.contract.spec import SpecView
from apigen.contract.wire import UNSPELLABLE_VALUE, check_request

BASE = "http://127.0.0.1:9"
TEXTS = {"type": "array", "items": {"type": "string"}}
MEMBERS = {"type": "object", "properties": {"name": {"type": "string"}, "n": {"type": "integer"}}}


def _doc(parameters: list[dict[str, Any]], path: str = "/x") -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            path: {"get": {"parameters": parameters, "responses": {"200": {"description": ""}}}}
        },
    }


def _param(where: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": "c", "in": where, "schema": schema, **extra}


def _cookies(
    param: dict[str, Any], value: Any, cookie: str, others: tuple[dict[str, Any], ...] = ()
) -> list[str]:
    view = SpecView(_doc([param, *others]))
    request = httpx.Request("GET", f"{BASE}/x", headers={"Cookie": cookie})
    intended = {("cookie", "c"): value}
    return check_request(view, "GET", "/x", BASE, request, intended, None, False)


def test_an_exploded_cookie_array_is_one_cookie_per_item() -> None:
    param = _param("cookie", TEXTS)  # form, explode: true (the default)
    assert _cookies(param, ["a", "b"], "c=a; c=b") == []
    assert _cookies(param, ["a,b", " "], "c=a%2Cb; c=%20") == []  # items are percent-decoded
    assert _cookies(param, [], "other=1") == []  # nothing to send
    (problem,) = _cookies(param, ["a", "b"], "c=b")  # a client that drops an item is caught
    assert "cookie c: sent" in problem


def test_an_unexploded_cookie_array_splits_on_the_literal_comma_before_decoding() -> None:
    param = _param("cookie", TEXTS, explode=False)
    assert _cookies(param, ["a,b", "c"], "c=a%2Cb,c") == []
    assert _cookies(param, [], "c=") == []
    (problem,) = _cookies(param, [""], "c=")  # `[""]` is spelled as `[]`
    assert problem.startswith(UNSPELLABLE_VALUE)
    (problem,) = _cookies(param, ["a,b", "c"], "c=a,b,c")
    assert "cookie c: sent" in problem


def test_an_exploded_cookie_object_is_one_cookie_per_member() -> None:
    param = _param("cookie", MEMBERS, required=True)
    assert _cookies(param, {"name": "x y", "n": 2}, "name=x%20y; n=2; session=s") == []
    assert _cookies(param, {"name": "x", "n": None}, "name=x") == []  # a null member is not sent
    (problem,) = _cookies(param, {"name": "x", "n": 2}, "name=x")
    assert "cookie c: sent" in problem
    (problem,) = _cookies(param, {}, "")  # required, and nothing to spell it with
    assert problem.startswith(UNSPELLABLE_VALUE) and "none to send" in problem
    assert _cookies({**param, "required": False}, {}, "") == []  # optional: absent is fine
    other = {"name": "name", "in": "cookie", "schema": {"type": "string"}}
    (problem,) = _cookies(param, {"name": "x"}, "name=x", (other,))  # a member named like a cookie
    assert problem.startswith(UNSPELLABLE_VALUE) and "also a cookie" in problem


def test_an_unexploded_cookie_object_is_name_value_pairs() -> None:
    param = _param("cookie", MEMBERS, explode=False)
    assert _cookies(param, {"name": "a,b", "n": 1}, "c=name,a%2Cb,n,1") == []
    (problem,) = _cookies(param, {"name": "a", "n": 1}, "c=name,a")
    assert "cookie c: sent" in problem


def test_nested_or_null_items_have_no_cookie_or_header_spelling() -> None:
    loose = {"type": "object", "additionalProperties": {}}
    for explode in (True, False):
        param = _param("cookie", loose, explode=explode)
        (problem,) = _cookies(param, {"a": {"b": 1}}, 'c=a,{"b":1}')
        assert problem.startswith(UNSPELLABLE_VALUE) and "nested" in problem
    (problem,) = _cookies(_param("cookie", TEXTS), ["a", None], "c=a")
    assert "a null item" in problem
    view = SpecView(_doc([_param("header", loose, explode=True)]))
    request = httpx.Request("GET", f"{BASE}/x", headers={"c": 'v={"w":{}}'})
    intended = {("header", "c"): {"v": {"w": {}}}}
    (problem,) = check_request(view, "GET", "/x", BASE, request, intended, None, False)
    assert problem.startswith(UNSPELLABLE_VALUE)


def _path(style: str, explode: bool, schema: dict[str, Any], sent: str, value: Any) -> list[str]:
    param = {"name": "id", "in": "path", "required": True, "style": style, "explode": explode}
    view = SpecView(_doc([{**param, "schema": schema}], path="/items/{id}"))
    request = httpx.Request("GET", f"{BASE}/items/{sent}")
    intended = {("path", "id"): value}
    return check_request(view, "GET", "/items/{id}", BASE, request, intended, None, False)


def test_a_path_value_is_split_as_sent_then_decoded() -> None:
    """RFC 6570 percent-encodes a delimiter inside an item: `;id=a%3Bb` is "a;b"."""
    text = {"type": "string"}
    assert _path("matrix", False, text, ";id=a%3Bb", "a;b") == []
    assert _path("simple", False, TEXTS, "a%2Cb,c", ["a,b", "c"]) == []
    assert _path("simple", True, MEMBERS, "name=a%3Db,n=1", {"name": "a=b", "n": 1}) == []
    assert _path("label", True, MEMBERS, ".name=x.n=1", {"name": "x", "n": 1}) == []
    # `.` is unreserved, never encoded: an exploded label value cannot hold one
    (problem,) = _path("label", True, TEXTS, ".a.b.c", ["a.b", "c"])
    assert problem.startswith(UNSPELLABLE_VALUE)
    (problem,) = _path("simple", False, {"type": "object"}, "a,%7B%7D", {"a": {}})
    assert problem.startswith(UNSPELLABLE_VALUE) and "nested" in problem
    (problem,) = _path("matrix", False, text, ";id=a;b", "a;b")  # a client that did not encode
    assert "reads as 'a'" in problem


def test_object_path_parameters_are_drawn_through_a_token() -> None:
    hidden = _as_tokens({"id": {"name": "x", "n": [1]}, "plain": "a b", "items": [1, 2]})
    assert isinstance(hidden["id"], str) and "{" not in hidden["id"]
    assert hidden["plain"] == "a b" and hidden["items"] == [1, 2]
    assert _from_token(hidden["id"]) == {"name": "x", "n": [1]}
    assert _from_token("a%20b") == "a b"
    param = {"name": "id", "in": "path", "required": True, "schema": MEMBERS}
    cases = CaseSource(_doc([param], path="/items/{id}")).draw("get", "/items/{id}", 10, 1)
    assert len(cases) >= 5
    assert all(isinstance(case.path["id"], dict) for case in cases)


def test_a_path_object_with_nothing_to_spell_is_refused_by_the_client_and_is_the_spec_s() -> None:
    error = "path segment '{id}' would be '', which changes the endpoint"
    for value in ({}, {"a": None}, [None], [""], ["."], [".."], [None, "."]):
        assert _empty_path_container(CaseInput("drawn", path={"id": value}), error)
    assert not _empty_path_container(CaseInput("drawn", path={"id": {"a": ""}}), error)
    assert not _empty_path_container(CaseInput("drawn", path={"id": [".", "."]}), error)
    assert not _empty_path_container(CaseInput("drawn", path={"id": {}}), "another error")
