"""A naming extension (`x-speakeasy-name-override`, `x-fern-sdk-method-name`) that collision
handling had to change is warned: two operations asking for `fetch` in one group were both
renamed back to their operation ids silently (helper 174)."""

from __future__ import annotations

from typing import Any

from apigen.diagnostics import Report
from tests.builds import api_of


def _get(op_id: str, **extensions: str) -> dict[str, Any]:
    get: dict[str, Any] = {"operationId": op_id, "responses": {"204": {"description": "ok"}}}
    get.update({k.replace("_", "-"): v for k, v in extensions.items()})
    return {"get": get}


def test_an_override_another_method_has_is_warned() -> None:
    group = "x_speakeasy_group"
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": _get("getA", **{group: "things", "x_speakeasy_name_override": "fetch"}),
            "/b": _get("getB", **{group: "things", "x_speakeasy_name_override": "fetch"}),
            "/c": _get("getC", **{group: "things", "x_fern_sdk_method_name": "browse"}),
        },
    }
    report = Report()
    api = api_of(document, report)
    calls = {op.operation_id: ".".join([*op.resource, op.name]) for op in api.operations}
    assert calls == {"getA": "things.get_a", "getB": "things.get_b", "getC": "things.browse"}
    warned = sorted((d.pointer, d.message) for d in report.items if d.kind == "naming")
    assert warned == [
        (
            "#/paths/~1a/get/x-speakeasy-name-override",
            "x-speakeasy-name-override: 'fetch' is another method's or a reserved name",
        ),
        (
            "#/paths/~1b/get/x-speakeasy-name-override",
            "x-speakeasy-name-override: 'fetch' is another method's or a reserved name",
        ),
    ]


def test_the_warning_names_the_extension_that_gave_the_name() -> None:
    """The review: with an ignored `x-speakeasy-name-override: 5`, the warning named it, not
    the `x-fern-sdk-method-name` that asked for the taken name."""
    taken = {
        "x-speakeasy-group": "things",
        "x-speakeasy-name-override": 5,
        "x-fern-sdk-method-name": "fetch",
    }
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": _get("getA", x_speakeasy_group="things", x_speakeasy_name_override="fetch"),
            "/b": {"get": {**_get("getB")["get"], **taken}},
        },
    }
    report = Report()
    api_of(document, report)
    pointers = {d.pointer for d in report.items if "another method" in d.message}
    assert "#/paths/~1b/get/x-fern-sdk-method-name" in pointers
