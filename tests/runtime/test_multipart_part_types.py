"""The `Content-Type` of a multipart part when `encoding.contentType` lists types or ranges
(`image/png, image/jpeg`, `image/*`: OpenAPI 3.0.3 and 3.1 allow both). A helper's sweep:
the list went out verbatim as the part's header (RFC 9110 §8.3 admits one type), and an
object field declared `application/json, application/xml` was refused (`TypeError`)."""

from __future__ import annotations

import email.parser
import email.policy

import pytest

from apigen_runtime import Encoding
from apigen_runtime._body import encode_body


def _part_types(fields: dict[str, object], declared: dict[str, str]) -> dict[str, str | None]:
    encoding = {name: Encoding(content_type=media) for name, media in declared.items()}
    content, media = encode_body("multipart/form-data", fields, encoding)
    assert isinstance(content, bytes) and media is not None
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + media.encode() + b"\r\n\r\n" + content
    )
    return {
        str(part.get_param("name", header="content-disposition")): part.get("content-type")
        for part in message.iter_parts()
    }


@pytest.mark.parametrize(
    ("value", "declared", "sent"),
    [
        (("me.jpg", b"x"), "image/png, image/jpeg", "image/jpeg"),  # the name's, listed
        (("me.gif", b"x"), "image/png, image/jpeg", "image/png"),  # not listed: the first
        (b"x", "image/png, image/jpeg", "image/png"),
        (("anim.gif", b"x"), "image/*", "image/gif"),
        (b"x", "image/*", "application/octet-stream"),  # no name: the range names no type
        (("a.bin", b"x", "image/webp"), "image/*", "image/webp"),  # the caller's own type
        ("text", "text/*", "text/plain"),
        (("doc.pdf", b"x"), None, "application/pdf"),
    ],
)
def test_a_listed_or_ranged_type_becomes_one_type(
    value: object, declared: str | None, sent: str
) -> None:
    types = _part_types({"f": value}, {"f": declared} if declared else {})
    assert types["f"] == sent


def test_an_object_goes_as_the_json_type_its_list_admits() -> None:
    meta = {"a": "b"}
    assert _part_types({"m": meta}, {"m": "application/json, application/xml"}) == {
        "m": "application/json"
    }
    assert _part_types({"m": meta}, {"m": "application/*"}) == {"m": "application/json"}
    assert _part_types({"m": meta}, {"m": "application/vnd.x+json, text/csv"}) == {
        "m": "application/vnd.x+json"
    }
    with pytest.raises(TypeError, match="application/xml"):
        _part_types({"m": meta}, {"m": "application/xml"})


def _part_bodies(fields: dict[str, object], declared: dict[str, str]) -> list[tuple[str, bytes]]:
    encoding = {name: Encoding(content_type=media) for name, media in declared.items()}
    content, media = encode_body("multipart/form-data", fields, encoding)
    assert isinstance(content, bytes) and media is not None
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + media.encode() + b"\r\n\r\n" + content
    )
    return [
        (str(part.get_param("name", header="content-disposition")), part.get_payload(decode=True))
        for part in message.iter_parts()
    ]


def test_a_scalar_in_a_part_typed_json_is_json() -> None:
    """A helper's serialization sweep: `label="hello"` in a part labelled `application/json`
    went out as `hello` (no JSON reader takes it; our sandbox answered 400) and `"123"` as the
    number `123`; a part of another type keeps the plain text."""
    sent = _part_bodies(
        {"label": "hello", "code": "123", "n": 5, "ok": True, "tags": ["a", "b"], "t": "x"},
        {
            "label": "application/json",
            "code": "application/vnd.x+json",
            "n": "application/json",
            "ok": "application/json",
            "tags": "application/json",
            "t": "text/plain",
        },
    )
    assert sent == [
        ("label", b'"hello"'),
        ("code", b'"123"'),
        ("n", b"5"),
        ("ok", b"true"),
        ("tags", b'"a"'),
        ("tags", b'"b"'),
        ("t", b"x"),
    ]
