"""A deprecated method's arguments are typed for the contract run as any method's are.

A helper's pagination walk: `mapping._hints` read the annotations of the runtime's deprecation
wrapper, whose globals are the runtime module's: `_uuid.UUID` and `_dt.datetime` did not
evaluate, so drawn values went into deprecated operations unconverted and their typed
arguments were never tested."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest

from apigen.contract.mapping import _hints  # pyright: ignore[reportPrivateUsage]
from tests.builds import build_document, on_path


def _spec() -> dict[str, Any]:
    def op(op_id: str, deprecated: bool) -> dict[str, Any]:
        return {
            "operationId": op_id,
            "deprecated": deprecated,
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "format": "uuid"},
                },
                {
                    "name": "since",
                    "in": "query",
                    "schema": {"type": "string", "format": "date-time"},
                },
            ],
            "responses": {"200": {"description": "ok"}},
        }

    return {
        "openapi": "3.0.3",
        "info": {"title": "dep", "version": "1"},
        "paths": {
            "/old/{id}": {"get": op("getOld", True)},
            "/new/{id}": {"get": op("getNew", False)},
        },
    }


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "dep", _spec())


def test_a_deprecated_method_s_arguments_are_typed(out: Path) -> None:
    with on_path(out, "dep") as dep:
        client = dep.Client(base_url="http://127.0.0.1:9")
        for method in (client.old.retrieve, client.new.retrieve):
            hints = _hints(method)
            assert hints["id"] is uuid.UUID and hints["since"] is dt.datetime, method
