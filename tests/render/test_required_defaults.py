"""A required property with a spec `default` is a required model field: a request sends only
the fields set (`exclude_unset`), so a defaulted `qty` the caller left alone was never sent, and
the API (our sandbox too) refused the body for lacking a required property."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import httpx
import pydantic
import pytest

from tests.builds import build_into, on_path

SPEC = """\
openapi: 3.0.3
info: {title: Req, version: "1"}
servers: [{url: "http://127.0.0.1:9"}]
paths:
  /orders:
    post:
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [lines]
              properties:
                lines: {type: array, items: {$ref: '#/components/schemas/Line'}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Line'}}}
components:
  schemas:
    Line:
      type: object
      required: [sku, qty]
      properties:
        sku: {type: string}
        qty: {type: integer, default: 1}
        note: {type: string, default: plain}
"""


def test_a_required_property_with_a_default_must_be_given_and_is_sent(tmp_path: Path) -> None:
    spec = tmp_path / "req_defaults.yaml"
    spec.write_text(SPEC)
    build_into(spec, tmp_path / "out", name="req_defaults")
    sent: list[object] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json={"sku": "a", "qty": 2})

    with on_path(tmp_path / "out", "req_defaults") as pkg:
        line_cls = importlib.import_module("req_defaults.models").Line
        with pytest.raises(pydantic.ValidationError, match="qty"):
            line_cls(sku="a")
        assert line_cls.model_fields["note"].default == "plain"  # optional: the default stays
        client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        line = client.orders.create(lines=[line_cls(sku="a", qty=1)])
        assert sent == [{"lines": [{"sku": "a", "qty": 1}]}]
        assert line.qty == 2
