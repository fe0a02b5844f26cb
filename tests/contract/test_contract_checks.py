"""Issue 7 item 1: each check of `apigen contract` finds the bug it is for. The runtime is
sabotaged in-process (monkeypatch) so that a known-bad request or parse reaches the runner."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Required

import httpx
import pydantic
import pytest
from click.testing import CliRunner
from typing_extensions import TypedDict

import apigen_runtime
from apigen.cli import main
from apigen.contract import Baseline, ContractConfig, ContractError, run_contract
from apigen.contract.cases import CaseInput, CaseSource, EdgeValues
from apigen.contract.checks import strict_parse
from apigen.contract.client import load_client, operations_by_id
from apigen.contract.mapping import to_call
from apigen.contract.markdown import contract_markdown
from apigen.contract.report import BaselineError, Failure, OperationResult, RunReport
from apigen.contract.runner import load_document
from apigen.contract.spec import SpecView
from apigen.contract.wire import check_request
from apigen_runtime import Operation
from apigen_runtime import Param as RtParam
from tests.builds import contract_of
from tests.conftest import ROOT

PETSTORE = ROOT / "generated/petstore"
SPEC = ROOT / "specs/petstore.yaml"
BASE = "http://127.0.0.1:9/v1"
KEY = {"X-API-Key": "k"}


@pytest.fixture(scope="module")
def view() -> SpecView:
    return SpecView(load_document(SPEC))


def _problems(
    view: SpecView,
    method: str,
    template: str,
    url: str,
    intended: dict[tuple[str, str], Any],
    **kw: Any,
) -> list[str]:
    headers = {**KEY, **kw.pop("headers", {})}
    request = httpx.Request(method, url, headers=headers, **kw)
    body = (
        json.loads(request.content)
        if request.content and "json" in headers.get("Content-Type", "")
        else None
    )
    return check_request(view, method, template, BASE, request, intended, body, body is not None)


# -- (a) the request on the wire ------------------------------------------------------------------


def test_path_value_must_stay_one_segment(view: SpecView) -> None:
    good = _problems(
        view, "GET", "/owners/{ownerId}", f"{BASE}/owners/a%2Fb", {("path", "ownerId"): "a/b"}
    )
    assert good == []
    split = _problems(
        view, "GET", "/owners/{ownerId}", f"{BASE}/owners/a/b", {("path", "ownerId"): "a/b"}
    )
    assert any("segments" in p for p in split)
    # `..` resolved away by the URL: DELETE /owners instead of /owners/..
    collapsed = _problems(
        view, "GET", "/owners/{ownerId}", f"{BASE}/owners/", {("path", "ownerId"): ".."}
    )
    assert "path segment '' for {ownerId} changes the URL" in collapsed


def test_query_style_and_undeclared_parameters(view: SpecView) -> None:
    intended = {("query", "status"): ["sold", "pending"]}
    assert _problems(view, "GET", "/pets", f"{BASE}/pets?status=sold,pending", intended) == []
    exploded = _problems(view, "GET", "/pets", f"{BASE}/pets?status=sold&status=pending", intended)
    assert any("status" in p for p in exploded)  # explode: false in the spec
    unknown = _problems(view, "GET", "/pets", f"{BASE}/pets?a=1", {})
    assert unknown == ["query parameter 'a' is not declared by the operation"]


def test_json_content_query_parameter_sent_form_style_is_found() -> None:
    view = SpecView(
        {
            "openapi": "3.0.3",
            "paths": {
                "/items": {
                    "get": {
                        "parameters": [
                            {
                                "name": "filter",
                                "in": "query",
                                "content": {"application/json": {"schema": {"type": "object"}}},
                            }
                        ],
                        "responses": {"200": {"description": "ok"}},
                    }
                }
            },
        }
    )
    intended = {("query", "filter"): {"a": 1}}
    form_style = check_request(
        view,
        "GET",
        "/items",
        "http://h",
        httpx.Request("GET", "http://h/items?a=1"),
        intended,
        None,
        False,
    )
    assert "query parameter filter={'a': 1} not sent" in form_style
    assert "query parameter 'a' is not declared by the operation" in form_style
    as_json = httpx.Request("GET", "http://h/items", params={"filter": '{"a":1}'})
    assert check_request(view, "GET", "/items", "http://h", as_json, intended, None, False) == []


def test_credentials_body_media_type_and_schema(view: SpecView) -> None:
    request = httpx.Request("GET", f"{BASE}/pets/1")
    no_key = check_request(
        view, "GET", "/pets/{petId}", BASE, request, {("path", "petId"): 1}, None, False
    )
    assert no_key == ["no credentials sent (the operation needs apiKey)"]
    pet = {"name": "Rex", "kind": "dog"}
    as_form = _problems(view, "POST", "/pets", f"{BASE}/pets", {}, data=pet)
    assert any("declares ['application/json']" in p for p in as_form)
    missing_kind = _problems(
        view,
        "POST",
        "/pets",
        f"{BASE}/pets",
        {},
        json={"name": "Rex"},
        headers={"Content-Type": "application/json"},
    )
    assert any("'kind' is a required property" in p for p in missing_kind)


def test_edge_cases_include_refused_and_tricky_path_values(view: SpecView) -> None:
    base = CaseInput("drawn #1", path={"ownerId": "x"})
    cases = EdgeValues(view, "get", "/owners/{ownerId}").cases(base)
    refused = {c.path["ownerId"] for c in cases if c.expect_value_error}
    assert refused == {".", "..", ""}
    tricky = {c.path["ownerId"] for c in cases if not c.expect_value_error}
    assert {"/", "?", "#", "%", "é/ü"} <= tricky


# -- (b) strict parse -----------------------------------------------------------------------------


def test_strict_parse_reports_what_the_lenient_fallback_would_hide() -> None:
    class Strict(pydantic.BaseModel):
        id: int
        name: str

    op = apigen_runtime.Operation(
        "get", "/x", responses={"200": apigen_runtime.Response(Strict, "json")}
    )
    request = httpx.Request("GET", "http://h/x")
    ok = httpx.Response(200, json={"id": 1, "name": "a"}, request=request)
    assert strict_parse(op, ok) is None
    bad = httpx.Response(200, json={"id": 1, "name": None}, request=request)
    problem = strict_parse(op, bad)
    assert problem is not None and "name: Input should be a valid string" in problem.message


def test_strict_parse_reads_an_event_stream_as_the_runtime_does() -> None:
    """Helper 212: a stream's final line end read as a blank line dispatched an event the
    runtime (rightly) never sees, and a keep-alive's empty `data:` was "not JSON": both filed
    as the client's failures."""

    class Tick(pydantic.BaseModel):
        n: int

    op = apigen_runtime.Operation(
        "get", "/x", responses={"200": apigen_runtime.Response(Tick, "sse")}
    )
    request = httpx.Request("GET", "http://h/x")
    body = b'data: {"n": 1}\n\ndata:\n\ndata: {"n": "unfinished'
    ok = httpx.Response(200, content=body, request=request)
    assert strict_parse(op, ok) is None
    bad = httpx.Response(200, content=b'data: {"n": "x"}\n\n', request=request)
    assert strict_parse(op, bad) is not None


