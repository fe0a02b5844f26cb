"""Prism (npm `@stoplight/prism-cli`, pinned in package-lock.json, installed by `make install`)
as a second mock server, independent of our sandbox.

`prism(spec)` starts `prism mock SPEC -h 127.0.0.1 -p PORT --errors --seed ...` on a free port in
its own process group, waits (bounded) until it answers, and returns a `PrismServer`; every server
is stopped by process group at the end of the session. One server per spec serves both modes:
static by default (examples, else values derived from the schema) and dynamic (json-schema-faker,
deterministic for the seed) for requests that send `Prefer: dynamic=true`.

`--errors` makes Prism validate each request (parameters, body, security) against the spec and
answer an invalid one with an error (the declared 4xx response, else application/problem+json
422/404/405/415 with a `validation` list); the violations are also listed in an `sl-violations`
response header. It also validates its own response and answers 500 when the body it would send
breaks the spec (e.g. a spec example that contradicts its schema). See drive.py.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from tests.builds import build_into, on_path
from tests.conftest import ROOT, shared_specs

from .slicing import write_slice

PRISM_BIN = ROOT / "node_modules" / ".bin" / "prism"
#: Seconds Prism may take to listen: petstore and the GitHub slice take 2-4 s here, the whole
#: GitHub spec 10-13 s (more on a loaded machine); Stripe never listens (see docs/prism.md).
START_TIMEOUT = float(os.environ.get("APIGEN_PRISM_START_TIMEOUT", "60"))
STOP_TIMEOUT = 10.0
SEED = "apigen"

#: The fixed GitHub slice: read paths with path/query parameters, JSON bodies, a `oneOf`
#: response (users.get_by_username), a directory/file union (repos.get_content), search, lists.
GITHUB_SLICE = (
    "meta/root",
    "rate-limit/get",
    "users/get-authenticated",
    "users/get-by-username",
    "orgs/get",
    "repos/get",
    "repos/list-for-org",
    "repos/get-content",
    "repos/list-branches",
    "repos/list-commits",
    "repos/list-releases",
    "issues/list-for-repo",
    "issues/get",
    "issues/create",
    "issues/update",
    "issues/list-comments",
    "issues/create-comment",
    "reactions/create-for-issue",
    "pulls/list",
    "pulls/get",
    "search/repos",
    "gists/create",
)

#: The lenient fallback of apigen_runtime._response._validate logs this (and returns the
#: body unvalidated) when a response does not fit the declared type.
LENIENT_MARK = "returning it unvalidated"


@dataclass
class PrismServer:
    spec: Path
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    started_in: float

    def log(self, last: int = 60) -> str:
        """The last `last` lines of Prism's own log (stdout and stderr)."""
        lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(lines[-last:])

    def stop(self) -> None:
        """SIGTERM the process group, SIGKILL it after STOP_TIMEOUT; nothing is left behind."""
        pgid = self.process.pid  # start_new_session: the pid is the group id
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            self.process.wait(STOP_TIMEOUT)
        with contextlib.suppress(ProcessLookupError):  # a child that outlived the leader
            os.killpg(pgid, signal.SIGKILL)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _answers(port: int) -> bool:
    """Whether an HTTP server answers on 127.0.0.1:`port` (any status counts)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/__apigen_readiness_probe__")
        connection.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        connection.close()


def start_prism(spec: Path, workdir: Path, *, timeout: float = START_TIMEOUT) -> PrismServer:
    """Start Prism on `spec` (see the module docstring) and wait until it answers."""
    if not PRISM_BIN.is_file():
        pytest.fail(f"{PRISM_BIN} is missing: run `make install` (npm ci)", pytrace=False)
    spec = spec.resolve()  # Prism runs in `workdir`
    for _attempt in range(3):  # the free port may be taken between our probe and Prism's bind
        server = _launch(spec, workdir)
        if _wait_until_listening(server, timeout):
            return server
    pytest.fail(f"Prism found no free port in 3 attempts:\n{server.log()}", pytrace=False)


def _launch(spec: Path, workdir: Path) -> PrismServer:
    port = free_port()
    log_path = workdir / f"prism-{spec.stem}-{port}.log"
    command = [str(PRISM_BIN), "mock", str(spec), "-h", "127.0.0.1", "-p", str(port)]
    command += ["--errors", "--seed", SEED]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return PrismServer(spec, f"http://127.0.0.1:{port}", process, log_path, 0.0)


def _wait_until_listening(server: PrismServer, timeout: float) -> bool:
    """True once `server` answers; False if its port was taken; fails the test otherwise."""
    began = time.monotonic()
    port = int(server.url.rsplit(":", 1)[1])
    listening = f"Prism is listening on {server.url}"
    while True:
        elapsed = time.monotonic() - began
        if server.process.poll() is not None:
            server.stop()
            if "EADDRINUSE" in server.log():
                return False
            pytest.fail(
                f"Prism exited with {server.process.returncode} before listening on "
                f"{server.spec.name}:\n{server.log()}",
                pytrace=False,
            )
        if listening in server.log_path.read_text(errors="replace") and _answers(port):
            server.started_in = elapsed
            return True
        if elapsed > timeout:
            server.stop()
            pytest.fail(
                f"Prism did not answer on {server.spec.name} within {timeout:.0f} s "
                f"(APIGEN_PRISM_START_TIMEOUT); its log:\n{server.log()}",
                pytrace=False,
            )
        time.sleep(0.2)


class Prism:
    """Session factory: `prism(spec)` -> a running `PrismServer`, one per spec."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.servers: dict[Path, PrismServer] = {}

    def __call__(self, spec: Path) -> PrismServer:
        key = spec.resolve()
        if key not in self.servers:
            self.servers[key] = start_prism(key, self.workdir)
        return self.servers[key]

    def stop_all(self) -> None:
        for server in self.servers.values():
            server.stop()
        self.servers.clear()


