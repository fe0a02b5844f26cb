"""Validator errors become located, classified warnings; results are cached and can be computed
in a second process."""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest

from apigen.diagnostics import Diagnostic, Report
from apigen.spec import LoadedSpec, load_spec
from apigen.spec import validate as validate_module
from apigen.spec.validate import validate_in_background, validate_spec, validation_diagnostics

from .conftest import FIXTURES, require_shared


def load(path: Path) -> LoadedSpec:
    return load_spec(path, report=Report())


def summary(diags: list[Diagnostic]) -> set[tuple[str, str, str | None, int | None]]:
    return {(d.pointer, d.kind, d.action, d.line) for d in diags}


def test_recoverable_problems_are_located_warnings() -> None:
    spec = load(FIXTURES / "recoverable.yaml")
    report = Report()
    validate_spec(spec, report=report)
    assert report.errors == [] and report.warnings == report.items
    assert all(d.file == str(FIXTURES / "recoverable.yaml") for d in report.items)
    params = "#/paths/~1people/get/parameters"
    person = "#/components/schemas/Person/properties"
    assert summary(report.items) == {
        (f"{params}/0/schema/pattern", "pattern", "pattern left out", 14),
        (f"{params}/1/schema/default", "default", "default ignored", 19),
        (f"{person}/age/default", "default", "default ignored", 36),
        (f"{person}/active/nullable", "boolean-string", None, 39),
        (f"{person}/nickname", "unknown-key", "key ignored", 40),
    }
    nickname = next(d for d in report.items if d.kind == "unknown-key")
    assert nickname.message == "unknown key 'colour'"


def test_swagger2_is_validated_as_written() -> None:
    spec = load(FIXTURES / "swagger2.yaml")
    diags = validation_diagnostics(spec)
    assert summary(diags) == {
        # a path parameter must say `required: true` (the upgrade adds it)
        ("#/paths/~1items~1{id}/put/parameters/0", "missing-field", None, 107),
        # `type: file` is only allowed for parameters and whole responses
        ("#/definitions/Item/properties/attachment/type", "invalid-value", None, 215),
    }


def test_external_files_are_named_in_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "pet.yaml").write_text(
        "Pet:\n  type: object\n  properties:\n    n:\n      type: integer\n      default: x\n"
    )
    root = tmp_path / "api.yaml"
    root.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components: {schemas: {P: {$ref: 'pet.yaml#/Pet'}}}\n"
    )
    (d,) = validation_diagnostics(load(root))
    assert Path(d.file) == tmp_path / "pet.yaml"
    assert d.pointer == "#/Pet/properties/n/default" and d.line == 6 and d.kind == "default"


def test_duplicates_are_merged_and_kinds_capped(tmp_path: Path) -> None:
    props = "".join(f"        p{i}: {{type: integer, default: x}}\n" for i in range(40))
    spec = tmp_path / "many.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    S:\n      type: object\n      properties:\n" + props
    )
    diags = validation_diagnostics(load(spec))
    assert len({(d.pointer, d.kind) for d in diags}) == len(diags)
    defaults = [d for d in diags if d.kind == "default"]
    assert len(defaults) == validate_module.MAX_PER_KIND + 1
    assert (
        defaults[-1].message
        == f"{40 - validate_module.MAX_PER_KIND} more 'default' problems not shown"
    )


def test_too_deep_to_validate_is_a_warning(tmp_path: Path) -> None:
    schema = '{"type": "string"}'
    for _ in range(2000):
        schema = '{"type": "array", "items": ' + schema + "}"
    spec = tmp_path / "deep.json"
    spec.write_text(
        '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},'
        ' "components": {"schemas": {"Deep": ' + schema + "}}}"
    )
    diags = validation_diagnostics(load(spec))
    assert [(d.kind, d.pointer, d.message) for d in diags if d.kind == "depth"] == [
        (
            "depth",
            "#/components/schemas/Deep" + "/items" * 9,
            "a value nested 2004 levels deep (shown to 12 levels): too deep to validate",
        )
    ]


