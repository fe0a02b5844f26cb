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


def _warnings_spec() -> dict[str, Any]:
    def member(tag: str, **extra: Any) -> dict[str, Any]:
        props = {"type": {"type": "string", "enum": [tag]}, "x": {"type": "integer"}}
        return {"type": "object", "required": ["x"], "properties": props | extra}

    union = {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]}
    page = {"type": "object", "properties": {"items": {"type": "array", "items": union}}}
    ok = {"description": "ok", "content": {"application/json": {"schema": page}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Warnings", "version": "1"},
        "servers": [{"url": "https://w.example.com"}],
        "paths": {"/warnings": {"get": {"operationId": "listWarnings", "responses": {"200": ok}}}},
        "components": {"schemas": {"A": member("a"), "B": member("b", y={"type": "string"})}},
    }


def test_a_tag_some_members_do_not_require_tags_the_union(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Helper 218 (PagerDuty's `warnings[]`): members that declare `type` with their own
    constants but do not require it were a plain union, so `{"type": "b", "x": 1}` (valid as
    `B` only: `A` lists `a` alone) came back as `A`, the first. Tagged now, not `closed`: a
    body without the tag, or with one no member lists, is tried against each as before."""
    spec = _warnings_spec()
    found = [
        u.discriminator
        for d in api_of(spec).definitions.values()
        for u in _unions_in(d)
        if u.discriminator is not None
    ]
    assert [(t.property, dict(t.mapping).keys(), t.closed) for t in found] == [
        ("type", {"a": 0, "b": 0}.keys(), False)
    ]
    out = build_document(tmp_path_factory, "warns", spec)
    bodies = [
        {"type": "b", "x": 1},
        {"type": "a", "x": 2},
        {"x": 3, "y": "only B declares y"},  # no tag: tried against each (B has more fields)
        {"x": 4},
        {"type": "c", "x": 5},  # a tag no member lists: tried against each, the first wins
    ]
    with on_path(out, "warns") as pkg:
        from warns.models import A, B  # type: ignore[import-not-found]

        def answer(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, json={"items": bodies})

        client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(answer)))
        page = client.warnings.list()
        assert [type(item) for item in page.items] == [B, A, B, A, A]
        assert [item.to_dict() for item in page.items] == bodies


def test_a_required_tag_is_preferred_to_one_only_declared() -> None:
    spec = _warnings_spec()
    schemas = spec["components"]["schemas"]
    for name, kind in (("A", "ka"), ("B", "kb")):
        schemas[name]["properties"]["kind"] = {"const": kind}
        schemas[name]["required"] = ["x", "kind"]
    found = [
        u.discriminator
        for d in api_of(spec).definitions.values()
        for u in _unions_in(d)
        if u.discriminator is not None
    ]
    assert [(t.property, t.closed) for t in found] == [("kind", True)]


def _unions_in(definition: Any) -> list[UnionOf]:
    """Every `UnionOf` reachable inside a definition's IR (dataclass fields, tuples, lists)."""
    import dataclasses

    out: list[UnionOf] = []
    stack: list[Any] = [definition]
    while stack:
        node = stack.pop()
        if isinstance(node, UnionOf):
            out.append(node)
        if dataclasses.is_dataclass(node) and not isinstance(node, type):
            stack.extend(getattr(node, f.name) for f in dataclasses.fields(node))
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return out
