"""An optional request body is sent whole or not at all. Its fields are all optional arguments
(the body may be left out), so `accounts.create(nickname="x")` passed the type checkers while
the API answered 400 for the missing `name` its schema requires once a body is sent. The
operation constant lists those properties (`Body(needs=...)`) and the runtime refuses a call
that gives some fields but not them, before sending."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.builds import build_yaml, on_path

SPEC = """
openapi: 3.0.3
info: {title: Accounts, version: "1"}
servers: [{url: "https://api.test"}]
paths:
  /accounts:
    post:
      operationId: createAccount
      tags: [accounts]
      requestBody:
        required: false
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewAccount"}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /forms:
    post:
      operationId: sendForm
      tags: [forms]
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [email-address, id]
              properties:
                id: {type: string, readOnly: true}
                email-address: {type: string}
                note: {type: string}
      responses:
        "204": {description: sent}
  /accounts/{id}:
    patch:
      operationId: updateAccount
      tags: [accounts]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewAccount"}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
components:
  schemas:
    NewAccount:
      type: object
      required: [name, kind, ghost]
      properties:
        name: {type: string}
        kind: {type: string, enum: [personal, business]}
        nickname: {type: string}
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_yaml(tmp_path_factory, "optbody", SPEC)


def test_the_operation_lists_what_a_sent_body_needs(out: Path) -> None:
    accounts = (out / "optbody" / "resources" / "accounts.py").read_text()
    # `ghost` is required but no property: no argument can give it; `id` is read-only
    assert 'needs=("name", "kind")' in accounts
    # and the method's docstring says so (helper 188: type checkers cannot, the call raised)
    assert (
        "The body is optional, but once any of its fields is given, `name`, `kind` are needed"
        in " ".join(accounts.split())
    )
    forms = (out / "optbody" / "resources" / "forms.py").read_text()
    assert 'needs=("email-address",)' in forms


def test_a_partial_optional_body_is_refused_before_sending(out: Path) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return (
            httpx.Response(200, json={}) if request.url.path == "/accounts" else httpx.Response(204)
        )

    with on_path(out, "optbody") as pkg:
        client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        with pytest.raises(TypeError, match=r"needs 'name', 'kind' too"):
            client.accounts.create(nickname="x")
        with pytest.raises(TypeError, match=r"needs 'kind' too"):
            client.accounts.create(name="n", extra_body={"kind": pkg.omit})
        with pytest.raises(TypeError, match=r"needs 'email_address' too"):
            client.forms.send(note="hi")
        assert sent == []
        client.accounts.create()  # no field: no body at all
        assert sent[-1].content == b""
        client.accounts.create(name="n", kind="personal")
        assert json.loads(sent[-1].content) == {"name": "n", "kind": "personal"}
        client.accounts.create(name="n", extra_body={"kind": "business"})  # extra_body counts
        assert json.loads(sent[-1].content) == {"name": "n", "kind": "business"}
        client.forms.send(email_address="a@b.test", note="hi")
        assert sent[-1].content == b"email-address=a%40b.test&note=hi"
        # a PATCH is a partial update, whatever schema it reuses (a review: Zoom's
        # `PATCH /sip_phones/{id}` would have needed 11 fields)
        client.accounts.update("a1", nickname="x")
        assert json.loads(sent[-1].content) == {"nickname": "x"}