# -- end to end: a sabotaged runtime is caught ----------------------------------------------------


def _run(**kw: Any) -> Any:
    return run_contract(ContractConfig(PETSTORE, spec=SPEC, max_examples=3, **kw))


def _petstore_runtime(submodule: str = "") -> Any:
    """The runtime generated/petstore runs on: its vendored `petstore._runtime`, or the shared
    apigen_runtime. Sabotage goes there, where the client looks."""
    rt = load_client(PETSTORE).runtime
    return importlib.import_module(f"{rt.__name__}.{submodule}") if submodule else rt


def test_runner_finds_a_request_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    client_module = _petstore_runtime("_client")

    original = client_module.prepare

    def leaky(*args: Any, **kwargs: Any) -> Any:
        prepared = original(*args, **kwargs)
        prepared.query.append("debug=1")  # a parameter no operation declares
        return prepared

    monkeypatch.setattr(client_module, "prepare", leaky)
    report = _run(operations=["getPet"])
    found = report.new_failures("client")
    assert found and {f.check for f in found} == {"request"}
    assert {f.variant for f in found} == {"sync", "async"}
    first = found[0]
    assert "query parameter 'debug' is not declared" in first.message
    assert first.python.startswith(("client.pets.get(", "await client.pets.get("))
    assert first.http.startswith("GET http://127.0.0.1:") and "debug=1" in first.http
    assert report.exit_code() == 1


