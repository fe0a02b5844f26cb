"""A header parameter whose name is no HTTP token (opc's baseline 3.1 `header param`): httpx
refuses it before connecting, which the runner reported as the sandbox giving no response. It
is the spec's: no client can send the header and no server could read it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from apigen.contract.cases import CaseInput
from apigen.contract.runner import ILLEGAL_HEADER_NAME, _untoken_header
from tests.builds import api_of, contract_of

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "headers", "version": "1"},
    "paths": {
        "/things/{id}": {
            "get": {
                "operationId": "getThing",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "header param", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


def _with(extra: str) -> dict[str, Any]:
    """SPEC with a cookie parameter or a JSON body beside the header: the runtime's own check
    (a `ValueError` before sending) meets the name first, not httpx's."""
    spec = copy.deepcopy(SPEC)
    get = spec["paths"]["/things/{id}"]["get"]
    if extra == "cookie":
        get["parameters"].append({"name": "session", "in": "cookie", "schema": {"type": "string"}})
    elif extra == "body":
        spec["paths"]["/things/{id}"]["post"] = {
            **get,
            "operationId": "putThing",
            "requestBody": {
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
        }
    return spec


@pytest.mark.slow
@pytest.mark.parametrize("extra", ["", "cookie", "body"])
def test_a_header_name_with_a_space_is_the_spec_s(tmp_path: Path, extra: str) -> None:
    """A helper's Prism sweep: with a cookie or a body beside it, the runtime refused the name
    with `ValueError` before sending, which the runner filed as the client's (exit 1)."""
    report = contract_of(tmp_path, _with(extra), f"illegalheader{extra}")
    failures = [f for op in report.operations for f in op.failures]
    bad = [f for f in failures if f.klass != "spec"]
    assert not bad, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in bad)
    assert any(f.message.startswith(ILLEGAL_HEADER_NAME) for f in failures)


def test_the_runtime_s_refusal_of_such_a_name_is_read_as_the_spec_s() -> None:
    case = CaseInput("drawn #1", headers={"header param": "x"})
    refusal = "'header param' is not a header name (letters, digits ...): it cannot be sent"
    assert _untoken_header(case, refusal)
    assert not _untoken_header(CaseInput("drawn #2", headers={"X-Ok": "x"}), refusal)
    assert not _untoken_header(case, "header 'X-Other' has a value with CR, LF, NUL")


def test_build_warns_of_such_a_name() -> None:
    from apigen.diagnostics import Report

    report = Report()
    api_of(SPEC, report)
    found = [w for w in report.warnings if "'header param' is not an HTTP field" in w.message]
    assert found and found[0].pointer.endswith("/parameters/1"), report.warnings


KEYED = {
    "openapi": "3.0.3",
    "info": {"title": "keyed", "version": "1"},
    "security": [{"key": []}],
    "paths": {
        "/items": {"get": {"operationId": "listItems", "responses": {"204": {"description": "ok"}}}}
    },
    "components": {
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Api Key"}}
    },
}


def test_an_api_key_header_name_with_a_space_is_refused_before_sending() -> None:
    """A helper's hostile-name sweep: a scheme's header name `X-Api Key` built without a word,
    then every call retried a "connection error" (h11 refused the name mid-send; the server got
    nothing). `apigen build` warns; the call raises `ValueError` before sending."""
    import httpx

    import apigen_runtime as rt
    from apigen.diagnostics import Report

    report = Report()
    api_of(KEYED, report)
    (warning,) = [w for w in report.warnings if w.kind == "security"]
    assert warning.pointer == "#/components/securitySchemes/key/name"
    assert "'X-Api Key' is not an HTTP token" in warning.message
    sent: list[httpx.Request] = []
    client = rt.SyncAPIClient(
        base_url="https://api.test",
        http_client=httpx.Client(
            transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(204))
        ),
        credentials={"api_key": "k"},
        security_schemes={"key": rt.ApiKey("api_key", "X-Api Key", "header")},
        default_security=[["key"]],
    )
    operation: rt.Operation[None] = rt.Operation(method="get", path="/items")
    with pytest.raises(ValueError, match="API key header name 'X-Api Key' is not an HTTP header"):
        client.request(operation, {})
    assert sent == []


@pytest.mark.slow
def test_the_contract_files_such_a_scheme_as_the_spec_s(tmp_path: Path) -> None:
    report = contract_of(tmp_path, KEYED, "keyedheader")
    failures = [f for op in report.operations for f in op.failures]
    assert failures and all(f.klass == "spec" for f in failures), failures


def test_a_cookie_name_that_is_no_token_is_refused_and_filed_as_the_specs(tmp_path: Path) -> None:
    """A hostile-spec sweep: a cookie `session;admin` was sent as `Cookie: session;admin=x`,
    which a server reads as a cookie `admin` the caller never set; no build warning either. The
    build warns, the client refuses the value before sending, the contract files it as spec."""
    import httpx

    from tests.builds import on_path

    spec = copy.deepcopy(SPEC)
    get = spec["paths"]["/things/{id}"]["get"]
    get["parameters"][1] = {"name": "session;admin", "in": "cookie", "schema": {"type": "string"}}
    report = contract_of(tmp_path, spec, "cookies")
    failures = [f for op in report.operations for f in op.failures]
    assert failures and {(f.klass, f.check) for f in failures} == {("spec", "cookie_name")}
    sent: list[httpx.Request] = []
    with on_path(tmp_path / "cookies", "cookies") as pkg:
        http = httpx.Client(
            transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200))
        )
        client = pkg.Client(base_url="http://127.0.0.1:9", http_client=http)
        with pytest.raises(ValueError, match="not a cookie name"):
            client.things.retrieve("1", session_admin="x")
    assert sent == []
