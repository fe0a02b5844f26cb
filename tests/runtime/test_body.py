"""Request bodies: JSON null vs omitted, Stripe-style forms, multipart and raw content."""

from __future__ import annotations

import io
import json
import platform
from pathlib import Path
from typing import Any

import pytest

import apigen_runtime as rt
from apigen_runtime import NOT_GIVEN

from .conftest import Pet, Recorder, make_client, op

FORM = "application/x-www-form-urlencoded"


def fields(*names: str) -> tuple[rt.Param, ...]:
    return tuple(rt.Param(n, n, "field") for n in names)


def test_json_fields_null_vs_omitted(recorder: Recorder) -> None:
    operation = op(*fields("name", "tag", "age"), method="post", body=rt.Body("application/json"))
    make_client(recorder).request(operation, {"name": "Rex", "tag": None, "age": NOT_GIVEN})
    assert recorder.last.headers["Content-Type"] == "application/json"
    assert recorder.last.content == b'{"name":"Rex","tag":null}'


def test_bytes_in_a_json_body(recorder: Recorder) -> None:
    # `type: string, format: binary` properties of a JSON body (features/3.0/schema-types.yaml)
    operation = op(*fields("blob"), method="put", body=rt.Body("application/json"))
    client = make_client(recorder)
    client.request(operation, {"blob": "naïve text".encode()})
    assert recorder.last.content == '{"blob":"naïve text"}'.encode()
    before = len(recorder.requests)
    with pytest.raises(TypeError, match="UTF-8 text"):  # not a bare json.dumps TypeError
        client.request(operation, {"blob": b"\x89PNG\r\n"})
    assert len(recorder.requests) == before


def test_json_field_wire_names_and_models(recorder: Recorder) -> None:
    operation = op(
        rt.Param("pet_name", "petName", "field"),
        rt.Param("friend", "friend", "field"),
        method="put",
        body=rt.Body("application/vnd.api+json"),
    )
    make_client(recorder).request(operation, {"pet_name": "Rex", "friend": Pet(id=1, name="Bo")})
    assert json.loads(recorder.last.content) == {
        "petName": "Rex",
        "friend": {"id": 1, "name": "Bo"},
    }
    assert recorder.last.headers["Content-Type"] == "application/vnd.api+json"


def test_whole_json_body_and_extra_body(recorder: Recorder) -> None:
    operation = op(
        rt.Param("body", "body", "body"), method="post", body=rt.Body("application/json")
    )
    options: rt.RequestOptions = {"extra_body": {"beta": True}}
    make_client(recorder).request(operation, {"body": Pet(id=1, name="Rex")}, options)
    assert json.loads(recorder.last.content) == {"id": 1, "name": "Rex", "beta": True}


def test_omit_in_extra_body_and_extra_query_drops_the_value(recorder: Recorder) -> None:
    """A review: `extra_body={"name": omit}` raised the JSON encoder's `TypeError` (openai-python
    drops the key); `NOT_GIVEN` there is no value, so the argument's stays; `extra_query`
    likewise (`omit` dropped a declared parameter's value)."""
    operation = op(
        *fields("name", "tag"),
        rt.Param("limit", "limit", "query"),
        method="post",
        body=rt.Body("application/json"),
    )
    options: rt.RequestOptions = {
        "extra_body": {"name": rt.omit, "tag": NOT_GIVEN, "beta": True},
        "extra_query": {"limit": rt.omit, "page": NOT_GIVEN},
    }
    make_client(recorder).request(operation, {"name": "Rex", "tag": "t", "limit": 5}, options)
    assert json.loads(recorder.last.content) == {"tag": "t", "beta": True}
    assert recorder.last.url.query == b""
    # nested (a review: the word `omit` went on the wire in a query, a body refused it) and
    # as an argument (`?limit=omit`)
    nested: rt.RequestOptions = {
        "extra_body": {"meta": {"a": rt.omit, "b": 1}, "list": [1, rt.omit]},
        "extra_query": {"f": {"a": rt.omit, "b": 1}, "g": [1, rt.omit]},
    }
    make_client(recorder).request(operation, {"name": rt.omit, "limit": rt.omit}, nested)
    assert json.loads(recorder.last.content) == {"meta": {"b": 1}, "list": [1]}
    assert recorder.last.url.params.multi_items() == [("f[b]", "1"), ("g", "1")]


