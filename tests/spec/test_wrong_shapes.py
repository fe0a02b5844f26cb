"""A document whose containers have the wrong JSON type builds (what it cannot read is left out,
as the validator reports) or fails with the document's problems, never an internal error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import apigen.pipeline as pipeline
from apigen.diagnostics import SpecError
from apigen.pipeline import build


def _doc(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {
            "/a": {
                "get": {
                    "operationId": "getA",
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": {"schemas": {"A": {"type": "object"}}},
    }
    doc.update(changes)
    return doc


def _write(tmp_path: Path, doc: dict[str, Any]) -> Path:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(doc))
    return spec


@pytest.mark.parametrize(
    "changes",
    [
        {"paths": {"/a": {"get": {"operationId": "getA", "responses": "x"}}}},
        {"components": []},
        {"components": {"schemas": "x"}},
        {"components": {"securitySchemes": 3}},
        {"security": 5},
        {
            "paths": {
                "/a": {
                    "post": {
                        "operationId": "postA",
                        "requestBody": {
                            "content": {
                                "multipart/form-data": {
                                    "schema": {"type": "object"},
                                    "encoding": "x",
                                }
                            }
                        },
                        "responses": {"200": {"description": "ok"}},
                    }
                }
            }
        },
        {
            "components": {
                "schemas": {
                    "A": {
                        "type": "object",
                        "properties": {"a": {"type": "string"}},
                        "required": [["a"], "a", 5],
                    },
                    "B": {"allOf": 5, "properties": {"b": {"type": "string"}}, "required": "b"},
                    "C": {"allOf": [{"$ref": "#/components/schemas/A"}], "required": [{}]},
                }
            }
        },
    ],
    ids=[
        "responses",
        "components",
        "schemas",
        "schemes",
        "security",
        "encoding",
        "required",
    ],
)
def test_a_container_of_the_wrong_type_reads_as_absent(
    tmp_path: Path, changes: dict[str, Any]
) -> None:
    result = build(_write(tmp_path, _doc(**changes)), tmp_path / "out" / "pkg")
    assert (tmp_path / "out" / "pkg" / "pkg" / "_client.py").exists()
    assert result.operations <= 1


def test_paths_of_the_wrong_type_stop_the_build_and_leave_the_client(tmp_path: Path) -> None:
    """A helper's hostile-input sweep: `paths: 5` read as absent built a client of no
    operation over a working one (its resources deleted, exit 0), the only word a validator
    crash ("failed here (KeyError: 'paths')"). A located error; the output is left as it was."""
    out = tmp_path / "out" / "pkg"
    build(_write(tmp_path, _doc()), out)
    before = sorted(p.name for p in (out / "pkg" / "resources").iterdir())
    with pytest.raises(SpecError) as info:
        build(_write(tmp_path, _doc(paths=5)), out)
    (d,) = info.value.diagnostics
    assert d.pointer == "#/paths" and "paths must be a mapping, not int" in d.message
    assert d.line is not None
    assert sorted(p.name for p in (out / "pkg" / "resources").iterdir()) == before


def test_a_crash_on_an_invalid_document_reports_the_document_s_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_args: Any, **_kwargs: Any) -> None:
        raise AttributeError("'str' object has no attribute 'items'")

    monkeypatch.setattr(pipeline, "_build_api", crash)
    doc = _doc()
    doc["paths"]["/a"]["get"]["responses"] = {"200": {"description": 5}}  # a schema violation
    with pytest.raises(SpecError) as info:
        build(_write(tmp_path, doc), tmp_path / "out" / "pkg")
    kinds = [d.kind for d in info.value.diagnostics]
    assert kinds[-1] == "unreadable" and len(kinds) > 1
    last = info.value.diagnostics[-1]
    assert last.severity == "error" and "AttributeError" in last.message
    assert any("/responses/200/description" in d.pointer for d in info.value.diagnostics)
    assert not (tmp_path / "out").exists()


def test_a_crash_on_a_valid_document_is_apigen_s_own_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_args: Any, **_kwargs: Any) -> None:
        raise AttributeError("boom")

    monkeypatch.setattr(pipeline, "_build_api", crash)
    with pytest.raises(AttributeError, match="boom"):
        build(_write(tmp_path, _doc()), tmp_path / "out" / "pkg")


def test_required_names_only_the_strings_it_lists(tmp_path: Path) -> None:
    from apigen.ir.nodes import required_names

    assert required_names([["a"], "a", 5, "b"]) == ["a", "b"]
    assert required_names("a") == [] and required_names(None) == []


@pytest.mark.parametrize(
    "operation",
    [
        {"responses": 1.5},
        {"parameters": 5, "responses": {"200": {"description": "ok"}}},
        {"parameters": "x", "responses": "x"},
        {"servers": 1, "responses": {"200": {"description": "ok"}}},  # fuzz-specs seed 18
        {"servers": [3, {"url": 5}], "responses": {"200": {"description": "ok"}}},
    ],
    ids=["responses", "parameters", "both", "servers", "server-items"],
)
def test_the_sandbox_serves_an_operation_whose_containers_have_the_wrong_type(
    operation: dict[str, Any],
) -> None:
    from apigen.sandbox import Sandbox

    doc = _doc(paths={"/a": {"parameters": 7, "get": operation}})
    reply = Sandbox(doc, seed=0).handle("GET", "/a", {}, b"")
    assert 200 <= reply.status < 600


def test_a_swagger_parameter_whose_name_is_no_string_overrides_nothing(tmp_path: Path) -> None:
    doc = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "host": "api.example.com",
        "paths": {
            "/a": {
                "parameters": [{"name": "q", "in": "query", "type": "string"}],
                "get": {
                    "operationId": "getA",
                    "parameters": [{"name": {"x": 1}, "in": "query", "type": "string"}],
                    "responses": {"200": {"description": "ok"}},
                },
            }
        },
    }
    try:
        build(_write(tmp_path, doc), tmp_path / "out" / "pkg")
    except SpecError as err:  # a clear refusal is fine; a crash is not
        assert all(d.file for d in err.diagnostics)
    else:
        assert (tmp_path / "out" / "pkg" / "pkg" / "_client.py").exists()


@pytest.mark.parametrize(
    ("parameter", "security"),
    [
        (  # a query array's collectionFormat that is an object (make fuzz-specs, seed 11)
            {
                "name": "q",
                "in": "query",
                "type": "array",
                "items": {"type": "string"},
                "collectionFormat": {"a": 1},
            },
            {},
        ),
        (  # a form field's
            {
                "name": "f",
                "in": "formData",
                "type": "array",
                "items": {"type": "string"},
                "collectionFormat": ["csv"],
            },
            {},
        ),
        (  # an OAuth2 flow that is an object
            {"name": "q", "in": "query", "type": "string"},
            {"o": {"type": "oauth2", "flow": {"x": 1}, "scopes": {}}},
        ),
    ],
)
def test_a_swagger_value_of_the_wrong_type_is_the_document_s_problem(
    tmp_path: Path, parameter: dict[str, Any], security: dict[str, Any]
) -> None:
    doc = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "host": "api.example.com",
        "securityDefinitions": security,
        "paths": {
            "/a": {
                "post": {
                    "operationId": "postA",
                    "consumes": ["application/x-www-form-urlencoded"],
                    "parameters": [parameter],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    findings: list[str] = []
    try:
        build(_write(tmp_path, doc), tmp_path / "out" / "pkg", on_diagnostic=findings.append)
    except SpecError as err:  # refused with the document's own findings
        assert err.diagnostics and all(d.file and d.pointer for d in err.diagnostics)
    else:  # built, with the wrong value reported
        assert findings, "the value of the wrong type went unreported"


def test_a_server_that_is_no_url_is_warned_about_and_never_crashes(tmp_path: Path) -> None:
    from apigen.sandbox import Sandbox

    doc = _doc(
        servers=[
            {
                "url": "https://{name}.example.com:{port}/v2",
                "variables": {"name": {"default": "demo"}, "port": {"default": {"allOf": []}}},
            }
        ]
    )
    doc["paths"]["/a"]["servers"] = [{"url": "https://[not-an-ip]/x"}]
    result = build(_write(tmp_path, doc), tmp_path / "out" / "pkg")
    warned = [d for d in result.report.items if d.kind == "servers"]
    assert any("no usable default" in d.message and d.pointer == "#/servers/0" for d in warned)
    assert Sandbox({**doc, "servers": [{"url": "https://[x]/v1"}]}, seed=0).router.prefix == ""


def test_a_ref_naming_a_nul_is_refused_with_its_pointer(tmp_path: Path) -> None:
    doc = _doc()
    doc["paths"]["/a"]["get"]["parameters"] = [{"$ref": "\x00"}]
    with pytest.raises(SpecError) as info:
        build(_write(tmp_path, doc), tmp_path / "out" / "pkg")
    (error,) = [d for d in info.value.diagnostics if d.severity == "error"]
    assert "NUL" in error.message and error.pointer.endswith("/parameters/0/$ref")


@pytest.mark.parametrize(
    "schema",
    [
        {
            "type": "object",
            "properties": {"stock": {"$ref": "#/components/schemas/A", "allOf": True}},
        },
        {"type": "object", "properties": {"n": {"type": "integer", "allOf": 3}}},
        {"type": "object", "required": True, "properties": {"n": {"type": "integer"}}},
        {"type": "object", "allOf": True, "properties": {"n": {"type": "integer"}}},
        {"anyOf": 1, "oneOf": "x", "type": "object"},
    ],
    ids=["ref-sibling-allOf", "property-allOf", "required-true", "allOf-true", "anyOf-oneOf"],
)
def test_the_sandbox_answers_a_schema_whose_lists_have_the_wrong_type(schema: Any) -> None:
    """`allOf`, `anyOf`, `oneOf` and `required` that are no arrays (fuzz-specs seed 45: `allOf:
    true` beside a `$ref`, which 3.0 ignores, so the build only warns) read as absent: the
    sandbox answered 500 "sandbox failure"."""
    from apigen.sandbox import Sandbox

    responses = {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}
    doc = _doc(paths={"/a": {"get": {"operationId": "getA", "responses": responses}}})
    reply = Sandbox(doc, seed=0).handle("GET", "/a", {}, b"")
    assert reply.status == 200


@pytest.mark.parametrize(
    "operation",
    [
        {"tags": 5, "responses": {"200": {"description": "ok"}}},
        {"parameters": 1.5, "responses": {"200": {"description": "ok"}}},
    ],
    ids=["tags", "parameters"],
)
def test_an_operation_list_of_the_wrong_type_is_read_as_absent(
    tmp_path: Path, operation: dict[str, Any]
) -> None:
    """fuzz-specs seeds 44-47: the IR iterated `tags: 5` and `parameters: 1.5`; the TypeError
    only read as "apigen could not read this document" because the validator also objected.
    Now the client is built, and the validator's finding says what was left out."""
    doc = _doc(paths={"/a": {"get": {"operationId": "getA", **operation}}})
    result = build(_write(tmp_path, doc), tmp_path / "out" / "pkg")
    assert result.operations == 1
    assert any(d.pointer.startswith("#/paths/~1a/get/") for d in result.report.items)