def test_runner_finds_a_dot_segment_that_is_not_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    client_module = _petstore_runtime("_client")

    original = client_module.prepare

    def permissive(op: Any, values: Any, *args: Any, **kwargs: Any) -> Any:
        values = {k: ("dot" if v in (".", "..", "") else v) for k, v in values.items()}
        return original(op, values, *args, **kwargs)

    monkeypatch.setattr(client_module, "prepare", permissive)
    report = _run(operations=["getOwner"], variants=["sync"])
    refusals = [f for f in report.new_failures("client") if f.check == "path_refusal"]
    assert len(refusals) == 3
    assert "was not refused with ValueError" in refusals[0].message


@contextlib.contextmanager
def _misspelt(operation_id: str, wire_name: str, wrong: str) -> Iterator[None]:
    """The operation's constant with one argument's wire name misspelt (in place: the method
    reads the same object the runner does), restored afterwards."""
    client = load_client(PETSTORE)
    constant = client.operation(operations_by_id(client)[operation_id])
    assert constant is not None
    saved = constant.params
    params = tuple(
        dataclasses.replace(p, wire_name=wrong) if p.wire_name == wire_name else p for p in saved
    )
    assert params != saved
    object.__setattr__(constant, "params", params)  # (a frozen record)
    try:
        yield
    finally:
        object.__setattr__(constant, "params", saved)


def test_runner_finds_a_parameter_the_method_sends_under_another_name() -> None:
    """The case is mapped onto arguments by the client's own wire names, so a misspelt optional
    parameter once only left its drawn value unsent, and the run passed."""
    with _misspelt("listPets", "status", "stat"):
        report = _run(operations=["listPets"], variants=["sync"])
    found = [f for f in report.new_failures("client") if f.check == "parameter_mapping"]
    assert len(found) == 1
    assert "query parameter 'status' has no argument" in found[0].message
    assert not [f for f in _run(operations=["listPets"]).failures() if f.klass == "client"]


def test_runner_finds_a_body_property_the_method_sends_under_another_name() -> None:
    """A misspelt field of a flattened body: the drawn property went through `extra_body`, so
    the wire was right and the client's own argument never tested."""
    with _misspelt("createPet", "kind", "knd"):
        report = _run(operations=["createPet"], variants=["sync"])
    found = [f for f in report.new_failures("client") if f.check == "parameter_mapping"]
    assert found and "body properties ['kind'] are declared by the spec" in found[0].message


def test_a_3_0_document_without_paths_is_a_clear_error(tmp_path: Path) -> None:
    spec = tmp_path / "nopaths.yaml"
    spec.write_text("openapi: 3.0.0\ninfo: {title: t, version: '1'}\n")
    source = CaseSource(load_document(spec))  # schemathesis refused it: a traceback
    assert source.operation("get", "/") is None


def test_a_document_nesting_deeper_than_schemathesis_follows_is_a_clear_error(
    tmp_path: Path,
) -> None:
    """400 components, each `allOf: [$ref: next, ...]`: apigen builds it (decisions.md 84), but
    schemathesis's bundler inlines refs recursively: a RecursionError traceback, exit 1."""
    links = {
        f"L{i}": {"allOf": [{"$ref": f"#/components/schemas/L{i + 1}"}, {"maxLength": 8}]}
        for i in range(400)
    }
    links["L400"] = {"type": "string"}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/l": {
                "post": {
                    "operationId": "post",
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/L0"}}
                        }
                    },
                    "responses": {"204": {"description": "none"}},
                }
            }
        },
        "components": {"schemas": links},
    }
    with pytest.raises(ContractError, match="deeper than schemathesis can follow"):
        contract_of(tmp_path, document, "deepchain")


