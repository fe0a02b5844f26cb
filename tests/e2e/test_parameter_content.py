"""A parameter's `content`: the JSON entry when a spec lists several (dcg's
`multipleMediaFilter`: XML first, then JSON; OpenAPI allows one), any value when it names no
schema, and the caller's encoded text when its only entry is XML (the runtime encodes
parameters as JSON or text only). The IR, the sandbox and the contract check read it alike
(`spec/param_media.py`): dcg/query_parameters went from 18 client failures to 0."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx

from tests.builds import build_into, on_path

FILTER = {"type": "object", "properties": {"kind": {"type": "string"}}}

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "param content", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "parameters": [
                    {
                        "name": "both",
                        "in": "query",
                        "content": {
                            "application/xml": {"schema": FILTER},
                            "application/json": {"schema": FILTER},
                        },
                    },
                    {"name": "anything", "in": "query", "content": {"application/json": {}}},
                    {
                        "name": "xml",
                        "in": "query",
                        "content": {"application/xml": {"schema": FILTER}},
                    },
                    # OpenAPI 3.2's `itemSchema` is no schema in 3.0/3.1: any value in a media
                    # type the runtime cannot encode data in, so the caller's text
                    {
                        "name": "seq",
                        "in": "query",
                        "content": {"application/json-seq": {"itemSchema": {"type": "string"}}},
                    },
                ],
                "responses": {"204": {"description": "ok"}},
            }
        }
    },
}


def test_parameter_content_is_read_as_the_runtime_can_send_it(tmp_path: Path) -> None:
    spec = tmp_path / "pc.json"
    spec.write_text(json.dumps(SPEC))
    build_into(spec, tmp_path / "pc", name="pc")
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    with on_path(tmp_path / "pc", "pc") as pc:
        client = pc.Client(http_client=httpx.Client(transport=httpx.MockTransport(answer)))
        params = inspect.signature(client.pets.list).parameters
        assert "Any" in str(params["anything"].annotation)
        assert str(params["xml"].annotation).startswith("str")
        assert "Both" in str(params["both"].annotation)  # the JSON entry's model
        assert str(params["seq"].annotation).startswith("str")
        client.pets.list(
            both={"kind": "cat"},
            anything=[1, "a"],
            xml="<f><kind>cat</kind></f>",
            seq='\x1e"a"\n',
        )
    query = parse_qs(seen[0].url.query.decode())
    assert query["seq"] == ['\x1e"a"\n']  # as given: one value under its own name
    assert json.loads(query["both"][0]) == {"kind": "cat"}
    assert json.loads(query["anything"][0]) == [1, "a"]
    assert query["xml"] == ["<f><kind>cat</kind></f>"]
