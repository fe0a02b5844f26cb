"""A parameter that is also an API key scheme's (Swagger 2.0 specs often declare both): it was
a required argument, and its value went out in place of the client's key, which was never
sent. It is optional now: left out, the client's credential fills it; given, it is sent as
given (a value already there wins over the key, as for `extra_query`)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.builds import build_yaml, on_path

SPEC = """
openapi: 3.0.3
info: {title: Keys, version: "1"}
servers: [{url: "https://api.test"}]
security: [{q: []}]
paths:
  /x:
    get:
      operationId: getX
      tags: [x]
      parameters:
        - {name: key, in: query, required: true, schema: {type: string}}
        - {name: page, in: query, required: true, schema: {type: integer}}
      responses: {"200": {description: ok}}
  /z:
    get:
      operationId: getZ
      tags: [z]
      parameters:
        - {name: key, in: query, required: true, schema: {type: string, enum: [public]}}
      responses: {"200": {description: ok}}
  /w:
    get:
      operationId: getW
      tags: [w]
      security: [{h: []}, {q: []}]
      parameters:
        - {name: key, in: query, required: true, schema: {type: string}}
      responses: {"200": {description: ok}}
  /y:
    get:
      operationId: getY
      tags: [x]
      security: [{h: []}]
      parameters:
        - {name: x-api-key, in: header, required: true, schema: {type: string}}
      responses: {"200": {description: ok}}
components:
  securitySchemes:
    q: {type: apiKey, in: query, name: key}
    h: {type: apiKey, in: header, name: X-Api-Key}
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_yaml(tmp_path_factory, "keys", SPEC)


def test_the_key_parameter_is_filled_by_the_credential_unless_given(out: Path) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    with on_path(out, "keys") as pkg:
        http = httpx.Client(transport=httpx.MockTransport(handler))
        client = pkg.Client(api_key="K", http_client=http)
        client.x.get(page=1)
        assert sent[-1].url.params.get_list("key") == ["K"]
        client.x.get(page=1, key="other")
        assert sent[-1].url.params.get_list("key") == ["other"]
        client.x.get_y()
        assert sent[-1].headers.get_list("x-api-key") == ["K"]
        with pytest.raises(TypeError):
            client.x.get()  # `page` is still required
    # a key only one alternative sends stays required: the runtime may choose the other (the
    # regression sweep: `[{h: []}, {q: []}]` sent the header and no `key` at all)
    assert "key: str," in (out / "keys" / "resources" / "w.py").read_text()
    # a one-value enum is always sent as it is: no word about a credential it never is
    assert "credential is sent" not in (out / "keys" / "resources" / "z.py").read_text()
    text = (out / "keys" / "resources" / "x.py").read_text()
    assert "key: str | NotGiven = NOT_GIVEN" in text
    assert "Left out, the client's `api_key` credential is sent." in text
