"""Work the IR does once per distinct input, not once per use (issue 10: AWS specs repeat the
same HTML descriptions and wrap almost every property in `allOf: [$ref, {description}]`)."""

from __future__ import annotations

from typing import Any

import pytest

from apigen.diagnostics import Report
from apigen.ir import build_api, text
from apigen.ir.nodes import Api, ModelDef
from apigen.ir.schemas import SchemaConverter

_HTML = "<p>The ID of the <b>VPC</b>.</p>"


def _spec() -> dict[str, Any]:
    wrapped = {"allOf": [{"$ref": "#/components/schemas/Id"}, {"description": _HTML}]}
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/vpcs": {
                "post": {
                    "operationId": "createVpc",
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Vpc"}}
                        }
                    },
                    "responses": {
                        "200": {
                            "description": _HTML,
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Vpc"}}
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Id": {"type": "string"},
                "Vpc": {
                    "type": "object",
                    "description": _HTML,
                    "properties": {"vpc_id": wrapped, "peer_id": wrapped, "owner_id": wrapped},
                },
            }
        },
    }


def _build(document: dict[str, Any]) -> Api:
    return build_api(
        document,
        package="p",
        spec_file="spec.json",
        spec_sha256="0" * 64,
        report=Report(),
        reserved_client=set(),
        reserved_resource=set(),
    )


def test_each_distinct_description_is_converted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    convert = text.to_markdown

    def counting(value: str, site: str | None = None, markdown_site: str | None = None) -> str:
        seen.append(value)
        return convert(value, site, markdown_site)

    monkeypatch.setattr(text, "to_markdown", counting)
    api = _build(_spec())
    assert seen.count(_HTML) == 1
    vpc = next(d for d in api.definitions.values() if isinstance(d, ModelDef) and d.name == "Vpc")
    assert vpc.doc == "The ID of the **VPC**."
    assert [f.doc for f in vpc.fields] == ["The ID of the **VPC**."] * 3


def test_an_all_of_is_merged_once_and_equals_a_fresh_merge() -> None:
    document = _spec()
    wrapped = document["components"]["schemas"]["Vpc"]["properties"]["vpc_id"]
    converter = SchemaConverter(document, Report(), "spec.json")
    first = converter.merge_all_of(wrapped, "#/a")
    assert converter.merge_all_of(wrapped, "#/b") is first  # the same node: computed once
    fresh = SchemaConverter(document, Report(), "spec.json").merge_all_of(wrapped, "#/a")
    assert first == fresh == {"type": "string", "description": _HTML}
    twin = {"allOf": [{"$ref": "#/components/schemas/Id"}, {"description": "other"}]}
    assert converter.merge_all_of(twin, "#/c") == {"type": "string", "description": "other"}
    plain = {"type": "integer"}
    assert converter.merge_all_of(plain, "#/d") == plain
    assert converter.merge_all_of(plain, "#/d") is not plain  # (a copy, as before)


def test_an_all_of_member_that_only_documents_keeps_the_ref() -> None:
    """`allOf: [{$ref: Vpc}, {xml, description}]` (AWS: nearly every property and array item)
    is a reference to `Vpc`, not a copy of it (EC2 had 7,805 model classes, 1,833 after)."""
    document = _spec()
    schemas = document["components"]["schemas"]
    schemas["Holder"] = {
        "type": "object",
        "properties": {
            "vpc": {"allOf": [{"$ref": "#/components/schemas/Vpc"}, {"description": "The VPC."}]},
            "vpcs": {
                "type": "array",
                "items": {
                    "allOf": [{"$ref": "#/components/schemas/Vpc"}, {"xml": {"name": "item"}}]
                },
            },
            "extended": {
                "allOf": [
                    {"$ref": "#/components/schemas/Vpc"},
                    {"properties": {"extra": {"type": "string"}}},
                ]
            },
        },
    }
    api = _build(document)
    models = {d.name: d for d in api.definitions.values() if isinstance(d, ModelDef)}
    fields = {f.py_name: f for f in models["Holder"].fields}
    vpc = "#/components/schemas/Vpc"
    assert getattr(fields["vpc"].type, "key", None) == vpc
    assert fields["vpc"].doc == "The VPC."
    assert getattr(getattr(fields["vpcs"].type, "item", None), "key", None) == vpc
    assert getattr(fields["extended"].type, "key", None) != vpc  # a real extension: merged
    assert (
        sum(1 for m in models.values() if {"vpc_id", "peer_id"} <= {f.py_name for f in m.fields})
        == 2
    )


def test_an_all_of_member_restating_the_object_type_keeps_the_ref() -> None:
    """A helper's review: `allOf: [{$ref: TaskCompact}, {type: object, nullable: true,
    description}]` (Asana's `parent`, 25 places; ix-api, DigitalOcean) made a copy of the model
    the ref names. A `type` that is not the target's (a string enum's) still merges."""
    document = _spec()
    schemas = document["components"]["schemas"]
    schemas["Mode"] = {"type": "string", "enum": ["a", "b"]}
    schemas["Holder"] = {
        "type": "object",
        "required": ["strict"],
        "properties": {
            "parent": {
                "allOf": [
                    {"$ref": "#/components/schemas/Vpc"},
                    {"type": "object", "nullable": True, "description": "The parent."},
                ]
            },
            "strict": {
                "allOf": [{"$ref": "#/components/schemas/Vpc"}, {"type": "object"}],
            },
            "mode": {"allOf": [{"$ref": "#/components/schemas/Mode"}, {"type": "object"}]},
            # a review: Asana's `TaskCompact` is itself an `allOf`, still copied
            "composed": {
                "allOf": [
                    {"$ref": "#/components/schemas/Composed"},
                    {"type": "object", "nullable": True},
                ]
            },
        },
    }
    schemas["Composed"] = {"allOf": [{"$ref": "#/components/schemas/Vpc"}]}
    api = _build(document)
    models = {d.name: d for d in api.definitions.values() if isinstance(d, ModelDef)}
    fields = {f.py_name: f for f in models["Holder"].fields}
    vpc = "#/components/schemas/Vpc"
    assert getattr(fields["parent"].type, "key", None) == vpc
    assert fields["parent"].doc == "The parent."
    assert getattr(fields["strict"].type, "key", None) == vpc  # required, no null: the ref
    assert getattr(fields["mode"].type, "key", None) != "#/components/schemas/Mode"
    assert getattr(fields["composed"].type, "key", None) == "#/components/schemas/Composed"
    assert (
        sum(1 for m in models.values() if {"vpc_id", "peer_id"} <= {f.py_name for f in m.fields})
        == 2  # `Vpc` and the component `Composed` (its own schema), no copy
    )
