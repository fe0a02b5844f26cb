"""Names a spec gives that a request cannot carry as written (a helper's hostile specs): header
parameters whose names differ only in case are one header (RFC 9110: `X-A` and `x-a` were two
keyword arguments and one value went out, silently); a path with a dot segment or a control
character is left out with a warning."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from apigen.cli import main
from tests.builds import api_of


def _doc(
    op_params: list[dict[str, object]], item_params: list[dict[str, object]]
) -> dict[str, object]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/h": {
                "parameters": item_params,
                "get": {
                    "operationId": "getH",
                    "parameters": op_params,
                    "responses": {"204": {"description": "ok"}},
                },
            }
        },
    }


def _header(name: str, description: str = "") -> dict[str, object]:
    return {"name": name, "in": "header", "schema": {"type": "string"}, "description": description}


def test_one_keyword_per_header_whatever_the_case(tmp_path: Path) -> None:
    (op,) = api_of(_doc([_header("X-A", "first"), _header("x-a", "second")], [])).operations
    assert [(p.wire_name, p.doc) for p in op.params] == [("x-a", "second")]
    # the operation's own overrides its path item's, as for an exact name
    (op,) = api_of(_doc([_header("x-trace", "own")], [_header("X-Trace", "item")])).operations
    assert [(p.wire_name, p.doc) for p in op.params] == [("x-trace", "own")]
    spec = tmp_path / "h.json"
    spec.write_text(json.dumps(_doc([_header("X-A"), _header("x-a")], [])))
    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (
        "Duplicate parameter 'x-a'" in result.output
        and "#/paths/~1h/get/parameters" in result.output
    )


def test_a_path_with_a_dot_segment_or_a_control_character_is_left_out_with_a_warning() -> None:
    """A helper's hostile spec: `/../admin` went to `http://host/admin`, past the base URL's
    `/base`; `/a\\tb` raised httpx's `InvalidURL` on every call. `/.well-known/x` and a dot in
    a parameter's value (refused by the runtime) are no such segment."""
    from apigen.diagnostics import Report

    ok = {"get": {"responses": {"204": {"description": "ok"}}}}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            p: ok for p in ("/..", "/../admin", "/a/./b", "/a\tb", "/.well-known/x", "/{name}/v1.2")
        },
    }
    report = Report()
    api = api_of(doc, report)
    assert sorted(op.path for op in api.operations) == ["/.well-known/x", "/{name}/v1.2"]
    warned = sorted(d.pointer for d in report.items if "no request can be sent" in d.message)
    assert warned == ["#/paths/~1..", "#/paths/~1..~1admin", "#/paths/~1a\tb", "#/paths/~1a~1.~1b"]


def test_the_sandbox_reads_a_header_overridden_in_another_case_as_the_client_does() -> None:
    """The review: a required `X-Tenant` on the path item and an optional `x-tenant` on the
    operation: the client made it optional, the sandbox still answered 400 "missing required
    header parameter 'X-Tenant'"."""
    from apigen.sandbox import Sandbox

    item = [{"name": "X-Tenant", "in": "header", "required": True, "schema": {"type": "string"}}]
    own = [{"name": "x-tenant", "in": "header", "required": False, "schema": {"type": "string"}}]
    doc = _doc(own, item)
    doc["paths"]["/h"]["get"]["responses"] = {"204": {"description": "ok"}}  # type: ignore[index]
    reply = Sandbox(doc).handle("GET", "/h", {}, b"")
    assert reply.status == 204, reply.body
