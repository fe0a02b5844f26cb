"""A model a request can carry takes a plain dict too: its TypedDict twin (`UserParam`).

openai-python's `messages=[{"role": "user", "content": "hi"}]` failed mypy and pyright on our
OpenAI client (the runtime sent the dict right): a component schema in a request took a model
instance only. Each such model now has a twin of the keys a request sends (not the read-only
ones; a writeOnly required key required), by wire name; an alias holding one (a `oneOf` of
messages) has a twin alias of the members and their twins; arguments and request TypedDicts
take `Model | ModelParam`. The twins' keys are strings, so a twin names models it never
imports at run time (a call still loads only the models it parses)."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.builds import build_yaml, on_path, pyright_error_lines
from tests.ir.test_strict_enums import _mypy_errors  # pyright: ignore[reportPrivateUsage]

SPEC = """\
openapi: 3.0.3
info: {title: Twins, version: "1"}
servers: [{url: "http://127.0.0.1:9/v1"}]
paths:
  /messages:
    post:
      operationId: createMessage
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [messages]
              properties:
                messages: {type: array, items: {$ref: '#/components/schemas/Message'}}
                owner: {$ref: '#/components/schemas/User'}
                tree: {$ref: '#/components/schemas/Node'}
                odd: {$ref: '#/components/schemas/Odd'}
                meta:
                  type: object
                  properties:
                    team: {$ref: '#/components/schemas/Team'}
                    owner: {$ref: '#/components/schemas/User'}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}
  /orders:
    post:
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {order: {$ref: '#/components/schemas/Order'}}}
      responses:
        "204": {description: ok}
  /uploads:
    post:
      operationId: createUpload
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file: {type: string, format: binary}
                metas: {type: array, items: {$ref: '#/components/schemas/UserMessage'}}
      responses:
        "204": {description: ok}
  /users:
    put:
      operationId: putUser
      requestBody:
        required: true
        content:
          application/json: {schema: {type: array, items: {$ref: '#/components/schemas/User'}}}
      responses:
        "204": {description: ok}
components:
  schemas:
    Message:
      oneOf: [{$ref: '#/components/schemas/UserMessage'}, {$ref: '#/components/schemas/ToolMessage'}]
      discriminator: {propertyName: role}
    UserMessage:
      type: object
      required: [role, content]
      properties:
        role: {type: string, enum: [user]}
        content: {type: string}
        sent_at: {type: string, format: date-time}
    ToolMessage:
      type: object
      required: [role, tool_call_id]
      properties:
        role: {type: string, enum: [tool]}
        tool_call_id: {type: string}
    User:
      type: object
      required: [id, name, password]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        password: {type: string, writeOnly: true}
    UserParam:
      description: A component already named like User's twin.
      type: object
      properties: {x: {type: string}}
    Node:
      type: object
      properties:
        label: {type: string}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
    Order:
      description: Only requests carry it, a model all the same (a component).
      type: object
      properties:
        item: {$ref: '#/components/schemas/Choice'}
        opts:
          type: object
          properties:
            first: {$ref: '#/components/schemas/UserMessage'}
            __v: {type: integer}
    Choice:
      oneOf: [{$ref: '#/components/schemas/UserMessage'}, {$ref: '#/components/schemas/ToolMessage'}]
    Team:
      type: object
      properties:
        name: {type: string}
        lead: {$ref: '#/components/schemas/Node'}
    Odd:
      type: object
      properties:
        content-type: {type: string}
        class: {type: integer}
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_yaml(tmp_path_factory, "twins", SPEC)


@pytest.fixture(scope="module")
def package(out: Path) -> Iterator[ModuleType]:
    with on_path(out, "twins") as module:
        yield module


