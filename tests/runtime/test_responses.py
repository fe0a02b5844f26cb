"""Response parsing (strict, then lenient) and the mapping of statuses to error classes."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from pydantic import Field

import apigen_runtime as rt
from apigen_runtime._operation import success_responses

from .conftest import Error, Owner, Pet, Recorder, make_client, op

GET_PET: rt.Operation[Pet] = rt.Operation(
    method="get",
    path="/pets/{petId}",
    operation_id="getPet",
    params=(rt.Param("pet_id", "petId", "path"),),
    responses={
        "200": rt.Response(Pet, "json"),
        "404": rt.Response(Error, "json"),
        "default": rt.Response(Error, "json"),
    },
)


def call(response: httpx.Response, operation: rt.Operation[Any] = GET_PET) -> Any:
    return make_client(Recorder(response), max_retries=0).request(operation, {"pet_id": 1})


def test_parses_declared_model() -> None:
    pet = call(httpx.Response(200, json={"id": 1, "name": "Rex", "extra": "kept"}))
    assert isinstance(pet, Pet)
    assert (pet.id, pet.name, pet.model_extra) == (1, "Rex", {"extra": "kept"})


def test_adapter_is_built_lazily_and_cached() -> None:
    response = rt.Response(list[Pet], "json")
    assert response._adapter is None
    operation = op(responses={"2XX": response})
    client = make_client(Recorder(httpx.Response(201, json=[{"id": 1, "name": "a"}])))
    assert client.request(operation, {})[0].name == "a"
    adapter = response._adapter
    assert adapter is not None and response.adapter() is adapter


def test_lenient_fallback_keeps_working(caplog: pytest.LogCaptureFixture) -> None:
    operation: rt.Operation[Owner] = rt.Operation(
        method="get", path="/owner", responses={"200": rt.Response(Owner, "json")}
    )
    body = {"name": 42, "pets": [{"id": "not-a-number", "name": "Rex"}, {"id": 2, "name": "Bo"}]}
    with caplog.at_level(logging.WARNING, logger="apigen_runtime"):
        owner = call(httpx.Response(200, json=body), operation)
    assert isinstance(owner, Owner)
    assert all(isinstance(p, Pet) for p in owner.pets)
    assert {**vars(owner), "pets": [vars(p) for p in owner.pets]} == {
        "name": 42,
        "pets": [
            {"id": "not-a-number", "name": "Rex", "tag": None},
            {"id": 2, "name": "Bo", "tag": None},
        ],
    }
    assert "does not match the spec" in caplog.text


@pytest.mark.parametrize(
    ("response", "kind", "expected"),
    [
        (httpx.Response(200, text="hello"), "text", "hello"),
        (httpx.Response(200, content=b"\x00\x01"), "binary", b"\x00\x01"),
        (httpx.Response(204), "json", None),
        (httpx.Response(200), "json", None),
        (httpx.Response(202, json={"a": 1}), "empty", None),
    ],
)
def test_kinds(response: httpx.Response, kind: Any, expected: object) -> None:
    assert call(response, op(responses={"2XX": rt.Response(Any, kind)})) == expected


def test_undeclared_success_is_returned_raw() -> None:
    assert call(httpx.Response(200, json={"a": 1}), op(responses={})) == {"a": 1}


def test_a_success_the_spec_did_not_list_reads_as_the_one_it_declares() -> None:
    """A helper's typing review: GitHub's `issues.create` declares 201; a 200 came back as a raw
    dict typed as `Issue`, and `created.user` raised AttributeError far away."""
    created = op(method="post", responses={"201": rt.Response(Pet, "json")})
    assert call(httpx.Response(200, json={"id": 1, "name": "Rex"}), created) == Pet(
        id=1, name="Rex"
    )
    strict = make_client(Recorder(httpx.Response(200, json={"id": "x"})), max_retries=0)
    strict.strict_response_validation = True
    with pytest.raises(rt.APIResponseValidationError):
        strict.request(created, {})
    two = op(responses={"200": rt.Response(Pet, "json"), "201": rt.Response(Owner, "json")})
    assert call(httpx.Response(202, json={"a": 1}), two) == {"a": 1}  # which one: unsaid
    # helper 209: a success without content beside it (`202` accepted) says nothing of a body
    # type; it made the 200 a raw dict typed as `Pet | None`
    accepted = op(
        method="post", responses={"201": rt.Response(Pet, "json"), "202": rt.Response(Any, "empty")}
    )
    assert call(httpx.Response(200, json={"id": 3, "name": "Bo"}), accepted) == Pet(id=3, name="Bo")
    # a review of that: with no success of content at all (`204` and `default: Error`), a 200
    # was read as the error model; it stays unvalidated, as before
    no_content = op(
        method="post",
        responses={"204": rt.Response(None, "empty"), "default": rt.Response(Error, "json")},
    )
    assert call(httpx.Response(200, json={"message": "hi"}), no_content) == {"message": "hi"}
    two_empty = op(
        method="delete",
        responses={
            "202": rt.Response(None, "empty"),
            "204": rt.Response(None, "empty"),
            "default": rt.Response(Error, "json"),
        },
    )
    assert call(httpx.Response(200, json={"message": "hi"}), two_empty) == {"message": "hi"}
    # a review: beside `default` (its error), the commonest shape, it read as the error; an
    # empty or a text answer stays as it was (None, the text), never an error after a POST
    with_default = op(
        method="post",
        responses={"201": rt.Response(Pet, "json"), "default": rt.Response(Error, "json")},
    )
    assert call(httpx.Response(200, json={"id": 2, "name": "Ada"}), with_default) == Pet(
        id=2, name="Ada"
    )
    assert call(httpx.Response(202), created) is None
    assert (
        call(httpx.Response(200, text="ok", headers={"content-type": "text/plain"}), created)
        == "ok"
    )


def test_broken_json_raises_validation_error() -> None:
    with pytest.raises(rt.APIResponseValidationError) as info:
        call(httpx.Response(200, text="<html>", headers={"content-type": "application/json"}))
    assert info.value.body == "<html>"


def test_a_declared_json_string_sent_as_labelled_text_is_that_text() -> None:
    """A helper's review: OpenAI's file content is declared `application/json` `type: string`
    and sent as text: every call raised "Expected a JSON body". Text labelled as such is the
    string; a JSON-labelled body still has to be JSON, and one without a label too."""
    text_op = op(responses={"200": rt.Response(str, "json")})
    sent = httpx.Response(200, text='{"a": 1}\n<raw>', headers={"content-type": "text/plain"})
    assert call(sent, text_op) == '{"a": 1}\n<raw>'
    # (a review: a JSON string so labelled lost its decoding; `str | None` was not covered)
    quoted = httpx.Response(200, text='"quoted"', headers={"content-type": "text/plain"})
    assert call(quoted, text_op) == "quoted"
    maybe = op(responses={"200": rt.Response(str | None, "json")})
    assert call(sent, maybe) == '{"a": 1}\n<raw>'
    assert call(httpx.Response(200, json="quoted"), text_op) == "quoted"
    for headers in ({"content-type": "application/json"}, {}):
        with pytest.raises(rt.APIResponseValidationError, match="Expected a JSON body"):
            call(httpx.Response(200, content=b"<html>", headers=headers), text_op)
    with pytest.raises(rt.APIResponseValidationError):  # a model is no text
        call(httpx.Response(200, text="<html>", headers={"content-type": "text/html"}))


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, rt.BadRequestError),
        (401, rt.AuthenticationError),
        (403, rt.PermissionDeniedError),
        (404, rt.NotFoundError),
        (409, rt.ConflictError),
        (418, rt.APIStatusError),
        (422, rt.UnprocessableEntityError),
        (429, rt.RateLimitError),
        (500, rt.InternalServerError),
        (503, rt.InternalServerError),
    ],
)
def test_status_errors(status: int, cls: type[rt.APIStatusError]) -> None:
    response = httpx.Response(
        status, json={"code": status, "message": "nope"}, headers={"x-request-id": "req_1"}
    )
    with pytest.raises(cls) as info:
        call(response)
    err = info.value
    assert type(err) is cls
    assert isinstance(err.body, Error) and err.body.message == "nope"
    assert (err.status_code, err.request_id, err.response, err.request) == (
        status,
        "req_1",
        response,
        response.request,
    )
    assert str(err).startswith(f"{status} ") and "GET /v1/pets/1" in str(err)
    assert err.headers["x-request-id"] == "req_1"


@pytest.mark.parametrize("header", ["request-id", "x-request-id", "x-github-request-id"])
def test_an_error_s_request_id_is_read_where_a_success_s_is(header: str) -> None:
    """A helper's review: a success answered with `x-github-request-id` had its
    `_request_id`, a 404 with the same header `request_id is None`: errors read two names."""
    response = httpx.Response(404, json={}, headers={header: "CAFE:1234"})
    with pytest.raises(rt.NotFoundError) as info:
        call(response)
    assert info.value.request_id == "CAFE:1234"


def test_error_body_raw_json_or_text_when_undeclared_or_mismatched() -> None:
    with pytest.raises(rt.NotFoundError) as info:
        call(httpx.Response(404, json={"error": {"message": "No such pet"}}))
    assert info.value.body == {"error": {"message": "No such pet"}}
    assert "No such pet" in str(info.value)
    with pytest.raises(rt.InternalServerError) as info2:
        call(httpx.Response(500, text="Bad gateway"), op(responses={}))
    assert info2.value.body == "Bad gateway"
    assert info2.value.request_id is None


def test_status_error_hierarchy() -> None:
    assert issubclass(rt.APITimeoutError, rt.APIConnectionError)
    assert issubclass(rt.APIConnectionError, rt.APIError)
    assert issubclass(rt.RateLimitError, rt.APIStatusError)
    assert issubclass(rt.MissingCredentialsError, rt.APIError)
    assert issubclass(rt.APIResponseValidationError, rt.APIError)


def test_construct_handles_unions_and_dicts() -> None:
    from apigen_runtime._models import construct

    assert construct(Pet | None, None) is None
    value = construct(dict[str, Pet], {"a": {"id": "x", "name": "n"}})
    assert isinstance(value["a"], Pet) and vars(value["a"])["id"] == "x"
    assert construct(int | Pet, {"id": 1, "name": "ok"}) == Pet(id=1, name="ok")
    assert construct(int, "seven") == "seven"


class Node(rt.Model):
    node_name: str = Field(alias="nodeName")
    children: list[Node] = Field(default_factory=list)
    owner: NodeOwner | None = None  # a forward reference, resolved lazily


class NodeOwner(rt.Model):
    id: int


def test_lenient_fallback_with_aliases_and_forward_refs() -> None:
    operation: rt.Operation[Node] = rt.Operation(
        method="get", path="/node", responses={"200": rt.Response(Node, "json")}
    )
    body = {"nodeName": 5, "children": [{"nodeName": "b", "owner": {"id": "zz"}}], "x": 1}
    node = call(httpx.Response(200, json=body), operation)
    child = node.children[0]
    assert isinstance(child, Node) and isinstance(child.owner, NodeOwner)
    assert vars(node)["node_name"] == 5 and node.model_extra == {"x": 1}
    assert vars(child.owner)["id"] == "zz"
    assert str(child.owner) == '{"id":"zz"}'


def test_split_lazy_responses_build_the_error_part_only_for_an_error() -> None:
    """`LazyResponses(ok, other)`: a 2xx call never runs `other` (the error models' imports);
    an error status, `default` or iterating all of them does, once."""
    loads: list[str] = []

    def ok() -> dict[str, rt.Response]:
        loads.append("ok")
        return {"200": rt.Response(Pet, "json")}

    def other() -> dict[str, rt.Response]:
        loads.append("other")
        return {"404": rt.Response(Error, "json"), "default": rt.Response(Error, "json")}

    operation = op(responses=rt.LazyResponses(ok, other))
    client = make_client(Recorder(httpx.Response(200, json={"id": 1, "name": "Rex"})))
    assert isinstance(client.request(operation, {}), Pet)
    assert loads == ["ok"]
    with pytest.raises(rt.NotFoundError) as caught:
        make_client(
            Recorder(httpx.Response(404, json={"code": 404, "message": "no"})), max_retries=0
        ).request(operation, {})
    assert isinstance(caught.value.body, Error)
    assert loads == ["ok", "other"]
    responses = rt.LazyResponses(ok, other)
    assert "404" in responses and "200" in responses and "201" not in responses
    assert list(responses) == ["200", "404", "default"] and len(responses) == 3


def test_single_loader_lazy_responses_still_hold_every_status() -> None:
    """Clients generated before the split pass one loader: it serves every status."""
    responses = rt.LazyResponses(
        lambda: {"200": rt.Response(Pet, "json"), "404": rt.Response(Error, "json")}
    )
    assert "404" in responses and responses["404"].type_ is Error
    assert [code for code, _ in success_responses(responses)] == ["200"]


@pytest.mark.parametrize(
    "content",
    [
        b'\xef\xbb\xbf{"id": "7", "name": "Rex"}',  # a UTF-8 byte order mark
        '{"id": "7", "name": "Rex"}'.encode("utf-16"),  # UTF-16 (with its BOM)
        '{"id": "7", "name": "Rex"}'.encode("utf-32-le"),  # UTF-32, detected without one
        b'{"id": "7", "name": "Rex\\ud83d"}',  # a lone surrogate escape
    ],
)
@pytest.mark.parametrize("strict", [False, True])
def test_json_that_pydantic_cannot_parse_but_json_can_is_validated(
    content: bytes, strict: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """RFC 8259 JSON that pydantic's parser refuses was read as a spec mismatch (helper 209):
    `{"id": "7"}` came back with `id="7"` and a warning, or raised under strict validation."""
    response = httpx.Response(200, content=content, headers={"content-type": "application/json"})
    client = make_client(Recorder(response), max_retries=0, strict_response_validation=strict)
    with caplog.at_level(logging.WARNING, logger="apigen_runtime"):
        pet = client.request(GET_PET, {"pet_id": 1})
    assert isinstance(pet, Pet) and pet.id == 7 and pet.name.startswith("Rex")
    assert "does not match" not in caplog.text


def test_a_body_with_a_byte_order_mark_that_breaks_the_type_is_still_a_mismatch(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = b'\xef\xbb\xbf{"id": "seven", "name": "Rex"}'
    with caplog.at_level(logging.WARNING, logger="apigen_runtime"):
        pet = call(httpx.Response(200, content=body))
    assert pet.id == "seven" and "does not match the spec" in caplog.text


@pytest.mark.parametrize("content", [b"1234", b"null", b'"quoted"', b"true"])
def test_an_error_declared_as_text_keeps_its_text(content: bytes) -> None:
    """A `text/plain` error body of `1234` was `.body == 1234` (JSON-decoded; helper 209)."""
    operation = op(responses={"200": rt.Response(Any, "json"), "400": rt.Response(str, "text")})
    reply = httpx.Response(400, content=content, headers={"content-type": "text/plain"})
    with pytest.raises(rt.BadRequestError) as caught:
        make_client(Recorder(reply), max_retries=0).request(operation, {})
    assert caught.value.body == content.decode()
