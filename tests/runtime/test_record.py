"""`_record.record`: the classes built at import (pagination styles, Param) behave as the frozen
dataclasses type checkers see, without `@dataclass`'s per-class `exec`."""

from __future__ import annotations

import dataclasses

import pytest

from apigen_runtime import Body, CursorPagination, Encoding, LinkHeaderPagination, Param


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
    with pytest.raises(TypeError, match="missing keyword argument 'location'"):
        Param("a", "b")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="multiple values"):
        Param("a", "b", "query", py_name="c")  # type: ignore[misc]
    body = Body("application/json", required=True)
    assert (body.media_type, body.required, body.encoding) == ("application/json", True, None)
    assert Encoding(style="deepObject").explode is None
    renamed = dataclasses.replace(param, py_name="n", wire_name="n")
    assert (renamed.py_name, renamed.location, renamed.style) == ("n", "query", "form")
    assert [f.name for f in dataclasses.fields(param)][:3] == ["py_name", "wire_name", "location"]
