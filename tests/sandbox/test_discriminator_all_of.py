"""A discriminator beside `allOf` (oag's `oneof_polymorphism_and_inheritance`, TM Forum style:
`Entity: {discriminator: {propertyName: "@type"}, allOf: [Addressable, Extensible]}` and
`Foo: {allOf: [Entity], properties: ...}`). openapi-schema-validator validated only the schema
the value names, so `Entity`'s own members never applied (`href: 5` passed), and `@type: Foo`
went Foo -> Entity -> Foo -> ... to Python's recursion limit: the sandbox gave no verdict and
the contract check called the schema unusable."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from apigen.sandbox import Sandbox


def _obj(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


STRING = {"type": "string"}
SPEC: dict[str, Any] = {
    "openapi": "3.0.1",
    "info": {"title": "entities", "version": "1"},
    "paths": {
        "/foo": {
            "post": {
                "requestBody": {
                    "content": {
                        "application/json;charset=utf-8": {
                            "schema": {"$ref": "#/components/schemas/Foo"}
                        }
                    }
                },
                "responses": {"201": {"description": "made"}},
            }
        }
    },
    "components": {
        "schemas": {
            "Addressable": _obj(href=STRING, id=STRING),
            "Extensible": {**_obj(**{"@type": STRING}), "required": ["@type"]},
            "Entity": {
                "type": "object",
                "discriminator": {"propertyName": "@type"},
                "allOf": [
                    {"$ref": "#/components/schemas/Addressable"},
                    {"$ref": "#/components/schemas/Extensible"},
                ],
            },
            "Foo": {
                **_obj(fooPropA=STRING),
                "allOf": [{"$ref": "#/components/schemas/Entity"}],
            },
            "Pizza": {
                **_obj(pizzaSize={"type": "number"}),
                "allOf": [{"$ref": "#/components/schemas/Entity"}],
            },
        }
    },
}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"@type": "Foo"}, 201),  # named itself: no endless descent
        ({"@type": "Foo", "fooPropA": "x", "href": "/f/1"}, 201),
        ({"@type": "Foo", "href": 5}, 400),  # Entity's `allOf` member applies
        ({"@type": "Foo", "fooPropA": 5}, 400),
        ({"@type": "Pizza", "pizzaSize": "large"}, 400),  # the named schema applies too
        ({"@type": "Nothing"}, 400),  # a value that names no schema
        ({"href": "/f/1"}, 400),  # the discriminating property is required
    ],
)
def test_a_discriminator_beside_all_of_keeps_the_members(body: Any, status: int) -> None:
    with Sandbox(SPEC, dynamic=False) as sandbox, httpx.Client() as client:
        response = client.post(f"{sandbox.url}/foo", json=body)
    assert response.status_code == status, response.text


def test_the_contract_check_reads_such_a_schema_without_endless_descent() -> None:
    from apigen.contract.spec import SpecView

    view = SpecView(SPEC)
    foo = SPEC["components"]["schemas"]["Foo"]
    assert view.errors(foo, {"@type": "Foo", "fooPropA": "x"}) == []
    (error,) = view.errors(foo, {"@type": "Foo", "href": 5})
    assert "5 is not of type 'string'" in error
