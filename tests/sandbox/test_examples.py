"""Schema -> example: every synthesized value must validate against its schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator, OAS31Validator

from apigen.sandbox import ExampleGenerator


def synth(
    schema: dict[str, Any],
    schemas: dict[str, Any] | None = None,
    *,
    version: str = "3.0.3",
    seed: int = 0,
) -> Any:
    """Generate an example for `schema` and assert it validates (formats included)."""
    document = {"openapi": version, "components": {"schemas": schemas or {}}}
    value = ExampleGenerator(document, seed=seed).generate(schema)
    validator = OAS31Validator if version.startswith("3.1") else OAS30Validator
    root = {"components": document["components"], "allOf": [schema]}
    errors = [
        e.message
        for e in validator(root, format_checker=validator.FORMAT_CHECKER).iter_errors(value)
    ]
    assert not errors, f"{json.dumps(value)} invalid: {errors}"
    json.dumps(value)  # always JSON data
    return value


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("date-time", "2024-01-02T03:04:05Z"),
        ("date", "2024-01-02"),
        ("email", "user@example.com"),
        ("uri", "https://example.com/"),
        ("ipv4", "192.0.2.1"),
        ("binary", "string"),
    ],
)
def test_string_formats(fmt: str, expected: str) -> None:
    assert synth({"type": "string", "format": fmt}) == expected


def test_uuid_is_valid_and_seeded() -> None:
    first = synth({"type": "string", "format": "uuid"})
    assert first == synth({"type": "string", "format": "uuid"})
    assert first != synth({"type": "string", "format": "uuid"}, seed=1)


def test_enum_const_and_schema_examples() -> None:
    assert synth({"type": "string", "enum": ["b", "a"]}) == "b"
    assert synth({"type": "string", "nullable": True, "enum": [None, "x"]}) == "x"
    assert synth({"const": 3}, version="3.1.0") == 3
    assert synth({"type": "integer", "example": 12}) == 12
    assert synth({"type": "integer", "examples": [5, 6]}, version="3.1.0") == 5
    assert synth({"type": "string", "default": "dflt"}) == "dflt"
    # an example that contradicts its own schema is not trusted
    assert synth({"type": "integer", "minimum": 10, "example": 1}) >= 10
    assert (
        synth({"type": "string", "format": "date-time", "example": "yesterday"})
        == "2024-01-02T03:04:05Z"
    )
    # amadeus' Error_400 example: two members in a `maxProperties: 1` object
    source = {"type": "object", "maxProperties": 1, "properties": {"a": {}, "b": {}}}
    assert len(synth({**source, "example": {"a": "x", "b": "y"}})) <= 1
    assert synth({"type": "object", "minProperties": 1, "example": {}}) != {}
    # BeezUP's URL pattern backtracks exponentially on its own (non-matching) example
    url = r"^(https?:\/\/)?([\da-z\.-]+)\.([a-z\.]{2,6})([\/\w \.-]*)*\/?$"
    bad = "https://www.gravatar.com/avatar/205e460b479e2e5b48aec07710c08d50?d=mm"
    assert synth({"type": "string", "pattern": url, "example": bad}) != bad
    # Codat's HAL links: a URI template is no `uri-reference`, a relative reference is one
    link = {"type": "string", "format": "uri-reference"}
    assert "{" not in synth({**link, "example": "/companies/{id}/data?page=1"})
    assert synth({**link, "example": "/companies/1/data?page=1"}) == "/companies/1/data?page=1"


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "integer", "minimum": 5, "maximum": 5},
        {"type": "integer", "minimum": 1000},
        {"type": "integer", "maximum": -1000},
        {
            "type": "integer",
            "minimum": 0,
            "maximum": 10,
            "exclusiveMinimum": True,
            "exclusiveMaximum": True,
        },
        {"type": "integer", "format": "int32", "minimum": 2**31 - 2},
        {"type": "integer", "multipleOf": 7, "minimum": 8},
        {"type": "number", "minimum": 0.5, "maximum": 0.75},
        {"type": "number", "multipleOf": 0.25},
        {"type": "number", "maximum": -3.5},
        {"type": "string", "minLength": 20},
        {"type": "string", "maxLength": 2},
        {"type": "string", "pattern": "^[0-9]+$"},
        {"type": "string", "pattern": "^rdme_\\w+$"},
        {"type": "string", "pattern": "^[A-Z]{2}$"},
        {"type": "boolean"},
    ],
)
def test_scalar_constraints(schema: dict[str, Any]) -> None:
    synth(schema)


def test_31_numeric_exclusive_bounds_and_type_arrays() -> None:
    assert (
        synth({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 2}, version="3.1.0")
        == 1
    )
    assert isinstance(synth({"type": ["null", "string"]}, version="3.1.0"), str)
    assert synth({"type": "null"}, version="3.1.0") is None


def test_objects_include_optional_properties_and_maps() -> None:
    value = synth(
        {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "integer"},
                "note": {"type": "string", "nullable": True},
                "labels": {"type": "object", "additionalProperties": {"type": "integer"}},
                "secret": {"type": "string", "writeOnly": True},
            },
        }
    )
    assert set(value) == {"id", "note", "labels"}
    assert value["labels"] and all(isinstance(v, int) for v in value["labels"].values())


def test_arrays_respect_item_counts_and_uniqueness() -> None:
    assert len(synth({"type": "array", "items": {"type": "string"}})) == 1
    assert len(synth({"type": "array", "minItems": 3, "items": {"type": "integer"}})) == 3
    assert synth({"type": "array", "maxItems": 0, "items": {"type": "integer"}}) == []
    distinct = synth(
        {
            "type": "array",
            "minItems": 3,
            "uniqueItems": True,
            "items": {"type": "string", "enum": ["a", "b", "c"]},
        }
    )
    assert sorted(distinct) == ["a", "b", "c"]
    assert (
        synth(
            {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}]},
            version="3.1.0",
        )[1]
        == "string"
    )


def test_all_of_merges_properties_and_constraints() -> None:
    schemas = {
        "Base": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "integer", "minimum": 10}},
        },
    }
    value = synth(
        {
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string"}, "id": {"maximum": 10}},
                },
            ]
        },
        schemas,
    )
    assert value == {"id": 10, "name": "name"}


def test_one_of_skips_null_and_picks_an_exclusive_variant() -> None:
    assert (
        synth(
            {"oneOf": [{"type": "string", "enum": [None], "nullable": True}, {"type": "integer"}]}
        )
        >= 1
    )
    schemas = {
        "Loose": {"type": "object", "properties": {"a": {"type": "string"}}},
        "Strict": {
            "type": "object",
            "required": ["a", "b"],
            "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        },
    }
    # a value for Loose would match Strict too; the generator must break the tie
    synth(
        {
            "oneOf": [
                {"$ref": "#/components/schemas/Strict"},
                {"$ref": "#/components/schemas/Loose"},
            ]
        },
        schemas,
    )
    synth({"anyOf": [{"type": "string"}, {"type": "integer"}]})


def test_discriminator_mapping_and_inheritance() -> None:
    schemas = {
        "Pet": {
            "type": "object",
            "required": ["petType"],
            "properties": {"petType": {"type": "string"}, "name": {"type": "string"}},
            "discriminator": {
                "propertyName": "petType",
                "mapping": {"cat": "#/components/schemas/Cat"},
            },
        },
        "Cat": {
            "allOf": [
                {"$ref": "#/components/schemas/Pet"},
                {"type": "object", "properties": {"purrs": {"type": "boolean"}}},
            ]
        },
        "Dog": {
            "allOf": [
                {"$ref": "#/components/schemas/Pet"},
                {"type": "object", "properties": {"barks": {"type": "boolean"}}},
            ]
        },
    }
    chosen = synth(
        {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {
                "propertyName": "petType",
                "mapping": {"cat": "#/components/schemas/Cat"},
            },
        },
        schemas,
    )
    assert chosen["petType"] == "cat"
    assert synth({"$ref": "#/components/schemas/Dog"}, schemas)["petType"] == "Dog"


def test_a_base_its_mapping_leaves_out_is_answered_with_a_mapped_subtype() -> None:
    """oag's `allOfMultiParent` / dcg's `discriminator_partial_mapping`: `Person` maps `a` to
    `Adult` and `c` to `Child`, not itself; its own name was sent as `$_type`, a value no
    reader of the mapping knows. A mapped subtype that admits a value is sent instead (drawn
    among them); a subtype that inherits the discriminator but is not mapped (`Teen`) stays
    itself."""
    person = {
        "type": "object",
        "required": ["$_type", "name"],
        "properties": {"$_type": {"type": "string"}, "name": {"type": "string"}},
        "discriminator": {
            "propertyName": "$_type",
            "mapping": {
                "a": "#/components/schemas/Adult",
                "c": "Child",
                "b": "#/components/schemas/Broken",
            },
        },
    }

    def child(extra: str) -> dict[str, Any]:
        return {
            "allOf": [
                {"$ref": "#/components/schemas/Person"},
                {"type": "object", "properties": {extra: {"type": "integer"}}},
            ]
        }

    schemas = {"Person": person, "Adult": child("income"), "Child": child("age")}
    schemas["Teen"] = child("school")
    # no value is a `Broken` (`name` a string and an integer, allOfMappingDuplicatedProperties'
    # `Adult`): what its draw gives is no subtype to send
    schemas["Broken"] = {
        "allOf": [
            {"$ref": "#/components/schemas/Person"},
            {"type": "object", "properties": {"name": {"type": "integer"}}},
        ]
    }
    ref = {"$ref": "#/components/schemas/Person"}
    document = {"openapi": "3.0.3", "components": {"schemas": schemas}}
    generator = ExampleGenerator(document, seed=0)
    kinds = {generator.generate(ref, key=str(k), vary=True)["$_type"] for k in range(12)}
    assert kinds == {"a", "c"}
    assert synth(ref, schemas)["$_type"] in ("a", "c")
    assert synth({"$ref": "#/components/schemas/Teen"}, schemas)["$_type"] == "Teen"
    assert synth({"$ref": "#/components/schemas/Child"}, schemas)["$_type"] == "c"
    # a mapping that names the base itself keeps it
    person["discriminator"]["mapping"]["p"] = "#/components/schemas/Person"
    assert synth(ref, schemas)["$_type"] == "p"


def test_recursive_schemas_terminate() -> None:
    schemas = {
        "Node": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "parent": {"$ref": "#/components/schemas/Node"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "maybe": {"allOf": [{"$ref": "#/components/schemas/Node"}], "nullable": True},
            },
        },
        "A": {
            "type": "object",
            "required": ["b"],
            "properties": {"b": {"$ref": "#/components/schemas/B"}},
        },
        "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
        "Expr": {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["not"],
                    "properties": {"not": {"$ref": "#/components/schemas/Expr"}},
                },
                {"type": "string"},
            ]
        },
        "Loop": {"oneOf": [{"$ref": "#/components/schemas/Loop"}, {"type": "string"}]},
    }
    assert synth({"$ref": "#/components/schemas/Node"}, schemas) == {"id": "id"}
    assert synth({"$ref": "#/components/schemas/A"}, schemas) == {"b": {}}
    assert synth({"$ref": "#/components/schemas/Expr"}, schemas) == {"not": "not"}
    # validators themselves recurse forever on this one; the generator must not
    assert (
        ExampleGenerator({"components": {"schemas": schemas}}).generate(schemas["Loop"]) == "string"
    )


def test_pathological_depth_never_raises_recursion_error() -> None:
    depth = 3000
    chain = {
        f"S{i}": {
            "type": "object",
            "required": ["next"],
            "properties": {"next": {"$ref": f"#/components/schemas/S{i + 1}"}},
        }
        for i in range(depth)
    }
    chain[f"S{depth}"] = {"type": "string"}
    generator = ExampleGenerator({"components": {"schemas": chain}})
    generator.generate({"$ref": "#/components/schemas/S0"})
    nested: dict[str, Any] = {"type": "string"}
    for _ in range(depth):
        nested = {"oneOf": [nested]}
    generator.generate(nested)


def test_deterministic_across_generators_and_request_order() -> None:
    schema = {
        "type": "object",
        "properties": {"n": {"type": "integer"}, "id": {"type": "string", "format": "uuid"}},
    }
    one, two = ExampleGenerator({}, seed=3), ExampleGenerator({}, seed=3)
    two.generate({"type": "integer"}, key="something else first")
    assert one.generate(schema, key="k") == two.generate(schema, key="k")


def test_yaml_dates_in_examples_become_strings() -> None:
    import datetime as dt

    assert (
        synth({"type": "string", "format": "date", "example": dt.date(2020, 5, 17)}) == "2020-05-17"
    )


@pytest.mark.parametrize(
    "pattern",
    [
        r"\/projects\/(me|[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*)\/apikeys\/[a-f\d]{24}",
        r"^[a-f\d]{24}$",
        r"^(?:{[0-9a-fA-F]{4}(?:-?[0-9a-fA-F]{4}){7}}|[0-9a-fA-F]{4}(?:-?[0-9a-fA-F]{4}){7})$",
        r"^[^/]+\.json$",
        r"^(\w)\1-[A-Z]{2,3}$",
    ],
)
def test_a_pattern_no_plain_candidate_matches_is_walked(pattern: str) -> None:
    # readme.com's URIs: none of the sandbox's fixed candidates match, the regex walk does
    value = synth({"type": "string", "pattern": pattern, "minLength": 5}, version="3.1.0")
    assert isinstance(value, str) and len(value) >= 5


def test_a_boolean_exclusive_bound_is_read_the_draft_4_way_in_3_1() -> None:
    from apigen.sandbox._dialect import OAS31BoundsValidator

    schema = {"minimum": 10, "maximum": 20, "exclusiveMinimum": True, "exclusiveMaximum": True}
    validator = OAS31BoundsValidator(schema)
    assert validator.is_valid(12.0) and validator.is_valid(19.5)
    assert not validator.is_valid(20) and not validator.is_valid(10)
    assert not OAS31BoundsValidator({"exclusiveMaximum": 20}).is_valid(20)
    # below a 2019-09 `$schema` too (jsonschema would switch to its own class there)
    nested = OAS31BoundsValidator(
        {"allOf": [{"$schema": "https://json-schema.org/draft/2019-09/schema#", **schema}]}
    )
    assert nested.is_valid(12.0) and not nested.is_valid(20)


def test_a_required_write_only_property_is_left_out_of_a_response() -> None:
    schema = {
        "type": "object",
        "required": ["number", "cvc"],
        "properties": {"number": {"type": "string"}, "cvc": {"type": "integer", "writeOnly": True}},
    }
    document = {"openapi": "3.1.0", "components": {"schemas": {}}}
    value = ExampleGenerator(document, seed=0).generate(schema)
    assert value == {"number": value["number"]}


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
@pytest.mark.parametrize(
    "schema",
    [
        {"not": {"type": "string"}},  # typeless: a string was drawn (hand-written 3.1 spec)
        {"type": "integer", "minimum": 0, "maximum": 3, "not": {"enum": [0, 1]}},
        {"type": "string", "not": {"enum": ["string", ""]}},
        {"properties": {"a": {"not": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}}},
    ],
)
def test_a_value_drawn_for_a_not_is_one_the_not_refuses(
    version: str, schema: dict[str, Any]
) -> None:
    for seed in range(4):
        synth(schema, version=version, seed=seed)
    wrapper = {"type": "object", "required": ["a"], "properties": {"a": schema}}
    document = {"openapi": version, "components": {"schemas": {}}}
    validator = OAS31Validator if version.startswith("3.1") else OAS30Validator
    varied = ExampleGenerator(document, seed=1)
    for i in range(10):
        value = varied.generate(wrapper, key=str(i), vary=True)
        assert not list(validator(wrapper).iter_errors(value)), value


SHAPE = {
    "type": "object",
    "properties": {
        "kind": {"type": "string", "enum": ["circle", "square"]},
        "r": {"type": "number"},
        "side": {"type": "number"},
    },
    "if": {"properties": {"kind": {"const": "circle"}}, "required": ["kind"]},
    "then": {"required": ["r"]},
    "else": {"required": ["side"]},
}
PAYMENT = {
    "type": "object",
    "required": ["card"],
    "properties": {"card": {"type": "string"}, "billing": {"type": "string"}},
    "dependentRequired": {"card": ["billing"]},
}


# `dependentSchemas`: with `card`, `billing` is required and `card` is 16 digits
PAYMENT_SCHEMAS = {
    "type": "object",
    "properties": {"card": {"type": "string"}, "billing": {"type": "string"}},
    "required": ["card"],
    "dependentSchemas": {
        "card": {
            "required": ["billing"],
            "properties": {
                "card": {"pattern": "^[0-9]{16}$"},
                "billing": {"type": "string", "minLength": 5},
            },
        }
    },
}


@pytest.mark.parametrize(
    "schema",
    [SHAPE, PAYMENT, PAYMENT_SCHEMAS, {"if": True, "then": {"type": "integer"}}],
    ids=["if-then-else", "dependentRequired", "dependentSchemas", "if-true"],
)
def test_if_then_else_and_dependent_required_are_met(schema: dict[str, Any]) -> None:
    """JSON Schema 2020-12 keywords OpenAPI 3.1 allows: the sandbox drew `{"kind": "circle"}`
    without its `r`, and `card` without `billing` (hand-written 3.1 specs; `dependentSchemas`
    broke 9 of 138 responses of one)."""
    for seed in range(4):
        synth(schema, version="3.1.0", seed=seed)
    document = {"openapi": "3.1.0", "components": {"schemas": {}}}
    varied = ExampleGenerator(document, seed=2)
    kinds = set()
    for i in range(20):
        value = varied.generate(schema, key=str(i), vary=True)
        assert not list(OAS31Validator(schema).iter_errors(value)), value
        kinds.add(value.get("kind") if isinstance(value, dict) else None)
    if schema is SHAPE:
        assert kinds >= {"circle", "square"}  # both branches are drawn


DISTINCT: dict[str, Any] = {
    "type": "object",
    "required": [
        "enum_set",
        "int_set",
        "code_set",
        "num_set",
        "at_least_one",
        "email",
        "day",
        "month",
    ],
    "properties": {
        "enum_set": {
            "type": "array",
            "uniqueItems": True,
            "minItems": 2,
            "items": {"type": "string", "enum": ["x", "y", "z"]},
        },
        "int_set": {
            "type": "array",
            "uniqueItems": True,
            "minItems": 3,
            "items": {"type": "integer", "minimum": 1, "maximum": 5},
        },
        "code_set": {
            "type": "array",
            "uniqueItems": True,
            "minItems": 2,
            "items": {"type": "string", "pattern": "^[a-c]{2}$"},
        },
        "num_set": {
            "type": "array",
            "uniqueItems": True,
            "minItems": 2,
            "items": {"type": "number", "minimum": 0, "maximum": 1},
        },
        "at_least_one": {
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
        },
        "email": {"type": "string", "format": "email", "maxLength": 8},
        "day": {"type": "string", "format": "date", "pattern": "^2019-"},
        # a helper's review: a lead reaching into the month made `2019-19-21`
        "month": {"type": "string", "format": "date", "pattern": "^2019-1"},
    },
}


def test_drawn_values_keep_unique_items_min_properties_and_formats() -> None:
    """A helper's contract review: `uniqueItems` arrays with `minItems` >= 2 got duplicates
    (an enum's random first item repeated; a pattern's one usual string; a number range's
    middle every time), a closed object's `minProperties` was not met when the optional
    properties were left out, `{format: email, maxLength: 8}` was cut to `user8263` and
    `{format: date, pattern: "^2019-"}` was the pattern's `2019-`. Every draw now validates
    (formats checked too)."""
    from jsonschema import Draft202012Validator, FormatChecker

    validator = Draft202012Validator(DISTINCT, format_checker=FormatChecker())
    generator = ExampleGenerator({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}})
    for i in range(120):
        notes: list[str] = []
        value = generator.generate(DISTINCT, key=f"draw {i}", vary=i > 0, notes=notes)
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(value)]
        assert errors == [] and notes == [], (value, errors, notes)


def test_an_array_that_cannot_have_enough_distinct_items_says_so() -> None:
    schema = {
        "type": "array",
        "uniqueItems": True,
        "minItems": 3,
        "items": {"type": "string", "enum": ["x", "y"]},
    }
    notes: list[str] = []
    value = ExampleGenerator({"openapi": "3.1.0"}).generate(schema, notes=notes)
    assert sorted(value) == ["x", "y"] and notes and "distinct items" in notes[0]


def test_an_array_short_of_distinct_items_is_no_spec_fault_unless_proven() -> None:
    """A helper's regression sweep: after 24 redraws the sandbox cut such an array short and
    said the spec admitted no value (a header the contract trusts), though distinct values
    existed (`{type: string, maxLength: 1}`, an alternation pattern): a sandbox weakness passed
    off as the spec's. Only a proven limit (an enum's members, `boolean`) is reported now; else
    the array keeps its length (and the contract sees the sandbox's failure)."""
    generator = ExampleGenerator({"openapi": "3.1.0"})
    short = {"type": "array", "uniqueItems": True, "minItems": 3}
    for items in ({"type": "string", "maxLength": 1}, {"type": "string", "pattern": "^(a|b|c)$"}):
        notes: list[str] = []
        value = generator.generate({**short, "items": items}, notes=notes)
        assert notes == [] and len(value) == 3, (items, value, notes)
    notes = []
    generator.generate({**short, "items": {"type": "boolean"}}, notes=notes)
    assert notes and "admits 2" in notes[0]


@pytest.mark.parametrize(
    "schema",
    [
        {
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "patternProperties": {"^x-": {"type": "string"}},
        },
        {"type": "object", "minProperties": 2, "propertyNames": {"pattern": "^[A-Z]+$"}},
        {
            "type": "object",
            "minProperties": 3,
            "patternProperties": {"^[a-z]{2}$": {"type": "integer"}},
        },
    ],
)
def test_min_properties_is_met_with_names_the_schema_takes(schema: dict[str, Any]) -> None:
    """A helper's regression sweep: a closed object whose only keys are `patternProperties`
    ones came out `{}` under `minProperties: 1`, and `propertyNames: {pattern: ^[A-Z]+$}` got
    the filler's `key`/`key1`. Free members are named by the patterns the schema gives."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema)
    generator = ExampleGenerator({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}})
    for i in range(20):
        value = generator.generate(schema, key=f"draw {i}", vary=i > 0)
        assert not list(validator.iter_errors(value)), value


@pytest.mark.parametrize(
    ("schema", "nulls"),
    [
        ({"type": "integer", "anyOf": [{"type": "integer"}, {"type": "null"}]}, False),
        ({"type": "integer", "oneOf": [{"type": "integer"}, {"type": "null"}]}, False),
        ({"anyOf": [{"type": "integer"}, {"type": "null"}]}, True),
    ],
)
def test_a_null_variant_is_drawn_only_where_a_type_beside_it_admits_null(
    schema: dict[str, Any], nulls: bool
) -> None:
    """A regression sweep: the client types `{type: integer, anyOf: [integer, null]}` as `int`
    (the `type` beside it rules null out, as JSON Schema reads it), and the sandbox answered
    null in 4 of 21 draws. Null is drawn only where nothing beside the union refuses it."""
    wrapper = {
        "type": "object",
        "required": ["n"],
        "properties": {"n": schema},
    }
    varied = ExampleGenerator({"openapi": "3.1.0", "components": {"schemas": {}}}, seed=1)
    values = [varied.generate(wrapper, key=str(i), vary=True)["n"] for i in range(60)]
    assert (None in values) is nulls
    assert all(v is None or isinstance(v, int) for v in values)


@pytest.mark.parametrize(
    ("fmt", "example"),
    [
        ("date", "2023-02-29"),
        ("date-time", "2023-04-31T10:00:00Z"),
        ("date-time", "2023-04-30T25:61:00Z"),
        ("date-time", "2023-04-30T10:00:00+24:00"),
    ],
)
def test_an_example_the_calendar_or_clock_lacks_is_not_served(fmt: str, example: str) -> None:
    """A hostile-spec sweep: the format check matched the shape only, so `2023-02-29` was
    served as a `date` and refused by every validator after it."""
    assert synth({"type": "string", "format": fmt, "example": example}) != example


def test_a_time_the_clock_lacks_does_not_fit() -> None:
    from apigen.sandbox._fits import _format_ok  # pyright: ignore[reportPrivateUsage]

    assert _format_ok("23:59:59Z", "time") and _format_ok("23:59:60+01:00", "time")
    assert not _format_ok("24:00:00Z", "time") and not _format_ok("10:60:00Z", "time")
    assert not _format_ok("10:00:00+01:60", "time")


@pytest.mark.parametrize(
    ("fmt", "example"),
    [("date", "2024-02-29"), ("date-time", "2024-02-29T23:59:59.5+05:30")],
)
def test_a_real_date_and_time_example_is_served(fmt: str, example: str) -> None:
    assert synth({"type": "string", "format": fmt, "example": example}) == example
