"""The command line: clear errors, warnings with locations, atomic and deterministic output."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builds import check_generated
from tests.conftest import FIXTURES, ROOT

SPECS = FIXTURES
PETSTORE = ROOT / "specs" / "petstore.yaml"


def apigen(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apigen", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_unresolvable_ref_fails_cleanly_and_keeps_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "petstore"
    assert apigen("build", PETSTORE, "-o", out).returncode == 0
    before = tree_digest(out)
    result = apigen("build", SPECS / "broken-ref.yaml", "-o", out, "--strict")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "broken-ref.yaml" in result.stderr
    assert "#/components/schemas/Missing" in result.stderr
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["petstore"]  # no staging left


def test_not_an_openapi_document(tmp_path: Path) -> None:
    result = apigen("build", SPECS / "not-openapi.yaml", "-o", tmp_path / "x")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "not-openapi.yaml" in result.stderr
    assert not (tmp_path / "x").exists()


def test_a_spec_that_never_ends_is_refused(tmp_path: Path) -> None:
    """A helper's hostile-input review: `apigen check /dev/zero` grew by 1.3 GB a second
    (a URL's fetch is capped, a local file was not). Past the cap: a clear error."""
    from apigen.spec.parse import TooLarge, read_capped

    result = apigen("check", "/dev/zero")
    assert result.returncode != 0 and "larger than" in result.stderr
    assert "Traceback" not in result.stderr
    small = tmp_path / "s.yaml"
    small.write_bytes(b"x" * 11)
    assert read_capped(small, 11) == b"x" * 11
    with pytest.raises(TooLarge):
        read_capped(small, 10)


def test_recoverable_problems_warn_with_locations_and_still_build(tmp_path: Path) -> None:
    out = tmp_path / "recoverable"
    result = apigen("build", SPECS / "recoverable.yaml", "-o", out)
    assert result.returncode == 0, result.stderr
    err = result.stderr
    assert "warning" in err
    assert "recoverable.yaml:" in err
    assert "#/components/schemas/Item/properties/size/default" in err
    assert "pattern" in err
    data = check_generated(out)
    assert [op["call"] for op in data["operations"]] == ["items.list"]


def test_strict_fails_on_recoverable_problems(tmp_path: Path) -> None:
    result = apigen("build", SPECS / "recoverable.yaml", "-o", tmp_path / "r", "--strict")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "r").exists()


def test_check_command(tmp_path: Path) -> None:
    assert apigen("check", PETSTORE).returncode == 0
    bad = apigen("check", SPECS / "broken-ref.yaml", "--strict")
    assert bad.returncode == 1 and "#/components/schemas/Missing" in bad.stderr


def test_check_strict_refuses_what_build_strict_refuses(tmp_path: Path) -> None:
    """A helper's docs check: a valid spec without `servers` passed `check --strict` ("ok (0
    warning(s))") and failed `build --strict` (the IR's "server URL '/' is not absolute"):
    `check` stopped before the IR, so a CI gate on it was weaker than it looked."""
    spec = tmp_path / "nosrv.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n"
        "      operationId: getX\n      responses: {'204': {description: ok}}\n"
    )
    checked = apigen("check", spec, "--strict")
    built = apigen("build", spec, "-o", tmp_path / "out", "--strict")
    assert checked.returncode == built.returncode == 1
    assert "server URL '/' is not absolute" in checked.stderr
    assert "#/servers: no `servers`: the default server URL '/' is not absolute" in built.stderr
    assert apigen("check", spec).returncode == 0


