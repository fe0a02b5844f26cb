"""Header and cookie parameters that are not strings get drawn (DigitalOcean, BeezUP).

schemathesis keeps only string header values, and apigen draws parameters as data (no
serialiser), so a required `X-Dangerous: boolean` header or BeezUP's required `Accept-Encoding`
array left schemathesis nothing to draw: "cannot draw cases", 0 calls, on 5 BeezUP operations
and DigitalOcean's `droplets_destroy_withAssociatedResourcesDangerous` (optional ones were just
never sent). Such values now travel through schemathesis as JSON text and are read back.
"""

from __future__ import annotations

from typing import Any

import httpx

from apigen.contract.cases import CaseInput, CaseSource, _typed_headers
from apigen.contract.spec import SpecView
from apigen.contract.wire import UNSPELLABLE_VALUE, check_request


def _doc(parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {"delete": {"parameters": parameters, "responses": {"204": {"description": ""}}}}
        },
    }


DOC = _doc(
    [
        {"name": "X-Dangerous", "in": "header", "required": True, "schema": {"type": "boolean"}},
        {
            "name": "X-Ids",
            "in": "header",
            "required": True,
            "schema": {"type": "array", "items": {"type": "integer"}, "minItems": 1},
        },
        {"name": "limit", "in": "cookie", "required": True, "schema": {"type": "integer"}},
        {"name": "X-Name", "in": "header", "required": True, "schema": {"type": "string"}},
    ]
)


def test_non_string_headers_and_cookies_are_drawn_as_the_values_the_method_takes() -> None:
    cases = CaseSource(DOC).draw("delete", "/x", 8, 1)
    assert len(cases) >= 4
    for case in cases:
        assert isinstance(case.headers["X-Dangerous"], bool)
        ids = case.headers["X-Ids"]
        assert isinstance(ids, list) and ids and all(isinstance(i, int) for i in ids)
        assert isinstance(case.cookies["limit"], int)
        assert isinstance(case.headers["X-Name"], str)  # a string header stays as drawn


def test_an_array_whose_items_a_header_cannot_carry_is_dropped() -> None:
    """schemathesis validated only the JSON text (`["\\u0001"]` is printable ASCII); the items,
    joined as the client sends them, must make a header value too."""
    params = SpecView(DOC).parameters("/x", "delete")

    def read(ids: str) -> CaseInput | None:
        base = {"X-Dangerous": "true", "X-Name": "n", "X-Ids": ids}
        return _typed_headers(CaseInput("drawn", headers=base, cookies={"limit": "1"}), params)

    case = read("[1,2]")
    assert case is not None and case.headers["X-Ids"] == [1, 2]
    assert case.headers["X-Dangerous"] is True and case.cookies["limit"] == 1
    strings = _doc([{"name": "X-Ids", "in": "header", "schema": {"type": "array", "items": {}}}])
    loose = SpecView(strings).parameters("/x", "delete")
    for text in ('["\\u0001"]', '[" a"]', '["a "]', '["\\u0100"]'):
        assert _typed_headers(CaseInput("drawn", headers={"X-Ids": text}), loose) is None, text
    kept = _typed_headers(CaseInput("drawn", headers={"X-Ids": '["a\\tb", "c"]'}), loose)
    assert kept is not None and kept.headers["X-Ids"] == ["a\tb", "c"]


def _check(value: Any, sent: str) -> list[str]:
    view = SpecView(
        _doc(
            [
                {
                    "name": "X-Tags",
                    "in": "header",
                    "schema": {"type": "array", "items": {"type": "string"}},
                }
            ]
        )
    )
    request = httpx.Request("DELETE", "http://127.0.0.1:9/x", headers={"X-Tags": sent})
    intended = {("header", "X-Tags"): value}
    return check_request(view, "DELETE", "/x", "http://127.0.0.1:9", request, intended, None, False)


def test_a_header_array_without_a_spelling_of_its_own_is_the_spec_s_problem() -> None:
    assert _check(["a", "b"], "a,b") == []
    for value, sent in (([""], ""), (["a,b"], "a,b"), (["", ""], ",")):
        (problem,) = _check(value, sent)
        assert problem.startswith(UNSPELLABLE_VALUE), problem
    (problem,) = _check(["a", "b"], "a")  # a client that drops an item is still caught
    assert "sent 'a'" in problem


def test_a_json_content_header_and_a_cookie_header_read_as_the_method_takes_them() -> None:
    """A hand-written spec: `X-Filter` with `content: application/json` (an object) stayed the
    JSON text schemathesis drew, which the method's model refused (27 client failures); and a
    `Cookie` header parameter beside a cookie parameter is sent as one Cookie field, the
    caller's value then `; session=...`, which the check read as a wrong header."""
    obj = {"type": "object", "properties": {"a": {"type": "integer"}}}
    doc = _doc(
        [
            {"name": "X-Filter", "in": "header", "content": {"application/json": {"schema": obj}}},
            {"name": "X-Text", "in": "header", "content": {"text/plain": {"schema": obj}}},
            {"name": "Cookie", "in": "header", "schema": {"type": "string"}},
            {"name": "session", "in": "cookie", "schema": {"type": "string"}},
        ]
    )
    view = SpecView(doc)
    drawn = CaseInput("drawn", headers={"X-Filter": '{"a":1}', "X-Text": '{"a":1}'})
    case = _typed_headers(drawn, view.parameters("/x", "delete"))
    assert case is not None
    assert case.headers["X-Filter"] == {"a": 1}  # the object the method takes
    assert case.headers["X-Text"] == '{"a":1}'  # the caller's text in another media type

    def check(sent: str) -> list[str]:
        request = httpx.Request("DELETE", "http://127.0.0.1:9/x", headers={"Cookie": sent})
        intended = {("header", "Cookie"): "pref=dark", ("cookie", "session"): "s1"}
        return check_request(
            view, "DELETE", "/x", "http://127.0.0.1:9", request, intended, None, False
        )

    assert check("pref=dark; session=s1") == []
    assert check("pref=light; session=s1")  # a wrong value is still caught
