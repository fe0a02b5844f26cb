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
            "get": {"operationId": "Notes_List", "responses": {"200": {"description": "ok"}}},
            "post": {"operationId": "Notes_Again", "responses": {"200": {"description": "ok"}}},
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
    # the path both declare: its methods join (GET), the one both declare is the paths' (POST)
    assert set(ops) == {"Notes_Create", "Notes_Archive", "Notes_List"}
    assert (
        ops["Notes_Archive"].path == "/notes?op=archive" and ops["Notes_Archive"].method == "post"
    )
    (repeated,) = [w for w in report.warnings if w.kind == "paths"]
    assert repeated.pointer == "#/x-ms-paths/~1notes" and repeated.line is not None
    assert "left out" in repeated.action and "POST /notes" in repeated.message


def test_their_refs_are_bundled_and_checked_as_paths_refs(tmp_path: Path) -> None:
    """A helper's review: merged after bundling, an `x-ms-paths` operation's external ref (an
    Azure `common-types` parameter) was never read (a required `api-version` gone, its error
    model Any) and a dangling ref raised `KeyError`; and `Sandbox(mapping)` left them out."""
    from apigen.sandbox import Sandbox

    common = {
        "parameters": {
            "ApiVersion": {"name": "api-version", "in": "query", "required": True, "type": "string"}
        }
    }
    (tmp_path / "common.json").write_text(json.dumps(common))
    spec = json.loads(json.dumps(SPEC))
    archive = spec["x-ms-paths"]["/notes?op=archive"]["post"]
    archive["parameters"] += [
        {"$ref": "./common.json#/parameters/ApiVersion"},
        {"$ref": "#/parameters/Missing"},
    ]
    path = tmp_path / "notes.json"
    path.write_text(json.dumps(spec))
    report = Report()
    document = load_spec(path, report=report).document
    params = document["paths"]["/notes?op=archive"]["post"]["parameters"]
    assert {
        "name": "api-version",
        "in": "query",
        "required": True,
        "schema": {"type": "string"},
    } in params
    (dangling,) = [w for w in report.warnings if w.kind == "ref"]
    assert dangling.action == "parameter left out"
    with Sandbox(json.loads(json.dumps(SPEC))) as sandbox:
        import httpx

        answered = httpx.post(f"{sandbox.url}/notes?op=archive&id=7", timeout=10)
        assert answered.status_code == 200
