"""AutoRest's `x-ms-paths` are paths (Azure specs overload a path and method with query keys
there: `/notes?op=archive`).

A helper's Swagger 2.0 probe: the operation under `x-ms-paths` was not generated, and nothing
said so. They join `paths` at load (Swagger 2.0 and OpenAPI 3 alike), where query-in-path keys
are read already (decisions 27); one repeating a key of `paths` is left out with a warning."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from apigen.diagnostics import Report
from apigen.spec import load_spec
from tests.builds import api_of

SPEC = {
    "swagger": "2.0",
    "info": {"title": "notes", "version": "1"},
    "host": "api.example.com",
    "schemes": ["https"],
    "paths": {
        "/notes": {
            "post": {"operationId": "Notes_Create", "responses": {"200": {"description": "ok"}}}
        }
    },
    "x-ms-paths": {
        "/notes?op=archive": {
            "post": {
                "operationId": "Notes_Archive",
                "parameters": [{"name": "id", "in": "query", "type": "string", "required": True}],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/notes": {
            "get": {"operationId": "Notes_List", "responses": {"200": {"description": "ok"}}}
        },
    },
}


def test_x_ms_paths_are_operations_and_a_repeated_one_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    path.write_text(yaml.safe_dump(SPEC))
    report = Report()
    document = load_spec(path, report=report).document
    assert list(document["paths"]) == ["/notes", "/notes?op=archive"]
    api = api_of(json.loads(json.dumps(document)))
    ops = {op.operation_id: op for op in api.operations}
    assert set(ops) == {"Notes_Create", "Notes_Archive"}
    assert (
        ops["Notes_Archive"].path == "/notes?op=archive" and ops["Notes_Archive"].method == "post"
    )
    (repeated,) = [w for w in report.warnings if w.kind == "paths"]
    assert repeated.pointer == "#/x-ms-paths/~1notes" and repeated.line is not None
    assert "left out" in repeated.action
