"""An idempotency key the API takes in the JSON body is the `idempotency_key=` option too.

Plaid (and Square) declare `idempotency_key` as a body property of their writes, not a header:
the methods took it as `idempotency_key_` beside the `idempotency_key` option, which sent an
`Idempotency-Key` header the API ignores, and vouched for a retry of the POST that could then
repeat the side effect; a call without a key was never retried. Now the option fills the body
property, a call without one gets a fresh key in it (reused by its retries, which it makes safe),
and the contract run sends a drawn key through the option (decisions §78)."""

from __future__ import annotations

import inspect
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from apigen.contract.cases import CaseInput
from apigen.contract.mapping import to_call
from apigen.contract.wire import _without_generated_key  # pyright: ignore[reportPrivateUsage]
from tests.builds import api_of, build_document, on_path

_OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}}


def _spec(key: dict[str, Any] | None = None) -> dict[str, Any]:
    body = {
        "type": "object",
        "required": ["amount", "idempotency_key"],
        "properties": {
            "amount": {"type": "string"},
            "idempotency_key": key or {"type": "string", "maxLength": 50},
        },
    }
    content = {"application/json": {"schema": body}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Ledger", "version": "1"},
        "servers": [{"url": "https://ledger.example.com"}],
        "paths": {
            "/transfer/ledger/withdraw": {
                "post": {
                    "operationId": "transferLedgerWithdraw",
                    "requestBody": {"required": True, "content": content},
                    "responses": _OK,
                }
            },
            "/transfer/ledger/get": {  # a safe method keeps the property as an argument
                "get": {
                    "operationId": "transferLedgerGet",
                    "requestBody": {"content": content},
                    "responses": _OK,
                }
            },
        },
    }


def test_the_body_property_is_the_operation_s_and_no_argument() -> None:
    ops = {op.method: op for op in api_of(_spec()).operations}
    assert ops["post"].idempotency_field == "idempotency_key"
    assert [p.py_name for p in ops["post"].params] == ["amount"]
    assert ops["get"].idempotency_field is None
    # a key that is no string (an integer the runtime could not make up) stays an argument
    number = next(op for op in api_of(_spec({"type": "integer"})).operations)
    assert number.idempotency_field is None
    assert "idempotency_key_" in [p.py_name for p in number.params]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "ledger", _spec())


def test_the_option_fills_the_body_and_a_key_is_made_and_kept_for_retries(out: Path) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(503 if len(sent) == 2 else 200, json={})

    with on_path(out, "ledger") as ledger:
        http = httpx.Client(transport=httpx.MockTransport(answer))
        client = ledger.Client(api_key="k", http_client=http, max_retries=1)
        withdraw = client.transfer.ledger.withdraw.create
        assert "idempotency_key_" not in inspect.signature(withdraw).parameters
        withdraw(amount="5.50", idempotency_key="order-7")
        withdraw(amount="5.50")  # 503, then resent: the key makes the resend safe
    bodies = [json.loads(r.content) for r in sent]
    assert bodies[0] == {"amount": "5.50", "idempotency_key": "order-7"}
    assert "idempotency-key" not in sent[0].headers  # the body says it; the API reads it there
    assert uuid.UUID(bodies[1]["idempotency_key"])
    assert len(sent) == 3 and bodies[2] == bodies[1]  # the same key on the retry


def test_a_body_without_a_key_property_has_no_idempotency_field() -> None:
    # (a declared header: tests/e2e/test_idempotency_param.py; neither: a POST is not resent)
    spec = _spec()
    props = spec["paths"]["/transfer/ledger/withdraw"]["post"]["requestBody"]["content"]
    props["application/json"]["schema"] = {
        "type": "object",
        "properties": {"amount": {"type": "string"}},
    }
    assert next(op for op in api_of(spec).operations).idempotency_field is None


def test_the_contract_sends_a_drawn_key_through_the_option(out: Path) -> None:
    with on_path(out, "ledger") as ledger:
        from ledger.resources.transfer_ledger_withdraw import (  # type: ignore[import-not-found]
            _TRANSFER_LEDGER_WITHDRAW_CREATE as withdraw,
        )

        client = ledger.Client(api_key="k")
        body = {"amount": "1", "idempotency_key": "k-1"}
        case = CaseInput("drawn #1", body=body)
        call = to_call(case, withdraw, client.transfer.ledger.withdraw.create)
    assert call.kwargs == {"amount": "1", "idempotency_key": "k-1"}
    # the wire check reads a key the client made as the client's own, not a changed body
    sent = {"amount": "1", "idempotency_key": str(uuid.uuid4())}
    assert _without_generated_key(sent, {"amount": "1"}, "POST") == {"amount": "1"}
    assert _without_generated_key(sent, {"amount": "1"}, "GET") == sent


