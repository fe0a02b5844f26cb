"""IR fields: each is read by something (a field nobody reads is removed), and the passes decide
from the IR's own fields (`FieldDef.read_only`) by one rule shared with the request body."""

from __future__ import annotations

import ast
import re
from dataclasses import fields, is_dataclass
from pathlib import Path

import yaml

from apigen.ir import Api, nodes
from apigen.ir.nodes import ModelDef
from tests.builds import ir_of

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "generator" / "apigen"
TEMPLATES = ROOT / "templates"

# Fields kept although nothing in the generator or templates reads them: for users of the IR
# (`apigen.pipeline.build_ir`, custom renderers). Each entry says why; keep it short.
KEPT_FOR_IR_USERS: dict[str, str] = {}


def _ir_fields() -> list[tuple[str, str]]:
    """(class, field) for every dataclass of `apigen.ir.nodes`."""
    return [
        (cls.__name__, f.name)
        for cls in vars(nodes).values()
        if isinstance(cls, type) and is_dataclass(cls) and cls.__module__ == nodes.__name__
        for f in fields(cls)
    ]


def _reads() -> set[str]:
    """Attribute names read anywhere in the generator but nodes.py (`x.name` loads, `getattr`,
    `case Cls(name=...)`), names the renderer reads through a table of strings (`getattr(p,
    name)` over `("items", "has_more", ...)`), and `.name` in the templates."""
    names: set[str] = set()
    for path in GENERATOR.rglob("*.py"):
        if path == GENERATOR / "ir" / "nodes.py":
            continue
        renderer = GENERATOR / "render" in path.parents
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                names.add(node.attr)
            elif isinstance(node, ast.MatchClass):
                names.update(node.kwd_attrs)
            elif renderer and isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
            ):
                names.add(str(node.args[1].value))
    for path in TEMPLATES.rglob("*.jinja"):
        names.update(re.findall(r"\.(\w+)", path.read_text()))
    return names


def test_every_ir_field_is_read() -> None:
    reads = _reads()
    unread = [
        f"{cls}.{name}"
        for cls, name in _ir_fields()
        if name not in reads and f"{cls}.{name}" not in KEPT_FOR_IR_USERS
    ]
    assert not unread, (
        f"IR fields nothing reads: {unread}; remove them (and their writers) or list them in "
        "KEPT_FOR_IR_USERS with the reason"
    )


def test_the_scan_sees_reads_and_misses_the_unread() -> None:
    reads = _reads()
    assert {"read_only", "fields", "async_class_name", "reverse_param", "result_status"} <= reads
    assert "write_only" not in reads and "no_such_field" not in reads
    assert set(KEPT_FOR_IR_USERS) <= {f"{c}.{n}" for c, n in _ir_fields()}  # no stale entries


# --- readOnly: one rule for model fields and the fields of a flattened request body ------------

SPEC = {
    "info": {"title": "Things", "version": "1"},
    "paths": {
        "/things": {
            "post": {
                "operationId": "createThing",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                    }
                },
                "responses": {"204": {"description": "made"}},
            }
        }
    },
    "components": {
        "schemas": {
            "Id": {"type": "integer", "readOnly": True},
            "Plain": {"type": "string"},
            "Thing": {
                "type": "object",
                "properties": {
                    "id": {"$ref": "#/components/schemas/Id"},  # read-only where it points
                    "stamp": {"type": "string", "readOnly": True},
                    "name": {"type": "string"},
                    "label": {"$ref": "#/components/schemas/Plain"},
                },
            },
        }
    },
}


def _build(tmp_path: Path, version: str, extra: dict[str, object] | None = None) -> Api:
    spec = yaml.safe_load(yaml.safe_dump(SPEC))
    spec["openapi"] = version
    spec["components"]["schemas"]["Thing"]["properties"].update(extra or {})
    return ir_of(tmp_path, spec, "things")


def test_read_only_fields_are_left_out_of_the_body(tmp_path: Path) -> None:
    api = _build(tmp_path, "3.0.3")
    thing = api.definitions[api.components["Thing"]]
    assert isinstance(thing, ModelDef)
    flags = {f.wire_name: f.read_only for f in thing.fields}
    assert flags == {"id": True, "stamp": True, "name": False, "label": False}
    (op,) = api.operations
    sent = {p.wire_name for p in op.params if p.location == "field"}
    assert sent == {name for name, read_only in flags.items() if not read_only}


def test_read_only_beside_a_ref_counts_in_3_1(tmp_path: Path) -> None:
    beside = {"$ref": "#/components/schemas/Plain", "readOnly": True}
    api = _build(tmp_path, "3.1.0", {"made": beside})
    thing = api.definitions[api.components["Thing"]]
    assert isinstance(thing, ModelDef)
    assert {f.wire_name for f in thing.fields if f.read_only} == {"id", "stamp", "made"}
    (op,) = api.operations
    assert {p.wire_name for p in op.params if p.location == "field"} == {"name", "label"}