def test_runner_finds_a_model_stricter_than_the_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    client = load_client(PETSTORE)
    op = next(o for o in client.operations if o.operation_id == "health")
    constant = client.operation(op)
    assert constant is not None

    class Impossible(pydantic.BaseModel):
        never_sent: int

    response = _petstore_runtime().Response(Impossible, "json")
    monkeypatch.setitem(constant.responses, "200", response)
    report = _run(operations=["health"], variants=["async"])
    checks = {(f.check, f.klass) for f in report.failures()}
    assert ("strict_parse", "client") in checks


def test_baseline_accepts_known_failures(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    client_module = _petstore_runtime("_client")

    original = client_module.prepare

    def leaky(*args: Any, **kwargs: Any) -> Any:
        prepared = original(*args, **kwargs)
        prepared.query.append("debug=1")
        return prepared

    monkeypatch.setattr(client_module, "prepare", leaky)
    baseline = tmp_path / "baseline.json"
    baseline.write_text(
        json.dumps([{"operation_id": "getPet", "check": "request", "class": "client"}])
    )
    report = _run(operations=["getPet"], baseline=baseline)
    assert report.failures() and not report.new_failures("client")
    assert report.exit_code() == 0
    assert Baseline.load(baseline).entries[0]["operation_id"] == "getPet"


def test_baseline_entry_narrowed_by_message_and_reclassified(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(
        json.dumps(
            [
                {
                    "operation_id": "GetThings",
                    "check": "sandbox_rejected",
                    "class": "spec",
                    "found_as": "sandbox",
                    "message": "missing required query parameter 'q'",
                    "reason": "an empty value is no value",
                }
            ]
        ),
        encoding="utf-8",
    )
    baseline = Baseline.load(path)
    hit = Failure(
        "GetThings",
        "things.list",
        "sandbox_rejected",
        "sandbox",
        "400: missing required query parameter 'q'",
    )
    other = Failure(
        "GetThings",
        "things.list",
        "sandbox_rejected",
        "sandbox",
        "400: unknown query parameter 'x'",
    )
    elsewhere = Failure("GetOther", "other.list", "sandbox_rejected", "sandbox", hit.message)
    report = RunReport("c", "s", "u", 0, 1, ["sync"])
    report.operations.append(OperationResult("GetThings", "things.list", "get", "/things"))
    report.operations[0].failures += [hit, other, elsewhere]
    baseline.apply(report)
    assert (hit.accepted, hit.klass) == (True, "spec")
    assert (other.accepted, other.klass) == (False, "sandbox")
    assert (elsewhere.accepted, elsewhere.klass) == (False, "sandbox")
    saved = RunReport.from_json(report.to_json())
    baseline.apply(saved)  # scripts/contract.py applies it again to the saved report
    assert [(f.accepted, f.klass) for f in saved.failures()] == [
        (True, "spec"),
        (False, "sandbox"),
        (False, "sandbox"),
    ]
    path.write_text(json.dumps([{"operation_id": "*", "check": "*", "class": "oops"}]))
    with pytest.raises(BaselineError):
        Baseline.load(path)


def test_markdown_gives_each_failure_the_reason_of_the_entry_that_accepted_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(
        json.dumps(
            [
                {
                    "operation_id": "*",
                    "check": "sandbox_rejected",
                    "class": "spec",
                    "found_as": "sandbox",
                    "message": "metadata: [",
                    "reason": "REASON-METADATA",
                },
                {
                    "operation_id": "*",
                    "check": "sandbox_rejected",
                    "class": "spec",
                    "found_as": "sandbox",
                    "message": "invalid request body: shipping",
                    "reason": "REASON-FORM",
                },
            ]
        ),
        encoding="utf-8",
    )
    baseline = Baseline.load(path)
    report = RunReport("c", "s", "u", 0, 1, ["sync"])
    report.operations.append(OperationResult("PostThings", "things.create", "post", "/things"))
    report.operations[0].failures += [
        Failure("PostThings", "things.create", "sandbox_rejected", "sandbox", "400: metadata: [x"),
        Failure(
            "PostThings",
            "things.create",
            "sandbox_rejected",
            "sandbox",
            "400: invalid request body: shipping is required",
        ),
        Failure("PostThings", "things.create", "sandbox_rejected", "sandbox", "400: other"),
    ]
    baseline.apply(report)
    text = contract_markdown({"t": report}, baseline, "# Contract", "make contract")
    lines = text.splitlines()
    metadata = next(i for i, line in enumerate(lines) if "REASON-METADATA" in line)
    form = next(i for i, line in enumerate(lines) if "REASON-FORM" in line)
    assert "metadata: [x" in lines[metadata + 1] and "shipping" in lines[form + 1]
    assert "**spec / sandbox_rejected**: 1 in 1" in lines[metadata - 1]
    assert "**spec / sandbox_rejected**: 1 in 1" in lines[form - 1]
    assert any("NOT ACCEPTED" in line and "400: other" in line for line in lines)


class _PagesSource(TypedDict, total=False):
    branch: Required[str]
    when: datetime.datetime


class _PagesBody(TypedDict, total=False):
    cname: str | None
    source: _PagesSource


def _update_pages(*, body: _PagesBody) -> None: ...


def test_mapping_keeps_body_properties_the_typeddict_does_not_declare() -> None:
    # GitHub repos/update-information-about-pages-site: the schema's `anyOf` requires one of
    # five properties, `public` among them though `properties` does not declare it; schemathesis
    # draws {"public": {}} (valid: additional properties are allowed). pydantic's TypedDict
    # validation dropped the key, so the client was called with body={} and blamed for it.
    op: Operation[None] = Operation("put", "/pages", params=(RtParam("body", "body", "body"),))
    call = to_call(CaseInput("drawn #2", body={"public": {}}), op, _update_pages)
    assert call.kwargs["body"] == {"public": {}}
    nested = {"source": {"branch": "b", "x": [1], "when": "2020-01-01T00:00:00Z"}, "y": None}
    body = to_call(CaseInput("drawn", body=nested), op, _update_pages).kwargs["body"]
    assert body["y"] is None and body["source"]["x"] == [1] and body["source"]["branch"] == "b"
    assert isinstance(body["source"]["when"], datetime.datetime)  # still converted


# -- the command ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "junit"])
def test_a_format_without_a_report_file_is_printed(fmt: str) -> None:
    """Helper 229: `--format json` without `--report` printed the text report, the option
    ignored without a word; printed as asked now (as `apigen diff --format json`)."""
    args = ["contract", str(PETSTORE), "--spec", str(SPEC), "--operation", "get*"]
    result = CliRunner().invoke(main, [*args, "--max-examples", "1", "--sync", "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        assert json.loads(result.stdout)["summary"]["operations"] == 2
    else:
        assert result.stdout.startswith("<?xml") and 'tests="2"' in result.stdout


def test_cli_reports_in_every_format(tmp_path: Path) -> None:
    runner = CliRunner()
    for name, check in (
        ("r.json", lambda t: json.loads(t)["summary"]["operations"] == 2),
        ("r.xml", lambda t: t.startswith("<?xml") and 'tests="2"' in t),
        ("r.txt", lambda t: "2 operations" in t),
    ):
        result = runner.invoke(
            main,
            [
                "contract",
                str(PETSTORE),
                "--spec",
                str(SPEC),
                "--operation",
                "get*",
                "--max-examples",
                "2",
                "--sync",
                "--report",
                str(tmp_path / name),
            ],
        )
        assert result.exit_code == 0, result.output
        assert "2 operations" in result.output
        assert check((tmp_path / name).read_text())


def test_a_report_over_the_spec_under_test_is_refused(tmp_path: Path) -> None:
    """Helper 213: `--report petstore.yaml` replaced the spec under test, without a word."""
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(SPEC.read_bytes())
    args = ["contract", str(PETSTORE), "--spec", str(spec), "--report", str(spec)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "is the --spec file" in result.output
    assert spec.read_bytes() == SPEC.read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["contract", "/"], "is not a generated client folder"),
        (
            ["contract", str(PETSTORE), "--spec", str(SPEC), "--operation", "nope"],
            "no operation matches",
        ),
        (["contract", str(PETSTORE), "--base-url", "ftp://x"], "--base-url must be an http(s) URL"),
        (["contract", str(PETSTORE), "--max-examples", "0"], "Invalid value for '--max-examples'"),
        # helper 213: NaN passed the range (it compares false) and meant no budget
        (["contract", str(PETSTORE), "--time-budget", "nan"], "not nan"),
        (["contract", str(PETSTORE), "--mock"], "--mock needs --base-url"),
        (
            ["contract", str(PETSTORE), "--base-url", "http://127.0.0.1:9", "--sandbox-port", "9"],
            "with --base-url there is none",
        ),
        (["contract", str(PETSTORE), "--sandbox-port", "70000"], "--sandbox-port"),
    ],
)
def test_cli_bad_arguments_give_a_message_not_a_traceback(
    args: list[str], message: str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_the_sandbox_runs_on_the_port_given_or_says_why_not(tmp_path: Path) -> None:
    """Helper 219: no way to put the contract run's sandbox on a known port (a CI firewall,
    a proxy in between); a port in use is a message, not `OSError`'s traceback."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = ["contract", str(PETSTORE), "--spec", str(SPEC), "--sandbox-port", str(port)]
        result = CliRunner().invoke(main, [*args, "--operation", "getPet"])
        assert result.exit_code == 2, result.output
        assert f"cannot start the sandbox on 127.0.0.1:{port}" in result.output
        assert "Traceback" not in result.output
    report = tmp_path / "r.json"
    result = CliRunner().invoke(
        main, [*args, "--operation", "getPet", "--max-examples", "1", "--report", str(report)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(report.read_text())["base_url"].startswith(f"http://127.0.0.1:{port}/")


def test_bad_baseline_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "b.json"
    bad.write_text('{"not": "a list"}')
    result = CliRunner().invoke(
        main, ["contract", str(PETSTORE), "--spec", str(SPEC), "--baseline", str(bad)]
    )
    assert result.exit_code == 2 and "must be a JSON list" in result.output


def test_spec_found_by_name_and_hash_or_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the search also looks in ./specs: only the stale copy is there
    client = load_client(PETSTORE)
    digest = client.manifest["spec_sha256"]
    (tmp_path / "petstore.yaml").write_text("openapi: 3.0.3\n")  # same name, other content
    assert client.find_spec([tmp_path]) is None
    assert client.stale_specs == [tmp_path / "petstore.yaml"]
    with pytest.raises(ContractError, match="changed since the client was built"):
        run_contract(ContractConfig(PETSTORE, spec_search=[tmp_path]))
    import hashlib

    original = ROOT / "specs/petstore.yaml"
    if hashlib.sha256(original.read_bytes()).hexdigest() == digest:
        assert client.find_spec([ROOT / "specs"]) == original


def test_api_rejects_unknown_variants() -> None:
    with pytest.raises(ContractError, match="variants"):
        run_contract(ContractConfig(PETSTORE, variants=["threads"]))


def test_tag_filter_and_time_budget() -> None:
    tagged = _run(tags=["own*"], variants=["sync"])
    assert [op.operation_id for op in tagged.operations] == ["getOwner"]
    budget = _run(time_budget=0.01, variants=["sync"])
    assert budget.budget_exhausted
    skipped = [op for op in budget.operations if op.skipped]
    assert skipped and all(op.cases == 0 for op in skipped)
    assert len(budget.operations) == 9  # every operation is listed, run or skipped


def test_an_operation_the_budget_cuts_before_its_first_case_is_not_a_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A helper's sweep: the budget running out while an operation's cases were drawn left it
    "ok, 0 cases" (a pass in JUnit), and the run "budget not exhausted" when it was the last
    operation. It is skipped ("time budget exhausted") and the run says the budget ran out."""
    from apigen.contract import runner

    checks = iter([False])  # in time for the operation, out of time for its first case
    monkeypatch.setattr(runner._Run, "out_of_time", lambda self: next(checks, True))
    report = _run(operations=["getPet"], variants=["sync"])
    (op,) = report.operations
    assert (op.cases, op.skipped) == (0, "time budget exhausted")
    assert report.budget_exhausted


def test_undeclared_status_from_a_real_server_is_a_spec_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from apigen.contract.sandbox import start_sandbox

    sandbox = start_sandbox(load_document(SPEC))
    try:
        sandbox.set_response("GET", "/pets/{petId}", 418, {"teapot": True})
        with pytest.raises(ContractError, match="PETSTORE_API_KEY"):  # a real API: from the env
            _run(operations=["getPet"], variants=["sync"], base_url=sandbox.url)
        monkeypatch.setenv("PETSTORE_API_KEY", "from-the-environment")
        report = _run(operations=["getPet"], variants=["sync"], base_url=sandbox.url)
        assert sandbox.requests[-1].headers["x-api-key"] == "from-the-environment"
    finally:
        sandbox.stop()
    classes = {(f.check, f.klass) for f in report.failures()}
    assert ("status_code_conformance", "spec") in classes  # not ours: the server broke the spec
    assert not report.new_failures("client")


def test_runner_finds_an_operation_sent_to_the_wrong_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Checked offline with the spec's own base URL (Stripe files.create must go to
    # files.stripe.com, GitHub repos.upload_release_asset to uploads.github.com).
    sync_client = _petstore_runtime().SyncAPIClient
    original = sync_client.base_url_for

    def elsewhere(self: Any, op: Any) -> str:
        url = original(self, op)
        return "https://elsewhere.example/v1" if op.operation_id == "getPet" else url

    monkeypatch.setattr(sync_client, "base_url_for", elsewhere)
    report = _run(operations=["getPet", "getOwner"], variants=["async"])
    servers = [f for f in report.new_failures("client") if f.check == "server"]
    assert [f.operation_id for f in servers] == ["getPet"]
    message = servers[0].message
    assert message.startswith("sent to https://elsewhere.example/v1/pets/")
    assert message.endswith("the spec's server for it is https://petstore.apigen.example/v1")


def test_sandbox_rejection_shows_the_refusals_own_message_in_full() -> None:
    # Stripe's 400 body starts with the error object's placeholder fields; cut at 200 characters
    # of body text, the key the sandbox refused (`documents[company_ministe...`) was lost.
    from apigen.contract.runner import _rejection

    reason = "invalid request body: Additional properties are not allowed ('" + "k" * 300 + "')"
    stripe = {"error": {"charge": "charge", "code": "code", "message": reason, "param": "p"}}
    assert _rejection(httpx.Response(400, json=stripe)) == reason
    assert _rejection(httpx.Response(400, json={"message": "Bad", "status": 400})) == "Bad"
    assert _rejection(httpx.Response(400, text="x" * 500)) == "x" * 200
    assert _rejection(httpx.Response(400, json={"error": {"message": "m" * 2000}})).endswith("...")
    # an error schema with no message slot (BeezUP's array of items): the sandbox's header
    array = httpx.Response(400, json=[{"count": 1}], headers={"X-Sandbox-Error": "no userName"})
    assert _rejection(array) == "no userName"


@pytest.mark.parametrize(("version", "required"), [("3.0.3", False), ("3.1.0", True)])
def test_request_check_reads_ref_siblings_by_version(version: str, required: bool) -> None:
    # OpenAPI 3.0 ignores keywords beside a $ref (DigitalOcean's `{$ref, required: [...]}` body),
    # as the IR, schemathesis and the sandbox do; 3.1 applies them
    view = SpecView(
        {
            "openapi": version,
            "components": {
                "schemas": {"T": {"type": "object", "properties": {"ids": {"type": "array"}}}}
            },
        }
    )
    errors = view.errors({"$ref": "#/components/schemas/T", "required": ["ids"]}, {})
    assert bool(errors) is required
    assert view.errors({"$ref": "#/components/schemas/T"}, {"ids": 1})  # the target applies


def test_request_check_resolves_a_ref_into_any_part_of_the_document() -> None:
    # DigitalOcean's create-cluster body points into a path's response
    # (`#/paths/~1v2~1databases/get/.../items`); the check once saw only `components` and called
    # every such body invalid ("schema not usable"), blaming the client
    item = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
    listing = {"type": "array", "items": item}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/dbs": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": listing}},
                        }
                    }
                }
            }
        },
        "x-shared": {"Name": {"type": "string", "maxLength": 3}},
        "type": "array",  # a stray top-level keyword constrains nothing
    }
    view = SpecView(document)
    ref = {"$ref": "#/paths/~1dbs/get/responses/200/content/application~1json/schema/items"}
    assert view.errors(ref, {"id": "a"}) == []
    assert view.errors(ref, {}) == ["<root>: 'id' is a required property"]
    named = {"type": "object", "properties": {"name": {"$ref": "#/x-shared/Name"}}}
    assert view.errors(named, {"name": "abc"}) == []
    assert view.errors(named, {"name": "abcd"})


