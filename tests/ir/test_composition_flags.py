"""Null and readOnly/writeOnly beside composition keywords (`generator/apigen/schema_rules.py`):
the IR types `X | None` where the schema admits null, and leaves read-only properties out of
request bodies wherever the flag sits (on the property, behind its `$ref`, in an `allOf`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from apigen.diagnostics import Report
from apigen.ir import Api, build_api
from apigen.ir.nodes import ModelDef, Nullable, Prim, Ref, TypeExpr, UnionOf
from apigen.pipeline import _reserved, open_spec

LOC = {"$ref": "#/components/schemas/Location"}


def _spec(version: str, props: dict[str, Any], required: list[str]) -> dict[str, Any]:
    thing = {"type": "object", "properties": props, "required": required}
    return {
        "openapi": version,
        "info": {"title": "things", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "create_thing",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": thing,
                "Location": {
                    "type": "object",
                    "properties": {"lat": {"type": "number"}, "lng": {"type": "number"}},
                },
                "Currency": {"type": "string", "title": "Currency"},
                "Id": {"type": "string", "readOnly": True},
                "Secret": {"type": "string", "writeOnly": True},
                # a component that is "Location, or null" in 3.1's allOf spelling
                "MaybeLocation": {"allOf": [LOC, {"type": "null"}]},
            }
        },
    }


def _build(tmp_path: Path, spec: dict[str, Any]) -> Api:
    path = tmp_path / "things.json"
    path.write_text(json.dumps(spec))
    report = Report()
    loaded, name = open_spec(path, report=report)
    reserved_client, reserved_resource = _reserved()
    return build_api(
        loaded.document,
        package="things",
        spec_file=name,
        spec_sha256="",
        report=report,
        reserved_client=reserved_client,
        reserved_resource=reserved_resource,
    )


def _fields(api: Api) -> dict[str, Any]:
    thing = api.definitions[api.components["Thing"]]
    assert isinstance(thing, ModelDef)
    return {f.wire_name: f for f in thing.fields}


def _sent(api: Api) -> dict[str, Any]:
    (op,) = api.operations
    return {p.wire_name: p for p in op.params if p.location == "field"}


def _loc(api: Api) -> TypeExpr:
    return Ref(api.components["Location"])


def test_nullable_beside_all_of_one_of_and_any_of_in_3_0(tmp_path: Path) -> None:
    props = {
        "end": {"allOf": [LOC], "nullable": True},
        "kind": {"nullable": True, "oneOf": [{"type": "string"}, {"type": "integer"}]},
        "size": {"nullable": True, "anyOf": [{"type": "number"}, {"type": "boolean"}]},
    }
    api = _build(tmp_path, _spec("3.0.3", props, ["end", "kind", "size"]))
    fields = _fields(api)
    assert fields["end"].type == Nullable(_loc(api)) and fields["end"].required
    assert fields["kind"].type == Nullable(UnionOf((Prim("str"), Prim("int"))))
    assert fields["size"].type == Nullable(UnionOf((Prim("float"), Prim("bool"))))
    assert _sent(api)["end"].type == Nullable(_loc(api))


def test_a_null_type_beside_one_of_and_a_null_all_of_member_in_3_1(tmp_path: Path) -> None:
    props = {
        # Vercel: strict JSON Schema admits nothing here; the author means "or null"
        "assigned": {"oneOf": [{"type": "number"}, {"type": "boolean"}], "type": "null"},
        "named": {"anyOf": [{"type": "string"}, {"type": "integer"}], "type": ["string", "null"]},
        # Codat: `allOf: [$ref, {type: null}]`
        "currency": {"allOf": [{"$ref": "#/components/schemas/Currency"}, {"type": "null"}]},
        "where": {"$ref": "#/components/schemas/MaybeLocation"},
    }
    api = _build(tmp_path, _spec("3.1.0", props, list(props)))
    fields = _fields(api)
    assert fields["assigned"].type == Nullable(UnionOf((Prim("float"), Prim("bool"))))
    assert isinstance(fields["named"].type, Nullable)
    assert isinstance(fields["currency"].type, Nullable)
    assert fields["currency"].type.inner in (Prim("str"), Ref(api.components["Currency"]))
    assert fields["where"].type == Nullable(Ref(api.components["MaybeLocation"]))
    maybe = api.definitions[api.components["MaybeLocation"]]
    assert isinstance(maybe, ModelDef)  # still Location's object, not `Any`
    assert {f.wire_name for f in maybe.fields} == {"lat", "lng"}


def test_read_only_and_write_only_in_an_all_of_member(tmp_path: Path) -> None:
    props = {
        "id": {"allOf": [{"$ref": "#/components/schemas/Currency"}, {"readOnly": True}]},
        "home": {"allOf": [LOC, {"readOnly": True, "description": "set by the server"}]},
        "ref_id": {"allOf": [{"$ref": "#/components/schemas/Id"}]},
        "password": {"allOf": [{"$ref": "#/components/schemas/Currency"}, {"writeOnly": True}]},
        "token": {"allOf": [{"$ref": "#/components/schemas/Secret"}, {"description": "x"}]},
        "name": {"type": "string"},
    }
    api = _build(tmp_path, _spec("3.0.3", props, list(props)))
    fields = _fields(api)
    assert {w for w, f in fields.items() if f.read_only} == {"id", "home", "ref_id"}
    # a required writeOnly property is required of requests only
    assert {w for w, f in fields.items() if f.required} == {"id", "home", "ref_id", "name"}
    sent = _sent(api)
    assert set(sent) == {"password", "token", "name"}
    assert all(p.required for p in sent.values())


def test_a_model_a_request_carries_does_not_demand_its_read_only_fields(tmp_path: Path) -> None:
    # Stream: `GET /connect?json=...` carries ConnectRequest {user_details: UserObject}, whose
    # `online` is required and readOnly ("required of responses only", OpenAPI 3.0): the model
    # demanded it, so no valid request could be built (7 client failures once the contract
    # converted the drawn dicts into the models)
    user = {
        "type": "object",
        "required": ["id", "online"],
        "properties": {"id": {"type": "string"}, "online": {"type": "boolean", "readOnly": True}},
    }
    spec = _spec("3.0.3", {"owner": {"$ref": "#/components/schemas/User"}}, ["owner"])
    spec["components"]["schemas"]["User"] = user
    spec["components"]["schemas"]["Status"] = {**user, "title": "Status"}  # responses only
    spec["paths"]["/status"] = {
        "get": {
            "operationId": "status",
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Status"}}
                    },
                }
            },
        }
    }
    api = _build(tmp_path, spec)
    for name, online_required in (("User", False), ("Status", True)):
        model = api.definitions[api.components[name]]
        assert isinstance(model, ModelDef)
        required = {f.wire_name: f.required for f in model.fields}
        assert required == {"id": True, "online": online_required}, name


def test_a_model_only_requests_carry_requires_its_write_only_fields(tmp_path: Path) -> None:
    """A helper's type review: a required writeOnly `password` was optional in every model,
    so `NewUser(email=...)` type-checked and was sent without it, in a model only requests
    carry (OpenAPI: required of requests). Such a model requires it again; a model responses
    parse (`Status`; its request body is flattened into arguments) keeps it optional, as
    responses leave it out."""
    user = {
        "type": "object",
        "required": ["id", "password", "email"],
        "properties": {
            "id": {"type": "integer", "readOnly": True},
            "password": {"type": "string", "writeOnly": True},
            "email": {"type": "string"},
        },
    }
    spec = _spec("3.0.3", {"owner": {"$ref": "#/components/schemas/NewUser"}}, ["owner"])
    spec["components"]["schemas"]["NewUser"] = user
    spec["components"]["schemas"]["Status"] = {**user, "title": "Status"}
    spec["paths"]["/status"] = {
        "put": {
            "operationId": "put_status",
            "requestBody": {
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}
            },
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Status"}}
                    },
                }
            },
        }
    }
    spec["paths"]["/things"]["post"]["responses"]["200"]["content"]["application/json"] = {
        "schema": {"type": "object"}
    }
    # a review: a model used only as a body flattened into arguments kept it optional
    spec["components"]["schemas"]["Signup"] = {**user, "title": "Signup"}
    signup = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Signup"}}}}
    spec["paths"]["/signup"] = {
        "post": {
            "operationId": "signup",
            "requestBody": signup,
            "responses": {"204": {"description": "ok"}},
        }
    }
    api = _build(tmp_path, spec)
    for name, id_required, password_required in (
        ("NewUser", False, True),
        ("Status", True, False),
        ("Signup", True, True),  # (its class is not sent: readOnly `id` as it was)
    ):
        model = api.definitions[api.components[name]]
        assert isinstance(model, ModelDef)
        required = {f.wire_name: f.required for f in model.fields}
        want = {"id": id_required, "password": password_required, "email": True}
        assert required == want, name
