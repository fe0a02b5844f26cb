"""A base with a `discriminator` that other schemas extend (`allOf`) is read as the subtype
its tag names.

OpenAPI's own example (`Pet` with `petType`, `Cat`/`Dog` as `allOf: [$ref: Pet, ...]`): a `Pet`
saying `petType: Cat` "will indicate that the Cat schema be used". Models are flattened, so
every `Pet` the API returned was a bare `Pet`, its subtype's fields left in `model_extra` and
`isinstance(pet, Cat)` never true. A reference to such a base is now `AnyPet`, the tagged union
of the base and every schema extending it (directly or through another), in a module of its
own: the tag picks the member by the `mapping` or the schema's name, an unknown tag the base.
Found by a hand-written probe, 2026-12-05 (decisions §71)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from apigen.ir.nodes import AliasDef, ListOf, ModelDef, Ref, UnionOf
from tests.builds import api_of, build_document, on_path

_PET = "#/components/schemas/Pet"


def _spec() -> dict[str, Any]:
    def extending(parent: str, props: dict[str, Any], required: list[str]) -> dict[str, Any]:
        own = {"type": "object", "properties": props, "required": required}
        return {"allOf": [{"$ref": f"#/components/schemas/{parent}"}, own]}

    return {
        "openapi": "3.0.3",
        "info": {"title": "Zoo", "version": "1"},
        "servers": [{"url": "https://zoo.example.com"}],
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": {"$ref": _PET}}
                                }
                            },
                        }
                    },
                },
                "post": {
                    "operationId": "createPet",
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": _PET}}}},
                    "responses": {
                        "201": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": _PET}}},
                        }
                    },
                },
            },
            "/owners/{id}": {
                "get": {
                    "operationId": "getOwner",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Owner"}
                                }
                            },
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["petType", "name"],
                    "properties": {"petType": {"type": "string"}, "name": {"type": "string"}},
                    "discriminator": {"propertyName": "petType", "mapping": {"dog": "Dog"}},
                },
                "Cat": extending("Pet", {"indoor": {"type": "boolean"}}, ["indoor"]),
                "Dog": extending("Pet", {"packSize": {"type": "integer"}}, []),
                "Puppy": extending("Dog", {"ageWeeks": {"type": "integer"}}, []),
                "Owner": {
                    "type": "object",
                    "properties": {"pets": {"type": "array", "items": {"$ref": _PET}}},
                },
            }
        },
    }


def test_a_reference_to_the_base_is_the_union_of_it_and_what_extends_it() -> None:
    api = api_of(_spec())
    owner = api.definitions[api.components["Owner"]]
    assert isinstance(owner, ModelDef)
    pets = owner.fields[0].type
    assert isinstance(pets, ListOf) and isinstance(pets.item, Ref)
    alias = api.definitions[pets.item.key]
    assert isinstance(alias, AliasDef) and alias.name == "AnyPet"
    assert alias.module == "models.any_pet"
    union = alias.target
    assert isinstance(union, UnionOf) and union.discriminator is not None
    keys = [m.key for m in union.items if isinstance(m, Ref)]
    assert keys == [api.components[n] for n in ("Pet", "Cat", "Dog", "Puppy")]
    tags = dict(union.discriminator.mapping)
    assert tags == {
        "dog": api.components["Dog"],  # the mapping's value, not the name
        "Pet": api.components["Pet"],
        "Cat": api.components["Cat"],
        "Puppy": api.components["Puppy"],  # extends Dog, which extends Pet
    }
    cat = api.definitions[api.components["Cat"]]
    assert isinstance(cat, ModelDef)  # a subtype stays a flat model of its own
    assert [f.wire_name for f in cat.fields] == ["petType", "name", "indoor"]


def test_a_base_nothing_extends_stays_a_plain_reference() -> None:
    spec = _spec()
    schemas = spec["components"]["schemas"]
    for name in ("Cat", "Dog", "Puppy"):
        del schemas[name]
    del schemas["Pet"]["discriminator"]["mapping"]
    api = api_of(spec)
    owner = api.definitions[api.components["Owner"]]
    assert isinstance(owner, ModelDef)
    assert owner.fields[0].type == ListOf(Ref(api.components["Pet"]))


def test_a_body_of_the_base_keeps_its_fields_as_keywords() -> None:
    api = api_of(_spec())
    create = next(op for op in api.operations if op.operation_id == "createPet")
    assert [p.py_name for p in create.params if p.location == "field"] == ["pet_type", "name"]


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "zoo", _spec())


def _client(zoo_module: Any, body: object) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body)

    return zoo_module.Client(http_client=httpx.Client(transport=httpx.MockTransport(answer)))


def test_each_value_is_the_subtype_its_tag_names(zoo: Path) -> None:
    body = [
        {"petType": "Cat", "name": "Tom", "indoor": True},
        {"petType": "dog", "name": "Rex", "packSize": 3},
        {"petType": "Puppy", "name": "Bit", "ageWeeks": 9},
        {"petType": "Pet", "name": "Any"},
        {"petType": "parrot", "name": "Polly", "words": 40},  # a kind the spec does not name
    ]
    with on_path(zoo, "zoo") as pkg:
        from zoo.models import Cat, Dog, Pet, Puppy  # type: ignore[import-not-found]

        pets = _client(pkg, body).pets.list()
        assert [type(p) for p in pets] == [Cat, Dog, Puppy, Pet, Pet]
        assert pets[0].indoor is True and pets[1].pack_size == 3 and pets[2].age_weeks == 9
        assert pets[4].model_extra == {"words": 40}
        owner = _client(pkg, {"pets": body[:2]}).owners.retrieve("o1")
        assert [type(p) for p in owner.pets] == [Cat, Dog]


def test_importing_the_base_imports_none_of_its_subtypes(zoo: Path) -> None:
    code = (
        "import sys\nfrom zoo.models.pet import Pet\n"
        "print(sorted(m for m in sys.modules if m.startswith('zoo.models.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=zoo, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "['zoo.models.pet']"


@pytest.mark.parametrize("extends", [True, False])
def test_a_base_with_properties_and_a_one_of_of_its_subtypes_is_their_union(
    extends: bool,
) -> None:
    """A helper's hostile-spec sweep (openapi-generator's `FruitOneOfEnumMappingDisc`): a
    schema with `properties`, a `discriminator` and a `oneOf` of components was read as a
    model of its own properties: a `Dog` answer parsed as a bare `Animal`, `bark` left in
    `model_extra`. It is a base whose members are what extends it and what its `oneOf` lists,
    whether the subtypes extend it (`allOf`) or not."""

    def sub(own: dict[str, Any]) -> dict[str, Any]:
        body = {"type": "object", "properties": own}
        if not extends:
            return {**body, "properties": {"kind": {"type": "string"}, **own}}
        return {"allOf": [{"$ref": "#/components/schemas/Animal"}, body]}

    ref = {"$ref": "#/components/schemas/Animal"}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Poly", "version": "1"},
        "paths": {
            "/animal": {
                "get": {
                    "operationId": "getAnimal",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": ref}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Animal": {
                    "type": "object",
                    "required": ["kind"],
                    "properties": {"kind": {"type": "string"}},
                    "discriminator": {
                        "propertyName": "kind",
                        "mapping": {
                            "dog": "#/components/schemas/Dog",
                            "cat": "#/components/schemas/Cat",
                        },
                    },
                    "oneOf": [
                        {"$ref": "#/components/schemas/Dog"},
                        {"$ref": "#/components/schemas/Cat"},
                    ],
                },
                "Dog": sub({"bark": {"type": "boolean"}}),
                "Cat": sub({"meow": {"type": "boolean"}}),
            }
        },
    }
    api = api_of(spec)
    (op,) = api.operations
    response = op.responses[0].type
    assert isinstance(response, Ref)
    alias = api.definitions[response.key]
    assert isinstance(alias, AliasDef) and isinstance(alias.target, UnionOf), response
    keys = [m.key for m in alias.target.items if isinstance(m, Ref)]
    assert keys == [api.components[n] for n in ("Animal", "Dog", "Cat")]
    dog = api.definitions[api.components["Dog"]]
    assert isinstance(dog, ModelDef) and [f.wire_name for f in dog.fields] == ["kind", "bark"]
