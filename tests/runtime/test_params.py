"""Parameter serialisation: exact path segments, query strings, headers and cookies."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import pytest
from pydantic import Field

import apigen_runtime as rt
from apigen_runtime import NOT_GIVEN

from .conftest import Recorder, make_client, op, query


class Color(enum.Enum):
    RED = "red"


def send(recorder: Recorder, operation: rt.Operation[Any], **values: Any) -> str:
    make_client(recorder).request(operation, values)
    return recorder.last.url.raw_path.decode()


@pytest.mark.parametrize(
    ("style", "explode", "value", "expected"),
    [
        (None, None, 5, "/p/5"),
        (None, None, [3, 4, 5], "/p/3,4,5"),
        (None, None, {"role": "admin", "first": "Alex"}, "/p/role,admin,first,Alex"),
        (None, True, {"role": "admin", "first": "Alex"}, "/p/role=admin,first=Alex"),
        ("label", None, 5, "/p/.5"),
        ("label", False, [3, 4, 5], "/p/.3,4,5"),
        ("label", True, [3, 4, 5], "/p/.3.4.5"),
        ("label", True, {"role": "admin", "first": "Alex"}, "/p/.role=admin.first=Alex"),
        ("matrix", None, 5, "/p/;id=5"),
        ("matrix", False, [3, 4, 5], "/p/;id=3,4,5"),
        ("matrix", True, [3, 4, 5], "/p/;id=3;id=4;id=5"),
        ("matrix", False, {"role": "admin", "first": "Alex"}, "/p/;id=role,admin,first,Alex"),
        ("matrix", True, {"role": "admin", "first": "Alex"}, "/p/;role=admin;first=Alex"),
        (None, None, "a/b c?", "/p/a%2Fb%20c%3F"),
        (None, None, True, "/p/true"),
    ],
)
def test_path_styles(
    recorder: Recorder, style: str | None, explode: bool | None, value: object, expected: str
) -> None:
    operation = op(rt.Param("id", "id", "path", style=style, explode=explode), path="/p/{id}")
    assert send(recorder, operation, id=value) == f"/v1{expected}"


def test_path_allow_reserved_is_ignored(recorder: Recorder) -> None:
    """``allowReserved`` is for query parameters: a path value stays one segment."""
    operation = op(rt.Param("key", "key", "path", allow_reserved=True), path="/files/{key}")
    assert send(recorder, operation, key="a/b:c") == "/v1/files/a%2Fb%3Ac"


@pytest.mark.parametrize("value", [None, NOT_GIVEN])
def test_path_missing_raises(recorder: Recorder, value: object) -> None:
    operation = op(rt.Param("pet_id", "petId", "path"), path="/pets/{petId}")
    with pytest.raises(ValueError, match="pet_id"):
        make_client(recorder).request(operation, {"pet_id": value})
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("style", "explode", "value", "expected"),
    [
        (None, None, [1, 2], "a=1&a=2"),
        (None, False, [1, 2], "a=1,2"),
        (None, None, {"k": "v", "n": 1}, "k=v&n=1"),
        (None, False, {"k": "v", "n": 1}, "a=k,v,n,1"),
        ("spaceDelimited", False, [1, 2, 3], "a=1%202%203"),
        ("pipeDelimited", False, [1, 2, 3], "a=1|2|3"),
        # explode defaults to true for "form" only (OpenAPI): these are not exploded
        ("spaceDelimited", None, [1, 2, 3], "a=1%202%203"),
        ("pipeDelimited", None, [1, 2, 3], "a=1|2|3"),
        ("pipeDelimited", True, [1, 2], "a=1&a=2"),
        ("deepObject", True, {"k": "v", "n": {"x": 1}}, "a[k]=v&a[n][x]=1"),
        ("deepObject", True, ["x", "y"], "a[]=x&a[]=y"),
        ("deepObject", True, [{"k": 1}, {"k": 2}], "a[0][k]=1&a[1][k]=2"),
        (None, None, True, "a=true"),
        (None, None, "x y&z", "a=x%20y%26z"),
        (None, None, Color.RED, "a=red"),
        (
            None,
            None,
            dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
            "a=2024-01-02T03%3A04%3A05%2B00%3A00",
        ),
        (None, None, dt.date(2024, 1, 2), "a=2024-01-02"),
    ],
)
def test_query_styles(
    recorder: Recorder, style: str | None, explode: bool | None, value: object, expected: str
) -> None:
    make_client(recorder).request(
        op(rt.Param("a", "a", "query", style=style, explode=explode)), {"a": value}
    )
    assert query(recorder.last) == expected


def test_stripe_expand_query_and_omitted_values(recorder: Recorder) -> None:
    operation = op(
        rt.Param("expand", "expand", "query", style="deepObject", explode=True),
        rt.Param("limit", "limit", "query"),
        rt.Param("starting_after", "starting_after", "query"),
    )
    make_client(recorder).request(
        operation, {"expand": ["a", "b"], "limit": NOT_GIVEN, "starting_after": None}
    )
    assert query(recorder.last) == "expand[]=a&expand[]=b"


def test_extra_query_merges_and_overrides(recorder: Recorder) -> None:
    operation = op(rt.Param("a", "a", "query"), rt.Param("b", "b", "query"))
    options: rt.RequestOptions = {"extra_query": {"b": 9, "c": [1, 2]}}
    make_client(recorder).request(operation, {"a": 1, "b": 2}, options)
    assert query(recorder.last) == "a=1&b=9&c=1&c=2"


def test_model_values_are_dumped_by_alias(recorder: Recorder) -> None:
    class Range(rt.Model):
        min_price: int | None = Field(default=None, alias="minPrice")
        max_price: int | None = Field(default=None, alias="maxPrice")

    operation = op(rt.Param("range", "range", "query", style="deepObject"))
    make_client(recorder).request(operation, {"range": Range(minPrice=1)})
    assert query(recorder.last) == "range[minPrice]=1"


def test_headers_and_cookies(recorder: Recorder) -> None:
    operation = op(
        rt.Param("x_ids", "X-Ids", "header"),
        rt.Param("x_flag", "X-Flag", "header"),
        rt.Param("x_obj", "X-Obj", "header", explode=True),
        rt.Param("x_none", "X-None", "header"),
        rt.Param("session", "session", "cookie"),
        rt.Param("prefs", "prefs", "cookie", explode=False),
    )
    make_client(recorder).request(
        operation,
        {
            "x_ids": [1, 2],
            "x_flag": False,
            "x_obj": {"a": 1, "b": 2},
            "x_none": None,
            "session": "abc",
            "prefs": ["x", "y"],
        },
    )
    headers = recorder.last.headers
    assert headers["X-Ids"] == "1,2"
    assert headers["X-Flag"] == "false"
    assert headers["X-Obj"] == "a=1,b=2"
    assert "X-None" not in headers
    assert headers["Cookie"] == "session=abc; prefs=x,y"


def test_json_content_param(recorder: Recorder) -> None:
    operation = op(rt.Param("filter", "filter", "query", content_type="application/json"))
    make_client(recorder).request(operation, {"filter": {"a": [1]}})
    assert query(recorder.last) == "filter=%7B%22a%22%3A%5B1%5D%7D"
