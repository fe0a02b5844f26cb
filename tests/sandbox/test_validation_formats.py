"""Where the sandbox disagreed with Prism and Prism was right (docs/prism.md, "Prism vs our
sandbox"): string formats of requests, the error status an operation declares, `/` inside a
path parameter, and empty query values.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped, unused-ignore]

from apigen.sandbox import Sandbox

PETSTORE = Path(__file__).resolve().parents[2] / "specs" / "petstore.yaml"
KEY = {"X-API-Key": "k"}
JSON = {**KEY, "Content-Type": "application/json"}


@pytest.fixture(scope="module")
def petstore() -> Sandbox:
    return Sandbox(yaml.safe_load(PETSTORE.read_text(encoding="utf-8")), dynamic=False)


def _json(schema: Any) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


ERROR_PROPERTIES: dict[str, Any] = {"message": {"type": "string"}, "param": {"type": "string"}}
ERROR: dict[str, Any] = {"type": "object", "required": ["message"], "properties": ERROR_PROPERTIES}

FORMATS = ("date", "date-time", "uuid", "email", "ipv4", "ipv6", "uri")
FORMATTED: dict[str, Any] = {
    **{f: {"type": "string", "format": f} for f in FORMATS},
    "int32": {"type": "integer", "format": "int32"},
    "int64": {"type": "integer", "format": "int64"},
    # formats the sandbox does not check (no cheap, dependency-free checker, or too vague)
    "decimal": {"type": "string", "format": "decimal"},
    "unix-time": {"type": "integer", "format": "unix-time"},
    "float": {"type": "number", "format": "float"},
    "time": {"type": "string", "format": "time"},
}


def _param(name: str, where: str) -> dict[str, Any]:
    return {"name": name, "in": where, "schema": FORMATTED[name]}


FORMAT_SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "formats", "version": "1"},
    "paths": {
        "/q": {
            "get": {
                "parameters": [_param(name, "query") for name in FORMATTED],
                "responses": {"200": {"description": "ok"}},
            },
            "post": {
                "requestBody": {
                    "required": True,
                    "content": _json({"type": "object", "properties": FORMATTED}),
                },
                "responses": {"201": {"description": "ok"}},
            },
        },
        "/h": {
            "get": {
                "parameters": [_param("uuid", "header"), _param("date", "cookie")],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/p/{int64}": {
            "get": {
                "parameters": [{**_param("int64", "path"), "required": True}],
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
}

GOOD: list[tuple[str, Any]] = [
    ("date", "2024-02-29"),
    ("date-time", "2024-02-29T23:59:60Z"),  # a leap second is RFC 3339
    ("date-time", "2024-02-29t10:00:00.123456789+05:30"),
    ("date-time", "2024-02-29T10:00:00.5-00:00"),
    ("date-time", "2024-02-29T10:00:00"),  # a naive `datetime`, as the generated client sends it
    ("date-time", "2024-02-29T10:00:00.123456"),
    ("uuid", "123e4567-e89b-12d3-a456-426614174000"),
    ("uuid", "123E4567-E89B-12D3-A456-426614174000"),
    ("email", "a@b.c"),
    ("ipv4", "192.168.0.1"),
    ("ipv6", "::1"),
    ("ipv6", "2001:db8::8a2e:370:7334"),
    ("uri", "https://example.com/a?b=c#d"),
    ("uri", "mailto:a@b.c"),
    ("uri", "urn:isbn:0451450523"),
    ("int32", 2**31 - 1),
    ("int32", -(2**31)),
    ("int64", 2**63 - 1),
    ("int64", -(2**63)),
    ("decimal", "not a decimal"),
    ("unix-time", 17),
    ("float", 3),
    ("time", "10:00:00"),  # `datetime.time.isoformat()`: not checked
]

BAD: list[tuple[str, Any]] = [
    ("date", "not-a-date"),
    ("date", "2023-02-29"),
    ("date", "2024-2-1"),
    ("date-time", "2024-02-29"),
    ("date-time", "yesterday"),
    ("date-time", "2024-02-30T10:00:00Z"),
    ("date-time", "2024-02-29T25:00:00Z"),
    ("uuid", "not-a-uuid"),
    ("uuid", "123e4567e89b12d3a456426614174000"),
    ("email", "nobody"),
    ("ipv4", "256.1.1.1"),
    ("ipv4", "::1"),
    ("ipv6", "1.2.3.4"),
    ("uri", "example.com/no-scheme"),
    ("uri", "https://exa mple.com"),
    ("int32", 2**31),
    ("int64", 2**63),
    ("int64", -(2**63) - 1),
]


@pytest.fixture(scope="module")
def formats() -> Sandbox:
    return Sandbox(FORMAT_SPEC, dynamic=False)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _query(name: str, value: Any) -> str:
    from urllib.parse import urlencode

    return "/q?" + urlencode({name: _text(value)})


@pytest.mark.parametrize(("name", "value"), GOOD, ids=[f"{n}={v}" for n, v in GOOD])
def test_valid_formatted_values_pass(formats: Sandbox, name: str, value: Any) -> None:
    query = formats.handle("GET", _query(name, value))
    assert query.status == 200, query.body
    body = formats.handle(
        "POST", "/q", {"Content-Type": "application/json"}, json.dumps({name: value}).encode()
    )
    assert body.status == 201, body.body


@pytest.mark.parametrize(("name", "value"), BAD, ids=[f"{n}={v}" for n, v in BAD])
def test_invalid_formatted_values_are_refused(formats: Sandbox, name: str, value: Any) -> None:
    query = formats.handle("GET", _query(name, value))
    assert query.status == 400, query.body
    assert f"invalid query parameter {name!r}" in query.json()["message"]
    body = formats.handle(
        "POST", "/q", {"Content-Type": "application/json"}, json.dumps({name: value}).encode()
    )
    assert body.status == 400, body.body
    assert "invalid request body" in body.json()["message"]


def test_formats_of_headers_cookies_and_path_parameters(formats: Sandbox) -> None:
    uuid = "123e4567-e89b-12d3-a456-426614174000"
    assert formats.handle("GET", "/h", {"uuid": uuid, "cookie": "date=2024-01-31"}).status == 200
    bad_header = formats.handle("GET", "/h", {"uuid": "nope"})
    assert bad_header.status == 400
    assert "header parameter 'uuid'" in bad_header.json()["message"]
    bad_cookie = formats.handle("GET", "/h", {"cookie": "date=31.01.2024"})
    assert bad_cookie.status == 400
    assert "cookie parameter 'date'" in bad_cookie.json()["message"]
    assert formats.handle("GET", f"/p/{2**63 - 1}").status == 200
    too_big = formats.handle("GET", f"/p/{2**63}")
    assert too_big.status == 400
    assert "path parameter 'int64'" in too_big.json()["message"]


def test_petstore_formats_as_prism_checks_them(petstore: Sandbox) -> None:
    """docs/prism.md: a bad `X-Request-Id` uuid and `birthday: "not-a-date"` were accepted."""
    uuid = "123e4567-e89b-12d3-a456-426614174000"
    assert petstore.handle("GET", "/v1/pets", {**KEY, "X-Request-Id": uuid}).status == 200
    bad_id = petstore.handle("GET", "/v1/pets", {**KEY, "X-Request-Id": "not-a-uuid"})
    assert bad_id.status == 400  # listPets declares only `default`
    assert set(bad_id.json()) == {"code", "message"}
    assert "X-Request-Id" in bad_id.json()["message"]

    pet = {"name": "Rex", "kind": "dog", "birthday": "2020-05-17"}
    assert petstore.handle("POST", "/v1/pets", JSON, json.dumps(pet).encode()).status == 201
    pet["birthday"] = "not-a-date"
    refused = petstore.handle("POST", "/v1/pets", JSON, json.dumps(pet).encode())
    assert refused.status == 422
    assert "birthday" in refused.json()["message"]


# -- the error status the operation declares ---------------------------------------------------


def test_petstore_create_pet_answers_its_declared_422(petstore: Sandbox) -> None:
    """createPet declares 201 and 422 only: every client error is a 422 `Error`, not a 400."""
    for headers, body in [
        (KEY, b""),  # no body
        ({**KEY, "Content-Type": "text/plain"}, b"Rex"),  # a media type it does not take
        (JSON, b'{"name": '),  # not JSON
        ({**KEY, "Content-Type": ""}, b'{"name": "Rex", "kind": "dog"}'),
    ]:
        reply = petstore.handle("POST", "/v1/pets", headers, body)
        assert reply.status == 422, (headers, body, reply.body)
        assert set(reply.json()) == {"code", "message"}, reply.body
    unknown = petstore.handle("POST", "/v1/pets?colour=red", JSON, b'{"name": "R", "kind": "dog"}')
    assert unknown.status == 422
    assert "colour" in unknown.json()["message"]
    assert petstore.handle("POST", "/v1/pets", KEY, b"").status == 422
    assert petstore.handle("POST", "/v1/pets", {}, b"").status == 401  # credentials first


def test_github_operations_that_declare_only_422(github_doc: dict[str, Any]) -> None:
    sandbox = Sandbox(github_doc, dynamic=False)
    for target, mention in [
        ("/repos/o/r/issues?state=bogus", "'state'"),
        ("/repos/o/r/issues?per_page=abc", "'per_page'"),
        ("/search/repositories?q=x&per_page=abc", "'per_page'"),
        ("/search/repositories", "missing required query parameter 'q'"),
    ]:
        reply = sandbox.handle("GET", target)
        assert reply.status == 422, (target, reply.body)
        body = reply.json()
        assert set(body) >= {"message", "documentation_url"}  # validation-error(-simple)
        assert mention in body["message"]
    # issues/create declares 400 and 422: unparseable JSON is the 400, a schema violation 422
    json_type = {"Content-Type": "application/json"}
    assert sandbox.handle("POST", "/repos/o/r/issues", json_type, b"{").status == 400
    assert sandbox.handle("POST", "/repos/o/r/issues", json_type, b"{}").status == 422
    # repos/get-content declares no 400/422 (only 302/304/403/404): 400, a client error
    assert sandbox.handle("GET", "/repos/o/r/contents/a?ref=1&x=1").status == 400


STATUS_SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "statuses", "version": "1"},
    "paths": {
        path: {
            "get": {
                "parameters": [
                    {"name": "n", "in": "query", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {
                    "200": {"description": "ok"},
                    **{
                        code: {
                            "description": code,
                            "content": _json(
                                {**ERROR, "properties": {**ERROR_PROPERTIES, code: {}}}
                            ),
                        }
                        for code in codes
                    },
                },
            }
        }
        for path, codes in {
            "/both": ["400", "422"],
            "/only422": ["422"],
            "/range": ["4XX"],
            "/default": ["default"],
            "/none": [],
        }.items()
    },
}


@pytest.mark.parametrize(
    ("path", "status", "shape"),
    [
        ("/both", 400, "400"),
        ("/only422", 422, "422"),
        ("/range", 400, "4XX"),
        ("/default", 400, "default"),
        ("/none", 400, None),
    ],
)
def test_client_error_status_follows_the_declared_responses(
    path: str, status: int, shape: str | None
) -> None:
    sandbox = Sandbox(STATUS_SPEC, dynamic=False)
    for target in (path, f"{path}?n=x", f"{path}?n=1&m=2"):
        reply = sandbox.handle("GET", target)
        assert reply.status == status, (target, reply.body)
        assert sandbox.requests[-1].status == status
        if shape is not None:
            assert "message" in reply.json()


# -- path parameters fill one segment ----------------------------------------------------------


def test_raw_slash_does_not_match_a_path_parameter(petstore: Sandbox) -> None:
    assert petstore.handle("GET", "/v1/pets/7", KEY).status == 200
    assert petstore.handle("GET", "/v1/pets/7/8", KEY).status == 404
    assert petstore.handle("GET", "/v1/owners/a/b", KEY).status == 404
    # percent-encoded: one segment, one value, decoded before it is validated
    owner = petstore.handle("GET", "/v1/owners/a%2Fb", KEY)
    assert owner.status == 200, owner.body
    assert petstore.requests[-1].path_params == {"ownerId": "a/b"}
    bad = petstore.handle("GET", "/v1/pets/7%2F8", KEY)
    assert bad.status == 400
    assert "'7/8'" in bad.json()["message"]


def test_github_contents_path_spans_segments(github_doc: dict[str, Any]) -> None:
    """GitHub marks `{path}` `x-multi-segment` (as its clients send it, `/` kept): a raw `/`
    is read into it, as api.github.com does; the encoded form is still one value."""
    sandbox = Sandbox(github_doc, dynamic=False)
    encoded = sandbox.handle("GET", "/repos/o/r/contents/docs%2Fa%20b.md")
    assert encoded.status == 200, encoded.body
    assert sandbox.requests[-1].path_params["path"] == "docs/a b.md"
    raw = sandbox.handle("GET", "/repos/o/r/contents/docs/a.md")
    assert raw.status == 200, raw.body
    assert sandbox.requests[-1].path_params["path"] == "docs/a.md"
    # an unmarked parameter still fills one segment
    assert sandbox.handle("GET", "/repos/o/r/issues/1/2").status == 404


# -- empty query values ------------------------------------------------------------------------

EMPTY_SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "empty", "version": "1"},
    "paths": {
        "/e": {
            "get": {
                "parameters": [
                    {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}},
                    {
                        "name": "blank",
                        "in": "query",
                        "required": True,
                        "allowEmptyValue": True,
                        "schema": {"type": "string"},
                    },
                    {"name": "opt", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


def test_empty_value_of_a_required_query_parameter_is_missing() -> None:
    sandbox = Sandbox(EMPTY_SPEC, dynamic=False)
    assert sandbox.handle("GET", "/e?q=x&blank=").status == 200  # allowEmptyValue: true
    empty = sandbox.handle("GET", "/e?q=&blank=")
    assert empty.status == 400
    assert "missing required query parameter 'q'" in empty.json()["message"]
    assert sandbox.handle("GET", "/e?q&blank=").status == 400
    assert sandbox.handle("GET", "/e?q=x").status == 400  # `blank` is required, even if empty
    assert sandbox.handle("GET", "/e?q=x&blank=&opt=").status == 200  # empty optional: absent


def test_github_search_with_empty_q(github_doc: dict[str, Any]) -> None:
    sandbox = Sandbox(github_doc, dynamic=False)
    reply = sandbox.handle("GET", "/search/repositories?q=")
    assert reply.status == 422, reply.body
    assert "missing required query parameter 'q'" in reply.json()["message"]
    assert sandbox.handle("GET", "/search/repositories?q=apigen").status == 200
