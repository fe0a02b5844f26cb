"""`text/json` (ASP.NET Web API's legacy JSON type) is JSON, as the runtime, the sandbox and
the Swagger 2.0 converter already read it. A lead audit of a left-alone item: offered alone,
the IR typed it as text, so the body was `body: str` and the answer a `str`, with the `Pet`
model generated and never used. So was `application/json ; charset=utf-8` (RFC 9110 lets
whitespace precede a parameter), typed `bytes` (helper 209)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.builds import build_into, on_path

PET = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
}


def _spec(request_media: str, response_media: str) -> dict[str, object]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "tj", "version": "1"},
        "servers": [{"url": "https://example.test"}],
        "paths": {
            "/pets": {
                "post": {
                    "operationId": "createPet",
                    "requestBody": {
                        "required": True,
                        "content": {
                            request_media: {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                response_media: {"schema": {"$ref": "#/components/schemas/Pet"}}
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Pet": PET}},
    }


@pytest.mark.parametrize(
    ("request_media", "response_media"),
    [("text/json", "text/json; charset=utf-8"), ("text/json", "application/json ; charset=utf-8")],
)
def test_a_text_json_body_and_answer_are_json(
    tmp_path: Path, request_media: str, response_media: str
) -> None:
    spec = tmp_path / "tj.json"
    spec.write_text(json.dumps(_spec(request_media, response_media)))
    build_into(spec, tmp_path / "out", name="tj")
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(
            200,
            content=b'{"name": "Rex", "age": 3}',
            headers={"content-type": response_media},
        )

    with on_path(tmp_path / "out", "tj") as pkg:
        client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        pet = client.pets.create(name="Rex", age=3)
        assert type(pet).__name__ == "Pet" and (pet.name, pet.age) == ("Rex", 3)
    (request,) = sent
    assert request.headers["content-type"].startswith("text/json")
    assert json.loads(request.content) == {"name": "Rex", "age": 3}
    assert response_media.partition(";")[0].strip() in request.headers["accept"]