def test_each_model_a_request_carries_has_a_twin_of_the_keys_it_sends(out: Path) -> None:
    models = out / "twins" / "models"
    user = (models / "user.py").read_text()
    # `UserParam` is a component's name already: the twin takes the next free one
    assert "class UserParam2(TypedDict, total=False):" in user
    assert "name: Required[str]" in user
    assert "password: Required[str]" in user  # writeOnly and required: required of requests
    twin = user.split("class UserParam2", 1)[1]
    assert "id:" not in twin  # readOnly: a request does not send it
    message = (models / "message.py").read_text()
    assert (
        "MessageParam: TypeAlias = UserMessage | UserMessageParam | ToolMessage | ToolMessageParam"
        in message
    )
    node = (models / "node.py").read_text()
    assert 'children: "Sequence[Node | NodeParam]"' in node
    odd = (models / "odd.py").read_text()  # keys no class can have: the functional form
    assert (
        'OddParam = TypedDict("OddParam", {"content-type": str, "class": int}, total=False)' in odd
    )
    assert "class UserParamParam" not in (models / "user_param.py").read_text()  # not sent
    readme = " ".join((out / "README.md").read_text().split())
    assert "`TypedDict` twin (`from twins.models import Node, NodeParam`)" in readme
    resource = (out / "twins" / "resources" / "messages.py").read_text()
    assert "messages: Sequence[MessageParam]," in resource
    assert "owner: User | UserParam2 | NotGiven = NOT_GIVEN," in resource
    assert "tree: Node | NodeParam | NotGiven = NOT_GIVEN," in resource
    # a multipart body's arrays are read-only views, of models or their twins (helper 180)
    uploads = (out / "twins" / "resources" / "uploads.py").read_text()
    assert "metas: Sequence[UserMessage | UserMessageParam] | NotGiven = NOT_GIVEN," in uploads


def test_a_model_holding_request_only_shapes_still_validates(package: ModuleType) -> None:
    """A review: a request-only alias (`Choice`) or inline part (`Order.opts`) a model's field
    holds named the twins too, whose keys pydantic cannot resolve: `Order(...)` raised "not
    fully defined". They name the models; their own twins take the dicts."""
    models = importlib.import_module("twins.models")
    order = models.Order.model_validate(
        {
            "item": {"role": "tool", "tool_call_id": "t"},
            "opts": {"first": {"role": "user", "content": "x"}, "__v": 2},
        }
    )
    assert type(order.item).__name__ == "ToolMessage"
    assert order.opts["first"].content == "x"
    assert models.ChoiceParam is not None and models.OrderOptsParam.__optional_keys__ >= {"__v"}


def test_the_twins_import_and_say_their_required_keys(package: ModuleType) -> None:
    models = importlib.import_module("twins.models")
    assert models.UserParam2.__required_keys__ == frozenset({"name", "password"})
    assert models.UserMessageParam.__required_keys__ == frozenset({"role", "content"})
    assert models.OddParam.__optional_keys__ == frozenset({"content-type", "class"})
    assert "MessageParam" in dir(models) and "NodeParam" in dir(models)
    assert models.UserParam.model_fields.keys() == {"x"}  # the component itself, untouched


