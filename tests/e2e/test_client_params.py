"""AutoRest's client parameters: Azure's `subscriptionId` and `api-version` are given once.

Every method of an Azure client asked for `subscription_id` and `api_version` (positional, the
first, and required on every call), where Azure's own SDKs take the subscription in the
client's constructor and the API version as the constant the spec describes. In an AutoRest
document a global parameter (`parameters`, `components/parameters`) is the client's unless it
says `x-ms-parameter-location: method`. Found reading the Azure clients of the corpus,
2026-12-05 (decisions §73)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.builds import api_of, assert_strict_mypy, build_document, on_path

_ITEM = "/subscriptions/{subscriptionId}/resourceGroups/{group}/vaults/{name}"


def _spec(autorest: bool = True) -> dict[str, Any]:
    def ref(name: str) -> dict[str, str]:
        return {"$ref": f"#/components/parameters/{name}"}

    group = {"name": "group", "in": "path", "required": True, "schema": {"type": "string"}}
    name = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}}
    get: dict[str, Any] = {
        "operationId": "Vaults_Get",
        "tags": ["Vaults"],
        "parameters": [ref("Subscription"), group, name, ref("ApiVersion"), ref("Region")],
        "responses": ok,
    }
    region: dict[str, Any] = {"name": "region", "in": "query", "required": True}
    region["schema"] = {"type": "string"}
    if autorest:  # AutoRest's extensions in use (any `x-ms-*` of an operation or a parameter)
        get["x-ms-examples"] = {}
        region["x-ms-parameter-location"] = "method"  # a global parameter each call gives
    return {
        "openapi": "3.0.0",
        "info": {"title": "Vaults", "version": "2024-05-01"},
        "servers": [{"url": "https://management.example.com"}],
        "paths": {
            _ITEM: {"get": get},
            "/subscriptions/{subscriptionId}/vaults": {
                "get": {
                    "operationId": "Vaults_List",
                    "tags": ["Vaults"],
                    "parameters": [ref("Subscription"), ref("ApiVersion")],
                    "responses": ok,
                }
            },
        },
        "components": {
            "parameters": {
                "Subscription": {
                    "name": "subscriptionId",
                    "in": "path",
                    "required": True,
                    "description": "The subscription.",
                    "schema": {"type": "string"},
                },
                "ApiVersion": {
                    "name": "api-version",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string"},
                },
                "Region": region,
            }
        },
    }


def test_an_autorest_document_s_global_parameters_are_the_client_s() -> None:
    api = api_of(_spec())
    assert [(c.keyword, c.wire_name, c.location, c.default) for c in api.client_params] == [
        ("subscription_id", "subscriptionId", "path", None),
        ("api_version", "api-version", "query", "2024-05-01"),  # the version the spec describes
    ]
    get = next(op for op in api.operations if op.operation_id == "Vaults_Get")
    by_name = {p.py_name: p for p in get.params}
    assert by_name["subscription_id"].client and not by_name["subscription_id"].required
    assert by_name["api_version"].client and not by_name["api_version"].required
    assert not by_name["region"].client and by_name["region"].required  # `method`
    assert not by_name["group"].client  # inline: the operation's own


def test_other_documents_keep_every_parameter_on_the_call() -> None:
    api = api_of(_spec(autorest=False))
    assert api.client_params == []
    spec = _spec(autorest=False)  # unless a parameter asks for it
    group = spec["paths"][_ITEM]["get"]["parameters"][1]
    group["x-ms-parameter-location"] = "client"
    assert [c.keyword for c in api_of(spec).client_params] == ["group"]


def test_a_keyword_the_client_has_already_stays_the_call_s() -> None:
    spec = _spec()
    spec["components"]["parameters"]["Subscription"]["name"] = "timeout"
    spec["paths"] = {
        k.replace("{subscriptionId}", "{timeout}"): v for k, v in spec["paths"].items()
    }
    assert [c.keyword for c in api_of(spec).client_params] == ["api_version"]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "vaults", _spec())


def test_calls_take_the_client_s_values_and_may_pass_their_own(out: Path) -> None:
    sent: list[httpx.URL] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.url)
        return httpx.Response(200, json={})

    with on_path(out, "vaults") as vaults:
        http = httpx.Client(transport=httpx.MockTransport(answer))
        client = vaults.Client(subscription_id="sub-1", http_client=http)
        client.vaults.get("rg", "v1", region="eu")
        client.vaults.get("rg", "v2", region="eu", subscription_id="sub-2", api_version="2020")
        client.with_options(max_retries=0).vaults.list()
        assert [(u.path, dict(u.params)) for u in sent] == [
            (
                "/subscriptions/sub-1/resourceGroups/rg/vaults/v1",
                {"api-version": "2024-05-01", "region": "eu"},
            ),
            (
                "/subscriptions/sub-2/resourceGroups/rg/vaults/v2",
                {"api-version": "2020", "region": "eu"},
            ),
            ("/subscriptions/sub-1/vaults", {"api-version": "2024-05-01"}),
        ]
        bare = vaults.Client(http_client=http)  # no subscription: said before anything is sent
        with pytest.raises(
            TypeError, match=r"Vaults_List needs subscription_id.*Client\(subscription_id="
        ):
            bare.vaults.list()
        assert len(sent) == 3


def test_the_client_keywords_under_mypy(out: Path, tmp_path: Path) -> None:
    snippet = tmp_path / "use_vaults.py"
    snippet.write_text(
        "from vaults import AsyncClient, Client\n\n"
        "client = Client(subscription_id='sub', api_version='2024-05-01')\n"
        "client.vaults.get('rg', 'v', region='eu')\n"
        "client.vaults.list(subscription_id='other')\n"
        "AsyncClient(subscription_id=1)  # type: ignore[arg-type]\n"
    )
    assert_strict_mypy(out, snippet)
