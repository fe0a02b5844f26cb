"""The edge cases (refused and tricky path values, omitted optionals) are built on a drawn case
the method can send."""

from __future__ import annotations

from pathlib import Path

from tests.builds import contract_of


def test_edge_cases_are_sent_when_every_drawn_body_was_refused_before_sending(
    tmp_path: Path,
) -> None:
    """A helper's sweep: a body schema with `properties` but no `type: object` drew null or
    scalars, filed (rightly) as the spec's before sending; the edge cases built on the first
    draw were too, path refusals included: 15 cases, 0 calls (GitHub's
    `update-org-custom-pattern`). They are built on an object body the schema admits."""
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things/{id}": {
                "patch": {
                    "operationId": "updateThing",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"properties": {"name": {"type": "string"}}}
                            }
                        },
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    report = contract_of(tmp_path, spec, "untypedbase")
    (result,) = report.operations
    assert result.calls > 0
    assert not [f for f in result.failures if f.klass != "spec"], result.failures


def test_the_made_body_satisfies_compositions_and_the_keywords_beside_them() -> None:
    """A helper's Prism sweep: the body made for the edge cases read `allOf` (and `anyOf`) as
    its first member and dropped the schema's own `required` beside it: Azure's `allOf:
    [Resource]` with `required: [location, sku, properties]` made `{location}`, and the 23 edge
    cases blamed the client for refusing it; GitHub's `anyOf: [{required: [pattern]}, ...]`
    beside `properties` made nothing (13 edge cases never sent)."""
    from apigen.contract.cases import simple_value
    from apigen.contract.spec import SpecView

    schemas = {
        "Base": {
            "properties": {"location": {"type": "string"}, "sku": {"$ref": "#/c/Sku"}},
            "required": ["location"],
        },
        "Sku": {"properties": {"name": {"type": "string"}}, "required": ["name"]},
        "Thing": {
            "allOf": [{"$ref": "#/c/Base"}],
            "properties": {"properties": {"type": "object"}},
            "required": ["location", "sku", "properties"],
        },
        "Update": {
            "required": ["version"],
            "anyOf": [{"required": ["pattern"]}, {"required": ["must_match"]}],
            "properties": {
                "version": {"type": "string"},
                "pattern": {"type": "string"},
                "must_match": {"type": "array", "items": {"type": "string"}},
            },
        },
    }
    view = SpecView({"openapi": "3.0.3", "c": schemas})
    made = simple_value(view, schemas["Thing"])
    assert made == {"location": "a", "sku": {"name": "a"}, "properties": {}}
    assert simple_value(view, schemas["Update"]) == {"version": "a", "pattern": "a"}
    for name in ("Thing", "Update"):
        assert view.errors(schemas[name], simple_value(view, schemas[name])) == []


def test_the_made_body_leaves_out_required_read_only_properties() -> None:
    """The regression sweep: once `allOf` members merged, PagerDuty's `Reference` (`required:
    [type, id]`, both readOnly) filled both, the sandbox refused writing them, and 18 failures
    were filed as the sandbox's. A required readOnly property is required of responses only."""
    from apigen.contract.cases import simple_value
    from apigen.contract.spec import SpecView

    schemas = {
        "Tag": {
            "type": "object",
            "properties": {
                "id": {"type": "string", "readOnly": True},
                "type": {"type": "string", "readOnly": True},
                "name": {"type": "string"},
            },
            "required": ["id", "type", "name"],
        },
    }
    view = SpecView({"openapi": "3.0.3", "c": schemas})
    assert simple_value(view, schemas["Tag"]) == {"name": "a"}
