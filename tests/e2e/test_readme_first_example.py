"""The README's first examples run alone, as written (a helper ran every block of 14 READMEs):
the Use block of a spec declaring security per operation only built the client without
credentials (its call raised `MissingCredentialsError`); the Async and Faster transport blocks
used `uuid` without importing it; a call returning None was printed (`mypy --strict` refuses
`result = <None>`); a stream was the featured call (`<Stream object>`, a connection left open)."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from apigen.sandbox import Sandbox
from tests.builds import build_document, on_path

_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
_OK = {
    "200": {
        "description": "ok",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
    }
}
PER_OPERATION: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Per op", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/events": {
            "get": {
                "operationId": "streamEvents",
                "security": [{"key": []}],
                "responses": {
                    "200": {
                        "description": "events",
                        "content": {"text/event-stream": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/things/{thing_id}": {
            "get": {
                "operationId": "getThing",
                "security": [{"key": []}],
                "parameters": [
                    {
                        "name": "thing_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "format": "uuid"},
                    }
                ],
                "responses": _OK,
            }
        },
    },
    "components": {
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
        "schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "string"}}}},
    },
}
NOTHING_BACK: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Ping", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/ping": {"post": {"operationId": "ping", "responses": {"204": {"description": "pong"}}}}
    },
}


@pytest.fixture(scope="module")
def per_op(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "perop", PER_OPERATION)


def _blocks(out: Path) -> dict[str, str]:
    """The first Python block under each `## ` heading."""
    text = (out / "README.md").read_text()
    found: dict[str, str] = {}
    for section in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        title, _, body = section.partition("\n")
        block = _BLOCK.search(body)
        if block is not None:
            found.setdefault(title.strip(), block.group(1))
    return found


def test_the_use_and_async_blocks_run_alone(per_op: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = _blocks(per_op)
    assert 'os.environ.get("PEROP_API_KEY")' in blocks["Use"]
    assert "get_thing" in blocks["Use"] or "things" in blocks["Use"]
    assert "stream" not in blocks["Use"]
    for title in ("Async", "Faster transport"):
        assert blocks[title].startswith("import asyncio\nimport uuid\n"), blocks[title]
    with Sandbox(copy.deepcopy(PER_OPERATION)) as sandbox, on_path(per_op, "perop"):
        monkeypatch.setenv("PEROP_BASE_URL", sandbox.url)
        monkeypatch.setenv("PEROP_API_KEY", "k")
        for title in ("Use", "Async"):
            exec(compile(blocks[title], f"README {title}", "exec"), {"__name__": "__readme__"})
        assert [r.headers.get("x-key") for r in sandbox.requests] == ["k", "k"]


def test_a_call_returning_nothing_is_awaited_not_printed(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    out = build_document(tmp_path_factory, "pingonly", NOTHING_BACK)
    blocks = _blocks(out)
    for title in ("Async", "Faster transport"):
        assert "result =" not in blocks[title] and "await client.ping" in blocks[title]


def test_the_upload_example_uploads_a_file(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A helper's README run: the File uploads example passed only the required arguments, and
    the file is optional in most specs (petstore's `upload_file(1)` uploaded nothing)."""
    form = {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "Up", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {
            "/pets/{id}/image": {
                "post": {
                    "operationId": "uploadImage",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "requestBody": {"content": {"multipart/form-data": {"schema": form}}},
                    "responses": {"204": {"description": "stored"}},
                }
            }
        },
    }
    out = build_document(tmp_path_factory, "uponly", doc)
    assert 'file=("hello.txt", b"hello")' in _blocks(out)["File uploads"]


def test_the_client_docstring_names_the_environment_variables(per_op: Path) -> None:
    """A helper's README review: `Client`'s docstring was one line, and nothing in the code
    said which environment variables a keyword left out is read from (openai-python's does)."""
    with on_path(per_op, "perop") as pkg:
        for cls in (pkg.Client, pkg.AsyncClient):
            doc = " ".join(cls.__doc__.split())
            assert "`base_url` from `PEROP_BASE_URL`" in doc
            assert "`api_key` from `PEROP_API_KEY`" in doc
