"""The sandbox refuses what the real API would refuse, with errors shaped like the spec's own.

One small spec (`SHOP`) exercises every kind of probe over real HTTP; the same probes run
against Stripe and GitHub where those specs have the shape (Stripe's error envelope,
GitHub's `{message, documentation_url}` and its 422 for invalid bodies).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from apigen.sandbox import Sandbox
from apigen.sandbox._server import MAX_URL

STRIPE_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {"type": "string", "enum": ["api_error", "invalid_request_error"]},
                "message": {"type": "string"},
                "param": {"type": "string"},
                "code": {"type": "string", "maxLength": 5000},
            },
        }
    },
}
GITHUB_ERROR = {
    "type": "object",
    "properties": {"message": {"type": "string"}, "documentation_url": {"type": "string"}},
}


def _json(schema: Any) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


CAT = {"id": 1, "name": "Tom", "note": None, "kind": {"meow": True}}
DOG = {"id": 2, "name": "Rex", "note": "good", "kind": {"bark": 3}}
ERRORS = {"default": {"description": "error", "content": _json(STRIPE_ERROR)}}

SHOP: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "shop", "version": "1"},
    "servers": [{"url": "https://api.example.com/v1"}],
    "security": [{"bearer": []}, {"key": []}],
    "paths": {
        "/items": {
            "parameters": [
                {"name": "X-Trace", "in": "header", "schema": {"type": "integer"}},
            ],
            "get": {
                "operationId": "listItems",
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                    },
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["open", "closed"]},
                    },
                    {
                        "name": "created",
                        "in": "query",
                        "style": "deepObject",
                        "explode": True,
                        "schema": {
                            "anyOf": [
                                {
                                    "type": "object",
                                    "properties": {
                                        "gt": {"type": "integer"},
                                        "lte": {"type": "integer"},
                                    },
                                    "additionalProperties": False,
                                },
                                {"type": "integer"},
                            ]
                        },
                    },
                    {
                        "name": "expand",
                        "in": "query",
                        "style": "deepObject",
                        "explode": True,
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {
                        "name": "tags",
                        "in": "query",
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {
                        "name": "ids",
                        "in": "query",
                        "explode": False,
                        "schema": {"type": "array", "items": {"type": "integer"}},
                    },
                    {
                        "name": "filter",
                        "in": "query",
                        "content": _json(
                            {"type": "object", "properties": {"a": {"type": "integer"}}}
                        ),
                    },
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "items",
                        "content": _json(
                            {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}
                        ),
                    },
                    **ERRORS,
                },
            },
            "post": {
                "operationId": "createItem",
                "requestBody": {
                    "required": True,
                    "content": _json({"$ref": "#/components/schemas/NewItem"}),
                },
                "responses": {
                    "201": {
                        "description": "created",
                        "content": _json({"$ref": "#/components/schemas/Item"}),
                    },
                    **ERRORS,
                },
            },
        },
        "/items/{id}": {
            "put": {
                "operationId": "replaceItem",
                "security": [],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "requestBody": {"content": _json({"$ref": "#/components/schemas/NewItem"})},
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": _json({"$ref": "#/components/schemas/Item"}),
                    },
                    "422": {"description": "invalid", "content": _json(GITHUB_ERROR)},
                },
            },
            "get": {
                "operationId": "getItem",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Item"},
                                "examples": {
                                    "cat": {"value": CAT},
                                    "dog": {"value": DOG},
                                },
                            }
                        },
                    },
                    "404": {"description": "missing", "content": _json(GITHUB_ERROR)},
                },
            },
        },
        "/forms": {
            "post": {
                "operationId": "postForm",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["amount"],
                                "properties": {
                                    "amount": {"type": "integer"},
                                    "confirm": {"type": "boolean"},
                                    "metadata": {
                                        "anyOf": [
                                            {
                                                "type": "object",
                                                "additionalProperties": {"type": "string"},
                                            },
                                            {"type": "string", "enum": [""]},
                                        ]
                                    },
                                    "items": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "additionalProperties": False,
                                            "properties": {
                                                "price": {"type": "string"},
                                                "quantity": {"type": "integer"},
                                            },
                                        },
                                    },
                                    "expand": {"type": "array", "items": {"type": "string"}},
                                },
                            }
                        }
                    },
                },
                "responses": {"200": {"description": "ok", "content": _json({})}, **ERRORS},
            }
        },
        "/upload": {
            "post": {
                "operationId": "upload",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file", "purpose"],
                                "properties": {
                                    "file": {"type": "string", "format": "binary"},
                                    "purpose": {"type": "string", "enum": ["avatar", "doc"]},
                                },
                            }
                        }
                    },
                },
                "responses": {"200": {"description": "ok", "content": _json({})}, **ERRORS},
            }
        },
    },
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
        },
        "schemas": {
            "NewItem": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "qty": {"type": "integer"},
                    "color": {"type": "string", "enum": ["red", "blue"]},
                },
            },
            "Item": {
                "type": "object",
                "required": ["id", "name", "kind", "note"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "note": {"type": "string", "nullable": True},
                    "created": {"type": "string", "format": "date-time"},
                    "email": {"type": "string", "format": "email"},
                    "owner": {"type": "string", "format": "uuid"},
                    "kind": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/Cat"},
                            {"$ref": "#/components/schemas/Dog"},
                        ]
                    },
                },
            },
            "Cat": {
                "type": "object",
                "required": ["meow"],
                "additionalProperties": False,
                "properties": {"meow": {"type": "boolean"}},
            },
            "Dog": {
                "type": "object",
                "required": ["bark"],
                "additionalProperties": False,
                "properties": {"bark": {"type": "integer"}},
            },
        },
    },
}

AUTH = {"Authorization": "Bearer sk_test"}


@pytest.fixture(scope="module")
def shop() -> Iterator[tuple[Sandbox, httpx.Client]]:
    with (
        Sandbox(SHOP, seed=3) as sandbox,
        httpx.Client(base_url=sandbox.url or "", headers=AUTH, timeout=10) as client,
    ):
        yield sandbox, client


def _stripe_message(response: httpx.Response) -> str:
    body = response.json()
    assert body["error"]["type"] == "invalid_request_error", body
    message = body["error"]["message"]
    assert isinstance(message, str)
    return message


# -- probes: (method, path, kwargs) -> status and the error text it must mention ------------

PROBES: list[tuple[str, str, str, dict[str, Any], int, str]] = [
    (
        "missing required query",
        "GET",
        "/items",
        {},
        400,
        "missing required query parameter 'limit'",
    ),
    ("wrong type query", "GET", "/items", {"params": {"limit": "ten"}}, 400, "'limit'"),
    ("above maximum", "GET", "/items", {"params": {"limit": "101"}}, 400, "101"),
    (
        "out of enum",
        "GET",
        "/items",
        {"params": {"limit": "1", "status": "lost"}},
        400,
        "'status'",
    ),
    (
        "unknown query parameter",
        "GET",
        "/items",
        {"params": {"limit": "1", "colour": "red"}},
        400,
        "unknown query parameter 'colour'",
    ),
    (
        "deepObject unknown key",
        "GET",
        "/items",
        {"params": {"limit": "1", "created[gte]": "5"}},
        400,
        "'created'",
    ),
    (
        "deepObject wrong type",
        "GET",
        "/items",
        {"params": {"limit": "1", "created[gt]": "soon"}},
        400,
        "'created'",
    ),
    (
        "non-exploded array item type",
        "GET",
        "/items",
        {"params": {"limit": "1", "ids": "1,x"}},
        400,
        "'ids'",
    ),
    (
        "JSON query parameter not JSON",
        "GET",
        "/items",
        {"params": {"limit": "1", "filter": "a=1"}},
        400,
        "not valid JSON",
    ),
    (
        "JSON query parameter wrong type",
        "GET",
        "/items",
        {"params": {"limit": "1", "filter": '{"a": "x"}'}},
        400,
        "'filter'",
    ),
    (
        "path-level header wrong type",
        "GET",
        "/items",
        {"params": {"limit": "1"}, "headers": {"X-Trace": "abc"}},
        400,
        "'X-Trace'",
    ),
    ("missing body", "POST", "/items", {}, 400, "request body is required"),
    (
        "body where none is taken",
        "GET",
        "/items",
        {"params": {"limit": "1"}, "json": {"a": 1}},
        400,
        "takes no request body",
    ),
    (
        "unknown body field (closed schema)",
        "POST",
        "/items",
        {"json": {"name": "a", "size": 3}},
        400,
        "'size' was unexpected",
    ),
    ("missing body field", "POST", "/items", {"json": {"qty": 1}}, 400, "'name' is a required"),
    (
        "wrong-typed body field",
        "POST",
        "/items",
        {"json": {"name": "a", "qty": "many"}},
        400,
        "qty",
    ),
    (
        "out-of-enum body field",
        "POST",
        "/items",
        {"json": {"name": "a", "color": "green"}},
        400,
        "color",
    ),
    (
        "wrong content type",
        "POST",
        "/items",
        {"content": b"name=a", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
        400,
        "unsupported Content-Type",
    ),
    (
        "missing content type",
        "POST",
        "/items",
        {"content": b'{"name": "a"}'},
        400,
        "no Content-Type",
    ),
    (
        "unparseable JSON",
        "POST",
        "/items",
        {"content": b'{"name": ', "headers": {"Content-Type": "application/json"}},
        400,
        "not valid application/json",
    ),
    (
        "form: unknown field",
        "POST",
        "/forms",
        {"data": {"amount": "5", "amonut": "5"}},
        400,
        "'amonut' was unexpected",
    ),
    (
        "form: wrong-typed nested index",
        "POST",
        "/forms",
        {"data": {"amount": "5", "items[0][quantity]": "two"}},
        400,
        "items",
    ),
    (
        "form: unknown nested key",
        "POST",
        "/forms",
        {"data": {"amount": "5", "items[0][prise]": "p"}},
        400,
        "'prise' was unexpected",
    ),
    (
        "multipart: out-of-enum field",
        "POST",
        "/upload",
        {"files": {"file": ("a.txt", b"hi")}, "data": {"purpose": "selfie"}},
        400,
        "purpose",
    ),
    (
        "multipart: missing file",
        "POST",
        "/upload",
        {"files": {"other": ("a.txt", b"hi")}, "data": {"purpose": "doc"}},
        400,
        "'file' is a required",
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "mention"),
    [p[1:] for p in PROBES],
    ids=[p[0] for p in PROBES],
)
def test_probe_is_refused_with_spec_shaped_error(
    shop: tuple[Sandbox, httpx.Client],
    method: str,
    path: str,
    kwargs: dict[str, Any],
    status: int,
    mention: str,
) -> None:
    sandbox, client = shop
    response = client.request(method, path, **kwargs)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert mention in _stripe_message(response)
    recorded = sandbox.requests[-1]
    assert recorded.status == status
    assert recorded.problem is not None and mention in recorded.problem


def test_error_names_the_parameter(shop: tuple[Sandbox, httpx.Client]) -> None:
    _, client = shop
    body = client.get("/items", params={"limit": "0"}).json()
    assert body["error"]["param"] == "limit"
    assert body["error"]["type"] == "invalid_request_error"


VALID: list[tuple[str, str, dict[str, Any]]] = [
    (
        "GET",
        "/items",
        {
            "params": [
                ("limit", "5"),
                ("status", "open"),
                ("created[gt]", "1600000000"),
                ("created[lte]", "1700000000"),
                ("expand[]", "a"),
                ("expand[]", "b.c"),
                ("tags", "x"),
                ("tags", "y"),
                ("ids", "1,2,3"),
                ("filter", '{"a": 1}'),
            ],
            "headers": {"X-Trace": "7", "Cookie": "session=abc"},
        },
    ),
    ("GET", "/items", {"params": {"limit": "5", "created": "1600000000"}}),
    ("POST", "/items", {"json": {"name": "a", "qty": 2, "color": "red"}}),
    (
        "POST",
        "/forms",
        {
            "content": b"amount=100&confirm=true&metadata[order]=7&metadata[note]=a%26b"
            b"&items[0][price]=p1&items[1][price]=p2&items[1][quantity]=2"
            b"&expand[]=customer&expand[]=invoice",
            "headers": {"Content-Type": "application/x-www-form-urlencoded"},
        },
    ),
    ("POST", "/forms", {"data": {"amount": "1", "metadata": ""}}),  # Stripe's "unset"
    ("POST", "/upload", {"files": {"file": ("a.bin", b"\x00\xff")}, "data": {"purpose": "doc"}}),
    ("GET", "/items/12", {"headers": {"Authorization": "", "X-Api-Key": "k"}}),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), VALID)
def test_valid_requests_pass(
    shop: tuple[Sandbox, httpx.Client], method: str, path: str, kwargs: dict[str, Any]
) -> None:
    sandbox, client = shop
    response = client.request(method, path, **kwargs)
    assert response.status_code in (200, 201), response.text
    assert sandbox.requests[-1].problem is None


def test_missing_credentials_is_401(shop: tuple[Sandbox, httpx.Client]) -> None:
    sandbox, client = shop
    response = client.get("/items", params={"limit": "1"}, headers={"Authorization": ""})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "missing or malformed credentials" in _stripe_message(response)
    wrong_scheme = client.get(
        "/items", params={"limit": "1"}, headers={"Authorization": "Basic eDp5"}
    )
    assert wrong_scheme.status_code == 401
    assert sandbox.requests[-1].status == 401
    # no drawn placeholder in the optional fields (helper 229: `"param": "param"` on a 401
    # pointed a client at a parameter that does not exist; `"code": "code"`)
    error = response.json()["error"]
    assert not [k for k, v in error.items() if v == k], error


def test_operation_without_security_and_semantic_422(shop: tuple[Sandbox, httpx.Client]) -> None:
    _, client = shop
    ok = client.put("/items/3", json={"name": "a"}, headers={"Authorization": ""})
    assert ok.status_code == 200
    # the operation documents 422 (and no 400) for invalid bodies: GitHub's convention
    invalid = client.put("/items/3", json={"name": ""})
    assert invalid.status_code == 422
    body = invalid.json()
    assert set(body) <= {"message", "documentation_url"}
    assert "invalid request body" in body["message"]
    # any other client error is the declared 422 too (no 400 is declared), in its shape
    bad_path = client.put("/items/x", json={"name": "a"})
    assert bad_path.status_code == 422
    assert "'id'" in bad_path.json()["message"]
    no_type = client.put("/items/3", content=b'{"name": "a"}')
    assert no_type.status_code == 422
    assert "no Content-Type" in no_type.json()["message"]


def test_unknown_path_wrong_method_and_long_url(shop: tuple[Sandbox, httpx.Client]) -> None:
    sandbox, client = shop
    missing = client.get("/nowhere")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/json"
    assert "no operation for GET /v1/nowhere" in _stripe_message(missing)

    wrong = client.delete("/items")
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "GET, POST"
    assert "DELETE is not allowed" in _stripe_message(wrong)

    odd = client.request("BREW", "/items")  # not an HTTP method at all: still JSON
    assert odd.status_code == 405
    assert odd.headers["content-type"] == "application/json"

    long = client.get("/items", params={"limit": "1", "q": "x" * MAX_URL})
    assert long.status_code == 414
    assert "longer than" in _stripe_message(long)
    assert sandbox.requests[-1].status == 414

    # over the standard library's own request-line limit (httpx refuses to send it)
    assert sandbox.port is not None
    head, body = _raw(sandbox.port, b"GET /v1/items?q=" + b"x" * 70_000 + b" HTTP/1.1\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414")
    assert b"Content-Type: application/json" in head
    assert json.loads(body)["error"]["type"] == "invalid_request_error"


def _raw(port: int, request: bytes) -> tuple[bytes, bytes]:
    """Send raw bytes; the response's head and body (the server closes after an error)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(request)
        data = b""
        while chunk := raw.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body


