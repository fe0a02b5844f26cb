"""Array and map arguments are read-only views (`Sequence`, `Mapping`), as openai-python types
them: a tuple, or a `list[str]` where `str | Label` items are asked (a list is invariant),
type-checks, and a misspelt enum value in a list display still does not. Where a `str` would
be an item, `SequenceNotStr`: a bare string is refused (helper 177: `tags="good"` went out as
one JSON string). A multipart body's arrays of files are views too (`files=paths`, a
`list[Path]`): there a `(filename, content)` tuple is one file, which no `Sequence` of files
admits; its arrays of what may be text stay lists, as a tuple of texts would be a file."""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from tests.builds import build_yaml, on_path, pyright_error_lines
from tests.ir.test_strict_enums import _mypy_errors  # pyright: ignore[reportPrivateUsage]

SPEC = """\
openapi: 3.0.3
info: {title: Seq, version: "1"}
servers: [{url: "http://127.0.0.1:9/v1"}]
paths:
  /items/{ids}:
    put:
      operationId: putItems
      parameters:
        - {name: ids, in: path, required: true, schema: {type: array, items: {type: integer}}}
        - {name: tags, in: query, schema: {$ref: '#/components/schemas/Tags'}}
        - {name: X-Flags, in: header, schema: {type: array, items: {type: string}}}
        - {name: kinds, in: query, schema: {type: array, items: {type: string, enum: [a, b]}}}
        - name: filter
          in: query
          style: deepObject
          schema: {type: object, additionalProperties: {type: string}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                grid: {type: array, items: {type: array, items: {type: number}}}
                labels:
                  type: array
                  items: {oneOf: [{type: string}, {$ref: '#/components/schemas/Label'}]}
                meta: {type: object, additionalProperties: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /forms:
    post:
      operationId: postForm
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                expand: {type: array, items: {type: string}}
      responses:
        "204": {description: ok}
  /uploads:
    post:
      operationId: postUpload
      parameters:
        - {name: ids, in: query, schema: {type: array, items: {type: integer}}}
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                files: {type: array, items: {type: string, format: binary}}
                notes: {type: array, items: {type: string}}
                picks:
                  type: array
                  items: {oneOf: [{type: string, format: binary}, {type: string, enum: [a, b]}]}
      responses:
        "204": {description: ok}
  /bodies:
    post:
      operationId: postBody
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - type: object
                  properties:
                    labels: {type: array, items: {type: string}}
                    meta: {type: object, additionalProperties: {type: array, items: {type: integer}}}
                - {type: array, items: {type: string}}
      responses:
        "204": {description: ok}
components:
  schemas:
    Label: {type: object, properties: {name: {type: string}}}
    Tags: {type: array, items: {type: string}}
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_yaml(tmp_path_factory, "seqargs", SPEC)


@pytest.fixture(scope="module")
def package(out: Path) -> Iterator[ModuleType]:
    with on_path(out, "seqargs") as module:
        yield module


def test_arrays_and_maps_are_read_only_views_that_take_no_bare_string(out: Path) -> None:
    items = (out / "seqargs" / "resources" / "items.py").read_text()
    assert "ids: Sequence[int]," in items
    # an alias of an array is spelled out like an inline one
    assert "tags: SequenceNotStr[str] | NotGiven" in items
    assert "grid: Sequence[Sequence[float]] | NotGiven" in items
    assert "labels: SequenceNotStr[str | Label | LabelParam] | NotGiven" in items
    assert 'kinds: Sequence[Literal["a", "b"]] | NotGiven' in items  # a str is no item there
    assert "meta: Mapping[str, str] | NotGiven" in items
    uploads = (out / "seqargs" / "resources" / "uploads.py").read_text()
    assert "files: Sequence[_rt.FileInput] | NotGiven" in uploads
    # a multipart field that holds no file is data (its tuples are values); one that may hold
    # a file keeps an array of what may be text a list: there `("a", "b")` is a file `a`
    assert "notes: SequenceNotStr[str] | NotGiven" in uploads
    assert 'picks: list[bytes | Literal["a", "b"]] | NotGiven' in uploads.replace(
        "_rt.FileInput", "bytes"
    )
    assert "ids: Sequence[int] | NotGiven" in uploads  # its query array is a view (a review)
    # a request TypedDict's keys too (a review: `list[...]` there, the invariance one level down)
    bodies = (out / "seqargs" / "types" / "bodies.py").read_text()
    assert "labels: SequenceNotStr[str]\n" in bodies
    assert "meta: Mapping[str, Sequence[int]]" in bodies


def test_tuples_and_narrower_lists_type_check_and_misspelt_enum_values_do_not(
    out: Path, tmp_path: Path
) -> None:
    snippet = tmp_path / "use_sequences.py"
    snippet.write_text(
        "from collections.abc import Sequence\n"
        "from pathlib import Path\n\n"
        "from seqargs import Client\n"
        "from seqargs.models.label import Label\n\n\n"
        "def use(\n"
        "    client: Client, names: list[str], meta: dict[str, str], paths: list[Path], blobs: list[bytes]\n"
        ") -> None:\n"
        '    client.items.update((1, 2), tags=("a",), labels=names, meta=meta, grid=[(1.0,)])\n'
        '    client.items.update([1], labels=[Label(name="y"), "x"], kinds=("a", "b"))\n'
        '    client.items.update([1], kinds=["c"])\n'
        '    client.items.update([1], kinds=("a", "c"))\n'
        '    client.bodies.create(body={"labels": names, "meta": {"a": (1, 2)}})\n'
        '    client.items.update([1], tags="a")\n'
        '    client.bodies.create(body={"labels": "a"})\n'
        "    client.uploads.create(files=paths, notes=names)\n"
        '    client.uploads.create(files=blobs, notes=["a", "b"])\n'
        '    client.uploads.create(files=("a.txt", b"x"))\n'
        '    client.uploads.create(notes="a")\n'
        "    held: Sequence[str] = names  # (the review: mypy refused a caller's Sequence)\n"
        "    client.items.update([1], tags=held, labels=held)\n"
        '    client.bodies.create(body={"labels": held})\n'
        '    client.uploads.create(notes=("a", "b"), picks=("a", "b"))  # a file `a`\n'
        "    client.items.update([1], tags=[1, 2])  # (mypy took it: helper 180)\n"
        '    client.bodies.create(body={"labels": [None]})\n'
    )
    errors, output = _mypy_errors(out, snippet)
    expected = ["13", "14", "16", "17", "20", "21", "25", "26", "27"]
    assert list(dict.fromkeys(e.split(":")[1] for e in errors)) == expected, output
    lines, output = pyright_error_lines(out, snippet, tmp_path)
    assert lines == [int(n) for n in expected], output


def test_a_tuple_goes_on_the_wire_as_the_list_would(package: ModuleType) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    client_class = package.Client
    label_class = importlib.import_module("seqargs.models.label").Label
    for kind in (list, tuple):
        http = httpx.Client(transport=httpx.MockTransport(handler))
        client = client_class(base_url="http://127.0.0.1:9/v1", http_client=http)
        client.items.update(
            kind([1, 2]),
            tags=kind(["a", "b"]),
            x_flags=kind(["f", "g"]),
            kinds=kind(["a"]),
            filter={"a": "b"},
            grid=kind([kind([1.5])]),
            labels=kind(["x", label_class(name="y")]),
            meta={"k": "v"},
        )
        client.forms.create(expand=kind(["a", "b"]))
    as_list, as_tuple = sent[:2], sent[2:]
    for a, b in zip(as_list, as_tuple, strict=True):
        assert str(a.url) == str(b.url)
        assert a.headers.get("x-flags") == b.headers.get("x-flags")
        assert a.content == b.content
    assert as_list[0].headers["x-flags"] == "f,g"
    assert str(as_list[0].url) == (
        "http://127.0.0.1:9/v1/items/1,2?tags=a&tags=b&kinds=a&filter[a]=b"
    )
    assert json.loads(as_list[0].content) == {
        "grid": [[1.5]],
        "labels": ["x", {"name": "y"}],
        "meta": {"k": "v"},
    }
    assert re.fullmatch(rb"expand=a&expand=b", as_list[1].content)


def test_a_tuple_of_files_is_files_and_a_name_with_content_is_one(
    package: ModuleType, tmp_path: Path
) -> None:
    sent: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.read())
        return httpx.Response(204)

    paths = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for path in paths:
        path.write_bytes(path.name.upper().encode())
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="http://127.0.0.1:9/v1", http_client=http)
    client.uploads.create(files=tuple(paths), notes=("x", "y"))
    client.uploads.create(files=(b"one", b"two"))
    client.uploads.create(files=[("n.txt", b"named")])
    parts = [body.count(b"Content-Disposition") for body in sent]
    assert parts == [4, 2, 1], sent
    assert b'filename="a.txt"' in sent[0] and b"B.TXT" in sent[0]
    assert b'name="notes"\r\n\r\nx' in sent[0] and b'name="notes"\r\n\r\ny' in sent[0]
    assert b'filename="n.txt"' in sent[2] and b"named" in sent[2]
