"""Path parameters in `label` and `matrix` styles, a form body's `encoding`, and the media type
of an error reply.

Found by a hand-written spec of every path style (2026-12-03): the sandbox read an exploded
matrix array `;id=3;id=4` as `["3", "id=4"]` (so refused the client's valid request), routed a
`label` integer (`.5`) as no match for its numeric regex, and answered every refusal as
`application/json` even where the operation declares its errors as `application/problem+json`.
A Swagger 2.0 `formData` array (`collectionFormat: csv`, so `encoding: {style: form, explode:
false}`) sent as `b=1,2` was refused too: the sandbox read form bodies without their `encoding`.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from apigen.sandbox import Sandbox
from apigen.sandbox._params import path_value
from apigen.sandbox._refs import Resolver
from apigen.sandbox._routing import Router


@pytest.mark.parametrize(
    ("raw", "style", "explode", "shape", "value"),
    [
        # OpenAPI's style table: `color` = "blue" / ["blue", "black"] / {"R": "100", "G": "200"}
        (".blue", "label", False, "", "blue"),
        (".blue,black", "label", False, "array", ["blue", "black"]),
        (".blue.black", "label", True, "array", ["blue", "black"]),
        (".R,100,G,200", "label", False, "object", {"R": "100", "G": "200"}),
        (".R=100.G=200", "label", True, "object", {"R": "100", "G": "200"}),
        (";color=blue", "matrix", False, "", "blue"),
        (";color", "matrix", False, "", ""),
        (";color=blue,black", "matrix", False, "array", ["blue", "black"]),
        (";color=blue;color=black", "matrix", True, "array", ["blue", "black"]),
        (";color=R,100,G,200", "matrix", False, "object", {"R": "100", "G": "200"}),
        (";R=100;G=200", "matrix", True, "object", {"R": "100", "G": "200"}),
        ("blue,black", "simple", False, "array", ["blue", "black"]),
        ("R=100,G=200", "simple", True, "object", {"R": "100", "G": "200"}),
        ("R,100,G,200", "simple", False, "object", {"R": "100", "G": "200"}),
    ],
)
def test_every_path_style_reads_back_as_openapi_spells_it(
    raw: str, style: str, explode: bool, shape: str, value: Any
) -> None:
    assert path_value(raw, style, explode, shape == "array", shape == "object") == value


def _doc(
    style: str, explode: bool, schema: dict[str, Any], path: str = "/items/{id}"
) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            path: {
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
                    "responses": {
                        "200": {"description": "ok"},
                        "default": {
                            "description": "error",
                            "content": {
                                "application/problem+json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {"title": {"type": "string"}},
                                    }
                                }
                            },
                        },
                    },
                }
            }
        },
    }


INTEGERS = {"type": "array", "items": {"type": "integer"}}


def test_an_exploded_matrix_array_of_integers_is_accepted_and_still_checked() -> None:
    sandbox = Sandbox(_doc("matrix", True, INTEGERS), seed=0)
    assert sandbox.handle("GET", "/items/;id=3;id=4;id=5", {}, b"").status == 200
    assert sandbox.handle("GET", "/items/;id=3;id=x", {}, b"").status == 400
    # the style table's empty array: `;id` (read as `[""]`, refused, before)
    assert sandbox.handle("GET", "/items/;id", {}, b"").status == 200
    objects = Sandbox(_doc("matrix", True, {"type": "object", "maxProperties": 0}), seed=0)
    assert objects.handle("GET", "/items/;id", {}, b"").status == 200


def test_a_label_integer_routes_to_its_operation() -> None:
    sandbox = Sandbox(_doc("label", False, {"type": "integer"}), seed=0)
    assert sandbox.handle("GET", "/items/.5", {}, b"").status == 200
    assert sandbox.handle("GET", "/items/.five", {}, b"").status == 400
    # a route yields to another when its value cannot be a number: `.5` (label) can be one
    doc = _doc("label", False, {"type": "integer"})
    (route,) = Router(doc, Resolver(doc)).routes
    assert route.fits({"id": ".5"})
    simple = _doc("simple", False, {"type": "integer"})
    (plain,) = Router(simple, Resolver(simple)).routes
    assert not plain.fits({"id": ".5"}) and plain.fits({"id": "5"})


def test_a_refusal_takes_the_media_type_the_operation_declares_for_errors() -> None:
    reply = Sandbox(_doc("simple", False, {"type": "integer"}), seed=0).handle(
        "GET", "/items/five", {}, b""
    )
    assert reply.status == 400
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert isinstance(json.loads(reply.body), dict)


FORM_DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/form": {
            "put": {
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "csv": INTEGERS,
                                    "spaced": INTEGERS,
                                    "pairs": {
                                        "type": "object",
                                        "additionalProperties": {"type": "integer"},
                                    },
                                    "meta": {
                                        "type": "object",
                                        "required": ["n"],
                                        "properties": {"n": {"type": "integer"}},
                                    },
                                },
                            },
                            "encoding": {
                                "csv": {"style": "form", "explode": False},
                                "spaced": {"style": "spaceDelimited", "explode": False},
                                "pairs": {"style": "form", "explode": False},
                                "meta": {"contentType": "application/json"},
                            },
                        }
                    }
                },
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


def _form_status(body: str) -> int:
    headers = {"content-type": "application/x-www-form-urlencoded"}
    return Sandbox(FORM_DOC, seed=0).handle("PUT", "/form", headers, body.encode()).status


def test_a_form_body_is_read_by_its_encoding() -> None:
    assert _form_status("csv=1,2,3") == 200
    assert _form_status("csv=") == 200  # the empty array
    assert _form_status("spaced=1%202") == 200
    assert _form_status("pairs=a,1,b,2") == 200
    assert _form_status("meta=%7B%22n%22%3A1%7D") == 200  # {"n":1}
    # and still checked
    assert _form_status("csv=1,x") == 400
    assert _form_status("pairs=a,x") == 400
    assert _form_status("meta=%7B%7D") == 400  # {} lacks the required n
    assert _form_status("meta=n") == 400  # not JSON


def test_a_problem_body_s_status_is_the_response_s() -> None:
    """A helper's review of train-travel: a 401 for missing credentials came with a problem
    body whose `status` (drawn from the schema's example) said 400; RFC 9457 has the member
    echo the response's status."""
    problem = {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "status": {"type": "integer", "example": 400},
            "detail": {"type": "string"},
        },
    }
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "K"}}},
        "security": [{"key": []}],
        "paths": {
            "/things": {
                "get": {
                    "responses": {
                        "200": {"description": "ok"},
                        "401": {
                            "description": "no",
                            "content": {"application/problem+json": {"schema": problem}},
                        },
                    }
                }
            }
        },
    }
    reply = Sandbox(doc, seed=0).handle("GET", "/things", {}, b"")
    body = json.loads(reply.body)
    assert reply.status == 401 and body["status"] == 401 and "credentials" in body["detail"]