def test_required_body_without_values_sends_empty_object(recorder: Recorder) -> None:
    required = op(*fields("a"), method="post", body=rt.Body("application/json", required=True))
    optional = op(*fields("a"), method="post", body=rt.Body("application/json"))
    client = make_client(recorder)
    client.request(required, {})
    assert recorder.last.content == b"{}"
    client.request(optional, {})
    assert recorder.last.content == b""
    assert "Content-Type" not in recorder.last.headers
    # Kubernetes declares its object bodies as `*/*` (kubernetes.io in APIs.guru)
    wildcard = op(*fields("kind"), method="post", body=rt.Body("*/*", required=True))
    client.request(wildcard, {})
    assert recorder.last.content == b"{}"


def test_stripe_form_encoding(recorder: Recorder) -> None:
    operation = op(
        rt.Param("customer", "customer", "path"),
        *fields("expand", "metadata", "items", "description", "email", "livemode", "name"),
        method="post",
        path="/v1/customers/{customer}",
        body=rt.Body(FORM, encoding={"expand": rt.Encoding(style="deepObject", explode=True)}),
    )
    make_client(recorder, base_url="https://api.stripe.test").request(
        operation,
        {
            "customer": "cus_1",
            "expand": ["a", "b"],
            "metadata": {"order_id": "6735", "note": "a b&c"},
            "items": [{"price": "p_1", "quantity": 2}, {"price": "p_2"}],
            "description": "",  # Stripe: empty string unsets
            "email": None,  # no spelling in a form: dropped
            "livemode": False,
            "name": NOT_GIVEN,
        },
    )
    assert str(recorder.last.url) == "https://api.stripe.test/v1/customers/cus_1"
    assert recorder.last.headers["Content-Type"] == FORM
    assert recorder.last.content.decode() == (
        "expand[]=a&expand[]=b"
        "&metadata[order_id]=6735&metadata[note]=a+b%26c"
        "&items[0][price]=p_1&items[0][quantity]=2&items[1][price]=p_2"
        "&description=&livemode=false"
    )


def test_form_encoding_styles(recorder: Recorder) -> None:
    operation = op(
        *fields("ids", "tags", "meta", "deep"),
        method="post",
        body=rt.Body(
            FORM,
            encoding={
                "ids": rt.Encoding(style="form", explode=True),
                "tags": rt.Encoding(style="form", explode=False),
                "meta": rt.Encoding(content_type="application/json"),
            },
        ),
    )
    make_client(recorder).request(
        operation, {"ids": [1, 2], "tags": ["x", "y"], "meta": {"a": 1}, "deep": {"a": [1, 2]}}
    )
    assert recorder.last.content.decode() == (
        "ids=1&ids=2&tags=x,y&meta=%7B%22a%22%3A1%7D&deep[a][]=1&deep[a][]=2"
    )


def test_bytes_in_a_form_and_a_query_are_their_octets(recorder: Recorder) -> None:
    # `format: binary` fields of a urlencoded form (APIs.guru: apacta, avaza): any octets,
    # UTF-8 or not, are percent-encoded as they are, not decoded first
    operation = op(
        *fields("file", "note"),
        rt.Param("q", "q", "query"),
        method="post",
        body=rt.Body(FORM),
    )
    make_client(recorder).request(operation, {"file": b"\x89PNG\r\n", "note": "é, ", "q": b"\xff"})
    assert recorder.last.content == b"file=%89PNG%0D%0A&note=%C3%A9%2C+"
    assert recorder.last.url.query == b"q=%FF"


