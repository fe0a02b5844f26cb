"""Keys that send one path and take the same requests but declare other responses (Box's
`GET /shared_items` a file, `#folders` a folder): the sandbox answers for the first and says
so in `X-Sandbox-Spec-Problem`; the runner reports the other keys' schema failures as the
spec's, not the sandbox's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigen.contract.sandbox import TWIN_KEYS
from tests.builds import contract_of


def _item(kind: str) -> dict[str, Any]:
    schema = {
        "type": "object",
        "required": ["type", "id"],
        "properties": {"type": {"type": "string", "enum": [kind]}, "id": {"type": "string"}},
    }
    return {
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": schema}}}
        }
    }


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "shared", "version": "1"},
    "paths": {
        "/shared_items": {"get": {"operationId": "get_shared_file", **_item("file")}},
        "/shared_items#folders": {"get": {"operationId": "get_shared_folder", **_item("folder")}},
    },
}


@pytest.mark.slow
def test_the_other_key_s_schema_failures_are_the_spec_s(tmp_path: Path) -> None:
    report = contract_of(tmp_path, SPEC, "twinkeys")
    failures = [f for op in report.operations for f in op.failures]
    bad = [f for f in failures if f.klass != "spec"]
    assert not bad, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in bad)
    assert any(f.message.startswith(TWIN_KEYS) for f in failures)
