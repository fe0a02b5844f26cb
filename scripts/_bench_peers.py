"""Peer tools for `scripts/bench.py`: their isolated venv and the command line for each.

The peers live in the bench venv (`.venv-bench`, gitignored; `make bench` creates it from
scripts/bench-requirements.txt with every version pinned, next to apigen installed from this
checkout), so their pins can never change what apigen's dev venv (`.venv`) resolves, and a
benchmark run needs no network access once the venv exists.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV = REPO / ".venv-bench"
VENV_BIN = VENV / "bin"

OPC_PIN = "openapi-python-client==0.29.1"
# If the exact pin cannot be installed, the nearest 0.2x release is used (and printed).
OPC_FALLBACK = "openapi-python-client>=0.20,<0.30"
DCG_REQ = "datamodel-code-generator"  # latest; the installed version is printed and recorded
OPC_DIST = "openapi-python-client"
DCG_DIST = "datamodel-code-generator"

INSTALL_TIMEOUT_S = 900.0
# datamodel-codegen's answer when a spec's schema names imply a package of modules.
DCG_NEEDS_DIR = "Modular references require an output directory"


class PeerSetupError(RuntimeError):
    """The peer venv could not be created or the peers could not be installed."""


@dataclass(frozen=True)
class Command:
    """One tool invocation: argv, extra environment, and where its output lands."""

    argv: list[str]
    env: dict[str, str]
    output: Path
    flags_note: str = ""


def _run_quiet(argv: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)


def installed_version(dist: str) -> str | None:
    """Version of `dist` inside the peer venv, or None when it is not installed."""
    python = VENV_BIN / "python"
    if not python.exists():
        return None
    code = (
        "import importlib.metadata as m, sys\n"
        "try:\n    print(m.version(sys.argv[1]))\n"
        "except m.PackageNotFoundError:\n    sys.exit(3)\n"
    )
    done = _run_quiet([str(python), "-c", code, dist], timeout=60)
    return done.stdout.strip() if done.returncode == 0 else None


def _create_venv() -> None:
    base = shutil.which("python3") or sys.executable
    print(f"bench: creating peer venv {VENV} with {base}", flush=True)
    done = _run_quiet([base, "-m", "venv", str(VENV)], timeout=300)
    if done.returncode != 0:
        raise PeerSetupError(f"python3 -m venv failed:\n{done.stderr}")


def _pip_install(*requirements: str) -> bool:
    print(f"bench: pip install {' '.join(requirements)}", flush=True)
    argv = [str(VENV_BIN / "python"), "-m", "pip", "install", "--quiet", *requirements]
    try:
        done = _run_quiet(argv, timeout=INSTALL_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        print(f"bench: pip timed out after {INSTALL_TIMEOUT_S:.0f}s", file=sys.stderr)
        return False
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        print(f"bench: pip failed ({done.returncode}):\n{tail}", file=sys.stderr)
    return done.returncode == 0


def ensure_peers(want_opc: bool, want_dcg: bool) -> dict[str, str]:
    """Reuse `.venv-bench` (create it, install what is missing); return {dist: version}."""
    if not want_opc and not want_dcg:
        return {}
    if not (VENV_BIN / "python").exists():
        _create_venv()
    versions: dict[str, str] = {}
    if want_opc:
        versions[OPC_DIST] = _ensure_opc()
    if want_dcg:
        versions[DCG_DIST] = _ensure_one(DCG_DIST, DCG_REQ)
    return versions


def _ensure_one(dist: str, requirement: str) -> str:
    have = installed_version(dist)
    if have is None and not _pip_install(requirement):
        raise PeerSetupError(f"cannot install {requirement}")
    have = have or installed_version(dist)
    if have is None:
        raise PeerSetupError(f"{dist} is still not importable after pip install")
    return have


def _ensure_opc() -> str:
    pinned = OPC_PIN.split("==")[1]
    have = installed_version(OPC_DIST)
    if have == pinned:
        return have
    if _pip_install(OPC_PIN):
        return _ensure_one(OPC_DIST, OPC_PIN)
    if have is not None and have.startswith("0.2"):
        print(f"bench: NOTE using installed {OPC_DIST} {have}, not {pinned}", flush=True)
        return have
    got = _ensure_one(OPC_DIST, OPC_FALLBACK)
    print(f"bench: NOTE {OPC_PIN} unavailable; using nearest 0.2x: {got}", flush=True)
    return got


def peer_env() -> dict[str, str]:
    """The peer venv's bin first on PATH: opc's default post-hooks call `ruff` by name."""
    return {"PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}", "VIRTUAL_ENV": str(VENV)}


def opc_command(spec: Path, work: Path) -> Command:
    """Default settings (meta=poetry, post-hooks on), as a new user would run it."""
    out = work / "opc"
    argv = [str(VENV_BIN / "openapi-python-client"), "generate", "--path", str(spec)]
    argv += ["--output-path", str(out), "--overwrite"]
    return Command(argv, peer_env(), out, "defaults (meta poetry, ruff post-hooks)")


def dcg_command(spec: Path, work: Path, *, to_dir: bool) -> Command:
    """Models only, no formatter (`--no-formatters`), pydantic v2 output.

    `to_dir` is for specs whose schema names force a package of modules; datamodel-codegen
    refuses a single output file for those (see DCG_NEEDS_DIR).
    """
    out = work / ("dcg" if to_dir else "dcg.py")
    argv = [str(VENV_BIN / "datamodel-codegen"), "--input", str(spec)]
    argv += ["--input-file-type", "openapi", "--output", str(out)]
    argv += ["--output-model-type", "pydantic_v2.BaseModel", "--no-formatters"]
    note = "--no-formatters" + (", output dir (modular refs)" if to_dir else "")
    return Command(argv, peer_env(), out, note)