def test_a_body_of_an_undocumented_media_type_is_the_server_s_fault_not_the_client_s(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Prism answered an unknown route's 404 as `application/problem+json`, where the spec
    documents `application/json` with a required `message`: the client's parse failed, and the
    run blamed the client "though the body conforms to the spec" (schemathesis had validated
    no schema, the media type being undocumented)."""
    from apigen.contract.sandbox import start_sandbox

    monkeypatch.setenv("PETSTORE_API_KEY", "k")
    sandbox = start_sandbox(load_document(SPEC))
    try:
        problem = {"type": "about:blank", "title": "Not Found", "status": 404}
        headers = {"Content-Type": "application/problem+json"}
        sandbox.set_response("GET", "/pets/{petId}", 404, problem, headers)
        report = _run(operations=["getPet"], variants=["sync"], base_url=sandbox.url)
    finally:
        sandbox.stop()
    found = {(f.check, f.klass) for f in report.failures()}
    media = [f for f in report.failures() if "Undocumented Content-Type" in f.message]
    assert media and {f.klass for f in media} == {"spec"}, found  # a real API's fault
    assert ("strict_parse", "client") not in found
    assert not report.new_failures("client")


def test_headers_no_method_takes_by_design_are_not_unmapped(tmp_path: Path) -> None:
    """The mapping check leaves out what the generator leaves out on purpose: AWS's signature
    headers on a signed operation (the signer writes them), the idempotency-key header (the
    `idempotency_key=` option), `Accept`; a misspelt-looking but declared header is mapped."""
    header = {"in": "header", "schema": {"type": "string"}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "signed", "version": "1"},
        "servers": [{"url": "https://example.amazonaws.com"}],
        "components": {
            "securitySchemes": {
                "hmac": {
                    "type": "apiKey",
                    "name": "Authorization",
                    "in": "header",
                    "x-amazon-apigateway-authtype": "awsSigv4",
                }
            }
        },
        "security": [{"hmac": []}],
        "paths": {
            "/things": {
                "post": {
                    "operationId": "CreateThing",
                    "parameters": [
                        {"name": "X-Amz-Date", **header},
                        {"name": "X-Amz-Signature", **header},
                        {"name": "Idempotency-Key", **header},
                        {"name": "Accept", **header},
                        {"name": "X-Trace", **header},
                    ],
                    "responses": {"204": {"description": "made"}},
                }
            }
        },
    }
    report = contract_of(tmp_path, spec, "signed")
    assert report.operations and report.operations[0].cases > 0
    assert [f.message for f in report.failures() if f.check == "parameter_mapping"] == []


def test_a_refusal_of_a_request_the_client_got_wrong_is_the_client_s(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A regression sweep: a client sending no credentials got the sandbox's 401, and that
    undocumented status was filed as the sandbox's, which had been right to refuse it. The
    client's failure is the one reported."""
    auth = _petstore_runtime("_auth")
    monkeypatch.setattr(auth.ApiKey, "apply", lambda self, request, creds: None)
    report = _run(operations=["getOwner"], variants=["sync"])
    failures = report.failures()
    assert any(f.check == "request" and "no credentials" in f.message for f in failures)
    assert not [f for f in failures if f.klass == "sandbox"], [f.message for f in failures]
