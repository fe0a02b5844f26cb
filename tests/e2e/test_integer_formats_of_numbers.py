"""`type: number` with the Format Registry's `int32`/`int64` is an integer where the data is
one. A helper's Prism sweep (opto22's device ids): typed `float`, a response `{"id": 5}` read
as `5.0`, sent back as `GET /devices/5.0`, and `2**53 + 1` was rounded; now `int | float`,
so a fraction the validators let through still reads as a float."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.builds import build_into, on_path

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "num", "version": "1"},
    "servers": [{"url": "https://example.test"}],
    "paths": {
        "/devices/{id}": {
            "get": {
                "operationId": "getDevice",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "number", "format": "int64"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["id"],
                                    "properties": {
                                        "id": {"type": "number", "format": "int64"},
                                        "ratio": {"type": "number"},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        }
    },
}


def test_an_integer_format_number_keeps_integers_exact(tmp_path: Path) -> None:
    spec = tmp_path / "num.json"
    spec.write_text(json.dumps(SPEC))
    build_into(spec, tmp_path / "out", name="num")
    answers = [{"id": 5, "ratio": 1}, {"id": 2**53 + 1}, {"id": 2.5}]
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        return httpx.Response(200, json=answers.pop(0))

    with on_path(tmp_path / "out", "num") as pkg:
        client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        first = client.devices.retrieve(id=7)
        assert first.id == 5 and type(first.id) is int
        assert type(first.ratio) is float  # a plain `number` stays a float
        big = client.devices.retrieve(id=first.id)
        assert big.id == 2**53 + 1
        assert client.devices.retrieve(id=big.id).id == 2.5
    assert paths == ["/devices/7", "/devices/5", f"/devices/{2**53 + 1}"]
