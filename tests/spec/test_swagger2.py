"""Swagger 2.0 -> OpenAPI 3.0.3 (fixture `specs/swagger2.yaml`, and every real 2.0 feature spec)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from apigen.diagnostics import Report
from apigen.spec import LoadedSpec, load_spec
from apigen.spec.refs import canonical_ref
from apigen.spec.swagger2 import upgrade

from .conftest import FIXTURES, SHARED, require_shared
from .test_refs import all_refs


@pytest.fixture(scope="module")
def spec() -> LoadedSpec:
    return load_spec(FIXTURES / "swagger2.yaml", report=Report())


@pytest.fixture(scope="module")
def doc(spec: LoadedSpec) -> dict[str, Any]:
    return spec.document


def test_document_level(spec: LoadedSpec, doc: dict[str, Any]) -> None:
    assert spec.original_version == "2.0" and doc["openapi"] == "3.0.3"
    assert spec.original["swagger"] == "2.0" and "definitions" in spec.original
    assert doc["servers"] == [
        {"url": "https://api.example.com/v2"},
        {"url": "http://api.example.com/v2"},
    ]
    assert doc["x-shop-owner"] == "apigen tests"
    assert doc["tags"] == [{"name": "items"}] and doc["security"] == [{"key": []}]
    for gone in ("swagger", "host", "basePath", "schemes", "consumes", "produces", "definitions"):
        assert gone not in doc


def test_every_ref_is_rewritten_and_resolves(doc: dict[str, Any]) -> None:
    refs = all_refs(doc)
    assert "#/components/schemas/Item" in refs and "#/components/responses/NotFound" in refs
    for ref in refs:
        assert canonical_ref(doc, ref) == (True, ref), ref


def test_schemas(doc: dict[str, Any]) -> None:
    item = doc["components"]["schemas"]["Item"]
    assert item["discriminator"] == {"propertyName": "kind"}
    assert item["properties"]["name"] == {"type": "string", "nullable": True}
    assert item["properties"]["parent"] == {"$ref": "#/components/schemas/Item"}
    assert item["properties"]["attachment"] == {"type": "string", "format": "binary"}


def test_query_collection_formats(doc: dict[str, Any]) -> None:
    params = {p.get("name", p.get("$ref")): p for p in doc["paths"]["/items"]["get"]["parameters"]}
    assert params["#/components/parameters/PageSize"] == {
        "$ref": "#/components/parameters/PageSize"
    }
    # 2.0 defaults to csv; 3.0 query arrays default to exploded, so explode=False is explicit
    assert (params["ids"]["style"], params["ids"]["explode"]) == ("form", False)
    assert params["ids"]["schema"] == {"type": "array", "items": {"type": "integer"}}
    assert (params["tags"]["style"], params["tags"]["explode"]) == ("form", True)
    assert (params["colors"]["style"], params["colors"]["explode"]) == ("pipeDelimited", False)
    assert params["colors"]["schema"]["items"] == {"type": "string", "enum": ["red", "green"]}
    assert (params["words"]["style"], params["words"]["explode"]) == ("spaceDelimited", False)
    assert params["words"]["example"] == ["a", "b"]


def test_path_level_header_array(doc: dict[str, Any]) -> None:
    (trace,) = doc["paths"]["/items"]["parameters"]
    assert trace == {
        "name": "X-Trace",
        "in": "header",
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "simple",
        "explode": False,
    }


def test_operation_fields_kept(doc: dict[str, Any]) -> None:
    op = doc["paths"]["/items"]["get"]
    assert op["operationId"] == "listItems" and op["tags"] == ["items"]
    assert op["summary"] == "List items" and op["deprecated"] is True
    assert op["x-internal"] is False


def test_responses(doc: dict[str, Any]) -> None:
    responses = doc["paths"]["/items"]["get"]["responses"]
    ok = responses["200"]
    assert ok["headers"]["X-Rate-Limit"] == {
        "schema": {"type": "integer"},
        "description": "calls left",
    }
    assert list(ok["content"]) == ["application/json"]  # global produces
    media = ok["content"]["application/json"]
    assert media["schema"]["items"] == {"$ref": "#/components/schemas/Item"}
    assert media["example"] == [{"id": 1, "name": "one"}]
    assert responses["404"] == {"$ref": "#/components/responses/NotFound"}
    not_found = doc["components"]["responses"]["NotFound"]
    assert not_found["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    download = doc["paths"]["/items/{id}/download"]["get"]["responses"]["200"]
    assert download["content"] == {  # a file is never JSON (test_a_file_response_is_never_json)
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
    }


def test_body_parameters(doc: dict[str, Any]) -> None:
    create = doc["paths"]["/items"]["post"]
    assert create["requestBody"] == {"$ref": "#/components/requestBodies/ItemBody"}
    assert "parameters" not in create
    body = doc["components"]["requestBodies"]["ItemBody"]
    assert list(body["content"]) == ["application/json", "application/xml"]  # global consumes
    assert body["content"]["application/xml"]["schema"] == {"$ref": "#/components/schemas/Item"}
    assert body["required"] is True and body["x-codegen-request-body-name"] == "item"
    replace = doc["paths"]["/items/{id}"]["put"]
    assert replace["requestBody"]["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
    }
    (path_param,) = replace["parameters"]
    assert path_param["required"] is True  # 2.0 demanded it; the fixture forgot it


def test_multipart_with_file(doc: dict[str, Any]) -> None:
    upload = doc["paths"]["/items/{id}/photo"]["post"]
    assert [p["name"] for p in upload["parameters"]] == ["id"]
    assert upload["requestBody"]["required"] is True
    (media_type,) = upload["requestBody"]["content"]
    assert media_type == "multipart/form-data"
    schema = upload["requestBody"]["content"][media_type]["schema"]
    assert schema["type"] == "object" and schema["required"] == ["photo"]
    assert schema["properties"]["photo"] == {
        "type": "string",
        "format": "binary",
        "description": "the picture",
    }
    assert schema["properties"]["caption"] == {"type": "string"}
    assert schema["properties"]["note"] == {"type": "string"}  # from a global formData param
    assert "Note" not in doc["components"].get("parameters", {})


def test_urlencoded_form(doc: dict[str, Any]) -> None:
    body = doc["paths"]["/search"]["post"]["requestBody"]
    (media_type,) = body["content"]
    assert media_type == "application/x-www-form-urlencoded"
    media = body["content"][media_type]
    assert media["schema"]["properties"]["fields"] == {"type": "array", "items": {"type": "string"}}
    assert media["encoding"] == {"fields": {"style": "form", "explode": True}}


def test_security_schemes(doc: dict[str, Any]) -> None:
    schemes = doc["components"]["securitySchemes"]
    assert schemes["basic"] == {"type": "http", "scheme": "basic"}
    assert schemes["key"] == {"type": "apiKey", "name": "X-API-Key", "in": "header"}
    assert schemes["implicit"]["flows"] == {
        "implicit": {
            "authorizationUrl": "https://auth.example.com/authorize",
            "scopes": {"read": "read things"},
        }
    }
    assert schemes["password"]["flows"] == {
        "password": {"tokenUrl": "https://auth.example.com/token", "scopes": {}}
    }
    assert list(schemes["app"]["flows"]) == ["clientCredentials"]
    assert schemes["code"]["flows"]["authorizationCode"] == {
        "authorizationUrl": "https://auth.example.com/authorize",
        "tokenUrl": "https://auth.example.com/token",
        "scopes": {},
    }


def test_components_parameters(doc: dict[str, Any]) -> None:
    assert doc["components"]["parameters"] == {
        "PageSize": {
            "name": "page_size",
            "in": "query",
            "schema": {"type": "integer", "format": "int32", "default": 20},
        }
    }


def test_pointers_into_upgraded_document_locate_in_the_2_0_file(spec: LoadedSpec) -> None:
    file, line = spec.locate("#/components/schemas/Item/properties/name")
    assert file == str(FIXTURES / "swagger2.yaml") and line == 207
    assert spec.locate("#/components/securitySchemes/key")[1] == 171


def test_no_schemes_assumes_https_with_warning(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text("swagger: '2.0'\ninfo: {title: t, version: '1'}\nhost: h.example\npaths: {}\n")
    report = Report()
    doc = load_spec(spec, report=report).document
    assert doc["servers"] == [{"url": "https://h.example"}]
    (w,) = report.warnings
    assert w.kind == "server" and w.action == "assumed https" and w.line == 3


def test_host_and_schemes_outside_swagger_2_are_dropped_with_warnings(tmp_path: Path) -> None:
    """`schemes` MUST be http, https, ws or wss and `host` a host only: text around them (a
    code-injection test spec's `http */ ' "`) would make a server URL whose whole text reads as
    a path; the basePath alone is the server then."""
    spec = tmp_path / "s.yaml"
    spec.write_text(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\nhost: h.example */ x\n"
        "basePath: /v2 */ x\nschemes: [http */ x]\npaths: {}\n"
    )
    report = Report()
    doc = load_spec(spec, report=report).document
    assert doc["servers"] == [{"url": "/v2 */ x"}]
    ((w,),) = [[w for w in report.warnings if w.kind == "server"]]
    assert w.pointer == "#/host" and w.action == "ignored"
    spec.write_text(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\nhost: '[::1]:8080'\n"
        "basePath: /v2\nschemes: [HTTP, 'http */ x']\npaths: {}\n"
    )
    report = Report()
    doc = load_spec(spec, report=report).document
    assert doc["servers"] == [{"url": "http://[::1]:8080/v2"}]
    ((w,),) = [[w for w in report.warnings if w.kind == "server"]]
    assert w.pointer == "#/schemes" and "'http */ x'" in w.message


def test_a_base_path_without_its_leading_slash_is_not_glued_to_the_host(tmp_path: Path) -> None:
    """`basePath: v1` ("MUST start with a leading slash") made `https://api.example.comv1`: a
    client calling another host than the spec's."""
    spec = tmp_path / "s.yaml"
    for host, url in (("host: api.example.com\n", "https://api.example.com/v1"), ("", "/v1")):
        spec.write_text(
            f"swagger: '2.0'\ninfo: {{title: t, version: '1'}}\n{host}"
            "basePath: v1\nschemes: [https]\npaths: {}\n"
        )
        report = Report()
        assert load_spec(spec, report=report).document["servers"] == [{"url": url}]
        ((w,),) = [[w for w in report.warnings if w.kind == "server"]]
        assert w.pointer == "#/basePath" and w.action == "read as '/v1'"
    # a review: a whole URL as the basePath (no host) is still the server, as before
    spec.write_text(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\n"
        "basePath: 'https://api.other.com/v1'\npaths: {}\n"
    )
    servers = load_spec(spec, report=Report()).document["servers"]
    assert servers == [{"url": "https://api.other.com/v1"}]


def test_input_is_not_modified() -> None:
    src: dict[str, Any] = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "definitions": {
            "A": {
                "type": "object",
                "x-nullable": True,
                "properties": {"b": {"$ref": "#/definitions/B"}},
            }
        },
    }
    out = upgrade(src)
    assert src["definitions"]["A"]["properties"]["b"] == {"$ref": "#/definitions/B"}
    assert out["components"]["schemas"]["A"]["nullable"] is True


