"""Generated GitHub and Stripe clients, sync and async, against the sandbox on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import pytest

from apigen.sandbox import Sandbox
from tests.builds import on_path


def _document(specs_dir: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((specs_dir / f"{name}.json").read_text())
    return data


@pytest.fixture(scope="module")
def stripe(built: dict[str, Path]) -> Iterator[ModuleType]:
    with on_path(built["stripe"], "stripe") as pkg:
        yield pkg


@pytest.fixture(scope="module")
def github(built: dict[str, Path]) -> Iterator[ModuleType]:
    with on_path(built["github"], "github") as pkg:
        yield pkg


@pytest.fixture(scope="module")
def stripe_sandbox(specs_dir: Path) -> Iterator[Sandbox]:
    with Sandbox(_document(specs_dir, "stripe")) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def github_sandbox(specs_dir: Path) -> Iterator[Sandbox]:
    with Sandbox(_document(specs_dir, "github")) as sandbox:
        yield sandbox


def _form_pairs(body: bytes) -> list[tuple[str, str]]:
    return parse_qsl(body.decode(), keep_blank_values=True)


def test_stripe_form_body_is_encoded_as_stripe_expects(
    stripe: ModuleType, stripe_sandbox: Sandbox
) -> None:
    client = stripe.Client(base_url=stripe_sandbox.url, api_key="sk_test_123")
    customer = client.customers.create(
        email="jenny@example.com",
        metadata={"order_id": "6735", "note": "a&b=c"},
        expand=["default_source", "invoice_settings.default_payment_method"],
        address={"line1": "1 Main St", "city": "Berlin"},
        preferred_locales=["de", "en"],
        tax_id_data=[{"type": "eu_vat", "value": "DE123"}],
    )
    from stripe.models import Customer

    assert isinstance(customer, Customer)
    assert isinstance(customer.id, str)
    sent = stripe_sandbox.requests[-1]
    assert sent.method == "POST" and sent.path.endswith("/v1/customers")
    assert sent.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert sent.headers["authorization"] == "Basic c2tfdGVzdF8xMjM6"  # api_key as basic user
    pairs = _form_pairs(sent.body)
    assert ("email", "jenny@example.com") in pairs
    assert ("metadata[order_id]", "6735") in pairs
    assert ("metadata[note]", "a&b=c") in pairs
    assert [v for k, v in pairs if k == "expand[]"] == [
        "default_source",
        "invoice_settings.default_payment_method",
    ]
    assert ("address[line1]", "1 Main St") in pairs
    assert ("address[city]", "Berlin") in pairs
    assert [v for k, v in pairs if k == "preferred_locales[]"] == ["de", "en"]
    assert ("tax_id_data[0][type]", "eu_vat") in pairs
    assert ("tax_id_data[0][value]", "DE123") in pairs
    # Issue 8: Stripe's spec declares no idempotency header; apigen.toml configures Stripe's
    # (`idempotency_header`), so a create carries a key, and a client can turn it off.
    assert "idempotency-key" in sent.headers
    client.close()
    unkeyed = stripe.Client(
        base_url=stripe_sandbox.url, api_key="sk_test_123", idempotency_header=None
    )
    unkeyed.customers.create(email="jenny@example.com")
    assert "idempotency-key" not in stripe_sandbox.requests[-1].headers
    unkeyed.close()


def test_stripe_list_query_uses_deep_object_and_expand_brackets(
    stripe: ModuleType, stripe_sandbox: Sandbox
) -> None:
    client = stripe.Client(base_url=stripe_sandbox.url, api_key="sk_test_123")
    page = client.customers.list(
        limit=3, expand=["data.default_source"], created={"gt": 1600000000, "lte": 1700000000}
    )
    assert isinstance(page.data, list)
    sent = stripe_sandbox.requests[-1]
    assert sent.method == "GET"
    assert ("limit", "3") in sent.query
    assert ("expand[]", "data.default_source") in sent.query
    assert ("created[gt]", "1600000000") in sent.query
    assert ("created[lte]", "1700000000") in sent.query
    assert "expand%5B%5D" in sent.query_string or "expand[]" in sent.query_string
    client.close()


def test_stripe_nested_resource_and_path_params(
    stripe: ModuleType, stripe_sandbox: Sandbox
) -> None:
    client = stripe.Client(base_url=stripe_sandbox.url, api_key="sk_test_123")
    sources = client.customers.sources.list(customer="cus 1/2")
    assert hasattr(sources, "data")
    sent = stripe_sandbox.requests[-1]
    assert sent.path.endswith("/v1/customers/cus%201%2F2/sources")
    assert sent.headers["authorization"].startswith("Basic ")
    client.close()


def test_stripe_missing_credentials_fail_before_sending(
    stripe: ModuleType, stripe_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stripe's basic-or-bearer security is one secret: `api_key=` / `STRIPE_API_KEY`."""
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    client = stripe.Client(base_url=stripe_sandbox.url)
    before = len(stripe_sandbox.requests)
    with pytest.raises(stripe.MissingCredentialsError, match=r"api_key=.*STRIPE_API_KEY"):
        client.customers.list()
    assert len(stripe_sandbox.requests) == before
    monkeypatch.setenv("STRIPE_API_KEY", "sk_env")
    client.customers.list()
    # the first alternative (basic, the key as user name and an empty password)
    assert stripe_sandbox.requests[-1].headers["authorization"] == "Basic c2tfZW52Og=="


