"""A declared idempotency-key header is the `idempotency_key=` option, not a second keyword.

A spec declaring `Idempotency-Key` as a header parameter gave its methods two keywords for the
one header: `idempotency_key_` (the parameter, renamed off the option's name) and the
`idempotency_key` request option every method has. The runtime already reads the declared
header as the operation's idempotency header (a generated key on each unsafe call, reused by
its retries), so the parameter is left out of the signature; the contract run sends a drawn
value through the option. Found reading a hand-written payments spec, 2026-12-05."""

from __future__ import annotations

import inspect
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from apigen.contract.cases import CaseInput
from apigen.contract.mapping import to_call
from tests.builds import api_of, build_document, on_path


def _spec(header: str = "Idempotency-Key", required: bool = False) -> dict[str, Any]:
    key = {"name": header, "in": "header", "required": required, "schema": {"type": "string"}}
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}}
    body = {"type": "object", "properties": {"amount": {"type": "integer"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Payments", "version": "1"},
        "servers": [{"url": "https://pay.example.com"}],
        "paths": {
            "/payments": {
                "post": {
                    "operationId": "createPayment",
                    "parameters": [key],
                    "requestBody": {"content": {"application/json": {"schema": body}}},
                    "responses": ok,
                },
                # a safe method: nothing generates a key there, so a required one stays
                "get": {"operationId": "listPayments", "parameters": [key], "responses": ok},
            }
        },
    }


@pytest.mark.parametrize("header", ["Idempotency-Key", "x-idempotency-key", "IdempotencyKey"])
def test_the_declared_header_is_the_operation_s_and_no_parameter(header: str) -> None:
    api = api_of(_spec(header))
    post = next(op for op in api.operations if op.method == "post")
    assert post.idempotency_header == header
    assert [p.py_name for p in post.params] == ["amount"]
    get = next(op for op in api.operations if op.method == "get")
    assert [p.py_name for p in get.params] == []  # optional: the option sends it if wanted
    required = next(op for op in api_of(_spec(header, True)).operations if op.method == "get")
    assert [p.wire_name for p in required.params] == [header]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "payments", _spec())


def test_the_option_sends_the_header_and_a_call_without_it_a_generated_key(out: Path) -> None:
    sent: list[httpx.Headers] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers)
        return httpx.Response(200, json={})

    with on_path(out, "payments") as payments:
        http = httpx.Client(transport=httpx.MockTransport(answer))
        client = payments.Client(api_key="k", http_client=http)
        create = client.payments.create
        assert "idempotency_key_" not in inspect.signature(create).parameters
        create(amount=1, idempotency_key="order-7")
        create(amount=1)
        client.payments.list()
    assert sent[0]["Idempotency-Key"] == "order-7"
    assert uuid.UUID(sent[1]["Idempotency-Key"])  # generated, reused by the call's retries
    assert "Idempotency-Key" not in sent[2]  # GET: nothing to make idempotent


def test_the_contract_sends_a_drawn_key_through_the_option(out: Path) -> None:
    with on_path(out, "payments") as payments:
        from payments.resources.payments import _PAYMENTS_CREATE  # type: ignore[import-not-found]

        client = payments.Client(api_key="k")
        case = CaseInput("drawn #1", headers={"idempotency-key": "k-1"}, body={"amount": 2})
        call = to_call(case, _PAYMENTS_CREATE, client.payments.create)
    assert call.kwargs == {"amount": 2, "idempotency_key": "k-1"}


def test_a_declared_header_a_uuid_does_not_fit_stays_a_parameter() -> None:
    """`Idempotency-Key: {maxLength: 16, pattern: ^[A-Z]+$}` (a helper's sweep): the runtime's
    generated UUID was sent and refused, and the contract run blamed the sandbox. The header is
    then an ordinary parameter and no key is made up."""
    spec = _spec()
    key = spec["paths"]["/payments"]["post"]["parameters"][0]
    key["schema"] = {"type": "string", "maxLength": 16, "pattern": "^[A-Z]+$"}
    post = next(op for op in api_of(spec).operations if op.method == "post")
    assert post.idempotency_header is None
    assert "idempotency_key_" in [p.py_name for p in post.params]


def test_the_contract_checks_a_key_the_client_made_against_the_header_s_schema() -> None:
    """The request check compared only the values a case gave: a key the client added was
    never read. Now one the spec refuses is the client's failure."""
    from apigen.contract.spec import SpecView
    from apigen.contract.wire import check_request

    spec = _spec()
    spec["paths"]["/payments"]["post"]["parameters"][0]["schema"] = {
        "type": "string",
        "maxLength": 16,
    }
    view = SpecView(spec)
    made = str(uuid.uuid4())
    request = httpx.Request(
        "POST",
        "https://pay.example.com/payments",
        headers={"Idempotency-Key": made},
        json={"amount": 1},
    )
    problems = check_request(
        view, "post", "/payments", "https://pay.example.com", request, {}, {"amount": 1}, True
    )
    assert problems == [
        f"header Idempotency-Key={made!r} (made by the client): <root>: {made!r} is too long"
    ]