def test_multipart_with_files_and_fields(recorder: Recorder, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("from disk")
    operation = op(
        *fields("file", "photo", "doc", "raw", "meta", "count", "flag"),
        method="post",
        body=rt.Body("multipart/form-data"),
    )
    make_client(recorder).request(
        operation,
        {
            "file": ("a.csv", b"x,y\n1,2\n", "text/csv"),
            "photo": io.BytesIO(b"\x89PNG"),
            "doc": path,
            "raw": b"bytes!",
            "meta": {"k": [1, 2]},
            "count": 3,
            "flag": True,
        },
    )
    content_type = recorder.last.headers["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    body = recorder.last.content.decode("latin-1")
    assert 'name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nx,y\n1,2\n' in body
    assert 'name="photo"; filename="upload"' in body
    assert 'name="doc"; filename="notes.txt"' in body and "from disk" in body
    assert 'name="raw"; filename="upload"' in body
    assert 'name="meta"\r\nContent-Type: application/json\r\n\r\n{"k":[1,2]}\r\n' in body
    assert 'name="count"\r\n\r\n3\r\n' in body
    assert 'name="flag"\r\n\r\ntrue\r\n' in body


def test_a_tuple_in_a_multipart_field_that_holds_no_file_is_its_values(
    recorder: Recorder,
) -> None:
    """A helper's upload review: `tags=("x", "y")` on an array of strings went out as a file
    named `x` holding `y`. The generated `Body(data=...)` names the fields whose schema holds no
    file: a tuple there is values; bytes, paths and open files are still files (Stripe's `file`
    is a plain string in its spec)."""
    operation = op(
        *fields("file", "tags", "note", "anything"),
        method="post",
        body=rt.Body("multipart/form-data", data=frozenset({"tags", "note"})),
    )
    make_client(recorder).request(
        operation,
        {"file": ("a.txt", b"hi"), "tags": ("x", "y"), "note": b"up", "anything": ("b.txt", b"1")},
    )
    body = recorder.last.content.decode("latin-1")
    assert 'name="file"; filename="a.txt"' in body
    assert body.count('name="tags"\r\n\r\n') == 2 and "\r\n\r\nx\r\n" in body
    assert "\r\n\r\ny\r\n" in body and 'filename="x"' not in body
    assert 'name="note"; filename="upload"' in body
    assert 'name="anything"; filename="b.txt"' in body  # (not listed: judged by value)
    # the review: a `(filename, content)` tuple there is still a file (Stripe's `file` is a
    # plain string in its spec), and a model with a `read` field is no open file
    make_client(recorder).request(
        operation, {"note": ("x.pdf", b"%PDF", "application/pdf"), "tags": ["a"]}
    )
    body = recorder.last.content.decode("latin-1")
    assert 'name="note"; filename="x.pdf"\r\nContent-Type: application/pdf' in body

    class Permission(rt.Model):
        read: bool = False

    make_client(recorder).request(operation, {"anything": Permission(read=True)})
    body = recorder.last.content.decode("latin-1")
    assert 'name="anything"\r\nContent-Type: application/json\r\n\r\n{"read":true}' in body


def test_a_range_or_deque_in_a_multipart_field_is_its_items(
    recorder: Recorder, tmp_path: Path
) -> None:
    """The regression sweep: array arguments take a `Sequence`, but only lists and tuples were
    split: `ids=range(1, 3)` went out as one JSON part `[1,2]`, a deque of paths raised."""
    from collections import deque

    path = tmp_path / "a.txt"
    path.write_bytes(b"AAA")
    operation = op(
        *fields("ids", "files"),
        method="post",
        body=rt.Body("multipart/form-data", data=frozenset({"ids"})),
    )
    make_client(recorder).request(operation, {"ids": range(1, 3), "files": deque([path, path])})
    body = recorder.last.read().decode("latin-1")
    assert body.count('name="ids"\r\n\r\n') == 2 and "\r\n\r\n1\r\n" in body
    assert body.count('name="files"; filename="a.txt"') == 2 and "[1,2]" not in body


def test_a_required_multipart_body_with_nothing_given_is_sent_empty(recorder: Recorder) -> None:
    """Like ``{}`` for a required JSON body: no part at all is still a body (the closing
    boundary alone), not a request without one; an optional body is left out."""
    required = op(
        *fields("spec", "url"), method="post", body=rt.Body("multipart/form-data", required=True)
    )
    client = make_client(recorder)
    client.request(required, {"spec": NOT_GIVEN, "url": NOT_GIVEN})
    content_type = recorder.last.headers["Content-Type"]
    boundary = content_type.removeprefix("multipart/form-data; boundary=")
    assert boundary != content_type
    assert recorder.last.content == f"--{boundary}--\r\n".encode()
    optional = op(*fields("spec", "url"), method="post", body=rt.Body("multipart/form-data"))
    client.request(optional, {"spec": NOT_GIVEN, "url": NOT_GIVEN})
    assert recorder.last.content == b""
    assert "Content-Type" not in recorder.last.headers


def test_multipart_deep_object_fields_are_one_part_per_pair(recorder: Recorder) -> None:
    """Stripe ``files.create``: ``file_link_data`` (deepObject) goes as ``file_link_data[create]``
    parts. An exploded form array is one part per item; one not exploded (Swagger 2.0's
    ``collectionFormat: pipes``, the only source the IR keeps it from in multipart: OpenAPI 3.0
    ignores ``style`` there) one part of the joined items."""
    deep = rt.Encoding(style="deepObject", explode=True)
    operation = op(
        *fields("file", "file_link_data", "expand", "tags", "ids"),
        method="post",
        body=rt.Body(
            "multipart/form-data",
            encoding={
                "file_link_data": deep,
                "expand": deep,
                "tags": rt.Encoding(style="form", explode=True),
                "ids": rt.Encoding(style="pipeDelimited", explode=False),
            },
        ),
    )
    make_client(recorder).request(
        operation,
        {
            "file": ("a.csv", b"x", "text/csv"),
            "file_link_data": {"create": True, "metadata": {"k": "v"}},
            "expand": ["file_link"],
            "tags": ["a", "b"],
            "ids": [1, 2],
        },
    )
    body = recorder.last.content.decode()
    for name, value in [
        ("file_link_data[create]", "true"),
        ("file_link_data[metadata][k]", "v"),
        ("expand[]", "file_link"),
        ("tags", "a"),
        ("tags", "b"),
        ("ids", "1|2"),
    ]:
        assert f'name="{name}"\r\n\r\n{value}\r\n' in body
    assert "{" not in body  # no JSON parts


def _parts(content: bytes, content_type: str) -> list[tuple[str, str | None, bytes]]:
    """(name, Content-Type or None, payload) of each part, in order."""
    import email.parser
    import email.policy

    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + content)
    out: list[tuple[str, str | None, bytes]] = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        out.append(
            (
                str(part.get_param("name", header="content-disposition")),
                part["Content-Type"],
                payload if isinstance(payload, bytes) else b"",
            )
        )
    return out


@pytest.mark.parametrize(
    "encoding",
    [
        None,
        rt.Encoding(style="form", explode=True),  # form styles are for urlencoded bodies only
        rt.Encoding(explode=True),
    ],
)
def test_multipart_objects_are_json_parts(recorder: Recorder, encoding: Any) -> None:
    """An object (and each object of an array) is one ``application/json`` part; an array of
    primitives is one part per item; a part ``encoding.<name>.contentType`` declares in another
    media type is the caller's encoded text, and data for it is refused (decisions.md §36)."""
    encodings = {"tags": rt.Encoding(content_type="text/csv")}
    if encoding is not None:
        encodings |= {"meta": encoding, "items": encoding, "ids": encoding}
    operation = op(
        *fields("meta", "items", "ids", "tags", "note"),
        method="post",
        body=rt.Body("multipart/form-data", encoding=encodings),
    )
    make_client(recorder).request(
        operation,
        {
            "meta": {"name": "x", "size": 2},
            "items": [{"k": "a"}, {"k": "b"}],
            "ids": [1, 2],
            "tags": "t,1",
            "note": "hi",
        },
    )
    with pytest.raises(TypeError, match="'tags' is sent as text/csv: pass it encoded"):
        make_client(recorder).request(operation, {"tags": {"t": 1}})
    assert _parts(recorder.last.content, recorder.last.headers["Content-Type"]) == [
        ("meta", "application/json", b'{"name":"x","size":2}'),
        ("items", "application/json", b'{"k":"a"}'),
        ("items", "application/json", b'{"k":"b"}'),
        ("ids", None, b"1"),
        ("ids", None, b"2"),
        ("tags", "text/csv", b"t,1"),
        ("note", None, b"hi"),
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"\x00\x01", b"\x00\x01"),
        ("text", b"text"),
        (io.BytesIO(b"stream"), b"stream"),
        # a helper's review: a list of chunks went as the JSON text '["chunk1","chunk2"]'
        ([b"chunk1", bytearray(b"-"), memoryview(b"chunk2")], b"chunk1-chunk2"),
    ],
)
def test_raw_bodies(recorder: Recorder, value: Any, expected: bytes) -> None:
    operation = op(
        rt.Param("body", "body", "body"), method="put", body=rt.Body("application/octet-stream")
    )
    make_client(recorder).request(operation, {"body": value})
    assert recorder.last.content == expected
    assert recorder.last.headers["Content-Type"] == "application/octet-stream"


