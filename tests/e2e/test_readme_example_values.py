"""A README example passes the request validation of the API it documents: a path parameter
with a `pattern` (Twilio's `^AC[0-9a-fA-F]{32}$` account ids) gets a value the pattern finds,
not the placeholder `"string"` the sandbox (and the API) refuse; an object path parameter
without required properties gets one (`{}` would fill its segment with nothing, which the
client refuses: another endpoint); and tags that all start with a version name resources
without it (`client.order.list`, not `client.shop_v2_order...`). The required fields of a
model in a request body take values their schema accepts (a `minimum`, an email `format`; a
spec `example` of another type or format, beezup's `example: '100'` on an integer, passed
over), and of the first alternative of a `oneOf` of `required` lists (urlbox)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import pytest

from apigen.sandbox import Sandbox
from tests.builds import build_document, on_path
from tests.e2e.test_readme_examples import python_blocks

_ID = {"type": "string", "pattern": "^AC[0-9a-fA-F]{32}$", "minLength": 34, "maxLength": 34}
_SID = {"type": "string", "pattern": "^OR[0-9a-fA-F]{32}$"}
_ORDER = {
    "type": "object",
    "required": ["sid", "account_sid"],
    "properties": {"sid": _SID, "account_sid": _ID},
}


def _get(op_id: str, tag: str, params: list[dict[str, Any]], body: dict[str, Any]) -> Any:
    return {
        "operationId": op_id,
        "tags": [tag],
        "parameters": params,
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": body}}},
            "400": {"description": "bad", "content": {"application/json": {"schema": {}}}},
        },
    }


def _path_param(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema}


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Shop", "version": "2"},
    "servers": [{"url": "https://api.shop.example"}],
    "paths": {
        "/v2/Accounts/{AccountSid}/Orders.json": {
            "get": _get(
                "ListOrder",
                "ShopV2Order",
                [_path_param("AccountSid", _ID)],
                {"type": "array", "items": _ORDER},
            )
        },
        "/v2/Accounts/{AccountSid}/Orders/{Sid}.json": {
            "get": _get(
                "FetchOrder",
                "ShopV2Order",
                [_path_param("AccountSid", _ID), _path_param("Sid", _SID)],
                _ORDER,
            )
        },
        "/v2/Accounts/{AccountSid}/Filters/{filter}": {
            "get": _get(
                "FetchFilter",
                "ShopV2Filter",
                [
                    _path_param("AccountSid", _ID),
                    _path_param(
                        "filter",
                        {
                            "type": "object",
                            "properties": {"name": {"type": "string"}, "kind": {"type": "string"}},
                        },
                    ),
                ],
                {},
            )
        },
        "/v2/Accounts/{AccountSid}/Searches": {
            "post": {
                "operationId": "CreateSearch",
                "tags": ["ShopV2Search"],
                "parameters": [_path_param("AccountSid", _ID)],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["query"],
                                "properties": {"query": {"$ref": "#/components/schemas/Query"}},
                            }
                        }
                    },
                },
                "responses": {"204": {"description": "ok"}, "400": {"description": "bad"}},
            }
        },
        "/v2/Accounts/{AccountSid}/Reports": {
            "get": _get(
                "ListReport",
                "ShopV2Report",
                [
                    _path_param("AccountSid", _ID),
                    {  # amadeus: a date-time example on a date
                        "name": "day",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "format": "date"},
                        "example": "2025-10-15T13:50:20.886Z",
                    },
                    {  # beezup: a string example on an integer
                        "name": "count",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 5},
                        "example": "100",
                    },
                ],
                {"type": "array", "items": {}},
            )
        },
        "/v2/Accounts/{AccountSid}.json": {
            "get": _get("FetchAccount", "ShopV2Account", [_path_param("AccountSid", _ID)], {})
        },
    },
    "components": {
        "schemas": {
            "Query": {
                "type": "object",
                "required": ["pageSize", "contact", "tags", "secret"],
                # one of them must be given (urlbox's RenderRequest): the example gives `url`
                "oneOf": [{"required": ["url"]}, {"required": ["html"]}],
                "properties": {
                    "url": {"type": "string", "format": "uri"},
                    "html": {"type": "string"},
                    "secret": {"type": "string", "writeOnly": True},  # required of requests
                    "pageSize": {"type": "integer", "minimum": 25, "example": "100"},
                    "contact": {"type": "string", "format": "email"},
                    "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
                },
            },
            "Tag": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"$ref": "#/components/schemas/TagId"}},
            },
            "TagId": {"type": "string", "pattern": "^TG[0-9]{4}$"},
        }
    },
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "shop", SPEC)


def test_patterned_path_parameters_get_values_the_pattern_finds(
    out: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    readme = (out / "README.md").read_text()
    assert "client.order.list(" in readme and "client.account.fetch(" in readme
    assert '{"name": "string"}' in readme  # the filter's first property
    assert '"pageSize": 25' in readme and '"contact": "user@example.com"' in readme
    assert '"tags": [{"id": "TG0000"}]' in readme  # an alias inside a list of models
    assert '"url": "https://example.com"' in readme and '"html"' not in readme
    assert '"secret": "string"' in readme
    assert "day=datetime.date(2024, 1, 2),\n    count=5," in readme
    assert '("string"' not in readme and '\n    "string",\n' not in readme  # no placeholder id
    blocks = python_blocks(readme)
    with Sandbox(SPEC) as sandbox:
        monkeypatch.setenv("SHOP_BASE_URL", sandbox.url)
        monkeypatch.chdir(tmp_path)
        namespace: dict[str, Any] = {"__name__": "__readme__"}
        with on_path(out, "shop"), contextlib.redirect_stdout(io.StringIO()):
            for number, block in enumerate(blocks, 1):
                if not any(
                    f"client.{r}." in block
                    for r in ("order", "account", "filter", "search", "report")
                ):
                    continue  # the sections on errors, retries, ... (test_readme_examples)
                code = compile(block, f"shop/README.md block {number}", "exec")
                exec(code, namespace)
            namespace["client"].close()
        answered = [r for r in sandbox.requests if r.path.startswith("/v2/Accounts/AC")]
        assert len(answered) >= 6
        assert all(200 <= r.status < 300 for r in answered), [(r.path, r.status) for r in answered]


def _model_get(op_id: str, **extra: Any) -> dict[str, Any]:
    schema = {"type": "object", "properties": {"id": {"type": "string"}}}
    content = {"application/json": {"schema": schema}}
    return {
        "get": {
            "operationId": op_id,
            "responses": {"200": {"description": "ok", "content": content}},
            **extra,
        }
    }


def test_examples_avoid_calls_that_cannot_succeed_as_written(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A resource whose operations declare only errors shows no call (it would raise as
    written); the raw `client.get` example takes a GET whose credentials are those raw
    requests send (petstore's `GET /pet/{id}` wants `api_key`, raw requests the first scheme
    given: it answered 401)."""
    spec: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "keys", "version": "1"},
        "paths": {
            "/pets/{id}": {
                **_model_get("getPet", security=[{"key": []}]),
                "parameters": [_path_param("id", {"type": "string"})],
            },
            "/status": _model_get("getStatus", security=[]),
            "/broken": {
                "get": {
                    "operationId": "getBroken",
                    "tags": ["broken"],
                    "responses": {"400": {"description": "bad"}},
                }
            },
        },
        "components": {
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer"},
                "key": {"type": "apiKey", "in": "header", "name": "api_key"},
            }
        },
    }
    out = build_document(tmp_path_factory, "keys", spec)
    readme = (out / "README.md").read_text()
    broken = readme.split("### `client.broken`")[1].split("###")[0]
    assert "(The spec declares only error answers for these operations.)" in broken
    assert "```python" not in broken
    assert 'data = client.get("/status", cast_to=dict)' in readme
    with Sandbox(spec) as sandbox:
        monkeypatch.setenv("KEYS_BASE_URL", sandbox.url or "")
        monkeypatch.setenv("KEYS_BEARER_TOKEN", "t")
        monkeypatch.setenv("KEYS_API_KEY", "k")
        monkeypatch.chdir(tmp_path)
        namespace: dict[str, Any] = {"__name__": "__readme__"}
        with on_path(out, "keys"), contextlib.redirect_stdout(io.StringIO()):
            first, *rest = python_blocks(readme)
            for block in [first, *(b for b in rest if "client.get(" in b)]:
                exec(compile(block, "keys/README.md", "exec"), namespace)
            namespace["client"].close()
        assert [r.status for r in sandbox.requests if r.path == "/status"][-1] == 200
