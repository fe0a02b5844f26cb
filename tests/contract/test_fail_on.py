"""`apigen contract --fail-on`: which failure classes fail the run.

A helper's product review: against the caller's own API (`--base-url`) a 500, an undeclared
status, a body missing a required field, a wrong content type, even a server that was down
were all "spec" failures (the API and its spec disagree), the exit status 0 and the JUnit file
empty of them: CI could not be gated on the API. `--fail-on client,spec` makes them fail it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner

from apigen.cli import main
from apigen.contract.report import Failure, OperationResult, RunReport


def _report(fail_on: tuple[str, ...]) -> RunReport:
    report = RunReport("c", "s.yaml", "http://127.0.0.1:1", 0, 1, ["sync"], fail_on=fail_on)  # type: ignore[arg-type]
    op = OperationResult("getThing", "thing.retrieve", "get", "/thing", cases=1, calls=1)
    op.failures.append(Failure("getThing", "thing.retrieve", "status", "spec", "500 not declared"))
    report.operations.append(op)
    return report


def test_spec_failures_fail_the_run_only_when_asked() -> None:
    assert _report(("client",)).exit_code() == 0
    strict = _report(("client", "spec"))
    assert strict.exit_code() == 1
    suite = ET.fromstring(strict.junit())
    assert suite.get("failures") == "1" and "500 not declared" in ET.tostring(suite, "unicode")
    assert ET.fromstring(_report(("client",)).junit()).get("failures") == "0"
    again = RunReport.from_json(strict.to_json())
    assert again.fail_on == ("client", "spec") and again.exit_code() == 1


def test_an_unknown_class_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["contract", str(tmp_path), "--fail-on", "client,server"])
    assert result.exit_code == 2 and "--fail-on takes client, sandbox, spec" in result.output


def test_operations_are_selected_by_exact_name_and_by_tags_through_refs(tmp_path: Path) -> None:
    """The same review: an id holding glob characters (`tags[list]`) could not be selected
    (exit 2, the plugin's test errored); `--tag` missed an operation whose path item is an
    in-document `$ref`; an operation without `operationId` had an empty name in reports and
    the plugin (`[0]`, each test running them all)."""
    import json

    from apigen.contract.client import load_client
    from apigen.contract.pytest_plugin import contract_operations
    from apigen.contract.runner import select_operations
    from tests.builds import build_into

    ok = {"200": {"description": "ok"}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "sel", "version": "1"},
        "paths": {
            "/tags": {"get": {"operationId": "tags[list]", "responses": ok}},
            "/shared": {"$ref": "#/x-items/shared"},
            "/bare": {"post": {"responses": ok}},
        },
        "x-items": {
            "shared": {"get": {"operationId": "getShared", "tags": ["team"], "responses": ok}}
        },
    }
    spec = tmp_path / "sel.json"
    spec.write_text(json.dumps(document))
    build_into(spec, tmp_path / "sel", name="sel")
    client = load_client(tmp_path / "sel")
    assert [o.operation_id for o in select_operations(client, document, ["tags[list]"], [])] == [
        "tags[list]"
    ]
    assert [o.operation_id for o in select_operations(client, document, [], ["team"])] == [
        "getShared"
    ]
    ids = [p.values[0] for p in contract_operations(tmp_path / "sel")]
    assert "" not in ids and len(set(ids)) == 3


def test_a_redirected_answer_is_judged_as_the_server_s(tmp_path: Path) -> None:
    """The same review: the server answered 302 and its target a body breaking the schema;
    the 3xx was checked, and the client's lenient parse of the target's body filed as the
    client's fault (exit 1). The answer the client followed to is the one judged."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from typing import Any

    from apigen.contract import ContractConfig, run_contract
    from tests.builds import build_into

    class Api(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.startswith("/moved"):
                self.send_response(302)
                self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = b'{"status": "fine"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ok = {"type": "object", "required": ["ok"], "properties": {"ok": {"type": "boolean"}}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "moved", "version": "1"},
        "paths": {
            "/moved": {
                "get": {
                    "operationId": "getMoved",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": ok}},
                        }
                    },
                }
            }
        },
    }
    try:
        spec = tmp_path / "moved.json"
        spec.write_text(json.dumps(document))
        build_into(spec, tmp_path / "moved", name="moved")
        config = ContractConfig(
            tmp_path / "moved", spec=spec, base_url=url, max_examples=1, variants=("sync",)
        )
        report = run_contract(config)
    finally:
        server.shutdown()
        server.server_close()
    assert report.new_failures("client") == []
    assert {f.check for f in report.new_failures("spec")} == {"response_schema_conformance"}


def test_an_operation_documenting_only_a_redirect_passes(tmp_path: Path) -> None:
    """A sweep of the fix above: an operation documenting only `301` (Discourse; Twilio's
    307s, features' http-status-codes) answered by our sandbox with its redirect and the
    target's empty 200 failed every case ("Undocumented status code: 200"), filed as the
    sandbox's. A documented 3xx is the operation's status; the target's is not judged."""
    import json

    from apigen.contract import ContractConfig, run_contract
    from tests.builds import build_into

    document = {
        "openapi": "3.0.3",
        "info": {"title": "moves", "version": "1"},
        "paths": {
            "/t/{id}": {
                "get": {
                    "operationId": "getT",
                    "parameters": [
                        {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {"301": {"description": "to the topic"}},
                }
            }
        },
    }
    spec = tmp_path / "moves.json"
    spec.write_text(json.dumps(document))
    build_into(spec, tmp_path / "moves", name="moves")
    report = run_contract(ContractConfig(tmp_path / "moves", spec=spec, max_examples=2))
    assert report.calls() > 0
    assert report.failures() == []


def test_a_failure_is_named_by_the_check_that_found_it() -> None:
    """The same review: an "Undocumented Content-Type" failure was named `schemathesis` (its
    title matched no key), so a baseline entry written with the documented check name,
    `content_type_conformance`, never matched it."""
    from schemathesis.openapi.checks import JsonSchemaError, UndefinedContentType

    from apigen.contract.checks import _check_name

    wrong = UndefinedContentType(
        operation="GET /x",
        content_type="text/html",
        defined_content_types=["application/json"],
        message="m",
        title="Undocumented Content-Type",
    )
    assert _check_name(wrong) == "content_type_conformance"
    header = JsonSchemaError.__new__(JsonSchemaError)
    header.title = "Response header does not conform to the schema"
    assert _check_name(header) == "response_headers_conformance"
