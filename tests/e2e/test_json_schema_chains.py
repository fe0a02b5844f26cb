"""`Model.model_json_schema()` over long chains of lazily referenced models: each named model
was generated inside the last, and a chain of ~30 ran out of stack (`RecursionError`; 10 of
Stripe's models, `treasury.credit_reversal` among them). The schema is unchanged for short
chains and cycles."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from tests.builds import build_into, on_path

LENGTH = 80


def _spec() -> dict[str, object]:
    schemas: dict[str, object] = {}
    for i in range(LENGTH):
        props: dict[str, object] = {"name": {"type": "string"}}
        if i + 1 < LENGTH:
            props["next"] = {"$ref": f"#/components/schemas/S{i + 1}"}
        schemas[f"S{i}"] = {"type": "object", "properties": props}
    schemas["Loop"] = {  # a cycle through two models
        "type": "object",
        "properties": {"other": {"$ref": "#/components/schemas/Pool"}},
    }
    schemas["Pool"] = {
        "type": "object",
        "properties": {"other": {"$ref": "#/components/schemas/Loop"}},
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Chains", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def test_a_long_chain_of_models_has_a_json_schema(tmp_path: Path) -> None:
    spec = tmp_path / "chains.json"
    spec.write_text(json.dumps(_spec()))
    build_into(spec, tmp_path / "out", name="chains")
    with on_path(tmp_path / "out", "chains"):
        models = importlib.import_module("chains.models")
        schema = models.S0.model_json_schema()
        assert sorted(schema["$defs"]) == sorted(f"S{i}" for i in range(1, LENGTH))
        assert {"$ref": "#/$defs/S1"} in schema["properties"]["next"]["anyOf"]
        last = schema["$defs"][f"S{LENGTH - 1}"]
        assert set(last["properties"]) == {"name"}
        loop = models.Loop.model_json_schema()
        assert loop["$ref"] == "#/$defs/Loop"  # (a model in a cycle: pydantic's own shape)
        assert {"$ref": "#/$defs/Pool"} in loop["$defs"]["Loop"]["properties"]["other"]["anyOf"]
        assert {"$ref": "#/$defs/Loop"} in loop["$defs"]["Pool"]["properties"]["other"]["anyOf"]
