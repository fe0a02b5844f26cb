"""Issue 10: a call loads only the model graph it parses (generated Stripe, fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.builds import build_into, on_path

# Run with the built package first on sys.path: `customers.retrieve` answered by a MockTransport,
# then which `stripe.models` modules are loaded and how many model classes they define.
_CODE = """
import json, sys
import httpx, pydantic
import stripe

body = json.loads(sys.argv[1])
transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
client = stripe.Client(api_key="sk_test_1", http_client=httpx.Client(transport=transport))
customer = client.customers.retrieve("cus_1")
loaded = sorted(m.rsplit(".", 1)[1] for m in sys.modules if m.startswith("stripe.models."))
classes = sum(
    1
    for m in list(sys.modules)
    if m.startswith("stripe.models.")
    for value in vars(sys.modules[m]).values()
    if isinstance(value, type) and issubclass(value, pydantic.BaseModel) and value.__module__ == m
)
print(json.dumps({"type": type(customer).__name__, "loaded": loaded, "classes": classes,
                  "source": type(customer.default_source).__name__}))
"""

CUSTOMER: dict[str, Any] = {
    "id": "cus_1",
    "object": "customer",
    "created": 1,
    "livemode": False,
    "email": "a@example.com",
    "address": {"city": "Berlin", "country": "DE"},
    "default_source": "card_1",
}


def _first_call(out: Path, body: dict[str, Any]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", _CODE, json.dumps(body)],
        capture_output=True,
        text=True,
        cwd=out,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    return found


@pytest.mark.slow
def test_customer_with_an_id_loads_no_payment_source_model(built: dict[str, Path]) -> None:
    found = _first_call(built["stripe"], CUSTOMER)
    assert found["type"] == "Customer" and found["source"] == "str"
    # Customer and the leaf models it names directly (plain imports); nothing of the graphs
    # behind `default_source: str | BankAccount | Card | Source`, `subscriptions`, `discount`...
    # (`deleted_customer`: the other member of the response union; not `error`: a 200 does
    # not load the error bodies' model)
    assert found["loaded"] == ["address", "customer", "deleted_customer", "test_helpers_test_clock"]
    assert found["classes"] < 12


@pytest.mark.slow
def test_an_expanded_field_loads_the_model_its_data_holds(built: dict[str, Path]) -> None:
    card = {"id": "card_1", "object": "card", "brand": "Visa", "last4": "4242"}
    card.update({"exp_month": 1, "exp_year": 2030, "funding": "credit"})
    found = _first_call(built["stripe"], {**CUSTOMER, "default_source": card})
    assert found["type"] == "Customer" and found["source"] == "Card"
    assert "card" in found["loaded"]
    assert "bank_account" in found["loaded"] and "source" in found["loaded"]  # union members
    assert "account" not in found["loaded"]  # `Card.account` holds no data here
    assert "subscription" not in found["loaded"] and "discount" not in found["loaded"]


_ERRORS_SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Errors apart", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/pets/{id}": {
            "get": {
                "operationId": "getPet",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {"$ref": "#/components/responses/Pet"},
                    "404": {"$ref": "#/components/responses/Problem"},
                    "default": {"$ref": "#/components/responses/Problem"},
                },
            }
        }
    },
    "components": {
        "responses": {
            "Pet": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
            },
            "Problem": {
                "description": "error",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            },
        },
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}},
            },
            "Problem": {
                "type": "object",
                "required": ["detail"],
                "properties": {"detail": {"type": "string"}},
            },
        },
    },
}


def test_a_success_does_not_load_the_error_models(tmp_path: Path) -> None:
    """Error bodies parse into models of their own (`_pets_retrieve_errors`): a 200 leaves them
    unimported, the first 404 imports them and parses its body."""
    spec = tmp_path / "errs.json"
    spec.write_text(json.dumps(_ERRORS_SPEC))
    out = tmp_path / "errs"
    build_into(spec, out, name="errs")
    with on_path(out, "errs") as errs:
        import httpx

        status = {"code": 200}

        def answer(request: httpx.Request) -> httpx.Response:
            if status["code"] == 200:
                return httpx.Response(200, json={"id": "p1"})
            return httpx.Response(404, json={"detail": "gone"})

        http = httpx.Client(transport=httpx.MockTransport(answer))
        client = errs.Client(base_url="https://api.example.com", http_client=http, max_retries=0)
        assert client.pets.retrieve("p1").id == "p1"
        assert "errs.models.pet" in sys.modules and "errs.models.problem" not in sys.modules
        status["code"] = 404
        with pytest.raises(errs.NotFoundError) as caught:
            client.pets.retrieve("p2")
        assert type(caught.value.body).__name__ == "Problem"
        assert "errs.models.problem" in sys.modules
