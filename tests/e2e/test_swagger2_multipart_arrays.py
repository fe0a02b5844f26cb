"""A Swagger 2.0 `formData` array in a multipart body is one part of joined items, as its
`collectionFormat` says (csv by default; `multi` alone repeats the field).

A helper's Swagger 2.0 probe: `ids` (csv) and `colors` (pipes) went as one part per item; the
sandbox refused the spec's own form (`ids=1,2`: "not of type integer") and took the repeated
parts, so client and sandbox agreed and the contract could not see it; a server splitting the
field on commas got the first item only. OpenAPI 3.0 ignores `style` in multipart (one part per
item): a 3.0 document's is left out, as before."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import httpx
import pytest

from apigen.sandbox import Sandbox
from tests.builds import api_of, build_document, on_path

SPEC: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "mp", "version": "1"},
    "host": "api.example.com",
    "schemes": ["https"],
    "paths": {
        "/upload": {
            "post": {
                "operationId": "upload",
                "tags": ["files"],
                "consumes": ["multipart/form-data"],
                "parameters": [
                    {"name": "file", "in": "formData", "type": "file", "required": True},
                    {
                        "name": "ids",
                        "in": "formData",
                        "type": "array",
                        "items": {"type": "integer"},
                    },
                    {
                        "name": "colors",
                        "in": "formData",
                        "type": "array",
                        "items": {"type": "string"},
                        "collectionFormat": "pipes",
                    },
                    {
                        "name": "tags",
                        "in": "formData",
                        "type": "array",
                        "items": {"type": "string"},
                        "collectionFormat": "multi",
                    },
                ],
                "responses": {"204": {"description": "stored"}},
            }
        }
    },
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "mparrays", SPEC)


def _parts(request: httpx.Request) -> list[tuple[str, str]]:
    boundary = request.headers["content-type"].split("boundary=", 1)[1].encode()
    found: list[tuple[str, str]] = []
    for chunk in request.read().split(b"--" + boundary)[1:-1]:
        head, _, value = chunk.partition(b"\r\n\r\n")
        name = head.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
        found.append((name, value.removesuffix(b"\r\n").decode("latin-1")))
    return found


def test_joined_parts_on_the_wire_and_the_sandbox_reads_them(out: Path) -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        request.read()
        sent.append(request)
        return httpx.Response(204)

    with on_path(out, "mparrays") as pkg:
        http = httpx.Client(transport=httpx.MockTransport(record))
        client = pkg.Client(base_url="https://api.example.com", http_client=http)
        args = {"file": b"x", "ids": [1, 2], "colors": ["r", "g"], "tags": ["a", "b"]}
        client.files.upload(**args)
        parts = [p for p in _parts(sent[0]) if p[0] != "file"]
        assert parts == [("ids", "1,2"), ("colors", "r|g"), ("tags", "a"), ("tags", "b")]
        with Sandbox(copy.deepcopy(SPEC)) as sandbox:
            live = pkg.Client(base_url=sandbox.url)
            assert live.files.with_raw_response.upload(**args).status_code == 204
            bad = httpx.post(
                f"{sandbox.url}/upload", files={"file": b"x"}, data={"ids": "1,two"}, timeout=10
            )
            assert bad.status_code in (400, 422)


def test_only_the_file_field_takes_files(out: Path) -> None:
    """A tuple for an array of strings is its items, bytes for a string its text: a helper's
    review saw `tags=("x", "y")` go out as a file named `x` holding `y`."""
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        request.read()
        sent.append(request)
        return httpx.Response(204)

    source = (out / "mparrays" / "resources" / "files.py").read_text()
    assert 'data=frozenset({"colors", "ids", "tags"})' in source
    with on_path(out, "mparrays") as pkg:
        http = httpx.Client(transport=httpx.MockTransport(record))
        client = pkg.Client(base_url="https://api.example.com", http_client=http)
        client.files.upload(file=("a.txt", b"x"), tags=("x", "y"))
        assert [p for p in _parts(sent[0]) if p[0] == "tags"] == [("tags", "x"), ("tags", "y")]
        assert b'filename="x"' not in sent[0].content


def test_a_3_0_multipart_style_is_left_out() -> None:
    """OpenAPI 3.0: `style` applies to urlencoded bodies only."""
    encoding = {"ids": {"style": "form", "explode": False}, "x": {"style": "deepObject"}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/u": {
                "post": {
                    "requestBody": {
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "ids": {"type": "array", "items": {"type": "integer"}},
                                        "x": {"type": "object"},
                                    },
                                },
                                "encoding": encoding,
                            }
                        }
                    },
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }
    (op,) = api_of(spec).operations
    assert op.body is not None
    assert op.body.encoding == {"ids": (None, None, None), "x": ("deepObject", None, None)}


@pytest.mark.slow
def test_the_contract_reads_the_joined_parts(tmp_path: Path) -> None:
    from tests.builds import contract_of

    report = contract_of(tmp_path, copy.deepcopy(SPEC), "mpcontract")
    failures = [f for op in report.operations for f in op.failures if f.klass != "spec"]
    assert not failures, failures
    assert sum(op.calls for op in report.operations) > 0
