"""A component enum only requests carry is closed, as the arguments that take it are.

A helper's diff sweep (189): `components/schemas/Color` (an enum only a request body's field
named) was `Color = Literal["red", "green", "blue"] | str`, open as enums responses carry are,
while `create(color=...)` takes the closed `Literal[...]`: a caller's `v: Color = "blue"` then
`create(color=v)` failed mypy against the very client it came from. An enum responses carry too
stays open (a value the API adds must not fail parsing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.builds import assert_strict_mypy, build_document

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Colors", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/pets": {
            "post": {
                "operationId": "createPet",
                "tags": ["pets"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}
                    },
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Color": {"type": "string", "enum": ["red", "green", "blue"]},
            "Status": {"type": "string", "enum": ["available", "sold"]},
            "NewPet": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "color": {"$ref": "#/components/schemas/Color"},
                    "status": {"$ref": "#/components/schemas/Status"},
                },
            },
            "Pet": {
                "type": "object",
                "properties": {"status": {"$ref": "#/components/schemas/Status"}},
            },
        }
    },
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "colors", SPEC)


def test_a_request_only_enum_is_closed_a_shared_one_open(out: Path) -> None:
    color = (out / "colors" / "models" / "color.py").read_text()
    assert 'Color: TypeAlias = Literal["red", "green", "blue"]\n' in color
    status = (out / "colors" / "models" / "status.py").read_text()
    assert 'Status: TypeAlias = Literal["available", "sold"] | str\n' in status


def test_a_callers_enum_variable_is_taken_by_the_argument(out: Path, tmp_path: Path) -> None:
    snippet = tmp_path / "use_colors.py"
    snippet.write_text(
        "from colors import Client\n"
        "from colors.models.color import Color\n\n"
        "client = Client(api_key='k')\n"
        "v: Color = 'blue'\n"
        "client.pets.create(name='x', color=v)\n"
        # closed: without the error, the ignore is unused (strict)
        "bad: Color = 'pink'  # type: ignore[assignment]\n"
    )
    assert_strict_mypy(out, snippet)