@pytest.mark.parametrize(
    ("value", "pointer"),
    [
        ('{"a": ' * 3000 + "1" + "}" * 3000, "#/components/schemas/A/maximum/a/a/a/a/a/a/a/a"),
        ("[" * 3000 + "]" * 3000, "#/components/schemas/A/maximum/0/0/0/0/0/0/0/0"),
    ],
)
def test_a_deep_value_is_located_where_it_begins(tmp_path: Path, value: str, pointer: str) -> None:
    """Helper 225: a `maximum` nested thousands of levels was `#: validation failed here
    (ValueError: Recursion limit reached)`, jsonschema-rs' own limit, at the root."""
    spec = tmp_path / "deep.json"
    spec.write_text(
        '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},'
        ' "components": {"schemas": {"A": {"type": "integer", "maximum": ' + value + "}}}}"
    )
    diags = validation_diagnostics(load(spec))
    assert [(d.kind, d.pointer) for d in diags] == [("depth", pointer)]
    assert "Recursion" not in diags[0].message and "too deep to validate" in diags[0].message


_CYCLE = """openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Plain:
      type: object
      properties: {self: {$ref: "#/components/schemas/Plain"}}
    A:
      allOf:
        - $ref: "#/components/schemas/B"
        - {type: object, properties: {a: {type: string}}}
    B:
      allOf:
        - $ref: "#/components/schemas/A"
        - {type: object, properties: {b: {type: string}}}
"""


def test_a_schema_containing_itself_is_named_where_it_stops_validation(tmp_path: Path) -> None:
    spec = tmp_path / "cycle.yaml"
    spec.write_text(_CYCLE)
    diags = [d for d in validation_diagnostics(load(spec)) if d.kind == "depth"]
    assert [(d.pointer, d.line, d.severity) for d in diags] == [
        ("#/components/schemas/A", 9, "warning")
    ]
    assert "#/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A" in (
        diags[0].message
    )


_NO_SLASH = {
    "2.0": 'swagger: "2.0"\ninfo: {title: t, version: "1"}\n',
    "3.0": 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\n',
    "3.1": 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\n',
}


@pytest.mark.parametrize("version", sorted(_NO_SLASH))
def test_a_path_without_a_leading_slash_is_left_out_as_reported(
    version: str, tmp_path: Path
) -> None:
    """The validator's unknown key under `paths` (3.1: `unevaluatedProperties`) says the path's
    operations are left out, and the IR does leave them out: a client method for `items` would
    be called with a request path the spec never declared."""
    from apigen.pipeline import build_ir

    spec = tmp_path / "paths.yaml"
    spec.write_text(
        _NO_SLASH[version]
        + "paths:\n"
        + "  items:\n    get: {operationId: bad, responses: {'200': {description: ok}}}\n"
        + "  /things:\n    get: {operationId: good, responses: {'200': {description: ok}}}\n"
        + "  x-note:\n    get: {operationId: note, responses: {'200': {description: ok}}}\n"
    )
    for full in (False, True):
        diags = validation_diagnostics(load(spec), full=full)
        assert [(d.pointer, d.kind, d.action, d.message) for d in diags] == [
            (
                "#/paths",
                "unknown-key",
                "its operations left out",
                "path 'items' must start with '/'",
            )
        ]
    api, _ = build_ir(spec)
    assert [op.operation_id for op in api.operations] == ["good"]


def test_an_unknown_key_in_31_is_an_unknown_key(tmp_path: Path) -> None:
    """3.1's meta-schema closes objects with `unevaluatedProperties`: reported like 3.0's
    `additionalProperties` (once a raw "Unevaluated properties ..." line of kind `spec`)."""
    spec = tmp_path / "extra.yaml"
    spec.write_text(
        _NO_SLASH["3.1"]
        + "paths:\n  /things:\n    get:\n      operationId: good\n      x-fine: 1\n"
        + "      colour: red\n      responses: {'200': {description: ok}}\n"
    )
    diags = validation_diagnostics(load(spec))
    assert [(d.pointer, d.kind, d.action, d.message) for d in diags] == [
        ("#/paths/~1things/get", "unknown-key", "key ignored", "unknown key 'colour'")
    ]


@pytest.mark.parametrize(
    ("schemas", "cycle"),
    [
        ({"A": {"allOf": [{"$ref": "#/components/schemas/A"}]}}, ["A", "A"]),
        (
            {"T": {"type": "array", "items": {"anyOf": [{"$ref": "#/components/schemas/T"}]}}},
            ["T", "T"],
        ),
        (
            {
                "E": {"not": {"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/F"}]}},
                "F": {"allOf": [{"$ref": "#/components/schemas/E"}]},
            },
            ["E", "F", "E"],
        ),
        ({"N": {"type": "object", "properties": {"n": {"$ref": "#/components/schemas/N"}}}}, None),
        ({"M": {"allOf": [{"$ref": "#/components/schemas/Missing"}]}}, None),
    ],
)
def test_composition_cycles(schemas: dict[str, Any], cycle: list[str] | None) -> None:
    from apigen.spec.cycles import composition_cycle

    found = composition_cycle({"openapi": "3.0.3", "components": {"schemas": schemas}})
    expected = None if cycle is None else [f"#/components/schemas/{n}" for n in cycle]
    assert found == expected


