"""A union of models where only one member is imported lazily (`Later`): pydantic is given
the union as one lazy union, so it picks among the models. Helper 207 (Prism over Adyen's
TransferService): with one `Later` beside models imported as they are, the `Later` was a plain
function validator, whose success smart union takes for an exact match: a body valid only as
`Cat` parsed as `Dog` (a Singapore account as `NumberAndBic`, a tag invented on the way)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.builds import build_into, on_path

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "later-union", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/adoption": {
            "get": {
                "operationId": "getAdoption",
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Adoption"}
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Adoption": {
                "type": "object",
                "properties": {
                    "pet": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/Cat"},
                            {"$ref": "#/components/schemas/Dog"},
                        ]
                    }
                },
            },
            "Cat": {
                "type": "object",
                "required": ["meow"],
                "properties": {"meow": {"type": "string", "format": "date-time"}},
            },
            # a nested model makes `Dog` lazily imported by `Adoption`, `Cat` not
            "Dog": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"owner": {"$ref": "#/components/schemas/Owner"}},
            },
            "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
        }
    },
}


def test_a_body_valid_only_as_the_eager_member_is_that_member(tmp_path: Path) -> None:
    spec = tmp_path / "later.json"
    spec.write_text(json.dumps(SPEC))
    build_into(spec, tmp_path / "out", name="laterunion")
    source = (tmp_path / "out" / "laterunion" / "models" / "adoption.py").read_text()
    assert "from ..models.cat import Cat" in source  # the shape this test is about
    bodies = [{"pet": {"meow": "2024-01-02T03:04:05Z"}}, {"pet": {"owner": {"name": "Ann"}}}]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=bodies.pop(0))

    with on_path(tmp_path / "out", "laterunion") as pkg:
        http = httpx.Client(transport=httpx.MockTransport(handler))
        client = pkg.Client(http_client=http, strict_response_validation=True)
        cat = client.adoption.retrieve().pet
        assert type(cat).__name__ == "Cat" and cat.meow.year == 2024
        dog = client.adoption.retrieve().pet
        assert type(dog).__name__ == "Dog" and dog.owner.name == "Ann"
