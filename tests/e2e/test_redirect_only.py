"""An operation whose only documented answer is a redirect (GitHub's archive, log and artifact
downloads: `302` to storage) returns the body the redirect leads to, as bytes. Helper 211: the
method was typed `-> None` and returned bytes, so typed callers needed a `cast`."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import httpx

from apigen.ir.nodes import Prim
from tests.builds import api_of, build_into, on_path


def _spec(responses: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "redir", "version": "1"},
        "servers": [{"url": "https://api.example.test"}],
        "paths": {
            "/repos/{repo}/tarball": {
                "get": {
                    "operationId": "downloadTarball",
                    "parameters": [
                        {
                            "name": "repo",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": responses,
                }
            }
        },
    }


REDIRECT_ONLY = {
    "302": {
        "description": "Found",
        "headers": {"Location": {"schema": {"type": "string"}}},
    },
    "404": {"description": "missing"},
}


def test_a_redirect_only_operation_returns_bytes() -> None:
    (op,) = api_of(_spec(REDIRECT_ONLY)).operations
    assert op.returns == Prim("bytes")
    # a success beside the redirect keeps its own type (GitHub's membership check: 204/302)
    (other,) = api_of(_spec({"204": {"description": "ok"}, **REDIRECT_ONLY})).operations
    assert other.returns != Prim("bytes")
    # a `default` with content beside the redirect is the success, as before (a regression
    # sweep: `-> Thing` had become `-> bytes`)
    thing = {"type": "object", "properties": {"id": {"type": "integer"}}}
    default = {"description": "the thing", "content": {"application/json": {"schema": thing}}}
    (kept,) = api_of(_spec({"302": REDIRECT_ONLY["302"], "default": default})).operations
    assert kept.returns != Prim("bytes")


def test_the_generated_call_follows_the_redirect_to_the_download(tmp_path: Path) -> None:
    spec = tmp_path / "redir.json"
    spec.write_text(json.dumps(_spec(REDIRECT_ONLY)))
    build_into(spec, tmp_path / "out", name="redir")
    archive = gzip.compress(b"tar bytes")

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "api.example.test":
            return httpx.Response(302, headers={"location": "https://codeload.test/a.tar.gz"})
        return httpx.Response(200, content=archive, headers={"content-type": "application/x-gzip"})

    with on_path(tmp_path / "out", "redir") as pkg:
        client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        got = client.repos.download_tarball("octo/hello")
    assert got == archive
    source = (tmp_path / "out" / "redir" / "resources" / "repos.py").read_text()
    assert ") -> bytes:" in source
