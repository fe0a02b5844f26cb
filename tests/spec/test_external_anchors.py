"""OpenAPI 3.1's plain-name fragments (`#money`, JSON Schema's `$anchor`) in and into other
files. A helper's sweep: they worked in the root file only; in `defs.yaml` (`$ref: '#money'`)
or naming one there (`defs.yaml#money`) the build stopped: "the part after '#' is not a JSON
pointer"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigen.diagnostics import Report, SpecError
from apigen.spec import load_spec

DEFS = """\
Pet:
  type: object
  properties:
    price: {$ref: '#money'}
Money:
  $anchor: money
  type: object
  properties:
    amount: {type: integer}
"""


def _root(folder: Path, ref: str) -> Path:
    (folder / "defs.yaml").write_text(DEFS)
    spec = folder / "api.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n"
        "    P: {$ref: 'defs.yaml#/Pet'}\n"
        f"    M: {{$ref: '{ref}'}}\n"
    )
    return spec


def _follow(doc: dict[str, Any], node: Any) -> Any:
    """`node`, its `$ref`s into `doc` followed."""
    while isinstance(node, dict) and "$ref" in node:
        ref: str = node["$ref"]
        assert ref.startswith("#/"), ref
        node = doc
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
    return node


def test_an_anchor_in_and_into_another_file_is_the_schema_it_names(tmp_path: Path) -> None:
    doc = load_spec(_root(tmp_path, "defs.yaml#money"), report=Report()).document
    schemas = doc["components"]["schemas"]
    money = {"$anchor": "money", "type": "object", "properties": {"amount": {"type": "integer"}}}
    pet = _follow(doc, schemas["P"])
    assert _follow(doc, pet["properties"]["price"]) == money
    assert _follow(doc, schemas["M"]) == money


def test_an_anchor_no_schema_declares_is_reported_where_it_is_named(tmp_path: Path) -> None:
    report = Report()
    try:
        load_spec(_root(tmp_path, "defs.yaml#cash"), report=report)
        found = report.items
    except SpecError as err:
        found = err.diagnostics
    (d,) = [d for d in found if "cash" in d.message]
    assert d.pointer == "#/components/schemas/M/$ref" and "$anchor" in d.message


@pytest.mark.parametrize("ref", ["defs.yaml#/Money"])
def test_pointers_still_work_beside_anchors(tmp_path: Path, ref: str) -> None:
    doc = load_spec(_root(tmp_path, ref), report=Report()).document
    assert _follow(doc, doc["components"]["schemas"]["M"])["type"] == "object"