@pytest.mark.parametrize(
    ("value", "media"),
    [
        (("photo.jpg", b"\xff\xd8", "image/jpeg"), "image/jpeg"),  # the type given wins
        (("photo.jpg", b"\xff\xd8"), "image/png"),  # else the declared one
        ((None, io.BytesIO(b"\xff\xd8"), None), "image/png"),
    ],
)
def test_a_raw_body_takes_a_file_tuple_as_its_type_says(
    recorder: Recorder, value: Any, media: str
) -> None:
    """A binary body is typed `FileInput`, which allows `(filename, content[, type])`; the
    tuple went out as JSON (or raised a TypeError), found by a hand-written spec whose upload
    takes `image/png` or `image/jpeg`."""
    operation = op(rt.Param("body", "body", "body"), method="post", body=rt.Body("image/png"))
    make_client(recorder).request(operation, {"body": value})
    assert recorder.last.content == b"\xff\xd8"
    assert recorder.last.headers["Content-Type"] == media


def test_extra_headers_and_user_agent(recorder: Recorder) -> None:
    operation = op(rt.Param("x_trace", "X-Trace", "header"))
    client = make_client(recorder, default_headers={"X-Default": "d"})
    client.request(operation, {"x_trace": "t"}, {"extra_headers": {"X-Trace": "override"}})
    headers = recorder.last.headers
    assert headers["X-Trace"] == "override"
    assert headers["X-Default"] == "d"
    assert headers["User-Agent"] == f"apigen/{rt.__version__} Python/{platform.python_version()}"
    assert headers["Accept"] == "application/json"


