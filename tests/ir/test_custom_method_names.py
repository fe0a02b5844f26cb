"""Google's custom methods (AIP-136: `POST /v1/{name}:cancel`) are named by their verb.

An untagged `POST /tasks/{taskId}:cancel` was `tasks.update` (the segment read as an item id),
and two such verbs on one item collided back to their operation ids (hand-written spec,
2026-12-05)."""

from __future__ import annotations

from typing import Any

from tests.builds import api_of


def test_custom_methods_are_named_by_their_verb() -> None:
    paths: dict[str, Any] = {}
    for path in (
        "/v1/tasks/{taskId}:cancel",
        "/v1/tasks/{taskId}:pause",
        "/v1/photos:batchDelete",
        "/v1/{name}:wait",
    ):
        paths[path] = {"post": {"responses": {"204": {"description": "ok"}}}}
    paths["/v1/tasks/{taskId}"] = {"post": {"responses": {"204": {"description": "ok"}}}}
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}
    api = api_of(document)
    assert {op.path: ".".join([*op.resource, op.name]) for op in api.operations} == {
        "/v1/tasks/{taskId}:cancel": "tasks.cancel",
        "/v1/tasks/{taskId}:pause": "tasks.pause",
        "/v1/photos:batchDelete": "photos.batch_delete",
        "/v1/{name}:wait": "root.wait",
        "/v1/tasks/{taskId}": "tasks.update",
    }
