"""AWS specs' `hmac` scheme signs each request (Signature Version 4).

APIs.guru's AWS specs declare `hmac: {type: apiKey, in: header, name: Authorization,
x-amazon-apigateway-authtype: awsSigv4}` and the signature's headers (`X-Amz-Date`,
`X-Amz-Signature`...) as parameters of every operation: their clients took an `api_key` sent as
the `Authorization` value and seven `x_amz_*` keywords on every method, so no call could be
authorised without signing it by hand. The client now takes the caller's AWS keys and the
runtime signs (`_aws.AWSSigV4`, checked against botocore in tests/runtime/test_aws_sigv4.py).
Found reading the corpus' AWS IoT client, 2026-12-05."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.builds import api_of, build_document, on_path

_SIGNATURE_HEADERS = (
    "X-Amz-Content-Sha256",
    "X-Amz-Date",
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Security-Token",
    "X-Amz-Signature",
    "X-Amz-SignedHeaders",
)


def _spec() -> dict[str, Any]:
    headers = [{"$ref": f"#/components/parameters/{h}"} for h in _SIGNATURE_HEADERS]
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}}
    return {
        "openapi": "3.0.0",
        "info": {"title": "AWS Widgets", "version": "2020-01-01", "x-aws-signingName": "widgets"},
        "servers": [
            {
                "url": "https://widgets.{region}.amazonaws.com",
                "variables": {
                    "region": {"default": "us-east-1", "enum": ["us-east-1", "eu-west-1"]}
                },
            }
        ],
        "security": [{"hmac": []}],
        "paths": {
            "/widgets/{name}": {
                "parameters": headers,
                "get": {
                    "operationId": "DescribeWidget",
                    "parameters": [
                        {
                            "name": "name",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        {"name": "x-amzn-widget-tag", "in": "header", "schema": {"type": "string"}},
                    ],
                    "responses": ok,
                },
            }
        },
        "components": {
            "parameters": {
                h: {"name": h, "in": "header", "required": False, "schema": {"type": "string"}}
                for h in _SIGNATURE_HEADERS
            },
            "securitySchemes": {
                "hmac": {
                    "type": "apiKey",
                    "name": "Authorization",
                    "in": "header",
                    "description": "Amazon Signature authorization v4",
                    "x-amazon-apigateway-authtype": "awsSigv4",
                }
            },
        },
    }


def test_the_scheme_takes_aws_keys_and_the_signature_headers_are_no_parameters() -> None:
    api = api_of(_spec())
    (scheme,) = api.security_schemes
    assert scheme.kind == "AWSSigV4"
    assert scheme.credentials == {
        "access_key_id": "aws_access_key_id",
        "secret_access_key": "aws_secret_access_key",
        "session_token": "aws_session_token",
    }
    assert scheme.options == {"service": "widgets"}
    assert scheme.env == {
        "aws_access_key_id": "AWS_ACCESS_KEY_ID",
        "aws_secret_access_key": "AWS_SECRET_ACCESS_KEY",
        "aws_session_token": "AWS_SESSION_TOKEN",
    }
    (op,) = api.operations
    assert [p.wire_name for p in op.params] == ["name", "x-amzn-widget-tag"]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "widgets", _spec())


_AUTH = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>\w+)/\d{8}/(?P<region>[\w-]+)/(?P<service>\w+)"
    r"/aws4_request, SignedHeaders=(?P<signed>[\w;-]+), Signature=[0-9a-f]{64}"
)


def test_calls_are_signed_for_the_region_they_go_to(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret-from-env")
    with on_path(out, "widgets") as widgets:
        http = httpx.Client(transport=httpx.MockTransport(answer))
        describe = widgets.Client(http_client=http).widgets.retrieve
        assert not [p for p in inspect.signature(describe).parameters if p.startswith("x_amz_")]
        describe("w 1", x_amzn_widget_tag="blue")
        client = widgets.Client(
            aws_access_key_id="AKID",
            aws_secret_access_key="s3cret",
            aws_session_token="TOKEN",
            region="eu-west-1",
            http_client=http,
        )
        client.widgets.retrieve("w1")
    first, second = (_AUTH.fullmatch(r.headers["Authorization"]) for r in sent)
    assert first is not None and second is not None
    assert (first["key"], first["region"], first["service"]) == ("AKIDENV", "us-east-1", "widgets")
    assert first["signed"] == "host;x-amz-date"
    assert (
        sent[0].url.raw_path == b"/widgets/w%201" and sent[0].headers["x-amzn-widget-tag"] == "blue"
    )
    assert (second["key"], second["region"]) == ("AKID", "eu-west-1")
    assert second["signed"] == "host;x-amz-date;x-amz-security-token"
    assert sent[1].url.host == "widgets.eu-west-1.amazonaws.com"
    assert sent[1].headers["X-Amz-Security-Token"] == "TOKEN"
    assert re.fullmatch(r"\d{8}T\d{6}Z", sent[1].headers["X-Amz-Date"])


def test_the_readme_names_the_keys_and_their_variables(out: Path) -> None:
    readme = (out / "README.md").read_text()
    for keyword, variable in (
        ("aws_access_key_id", "AWS_ACCESS_KEY_ID"),
        ("aws_secret_access_key", "AWS_SECRET_ACCESS_KEY"),
        ("aws_session_token", "AWS_SESSION_TOKEN"),
    ):
        assert f"| `{keyword}` | `{variable}` |" in readme
    assert "signed with AWS Signature Version 4 (service `widgets`" in " ".join(readme.split())
