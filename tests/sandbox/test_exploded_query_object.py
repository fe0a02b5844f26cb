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