def test_required_raw_body_is_not_invented(recorder: Recorder) -> None:
    operation = op(
        rt.Param("body", "body", "body"),
        method="put",
        body=rt.Body("application/octet-stream", required=True),
    )
    make_client(recorder).request(operation, {})
    assert recorder.last.content == b""


def test_a_decimal_is_a_json_number_and_text_elsewhere() -> None:
    """A helper's review: `amount=Decimal("19.99")` for a `type: number` field was sent as
    `"19.99"` (a string: a strict server refuses it). In JSON a Decimal is a number, exact as
    an int or a float, or refused before sending when a float would round it; in a query or a
    form it is its text."""
    from decimal import Decimal

    from apigen_runtime._body import encode_body
    from apigen_runtime._params import encode_query, quoter

    body = {"a": Decimal("19.99"), "b": Decimal("100"), "c": [Decimal("0.1")]}
    assert encode_body("application/json", body, None)[0] == b'{"a":19.99,"b":100,"c":[0.1]}'
    form = encode_body("application/x-www-form-urlencoded", {"a": Decimal("19.99")}, None)
    assert form[0] == b"a=19.99"
    assert encode_query("a", Decimal("19.99"), "form", True, quoter()) == ["a=19.99"]
    with pytest.raises(TypeError, match="more digits than a JSON number"):
        encode_body("application/json", {"a": Decimal("0.12345678901234567890123")}, None)


