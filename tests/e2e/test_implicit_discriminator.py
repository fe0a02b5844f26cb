"""Union members told apart only by a property's constant values are read as the member the
value names.

GitHub's repository rules: `oneOf` twenty-one objects that each require `type` alone, with
`type: {enum: [creation]}`, `{enum: [update]}`, `{enum: [deletion]}`... and no
`discriminator`. Enums are open in the generated types (`Literal["deletion"] | str`), so every
member took every rule and pydantic's smart union kept the first: `{"type": "deletion"}` came
back as `RepositoryRuleCreation`. A helper's review found the same with webhook events
(`type: {const: item.deleted}`). Such a union is now tagged by that property (the same
`Discriminator` as a spec's own); a value no member declares is tried against each, as before.
Keys do not tell members apart: models keep what they do not declare (decisions §89)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from apigen.ir.nodes import AliasDef, UnionOf
from tests.builds import api_of, build_document, on_path


def _tagged(name: str, tag: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["kind", "id"],
        "properties": {"kind": tag, "id": {"type": "string"}, **props},
    }


def _spec() -> dict[str, Any]:
    def answer(schema: dict[str, Any]) -> dict[str, Any]:
        return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}

    union = {"oneOf": [{"$ref": f"#/components/schemas/{n}"} for n in ("Up", "Down", "Side")]}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Moves", "version": "1"},
        "servers": [{"url": "https://moves.example.com"}],
        "paths": {
            "/moves/next": {"get": {"operationId": "nextMove", "responses": answer(union)}},
            "/moves": {
                "get": {
                    "operationId": "listMoves",
                    "responses": answer({"$ref": "#/components/schemas/History"}),
                }
            },
            "/shapes/next": {
                "get": {
                    "operationId": "nextShape",
                    "responses": answer(
                        {
                            "oneOf": [
                                {"$ref": "#/components/schemas/Circle"},
                                {"$ref": "#/components/schemas/Square"},
                            ]
                        }
                    ),
                }
            },
        },
        "components": {
            "schemas": {
                "Up": _tagged("Up", {"const": "up"}),
                "Down": _tagged("Down", {"type": "string", "enum": ["down", "fall"]}),
                "Side": {  # the tag through allOf and a $ref
                    "allOf": [
                        {"$ref": "#/components/schemas/Base"},
                        {"properties": {"kind": {"$ref": "#/components/schemas/SideKind"}}},
                    ]
                },
                "Base": _tagged("Base", {"type": "string"}),
                "SideKind": {"type": "string", "enum": ["left", "right"]},
                "History": {
                    "type": "object",
                    "properties": {"moves": {"type": "array", "items": union}},
                },
                # keys seem to tell these apart, but a body may hold both members' keys
                "Circle": {
                    "type": "object",
                    "required": ["kind", "radius"],
                    "properties": {"kind": {"const": "circle"}, "radius": {"type": "number"}},
                },
                "Square": {
                    "type": "object",
                    "required": ["kind", "side"],
                    "properties": {"kind": {"const": "square"}, "side": {"type": "number"}},
                },
            }
        },
    }


def _response_union(api: Any, operation_id: str) -> Any:
    op = next(o for o in api.operations if o.operation_id == operation_id)
    target = op.responses[0].type
    while not isinstance(target, UnionOf):
        definition = api.definitions[target.key]
        assert isinstance(definition, AliasDef)
        target = definition.target
    return target


def test_members_told_apart_by_a_constant_are_tagged_by_it() -> None:
    api = api_of(_spec())
    union = _response_union(api, "nextMove")
    assert union.discriminator is not None and union.discriminator.property == "kind"
    keys = {name: api.components[name] for name in ("Up", "Down", "Side")}
    assert dict(union.discriminator.mapping) == {
        "up": keys["Up"],
        "down": keys["Down"],
        "fall": keys["Down"],
        "left": keys["Side"],
        "right": keys["Side"],
    }
    # keys do not tell members apart (models keep undeclared keys): tagged too
    shapes = _response_union(api, "nextShape").discriminator
    assert shapes is not None and dict(shapes.mapping) == {
        "circle": api.components["Circle"],
        "square": api.components["Square"],
    }


def test_integer_constants_tag_too() -> None:
    """A helper's review: `version: {enum: [1]}` beside `{enum: [2]}` (integer enums are open
    too, `Literal[2] | int`): `{"version": 2}` came back as `V1`. Tagged by the integers'
    digits; the runtime looks an integer tag up so."""
    import apigen_runtime as rt

    def versioned(n: int) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["version"],
            "properties": {"version": {"type": "integer", "enum": [n]}},
        }

    spec = _spec()
    spec["components"]["schemas"].update({"V1": versioned(1), "V2": versioned(2)})
    spec["paths"]["/versions"] = {
        "get": {
            "operationId": "getVersion",
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {
                            "schema": {
                                "oneOf": [
                                    {"$ref": "#/components/schemas/V1"},
                                    {"$ref": "#/components/schemas/V2"},
                                ]
                            }
                        }
                    },
                }
            },
        }
    }
    api = api_of(spec)
    union = _response_union(api, "getVersion")
    assert union.discriminator is not None
    assert dict(union.discriminator.mapping) == {
        "1": api.components["V1"],
        "2": api.components["V2"],
    }
    pick = rt.discriminator("version", {"1": "V1", "2": "V2"}, fallback="*")
    assert (pick({"version": 2}), pick({"version": 1}), pick({"version": True})) == (
        "V2",
        "V1",
        "*",
    )


def test_a_value_two_members_share_tags_nothing() -> None:
    spec = _spec()
    spec["components"]["schemas"]["Up"]["properties"]["kind"] = {"enum": ["up", "down"]}
    assert _response_union(api_of(spec), "nextMove").discriminator is None


@pytest.fixture(scope="module")
def moves(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "moves", _spec())


def test_each_value_is_the_member_its_constant_names(moves: Path) -> None:
    bodies = [
        {"kind": "down", "id": "1"},
        {"kind": "fall", "id": "2"},
        {"kind": "right", "id": "3"},
        {"kind": "up", "id": "4"},
        {"kind": "sideways", "id": "5"},  # a kind the spec does not name: tried against each
    ]
    with on_path(moves, "moves") as pkg:
        from moves.models import Down, Side, Up  # type: ignore[import-not-found]

        def client(body: object) -> Any:
            def answer(request: httpx.Request) -> httpx.Response:
                return httpx.Response(200, json=body)

            transport = httpx.MockTransport(answer)
            return pkg.Client(http_client=httpx.Client(transport=transport))

        got = [type(client(b).moves.next()) for b in bodies]
        assert got == [Down, Down, Side, Up, Up]
        history = client({"moves": bodies[:4]}).moves.list()
        assert [type(m) for m in history.moves] == [Down, Down, Side, Up]
        from moves.models import Square  # type: ignore[import-not-found]

        # a helper's probe: a square holding a newer `radius` key came back as a Circle
        both = {"kind": "square", "side": 2, "radius": 0.5}
        assert type(client(both).shapes.next.retrieve()) is Square