def test_malformed_request_line_gets_json() -> None:
    with Sandbox(SHOP) as sandbox:
        assert sandbox.port is not None
        head, body = _raw(sandbox.port, b"NOT A REQUEST\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b"application/json" in head
    assert json.loads(body)["error"]["type"] == "invalid_request_error"


def test_validation_can_be_turned_off() -> None:
    sandbox = Sandbox(SHOP, validate=False)
    assert sandbox.handle("GET", "/v1/items").status == 200
    assert sandbox.handle("POST", "/v1/items", {}, b"junk").status == 201


# -- real specs ------------------------------------------------------------------------------


def test_stripe_probes(stripe_doc: dict[str, Any]) -> None:
    sandbox = Sandbox(stripe_doc)
    auth = {"Authorization": "Bearer sk_test_1"}
    form = {**auth, "Content-Type": "application/x-www-form-urlencoded"}

    no_key = sandbox.handle("GET", "/v1/customers")
    assert no_key.status == 401
    assert no_key.json()["error"]["type"] == "invalid_request_error"
    assert "credentials" in no_key.json()["error"]["message"]

    ok = sandbox.handle(
        "GET", "/v1/customers?limit=3&created[gt]=1&created[lte]=2&expand[]=data.a", auth
    )
    assert ok.status == 200, ok.body
    assert sandbox.handle("GET", "/v1/customers?created=5", auth).status == 200

    bad_limit = sandbox.handle("GET", "/v1/customers?limit=many", auth)
    assert bad_limit.status == 400
    assert bad_limit.json()["error"]["param"] == "limit"

    unknown = sandbox.handle("GET", "/v1/customers?colour=red", auth)
    assert unknown.status == 400
    assert "colour" in unknown.json()["error"]["message"]

    body = b"email=a%40b.c&metadata[k]=v&tax_id_data[0][type]=eu_vat&tax_id_data[0][value]=D1"
    created = sandbox.handle("POST", "/v1/customers", form, body)
    assert created.status == 200, created.body
    typo = sandbox.handle("POST", "/v1/customers", form, b"emial=a%40b.c")
    assert typo.status == 400
    assert "emial" in typo.json()["error"]["message"]
    as_json = sandbox.handle(
        "POST", "/v1/customers", {**auth, "Content-Type": "application/json"}, b"{}"
    )
    assert as_json.status == 400


def test_github_probes(github_doc: dict[str, Any]) -> None:
    sandbox = Sandbox(github_doc)
    json_type = {"Content-Type": "application/json"}
    ok = sandbox.handle(
        "POST",
        "/repos/o/r/issues",
        json_type,
        json.dumps({"title": "t", "labels": ["bug"]}).encode(),
    )
    assert ok.status == 201, ok.body
    missing = sandbox.handle("POST", "/repos/o/r/issues", json_type, b'{"body": "no title"}')
    assert missing.status == 422  # GitHub documents 422 "Validation Failed" for bad bodies
    assert "'title' is a required property" in missing.json()["message"]
    assert "documentation_url" in missing.json()
    bad_state = sandbox.handle("GET", "/repos/o/r/issues?state=opened")
    assert bad_state.status == 422  # issues/list-for-repo declares 422, not 400
    assert "'state'" in bad_state.json()["message"]
    nowhere = sandbox.handle("GET", "/no/such/thing/here")
    assert nowhere.status == 404
    # GitHub's `basic-error` shape; its optional `documentation_url` is left out rather than
    # sent as the drawn placeholder `"documentation_url"` (helper 229)
    assert "message" in nowhere.json() and nowhere.json().get("documentation_url") is None
    # `alert-number` is `readOnly: true` (a schema shared with response bodies): it means
    # nothing for a parameter, so the path value is accepted.
    alert = sandbox.handle("GET", "/repos/o/r/code-scanning/alerts/1", {"Prefer": "code=200"})
    assert alert.status == 200, alert.body


def test_schema_the_validator_cannot_read_accepts_instead_of_failing() -> None:
    document = {
        "openapi": "3.0.0",
        "info": {"title": "odd", "version": "1"},
        "paths": {
            "/odd": {
                "post": {
                    "requestBody": {
                        "content": _json({"type": "item", "items": {"type": "object"}})
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            },
            "/ext": {
                "post": {
                    "requestBody": {"content": _json({"$ref": "./other.yaml#/Thing"})},
                    "responses": {"200": {"description": "ok"}},
                }
            },
        },
    }
    sandbox = Sandbox(document)
    json_type = {"Content-Type": "application/json"}
    assert sandbox.handle("POST", "/odd", json_type, b"[{}]").status == 200
    assert sandbox.handle("POST", "/ext", json_type, b"{}").status == 200


def test_oversized_body_is_413_without_reading_it() -> None:
    with Sandbox(SHOP) as sandbox:
        assert sandbox.port is not None
        head, body = _raw(
            sandbox.port,
            b"POST /v1/items HTTP/1.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 999999999999\r\n\r\n{}",
        )
    assert head.startswith(b"HTTP/1.1 413")
    assert "larger than" in json.loads(body)["error"]["message"]


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_a_pattern_re_cannot_compile_is_unchecked_and_the_rest_still_is(version: str) -> None:
    """AWS IoT's `[^\\p{C}]+`: the pattern is left unchecked (Python's `re` has no `\\p`), the
    rest of the body schema is still validated (it used to be skipped as a whole)."""
    from openapi_schema_validator import OAS30Validator

    from apigen.sandbox._dialect import OAS31BoundsValidator, tolerant

    cls = OAS31BoundsValidator if version == "3.1.0" else tolerant(OAS30Validator)
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string", "pattern": r"[^\p{C}]+"}, "n": {"type": "integer"}},
    }
    assert list(cls(schema).iter_errors({"a": "text", "n": 1})) == []
    assert len(list(cls(schema).iter_errors({"a": "text", "n": "x"}))) == 1
    assert len(list(cls({"type": "string", "pattern": "^a$"}).iter_errors("b"))) == 1


def test_an_empty_optional_body_is_accepted_whatever_its_content_type() -> None:
    """No content, so its type says nothing: aiohttp (the README's faster transport) labels an
    empty POST `application/octet-stream`. A required body is still missing."""
    document = {
        "openapi": "3.0.0",
        "info": {"title": "empty", "version": "1"},
        "paths": {
            path: {
                "post": {
                    "requestBody": {"required": required, "content": _json({"type": "object"})},
                    "responses": {"200": {"description": "ok"}, "400": {"description": "bad"}},
                }
            }
            for path, required in (("/optional", False), ("/required", True))
        },
    }
    sandbox = Sandbox(document)
    octets = {"Content-Type": "application/octet-stream"}
    assert sandbox.handle("POST", "/optional", octets, b"").status == 200
    assert sandbox.handle("POST", "/optional", {}, b"").status == 200
    assert sandbox.handle("POST", "/optional", octets, b"{}").status == 400  # content: its type
    assert sandbox.handle("POST", "/required", octets, b"").status == 400


def test_a_query_api_key_is_a_credential_on_every_operation() -> None:
    """A client sends its query key on requests whose operation needs none (opto22's `/info`,
    a raw `client.get`): the key is no unknown parameter there; another one still is."""
    document = {
        "openapi": "3.0.0",
        "info": {"title": "keys", "version": "1"},
        "paths": {"/info": {"get": {"responses": {"200": {"description": "ok"}}}}},
        "components": {
            "securitySchemes": {"key": {"type": "apiKey", "in": "query", "name": "api_key"}}
        },
    }
    sandbox = Sandbox(document)
    assert sandbox.handle("GET", "/info?api_key=k").status == 200
    assert sandbox.handle("GET", "/info?colour=red").status == 400


def test_a_body_nested_past_the_limit_or_holding_nan_is_a_400() -> None:
    """A helper's hostile-input review: `[[[...]]]` 100,000 deep got `500 sandbox failure`
    (a `RecursionError` the body check did not catch, also in the `stream` flag's read), and
    `{"n": NaN}` was accepted though NaN is no JSON (RFC 8259)."""
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": {}}}},
                    "responses": {"201": {"description": "ok"}},
                }
            }
        },
    }
    sandbox = Sandbox(doc, seed=0)
    json_type = {"Content-Type": "application/json"}
    deep = b"[" * 100_000 + b"]" * 100_000
    for body in (deep, b'{"a": ' + deep + b"}", b'{"n": NaN}', b"[Infinity]"):
        reply = sandbox.handle("POST", "/things", json_type, body)
        assert reply.status == 400, (body[:20], reply.status, reply.body[:200])
    assert sandbox.handle("POST", "/things", json_type, b'{"n": 1.5}').status == 201