@pytest.fixture(scope="session")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prism]:
    factory = Prism(tmp_path_factory.mktemp("prism"))
    try:
        yield factory
    finally:
        factory.stop_all()


@pytest.fixture(scope="session")
def github_slice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """GitHub's spec cut down to GITHUB_SLICE (Prism takes 10-50 s on the whole document)."""
    out = tmp_path_factory.mktemp("github-slice") / "github-slice.json"
    return write_slice(shared_specs() / "github.json", GITHUB_SLICE, out)


@pytest.fixture(scope="session")
def petstore_prism(prism: Prism) -> PrismServer:
    return prism(ROOT / "specs" / "petstore.yaml")


@pytest.fixture(scope="module")
def petstore_prism_own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismServer]:
    """A petstore Prism of its own, for runs whose drawn bodies may crash Prism (a form key
    holding `%` makes its `decodeUriEntities` throw an uncaught URIError; docs/prism.md): the
    session's server stays up for the other tests."""
    server = start_prism((ROOT / "specs" / "petstore.yaml").resolve(), tmp_path_factory.mktemp("p"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def github_prism(prism: Prism, github_slice: Path) -> PrismServer:
    return prism(github_slice)


@pytest.fixture(scope="session")
def petstore_pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The petstore client, freshly generated under a package name no other test uses."""
    out = tmp_path_factory.mktemp("prism-petstore")
    build_into(ROOT / "specs" / "petstore.yaml", out, name="prism_petstore")
    with on_path(out, "prism_petstore") as package:
        yield package


@pytest.fixture(scope="session")
def github_pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client generated from the WHOLE GitHub spec (the server only serves the slice)."""
    out = tmp_path_factory.mktemp("prism-github")
    build_into(shared_specs() / "github.json", out, name="prism_github")
    with on_path(out, "prism_github") as package:
        yield package