def test_deep_2_0_schema_upgrades_iteratively() -> None:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(3000):
        schema = {"type": "array", "items": schema}
    out = upgrade({"swagger": "2.0", "info": {}, "paths": {}, "definitions": {"D": schema}})
    node = out["components"]["schemas"]["D"]
    for _ in range(3000):
        node = node["items"]
    assert node == {"type": "string"}


@pytest.mark.parametrize(
    ("produces", "expected"),
    [
        (None, ["application/octet-stream"]),  # the document's `produces`: JSON only
        (["application/json", "application/pdf"], ["application/pdf"]),
        (["application/problem+json; charset=utf-8"], ["application/octet-stream"]),
    ],
)
def test_a_file_response_is_never_json(produces: list[str] | None, expected: list[str]) -> None:
    """A helper's Swagger 2.0 probe: `schema: {type: file}` under a global `produces:
    [application/json]` became a JSON response: the call asked for JSON and failed on the PDF
    it got ("Expected a JSON body"), though its method returns bytes. A file is its
    non-JSON types, else `application/octet-stream`."""
    op: dict[str, Any] = {"responses": {"200": {"description": "x", "schema": {"type": "file"}}}}
    if produces is not None:
        op["produces"] = produces
    src = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "produces": ["application/json"],
        "paths": {"/f": {"get": op}},
    }
    content = upgrade(src)["paths"]["/f"]["get"]["responses"]["200"]["content"]
    assert list(content) == expected
    assert all(
        media["schema"] == {"type": "string", "format": "binary"} for media in content.values()
    )