def _two_files(tmp_path: Path, root: dict[str, Any], other: str) -> Path:
    (tmp_path / "ext.yaml").write_text(other)
    return _write(tmp_path, root)


def _ref_root(ref: str, **changes: Any) -> dict[str, Any]:
    ok = {"description": "ok", "content": {"application/json": {"schema": {"$ref": ref}}}}
    paths = {"/a": {"get": {"operationId": "getA", "responses": {"200": ok}}}}
    return _doc(paths=paths, **changes)


@pytest.mark.parametrize("other", ["S: 42\n", "S: null\n", "S: text\n", "S: 1.5\n", ""])
def test_a_ref_to_a_scalar_in_another_file_is_a_located_finding(tmp_path: Path, other: str) -> None:
    """A helper's multi-file sweep: the bundler walked the inlined scalar (`TypeError: 'int'
    object is not iterable`), "internal error" from `build` and a traceback from `check`."""
    ref = "ext.yaml#/S" if other else "ext.yaml"
    spec = _two_files(tmp_path, _ref_root(ref), other)
    result = build(spec, tmp_path / "out")
    found = [d for d in result.report.items if d.file.endswith("ext.yaml")]
    assert found, result.report.items
    assert found[0].pointer == ("#/S" if other else "#")


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"components": []}, "#/components"),
        ({"components": "x"}, "#/components"),
        ({"components": {"schemas": []}}, "#/components/schemas"),
    ],
)
def test_a_bundle_with_no_mapping_to_hold_other_files_schemas_is_a_located_error(
    tmp_path: Path, changes: dict[str, Any], pointer: str
) -> None:
    spec = _two_files(tmp_path, _ref_root("ext.yaml#/X", **changes), "X: {type: string}\n")
    with pytest.raises(SpecError) as raised:
        build(spec, tmp_path / "out")
    (item,) = raised.value.diagnostics
    assert (Path(item.file).name, item.pointer) == ("spec.json", pointer)
    assert "not a mapping" in item.message


def test_schemas_left_empty_in_yaml_take_the_schemas_of_other_files(tmp_path: Path) -> None:
    """`components: {schemas: }` (YAML's null) is an empty map, not an error."""
    root = _ref_root("ext.yaml#/X", components={"schemas": None})
    spec = _two_files(tmp_path, root, "X: {type: string}\n")
    assert build(spec, tmp_path / "out").operations == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_ref_to_a_fifo_is_a_warning_not_a_read_that_blocks(tmp_path: Path) -> None:
    """A helper's sweep: `check` and `build` waited for ever on a FIFO a `$ref` named. In a
    child with a time limit, so a regression fails instead of hanging the suite."""
    os.mkfifo(tmp_path / "ext.yaml")
    spec = _write(tmp_path, _ref_root("ext.yaml#/X"))
    done = subprocess.run(
        [sys.executable, "-m", "apigen", "check", str(spec)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1 warning(s): 1 ref" in done.stderr  # the ref, left `Any` (it did not block)
