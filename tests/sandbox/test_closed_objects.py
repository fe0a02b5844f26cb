"""What a schema closes off stays out of drawn bodies, and a body no value can satisfy is reported.

From Codat's sync-for-expenses (3.1): `DataConnection` lists `additionalProperties: false` inside
its `properties` (a property of that name whose schema is `false`), an enum of transaction types
sits beside `maxLength: 8` that four members exceed, and `TransactionMetadataList` is
`{additionalProperties: false, allOf: [..., PagingInfo]}`: the keyword reads only the outer
object's (absent) `properties`, so PagingInfo's required fields are all forbidden.
"""

from __future__ import annotations

from typing import Any

from openapi_schema_validator import OAS31Validator

from apigen.sandbox import SPEC_PROBLEM_HEADER, ExampleGenerator, Sandbox

SCHEMAS: dict[str, Any] = {
    "Connection": {
        "type": "object",
        "properties": {"additionalProperties": False, "id": {"type": "string"}},
    },
    "Account": {
        "type": "object",
        "required": ["types"],
        "properties": {
            "types": {
                "type": "array",
                "minItems": 4,
                "items": {
                    "type": "string",
                    "maxLength": 8,
                    "enum": ["Payment", "TransferIn", "Refund", "AdjustmentOut"],
                },
            }
        },
    },
    "Paging": {
        "type": "object",
        "required": ["pageNumber"],
        "properties": {"pageNumber": {"type": "integer"}},
    },
    "Page": {
        "additionalProperties": False,
        "allOf": [
            {"type": "object", "properties": {"results": {"type": "array"}}},
            {"$ref": "#/components/schemas/Paging"},
        ],
    },
}


def _doc() -> dict[str, Any]:
    def get(name: str) -> dict[str, Any]:
        schema = {"$ref": f"#/components/schemas/{name}"}
        return {
            "get": {
                "operationId": f"get{name}",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": schema}},
                    }
                },
            }
        }

    return {
        "openapi": "3.1.0",
        "info": {"title": "closed", "version": "1"},
        "paths": {f"/{name.lower()}": get(name) for name in SCHEMAS},
        "components": {"schemas": SCHEMAS},
    }


def _errors(name: str, value: Any) -> list[str]:
    root = {**_doc(), "$ref": f"#/components/schemas/{name}"}
    return [e.message for e in OAS31Validator(root).iter_errors(value)]


def _draws(name: str, n: int = 40) -> list[Any]:
    generator = ExampleGenerator(_doc())
    ref = {"$ref": f"#/components/schemas/{name}"}
    return [generator.generate(ref)] + [
        generator.generate(ref, key=f"draw {i}", vary=True) for i in range(n)
    ]


def test_a_property_whose_schema_is_false_is_never_drawn() -> None:
    for value in _draws("Connection"):
        assert "additionalProperties" not in value
        assert _errors("Connection", value) == [], value


def test_enum_members_the_schema_s_own_bounds_refuse_are_not_drawn() -> None:
    drawn = [t for value in _draws("Account") for t in value["types"]]
    assert set(drawn) == {"Payment", "Refund"}
    assert all(_errors("Account", value) == [] for value in _draws("Account"))


def test_an_enum_no_member_of_which_fits_still_draws_one() -> None:
    # nothing valid exists: the old best effort (a member) rather than no value at all
    generator = ExampleGenerator(_doc())
    value = generator.generate({"type": "string", "maxLength": 2, "enum": ["long", "longer"]})
    assert value in ("long", "longer")


def test_a_required_property_the_object_closes_off_is_reported_as_the_spec_s() -> None:
    notes: list[str] = []
    ExampleGenerator(_doc()).generate({"$ref": "#/components/schemas/Page"}, notes=notes)
    assert len(notes) == 1
    assert "admits no value: it requires 'pageNumber', which its own schema forbids" in notes[0]
    # named where it is closed (a helper's sweep: the note named the `Paging` it merged)
    assert notes[0].startswith("an object in #/components/schemas/Page admits"), notes[0]
    reply = Sandbox(_doc()).handle("GET", "/page")
    assert reply.status == 200
    assert "requires 'pageNumber'" in reply.headers[SPEC_PROBLEM_HEADER]
    for fine in ("/connection", "/account", "/paging"):
        assert SPEC_PROBLEM_HEADER not in Sandbox(_doc()).handle("GET", fine).headers


def test_a_required_property_whose_schema_is_false_is_reported() -> None:
    notes: list[str] = []
    schema = {"type": "object", "required": ["gone"], "properties": {"gone": False}}
    ExampleGenerator(_doc()).generate(schema, notes=notes)
    assert notes == [
        "an object in the response schema admits no value: it requires 'gone', which its own"
        " schema forbids"
    ]
