"""A `content` parameter in a media type other than JSON, without a schema (dcg's
`item_schema_31`: OpenAPI 3.2's `itemSchema` under `application/json-seq`, which a 3.1 document
does not have, so no schema): the client takes the caller's encoded text and sends it as is
(it used to take any value and spread an object over top-level query keys). A drawn string is
checked verbatim (`names=true` is the text 'true', not JSON); drawn data has no text the client
could compute, which is the spec's case (`foreign_parameter`), as for such multipart parts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.builds import contract_of

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "foreign parameter", "version": "1"},
    "paths": {
        "/events": {
            "get": {
                "operationId": "listEvents",
                "parameters": [
                    {
                        "name": "names",
                        "in": "query",
                        "content": {"application/json-seq": {"itemSchema": {"type": "string"}}},
                    },
                    {
                        "name": "x-filter",
                        "in": "header",
                        "content": {"application/xml": {}},
                    },
                ],
                "responses": {"204": {"description": "ok"}},
            }
        }
    },
}


@pytest.mark.slow
def test_a_non_json_content_parameter_is_the_callers_text(tmp_path: Path) -> None:
    report = contract_of(tmp_path, SPEC, "foreignparam")
    failures = [f for op in report.operations for f in op.failures]
    bad = [f for f in failures if f.klass != "spec"]
    assert not bad, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in bad)
    assert {f.check for f in failures} <= {"foreign_parameter"}
    assert report.operations[0].calls > 0  # strings were drawn and sent
