"""A plain path key and keys of the same path holding a query (`/responses` and
`/responses?beta=true`, OpenAI's spec; decisions.md 27): the request carrying the key's query
pairs is the keyed operation, whatever order the keys sort in."""

from __future__ import annotations

from typing import Any

from apigen.sandbox import Sandbox

OK = {"200": {"description": "ok"}}

DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "keys", "version": "1"},
    "servers": [{"url": "https://api.example.com/v1"}],
    "paths": {
        "/responses": {"post": {"operationId": "create", "responses": OK}},
        "/responses?beta=true": {"post": {"operationId": "betaCreate", "responses": OK}},
        "/responses/{id}": {
            "get": {
                "operationId": "get",
                "parameters": [{"name": "id", "in": "path", "required": True}],
                "responses": OK,
            }
        },
        "/responses/{rid}?beta=true": {
            "get": {
                "operationId": "betaGet",
                "parameters": [{"name": "rid", "in": "path", "required": True}],
                "responses": OK,
            }
        },
        "/responses/mine": {"get": {"operationId": "mine", "responses": OK}},
    },
}


def _served(target: str, method: str = "POST") -> tuple[int, str | None]:
    sandbox = Sandbox(DOC)
    reply = sandbox.handle(method, target)
    return reply.status, sandbox.requests[-1].operation_id


def test_the_keyed_operation_takes_its_query() -> None:
    assert _served("/v1/responses?beta=true") == (200, "betaCreate")
    assert _served("/v1/responses") == (200, "create")
    assert _served("/v1/responses/r1?beta=true", "GET") == (200, "betaGet")
    assert _served("/v1/responses/r1", "GET") == (200, "get")


def test_a_key_query_value_is_required() -> None:
    status, _ = _served("/v1/responses?beta=false")
    assert status == 400  # neither operation takes `beta=false`


def test_a_literal_path_still_wins_over_a_keyed_parameter() -> None:
    assert _served("/v1/responses/mine?beta=true", "GET")[1] == "mine"
