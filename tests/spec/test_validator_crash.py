"""openapi-spec-validator raising (KeyError on a parameter without `name` or `in`) becomes a
located diagnostic, and the build goes on without that parameter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator.validation import keywords

from apigen.diagnostics import Report
from apigen.pipeline import build
from apigen.spec import load_spec
from apigen.spec.validate import validation_diagnostics

from .conftest import FIXTURES

NAMELESS = FIXTURES / "param-without-name.yaml"
NAMELESS_V2 = FIXTURES / "param-without-name-v2.yaml"


def diagnostics(path: Path, *, full: bool = False) -> list[Any]:
    return validation_diagnostics(load_spec(path, report=Report()), full=full)


@pytest.mark.parametrize("full", [False, True], ids=["fast", "full"])
def test_parameter_without_name_or_in_is_located(full: bool) -> None:
    found = {d.pointer: d for d in diagnostics(NAMELESS, full=full)}
    missing_name = found["#/paths/~1items/get/parameters/0"]
    missing_in = found["#/paths/~1items/get/parameters/2"]
    assert (missing_name.line, missing_in.line) == (9, 14)
    assert "without 'name'" in missing_name.message and "without 'in'" in missing_in.message
    for d in (missing_name, missing_in):
        assert d.file == str(NAMELESS) and d.kind == "missing-field"
        assert d.action == "parameter left out" and d.severity == "warning"
    assert not [d for d in found.values() if d.kind == "validator"]
    assert all("Failed validating" not in d.message for d in found.values())


def test_swagger2_parameter_without_name_is_located() -> None:
    (d,) = [d for d in diagnostics(NAMELESS_V2) if d.pointer.endswith("/parameters/0")]
    assert d.file == str(NAMELESS_V2) and d.line == 10 and d.action == "parameter left out"


@pytest.mark.parametrize("spec", [NAMELESS, NAMELESS_V2])
def test_the_build_leaves_the_parameter_out(tmp_path: Path, spec: Path) -> None:
    result = build(spec, tmp_path / "nameless")
    assert [p.wire_name for p in result.api.operations[0].params] == ["limit"]
    assert any(d.action == "parameter left out" for d in result.report.warnings)


def test_any_other_validator_crash_is_a_located_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(self: Any, responses: Any) -> Iterator[Any]:
        raise RuntimeError("boom")
        yield  # a generator, like the library's

    monkeypatch.setattr(keywords.ResponsesValidator, "__call__", crash)
    (d,) = [d for d in diagnostics(NAMELESS, full=True) if d.kind == "validator"]
    assert d.pointer == "#/paths/~1items/get/responses" and d.line == 16
    assert "openapi-spec-validator failed here (RuntimeError: boom)" in d.message
    assert d.action == "the rest of this part not validated" and d.severity == "warning"


def test_a_crash_in_the_fast_walk_is_a_located_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    from apigen.spec import validate_fast

    def crash(self: Any, responses: Any) -> Iterator[Any]:
        raise RuntimeError("boom")
        yield

    monkeypatch.setattr(validate_fast._Walk, "_responses", crash)
    (d,) = [d for d in diagnostics(NAMELESS) if d.kind == "validator"]
    assert d.pointer == "#/paths/~1items/get/responses" and d.line == 16
    assert "validation failed here (RuntimeError: boom)" in d.message
    assert d.action == "the rest of this part not validated"


def test_a_crash_outside_the_keyword_checks_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    import apigen.spec.validate_full as validate_full

    def crash(validator: Any) -> Iterator[Any]:
        raise ValueError("odd")
        yield

    monkeypatch.setattr(validate_full, "_iter_errors", crash)
    (d,) = diagnostics(NAMELESS, full=True)
    assert d.kind == "validator" and d.pointer == "#" and "ValueError: odd" in d.message


def test_a_32_querystring_parameter_is_named_for_what_it_is(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /e:\n    get:\n"
        "      parameters:\n        - in: querystring\n"
        "          content: {application/x-www-form-urlencoded: {schema: {type: object}}}\n"
        "      responses: {'200': {description: ok}}\n"
    )
    (d,) = [d for d in diagnostics(spec) if d.kind == "missing-field"]
    assert d.pointer == "#/paths/~1e/get/parameters/0" and d.line == 7
    assert "`in: querystring` (OpenAPI 3.2" in d.message and d.action == "parameter left out"


def test_a_parameter_that_is_no_object_is_located_once(tmp_path: Path) -> None:
    """Helper 225: `parameters: [{...}, 42]` gave "42 is not of type 'object'" and, beside it,
    `.../parameters: validation failed here (KeyError: 'name')`, the library's crash on it."""
    spec = tmp_path / "p.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n"
        "      parameters:\n        - {name: a, in: query, schema: {type: string}}\n"
        "        - 42\n      responses: {'200': {description: ok}}\n"
    )
    diags = validation_diagnostics(load_spec(spec, report=Report()))
    assert [(d.pointer, d.message) for d in diags] == [
        ("#/paths/~1x/get/parameters/1", "42 is not of type 'object'")
    ]
