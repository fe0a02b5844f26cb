"""A required property with a spec `default`: a request sends only the fields set
(`exclude_unset`), so a defaulted `qty` the caller left alone was never sent and the API refused
the body; made a required field instead, a response leaving it out no longer read as the spec's
default. Now it keeps the default and counts as set (`model_post_init`): sent, and read."""

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
        price: {type: number}
"""


def test_a_required_property_with_a_default_is_sent_when_left_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spec = tmp_path / "req_defaults.yaml"
    spec.write_text(SPEC)
    build_into(spec, tmp_path / "out", name="req_defaults")
    sent: list[object] = []
    answers = [{"sku": "a", "qty": 2}, {"sku": "b"}, {"sku": "c", "price": "not a number"}]

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json=answers[len(sent) - 1])

    with on_path(tmp_path / "out", "req_defaults") as pkg:
        line_cls = importlib.import_module("req_defaults.models").Line
        with pytest.raises(pydantic.ValidationError, match="sku"):
            line_cls(qty=3)  # the one without a default stays required
        assert line_cls(sku="a").qty == 1
        assert line_cls(sku="a").to_dict() == {"sku": "a", "qty": 1}  # not the optional `note`
        assert line_cls.model_validate({"sku": "a"}).to_dict() == {"sku": "a", "qty": 1}
        http = httpx.Client(transport=httpx.MockTransport(handler))
        client = pkg.Client(http_client=http, strict_response_validation=True)
        line = client.orders.create(lines=[line_cls(sku="a"), line_cls(sku="b", qty=5)])
        assert sent[0] == {"lines": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": 5}]}
        assert line.qty == 2
        left_out = client.orders.create(lines=[])  # strict: the spec's default, no error
        assert (left_out.qty, left_out.note) == (1, "plain")
        with pytest.raises(pkg.APIResponseValidationError):
            client.orders.create(lines=[])
        lenient = pkg.Client(http_client=http)
        answers.append({"sku": "d", "price": "not a number"})
        odd = lenient.orders.create(lines=[])  # the lenient parse keeps the default too
        assert "first at price" in caplog.text
        assert (odd.sku, odd.qty) == ("d", 1)
        assert odd.to_dict()["qty"] == 1  # and sends it back


def test_a_required_null_default_the_type_refuses_is_no_default(tmp_path: Path) -> None:
    """The review: `nul: {type: string, default: null}`, required, rendered `nul: str = None`
    (mypy and pyright refuse it) and, counted as set, sent the null the spec forbids."""
    spec = tmp_path / "nul.yaml"
    spec.write_text(
        SPEC.replace(
            "        note: {type: string, default: plain}\n",
            "        note: {type: string, default: plain}\n"
            "        nul: {type: string, default: null}\n"
            "        maybe: {type: string, nullable: true, default: null}\n",
        ).replace("required: [sku, qty]", "required: [sku, qty, nul, maybe]")
    )
    build_into(spec, tmp_path / "out", name="nul_defaults")
    source = (tmp_path / "out" / "nul_defaults" / "models" / "line.py").read_text()
    assert "    nul: str\n" in source and "    maybe: str | None = None\n" in source
    assert '("qty", "maybe")' in source


def test_array_and_map_defaults_are_read_sent_and_never_shared(tmp_path: Path) -> None:
    """Array and map defaults were dropped: a response without `tags` read None, not the
    spec's `[a]`, and a required `events: [push]` left alone was never sent. Each instance
    gets its own copy (pydantic copies a mutable default): one caller's append is not seen
    by the next model."""
    spec = tmp_path / "list_defaults.yaml"
    spec.write_text(
        SPEC.replace(
            "        note: {type: string, default: plain}\n",
            "        note: {type: string, default: plain}\n"
            "        events: {type: array, items: {type: string}, default: [push]}\n"
            '        tags: {type: array, items: {type: string}, default: [a, "b\'\\""]}\n'
            "        labels: {type: object, additionalProperties: {type: integer},"
            ' default: {"k\'": 1}}\n',
        ).replace("required: [sku, qty]", "required: [sku, qty, events]")
    )
    build_into(spec, tmp_path / "out", name="list_defaults")
    # through `Field(default=...)`: a mutable class attribute is ruff's RUF012 (a review: five
    # corpus clients failed `ruff check`)
    import subprocess
    import sys

    ruff = Path(sys.executable).with_name("ruff")
    models = tmp_path / "out" / "list_defaults" / "models"
    done = subprocess.run(
        [str(ruff), "check", "--no-cache", "--select", "RUF012", str(models)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout
    with on_path(tmp_path / "out", "list_defaults"):
        line_cls = importlib.import_module("list_defaults.models").Line
        first = line_cls.model_validate({"sku": "a"})
        assert (first.events, first.tags, first.labels) == (["push"], ["a", "b'\""], {"k'": 1})
        first.events.append("pull")
        first.labels["x"] = 2
        second = line_cls(sku="b")
        assert (second.events, second.labels) == (["push"], {"k'": 1})
        assert second.to_dict() == {"sku": "b", "qty": 1, "events": ["push"]}


def test_a_field_named_object_leaves_the_builtin_to_model_post_init(tmp_path: Path) -> None:
    """A helper's typing review: OpenAI's `Response` has a field `object` and a required field
    with a default; `model_post_init(self, context: object, /)` named the field (mypy: "not
    valid as a type", 44 modules)."""
    from tests.builds import assert_strict_mypy

    spec = tmp_path / "objfield.yaml"
    spec.write_text(
        SPEC.replace(
            "        note: {type: string, default: plain}\n",
            "        note: {type: string, default: plain}\n        object: {type: string}\n",
        )
    )
    build_into(spec, tmp_path / "out", name="objfield")
    source = (tmp_path / "out" / "objfield" / "models" / "line.py").read_text()
    assert "context: _builtins.object, /" in source and "import builtins as _builtins" in source
    snippet = tmp_path / "use_objfield.py"
    snippet.write_text("from objfield.models import Line\n\nLine(sku='a', object='o')\n")
    assert_strict_mypy(tmp_path / "out", snippet)


UNION = """\
openapi: 3.0.3
info: {title: Acct, version: "1"}
servers: [{url: "http://127.0.0.1:9"}]
paths:
  /account:
    get:
      operationId: getAccount
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                oneOf:
                  - {$ref: '#/components/schemas/NumberAndBic'}
                  - {$ref: '#/components/schemas/SgLocal'}
components:
  schemas:
    NumberAndBic:
      type: object
      required: [type, accountNumber, bic]
      properties:
        accountNumber: {type: string}
        bic: {type: string}
        type: {type: string, enum: [numberAndBic], default: numberAndBic}
    SgLocal:
      type: object
      required: [accountNumber, bic]
      properties:
        accountNumber: {type: string}
        bic: {type: string}
        type: {type: string, enum: [sgLocal], default: sgLocal}
"""


def test_a_required_key_with_a_default_still_tells_union_members_apart(tmp_path: Path) -> None:
    """A helper's fidelity sweep (Adyen's `accountIdentification`): a body without `type`
    fits only `SgLocal` (`NumberAndBic` requires it), yet was read as `NumberAndBic`, whose
    `to_dict()` then added `"type": "numberAndBic"`: the union's picker and the lenient
    parse's scoring did not count a required field with a default as required."""
    spec = tmp_path / "acct.yaml"
    spec.write_text(UNION)
    build_into(spec, tmp_path / "out", name="acct")
    answers = [
        {"accountNumber": "1", "bic": "B"},
        {"accountNumber": "1", "bic": 7},  # breaks both: the lenient parse picks
        {"accountNumber": "1", "bic": "B", "type": "numberAndBic"},
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=answers.pop(0))

    with on_path(tmp_path / "out", "acct") as pkg:
        client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        first = client.account.retrieve()
        assert type(first).__name__ == "SgLocal" and first.to_dict() == {
            "accountNumber": "1",
            "bic": "B",
        }
        assert type(client.account.retrieve()).__name__ == "SgLocal"
        assert type(client.account.retrieve()).__name__ == "NumberAndBic"
