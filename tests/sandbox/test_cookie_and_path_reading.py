"""The sandbox reads cookies in their `form` style and splits a styled path value before
decoding it (decisions.md 56), as the runtime spells them.

Before, a cookie was read as a `simple` header value, undecoded and by its last pair only: an
exploded array cookie (`c=1; c=x`) had only its last item checked, a required exploded object
(`name=x; n=2`, one cookie per member) was "missing", and `c=a%20b` was not the enum's "a b".
A matrix value `;id=a%3Bb` was decoded before it was split, so read as "a".
"""

from __future__ import annotations

from typing import Any

from apigen.sandbox import Sandbox
from apigen.sandbox._params import cookie_pairs, cookie_value


def _doc(param: dict[str, Any], path: str = "/x") -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            path: {"get": {"parameters": [param], "responses": {"200": {"description": ""}}}}
        },
    }


def _status(param: dict[str, Any], cookie: str) -> int:
    sandbox = Sandbox(_doc({"name": "c", "in": "cookie", "required": True, **param}), seed=0)
    return sandbox.handle("GET", "/x", {"Cookie": cookie}, b"").status


def test_every_item_of_an_exploded_cookie_array_is_read_and_checked() -> None:
    ints = {"schema": {"type": "array", "items": {"type": "integer"}, "maxItems": 2}}
    assert _status(ints, "c=1; c=2") == 200
    assert _status(ints, "c=x; c=2") == 400
    assert _status(ints, "c=1; c=2; c=3") == 400
    assert _status({**ints, "explode": False}, "c=1,2") == 200


def test_an_exploded_cookie_object_is_its_members() -> None:
    members = {
        "schema": {
            "type": "object",
            "required": ["n"],
            "properties": {"name": {"type": "string"}, "n": {"type": "integer"}},
        }
    }
    assert _status(members, "name=x; n=2") == 200
    assert _status(members, "name=x; n=two") == 400
    assert _status(members, "name=x") == 400  # the object lacks its required member
    assert _status({**members, "explode": False}, "c=name,x,n,2") == 200


def test_cookie_values_are_percent_decoded_after_splitting() -> None:
    assert _status({"schema": {"type": "string", "enum": ["a b"]}}, "c=a%20b") == 200
    texts = {"type": "array", "items": {"type": "string", "enum": ["p,q", "r"]}}
    assert _status({"schema": texts, "explode": False}, "c=p%2Cq,r") == 200
    pairs = cookie_pairs('c=1; %61=x; d="q"')
    assert pairs == [("c", "1"), ("a", "x"), ("d", "q")]
    assert cookie_value(pairs, "c", True, False, True, {"a", "d"}) == {"a": "x", "d": "q"}
    assert cookie_value(pairs, "z", True, True, False, ()) is None


def test_a_styled_path_value_is_split_as_sent_then_decoded() -> None:
    param = {
        "name": "id",
        "in": "path",
        "required": True,
        "style": "matrix",
        "schema": {"type": "string", "enum": ["a;b"]},
    }
    sandbox = Sandbox(_doc(param, "/items/{id}"), seed=0)
    assert sandbox.handle("GET", "/items/;id=a%3Bb", {}, b"").status == 200
    assert sandbox.handle("GET", "/items/;id=a", {}, b"").status == 400
    simple = {**param, "style": "simple", "schema": {"type": "array", "items": {"enum": ["a,b"]}}}
    sandbox = Sandbox(_doc(simple, "/items/{id}"), seed=0)
    assert sandbox.handle("GET", "/items/a%2Cb", {}, b"").status == 200
    assert sandbox.handle("GET", "/items/a,b", {}, b"").status == 400
