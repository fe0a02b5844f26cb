"""Valid requests the sandbox used to refuse (or answers it got wrong), found by `apigen contract`
on Stripe, GitHub and petstore (issue 7): each test failed before its fix in `apigen.sandbox`."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from apigen.sandbox import Sandbox
from apigen.sandbox._forms import parse_form, split_key

PETSTORE = Path(__file__).parents[2] / "specs" / "petstore.yaml"
ERROR = {
    "type": "object",
    "properties": {"message": {"type": "string"}},
}


def _doc(paths: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}


def _get(parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return _doc(
        {
            "/things": {
                "get": {
                    "parameters": parameters,
                    "responses": {
                        "200": {"description": "ok"},
                        "400": {
                            "description": "bad",
                            "content": {"application/json": {"schema": ERROR}},
                        },
                    },
                }
            }
        }
    )


# -- request targets: Stripe allows `expand[]` items of 5,000 characters each ---------------


def test_long_stripe_style_query_is_accepted(stripe_doc: dict[str, Any]) -> None:
    # 3 expansions of 5,000 characters (each within the spec's maxLength) and the usual
    # pagination cursors: about 15,000 characters, which the sandbox answered with 414.
    expand = "&".join(f"expand[]={'a' * 5000}" for _ in range(3))
    target = f"/v1/customers?limit=3&{expand}"
    assert len(target) > 15_000
    reply = Sandbox(stripe_doc).handle("GET", target, {"Authorization": "Bearer sk_test"})
    assert reply.status == 200, reply.body[:300]


def test_request_target_over_60_000_characters_is_still_414() -> None:
    sandbox = Sandbox(_get([{"name": "q", "in": "query", "schema": {"type": "string"}}]))
    reply = sandbox.handle("GET", "/things?q=" + "x" * 70_000)
    assert reply.status == 414
    assert "longer than" in reply.json()["message"]


# -- bracketed keys (Rack/PHP reading): a key may contain `[` --------------------------------


def test_bracket_inside_a_bracketed_key_is_read_back() -> None:
    assert split_key("metadata[[abc]") == ["metadata", "[abc"]
    assert split_key("metadata[a[b]") == ["metadata", "a[b"]
    assert split_key("a[b][[c][0]") == ["a", "b", "[c", "0"]
    assert split_key("a[b][]") == ["a", "b", ""]
    assert split_key("plain") == ["plain"]
    # a `]` inside a key has no spelling: the key stays whole (and is refused as unknown)
    assert split_key("metadata[a]b]") == ["metadata[a]b]"]
    assert parse_form("metadata[[x]=1&metadata[y[z]=2") == {"metadata": {"[x": "1", "y[z": "2"}}


def test_stripe_metadata_key_with_a_bracket_is_accepted(stripe_doc: dict[str, Any]) -> None:
    body = f"{quote('metadata[[k]')}=v&{quote('metadata[a[b]')}=w".encode()
    reply = Sandbox(stripe_doc).handle(
        "POST",
        "/v1/customers",
        {
            "Authorization": "Bearer sk_test",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body,
    )
    assert reply.status == 200, reply.body[:300]


# -- empty arrays in query parameters: `status=` is the OpenAPI spelling of [] ----------------


def test_empty_form_array_is_an_empty_list() -> None:
    for explode in (False, True):
        array = {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}}
        sandbox = Sandbox(
            _get(
                [
                    {
                        "name": "status",
                        "in": "query",
                        "required": True,
                        "style": "form",
                        "explode": explode,
                        "schema": array,
                    }
                ]
            )
        )
        assert sandbox.handle("GET", "/things?status=").status == 200
        assert sandbox.handle("GET", "/things?status=a").status == 200
        assert sandbox.handle("GET", "/things").status == 400  # absent is still missing
        strict = Sandbox(
            _get(
                [
                    {
                        "name": "status",
                        "in": "query",
                        "required": True,
                        "explode": explode,
                        "schema": {**array, "minItems": 1},
                    }
                ]
            )
        )
        refused = strict.handle("GET", "/things?status=")
        assert refused.status == 400
        assert "non-empty" in refused.json()["message"] or "short" in refused.json()["message"]


def test_empty_array_with_allow_empty_value_is_not_one_empty_string() -> None:
    sandbox = Sandbox(
        _get(
            [
                {
                    "name": "status",
                    "in": "query",
                    "style": "form",
                    "explode": False,
                    "allowEmptyValue": True,
                    "schema": {"type": "array", "items": {"type": "string", "enum": ["a"]}},
                }
            ]
        )
    )
    reply = sandbox.handle("GET", "/things?status=")
    assert reply.status == 200, reply.body


def test_petstore_empty_status_list() -> None:
    reply = Sandbox(PETSTORE).handle("GET", "/v1/pets?status=&limit=2", {"X-API-Key": "k"})
    assert reply.status == 200, reply.body


# -- a declared 3xx always carries a Location -----------------------------------------------


def test_declared_redirect_has_a_location(github_doc: dict[str, Any]) -> None:
    sandbox = Sandbox(github_doc)
    # migrations/download-archive-for-org declares only `302: {description: Response}`
    reply = sandbox.handle("GET", "/orgs/acme/migrations/7/archive", {"Authorization": "Bearer t"})
    assert reply.status == 302
    location = reply.headers.get("Location")
    assert location, reply.headers
    assert location.startswith("/"), location  # same origin: a client may follow it safely
    followed = sandbox.handle("GET", location, {"Authorization": "Bearer t"})
    assert followed.status == 200
    assert followed.headers["Content-Type"] == "application/octet-stream"
    assert sandbox.requests[-1].status == 200
    # a declared Location whose example points at another host (codeload.github.com) is
    # replaced too: a client following the sandbox's redirects never leaves 127.0.0.1
    tarball = sandbox.handle("GET", "/repos/o/r/tarball/main", {"Authorization": "Bearer t"})
    assert tarball.status == 302
    assert tarball.headers["Location"].startswith("/"), tarball.headers
    assert sandbox.handle("GET", tarball.headers["Location"], {}).status == 200


def test_redirect_location_for_prefer_code_and_no_location_on_304(
    github_doc: dict[str, Any],
) -> None:
    sandbox = Sandbox(github_doc)
    moved = sandbox.handle("GET", "/repos/o/r", {"Authorization": "Bearer t", "Prefer": "code=301"})
    assert moved.status == 301
    assert moved.headers.get("Location", "").startswith("/")
    same = sandbox.handle("GET", "/gists/1", {"Authorization": "Bearer t", "Prefer": "code=304"})
    assert same.status == 304
    assert "Location" not in same.headers


# -- the baseline the contract run classifies these by (belongs in tests/contract; kept here
#    because this change was scoped to the sandbox's tests) ------------------------------------


def test_index_shaped_metadata_key_is_a_key_where_the_schema_wants_an_object(
    stripe_doc: dict[str, Any],
) -> None:
    # `{"0": "v"}` has no other spelling than `metadata[0]=v`; Rack and PHP read it as a key.
    sandbox = Sandbox(stripe_doc)
    form = {
        "Authorization": "Bearer sk_test",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    for body in (b"metadata[0]=v", b"metadata[0]=v&metadata[1]=w"):
        reply = sandbox.handle("POST", "/v1/customers", form, body)
        assert reply.status == 200, reply.body[:300]
    # where the schema wants an array, indices stay indices; `[]` appends are never keys
    assert sandbox.handle("POST", "/v1/customers", form, b"expand[0]=a&expand[1]=b").status == 200
    assert sandbox.handle("POST", "/v1/customers", form, b"metadata[]=v").status == 400
    assert parse_form("a[0]=x&a[1]=y") == {"a": ["x", "y"]}  # recorded requests: still lists


# -- error bodies: the shape the spec gives the status the sandbox answers -------------------


def _post(responses: dict[str, Any]) -> dict[str, Any]:
    query = {"name": "userName", "in": "query", "required": True, "schema": {"type": "string"}}
    return _doc({"/invoices": {"post": {"parameters": [query], "responses": responses}}})


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": "d", "content": {"application/json": {"schema": schema}}}


def test_an_undeclared_error_status_takes_the_default_shape() -> None:
    # BeezUP GenerateOrderInvoice: 403/404/409 carry `errorResponseMessage`, `default` the
    # `ErrorResponseMessage` (`arguments` an array there, an object in the other): the refusal
    # (400, undeclared) was drawn from the 403's schema, while a 400 reads by `default`
    forbidden = {
        "type": "object",
        "required": ["arguments"],
        "properties": {"arguments": {"type": "object"}},
    }
    default = {
        "type": "object",
        "required": ["errors"],
        "properties": {"errors": {"type": "array", "items": {"type": "string"}}},
    }
    doc = _post({"202": {"description": "ok"}, "403": _json(forbidden), "default": _json(default)})
    reply = Sandbox(doc).handle("POST", "/invoices")
    assert reply.status == 400
    assert isinstance(reply.json()["errors"], list), reply.body


def test_an_error_schema_without_a_message_slot_keeps_its_shape() -> None:
    # BeezUP GenerateBatchOrderInvoice: its 400 is an array of items; the sandbox answered
    # `{"message", "status"}`, which the client's strict parse and schemathesis refuse
    items = {"type": "object", "required": ["count"], "properties": {"count": {"type": "integer"}}}
    doc = _post({"200": {"description": "ok"}, "400": _json({"type": "array", "items": items})})
    reply = Sandbox(doc).handle("POST", "/invoices")
    assert reply.status == 400
    assert isinstance(reply.json(), list), reply.body
    assert "userName" in reply.headers["X-Sandbox-Error"]  # the reason, where it fits


# -- allOf: a base an enclosing object shares still holds -------------------------------------


def _drawn(schemas: dict[str, Any], ref: str, draws: int = 8) -> list[Any]:
    doc = _doc({"/things": {"get": {"responses": {"200": _json({"$ref": ref})}}}})
    doc["components"] = {"schemas": schemas}
    sandbox = Sandbox(doc, seed=0)
    return [sandbox.handle("GET", "/things").json() for _ in range(draws)]


def test_a_shared_all_of_base_holds_in_nested_objects() -> None:
    # Azure web-service: CertificateOrder and its `root: CertificateDetails` both `allOf:
    # [Resource]` (required `location`); inside the order, `Resource` was on the stack and the
    # details' member was skipped as if recursive: `"root": {}` (131 sandbox failures)
    resource = {
        "type": "object",
        "required": ["location"],
        "properties": {"location": {"type": "string"}},
    }
    details = {"allOf": [{"$ref": "#/components/schemas/Resource"}]}
    order = {
        "allOf": [{"$ref": "#/components/schemas/Resource"}],
        "required": ["root"],
        "properties": {"root": {"$ref": "#/components/schemas/Details"}},
    }
    schemas = {"Resource": resource, "Details": details, "Order": order}
    for body in _drawn(schemas, "#/components/schemas/Order"):
        assert "location" in body and "location" in body["root"], body


def test_a_variant_keeps_its_polymorphic_base_s_properties() -> None:
    pet = {
        "type": "object",
        "required": ["name", "kind"],
        "properties": {"name": {"type": "string"}, "kind": {"type": "string"}},
        "discriminator": {"propertyName": "kind"},
        "oneOf": [{"$ref": "#/components/schemas/Cat"}],
    }
    cat = {
        "allOf": [
            {"$ref": "#/components/schemas/Pet"},
            {"type": "object", "required": ["lives"], "properties": {"lives": {"type": "integer"}}},
        ]
    }
    for body in _drawn({"Pet": pet, "Cat": cat}, "#/components/schemas/Pet"):
        assert {"name", "kind", "lives"} <= set(body), body


# -- routing: a parameter that cannot take the segment yields to a template that fits ---------


def test_a_path_parameter_that_cannot_take_the_segment_yields_to_one_that_can() -> None:
    # Mist: `/sites/{site_id}/zones/{zone_id}` (uuid) ranks before
    # `/sites/{site_id}/{zone_type}/count` (zone_type: zones | rssizones), so `.../zones/count`
    # was routed to the first and refused: "'count' is not a 'uuid'" (20 sandbox failures)
    uuid = {"type": "string", "format": "uuid"}
    site = {"name": "site_id", "in": "path", "required": True, "schema": uuid}
    zone = {"name": "zone_id", "in": "path", "required": True, "schema": uuid}
    kind = {"name": "zone_type", "in": "path", "required": True}
    kind["schema"] = {"type": "string", "enum": ["zones", "rssizones"]}
    ok = {"200": _json({"type": "object", "properties": {"which": {"type": "string"}}})}
    doc = _doc(
        {
            "/sites/{site_id}/zones/{zone_id}": {
                "get": {"operationId": "getZone", "parameters": [site, zone], "responses": ok}
            },
            "/sites/{site_id}/{zone_type}/count": {
                "get": {"operationId": "countZones", "parameters": [site, kind], "responses": ok}
            },
        }
    )
    sandbox = Sandbox(doc)
    site_id = "e3e70682-c209-1cac-a29f-6fbed82c07cd"
    count = sandbox.router.match("GET", f"/sites/{site_id}/zones/count")
    assert count is not None and count.route.template.endswith("/count")
    assert sandbox.handle("GET", f"/sites/{site_id}/zones/count").status == 200
    by_id = sandbox.router.match("GET", f"/sites/{site_id}/zones/{site_id}")
    assert by_id is not None and by_id.route.template.endswith("{zone_id}")
    # nothing fits: the most specific template still answers, its validation says why
    assert sandbox.handle("GET", f"/sites/{site_id}/zones/nope").status == 400


def test_an_empty_form_key_is_the_key_not_a_list_index() -> None:
    """Helper 227: `a=1&=xx` was read as `{"a": "1", "1": "xx"}` (an empty top-level key taken
    for `[]`): the sandbox then refused a valid body ("1: 'xx' is too long")."""
    from apigen.sandbox._forms import parse_form

    assert parse_form("a=1&=xx") == {"a": "1", "": "xx"}
    assert parse_form("=1&=2") == {"": ["1", "2"]}
    assert parse_form("a[]=1&a[]=2") == {"a": ["1", "2"]}  # (inside brackets: appends)
