"""The command line on a terminal and in a pipe: progress that moves during every stage
(validation included) on a terminal only, and warnings printed as the build finds them."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import apigen.spec
from apigen import cli, pipeline
from apigen.diagnostics import Diagnostic
from apigen.spec import LoadedSpec
from tests.conftest import FIXTURES, ROOT

SPECS = FIXTURES
RECOVERABLE = SPECS / "recoverable.yaml"  # load/IR warnings and validator warnings
PETSTORE = ROOT / "specs" / "petstore.yaml"
STATUS = re.compile(r"\r\x1b\[K([|/\\-]) (.+?) \((\d+)s\)")


def _slow_validation(
    monkeypatch: pytest.MonkeyPatch, seconds: float, before_wait: Callable[[], None]
) -> None:
    """Validation that takes `seconds` longer; `before_wait` runs when the build starts waiting."""
    real = apigen.spec.validate_in_background

    def start(spec: LoadedSpec, **options: Any) -> Callable[[], list[Diagnostic]]:
        wait = real(spec, **options)

        def slow_wait() -> list[Diagnostic]:
            before_wait()
            time.sleep(seconds)
            return wait()

        return slow_wait

    monkeypatch.setattr(apigen.spec, "validate_in_background", start)  # imported when it runs


def test_pipeline_hands_on_each_warning_at_the_end_of_its_stage(tmp_path: Path) -> None:
    events: list[str] = []
    found: list[Diagnostic] = []

    def on_diagnostic(d: Diagnostic) -> None:
        found.append(d)
        events.append(f"warning {d.kind} {d.pointer}")

    result = pipeline.build(
        RECOVERABLE, tmp_path / "out", progress=events.append, on_diagnostic=on_diagnostic
    )
    waiting = events.index("waiting for validation")
    # The generator's own findings (the relative server URL) come before validation ends...
    assert any(e.startswith("warning servers") for e in events[:waiting]), events
    # ...the validator's (a pattern that is not a regex) after it, before anything is written.
    writing = next(i for i, e in enumerate(events) if e.startswith("formatting"))
    assert any(e.startswith("warning pattern") for e in events[waiting:writing]), events
    # Each place and kind once, and the same findings the final report lists.
    keys = [(d.file, d.pointer, d.kind) for d in found]
    assert len(keys) == len(set(keys)) == 6
    assert set(keys) == {(d.file, d.pointer, d.kind) for d in result.report.warnings}
    assert all(d.line is not None for d in found)  # located, as the final report is


def test_piped_warnings_are_printed_while_validation_still_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before_validation_ended: list[str] = []
    _slow_validation(
        monkeypatch, 0.3, lambda: before_validation_ended.append(capsys.readouterr().err)
    )
    cli.main(["build", str(RECOVERABLE), "-o", str(tmp_path / "out")], standalone_mode=False)
    [early] = before_validation_ended
    err = early + capsys.readouterr().err
    assert "#/servers: no `servers`: the default server URL '/' is not absolute" in early
    assert "pattern left out" not in early  # the validator had not answered yet
    lines = err.splitlines()
    warnings = [line for line in lines if ": warning: " in line]
    assert len(warnings) == len(set(warnings)) == 6, err  # each once
    assert lines[-2] == "6 warning(s): 3 default, 2 pattern, 1 servers"  # the summary stays
    assert lines[-1].startswith(f"wrote {tmp_path / 'out'}/out: 1 operations")
    assert "\r" not in err and "\x1b" not in err  # no progress drawn into a pipe


def test_terminal_status_line_moves_while_waiting_for_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "_is_terminal", lambda: True)
    _slow_validation(monkeypatch, 1.0, lambda: None)
    cli.main(["build", str(PETSTORE), "-o", str(tmp_path / "pets")], standalone_mode=False)
    err = capsys.readouterr().err
    stage_at = err.index("waiting for validation\x1b[0m\n")
    written_at = err.index("formatting and writing")
    frames = STATUS.findall(err[stage_at:written_at])
    assert all(stage == "waiting for validation" for _, stage, _ in frames), frames
    assert len(frames) >= 5, frames  # redrawn every 0.1 s during the 1 s wait
    assert len({spin for spin, _, _ in frames}) == 4  # the spinner turns
    assert {seconds for _, _, seconds in frames} >= {"0", "1"}  # and the time counts up
    # Leaving clears the status line: what is left on screen after the last clear is the result.
    shown = err.rsplit("\r\x1b[K", 1)[1]
    assert shown.startswith("wrote ") and shown.count("\n") == 1 and shown.endswith("\n"), shown


def test_quiet_on_a_terminal_draws_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "_is_terminal", lambda: True)
    cli.main(
        ["build", str(RECOVERABLE), "-o", str(tmp_path / "out"), "--quiet"], standalone_mode=False
    )
    assert capsys.readouterr().err == ""


def _run_on_pty(*args: str, env: dict[str, str] | None = None) -> str:
    """`apigen ARGS` with stderr on a pseudo-terminal (a real isatty); what it printed there."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "apigen", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=slave,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=300) == 0
    return b"".join(chunks).decode()


