"""A client checked against a spec it was not built from: helper 219 found every operation
filed as the spec's (`LookupError: not in the spec`), 0 calls made, exit 0, so a CI job pointed
at the wrong spec passed having checked nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from apigen.contract import ContractConfig, run_contract
from apigen.contract.runner import ContractError
from tests.builds import build_into


def _spec(*paths: str) -> dict[str, Any]:
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {p: {"get": {"operationId": p.strip("/"), "responses": ok}} for p in paths},
    }


def _built(tmp_path: Path, *paths: str) -> Path:
    spec = tmp_path / "built.json"
    spec.write_text(json.dumps(_spec(*paths)))
    build_into(spec, tmp_path / "client", name="client_pkg")
    return tmp_path / "client"


def test_no_operation_of_the_client_in_the_spec_is_an_error(tmp_path: Path) -> None:
    client = _built(tmp_path, "/cats", "/dogs")
    other = tmp_path / "other.json"
    other.write_text(json.dumps(_spec("/birds")))
    with pytest.raises(ContractError, match=r"none of the 2 operation\(s\).*another spec"):
        run_contract(ContractConfig(client, spec=other, max_examples=2, seed=0))


def test_an_operation_the_spec_lacks_is_skipped_not_the_spec_s_failure(tmp_path: Path) -> None:
    client = _built(tmp_path, "/cats", "/dogs")
    other = tmp_path / "older.json"
    other.write_text(json.dumps(_spec("/cats")))
    report = run_contract(ContractConfig(client, spec=other, max_examples=2, seed=0))
    by_path = {r.path: r for r in report.operations}
    assert "is not in the spec" in by_path["/dogs"].skipped
    assert not by_path["/dogs"].failures
    assert not by_path["/cats"].skipped and by_path["/cats"].cases


def test_an_additional_operation_counts_only_where_the_spec_has_it(tmp_path: Path) -> None:
    """Helper 226: a 3.2 client of `GET` and an `additionalOperations` `COPY`, checked against
    an unrelated spec, ran 0 cases and exited 0: every non-fixed method counted as present."""
    doc: dict[str, Any] = {
        "openapi": "3.2.0",
        "info": {"title": "V", "version": "1"},
        "paths": {
            "/docs": {
                "get": {"operationId": "getDocs", "responses": {"200": {"description": "ok"}}},
                "additionalOperations": {
                    "COPY": {"operationId": "copyDocs", "responses": {"201": {"description": "c"}}}
                },
            }
        },
    }
    spec = tmp_path / "v32.json"
    spec.write_text(json.dumps(doc))
    build_into(spec, tmp_path / "client", name="client_v32")
    other = tmp_path / "other.json"
    other.write_text(json.dumps(_spec("/birds")))
    config = ContractConfig(tmp_path / "client", spec=other, max_examples=1, seed=0)
    with pytest.raises(ContractError, match=r"none of the 2 operation\(s\)"):
        run_contract(config)
    report = run_contract(ContractConfig(tmp_path / "client", spec=spec, max_examples=1, seed=0))
    assert {r.method: bool(r.skipped) for r in report.operations} == {"get": False, "copy": True}
