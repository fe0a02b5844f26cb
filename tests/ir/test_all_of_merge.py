"""An `allOf` is an intersection: a property a derived schema declares again is typed by both
declarations, not by whichever member came first (decisions.md 49).

`Cat: allOf: [Pet, {properties: {petType: {enum: [cat]}}}]` typed `pet_type` as Pet's `str`; the
sandbox already drew by both, and datamodel-code-generator and openapi-python-client both take
the derived declaration. GitHub's webhook payloads narrow this way (`webhook-fork`'s forkee:
`fork: {enum: [true]}`, `owner` no longer nullable), PagerDuty's `actions: {type: object}`
gains the derived schema's properties."""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path
from typing import Any, Literal

import pytest

from apigen import all_of
from apigen.ir import Api
from apigen.ir.nodes import FieldDef, LiteralOf, ModelDef, Nullable, Prim, Ref
from apigen.sandbox._schema import merge as sandbox_merge
from tests.builds import build_into, ir_of, on_path

PET = "#/components/schemas/Pet"


def _spec(schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/cats": {
                "post": {
                    "operationId": "create_cat",
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Cat"}}
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Cat"}}
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": schemas},
    }


def _pet(**props: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["petType"],
        "properties": {"petType": {"type": "string"}, **props},
    }


def _cat(**props: Any) -> dict[str, Any]:
    return {"allOf": [{"$ref": PET}, {"type": "object", "properties": props}]}


def _fields(api: Api, name: str) -> dict[str, FieldDef]:
    model = next(d for d in api.definitions.values() if d.name == name)
    assert isinstance(model, ModelDef)
    return {f.wire_name: f for f in model.fields}


def _cat_fields(tmp_path: Path, pet: dict[str, Any], cat: dict[str, Any]) -> dict[str, FieldDef]:
    return _fields(ir_of(tmp_path, _spec({"Pet": pet, "Cat": cat}), "merge"), "Cat")


def test_a_derived_enum_narrows_the_base_property(tmp_path: Path) -> None:
    fields = _cat_fields(tmp_path, _pet(), _cat(petType={"enum": ["cat"]}))
    assert fields["petType"].type == LiteralOf(("cat",), Prim("str"))
    assert fields["petType"].required


def test_two_enums_keep_the_values_both_admit(tmp_path: Path) -> None:
    pet = _pet(size={"type": "string", "enum": ["s", "m", "l"], "default": "m"})
    fields = _cat_fields(tmp_path, pet, _cat(size={"enum": ["m", "l", "xl"]}))
    assert fields["size"].type == LiteralOf(("m", "l"), Prim("str"))
    assert (fields["size"].default, fields["size"].has_default) == ("m", True)


def test_number_and_integer_is_an_integer_and_null_needs_both(tmp_path: Path) -> None:
    pet = _pet(age={"type": "number"}, name={"type": "string", "nullable": True})
    fields = _cat_fields(tmp_path, pet, _cat(age={"type": "integer"}, name={"type": "string"}))
    assert fields["age"].type == Prim("int")
    assert fields["name"].type == Prim("str")
    both_null = _cat_fields(tmp_path, pet, _cat(name={"type": "string", "nullable": True}))
    assert both_null["name"].type == Nullable(Prim("str"))


def test_a_plain_object_gains_the_derived_declaration_s_properties(tmp_path: Path) -> None:
    pet = _pet(actions={"type": "object"})
    cat = _cat(actions={"type": "object", "properties": {"purr": {"type": "boolean"}}})
    api = ir_of(tmp_path, _spec({"Pet": pet, "Cat": cat}), "merge")
    actions = _fields(api, "Cat")["actions"].type
    assert isinstance(actions, Ref)
    nested = api.definitions[actions.key]
    assert isinstance(nested, ModelDef)
    assert [f.wire_name for f in nested.fields] == ["purr"]


def test_a_redeclaration_that_only_documents_keeps_the_base_reference(tmp_path: Path) -> None:
    schemas = {
        "Owner": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Pet": _pet(owner={"$ref": "#/components/schemas/Owner"}),
        "Cat": _cat(owner={"description": "The cat's human."}),
    }
    fields = _fields(ir_of(tmp_path, _spec(schemas), "merge"), "Cat")
    assert fields["owner"].type == Ref("#/components/schemas/Owner")


def test_the_same_reference_documented_again_stays_the_reference(tmp_path: Path) -> None:
    owner = "#/components/schemas/Owner"
    schemas = {
        "Owner": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Pet": _pet(owner={"$ref": owner}),
        "Cat": _cat(owner={"$ref": owner, "description": "The cat's human."}),
    }
    api = ir_of(tmp_path, _spec(schemas), "merge")
    assert _fields(api, "Cat")["owner"].type == Ref(owner)
    assert sum(isinstance(d, ModelDef) for d in api.definitions.values()) == 3


def test_two_references_are_both(tmp_path: Path) -> None:
    schemas = {
        "Owner": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Human": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Pet": _pet(owner={"$ref": "#/components/schemas/Owner"}),
        "Cat": _cat(owner={"$ref": "#/components/schemas/Human"}),
    }
    api = ir_of(tmp_path, _spec(schemas), "merge")
    owner = _fields(api, "Cat")["owner"].type
    assert isinstance(owner, Ref)
    model = api.definitions[owner.key]
    assert isinstance(model, ModelDef)
    assert sorted(f.wire_name for f in model.fields) == ["id", "name"]


@pytest.mark.parametrize("order", ["base first", "derived first"])
def test_of_two_references_the_one_built_on_the_other_is_the_type(
    tmp_path: Path, order: str
) -> None:
    """BeezUP: `orderHeaderLinks` and `orderLinks: allOf: [orderHeaderLinks, ...]` for one
    property: the derived model already satisfies both, so no third model is made."""
    base, derived = "#/components/schemas/HeaderLinks", "#/components/schemas/Links"
    first, second = (base, derived) if order == "base first" else (derived, base)
    schemas = {
        "HeaderLinks": {"type": "object", "properties": {"self": {"type": "string"}}},
        "Links": {
            "allOf": [
                {"$ref": base},
                {"type": "object", "properties": {"cancel": {"type": "string"}}},
            ]
        },
        "Pet": _pet(links={"$ref": first}),
        "Cat": _cat(links={"$ref": second}),
    }
    api = ir_of(tmp_path, _spec(schemas), "merge")
    assert _fields(api, "Cat")["links"].type == Ref(derived)


def test_contradicting_enums_keep_the_first_member_s(tmp_path: Path) -> None:
    pet = _pet(size={"type": "string", "enum": ["s", "m"]})
    fields = _cat_fields(tmp_path, pet, _cat(size={"enum": ["xl"]}))
    assert fields["size"].type == LiteralOf(("s", "m"), Prim("str"))


def test_the_generated_client_types_the_narrowed_property(tmp_path: Path) -> None:
    path = tmp_path / "cats.json"
    path.write_text(json.dumps(_spec({"Pet": _pet(), "Cat": _cat(petType={"enum": ["cat"]})})))
    out = tmp_path / "cats"
    build_into(path, out, name="cats")
    with on_path(out, "cats") as package:
        cat = importlib.import_module("cats.models").Cat
        assert cat.model_fields["pet_type"].annotation == Literal["cat"] | str  # open: a response
        client = package.Client(base_url="http://127.0.0.1:9", api_key="k")
        signature = inspect.signature(client.cats.create)
        assert str(signature.parameters["pet_type"].annotation).startswith("Literal['cat']")


def test_the_ir_and_the_sandbox_merge_alike() -> None:
    members: list[dict[str, Any]] = [
        {"type": "object", "properties": {"a": {"type": "number"}}, "required": ["a"]},
        {"properties": {"a": {"type": "integer", "minimum": 2}, "b": {"type": "string"}}},
    ]
    merged = all_of.merge(members)
    assert merged["properties"]["a"] == {
        "allOf": [{"type": "number"}, {"type": "integer", "minimum": 2}]
    }
    # the sandbox draws what every member admits: a closed member shuts out what it does not
    # declare; the IR keeps it (the spec's authors meant it, an extra field breaks nothing)
    closed = [*members, {"additionalProperties": False, "properties": {"a": {}}}]
    assert set(all_of.merge(closed)["properties"]) == {"a", "b"}
    assert set(sandbox_merge(closed)["properties"]) == {"a"}


@pytest.mark.parametrize(
    "members",
    [
        [{"properties": ["a"]}, {"properties": {"a": {"type": "string"}}}],
        [{"properties": {"a": 5}}, {"properties": {"a": {"type": "string"}}}],
        [{"properties": {"a": {"enum": "x"}}}, {"properties": {"a": {"enum": ["x"]}}}],
        [{"type": 3, "required": "a"}, {"type": ["object"], "required": ["a"], "minimum": "1"}],
    ],
)
def test_members_of_the_wrong_shape_merge_without_crashing(members: list[dict[str, Any]]) -> None:
    merged = all_of.merge(members)
    assert isinstance(merged, dict)
    assert isinstance(sandbox_merge(members), dict)