def test_a_query_value_of_a_typeless_enum_or_const_is_the_member_it_spells() -> None:
    """A helper's probe: `{enum: [1, "a"]}` and `{const: 5}` with no `type`: the sandbox
    compared the query's text with the members (`'1' is not one of [1, 'a']`, `5 was
    expected`) and refused the client's valid request."""
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/r": {
                "get": {
                    "parameters": [
                        {"name": "mixed", "in": "query", "schema": {"enum": [1, "a", True]}},
                        {"name": "five", "in": "query", "schema": {"const": 5}},
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    sandbox = Sandbox(doc, seed=0)
    for query in ("mixed=1", "mixed=a", "mixed=true", "five=5", "mixed=1&five=5"):
        assert sandbox.handle("GET", f"/r?{query}", {}, b"").status == 200, query
    for query in ("mixed=2", "five=6", "mixed=false"):
        assert sandbox.handle("GET", f"/r?{query}", {}, b"").status == 400, query


def test_error_placeholders_are_left_out_in_array_items_and_kept_where_needed() -> None:
    """The last review: objects inside an array (JSON:API's `errors[]`) kept `"title":
    "title"`; a `dependentRequired` the quick check does not judge made a body invalid once its
    placeholder was left out. Items are looked into; such a schema is left as drawn."""
    import jsonschema

    def spec(error: dict[str, Any]) -> dict[str, Any]:
        answer = {"application/json": {"schema": error}}
        return {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "components": {"securitySchemes": {"b": {"type": "http", "scheme": "bearer"}}},
            "security": [{"b": []}],
            "paths": {
                "/things": {
                    "get": {
                        "operationId": "list",
                        "responses": {
                            "200": {"description": "ok", "content": _json({"type": "object"})},
                            "401": {"description": "no", "content": answer},
                        },
                    }
                }
            },
        }

    item = {
        "type": "object",
        "required": ["status"],
        "properties": {k: {"type": "string"} for k in ("status", "title", "detail", "code")},
    }
    jsonapi = {
        "type": "object",
        "required": ["errors"],
        "properties": {"errors": {"type": "array", "minItems": 1, "items": item}},
    }
    dependent = {
        "type": "object",
        "required": ["message", "kind"],
        "properties": {
            "message": {"type": "string"},
            "kind": {"type": "string", "enum": ["auth"]},
            "param": {"type": "string"},
        },
        "dependentRequired": {"kind": ["param"]},
    }
    for schema in (jsonapi, dependent):
        with Sandbox(spec(schema), seed=336) as sandbox:
            body = sandbox.handle("GET", "/things", {}).json()
        assert jsonschema.Draft202012Validator(schema).is_valid(body), body
        if schema is jsonapi:
            assert [set(e) for e in body["errors"]] == [{"status"}], body
