"""A document whose containers have the wrong JSON type builds (what it cannot read is left out,
as the validator reports) or fails with the document's problems, never an internal error."""

from __future__ import annotations

import json
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
        {"paths": 5},
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
    ],
    ids=["paths", "responses", "components", "schemas", "schemes", "security", "encoding"],
)
def test_a_container_of_the_wrong_type_reads_as_absent(
    tmp_path: Path, changes: dict[str, Any]
) -> None:
    result = build(_write(tmp_path, _doc(**changes)), tmp_path / "out" / "pkg")
    assert (tmp_path / "out" / "pkg" / "pkg" / "_client.py").exists()
    assert result.operations <= 1


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