def test_check_survives_a_validator_crashing_as_build_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A helper's hostile specs: properties nested 10,000 deep crashed the Rust meta-schema
    validator, and `apigen check` (validating in its own process) died of SIGSEGV with no
    message, where `build` (validating in a child) warned and went on. `check` validates in a
    child too."""
    import os
    import signal

    from apigen import pipeline
    from apigen.spec import validate

    monkeypatch.setenv("APIGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(validate, "_validate", lambda *a, **k: os.kill(os.getpid(), signal.SIGSEGV))
    report = pipeline.check(PETSTORE)
    assert any("validator process ended without a result" in d.message for d in report.items)


def test_unresolvable_ref_builds_as_any_with_a_located_warning(tmp_path: Path) -> None:
    result = apigen("build", SPECS / "broken-ref.yaml", "-o", tmp_path / "broken")
    assert result.returncode == 0, result.stderr
    assert (
        "broken-ref.yaml:11: warning: #/paths/~1items/get/responses/200/content/application~1json"
        "/schema/$ref: $ref '#/components/schemas/Missing' does not resolve (typed as Any)"
    ) in result.stderr
    assert apigen("check", SPECS / "broken-ref.yaml").returncode == 0


MONOREPO = ROOT / "tests" / "spec" / "specs" / "monorepo"
MONOREPO_PETS = MONOREPO / "services" / "pets" / "openapi.yaml"


def test_ref_leaving_the_spec_folder_needs_ref_root(tmp_path: Path) -> None:
    out = tmp_path / "pets"
    refused = apigen("build", MONOREPO_PETS, "-o", out)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "openapi.yaml:19: error: #/paths/~1pets/get/responses/default/$ref" in refused.stderr
    assert "pass --ref-root DIR" in refused.stderr
    assert not out.exists()
    assert apigen("check", MONOREPO_PETS).returncode == 1

    built = apigen("build", MONOREPO_PETS, "-o", out, "--ref-root", MONOREPO)
    assert built.returncode == 0, built.stderr
    assert "limit" in (out / "pets" / "resources" / "pets.py").read_text()
    assert apigen("check", MONOREPO_PETS, "--ref-root", MONOREPO).returncode == 0

    narrow = apigen("build", MONOREPO_PETS, "-o", tmp_path / "n", "--ref-root", MONOREPO / "common")
    assert narrow.returncode == 1 and "does not contain the spec" in narrow.stderr
    assert "Traceback" not in narrow.stderr


def test_ref_root_help_names_the_config_key() -> None:
    for command in ("build", "check"):
        text = " ".join(apigen(command, "--help").stdout.split())
        assert "--ref-root DIR" in text and "Config key: ref_root" in text


def test_validator_crash_is_a_located_warning_not_an_internal_error(tmp_path: Path) -> None:
    spec = ROOT / "tests" / "spec" / "specs" / "param-without-name.yaml"
    result = apigen("build", spec, "-o", tmp_path / "nameless")
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr
    assert (
        "param-without-name.yaml:9: warning: #/paths/~1items/get/parameters/0: parameter "
        "without 'name': it cannot be sent (parameter left out)"
    ) in result.stderr
    strict = apigen("build", spec, "-o", tmp_path / "strict", "--strict")
    assert strict.returncode == 1 and "internal error" not in strict.stderr
    assert "param-without-name.yaml:9: error: #/paths/~1items/get/parameters/0" in strict.stderr


def test_refuses_to_replace_a_folder_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("precious")
    result = apigen("build", PETSTORE, "-o", out)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (out / "notes.txt").read_text() == "precious"


def test_missing_spec_file_is_a_clear_error(tmp_path: Path) -> None:
    result = apigen("build", tmp_path / "nope.yaml", "-o", tmp_path / "x")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr


def test_same_spec_same_bytes(tmp_path: Path) -> None:
    # --no-cache: two real builds (a build-cache hit would compare a build with its copy)
    apigen("build", PETSTORE, "-o", tmp_path / "a" / "petstore", "--no-cache")
    apigen("build", PETSTORE, "-o", tmp_path / "b" / "petstore", "--no-cache")
    assert tree_digest(tmp_path / "a" / "petstore") == tree_digest(tmp_path / "b" / "petstore")


def test_importing_and_constructing_is_lazy(built: dict[str, Path]) -> None:
    code = (
        "import sys; import github; c = github.Client(); a = github.AsyncClient();"
        "loaded = [m for m in sys.modules if m.startswith('github.')"
        " and not m.startswith('github._runtime')];"  # the runtime, vendored or the shim
        "print(','.join(sorted(loaded)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=built["github"],
        check=True,
        timeout=120,
    ).stdout.strip()
    assert out.split(",") == ["github._client", "github._exceptions"]  # no resource, no model


@pytest.mark.parametrize("name", ["petstore"])
def test_name_option(tmp_path: Path, name: str) -> None:
    result = apigen("build", PETSTORE, "-o", tmp_path / "out", "--name", "my-pets")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "my_pets" / "__init__.py").is_file()


def test_timings_lists_every_stage_with_wall_and_cpu(tmp_path: Path) -> None:
    """`--timings`: where a build's time goes, stage by stage, children's CPU included."""
    done = apigen("build", PETSTORE, "-o", tmp_path / "pets", "--quiet", "--timings", "--no-cache")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    start = lines.index("timings:")
    stages = [line.split()[0] for line in lines[start + 1 :]]
    assert stages[:3] == ["load", "ir", "render"] and "format+write" in stages
    assert stages[-1] == "children"  # validation, compile check and ruff ran as child processes
    cpu = [float(re.search(r"([\d.]+) s CPU", line)[1]) for line in lines[start + 1 :]]  # type: ignore[index]
    assert len(cpu) == len(stages) and sum(cpu) > 0


def test_sigterm_exits_through_the_cleanups(tmp_path: Path) -> None:
    """A helper's hostile-input sweep: SIGTERM (a cancelled CI job, `timeout`) killed a build
    outright and left its hidden `.out.apigen-new-*` staging folder beside the output for good.
    The CLI turns it into an exit that runs every `finally` (exit status 143, as a shell
    reports a SIGTERM)."""
    marker = tmp_path / "cleaned"
    code = (
        "import os, signal, sys; from pathlib import Path\n"
        "from apigen.cli import _exit_on_sigterm\n"
        "_exit_on_sigterm()\n"
        "try:\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    import time; time.sleep(5)\n"
        f"finally:\n    Path({str(marker)!r}).write_text('yes')\n"
    )
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert result.returncode == 143, result.stderr
    assert marker.read_text() == "yes"


def test_main_run_in_process_gives_the_sigterm_handler_back() -> None:
    """A test runner calling `main` in-process kept apigen's handler after the command: a
    SIGTERM to the runner then raised inside whatever test ran."""
    import signal

    from apigen import cli

    seen: list[object] = []
    before = signal.getsignal(signal.SIGTERM)
    real_check = cli.check.callback
    assert real_check is not None

    def check(**kwargs: object) -> None:
        seen.append(signal.getsignal(signal.SIGTERM))  # apigen's, while the command runs
        real_check(**kwargs)

    cli.check.callback = check
    try:
        cli.main(["check", str(PETSTORE), "--quiet"], standalone_mode=False)
    finally:
        cli.check.callback = real_check
    assert seen and seen[0] is not before
    assert signal.getsignal(signal.SIGTERM) is before


def test_sandbox_on_a_port_in_use_is_a_clear_error() -> None:
    """A review: `apigen sandbox` on a taken port printed a traceback (`OSError: [Errno 98]`)."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = apigen("sandbox", PETSTORE, "--port", str(port))
    assert result.returncode == 1, result.stderr
    assert f"apigen: cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_contract_refuses_a_report_it_cannot_write_before_running(tmp_path: Path) -> None:
    """A review: a `--report` into a missing folder failed only after the whole run."""
    report = tmp_path / "missing" / "report.json"
    result = apigen("contract", ROOT / "generated" / "petstore", "--report", report)
    assert result.returncode == 2, result.stderr
    assert f"cannot write {report}: {report.parent} is not a writable folder" in result.stderr
    assert "ok " not in result.stdout and not result.stdout.strip()
    folder = apigen("contract", ROOT / "generated" / "petstore", "--report", tmp_path)
    assert folder.returncode == 2 and "is a directory" in folder.stderr  # (click's own check)