def test_a_shared_response_takes_the_operations_produces() -> None:
    """A helper's Swagger 2.0 sweep: `$ref: '#/responses/Text'` under an operation producing
    `text/plain` kept the root's `application/json` (converted once, with the root's): the
    client asked for JSON and refused the text. An operation producing what the root does keeps
    the reference."""
    src: dict[str, Any] = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "produces": ["application/json"],
        "responses": {
            "Text": {"description": "text", "schema": {"type": "string"}},
            "Image": {"description": "image", "schema": {"type": "file"}},
        },
        "paths": {
            "/hello": {
                "get": {
                    "produces": ["text/plain"],
                    "responses": {"200": {"$ref": "#/responses/Text"}},
                }
            },
            "/avatar": {
                "get": {
                    "produces": ["image/png"],
                    "responses": {"200": {"$ref": "#/responses/Image"}},
                }
            },
            "/json": {"get": {"responses": {"200": {"$ref": "#/responses/Text"}}}},
        },
    }
    paths = upgrade(src)["paths"]
    assert list(paths["/hello"]["get"]["responses"]["200"]["content"]) == ["text/plain"]
    assert list(paths["/avatar"]["get"]["responses"]["200"]["content"]) == ["image/png"]
    assert paths["/json"]["get"]["responses"]["200"] == {"$ref": "#/components/responses/Text"}


