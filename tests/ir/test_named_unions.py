"""Issue 11: a union an operation returns is named once in `types/` and used by name."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_github_get_content_returns_a_named_union(built: dict[str, Path]) -> None:
    package = built["github"] / "github"
    resources = "".join(p.read_text() for p in sorted((package / "resources").glob("*repos*.py")))
    assert "-> ReposGetContentResponse:" in resources
    assert resources.count("Annotated[ContentDirectory") == 0  # not spelled out in resources
    types = (package / "types" / "repos.py").read_text()
    assert types.count("ReposGetContentResponse: TypeAlias = ") == 1
    import json

    index = json.loads((package / "types" / "_index.json").read_text())
    assert index["ReposGetContentResponse"] == "repos"


def test_a_member_cut_from_a_discriminated_union_takes_its_tag_along() -> None:
    """A helper's corpus2 sweep (dcg's `discriminator_duplicate_value`): `RecursiveItem:
    oneOf [RecursiveItem, ItemReference]` with a discriminator. The self-reference is cut (it
    describes no value), but the mapping kept `RecursiveItem`, a tag no member had: pydantic
    failed such a body with "tag not found" instead of trying the members."""
    from apigen.ir.nodes import AliasDef, UnionOf
    from tests.builds import api_of

    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "ItemReference": {
                    "type": "object",
                    "required": ["type", "id"],
                    "properties": {"type": {"const": "item_reference"}, "id": {"type": "string"}},
                },
                "RecursiveItem": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/RecursiveItem"},
                        {"$ref": "#/components/schemas/ItemReference"},
                    ],
                    "discriminator": {"propertyName": "type"},
                },
            }
        },
    }
    api = api_of(spec)
    alias = api.definitions[api.components["RecursiveItem"]]
    assert isinstance(alias, AliasDef) and isinstance(alias.target, UnionOf)
    disc = alias.target.discriminator
    assert disc is not None
    assert {key for _, key in disc.mapping} == {api.components["ItemReference"]}


def test_a_discriminator_mapping_naming_no_member_is_warned_of() -> None:
    """A hostile-spec sweep: mapping entries naming a missing schema, a bare name that does
    not exist or a schema outside the union were dropped without a word, even under
    `--strict` (DigitalOcean's 43 mappings into files that are not there among them)."""
    from apigen.diagnostics import Report
    from tests.builds import api_of

    obj = {"type": "object", "properties": {"kind": {"type": "string"}}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "A": obj,
                "B": obj,
                "Other": obj,
                "U": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/A"},
                        {"$ref": "#/components/schemas/B"},
                    ],
                    "discriminator": {
                        "propertyName": "kind",
                        "mapping": {
                            "a": "#/components/schemas/A",
                            "x": "#/components/schemas/Nope",
                            "o": "Other",
                        },
                    },
                },
            }
        },
    }
    report = Report()
    api_of(spec, report)
    found = [w for w in report.warnings if w.kind == "discriminator"]
    assert [w.pointer for w in found] == [
        "#/components/schemas/U/discriminator/mapping/x",
        "#/components/schemas/U/discriminator/mapping/o",
    ]
    assert "'#/components/schemas/Nope', which is none of the union's members" in found[0].message


def test_equal_path_templates_with_a_method_in_common_are_warned_of() -> None:
    """Prism sweep (googleapis storagetransfer): `GET /v1/{jobName}` and `GET /v1/{name}`
    ("MUST NOT exist as they are identical"); Prism answered one's requests with the other's
    validation. Another method on the same shape is told apart (GitHub's attestations)."""
    from apigen.diagnostics import Report
    from tests.builds import api_of

    def op(name: str) -> dict[str, Any]:
        return {"operationId": name, "responses": {"200": {"description": "ok"}}}

    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/v1/{jobName}": {"get": op("getJob")},
            "/v1/{name}": {"get": op("getOperation"), "delete": op("deleteOperation")},
            "/v2/{a}": {"get": op("getA")},
            "/v2/{b}": {"delete": op("deleteB")},
        },
    }
    report = Report()
    api_of(spec, report)
    ((w,),) = [[w for w in report.warnings if w.kind == "paths"]]
    assert w.pointer == "#/paths/~1v1~1{name}" and "'/v1/{jobName}'" in w.message