def test_an_object_for_a_media_range_is_json_labelled_so() -> None:
    """A helper's Prism sweep (Kubernetes, 292 operations: `content: {"*/*": {schema:
    Namespace}}`): the object went as JSON labelled `application/octet-stream`, which Prism
    (and the API server) refused. A model, mapping or list for `*/*` or `application/*` is
    `application/json`; bytes and files keep the octet-stream label; `text/*` is text/plain."""
    from apigen_runtime._body import encode_body

    body = {"kind": "Namespace", "metadata": {"name": "demo"}}
    expected = (b'{"kind":"Namespace","metadata":{"name":"demo"}}', "application/json")
    assert encode_body("*/*", body, None) == expected
    assert encode_body("application/*", [1, 2], None) == (b"[1,2]", "application/json")
    assert encode_body("*/*", b"\x00raw", None) == (b"\x00raw", "application/octet-stream")
    assert encode_body("text/*", "hi", None) == (b"hi", "text/plain; charset=utf-8")


@pytest.mark.parametrize(
    ("media", "value", "sent"),
    [
        ("text/plain", "h\u00e9llo", "text/plain; charset=utf-8"),
        ("text/csv", "a,b", "text/csv; charset=utf-8"),
        ("text/plain; charset=utf-8", "x", "text/plain; charset=utf-8"),
        ("text/plain", b"raw", "text/plain"),  # the caller's octets, in the caller's charset
    ],
)
def test_text_sent_from_a_str_says_it_is_utf_8(media: str, value: object, sent: str) -> None:
    """A helper's sweep: `héllo` went out as UTF-8 under a bare `text/plain`, which reads as
    US-ASCII (RFC 2046 §4.1.2; Spring decodes ISO-8859-1: `hÃ©llo`)."""
    from apigen_runtime._body import encode_body

    assert encode_body(media, value, None)[1] == sent


def test_text_goes_in_the_charset_its_type_names() -> None:
    """The review of the fix above: `text/plain; charset=iso-8859-1` labelled UTF-8 bytes,
    the same `hÃ©llo` at the server. A character the charset cannot spell is a ValueError
    before anything is sent."""
    from apigen_runtime._body import encode_body

    latin = "text/plain; charset=iso-8859-1"
    assert encode_body(latin, "h\u00e9llo", None) == (b"h\xe9llo", latin)
    with pytest.raises(ValueError, match="no iso-8859-1 spelling"):
        encode_body(latin, "\u20ac", None)
    unknown = "text/plain; charset=x-unheard-of"
    assert encode_body(unknown, "h\u00e9", None) == ("h\u00e9".encode(), unknown)


def test_any_path_like_is_a_file(recorder: Recorder, tmp_path: Path) -> None:
    """A helper's review: an `os.PathLike` that is not pathlib's (anyio.Path, py.path) was
    refused as "not JSON-shaped data"; openai-python takes any. Its file is streamed, under
    its base name in a multipart part."""
    import os

    target = tmp_path / "report.csv"
    target.write_bytes(b"a,b\n")

    class AnyPath(os.PathLike[str]):
        def __fspath__(self) -> str:
            return str(target)

    raw = op(rt.Param("body", "body", "body"), method="put", body=rt.Body("text/csv"))
    make_client(recorder).request(raw, {"body": AnyPath()})
    assert recorder.last.content == b"a,b\n"
    multipart = op(
        rt.Param("file", "file", "field"), method="post", body=rt.Body("multipart/form-data")
    )
    make_client(recorder).request(multipart, {"file": AnyPath()})
    assert b'filename="report.csv"' in recorder.last.content
    assert b"a,b\n" in recorder.last.content


