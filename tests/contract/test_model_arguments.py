"""Arguments typed by a model the resource module imports under `if TYPE_CHECKING:` only (every
model since decisions §23): the contract converts the drawn dict into that model, as a user
passes one. The annotation did not resolve, so the dict went to the call unconverted: Stream's
JSON query parameter `payload` carried schemathesis' text 'true' for a boolean, which the model
reads as True, and the sandbox refused the request (4 sandbox failures)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from apigen.contract.cases import CaseInput
from apigen.contract.mapping import to_call
from apigen_runtime import Operation, Param
from tests.builds import build_into, on_path

NULLABLE = {"type": "integer", "nullable": True}
QUERY = {
    "type": "object",
    "properties": {"banned": {"type": "boolean"}, "sort": {"type": "array", "items": NULLABLE}},
}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "flags", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/flags": {
            "get": {
                "operationId": "queryFlags",
                "tags": ["flags"],
                "parameters": [
                    {
                        "name": "payload",
                        "in": "query",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/FlagQuery"}
                            }
                        },
                    }
                ],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
    "components": {"schemas": {"FlagQuery": QUERY}},
}


def test_a_model_argument_imported_for_type_checking_only_is_converted(tmp_path: Path) -> None:
    path = tmp_path / "flags.json"
    path.write_text(json.dumps(SPEC))
    build_into(path, tmp_path / "flags", name="flags")
    source = (tmp_path / "flags" / "flags" / "resources" / "flags.py").read_text()
    assert "if TYPE_CHECKING:\n    from ..models.flag_query import FlagQuery" in source
    with on_path(tmp_path / "flags", "flags") as pkg:
        client = pkg.Client(api_key="k")
        op: Operation[Any] = Operation(
            "get", "/flags", params=(Param("payload", "payload", "query"),)
        )
        case = CaseInput("drawn", query={"payload": {"banned": "true"}})
        payload = to_call(case, op, client.flags.query).kwargs["payload"]
        assert isinstance(payload, pkg.models.FlagQuery) and payload.banned is True
        # schemathesis spells a null inside the JSON as the text 'null' too (Stream's `sort`)
        case = CaseInput("drawn", query={"payload": {"sort": ["null", 2]}})
        payload = to_call(case, op, client.flags.query).kwargs["payload"]
        assert payload.sort == [None, 2]