@pytest.mark.parametrize(
    "consumes", [["multipart/form-data; charset=utf-8"], ["Multipart/Form-Data"]]
)
def test_form_media_types_are_read_by_type_and_subtype(consumes: list[str]) -> None:
    """`consumes: ["multipart/form-data; charset=utf-8"]` was compared as a whole string: the
    form went url-encoded."""
    field = {"name": "a", "in": "formData", "type": "string"}
    src = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/f": {"post": {"consumes": consumes, "parameters": [field], "responses": {}}}},
    }
    body = upgrade(src)["paths"]["/f"]["post"]["requestBody"]
    assert list(body["content"]) == ["multipart/form-data"]


def feature_2_0() -> list[Path]:
    return sorted((SHARED / "features" / "2.0").glob("*.json"))


@pytest.mark.parametrize("name", [p.name for p in feature_2_0()] or ["<missing>"])
def test_real_2_0_feature_specs(name: str) -> None:
    """Uses /work/shared/specs/features/2.0 (fails if missing)."""
    path = require_shared() / "features" / "2.0" / name
    spec = load_spec(path, report=Report())
    doc = spec.document
    assert doc["openapi"] == "3.0.3" and "swagger" not in doc
    for ref in all_refs(doc):
        assert not ref.startswith(("#/definitions/", "#/parameters/", "#/responses/")), ref
        assert canonical_ref(doc, ref) == (True, ref), ref
    for item in doc["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and "responses" in op:
                for p in op.get("parameters", []):
                    assert p.get("in") not in ("body", "formData")
                    assert "schema" in p or "$ref" in p


@pytest.mark.parametrize(
    ("head", "pointer", "line"),
    [('"basePath": "/v2",', "#/basePath", 4), ('"host": "api.test:x:y",', "#/host", 4)],
)
def test_a_server_finding_points_where_swagger_2_wrote_it(
    tmp_path: Path, head: str, pointer: str, line: int
) -> None:
    """A regression sweep: a 2.0 spec without `host` warned at `#/servers/0/url`, line 1 (the
    upgraded document's server; under `--strict` the error refusing the build pointed at
    nothing in the file). It points at the `host`, else the `basePath`, the 2.0 file has."""
    from apigen.pipeline import check

    spec = tmp_path / "s2.json"
    spec.write_text(
        '{\n  "swagger": "2.0",\n  "info": {"title": "s2", "version": "1"},\n  '
        + head
        + '\n  "paths": {"/ping": {"get": {"operationId": "ping", "responses": {"200":'
        ' {"description": "ok"}}}}}\n}\n'
    )
    found = [d for d in check(spec).items if d.kind == "servers"]
    assert found and {(d.pointer, d.line) for d in found} == {(pointer, line)}


def test_a_2_0_authorization_header_parameter_stays_an_argument(tmp_path: Path) -> None:
    """A helper's Swagger 2.0 sweep: OpenAPI 3's rule ignoring an `Authorization` parameter was
    applied to 2.0, which has none: the method lost it, the request went without it (401)."""
    import httpx

    from tests.builds import build_into, on_path

    spec = tmp_path / "auth.yaml"
    spec.write_text(
        "swagger: '2.0'\n"
        "info: {title: A, version: '1'}\n"
        "host: api.example.test\n"
        "schemes: [https]\n"
        "paths:\n"
        "  /me:\n"
        "    get:\n"
        "      operationId: getMe\n"
        "      parameters:\n"
        "        - {name: Authorization, in: header, required: true, type: string}\n"
        "        - {name: Accept, in: header, type: string}\n"
        "      responses: {200: {description: ok}}\n"
    )
    build_into(spec, tmp_path / "out", name="auth2")
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    with on_path(tmp_path / "out", "auth2") as pkg:
        http = httpx.Client(transport=httpx.MockTransport(handler))
        pkg.Client(http_client=http).me.retrieve(authorization="session-jwt")
    assert sent[0].headers["Authorization"] == "session-jwt"
    upgraded = upgrade(yaml.safe_load(spec.read_text()))
    names = [p["name"] for p in upgraded["paths"]["/me"]["get"]["parameters"]]
    assert names == ["Authorization", "Accept"]  # Accept: still the media types' (ignored)


def test_a_second_body_parameter_is_left_out_with_a_warning() -> None:
    """A helper's hostile spec: of two `in: body` parameters the last replaced the first
    without a word (a required object body became an optional string). 2.0 allows one; the
    first is kept, the second warned of. A path item's body still yields to the operation's."""
    body = {"name": "order", "in": "body", "required": True, "schema": {"type": "object"}}
    second = {"name": "note", "in": "body", "schema": {"type": "string"}}
    src: dict[str, Any] = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/t": {
                "post": {"parameters": [body, second], "responses": {"204": {"description": "ok"}}}
            },
            "/u": {
                "parameters": [second],
                "post": {"parameters": [body], "responses": {"204": {"description": "ok"}}},
            },
        },
    }
    report = Report()
    out = upgrade(src, report=report)
    for path in ("/t", "/u"):
        schema = out["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert schema == {"type": "object"}, path
    assert [(d.pointer, d.message) for d in report.items] == [
        ("#/paths/~1t/post/parameters/1", "a second body parameter")
    ]


def test_a_tab_separated_form_field_is_warned_as_a_query_parameter_is() -> None:
    """A helper's serialization sweep: `collectionFormat: tsv` on a formData field was sent
    comma-joined without a word (a query parameter's warns)."""
    report = Report()
    upgrade(
        {
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/f": {
                    "post": {
                        "consumes": ["application/x-www-form-urlencoded"],
                        "parameters": [
                            {
                                "name": "ids",
                                "in": "formData",
                                "type": "array",
                                "items": {"type": "integer"},
                                "collectionFormat": "tsv",
                            }
                        ],
                        "responses": {"204": {"description": "ok"}},
                    }
                }
            },
        },
        report=report,
    )
    (found,) = [d for d in report.items if d.kind == "collection-format"]
    assert found.pointer == "#/paths/~1f/post/parameters/0"
    assert "tab-separated" in found.message and found.action == "sent comma-separated"


def test_a_path_items_tab_separated_form_field_is_warned_once() -> None:
    """The review: a path item's formData parameter is read for each operation: warned twice."""
    report = Report()
    form = {"name": "ids", "in": "formData", "type": "array", "items": {"type": "integer"}}
    operation = {
        "consumes": ["application/x-www-form-urlencoded"],
        "responses": {"204": {"description": "ok"}},
    }
    upgrade(
        {
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/f": {
                    "parameters": [{**form, "collectionFormat": "tsv"}],
                    "post": operation,
                    "put": operation,
                }
            },
        },
        report=report,
    )
    found = [d.pointer for d in report.items if d.kind == "collection-format"]
    assert found == ["#/paths/~1f/parameters/0"]
