"""`apigen contract` stopped by Ctrl-C, and baseline entries that no longer match.

A long run (a whole provider, minutes) interrupted lost its whole report and exited 1, as a
run with a failure does; a baseline entry whose failure had been fixed stayed silently, ready
to accept the failure should it come back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from apigen.cli import main
from apigen.contract import runner
from apigen.contract.report import Baseline, Failure, OperationResult, RunReport
from tests.conftest import ROOT

PETSTORE = ROOT / "generated/petstore"
SPEC = ROOT / "specs/petstore.yaml"


def _contract(tmp_path: Path, *extra: str, both: bool = False) -> tuple[int, str, dict[str, Any]]:
    report = tmp_path / "report.json"
    args = ["contract", str(PETSTORE), "--spec", str(SPEC)]
    args += ["--max-examples", "1", *([] if both else ["--sync"]), "--report", str(report)]
    args += extra
    result = CliRunner().invoke(main, args)
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output, json.loads(report.read_text())


def test_ctrl_c_keeps_what_was_checked_and_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = runner._Run._operation
    calls: list[str] = []

    def second_interrupted(self: Any, op: Any, *args: Any) -> Any:
        calls.append(op.operation_id)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return original(self, op, *args)

    monkeypatch.setattr(runner._Run, "_operation", second_interrupted)
    code, output, data = _contract(tmp_path, "--operation", "health", "--operation", "get*")
    assert code == 130
    assert data["interrupted"] is True and "[interrupted]" in output
    first, second, *rest = data["operations"]
    assert first["operation_id"] == calls[0] and first["cases"] > 0 and not first["skipped"]
    assert second["operation_id"] == calls[1] and second["skipped"] == "interrupted"
    assert rest and all(op["skipped"] == "interrupted" for op in rest)
    again = RunReport.from_json(data)
    assert again.interrupted and again.exit_code() == 130


def test_ctrl_c_before_any_operation_is_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(config: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_contract", interrupted)
    args = ["contract", str(PETSTORE), "--spec", str(SPEC), "--sync"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 130
    assert "interrupted; no report" in result.output and "Traceback" not in result.output


def test_a_baseline_entry_that_matches_nothing_is_pointed_out(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    stale = {"operation_id": "getPet", "check": "status", "class": "client", "reason": "old"}
    elsewhere = {"operation_id": "deletePet", "check": "*", "class": "client", "reason": "?"}
    baseline.write_text(json.dumps([stale, elsewhere]))
    everywhere = {"operation_id": "*", "check": "parse", "class": "client", "reason": "?"}
    baseline.write_text(json.dumps([stale, elsewhere, everywhere]))
    code, output, _ = _contract(
        tmp_path, "--operation", "get*", "--baseline", str(baseline), both=True
    )
    assert code == 0, output
    assert "baseline entry getPet status [client] matched no failure" in output
    assert "deletePet" not in output  # not run (--operation get*): nothing to say of it
    assert "baseline entry * parse" not in output  # nor of `*`: not every operation ran


def test_unused_entries_are_judged_on_operations_that_ran() -> None:
    report = RunReport("c", "s", "u", 0, 1, ["sync", "async"])
    ran = OperationResult("a", "a.get", "get", "/a", cases=1, calls=1)
    ran.failures.append(Failure("a", "a.get", "status", "client", "500"))
    report.operations += [ran, OperationResult("b", "b.get", "get", "/b", skipped="interrupted")]
    entries = [
        {"operation_id": "a", "check": "status", "class": "client"},  # used
        {"operation_id": "a", "check": "parse", "class": "client"},  # unused
        {"operation_id": "b", "check": "parse", "class": "client"},  # b not checked
        {"operation_id": "*", "check": "parse", "class": "client"},  # unused: all ran
    ]
    baseline = Baseline(entries)
    assert baseline.unused(report) == [entries[1], entries[3]]
    assert baseline.unused(report, selected=True) == [entries[1]]  # --operation, --tag
    report.interrupted = True  # not every operation ran: a `*` entry cannot be judged
    assert baseline.unused(report) == [entries[1]]
    report.variants = ["sync"]  # a failure of the async calls would not show
    assert baseline.unused(report) == []
