"""A required form-exploded query object (EC2 AssociateIamInstanceProfile's
`IamInstanceProfile`, `explode` by default) arrives as its members' pairs (`Arn=..&Name=..`),
never under its own name. The sandbox read only pairs of the parameter's name, so it answered
"missing required query parameter" to the client's valid request (seed-3 sweep of EC2)."""

from __future__ import annotations

from typing import Any

from apigen.sandbox import Sandbox

DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/a": {
            "get": {
                "parameters": [
                    {
                        "name": "Profile",
                        "in": "query",
                        "required": True,
                        "schema": {
                            "type": "object",
                            "properties": {"Arn": {"type": "string"}, "Size": {"type": "integer"}},
                        },
                    },
                    {"name": "InstanceId", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


def _status(query: str) -> int:
    return Sandbox(DOC, seed=0).handle("GET", f"/a?{query}", {}, b"").status


def test_the_members_of_a_form_exploded_object_are_the_parameter() -> None:
    assert _status("Arn=x&InstanceId=i-1") == 200
    assert _status("Arn=&Size=3") == 200


def test_its_members_are_still_checked_and_it_is_still_required() -> None:
    assert _status("Size=big") == 400  # not an integer
    assert _status("InstanceId=i-1") == 400  # only another parameter's pair: nothing of it


def _doc(path: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            path: {
                "get": {
                    "parameters": parameters,
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }


TWO = _doc(
    "/b",
    [
        {
            "name": "Profile",
            "in": "query",
            "required": True,
            "schema": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"Arn": {"type": "string"}},
            },
        },
        {
            "name": "Placement",
            "in": "query",
            "schema": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"Zone": {"type": "string"}},
            },
        },
    ],
)


def test_two_exploded_objects_each_take_the_pairs_they_declare() -> None:
    """With two closed objects, each saw every unclaimed pair, so `Zone` broke Profile's
    `additionalProperties: false`; a pair neither declares still reaches (and fails) both."""
    box = Sandbox(TWO, seed=0)
    assert box.handle("GET", "/b?Arn=x&Zone=z", {}, b"").status == 200
    assert box.handle("GET", "/b?Arn=x", {}, b"").status == 200
    assert box.handle("GET", "/b?Arn=x&Other=1", {}, b"").status == 400


def test_an_absent_optional_object_takes_no_other_object_s_extra_members() -> None:
    """EC2 RunInstances: `MetadataOptions` (open) sent with an extra key, `Monitoring` (whose
    `Enabled` is required) left out; Monitoring took the extra pair and missed `Enabled`."""
    doc = _doc(
        "/c",
        [
            {
                "name": "Monitoring",
                "in": "query",
                "schema": {
                    "type": "object",
                    "required": ["Enabled"],
                    "properties": {"Enabled": {"type": "boolean"}},
                },
            },
            {
                "name": "MetadataOptions",
                "in": "query",
                "schema": {"type": "object", "properties": {"HttpTokens": {"type": "string"}}},
            },
        ],
    )
    box = Sandbox(doc, seed=0)
    assert box.handle("GET", "/c?HttpTokens=required&Extra=1", {}, b"").status == 200
    assert box.handle("GET", "/c?Enabled=true&HttpTokens=required", {}, b"").status == 200
    assert box.handle("GET", "/c?Enabled=maybe", {}, b"").status == 400
    # an extra pair alone could be either object's: neither is required, so none is refused
    assert box.handle("GET", "/c?Extra=1", {}, b"").status == 200
    # one object alone takes such pairs, as before (test_its_members_are_still_checked...)


CONTENT = _doc(
    "/c",
    [
        {
            "name": "filter",
            "in": "query",
            "content": {
                "application/json": {
                    "schema": {"type": "object", "properties": {"color": {"type": "string"}}}
                }
            },
        },
        {
            "name": "opts",
            "in": "query",
            "schema": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    ],
)


def test_a_json_content_object_beside_a_free_form_one_takes_no_pairs() -> None:
    """A query object given by `content` is one JSON value under its own name: it never takes
    the pairs a form-exploded object beside it receives. The sandbox handed `filter` the pairs
    meant for `opts` (`?foo=Cn`) and crashed parsing a dict as JSON: a 500 to a valid request
    (found by the lead's contract run of a parameter-style spec)."""

    def status(query: str) -> int:
        return Sandbox(CONTENT, seed=0).handle("GET", f"/c?{query}", {}, b"").status

    assert status("foo=Cn") == 200
    assert status("filter=%7B%22color%22%3A%22r%22%7D&foo=Cn") == 200
    assert status("filter=%7B%22color%22%3A1%7D") == 400
    assert status("filter=nojson") == 400
