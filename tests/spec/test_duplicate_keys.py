"""A key written twice in one object: the parsers' last value is kept, and the spec is told."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from apigen.cli import main
from apigen.diagnostics import Diagnostic, Report
from apigen.spec import load_spec, validate_spec
from apigen.spec.duplicate_keys import json_repeats

_HEAD = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\n'
_OP = '    get:\n      operationId: {}\n      responses: {{"200": {{description: ok}}}}\n'


def _repeats(path: Path) -> tuple[dict[str, object], list[Diagnostic]]:
    report = Report()
    spec = load_spec(path, report=report)
    validate_spec(spec, report=report)
    return spec.document, [d for d in report.items if d.kind == "duplicate-key"]


def test_a_yaml_path_written_twice_is_named_at_the_repeat(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(_HEAD + "paths:\n  /a:\n" + _OP.format("one") + "  /a:\n" + _OP.format("two"))
    doc, found = _repeats(spec)
    assert [(d.file, d.pointer, d.line, d.severity) for d in found] == [
        (str(spec), "#/paths/~1a", 8, "warning")
    ]
    assert "'/a' is written more than once" in found[0].message
    assert doc["paths"]["/a"]["get"]["operationId"] == "two"  # the parsers' reading, kept


def test_a_json_key_written_twice_is_found_by_validation(tmp_path: Path) -> None:
    pet = '{"type": "object", "properties": {"id": {"type": "string"}, "id": {"type": "integer"}}}'
    spec = tmp_path / "api.json"
    spec.write_text(
        '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},\n'
        f'"components": {{"schemas": {{"Pet":\n{pet}}}}}}}\n'
    )
    doc, found = _repeats(spec)
    assert [(d.pointer, d.line) for d in found] == [("#/components/schemas/Pet/properties/id", 3)]
    assert doc["components"]["schemas"]["Pet"]["properties"]["id"] == {"type": "integer"}


def test_repeats_inside_lists_and_escaped_keys_have_exact_pointers() -> None:
    text = json.dumps({"a/b": [{"x": 1}, "k"]}).replace('{"x": 1}', '{"x": 1, "x": 2}')
    text = text[:-1] + ', "m~n": {"y": 1, "y": 2, "y": 3}}'
    assert json_repeats(text) == [
        ("#/a~1b/0/x", "x", None),
        ("#/m~0n/y", "y", None),
        ("#/m~0n/y", "y", None),
    ]
    assert json_repeats('{"a": 1, "b": 2}') == []
    assert json_repeats("a: 1") == []  # not JSON: its parser (YAML) reports its own


def test_a_referenced_file_s_repeat_names_that_file(tmp_path: Path) -> None:
    (tmp_path / "pet.yaml").write_text("type: object\ntype: object\n")
    (tmp_path / "tag.json").write_text('{"type": "string",\n"type": "string"}')
    spec = tmp_path / "api.yaml"
    spec.write_text(
        _HEAD + "paths: {}\ncomponents:\n  schemas:\n"
        "    Pet: {$ref: 'pet.yaml'}\n    Tag: {$ref: 'tag.json'}\n"
    )
    _, found = _repeats(spec)
    assert sorted((Path(d.file).name, d.pointer, d.line) for d in found) == [
        ("pet.yaml", "#/type", 2),
        ("tag.json", "#/type", 1),
    ]


def test_a_key_overriding_a_merge_key_s_is_no_repeat(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        _HEAD + "paths: {}\ncomponents:\n  schemas:\n"
        "    Base: &base {type: object, description: base}\n"
        "    Derived:\n      <<: *base\n      description: derived\n"
        "    Twice:\n      <<: *base\n      description: one\n      description: two\n"
    )
    doc, found = _repeats(spec)
    assert [(d.pointer, d.line) for d in found] == [("#/components/schemas/Twice/description", 13)]
    schemas = doc["components"]["schemas"]
    assert schemas["Derived"] == {"type": "object", "description": "derived"}
    assert schemas["Twice"]["description"] == "two"


def test_strict_refuses_a_spec_with_a_repeated_key(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(_HEAD + _HEAD + "paths: {}\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(out), "--strict"])
    assert result.exit_code != 0
    assert f"{spec}:3: error: #/openapi: key 'openapi' is written more than once" in (result.output)
    assert not out.exists()
    lenient = CliRunner().invoke(main, ["build", str(spec), "-o", str(out)])
    assert lenient.exit_code == 0, lenient.output
    assert "2 duplicate-key" in lenient.output  # openapi and info


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_no_repeat_no_warning(tmp_path: Path, suffix: str) -> None:
    spec = tmp_path / f"api{suffix}"
    spec.write_text(
        json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}})
    )
    assert _repeats(spec)[1] == []