def test_an_empty_key_is_the_property_s_value_and_vouches_for_no_retry(out: Path) -> None:
    """A helper's corpus2 contract sweep (Plaid): `idempotency_key=""` left the required body
    property out, an invalid request with no error. The option is that property's argument:
    `""` is sent as given, and (a key that names nothing) the 503 is not resent."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(503, json={})

    with on_path(out, "ledger") as ledger:
        http = httpx.Client(transport=httpx.MockTransport(answer))
        client = ledger.Client(api_key="k", http_client=http, max_retries=2)
        with pytest.raises(ledger.APIStatusError):
            client.transfer.ledger.withdraw.create(amount="1", idempotency_key="")
    assert [json.loads(r.content) for r in sent] == [{"amount": "1", "idempotency_key": ""}]


def test_the_contract_sends_a_drawn_empty_key_through_the_option(out: Path) -> None:
    with on_path(out, "ledger") as ledger:
        from ledger.resources.transfer_ledger_withdraw import (  # type: ignore[import-not-found]
            _TRANSFER_LEDGER_WITHDRAW_CREATE as withdraw,
        )

        client = ledger.Client(api_key="k")
        case = CaseInput("drawn #1", body={"amount": "1", "idempotency_key": ""})
        call = to_call(case, withdraw, client.transfer.ledger.withdraw.create)
    assert call.kwargs == {"amount": "1", "idempotency_key": ""}


@pytest.mark.parametrize(
    ("key", "taken"),
    [
        ({"type": "string", "maxLength": 20}, False),
        ({"type": "string", "minLength": 40}, False),
        ({"type": "string", "pattern": "^[a-z0-9]+$"}, False),
        ({"type": "string", "enum": ["a", "b"]}, False),
        ({"type": "string", "format": "date-time"}, False),
        ({"type": "string", "maxLength": 45, "minLength": 1}, True),  # Square's
        ({"type": "string", "pattern": "^[a-f0-9-]+$"}, True),
        ({"type": "string", "format": "uuid"}, True),
    ],
)
def test_a_key_the_runtime_could_not_make_up_stays_an_argument(
    key: dict[str, Any], taken: bool
) -> None:
    """The key a call left without one gets is a UUID: where the property's schema refuses
    one, the runtime would send an invalid key (the sandbox's 400 was blamed on it). Such a
    key is the method's argument, as an integer one is, and none is made up."""
    op = next(op for op in api_of(_spec(key)).operations if op.method == "post")
    assert (op.idempotency_field == "idempotency_key") is taken
    assert ("idempotency_key_" in [p.py_name for p in op.params]) is not taken


@pytest.fixture(scope="module")
def nullable(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(
        tmp_path_factory, "ledger_null", _spec({"type": "string", "nullable": True})
    )


def test_a_nullable_key_property_takes_none_through_the_option(nullable: Path) -> None:
    """A helper's corpus2 sweep (Plaid's `transferAuthorizationCreate`: `idempotency_key:
    {type: string, nullable: true}`): the option was typed `str | NotGiven`, so a type checker
    refused the null the spec allows, and the contract reported a drawn null as the client's
    failure. There the option takes None: the property is sent null, and (no key) the 503 is
    not resent; the contract sends a drawn null through it."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(503, json={})

    with on_path(nullable, "ledger_null") as ledger:
        from ledger_null.resources.transfer_ledger_withdraw import (  # type: ignore[import-not-found]
            _TRANSFER_LEDGER_WITHDRAW_CREATE as withdraw,
        )

        create = ledger.Client(api_key="k").transfer.ledger.withdraw.create
        assert "None" in str(inspect.signature(create).parameters["idempotency_key"].annotation)
        http = httpx.Client(transport=httpx.MockTransport(answer))
        client = ledger.Client(api_key="k", http_client=http, max_retries=2)
        with pytest.raises(ledger.APIStatusError):
            client.transfer.ledger.withdraw.create(amount="1", idempotency_key=None)
        case = CaseInput("edge", body={"amount": "1", "idempotency_key": None})
        call = to_call(case, withdraw, client.transfer.ledger.withdraw.create)
    assert [json.loads(r.content) for r in sent] == [{"amount": "1", "idempotency_key": None}]
    assert call.kwargs == {"amount": "1", "idempotency_key": None}


def test_a_key_property_without_null_keeps_the_plain_option(out: Path) -> None:
    with on_path(out, "ledger") as ledger:
        create = ledger.Client(api_key="k").transfer.ledger.withdraw.create
        annotation = inspect.signature(create).parameters["idempotency_key"].annotation
    assert "None" not in str(annotation)