async def test_stripe_async_client(stripe: ModuleType, stripe_sandbox: Sandbox) -> None:
    async with stripe.AsyncClient(base_url=stripe_sandbox.url, api_key="sk_a") as client:
        customer = await client.customers.retrieve(customer="cus_123", expand=["sources"])
        from stripe.models import Customer, DeletedCustomer

        assert isinstance(customer, Customer | DeletedCustomer)
        sent = stripe_sandbox.requests[-1]
        assert sent.path.endswith("/v1/customers/cus_123")
        assert ("expand[]", "sources") in sent.query
        refund = await client.refunds.create(charge="ch_1", amount=500, metadata={"k": "v"})
        from stripe.models import Refund

        assert isinstance(refund, Refund)
        pairs = _form_pairs(stripe_sandbox.requests[-1].body)
        assert ("amount", "500") in pairs and ("metadata[k]", "v") in pairs


def test_github_typed_models(github: ModuleType, github_sandbox: Sandbox) -> None:
    from github.models import FullRepository, Issue

    with github.Client(base_url=github_sandbox.url) as client:
        repo = client.repos.get(owner="octocat", repo="hello-world")
        assert isinstance(repo, FullRepository)
        assert isinstance(repo.full_name, str)
        issues = client.issues.list_for_repo(
            owner="octocat", repo="hello-world", state="open", labels="bug,ui", per_page=5
        )
        assert isinstance(issues.items, list) and all(isinstance(i, Issue) for i in issues.items)
        sent = github_sandbox.requests[-1]
        assert sent.path.endswith("/repos/octocat/hello-world/issues")
        assert ("state", "open") in sent.query and ("per_page", "5") in sent.query
        created = client.issues.create(
            owner="octocat", repo="hello-world", title="Found a bug", labels=["bug"]
        )
        assert isinstance(created, Issue)
        body = json.loads(github_sandbox.requests[-1].body)
        assert body == {"title": "Found a bug", "labels": ["bug"]}


async def test_github_async(github: ModuleType, github_sandbox: Sandbox) -> None:
    from github.models import FullRepository

    async with github.AsyncClient(base_url=github_sandbox.url) as client:
        repo = await client.repos.get(owner="octocat", repo="hello-world")
        assert isinstance(repo, FullRepository)
        user = await client.users.get_by_username(username="octocat")
        assert user is not None