def test_ctrl_c_exits_130(tmp_path: Path) -> None:
    """Helper 176: Ctrl-C during `build` or `generate` printed click's "Aborted!" and exited 1,
    as any failure; 130 is what a shell (and `apigen contract`) reports for it."""
    import subprocess
    import sys

    code = (
        "import os, signal, sys\n"
        # (a background job, CI's, starts with SIGINT ignored: Python then keeps it ignored)
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "from apigen import pipeline\n"
        "from apigen.cli import main\n"
        "def build(*args, **kwargs):\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    import time; time.sleep(5)\n"
        "pipeline.build = build\n"
        f"sys.argv = ['apigen', 'build', {str(PETSTORE)!r}, '-o', {str(tmp_path / 'out')!r}]\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 130, (result.returncode, result.stderr)
    assert "interrupted" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_closed_stderr_is_no_failure(tmp_path: Path, command: str) -> None:
    """Helper 213: started with `2>&-`, `check` and `build` exited 1 without a word and wrote
    nothing (`sys.stderr` is None there)."""
    import os

    args = [str(PETSTORE)] + (["-o", str(tmp_path / "out")] if command == "build" else [])
    result = subprocess.run(
        [sys.executable, "-m", "apigen", command, *args],
        stdout=subprocess.PIPE,
        text=True,
        timeout=300,
        check=False,
        preexec_fn=lambda: os.close(2),
    )
    assert result.returncode == 0
    assert command == "check" or (tmp_path / "out" / "apigen.json").is_file()
