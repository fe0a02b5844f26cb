"""Parameter serialisation: exact path segments, query strings, headers and cookies."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any
from urllib.parse import parse_qsl

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
        # the style table's empty array/object: `;id` (a helper's contract review: the exploded
        # forms spelt nothing, and the call was refused as an empty segment)
        ("matrix", True, [], "/p/;id"),
        ("matrix", True, {}, "/p/;id"),
        ("matrix", False, [], "/p/;id"),
        (None, None, "a/b c?", "/p/a%2Fb%20c%3F"),
        (None, None, True, "/p/true"),
        # where `,` separates, an item's `.` stays (exploded, it is refused: below)
        ("label", False, ["a.b", "c"], "/p/.a.b,c"),
        ("label", None, "1.5", "/p/.1.5"),
        ("matrix", True, ["a;b=c", "d"], "/p/;id=a%3Bb%3Dc;id=d"),
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
        ("pipeDelimited", False, [1, 2, 3], "a=1%7C2%7C3"),
        # explode defaults to true for "form" only (OpenAPI): these are not exploded
        ("spaceDelimited", None, [1, 2, 3], "a=1%202%203"),
        ("pipeDelimited", None, [1, 2, 3], "a=1%7C2%7C3"),
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


@pytest.mark.parametrize("value", [["a.b", "c"], {"a": "x.y"}, {"b.c": "z"}])
def test_an_exploded_label_item_holding_a_dot_is_refused(recorder: Recorder, value: object) -> None:
    """Helper 223: `["a.b", "c"]` went as `.a.b.c`, as `["a", "b", "c"]` does; `%2E` is `.` to
    a server that decodes the path before it splits it (RFC 3986 6.2.2.2): no spelling."""
    operation = op(rt.Param("id", "id", "path", style="label", explode=True), path="/p/{id}")
    with pytest.raises(
        ValueError, match=r"'id' \(label\) has an item holding its separator \(\.\)"
    ):
        make_client(recorder).request(operation, {"id": value})
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("style", "value"),
    [("pipeDelimited", ["a|b", "c"]), ("spaceDelimited", ["New York", "Paris"])],
)
def test_a_delimited_item_holding_its_separator_is_refused(
    recorder: Recorder, style: str, value: list[str]
) -> None:
    """Helper 223: `["a|b", "c"]` went as `a%7Cb%7Cc`, three items to any reader (the style
    has no escape for its separator): refused before sending, naming the parameter."""
    with pytest.raises(ValueError, match=rf"'a' \({style}\) has an item holding its separator"):
        make_client(recorder).request(op(rt.Param("a", "a", "query", style=style)), {"a": value})
    assert recorder.requests == []
    other = "x y" if style == "pipeDelimited" else "x|y"  # the other style's separator: fine
    make_client(recorder).request(op(rt.Param("a", "a", "query", style=style)), {"a": [other]})
    assert query(recorder.last) == ("a=x%20y" if style == "pipeDelimited" else "a=x%7Cy")


def test_allow_reserved_leaves_raw_only_what_means_nothing_in_a_query(recorder: Recorder) -> None:
    """Azure's `$filter` (allowReserved): `L+-` went raw and read back as `L -`, a `#` ended the
    query there; `&` and `=` would split the pair. OData's `/:(),'` stay readable."""
    param = rt.Param("filter", "$filter", "query", allow_reserved=True)
    value = "name eq 'a/b:c' and (x,y)+1 & k=v #1 [0]"
    make_client(recorder).request(op(param), {"filter": value})
    sent = query(recorder.last)
    assert sent == "%24filter=name%20eq%20'a/b:c'%20and%20(x,y)%2B1%20%26%20k%3Dv%20%231%20%5B0%5D"
    assert dict(parse_qsl(sent)) == {"$filter": value}


def test_allow_reserved_still_encodes_a_comma_inside_a_joined_item(recorder: Recorder) -> None:
    """A helper's serialization sweep: `ra=["a/b", "c,d"]` (allowReserved, not exploded) went
    out as `ra=a/b,c,d`, three items to any reader; a scalar keeps its `,` raw."""
    joined = rt.Param("ra", "ra", "query", explode=False, allow_reserved=True)
    make_client(recorder).request(op(joined), {"ra": ["a/b", "c,d"]})
    assert query(recorder.last) == "ra=a/b,c%2Cd"
    make_client(recorder).request(op(joined), {"ra": {"k,1": "v,2"}})
    assert query(recorder.last) == "ra=k%2C1,v%2C2"
    scalar = rt.Param("s", "s", "query", allow_reserved=True)
    make_client(recorder).request(op(scalar), {"s": "x,y"})
    assert query(recorder.last) == "s=x,y"


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


def test_extra_query_nests_objects_in_brackets_and_overrides_as_declared(
    recorder: Recorder,
) -> None:
    """A helper's SDK review: ``extra_query={"metadata": {"k": "v"}}`` went out as ``k=v`` (the
    name lost: Stripe refuses an unknown ``k``), and ``{"expand": ["b"]}`` beside the declared
    deepObject ``expand`` sent both ``expand[]=a`` and ``expand=b``. An object nests in
    brackets (openai-python's ``extra_query``); a declared name is replaced and encoded as
    declared."""
    operation = op(
        rt.Param("expand", "expand", "query", style="deepObject", explode=True),
        rt.Param("filter", "filter", "query", style="deepObject", explode=True),
        rt.Param("a", "a", "query"),
    )
    options: rt.RequestOptions = {
        "extra_query": {
            "expand": ["b"],
            "filter": {"color": "blue"},
            "metadata": {"k": "v", "n": {"deep": 1}},
            "items": [{"x": 1}],
            "tags": ["p", "q"],
        }
    }
    values = {"expand": ["a"], "filter": {"color": "red"}, "a": 1}
    make_client(recorder).request(operation, values, options)
    assert query(recorder.last) == (
        "a=1&expand[]=b&filter[color]=blue&metadata[k]=v&metadata[n][deep]=1&items[0][x]=1"
        "&tags=p&tags=q"
    )


def test_extra_query_literal_bracket_names_still_win(recorder: Recorder) -> None:
    operation = op(rt.Param("expand", "expand", "query", style="deepObject", explode=True))
    options: rt.RequestOptions = {"extra_query": {"expand[]": ["c"], "metadata[k]": "v"}}
    make_client(recorder).request(operation, {"expand": ["a"]}, options)
    assert query(recorder.last) == "expand[]=c&metadata[k]=v"


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


# --- several values in one path segment (``{query}.{ext}``) ---------------------------------

SHARED = op(
    rt.Param("version", "versionNumber", "path"),
    rt.Param("query", "query", "path"),
    rt.Param("ext", "ext", "path"),
    path="/search/{versionNumber}/{query}.{ext}",
)


@pytest.mark.parametrize(
    ("query_value", "expected"),
    [
        ("pizza", "/v1/search/2/pizza.json"),
        ("a.b", "/v1/search/2/a%2Eb.json"),  # the value's dot is not the template's
        ("37.8,-122.2", "/v1/search/2/37%2E8%2C-122%2E2.json"),
        ("a/b", "/v1/search/2/a%2Fb.json"),
        ("../../admin", "/v1/search/2/%2E%2E%2F%2E%2E%2Fadmin.json"),
        ("..", "/v1/search/2/%2E%2E.json"),
        ("x?y=1#f", "/v1/search/2/x%3Fy%3D1%23f.json"),
        ("%2E", "/v1/search/2/%252E.json"),
        ("caf\u00e9", "/v1/search/2/caf%C3%A9.json"),
    ],
)
def test_shared_segment_values_cannot_move_the_separator(
    recorder: Recorder, query_value: str, expected: str
) -> None:
    assert send(recorder, SHARED, version=2, query=query_value, ext="json") == expected


@pytest.mark.parametrize(
    "value", ["a.b", "../x", "a/b/../c", "?#", ".", "-", "a-b.c_d~e", "%2F", " ", "\u65e5"]
)
def test_shared_segment_reads_back_as_sent(recorder: Recorder, value: str) -> None:
    """Split at the template's own separators, then decoded, each value comes back whole."""
    from urllib.parse import unquote

    operation = op(
        rt.Param("a", "a", "path"),
        rt.Param("b", "b", "path"),
        rt.Param("c", "c", "path"),
        path="/x/{a}-{b}.{c}",
    )
    path = send(recorder, operation, a=value, b=value, c=value)
    prefix, segment = path.rsplit("/", 1)
    assert prefix == "/v1/x"
    first, rest = segment.split("-", 1)
    second, third = rest.split(".", 1)
    assert [unquote(v) for v in (first, second, third)] == [value] * 3


@pytest.mark.parametrize("value", [-5, 7])
def test_shared_segment_numbers_keep_the_separator_theirs(recorder: Recorder, value: int) -> None:
    operation = op(
        rt.Param("lo", "lo", "path"), rt.Param("hi", "hi", "path"), path="/range/{lo}-{hi}"
    )
    sent = send(recorder, operation, lo=value, hi=1)
    assert sent == ("/v1/range/%2D5-1" if value < 0 else "/v1/range/7-1")


def test_shared_segment_empty_value_is_refused(recorder: Recorder) -> None:
    with pytest.raises(ValueError, match="path parameter 'query'"):
        make_client(recorder).request(SHARED, {"version": 2, "query": "", "ext": "json"})
    assert recorder.requests == []


def test_prefix_letters_are_not_separators(recorder: Recorder) -> None:
    """Only ``._~-`` are encoded in a value: a literal prefix's letters are not separators."""
    operation = op(rt.Param("v", "v", "path"), path="/api/v{v}/x")
    assert send(recorder, operation, v="v2.1") == "/v1/api/vv2.1/x"


def test_exploded_cookies_are_one_per_item_and_member_with_names_encoded(
    recorder: Recorder,
) -> None:
    """decisions.md 56: a member's name goes as a cookie name, so `;`, `=` and spaces in it
    are percent-encoded (a name `a; admin=1` would otherwise add a cookie of its own)."""
    operation = op(
        rt.Param("ids", "ids", "cookie"),
        rt.Param("prefs", "prefs", "cookie"),
        rt.Param("tags", "tags", "cookie", explode=False),
    )
    make_client(recorder).request(
        operation,
        {"ids": [1, 2], "prefs": {"a; admin=1": "x y", "b": None}, "tags": ["p,q", "r"]},
    )
    assert recorder.last.headers["Cookie"] == "ids=1; ids=2; a%3B%20admin%3D1=x%20y; tags=p%2Cq,r"


@pytest.mark.parametrize(
    ("template", "sent"),
    [
        ("/a|b/{id}", "/v1/a%7Cb/7"),
        ("/c\\d^e/x", "/v1/c%5Cd%5Ee/x"),
        ('/q"{id}"', "/v1/q%227%22"),
        ("/files/{id}:copy", "/v1/files/7:copy"),  # sub-delims, `:` and `@` are pchars
        ("/a%2Fb/{id}", "/v1/a%2Fb/7"),  # an escape the spec wrote stays one
        ("/100%/{id}", "/v1/100%25/7"),  # a `%` that starts none is encoded (a review)
        ("/ü n/{id}", "/v1/%C3%BC%20n/7"),
    ],
)
def test_a_path_template_s_own_text_is_sent_as_a_request_target_may_carry_it(
    recorder: Recorder, template: str, sent: str
) -> None:
    """A helper's fuzzing: a `|`, `\\` or `^` in a spec's path key went out raw in the request
    line (RFC 3986 has no such `pchar`; Tomcat answers 400), as `|` did in pipe-delimited
    queries."""
    params = (rt.Param("id", "id", "path"),) if "{id}" in template else ()
    make_client(recorder).request(op(*params, path=template), {"id": 7})
    assert recorder.last.url.raw_path.decode() == sent
