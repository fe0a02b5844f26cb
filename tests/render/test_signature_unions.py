"""Signatures spell a tagged union as the plain union it is to a type checker.

`client.users.get_authenticated()` (GitHub) was annotated `-> Annotated[Annotated[PrivateUser,
Tag("PrivateUser")] | Annotated[PublicUser, Tag("PublicUser")] | Annotated[PrivateUser |
PublicUser, Tag("*")], Discriminator(_rt.discriminator(...))]`, eleven lines a reader (and an
IDE's hover) has to see through, where mypy and pyright read `PrivateUser | PublicUser`. The
`Discriminator` matters only where pydantic validates: the response factories keep it, so a
body is still parsed as the member its tag names. Found reading the GitHub client, 2026-12-05."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.builds import assert_strict_mypy, build_document, on_path

_CARD = {
    "type": "object",
    "required": ["kind", "number"],
    "properties": {"kind": {"type": "string", "enum": ["card"]}, "number": {"type": "string"}},
}
_BANK = {
    "type": "object",
    "required": ["kind"],
    "properties": {"kind": {"type": "string", "enum": ["bank"]}, "iban": {"type": "string"}},
}


def _spec() -> dict[str, Any]:
    union = {
        "oneOf": [{"$ref": "#/components/schemas/Card"}, {"$ref": "#/components/schemas/Bank"}],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"card": "#/components/schemas/Card", "bank": "#/components/schemas/Bank"},
        },
    }
    json_of = {"application/json": {"schema": union}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pay", "version": "1"},
        "servers": [{"url": "https://pay.example.com"}],
        "paths": {
            "/methods": {
                "post": {
                    "operationId": "addMethod",
                    "requestBody": {"required": True, "content": json_of},
                    "responses": {"200": {"description": "ok", "content": json_of}},
                }
            }
        },
        "components": {"schemas": {"Card": _CARD, "Bank": _BANK}},
    }


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "pay", _spec())


def test_the_signature_says_the_plain_union(out: Path) -> None:
    source = (out / "pay" / "resources" / "methods.py").read_text()
    # (each member or its TypedDict twin: a plain dict is taken too, `test_param_twins`)
    assert "body: Card | CardParam | Bank | BankParam," in source
    assert ") -> Card | Bank:" in source
    assert "_rt.Operation[Card | Bank]" in source
    head = source.split("\ndef ", 1)[0]  # the module's imports: pydantic's only in factories
    assert "Discriminator" not in head and "Tag" not in head
    assert source.count("Discriminator(") == 1  # the response factory's


def test_the_response_is_still_parsed_by_its_tag(out: Path) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        # valid as both members (Bank's `iban` is optional, extra keys are kept): only the tag
        # says which one it is
        return httpx.Response(200, json={"kind": "bank", "number": "4242"})

    with on_path(out, "pay") as pay:
        http = httpx.Client(transport=httpx.MockTransport(answer))
        client = pay.Client(api_key="k", http_client=http)
        from pay.models import Bank, Card  # type: ignore[import-not-found]

        method = client.methods.create
        annotation = inspect.signature(method).parameters["body"].annotation
        assert annotation == "Card | CardParam | Bank | BankParam"
        result = method(body=Card(kind="card", number="4242"))
    assert type(result) is Bank


def test_strict_type_checkers_read_the_plain_union(out: Path, tmp_path: Path) -> None:
    snippet = tmp_path / "use.py"
    snippet.write_text(
        "from pay import Client\n"
        "from pay.models import Bank, Card\n\n"
        "def use(client: Client) -> None:\n"
        "    got = client.methods.create(body=Card(kind='card', number='1'))\n"
        "    reveal: Card | Bank = got\n"
        "    if isinstance(got, Bank):\n"
        "        print(got.iban, reveal)\n"
    )
    assert_strict_mypy(out, snippet)


def test_an_integer_or_number_argument_is_a_float(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A helper's hostile specs: `type: [integer, number]` (or `anyOf` of both) on a parameter
    was annotated `int | float`, which ruff's PYI041 in the generated pyproject refuses (a
    type checker reads `float` as taking an `int`). Arguments say `float`; a model's field
    keeps `int | float` (pydantic would turn a 1 into 1.0)."""
    import subprocess
    import sys

    both = {"type": ["integer", "number"]}
    out = build_document(
        tmp_path_factory,
        "nums",
        {
            "openapi": "3.1.0",
            "info": {"title": "Nums", "version": "1"},
            "paths": {
                "/amount": {
                    "post": {
                        "operationId": "setAmount",
                        "parameters": [
                            {"name": "value", "in": "query", "required": True, "schema": both},
                            {
                                "name": "other",
                                "in": "query",
                                "schema": {"anyOf": [{"type": "integer"}, {"type": "number"}]},
                            },
                        ],
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {
                                    "application/json": {
                                        "schema": {
                                            "type": "object",
                                            "properties": {"amount": both},
                                        }
                                    }
                                },
                            }
                        },
                    }
                }
            },
        },
    )
    resource = (out / "nums" / "resources" / "amount.py").read_text()
    assert "value: float," in resource and "other: float | NotGiven" in resource
    models = "".join(p.read_text() for p in (out / "nums").rglob("*.py") if "amount" in p.name)
    assert "amount: int | float | None" in models
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=out, capture_output=True, text=True
    )
    assert lint.returncode == 0, lint.stdout


def test_enums_spelled_out_strictly_join_in_one_literal(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Helper 225: a `oneOf` of two enums (open in responses, so a request spells them out
    strictly) was `Literal["a", "b"] | Literal[1, 2]`, ruff's PYI030 in the generated
    pyproject; one `Literal` now, values in order, each once."""
    import subprocess
    import sys

    either = {"oneOf": [{"$ref": "#/components/schemas/S"}, {"$ref": "#/components/schemas/I"}]}
    ok = {"description": "ok", "content": {"application/json": {"schema": either}}}
    parameter = {"name": "m", "in": "query", "required": True, "schema": either}
    out = build_document(
        tmp_path_factory,
        "lits",
        {
            "openapi": "3.0.3",
            "info": {"title": "Lits", "version": "1"},
            "paths": {
                "/x": {
                    "get": {
                        "operationId": "getX",
                        "parameters": [parameter],
                        "responses": {"200": ok},
                    }
                }
            },
            "components": {
                "schemas": {
                    "S": {"type": "string", "enum": ["a", "b", 'it\'s, "x"']},
                    "I": {"type": "integer", "enum": [1, 2]},
                }
            },
        },
    )
    resource = (out / "lits" / "resources" / "x.py").read_text()
    assert """m: Literal["a", "b", 'it\\'s, "x"', 1, 2],""" in resource
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=out, capture_output=True, text=True
    )
    assert lint.returncode == 0, lint.stdout
