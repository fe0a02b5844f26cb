"""A request body in a media type the runtime cannot encode data in (XML, YAML, CSV...): the
method takes the encoded document as ``body`` and sends those bytes under the spec's
Content-Type. Before, an XML object body was flattened into keyword arguments and the fields
went out as JSON labelled ``application/xml`` (corpus2 oag/2_0 petstore ``createXmlItem``), and
a required body with no field given was not sent at all."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml

from tests.builds import build_into, on_path

ITEM = {
    "type": "object",
    "xml": {"name": "Item"},
    "properties": {
        "name": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
}


def _op(media: str, schema: dict[str, Any], op_id: str) -> dict[str, Any]:
    return {
        "post": {
            "operationId": op_id,
            "summary": f"Store a {media} document",
            "requestBody": {"required": True, "content": {media: {"schema": schema}}},
            "responses": {"204": {"description": "stored"}},
        }
    }


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "docs", "version": "1"},
    "servers": [{"url": "https://api.example.test"}],
    "paths": {
        "/xml": _op("application/xml", {"$ref": "#/components/schemas/Item"}, "createXml"),
        "/soap": _op(
            "text/xml; charset=utf-8", {"allOf": [{"$ref": "#/components/schemas/Item"}]}, "soap"
        ),
        "/csv": _op(
            "text/csv", {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}, "csv"
        ),
        "/note": _op("text/plain", {"type": "string"}, "note"),
        "/upload": {
            "post": {
                "operationId": "upload",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["meta"],
                                "properties": {
                                    "meta": {"$ref": "#/components/schemas/Item"},
                                    "notes": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Item"},
                                    },
                                    "tags": {"type": "array", "items": {"type": "string"}},
                                    "extra": {"$ref": "#/components/schemas/Item"},
                                    "either": {"$ref": "#/components/schemas/Item"},
                                },
                            },
                            "encoding": {
                                "either": {"contentType": "application/xml, application/json"},
                                "meta": {"contentType": "application/xml"},
                                "notes": {"contentType": "application/xml"},
                                "tags": {"contentType": "text/plain"},
                            },
                        }
                    },
                },
                "responses": {"204": {"description": "stored"}},
            }
        },
    },
    "components": {"schemas": {"Item": ITEM}},
}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("docbodies")
    spec = root / "docs.yaml"
    spec.write_text(yaml.safe_dump(SPEC))
    build_into(spec, root / "docbodies", name="docbodies")
    with on_path(root / "docbodies", "docbodies") as module:
        yield module


def _client(pkg: ModuleType, seen: list[httpx.Request]) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    return pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(answer)))


@pytest.mark.parametrize(
    ("call", "media"),
    [("xml", "application/xml"), ("soap", "text/xml; charset=utf-8"), ("csv", "text/csv")],
)
def test_structured_body_in_a_document_media_type_is_the_callers_document(
    pkg: ModuleType, call: str, media: str
) -> None:
    seen: list[httpx.Request] = []
    method = getattr(_client(pkg, seen), call).create
    params = inspect.signature(method).parameters
    assert "body" in params and "name" not in params and "tags" not in params
    assert params["body"].default is inspect.Parameter.empty  # the body is required
    document = "<Item><name>a</name><tags>x</tags></Item>"
    method(body=document)
    method(body=document.encode())
    # text sent from a str says its UTF-8 (RFC 2046 §4.1.2: else US-ASCII); bytes are as given
    utf8 = (
        media + "; charset=utf-8" if media.startswith("text/") and "charset" not in media else media
    )
    assert [r.headers["content-type"] for r in seen] == [utf8, media]
    for request in seen:
        assert request.content == document.encode()


def test_a_string_body_is_still_sent_as_its_text(pkg: ModuleType) -> None:
    seen: list[httpx.Request] = []
    _client(pkg, seen).note.create(body="hello")
    assert seen[0].content == b"hello"
    assert seen[0].headers["content-type"] == "text/plain; charset=utf-8"


def test_the_document_parameter_says_what_to_pass(pkg: ModuleType) -> None:
    source = inspect.getsource(type(pkg.Client().xml).create)
    words = " ".join(source.split())
    assert "body: The request body: the application/xml document as text, bytes, a path" in words


def _parts(request: httpx.Request) -> list[tuple[str, str, bytes]]:
    """(name, content type, content) of each part of a multipart request."""
    boundary = request.headers["content-type"].split("boundary=")[1].encode()
    found = []
    for chunk in request.content.split(b"--" + boundary)[1:-1]:
        head, _, content = chunk.strip(b"\r\n").partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        name = lines[0].split('name="')[1].split('"')[0]
        media = next((x.split(": ")[1] for x in lines if x.lower().startswith("content-type")), "")
        found.append((name, media, content))
    return found


def test_an_object_part_in_a_document_media_type_is_the_callers_text(pkg: ModuleType) -> None:
    """`encoding.<field>.contentType: application/xml` on an object field: the method takes the
    encoded part (`str | FileInput`, an array field one per item) and sends it under that type;
    data for it is refused before sending, not sent as JSON labelled XML. A field with no
    such encoding stays data, sent as a JSON part; an array of strings one text part per item."""
    seen: list[httpx.Request] = []
    method = _client(pkg, seen).upload.create
    hints = {n: str(p.annotation) for n, p in inspect.signature(method).parameters.items()}
    assert hints["meta"] == "str | _rt.FileInput"
    assert hints["notes"].startswith("list[str | _rt.FileInput]")
    assert hints["tags"].startswith("SequenceNotStr[str]") and "Item" in hints["extra"]
    xml = "<Item><name>a</name></Item>"
    method(meta=xml, notes=[xml, xml.encode()], tags=["x", "y"], extra={"name": "b"})
    assert sorted(_parts(seen[0])) == [
        ("extra", "application/json", b'{"name":"b"}'),
        ("meta", "application/xml", xml.encode()),
        ("notes", "application/xml", xml.encode()),
        ("notes", "application/xml", xml.encode()),
        ("tags", "text/plain", b"x"),
        ("tags", "text/plain", b"y"),
    ]
    with pytest.raises(TypeError, match="apigen encodes data only as JSON"):
        method(meta={"name": "a"})  # type: ignore[arg-type]
    assert len(seen) == 1
    # a list naming JSON among its types takes the data, sent as that JSON type (a helper's
    # sweep: `str | FileInput`, and the list verbatim as the part's type)
    assert "Item" in hints["either"]
    method(meta=xml, either={"name": "c"})
    assert ("either", "application/json", b'{"name":"c"}') in _parts(seen[1])
