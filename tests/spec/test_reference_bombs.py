"""Reference bombs: small documents whose `$ref`s, followed, multiply (spec/expansion.py and the
bundler's inlining budget). Each once hung `check`, `build` or the sandbox; the commands run in
a child with a time limit, so a regression fails instead of hanging the suite."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from apigen.diagnostics import Report, SpecError
from apigen.sandbox import Sandbox
from apigen.spec.expansion import MAX_EXPANDED, expanded_sizes, first_bomb
from apigen.spec.load import load_spec
from apigen.spec.validate_fast import fast_errors


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _all_of_diamond(levels: int) -> dict[str, Any]:
    """`A0: allOf: [A1, A1]`, ... `A{levels-1}`: an object; 2^levels schemas expanded."""
    schemas: dict[str, Any] = {
        f"A{i}": {"allOf": [_ref(f"A{i + 1}"), _ref(f"A{i + 1}")]} for i in range(levels - 1)
    }
    schemas[f"A{levels - 1}"] = {
        "type": "object",
        "required": ["z"],
        "properties": {"z": {"type": "string"}},
    }
    body = {"content": {"application/json": {"schema": _ref("A0")}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "bomb", "version": "1"},
        "servers": [{"url": "https://api.example.test"}],
        "paths": {
            "/x": {
                "post": {
                    "operationId": "make",
                    "requestBody": body,
                    "responses": {"200": {"description": "ok", **body}},
                }
            }
        },
        "components": {"schemas": schemas},
    }


def _apigen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apigen", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
    )


@pytest.mark.parametrize("command", ["check", "build"])
def test_an_all_of_diamond_is_refused_where_it_starts(tmp_path: Path, command: str) -> None:
    """30 levels of `allOf: [$ref next, $ref next]`: openapi-spec-validator's walk, jsonschema
    (the sandbox's request validation) and the sandbox's paging probe checked a value 2^30
    times. Refused at its outermost schema, with the file and line."""
    (tmp_path / "spec.json").write_text(json.dumps(_all_of_diamond(30), indent=1))
    args = ["build", "spec.json", "-o", "out"] if command == "build" else ["check", "spec.json"]
    done = _apigen(*args, cwd=tmp_path)
    assert done.returncode != 0
    assert "spec.json:" in done.stderr and "#/components/schemas/A0:" in done.stderr
    assert f"more than {MAX_EXPANDED:,} schemas" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()


def test_the_sandbox_refuses_an_all_of_diamond(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(_all_of_diamond(30)))
    with pytest.raises(SpecError, match=r"#/components/schemas/A0: .* reference bomb"):
        Sandbox(spec)


def test_a_small_diamond_builds_and_the_sandbox_judges_it(tmp_path: Path) -> None:
    """Below the limit (2^8 schemas) the same shape is an ordinary spec."""
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(_all_of_diamond(8)))
    sandbox = Sandbox(spec, seed=1)
    headers = {"content-type": "application/json"}
    assert sandbox.handle("POST", "/x", headers, b'{"z": "q"}').status == 200
    assert sandbox.handle("POST", "/x", headers, b'{"z": 1}').status == 400


def test_expanded_sizes_count_each_naming_and_a_cycle_once() -> None:
    doc = {
        "components": {
            "schemas": {
                "P": {"allOf": [_ref("C"), _ref("D")]},
                "C": {"allOf": [_ref("D"), _ref("D")]},
                "D": {"oneOf": [{"type": "string"}, _ref("P")]},  # back to P: counted once
            }
        }
    }
    sizes = expanded_sizes(doc, ["#/components/schemas/P"])
    assert sizes == {
        "#/components/schemas/D": 2,
        "#/components/schemas/C": 5,
        "#/components/schemas/P": 8,
    }
    assert first_bomb(doc, sizes) is None
    deep = _all_of_diamond(20)
    bomb = first_bomb(deep, [f"#/components/schemas/A{i}" for i in (5, 0, 3)])
    assert bomb == ("#/components/schemas/A0", 2**20 - 1)


def test_the_fast_validator_collects_a_diamond_s_properties_once() -> None:
    """Its property collection (the library's, without a memory) is remembered per schema:
    defence in depth behind the load-time refusal, for a document handed to it directly."""
    doc = _all_of_diamond(40)
    doc["components"]["schemas"]["A0"]["required"] = ["z", "missing"]
    errors = [str(e) for e in fast_errors(doc, "3.0.3")]
    assert errors == ["Required list has not defined properties: ['missing']"]


def test_a_multi_file_diamond_of_inlined_refs_is_refused(tmp_path: Path) -> None:
    """Non-schema `$ref`s to another file are inlined at each use: examples naming the next
    twice, 24 deep, were 16 M copies (the build never ended). Refused at the ref where the
    copies pass the budget, in the file it is written in."""
    examples: dict[str, Any] = {
        f"E{i}": {"value": {"a": {"$ref": f"#/E{i + 1}"}, "b": {"$ref": f"#/E{i + 1}"}}}
        for i in range(23)
    }
    examples["E23"] = {"value": 1}
    (tmp_path / "examples.json").write_text(json.dumps(examples, indent=1))
    spec = _all_of_diamond(1)
    media = spec["paths"]["/x"]["post"]["requestBody"]["content"]["application/json"]
    media["examples"] = {"a": {"$ref": "examples.json#/E0"}}
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    done = _apigen("check", "spec.json", cwd=tmp_path)
    assert done.returncode != 0
    assert "examples.json:" in done.stderr and "reference bomb" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_file_inlined_many_times_is_not_a_bomb(tmp_path: Path) -> None:
    """A shared parameter file named by many operations is copied at each: ordinary reuse."""
    (tmp_path / "common.json").write_text(
        json.dumps({"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}})
    )
    spec = _all_of_diamond(1)
    spec["paths"] = {
        f"/r{i}": {
            "get": {
                "operationId": f"get{i}",
                "parameters": [{"$ref": "common.json#/Limit"}],
                "responses": {"200": {"description": "ok"}},
            }
        }
        for i in range(300)
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    loaded = load_spec(tmp_path / "spec.json", report=Report())
    assert loaded.document["paths"]["/r299"]["get"]["parameters"][0]["name"] == "limit"


def test_a_deep_diamond_is_refused_before_its_depth_makes_each_copy_dear(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A helper's sweep: 40 levels of a header whose content's encoding names the next level
    twice (non-schema refs: inlined) were refused only after 80,000 copies at pointers 300
    segments deep (30 s, 300 MB; 200 s and 2.3 GB with a padding list that raised the ratio's
    allowance). Each copy counts the depth it is written at and the chain it sits in too."""
    import apigen.spec.bundle as bundle

    levels = {
        f"H{i}": {
            "content": {
                "application/json": {
                    "schema": {"type": "string"},
                    "encoding": {
                        "e": {
                            "headers": {"A": {"$ref": f"#/H{i + 1}"}, "B": {"$ref": f"#/H{i + 1}"}}
                        }
                    },
                }
            }
        }
        for i in range(40)
    }
    levels["H40"] = {"schema": {"type": "string"}}
    levels["x-pad"] = [[] for _ in range(100_000)]  # containers: what the ratio allows for
    (tmp_path / "h.json").write_text(json.dumps(levels))
    spec = _all_of_diamond(1)
    spec["paths"]["/x"]["post"]["responses"]["200"]["headers"] = {"X": {"$ref": "h.json#/H0"}}
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    copies = 0
    copy = bundle.copy_counted

    def counted(value: Any) -> tuple[Any, int]:
        nonlocal copies
        copies += 1
        return copy(value)

    monkeypatch.setattr(bundle, "copy_counted", counted)
    with pytest.raises(SpecError, match="reference bomb"):
        load_spec(tmp_path / "spec.json", report=Report())
    assert copies < 40_000, copies