def test_cache_is_written_reused_and_survives_corruption(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = load(FIXTURES / "recoverable.yaml")
    first = validation_diagnostics(spec)
    (entry,) = cache_dir.glob("validate-*.json")

    def no_validation(_: LoadedSpec) -> list[Diagnostic]:
        raise AssertionError("the cached result should have been used")

    monkeypatch.setattr(validate_module, "_validate", no_validation)
    assert validation_diagnostics(spec) == first
    entry.write_text("{not json")
    monkeypatch.undo()
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(cache_dir))
    assert validation_diagnostics(spec) == first  # recomputed, and rewritten
    assert json.loads(entry.read_text())["diagnostics"]


def test_cache_follows_content_not_path(tmp_path: Path, cache_dir: Path) -> None:
    original = (FIXTURES / "recoverable.yaml").read_text()
    copy = tmp_path / "copy.yaml"
    copy.write_text(original)
    validation_diagnostics(load(FIXTURES / "recoverable.yaml"))
    diags = validation_diagnostics(load(copy))  # same bytes: cache hit, re-labelled
    assert {d.file for d in diags} == {str(copy)}
    copy.write_text(original.replace('default: "inf"', "default: 3"))
    assert len(validation_diagnostics(load(copy))) == len(diags) - 2
    assert len(list(cache_dir.glob("validate-*.json"))) == 2


def test_background_matches_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = load(FIXTURES / "recoverable.yaml")
    wait = validate_in_background(spec)
    background = wait()
    assert wait() is background  # waiting twice is fine
    monkeypatch.setattr(multiprocessing, "get_context", _no_process)
    assert validate_in_background(spec)() == background  # cache hit: no process at all
    assert validate_module._validate(spec) == background  # the uncached computation


def _no_process(*args: Any) -> Any:
    raise AssertionError("no process should be started on a cache hit")


@pytest.mark.slow
def test_stripe_background_then_cached() -> None:
    """Uses /work/shared/specs/stripe.json (fails if missing): one real validation (~5 s)."""
    spec = load(require_shared() / "stripe.json")
    wait = validate_in_background(spec)
    diags = wait()
    assert all(d.severity == "warning" for d in diags)
    start = time.process_time()  # CPU (in-process): wall time fails on a busy machine
    assert validation_diagnostics(spec) == diags
    assert time.process_time() - start < 1.0


def test_the_spec_shape_is_checked_by_python_jsonschema_even_with_jsonschema_rs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """schemathesis installs jsonschema_rs, which openapi-spec-validator prefers by default;
    its errors carry no `validator` or oneOf `context`, so every warning became an unlocated
    "spec" blob. The classification needs the Python checker, whatever the environment says."""
    import jsonschema_rs  # noqa: F401  (installed with schemathesis: the case this guards)

    monkeypatch.setenv("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", "jsonschema-rs")
    from apigen.spec import validate_full

    for cls in validate_full._VALIDATORS.values():
        assert type(cls.schema_validator).__module__.startswith("jsonschema.")
    for full in (False, True):
        diags = validation_diagnostics(load(FIXTURES / "recoverable.yaml"), full=full)
        kinds = {(d.pointer, d.kind) for d in diags}
        assert ("#/components/schemas/Person/properties/nickname", "unknown-key") in kinds
        assert all("Failed validating" not in d.message for d in diags)


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_a_query_method_before_3_2_is_said_to_be_read(tmp_path: Path, version: str) -> None:
    """A helper's hostile specs: a 3.0 path item's `query:` warned "unknown key 'query' (key
    ignored)", and a `query()` method was generated all the same (`spec/methods.FIXED`). The
    warning says what is done: it is read as 3.2's QUERY method."""
    spec = tmp_path / "query.yaml"
    spec.write_text(
        _NO_SLASH[version]
        + "paths:\n  /things:\n    query:\n      operationId: search\n"
        + "      responses: {'200': {description: ok}}\n"
    )
    diags = validation_diagnostics(load(spec))
    assert [(d.pointer, d.kind, d.action) for d in diags] == [
        ("#/paths/~1things", "unknown-key", "read as OpenAPI 3.2's QUERY method")
    ]