def test_plain_dicts_go_on_the_wire_as_the_models_would(package: ModuleType) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.method == "PUT":
            return httpx.Response(204)
        return httpx.Response(200, json={"id": 1, "name": "a"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="http://127.0.0.1:9/v1", http_client=http)
    tool = importlib.import_module("twins.models").ToolMessage(role="tool", tool_call_id="t")
    when = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    user = client.messages.create(
        messages=[{"role": "user", "content": "hi", "sent_at": when}, tool],
        owner={"name": "a", "password": "p"},
        tree={"label": "r", "children": [{"label": "c", "children": []}]},
        odd={"content-type": "x", "class": 1},
    )
    assert user.name == "a"
    client.users.update(body=[{"name": "b", "password": "q"}])
    assert json.loads(sent[0].content) == {
        "messages": [
            {"role": "user", "content": "hi", "sent_at": "2026-01-02T03:04:05+00:00"},
            {"role": "tool", "tool_call_id": "t"},
        ],
        "owner": {"name": "a", "password": "p"},
        "tree": {"label": "r", "children": [{"label": "c", "children": []}]},
        "odd": {"content-type": "x", "class": 1},
    }
    assert json.loads(sent[1].content) == [{"name": "b", "password": "q"}]


def test_a_call_still_imports_only_the_models_it_parses(out: Path) -> None:
    # the resource names the twins for type checkers only; the twins name models in strings
    code = (
        "import sys, httpx, twins\n"
        "h = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(204)))\n"
        "c = twins.Client(base_url='http://127.0.0.1:9/v1', http_client=h)\n"
        "c.users.update(body=[{'name': 'b', 'password': 'q'}])\n"
        "print(sorted(m for m in sys.modules if m.startswith('twins.models.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=out,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(out), "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_type_checkers_take_the_dicts_and_refuse_wrong_keys(out: Path, tmp_path: Path) -> None:
    snippet = tmp_path / "use_twins.py"
    snippet.write_text(
        "from twins import Client\n"
        "from twins.models import MessageParam, ToolMessage, UserParam2\n\n\n"
        "def use(client: Client, history: list[MessageParam]) -> None:\n"
        '    owner: UserParam2 = {"name": "a", "password": "p"}\n'
        '    client.messages.create(messages=[{"role": "user", "content": "hi"}], owner=owner)\n'
        '    client.messages.create(messages=[*history, ToolMessage(role="tool", tool_call_id="t")])\n'
        '    client.messages.create(messages=[], tree={"children": [{"label": "c"}]})\n'
        '    client.orders.create(order={"item": {"role": "tool", "tool_call_id": "t"}, "opts": {"first": {"role": "user", "content": "x"}}})\n'
        '    client.messages.create(messages=[{"role": "usr", "content": "hi"}])\n'
        '    client.users.update(body=[{"name": "b"}])\n'
        '    client.users.update(body=[{"id": 1, "name": "b", "password": "q"}])\n'
    )
    errors, output = _mypy_errors(out, snippet)
    assert sorted({int(e.split(":")[1]) for e in errors}) == [11, 12, 13], output
    lines, output = pyright_error_lines(out, snippet, tmp_path)
    assert lines == [11, 12, 13], output


def test_drawn_data_becomes_the_models_and_keeps_plain_request_shapes() -> None:
    """The contract runner converts drawn data to the models: a twin is dropped from a union
    beside its model (`User | UserParam`), a request TypedDict of its own is kept (a review:
    `A | TCreateParamsTarget` lost its `{url}` member and refused valid data)."""
    from typing import Union

    from pydantic import BaseModel
    from typing_extensions import TypedDict

    from apigen.contract.mapping import (
        _models_only,  # pyright: ignore[reportPrivateUsage]
    )

    class A(BaseModel):
        id: int

    class AParam(TypedDict):
        id: int

    class Target(TypedDict):
        url: str

    assert _models_only(A | AParam) is A
    assert _models_only(Union[A, Target]) == Union[A, Target]  # noqa: UP007
    assert _models_only(list[A | AParam | Target]) == list[Union[A, Target]]  # noqa: UP007


def test_request_shapes_naming_twins_validate_or_pass_as_drawn(package: ModuleType) -> None:
    """A regression sweep: the contract run crashed ("not fully defined") on PagerDuty's
    `createEvent`, whose inline body part names a twin whose keys name another module's
    twin imported for type checkers only. A twin from a module imported at run time anyway is
    imported at run time (pydantic resolves it); where it cannot be (a lazily imported model's
    twin), the drawn dict goes to the call as the user would pass it."""
    import pydantic

    from apigen.contract.cases import CaseInput
    from apigen.contract.mapping import to_call
    from apigen_runtime import Operation, Param

    opts = importlib.import_module("twins.models").OrderOptsParam  # names UserMessageParam
    first = {"first": {"role": "user", "content": "x"}}
    assert pydantic.TypeAdapter(opts).validate_python(first) == first
    client = package.Client(base_url="http://127.0.0.1:9/v1")
    op: Operation[Any] = Operation(
        "post",
        "/messages",
        params=(Param("messages", "messages", "field"), Param("meta", "meta", "field")),
    )
    meta = {"team": {"name": "t", "lead": {"label": "x"}}}
    case = CaseInput("drawn", body={"messages": [], "meta": meta})
    assert to_call(case, op, client.messages.create).kwargs["meta"] == meta


def test_a_multipart_array_of_models_takes_their_dicts_too(package: ModuleType) -> None:
    """Helper 180: `metas=[{...}]` was refused by the type checkers (models only there), though
    a dict part goes out as the model's."""
    bodies: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        boundary = request.headers["content-type"].split("boundary=")[1].encode()
        bodies.append(request.read().replace(boundary, b"B"))
        return httpx.Response(204)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="http://127.0.0.1:9/v1", http_client=http)
    model = importlib.import_module("twins.models").UserMessage(role="user", content="hi")
    client.uploads.create(metas=[model])
    client.uploads.create(metas=({"role": "user", "content": "hi"},))
    assert bodies[0] == bodies[1] and b'"content":"hi"' in bodies[0].replace(b" ", b"")
