"""The sandbox over real HTTP on 127.0.0.1: routing, responses, overrides and recording."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from apigen.sandbox import Sandbox

MINI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "mini", "version": "1"},
    "servers": [{"url": "https://api.example.com/api/v3"}],
    "paths": {
        "/pets/{id}": {
            "get": {
                "operationId": "getPet",
                "responses": {
                    "200": {
                        "description": "one pet",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    },
                    "404": {
                        "description": "missing",
                        "content": {"application/json": {"example": {"message": "not found"}}},
                    },
                },
            },
            "delete": {"operationId": "deletePet", "responses": {"204": {"description": "gone"}}},
        },
        "/pets/mine": {
            "get": {
                "operationId": "myPets",
                "responses": {
                    "200": {
                        "description": "mine",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Pet"},
                                },
                                "examples": {"first": {"value": [{"id": 7, "name": "Rex"}]}},
                            }
                        },
                    }
                },
            }
        },
        "/files/{name}.{ext}": {
            "get": {
                "operationId": "getFile",
                "responses": {
                    "200": {
                        "description": "raw",
                        "content": {
                            "application/octet-stream": {
                                "schema": {"type": "string", "format": "binary"}
                            }
                        },
                    }
                },
            }
        },
        "/health": {
            "get": {
                "operationId": "health",
                "responses": {
                    "default": {
                        "description": "ok",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/charges": {
            "post": {
                "operationId": "createCharge",
                "requestBody": {
                    "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}
                },
                "responses": {
                    "201": {
                        "description": "created",
                        "headers": {
                            "X-Request-Id": {"schema": {"type": "string", "format": "uuid"}}
                        },
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    },
                    "200": {
                        "description": "also fine",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "integer", "format": "int64"},
                    "name": {"type": "string"},
                    "tag": {"type": "string", "nullable": True},
                    "born": {"type": "string", "format": "date-time"},
                },
            }
        }
    },
}


@pytest.fixture
def mini() -> Iterator[tuple[Sandbox, httpx.Client]]:
    with (
        Sandbox(MINI, dynamic=False) as sandbox,
        httpx.Client(base_url=sandbox.url or "") as client,
    ):
        yield sandbox, client


def test_start_returns_local_url_with_server_prefix() -> None:
    sandbox = Sandbox(MINI)
    try:
        url = sandbox.start()
        assert url.startswith("http://127.0.0.1:")
        assert url.endswith("/api/v3")
        assert sandbox.url == url
    finally:
        sandbox.stop()
    sandbox.stop()  # idempotent


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.com"])
def test_refuses_non_local_hosts(host: str) -> None:
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        Sandbox(MINI).start(host)


def test_templated_path_and_synthesized_body(mini: tuple[Sandbox, httpx.Client]) -> None:
    sandbox, client = mini
    response = client.get("/pets/42")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    pet = response.json()
    assert set(pet) == {"id", "name", "tag", "born"}  # optional properties included
    assert isinstance(pet["id"], int)
    assert pet["born"] == "2024-01-02T03:04:05Z"
    assert sandbox.requests[-1].operation_id == "getPet"
    assert sandbox.requests[-1].path_params == {"id": "42"}


def test_literal_segment_beats_template(mini: tuple[Sandbox, httpx.Client]) -> None:
    sandbox, client = mini
    response = client.get("/pets/mine")
    assert response.json() == [{"id": 7, "name": "Rex"}]  # the media type's first example
    assert sandbox.requests[-1].template == "/pets/mine"


def test_several_params_in_one_segment(mini: tuple[Sandbox, httpx.Client]) -> None:
    sandbox, client = mini
    response = client.get("/files/report.final.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert len(response.content) > 0
    assert sandbox.requests[-1].path_params == {"name": "report", "ext": "final.pdf"}


@pytest.mark.parametrize(
    ("sent", "name", "ext"),
    [
        ("report%2Efinal.pdf", "report.final", "pdf"),  # the value's dot, percent-encoded
        ("%2E%2E%2Fetc.pdf", "../etc", "pdf"),
        ("a%2Fb.c%2Ed", "a/b", "c.d"),
        # no separator as sent: a client encoding the template's own dot, split decoded
        ("report%2Epdf", "report", "pdf"),
        ("report", None, None),
    ],
)
def test_shared_segment_splits_before_decoding(
    mini: tuple[Sandbox, httpx.Client], sent: str, name: str | None, ext: str | None
) -> None:
    sandbox, client = mini
    response = client.get(f"/files/{sent}")
    if name is None:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert sandbox.requests[-1].path_params == {"name": name, "ext": ext}


def test_default_response_and_text_plain(mini: tuple[Sandbox, httpx.Client]) -> None:
    _, client = mini
    response = client.get("/health")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == "string"


def test_lowest_2xx_wins_and_declared_headers_are_sent(mini: tuple[Sandbox, httpx.Client]) -> None:
    _, client = mini
    response = client.post("/charges")
    assert response.status_code == 200
    assert response.json() == {}


def test_no_content(mini: tuple[Sandbox, httpx.Client]) -> None:
    _, client = mini
    response = client.delete("/pets/1")
    assert response.status_code == 204
    assert response.content == b""


def test_head_falls_back_to_get(mini: tuple[Sandbox, httpx.Client]) -> None:
    _, client = mini
    response = client.head("/pets/1")
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["content-length"]) > 0


def test_unknown_path_is_404(mini: tuple[Sandbox, httpx.Client]) -> None:
    sandbox, client = mini
    response = client.get("/nothing/here")
    assert response.status_code == 404
    assert response.json() == {
        "message": "no operation for GET /api/v3/nothing/here",
        "status": 404,
    }
    assert sandbox.requests[-1].template is None


def test_wrong_method_is_405(mini: tuple[Sandbox, httpx.Client]) -> None:
    _, client = mini
    response = client.put("/pets/1")
    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, GET"


def test_path_without_server_prefix_still_routes(mini: tuple[Sandbox, httpx.Client]) -> None:
    sandbox, client = mini
    root = (sandbox.url or "").removesuffix("/api/v3")
    assert client.get(root + "/pets/3").status_code == 200


def test_set_response_overrides(mini: tuple[Sandbox, httpx.Client]) -> None:
    sandbox, client = mini
    sandbox.set_response("GET", "/pets/{id}", 500, {"error": "boom"}, headers={"Retry-After": "1"})
    sandbox.set_response("GET", "/pets/2", 404)  # concrete path beats template; body from the spec
    sandbox.set_response(
        "POST", "/api/v3/charges", 402, b"raw", headers={"Content-Type": "text/plain"}
    )
    sandbox.set_response("GET", "/not/in/spec", 200, [1, 2])
    sandbox.set_response("GET", "/pets/a b/", 410)

    failed = client.get("/pets/1")
    assert (failed.status_code, failed.json(), failed.headers["retry-after"]) == (
        500,
        {"error": "boom"},
        "1",
    )
    missing = client.get("/pets/2")
    assert (missing.status_code, missing.json()) == (404, {"message": "not found"})
    raw = client.post("/charges")
    assert (raw.status_code, raw.content, raw.headers["content-type"]) == (
        402,
        b"raw",
        "text/plain",
    )
    assert client.get("/not/in/spec").json() == [1, 2]
    assert client.get("/pets/a%20b").status_code == 410

    sandbox.reset()
    assert sandbox.requests == []
    assert client.get("/pets/1").status_code == 200


def test_records_query_headers_and_form_body(mini: tuple[Sandbox, httpx.Client]) -> None:
    sandbox, client = mini
    client.post(
        "/charges",
        params=[("expand[]", "customer"), ("expand[]", "invoice"), ("limit", "3")],
        headers={"Idempotency-Key": "abc"},
        content=b"amount=100&metadata[order]=7&items[0][price]=p1&items[1][price]=p2&tags[]=a&tags[]=b",
    )
    request = sandbox.requests[-1]
    assert request.method == "POST"
    assert request.path == "/api/v3/charges"
    assert request.query_string == "expand%5B%5D=customer&expand%5B%5D=invoice&limit=3"
    assert request.query == [("expand[]", "customer"), ("expand[]", "invoice"), ("limit", "3")]
    assert request.headers["idempotency-key"] == "abc"
    assert request.form() == {
        "amount": "100",
        "metadata": {"order": "7"},
        "items": [{"price": "p1"}, {"price": "p2"}],
        "tags": ["a", "b"],
    }


def test_records_json_and_chunked_bodies(mini: tuple[Sandbox, httpx.Client]) -> None:
    sandbox, client = mini
    client.post("/charges", json={"a": [1, {"b": None}]})
    assert sandbox.requests[-1].json() == {"a": [1, {"b": None}]}
    client.post("/charges", content=iter([b"part1-", b"part2"]))  # streamed: chunked encoding
    assert sandbox.requests[-1].body == b"part1-part2"


def test_same_seed_same_bytes_other_seed_other_numbers() -> None:
    bodies = []
    for seed in (0, 0, 1):
        with (
            Sandbox(MINI, seed=seed) as sandbox,
            httpx.Client(base_url=sandbox.url or "") as client,
        ):
            bodies.append((client.get("/pets/1").content, client.get("/files/a.b").content))
    assert bodies[0] == bodies[1]
    assert bodies[0] != bodies[2]
    assert {"id", "name"} <= json.loads(bodies[2][0]).keys()


def test_petstore_list_and_get(petstore_doc: dict[str, Any]) -> None:
    auth = {"Authorization": "Bearer token", "api_key": "key"}  # petstore_auth or api_key
    with (
        Sandbox(petstore_doc) as sandbox,
        httpx.Client(base_url=sandbox.url or "", headers=auth) as client,
    ):
        assert sandbox.url and sandbox.url.endswith("/v2")
        listed = client.get("/pet/findByStatus", params={"status": "available"})
        assert listed.status_code == 200
        pets = listed.json()
        assert isinstance(pets, list) and pets
        assert {"name", "photoUrls"} <= pets[0].keys()
        one = client.get("/pet/5")
        assert one.status_code == 200
        assert {"name", "photoUrls"} <= one.json().keys()
        assert sandbox.requests[-1].operation_id == "getPetById"
        assert sandbox.requests[0].query == [("status", "available")]
        inventory = client.get("/store/inventory").json()
        assert all(isinstance(v, int) for v in inventory.values())
        xml = client.get("/pet/5", headers={"Accept": "application/xml"})
        assert xml.headers["content-type"] == "application/xml"
        assert xml.text.startswith("<?xml")


XML_DOC = '<?xml version="1.0"?>\n<error code="400">Bad &amp; wrong</error>'


@pytest.mark.parametrize("key", ["example", "examples"])
def test_an_xml_example_written_as_a_document_is_sent_as_written(key: str) -> None:
    """A string example of an XML response was escaped into a `<root>` behind a second
    `<?xml` declaration (helper 184); an object value is still rendered element by element."""
    given: dict[str, Any] = (
        {"example": XML_DOC} if key == "example" else {"examples": {"e": {"value": XML_DOC}}}
    )
    xml = {**given}  # no schema (features/3.0/response-multiple-mediatypes.yaml)
    document = {
        "openapi": "3.0.3",
        "info": {"title": "x", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "responses": {"200": {"description": "ok", "content": {"application/xml": xml}}}
                }
            },
            "/b": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/xml": {
                                    "schema": {"type": "object", "xml": {"name": "pet"}},
                                    "example": {"name": "a<b"},
                                }
                            },
                        }
                    }
                }
            },
        },
    }
    with Sandbox(document) as sandbox, httpx.Client(base_url=sandbox.url or "") as client:
        assert client.get("/a").text == XML_DOC
        drawn = client.get("/b").text  # an object: element by element, one declaration
        assert drawn.count("<?xml") == 1 and drawn.endswith("</pet>")


def test_yaml_int_status_codes_and_ranges() -> None:
    document = {
        "openapi": "3.0.0",
        "paths": {
            "/a": {
                "get": {
                    "responses": {
                        201: {
                            "description": "int key",
                            "content": {"application/json": {"example": 1}},
                        }
                    }
                }
            },
            "/b": {"get": {"responses": {"2XX": {"description": "range"}}}},
            "/c": {"get": {"responses": {404: {"description": "only an error"}}}},
            "/d": {"get": {"responses": {}}},
        },
    }
    sandbox = Sandbox(document)
    assert (sandbox.handle("GET", "/a").status, sandbox.handle("GET", "/a").json()) == (201, 1)
    assert sandbox.handle("GET", "/b").status == 200
    assert sandbox.handle("GET", "/c").status == 404
    assert sandbox.handle("GET", "/d").status == 204


def _enum_router() -> Any:
    from apigen.sandbox._refs import Resolver
    from apigen.sandbox._routing import Router

    ext = {"in": "path", "name": "ext", "required": True}
    document = {
        "openapi": "3.0.3",
        "paths": {
            "/geo/{position}.{ext}": {
                "get": {
                    "parameters": [
                        {"in": "path", "name": "position", "required": True},
                        {**ext, "schema": {"type": "string", "enum": ["json", "jsonp", "xml"]}},
                    ]
                }
            },
            "/range/{lo}-{hi}": {
                "parameters": [
                    {"in": "path", "name": "lo", "required": True, "schema": {"type": "integer"}},
                    {"in": "path", "name": "hi", "required": True, "schema": {"type": "integer"}},
                ],
                "get": {},
            },
        },
    }
    return Router(document, Resolver(document))


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/geo/37.8,-122.2.xml", {"position": "37.8,-122.2", "ext": "xml"}),  # sent unencoded
        ("/geo/a.b.jsonp", {"position": "a.b", "ext": "jsonp"}),
        ("/geo/a%2Eb.json", {"position": "a.b", "ext": "json"}),
        ("/geo/a.b.csv", {"position": "a", "ext": "b.csv"}),  # no enum fits: first dot (a 400)
        ("/range/-5--3", {"lo": "-5", "hi": "-3"}),
        ("/range/a-b-c", {"lo": "a", "hi": "b-c"}),
    ],
)
def test_unencoded_separators_split_where_enums_and_numbers_fit(
    path: str, params: dict[str, str]
) -> None:
    found = _enum_router().match("get", path)
    assert found is not None and found.params == params


def test_server_path_spelt_raw_is_served_percent_encoded() -> None:
    """A server path a URL must encode (`/v2 */ ' " \\r`, a Swagger 2 `basePath`): the sandbox's
    URL spells it encoded, and a request carrying it encoded routes under it."""
    doc = {**MINI, "servers": [{"url": "/v2 */ ' \" =end -- \\r\\n"}]}
    with Sandbox(doc, dynamic=False) as sandbox, httpx.Client() as client:
        url = sandbox.url or ""
        assert url.endswith("/v2%20*/%20'%20%22%20=end%20--%20%5Cr%5Cn")
        assert client.get(url + "/pets/3").status_code == 200
        assert client.get(url.replace("%20*", "%20%2A") + "/pets/3").status_code == 200
        # the prefix is whole segments: a request missing its tail does not match it
        assert client.get(url.rsplit("/", 1)[0] + "/pets/3").status_code == 404


def test_a_swagger2_mapping_is_served_as_its_file_would_be() -> None:
    """A helper's docs check: `Sandbox(dict)` used a Swagger 2.0 mapping as if 3.x (`basePath`
    ignored, 200 with an empty body and no Content-Type, nothing validated); a path to the same
    document was upgraded. A mapping is upgraded too."""
    document = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "basePath": "/v2",
        "produces": ["application/json"],
        "paths": {
            "/pets/{id}": {
                "get": {
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "type": "integer"}
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "schema": {
                                "type": "object",
                                "required": ["id"],
                                "properties": {"id": {"type": "integer"}},
                            },
                        }
                    },
                }
            }
        },
    }
    with Sandbox(document) as sandbox, httpx.Client(base_url=sandbox.url or "") as client:
        assert (sandbox.url or "").endswith("/v2")
        ok = client.get("/pets/7")
        assert ok.status_code == 200 and isinstance(ok.json()["id"], int)
        assert ok.headers["content-type"].startswith("application/json")
        assert client.get("/pets/seven").status_code == 400