def test_a_path_whose_size_is_not_its_length_is_sent_whole_and_chunked(
    recorder: Recorder, tmp_path: Path
) -> None:
    """A helper's upload review: `/proc` files (size 0), pipes and `/dev/stdin` were given
    their size on disk as `Content-Length`, and h11 raised its own `LocalProtocolError`. They
    go chunked, to their end; a regular file goes as long as it was, and one that shrank while
    it was sent is an `APIError`."""
    import os
    import threading

    from apigen_runtime._body import _PathSource

    raw = op(
        rt.Param("body", "body", "body"), method="put", body=rt.Body("application/octet-stream")
    )
    proc = Path("/proc/self/status")
    if proc.exists():
        make_client(recorder).request(raw, {"body": proc})
        assert b"Name:" in recorder.last.content and "content-length" not in recorder.last.headers
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(b"through a pipe"), daemon=True)
    writer.start()
    make_client(recorder).request(raw, {"body": fifo})
    writer.join(5)
    assert recorder.last.content == b"through a pipe"
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    make_client(recorder).request(raw, {"body": empty})
    assert recorder.last.headers["content-length"] == "0"  # not chunked (S3 refuses it)
    grown = tmp_path / "grown.bin"
    grown.write_bytes(b"x" * 10)
    source = _PathSource(grown)
    grown.write_bytes(b"x" * 20)
    assert b"".join(source.chunks()) == b"x" * 10  # as long as its Content-Length says
    grown.write_bytes(b"x" * 4)
    with pytest.raises(rt.APIError, match="shrank"):
        b"".join(source.chunks())


def test_a_compressed_file_is_labelled_as_compressed_and_a_part_type_holds_no_line_break(
    recorder: Recorder,
) -> None:
    """A helper's upload review: `data.csv.gz` went out as `text/csv` (its bytes gzip), and a
    content type with CR/LF in a file tuple wrote a header line of its own into the part."""
    multipart = op(
        rt.Param("file", "file", "field"), method="post", body=rt.Body("multipart/form-data")
    )
    client = make_client(recorder)
    client.request(multipart, {"file": ("data.csv.gz", b"\x1f\x8b")})
    assert b"Content-Type: application/gzip\r\n" in recorder.last.content
    client.request(multipart, {"file": ("data.csv", b"a,b")})
    assert b"Content-Type: text/csv\r\n" in recorder.last.content
    sent = len(recorder.requests)
    with pytest.raises(ValueError, match="line break"):
        client.request(multipart, {"file": ("a.txt", b"x", "text/plain\r\nX-Evil: 1")})
    assert len(recorder.requests) == sent


def test_a_form_field_item_holding_its_separator_is_refused(recorder: Recorder) -> None:
    """Helper 226: a `spaceDelimited` form field `["a b", "c"]` went as `words=a+b%20c` (a form
    quotes a space as `+`), three words to the server; refused as a query parameter's is."""
    operation = op(
        *fields("words"),
        method="post",
        body=rt.Body(
            "application/x-www-form-urlencoded",
            encoding={"words": rt.Encoding(style="spaceDelimited", explode=False)},
        ),
    )
    with pytest.raises(ValueError, match=r"'words' \(spaceDelimited\) has an item holding"):
        make_client(recorder).request(operation, {"words": ["a b", "c"]})
    assert recorder.requests == []
    make_client(recorder).request(operation, {"words": ["a", "c"]})
    assert recorder.last.content == b"words=a%20c"
