"""A multipart part holding data the spec declares in another media type (XML): the client takes
that part encoded and refuses drawn data before sending; the contract files such a case as the
spec's (`foreign_part`), not as a sandbox refusing a valid request or a client failure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigen.contract.runner import FOREIGN_PART_SPEC
from tests.builds import contract_of

ITEM = {"type": "object", "properties": {"name": {"type": "string"}}}

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "foreign part", "version": "1"},
    "paths": {
        "/upload": {
            "post": {
                "operationId": "upload",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["meta"],
                                "properties": {"meta": ITEM, "tag": {"type": "string"}},
                            },
                            "encoding": {"meta": {"contentType": "application/xml"}},
                        }
                    },
                },
                "responses": {"204": {"description": "stored"}},
            }
        }
    },
}


@pytest.mark.slow
def test_data_drawn_for_an_xml_part_is_the_spec_s_case(tmp_path: Path) -> None:
    report = contract_of(tmp_path, SPEC, "foreignpart")
    failures = [f for op in report.operations for f in op.failures]
    bad = [f for f in failures if f.klass != "spec"]
    assert not bad, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in bad)
    assert failures and all(f.check == "foreign_part" for f in failures)
    assert all(f.message.startswith(FOREIGN_PART_SPEC) for f in failures)


def test_the_sandbox_takes_an_xml_part_as_opaque_text(tmp_path: Path) -> None:
    """The encoded part the client sends is accepted: the sandbox does not parse XML, so it
    leaves that member's schema unchecked (and still checks the rest of the form)."""
    import json

    import httpx

    from apigen.sandbox import Sandbox
    from tests.builds import build_into, on_path

    spec = tmp_path / "foreign.json"
    spec.write_text(json.dumps(SPEC))
    build_into(spec, tmp_path / "foreignpart", name="foreignpart")
    sandbox = Sandbox(SPEC, seed=0)
    url = sandbox.start("127.0.0.1", 0)
    try:
        with on_path(tmp_path / "foreignpart", "foreignpart") as pkg:
            client = pkg.Client(base_url=url, max_retries=0)
            assert client.upload.create(meta="<Item><name>a</name></Item>", tag="t") is None
        boundary = "b0undary"
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="meta"\r\n'
            'Content-Type: application/json\r\n\r\n"not an object"\r\n'
            f"--{boundary}--\r\n"
        )
        refused = httpx.post(
            f"{url}/upload",
            content=body.encode(),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        assert refused.status_code == 400 and "meta" in refused.text  # JSON parts still checked
    finally:
        sandbox.stop()
