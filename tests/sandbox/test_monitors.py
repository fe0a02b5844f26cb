"""A `202 Accepted` from the sandbox names a monitor the sandbox answers, so `_and_wait`
finishes against it: a drawn `Location: string` sent the poller to a path answering only POST
(405; beezup's `change_order_v3_and_wait`, the README's long-running example)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from apigen.sandbox import Sandbox
from apigen.sandbox._server import MONITOR_LIMIT, MONITOR_PATH
from tests.builds import build_document, on_path
from tests.conftest import FIXTURES

JOBS: dict[str, Any] = yaml.safe_load((FIXTURES / "long-running.yaml").read_text())

AZURE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "vaults", "version": "1"},
    "servers": [{"url": "https://management.example.com"}],
    "paths": {
        "/vaults/{name}": {
            "parameters": [
                {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "put": {
                "operationId": "Vaults_CreateOrUpdate",
                "x-ms-long-running-operation": True,
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Vault"}}
                        },
                    },
                    "202": {
                        "description": "accepted",
                        "headers": {"Azure-AsyncOperation": {"schema": {"type": "string"}}},
                    },
                },
            },
            "get": {
                "operationId": "Vaults_Get",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Vault"}}
                        },
                    }
                },
            },
        }
    },
    "components": {
        "schemas": {
            "Vault": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}},
            }
        }
    },
}


@pytest.fixture(scope="module")
def jobs_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "jobs", JOBS)


@pytest.fixture(scope="module")
def vaults_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "vaults", AZURE)


def test_a_location_monitor_answers_as_the_finished_operation(jobs_out: Path) -> None:
    with Sandbox(JOBS, seed=1) as sandbox, on_path(jobs_out, "jobs") as jobs:
        with jobs.Client(base_url=sandbox.url) as client:
            job = client.jobs.create_and_wait(name="n", extra_headers={"Prefer": "code=202"})
        assert isinstance(job, jobs.models.Job) and isinstance(job.id, str)
        accepted, polled = sandbox.requests
        assert accepted.status == 202
        assert polled.path.startswith(f"/v1{MONITOR_PATH}") and polled.status == 201


def test_an_azure_status_monitor_succeeds_then_the_resource_is_fetched(vaults_out: Path) -> None:
    with Sandbox(AZURE, seed=2) as sandbox, on_path(vaults_out, "vaults") as vaults:
        with vaults.Client(base_url=sandbox.url) as client:
            vault = client.vaults.update_and_wait("v1", extra_headers={"Prefer": "code=202"})
        assert isinstance(vault.name, str)
        put, monitor, final = sandbox.requests
        assert (put.method, put.status) == ("PUT", 202)
        assert monitor.path.startswith(MONITOR_PATH) and monitor.status == 200
        assert (final.method, final.path, final.status) == ("GET", "/vaults/v1", 200)


def test_monitors_are_bounded_and_unknown_ones_are_404() -> None:
    sandbox = Sandbox(JOBS)
    headers = {"Content-Type": "application/json", "Prefer": "code=202"}
    for _ in range(MONITOR_LIMIT + 5):
        assert sandbox.handle("POST", "/v1/jobs", headers, b"{}").status == 202
    assert sandbox.handle("GET", f"/v1{MONITOR_PATH}1").status == 404  # forgotten
    assert sandbox.handle("GET", f"/v1{MONITOR_PATH}{MONITOR_LIMIT + 5}").status == 201
    assert sandbox.handle("GET", f"/v1{MONITOR_PATH}x").status == 404


def test_an_operation_location_monitor_without_azure_s_extension_succeeds(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Helper 212: the generated client polls any `Operation-Location` as a status monitor
    (Microsoft's guidelines, ir/long_running.py); the sandbox answered one without
    `x-ms-long-running-operation` 204 for ever, and `_and_wait()` timed out."""
    from tests.e2e.test_long_running import ANALYZE

    out = build_document(tmp_path_factory, "ops", ANALYZE)
    with Sandbox(ANALYZE, seed=3) as sandbox, on_path(out, "ops") as ops:
        with ops.Client(base_url=sandbox.url) as client:
            prefer = {"Prefer": "code=202"}
            client.analyze.create_and_wait(poll_timeout=5.0, extra_headers=prefer)
        accepted, monitor = sandbox.requests[:2]
        assert accepted.status == 202
        assert MONITOR_PATH in monitor.path and monitor.status == 200
