"""Reading bytes into a document: JSON or YAML by content, JSON-only YAML types, safety limits."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from apigen.diagnostics import Report, SpecError
from apigen.spec import LoadedSpec, load_spec

from .conftest import FIXTURES


def load(path: Path, report: Report | None = None) -> LoadedSpec:
    return load_spec(path, report=report if report is not None else Report())


def fatal(path: Path) -> SpecError:
    with pytest.raises(SpecError) as info:
        load(path)
    return info.value


def test_yaml_dates_stay_strings_and_keys_become_strings() -> None:
    doc = load(FIXTURES / "scalars.yaml").document
    assert doc["info"]["version"] == "2021-01-01"
    since = doc["paths"]["/events"]["get"]["parameters"][0]["schema"]
    assert since["example"] == "2020-01-01"
    assert since["default"] == "2020-01-01T10:00:00Z"
    assert list(doc["paths"]["/events"]["get"]["responses"]) == ["200", "404"]


def test_yaml_resolves_only_json_scalars() -> None:
    doc = load(FIXTURES / "scalars.yaml").document
    params = doc["paths"]["/events"]["get"]["parameters"]
    # YAML 1.1 booleans (yes/no/on/off) are plain strings, as in JSON-minded YAML 1.2
    assert params[1]["schema"]["enum"] == ["yes", "no", "on", "off", "y", "n"]
    # YAML 1.2 ints: 0777 is decimal, 0x1F hex
    assert params[2]["schema"]["default"] == 777
    assert params[2]["schema"]["maximum"] == 31
    props = doc["components"]["schemas"]["Numbers"]["properties"]
    assert props["ratio"]["default"] == 1.5 and props["ratio"]["maximum"] == 1000.0
    assert props["nothing"]["default"] is None and props["nothing"]["nullable"] is True
    assert props["infinite"]["default"] == ".inf"  # no JSON spelling for infinity
    assert props["flag"]["default"] is True


def test_anchors_aliases_and_merge_keys_load() -> None:
    doc = load(FIXTURES / "anchors.yaml").document
    ok = doc["paths"]["/a"]["get"]["responses"]["200"]
    assert doc["paths"]["/b"]["get"]["responses"]["200"] == ok
    merged = doc["paths"]["/c"]["get"]["responses"]["200"]
    assert merged["description"] == "also ok" and merged["content"] == ok["content"]
    assert doc["components"]["schemas"]["Thing"]["properties"]["id"] == {"type": "integer"}


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["openapi: 3.0.3", "info: {title: bomb, version: '1'}", "paths: {}", "x-bomb:"]
    lines.append('  l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]')
    for i in range(1, 10):
        refs = ",".join([f"*l{i - 1}"] * 9)
        lines.append(f"  l{i}: &l{i} [{refs}]")
    spec = tmp_path / "bomb.yaml"
    spec.write_text("\n".join(lines) + "\n")
    start = time.process_time()  # CPU: wall time fails on a busy machine
    err = fatal(spec)
    assert time.process_time() - start < 2.0
    (d,) = err.diagnostics
    assert d.kind == "yaml-alias" and "alias" in d.message and d.file == str(spec)


def test_anchors_aliasing_each_other_steeply_are_refused(tmp_path: Path) -> None:
    """A helper's fuzzing: 119 nodes of schemas aliasing the one before 8 times each expanded
    to 556,415 nodes (under the 1M cap): 42,798 inline models and a 105 s build."""
    lines = ["openapi: 3.0.3", "info: {title: steep, version: '1'}", "paths: {}"]
    lines += ["components:", "  schemas:", "    S0: &s0 {type: object}"]
    for i in range(1, 6):  # 8**5 times S0: under the 1M-node cap
        props = ", ".join(f"p{j}: *s{i - 1}" for j in range(8))
        lines.append(f"    S{i}: &s{i} {{type: object, properties: {{{props}}}}}")
    spec = tmp_path / "steep.yaml"
    spec.write_text("\n".join(lines) + "\n")
    (d,) = fatal(spec).diagnostics
    assert d.kind == "yaml-alias" and "written nodes to" in d.message
    # the same shape three levels deep still loads
    spec.write_text("\n".join(lines[:-2]) + "\n")
    assert "S3" in load(spec).document["components"]["schemas"]


def test_an_alias_bomb_of_text_is_refused(tmp_path: Path) -> None:
    """A helper's sweep: few nodes (100,000 expanded, under the node cap), each a 100 KB string:
    the sandbox spent 18 s serialising the example, then answered 500 (MemoryError)."""
    lines = ["openapi: 3.0.3", "info: {title: bomb, version: '1'}", "paths: {}", "x-bomb:"]
    lines.append('  a0: &a0 "' + "x" * 100_000 + '"')
    for i in range(1, 6):
        lines.append(f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    spec = tmp_path / "bomb.yaml"
    spec.write_text("\n".join(lines) + "\n")
    (d,) = fatal(spec).diagnostics
    assert d.kind == "yaml-alias" and "characters of text" in d.message


def test_aliases_of_long_text_within_bounds_load(tmp_path: Path) -> None:
    text = "x" * 100_000
    spec = tmp_path / "ok.yaml"
    spec.write_text(
        f"openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n"
        f'x-a: &a "{text}"\nx-b: [*a, *a, *a]\n'
    )
    assert load(spec).document["x-b"] == [text] * 3


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    spec = tmp_path / "loop.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-loop: &a [1, *a]\n"
    )
    (d,) = fatal(spec).diagnostics
    assert d.kind == "yaml-alias" and "recursive" in d.message


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_deep_nesting_loads_without_recursion_error(tmp_path: Path, suffix: str) -> None:
    depth = 2000
    schema = '{"type": "string"}'
    for _ in range(depth):
        schema = '{"type": "array",\n"items": ' + schema + "}"
    text = (
        '{"openapi": "3.0.3", "info": {"title": "deep", "version": "1"}, "paths": {},'
        ' "components": {"schemas": {"Deep": '
        + schema
        + ', "Ref": {"$ref": "#/components/schemas/Deep"}}}}'
    )
    if suffix == ".yaml":  # past libyaml's 1,000 levels the pure-Python parser takes over
        flow = schema.replace('"', "")
        text = "openapi: 3.0.3\ninfo: {title: deep, version: '1'}\npaths: {}\ncomponents:\n"
        text += "  schemas:\n    Ref: {$ref: '#/components/schemas/Deep'}\n    Deep: " + flow + "\n"
    spec = tmp_path / f"deep{suffix}"
    spec.write_text(text)
    loaded = load(spec)
    node = loaded.document["components"]["schemas"]["Deep"]
    for _ in range(depth):
        node = node["items"]
    assert node == {"type": "string"}
    file, line = loaded.locate("#/components/schemas/Deep" + "/items" * depth)
    assert file == str(spec) and line is not None and line > depth


def test_yaml_nested_past_what_the_slow_parser_is_given_is_refused(tmp_path: Path) -> None:
    """A helper's hostile-input sweep: past libyaml's 1,000 levels the pure-Python parser took
    time quadratic in the depth (25 s at 3,000 flow levels, 102 s at 10,000, hours at 100,000:
    `check` and `build` hung). Deeper than 2,500 levels is refused at once; a comment or a
    quoted `[` does not count."""
    from apigen.spec.yaml_load import MAX_YAML_DEPTH, flow_depth

    assert flow_depth("a: '[[[' # {{{\nb: [[1], {c: \"]\"}]\n") == 2
    spec = tmp_path / "deep.yaml"
    head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-deep: "
    spec.write_text(head + "[" * 100_000 + "]" * 100_000 + "\n")
    (d,) = fatal(spec).diagnostics
    assert d.kind == "depth" and f"deeper than {MAX_YAML_DEPTH:,} levels" in d.message


def test_not_openapi_mapping() -> None:
    (d,) = fatal(FIXTURES / "not-openapi.yaml").diagnostics
    assert d.severity == "error" and d.kind == "not-openapi"
    assert "no top-level `openapi` or `swagger` key" in d.message
    assert d.file.endswith("not-openapi.yaml") and d.pointer == "#" and d.line == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- just\n- a list\n", "the top level is list"),
        ("", "the top level is empty"),
        ("openapi: 2.5.0\ninfo: {}\n", "unsupported openapi version '2.5.0'"),
        ("swagger: '1.2'\n", "unsupported swagger version '1.2'"),
    ],
)
def test_not_a_supported_document(tmp_path: Path, text: str, expected: str) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text)
    (d,) = fatal(spec).diagnostics
    assert expected in d.message


def test_yaml_syntax_error_has_line() -> None:
    (d,) = fatal(FIXTURES / "syntax-error.yaml").diagnostics
    assert d.kind == "syntax" and d.message.startswith("invalid YAML") and d.line == 7


def test_json_syntax_error_has_line() -> None:
    (d,) = fatal(FIXTURES / "syntax-error.json").diagnostics
    assert d.kind == "syntax" and d.message.startswith("invalid JSON") and d.line == 4


def test_format_detected_by_content(tmp_path: Path) -> None:
    as_yaml = tmp_path / "spec.yaml"
    as_yaml.write_text('\ufeff{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}')
    assert load(as_yaml).original_version == "3.1.0"
    as_json = tmp_path / "spec.json"
    as_json.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n")
    assert load(as_json).document["paths"] == {}


def test_numeric_version_is_read_as_string_with_warning(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.0\ninfo: {title: t, version: 1.0}\npaths: {}\n")
    report = Report()
    loaded = load(spec, report)
    assert loaded.original_version == "3.0" and loaded.document["openapi"] == "3.0"
    (w,) = report.warnings
    assert w.kind == "version" and w.pointer == "#/openapi" and w.line == 1


def test_loaded_spec_identity(tmp_path: Path) -> None:
    import hashlib

    spec = FIXTURES / "scalars.yaml"
    loaded = load(spec)
    assert loaded.sha256 == hashlib.sha256(spec.read_bytes()).hexdigest()
    assert loaded.source == spec and loaded.original_version == "3.0.3"
    assert loaded.original is loaded.document


def test_missing_file() -> None:
    (d,) = fatal(FIXTURES / "does-not-exist.yaml").diagnostics
    assert d.kind == "io" and "cannot read" in d.message


@pytest.mark.parametrize(
    ("text", "pointer"),
    [
        (
            '{"openapi": "3.0.3", "info": {"title": "T\\ud800", "version": "1"}, "paths": {}}',
            "#/info/title",
        ),
        (
            '{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {"/a\\uDC00": {}}}',
            "#/paths/~1a\\udc00",
        ),
        (
            '{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "tags": [{"name": "\\ud83d"}], "paths": {}}',
            "#/tags/0/name",
        ),
    ],
)
def test_a_json_lone_surrogate_is_refused_where_it_is(
    tmp_path: Path, text: str, pointer: str
) -> None:
    """JSON may escape half a UTF-16 pair alone; no file can hold one as UTF-8, so the build
    failed writing its README with an internal error. Refused on load, located."""
    spec = tmp_path / "spec.json"
    spec.write_text(text)
    (found,) = fatal(spec).diagnostics
    assert found.pointer == pointer and "lone UTF-16 surrogate" in found.message


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_no_json(tmp_path: Path, constant: str) -> None:
    """A helper's hostile-input review: Python's JSON reader takes `NaN` and `Infinity`, so
    `enum: [1, NaN]` loaded, and the enum was dropped without a word. They are no JSON values
    (RFC 8259): a located syntax error."""
    spec = tmp_path / "spec.json"
    spec.write_text(
        '{"openapi": "3.0.3", "info": {"title": "NaN here is text", "version": "1"},\n'
        '"paths": {}, "components": {"schemas": {"N": {"type": "number",\n'
        f'"enum": [1, {constant}]}}}}}}}}\n'
    )
    (found,) = fatal(spec).diagnostics
    assert found.kind == "syntax" and found.line == 3 and f"{constant.lstrip('-')}" in found.message


@pytest.mark.parametrize("suffix", ["json", "yaml"])
@pytest.mark.parametrize("number", ["1e400", "-1.5E+999"])
def test_a_number_past_a_double_is_refused_not_read_as_infinity(
    tmp_path: Path, suffix: str, number: str
) -> None:
    """A helper's sweep: `maximum: 1e400` loaded as `inf`; `check` said ok, the sandbox then
    answered `{"x": Infinity}` (no JSON) and a model defaulted to `float("inf")`."""
    spec = tmp_path / f"spec.{suffix}"
    spec.write_text(
        '{"openapi": "3.0.3", "info": {"title": "t", "version": "1", "description": "['
        + number
        + '] in \\"text\\""},\n'
        '"paths": {}, "components": {"schemas": {"N": {"type": "number",\n'
        f'"maximum": {number}, "minimum": 1.5e300}}}}}}}}}}\n'
        if suffix == "json"
        else "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        f"components:\n  schemas:\n    N: {{type: number, maximum: {number}}}\n"
    )
    (found,) = fatal(spec).diagnostics
    assert found.kind == "syntax" and number in found.message and "infinity" in found.message
    assert found.line == (3 if suffix == "json" else 6)


def test_a_json_surrogate_pair_is_its_character(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(
        '{"openapi": "3.0.3", "info": {"title": "T\\ud83d\\ude00", "version": "1"}, "paths": {}}'
    )
    assert load(spec).document["info"]["title"] == "T\U0001f600"


_HEAD = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("spec.yaml", _HEAD + "    A: {type: integer, maximum: " + "1" * 5000 + "}\n", 6),
        ("spec.yaml", _HEAD + "    A: {type: integer, default: 0x" + "f" * 4000 + "}\n", 6),
        (
            "spec.json",
            '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},\n'
            '"components": {"schemas": {"A": {"maximum": ' + "9" * 4301 + "}}}}",
            2,
        ),
    ],
    ids=["yaml-decimal", "yaml-hex", "json"],
)
def test_an_integer_python_cannot_read_or_write_is_refused_on_its_line(
    tmp_path: Path, name: str, text: str, line: int
) -> None:
    """A helper's sweep: 5,000 digits ended in "internal error" (Python's 4,300-digit cap on
    int/str conversion); a hex one read fine and failed when rendered."""
    spec = tmp_path / name
    spec.write_text(text)
    (found,) = fatal(spec).diagnostics
    assert (found.line, found.message.endswith("an integer of more than 4300 digits")) == (
        line,
        True,
    )


def test_an_integer_of_4300_digits_is_read(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(_HEAD + "    A: {type: integer, maximum: " + "9" * 4300 + "}\n")
    assert load(spec).document["components"]["schemas"]["A"]["maximum"] == 10**4300 - 1


@pytest.mark.parametrize(("char", "line"), [("\x00", 2), ("\x01", 4)])
def test_a_control_character_in_yaml_is_located(tmp_path: Path, char: str, line: int) -> None:
    """A helper's sweep: a NUL read `unacceptable character #x0000 ... in "<unicode string>",
    position 30`: no line, PyYAML's internals. Now the line and the character."""
    spec = tmp_path / "spec.yaml"
    title = "t" + char if line == 2 else "t"
    tail = f"# {char}\n" if line == 4 else ""
    spec.write_text(f"openapi: 3.0.3\ninfo: {{title: {title}, version: '1'}}\npaths: {{}}\n{tail}")
    (found,) = fatal(spec).diagnostics
    assert found.kind == "syntax" and found.line == line
    assert f"#x{ord(char):04x}" in found.message and "unicode string" not in found.message


@pytest.mark.parametrize("value", ["!!float abc", "!!float .inf", "!!float nan"])
def test_an_explicit_float_tag_that_is_no_number_is_located(tmp_path: Path, value: str) -> None:
    """The review: `!!float abc` ended in a `ValueError` traceback; `!!float nan` loaded."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        f"components:\n  schemas:\n    N: {{type: number, maximum: {value}}}\n"
    )
    (found,) = fatal(spec).diagnostics
    assert found.kind == "syntax" and found.line == 6 and "not a JSON number" in found.message