def test_real_terminal_gets_stage_lines_and_a_status_line(tmp_path: Path) -> None:
    err = _run_on_pty("build", str(PETSTORE), "-o", str(tmp_path / "pets"))
    # the first stage line, with the time since the start (how long depends on the machine)
    assert re.search(r"\[ *\d+\.\ds\] loading ", err), err
    stages = {stage for _, stage, _ in STATUS.findall(err)}
    assert any(s.startswith("loading") for s in stages), err
    assert "\r\x1b[Kwrote " in err  # the status line is cleared before the result
    piped = subprocess.run(
        [sys.executable, "-m", "apigen", "build", str(PETSTORE), "-o", str(tmp_path / "p2")],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stderr
    assert piped.startswith("wrote "), piped  # piped: the result only


def test_no_color_and_a_dumb_terminal_are_honoured(tmp_path: Path) -> None:
    """Helper 213: `NO_COLOR=1` and `TERM=dumb` on a terminal still got ANSI colours and a
    status line redrawn with `\\r\\x1b[K` (about 9,000 escapes in a Stripe build)."""
    plain = _run_on_pty("build", str(RECOVERABLE), "-o", str(tmp_path / "a"), env={"NO_COLOR": "1"})
    assert "\x1b[3" not in plain and "warning" in plain  # no colour, the messages all there
    dumb = _run_on_pty("build", str(RECOVERABLE), "-o", str(tmp_path / "b"), env={"TERM": "dumb"})
    assert "\x1b" not in dumb and "\r\x1b[K" not in dumb and "wrote " in dumb


def test_check_prints_each_warning_once_then_the_verdict(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cli.main(["check", str(RECOVERABLE)], standalone_mode=False)
    lines = capsys.readouterr().err.splitlines()
    warnings = [line for line in lines if ": warning: " in line]
    # the IR's findings too (the servers warning), those the validator made not repeated
    assert len(warnings) == len(set(warnings)) == 6, lines
    assert all(re.match(r".*recoverable\.yaml:\d+: warning: ", w) for w in warnings)  # located
    assert lines[-2:] == [
        "6 warning(s): 3 default, 2 pattern, 1 servers",
        f"{RECOVERABLE}: ok (6 warning(s))",
    ]


def test_a_spec_cannot_drive_the_terminal_through_a_warning(tmp_path: Path) -> None:
    """A helper's hostile-input review: a property named `\\x1b[31mRED\\x1b]0;TITLE\\x07` reached
    the terminal raw through the warning that names it (colours, the window title; a newline in
    a key printed a fake `x.yaml: ok` line). Every character a terminal acts on is escaped."""
    import json

    spec = tmp_path / "esc.json"
    odd = "\x1b[31mRED\x1b]0;TITLE\x07\nx.yaml: ok\u202e"
    spec.write_text(
        json.dumps(
            {
                "openapi": "3.0.3",
                "info": {"title": "t", "version": "1"},
                "paths": {},
                "components": {
                    "schemas": {
                        "Pet": {
                            "type": "object",
                            "properties": {odd: {"type": "string", "default": 5}},
                        }
                    }
                },
            }
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "apigen", "check", str(spec)],
        capture_output=True,
        text=True,
        check=False,
    )
    shown = done.stdout + done.stderr
    assert "\\x1b[31mRED" in shown and "\\x07" in shown and "\\u202e" in shown, shown
    assert not any(c in shown for c in "\x1b\x07\u202e")
    assert "\nx.yaml: ok" not in shown
