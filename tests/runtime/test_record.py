"""`_record`: the classes built at import (pagination styles, Param, Operation) behave as the
frozen dataclasses type checkers see, and the runtime's small hand-written classes (`Struct`)
compare and print like dataclasses, all without `@dataclass`'s per-class `exec`."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest

from apigen_runtime import (
    Body,
    CursorPagination,
    Encoding,
    Hooks,
    LinkHeaderPagination,
    Operation,
    Param,
    Response,
    RetryPolicy,
)
from apigen_runtime._drivers import Send, Sleep
from apigen_runtime._record import record
from apigen_runtime._request import Prepared


def test_keyword_only_style_has_the_dataclass_defaults_eq_hash_and_repr() -> None:
    style = CursorPagination(cursor_param="after")
    assert (style.items, style.has_more, style.cursor_param) == ("data", "has_more", "after")
    assert style == CursorPagination(cursor_param="after")
    other: object = LinkHeaderPagination()
    assert style != CursorPagination() and style != other
    assert hash(style) == hash(CursorPagination(cursor_param="after"))
    assert repr(style) == (
        "CursorPagination(items='data', has_more='has_more', cursor_param='after', "
        "cursor_field='id', reverse_param=None)"
    )
    # dataclasses' helpers still work on a record
    assert dataclasses.replace(style, cursor_param="x") == CursorPagination(cursor_param="x")
    assert dataclasses.asdict(style)["cursor_field"] == "id"


def test_records_are_frozen_and_check_their_arguments() -> None:
    style = LinkHeaderPagination(page_param="page")
    with pytest.raises(dataclasses.FrozenInstanceError):
        style.page_param = "p"  # type: ignore[misc]
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        CursorPagination(nope=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        CursorPagination("data")  # type: ignore[call-arg]


def test_positional_fields_then_keyword_only_fields() -> None:
    param = Param("limit", "limit", "query", style="form")
    assert param == Param(py_name="limit", wire_name="limit", location="query", style="form")
    assert (param.explode, param.allow_reserved, param.content_type) == (None, False, None)
    assert Param.__match_args__ == ("py_name", "wire_name", "location")
    with pytest.raises(TypeError, match="positional"):
        Param("a", "b", "query", "form")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="'location'"):
        Param("a", "b")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="multiple values"):
        Param("a", "b", "query", py_name="c")  # type: ignore[misc]
    body = Body("application/json", required=True)
    assert (body.media_type, body.required, body.encoding) == ("application/json", True, None)
    assert Encoding(style="deepObject").explode is None
    renamed = dataclasses.replace(param, py_name="n", wire_name="n")
    assert (renamed.py_name, renamed.location, renamed.style) == ("n", "query", "form")
    assert [f.name for f in dataclasses.fields(param)][:3] == ["py_name", "wire_name", "location"]


def test_the_shared_init_checks_missing_and_unknown_arguments() -> None:
    @record(frozen=True)
    class Pair:
        left: str
        right: int = 0

    assert Pair("a") == Pair(left="a", right=0)
    assert repr(Pair("a", 2)).endswith("Pair(left='a', right=2)")
    with pytest.raises(TypeError, match="missing keyword argument 'left'"):
        Pair()
    with pytest.raises(TypeError, match="multiple values"):
        Pair("a", left="b")
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        Pair("a", nope=1)


def test_a_factory_needs_the_class_own_init() -> None:
    with pytest.raises(TypeError, match="default_factory"):

        @record(frozen=True)
        class Bad:
            items: list[int] = dataclasses.field(default_factory=list[int])


def test_operation_keeps_identity_equality_and_dataclass_helpers() -> None:
    op: Operation[object] = Operation("get", "/a", params=(Param("x", "x", "query"),))
    assert op.responses == {} and op.body is None and op.operation_id == ""
    assert op != Operation("get", "/a", params=op.params) and op == op
    assert hash(op) == object.__hash__(op)
    with pytest.raises(dataclasses.FrozenInstanceError):
        op.path = "/b"  # type: ignore[misc]
    moved = dataclasses.replace(op, path="/b")
    assert (moved.method, moved.path, moved.params) == ("get", "/b", op.params)
    assert repr(op).startswith("Operation(method='get', path='/a', operation_id=''")


def test_response_compares_type_and_kind_not_its_cached_adapter() -> None:
    response = Response(int, "json")
    assert response == Response(int, "json") and response != Response(int, "text")
    assert hash(response) == hash(Response(int, "json"))
    assert repr(response) == "Response(type_=<class 'int'>, kind='json')"
    assert response.adapter().validate_python(3) == 3
    assert response == Response(int, "json")  # the adapter is a cache, outside ==
    assert [f.name for f in dataclasses.fields(response)] == ["type_", "kind", "_adapter"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        response.kind = "text"  # type: ignore[misc]


def test_structs_compare_and_print_like_dataclasses() -> None:
    first, again = Send(httpx.Request("GET", "https://x"), 1.0), Sleep(0.5)
    assert first == Send(first.request, 1.0) and first != Send(first.request)
    assert repr(again) == "Sleep(seconds=0.5)" and again == Sleep(0.5)
    assert hash(again) == hash(Sleep(0.5))
    with pytest.raises(TypeError, match="unhashable"):
        hash(first)
    with pytest.raises(dataclasses.FrozenInstanceError):
        again.seconds = 1.0  # pyright: ignore[reportAttributeAccessIssue]
    prepared = Prepared("GET", "https://x")
    assert (prepared.query, prepared.cookies, len(prepared.headers)) == ([], [], 0)
    assert prepared.copy() == prepared and prepared.copy() is not prepared


def test_public_records_keep_dataclass_behaviour_for_callers() -> None:
    """`RetryPolicy` and `Hooks` (made by every client) are records: a caller can still
    `replace` them, subclass them with `@dataclass`, and `Hooks` still checks its hooks."""
    policy = RetryPolicy(1.0)
    assert policy == RetryPolicy(base_delay=1.0) and hash(policy) == hash(RetryPolicy(1.0))
    assert dataclasses.replace(policy, max_delay=3.0).max_delay == 3.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.base_delay = 2.0  # type: ignore[misc]

    @dataclasses.dataclass(frozen=True)
    class Patient(RetryPolicy):
        attempts_logged: int = 0

    mine = Patient(base_delay=2.0, attempts_logged=3)
    assert (mine.base_delay, mine.max_wait, mine.attempts_logged) == (2.0, 60.0, 3)
    assert repr(mine).endswith(
        "Patient(base_delay=2.0, max_delay=8.0, max_wait=60.0, "
        "jitter=0.25, should_retry_header='x-should-retry', "
        "attempts_logged=3)"
    )
    lone: Any = print
    hooks = Hooks(before_request=lone)  # __post_init__: a lone callable becomes a tuple
    assert hooks.before_request == (print,) and hooks.on_error == ()
    one_not_callable: Any = [lone, 1]
    with pytest.raises(TypeError, match="needs callables"):
        Hooks(on_error=one_not_callable)
