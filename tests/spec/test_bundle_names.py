"""Schemas brought in from other files take the names the spec gives them.

The usual multi-file layout (`components: {schemas: {ComplexType: {$ref:
./schemas/ComplexType.yml}}}`, corpus2's `oag/3_0/issue_24528`, dcg's
`external_ref_with_transitive_local_ref`) gave each such schema a derived second name
(`SchemasComplexType`) and made the spec's own name an alias of it; and a response schema that
is only a `$ref` to another file, met through a path pointer, became an alias model named
`Schema`. Now the component takes the schema, and a chain of bare refs ends at its schema.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from apigen.diagnostics import Report
from apigen.spec import load_spec

from .test_refs import all_refs


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root / "api.yaml"


HEAD = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"


def _schemas(root: Path, files: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    doc = load_spec(_write(root, files), report=Report()).document
    assert all(ref.startswith("#/") for ref in all_refs(doc))
    return doc["components"]["schemas"], doc


def test_a_component_that_only_refers_to_another_file_takes_its_schema(tmp_path: Path) -> None:
    schemas, _ = _schemas(
        tmp_path,
        {
            "api.yaml": HEAD + "paths: {}\ncomponents:\n  schemas:\n"
            "    ComplexType: {$ref: './schemas/ComplexType.yml'}\n"
            "    Again: {$ref: './schemas/ComplexType.yml'}\n"
            "    List: {type: array, items: {$ref: './schemas/ComplexType.yml'}}\n",
            "schemas/ComplexType.yml": "type: object\nproperties:\n"
            "  child: {$ref: './ComplexType.yml'}\n",
        },
    )
    assert set(schemas) == {"ComplexType", "Again", "List"}
    assert schemas["ComplexType"]["properties"]["child"] == {
        "$ref": "#/components/schemas/ComplexType"
    }
    assert schemas["Again"] == {"$ref": "#/components/schemas/ComplexType"}  # the first names it
    assert schemas["List"]["items"] == {"$ref": "#/components/schemas/ComplexType"}


def test_a_discriminator_mapping_follows_the_schema_to_its_name(tmp_path: Path) -> None:
    schemas, _ = _schemas(
        tmp_path,
        {
            "api.yaml": HEAD + "paths: {}\ncomponents:\n  schemas:\n"
            "    Cat: {$ref: 'pets.yaml#/Cat'}\n"
            "    Pet:\n      oneOf: [{$ref: 'pets.yaml#/Cat'}]\n"
            "      discriminator: {propertyName: kind, mapping: {cat: 'pets.yaml#/Cat'}}\n",
            "pets.yaml": "Cat: {type: object, properties: {kind: {type: string}}}\n",
        },
    )
    assert "Cat" in schemas and schemas["Cat"]["type"] == "object"
    assert schemas["Pet"]["oneOf"] == [{"$ref": "#/components/schemas/Cat"}]
    assert schemas["Pet"]["discriminator"]["mapping"] == {"cat": "#/components/schemas/Cat"}


def test_a_chain_of_bare_refs_ends_at_its_schema(tmp_path: Path) -> None:
    schemas, doc = _schemas(
        tmp_path,
        {
            "api.yaml": HEAD + "paths:\n  /users:\n    get:\n      responses:\n"
            "        '200':\n          description: ok\n          content:\n"
            "            application/json:\n              schema:\n"
            "                type: array\n"
            "                items: {$ref: 'paths.yaml#/~1u/get/responses/200/content/"
            "application~1json/schema'}\n",
            "paths.yaml": "/u:\n  get:\n    responses:\n      '200':\n        description: ok\n"
            "        content:\n          application/json:\n"
            "            schema: {$ref: 'models/whole.yaml'}\n",
            "models/whole.yaml": "$ref: 'named.yaml#/User'\n",
            "models/named.yaml": "User: {type: object}\nAlias: {$ref: '#/User'}\n",
        },
    )
    assert set(schemas) == {"User"}  # no `schema` nor `whole` alias on the way
    response = doc["paths"]["/users"]["get"]["responses"]["200"]["content"]["application/json"]
    assert response["schema"]["items"] == {"$ref": "#/components/schemas/User"}


def test_a_named_schema_that_refers_on_stays_an_alias(tmp_path: Path) -> None:
    """A file's top-level key or a `schemas` member is a name the spec chose: kept."""
    schemas, _ = _schemas(
        tmp_path,
        {
            "api.yaml": HEAD + "paths: {}\ncomponents:\n  schemas:\n"
            "    Box: {type: object, properties: {a: {$ref: 'named.yaml#/Alias'}}}\n",
            "named.yaml": "User: {type: object}\nAlias: {$ref: '#/User'}\n",
        },
    )
    assert schemas["Alias"] == {"$ref": "#/components/schemas/User"}
    assert schemas["User"] == {"type": "object"}


def test_a_chain_back_into_the_root_document_links_there(tmp_path: Path) -> None:
    schemas, _ = _schemas(
        tmp_path,
        {
            "api.yaml": HEAD + "paths: {}\ncomponents:\n  schemas:\n"
            "    Local: {type: string}\n"
            "    Box: {type: object, properties: {a: {$ref: 'back.yaml'}}}\n",
            "back.yaml": "$ref: 'api.yaml#/components/schemas/Local'\n",
        },
    )
    assert set(schemas) == {"Local", "Box"}
    assert schemas["Box"]["properties"]["a"] == {"$ref": "#/components/schemas/Local"}
