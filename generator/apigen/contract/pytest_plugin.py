"""pytest plugin (entry point `apigen`): test code that uses a generated client against an
in-process sandbox of its spec, and run the contract cases in your own suite.

Configure in pytest.ini / pyproject (`[tool.pytest.ini_options]`), or per test with a marker:

    apigen_spec = openapi.yaml            # the spec (relative to the rootdir)
    apigen_client_dir = clients/petstore  # the generated client folder (with apigen.json)

    @pytest.mark.apigen(spec="other.yaml", client_dir="clients/other")

Fixtures:
    apigen_sandbox       a sandbox on 127.0.0.1, fresh per test: .url, .requests (recorded),
                         .set_response(method, path, status, body), .reset(); requests may
                         carry `Prefer: code=404` to pick a declared response
    apigen_client        the generated sync Client bound to it (dummy credentials)
    apigen_async_client  the AsyncClient bound to it
    apigen_contract      run the contract checks of one operation against the test's sandbox:
                         `apigen_contract("getPet")` returns a RunReport

Parametrize with `contract_operations("clients/petstore")` (operation ids, globs filter).
"""

from __future__ import annotations

import fnmatch
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # the contract stack is imported by the fixtures that use it: a plugin
    # loaded into every pytest run of an environment with apigen (~0.4 s of imports)
    from .client import GeneratedClient
    from .report import RunReport
    from .sandbox import RunningSandbox

__all__ = ["ApigenSettings", "contract_operations"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("apigen_spec", "OpenAPI spec for the apigen_sandbox fixture", default="")
    parser.addini("apigen_client_dir", "generated client folder for apigen_client", default="")
    parser.addini("apigen_seed", "seed of the sandbox's generated data", default="0")
    parser.addini("apigen_ref_root", "folder the spec's relative $refs may read under", default="")


#: the session's rootdir: a relative `contract_operations` folder is read from it, as the ini
#: keys and the marker's paths are (not from wherever pytest was started)
_ROOT: list[Path] = []


def pytest_configure(config: pytest.Config) -> None:
    _ROOT[:] = [Path(str(config.rootpath))]
    config.addinivalue_line(
        "markers",
        "apigen(spec=None, client_dir=None, seed=None, ref_root=None): apigen sandbox/client "
        "settings",
    )


@dataclass(frozen=True)
class ApigenSettings:
    spec: Path | None
    client_dir: Path | None
    seed: int
    ref_root: Path | None = None


def _settings(request: pytest.FixtureRequest) -> ApigenSettings:
    root = Path(str(request.config.rootpath))
    marker = request.node.get_closest_marker("apigen")
    kwargs = dict(marker.kwargs) if marker else {}

    def path(key: str, ini: str) -> Path | None:
        value = kwargs.get(key) or request.config.getini(ini)
        return (root / str(value)).resolve() if value else None

    seed = kwargs.get("seed")
    return ApigenSettings(
        path("spec", "apigen_spec"),
        path("client_dir", "apigen_client_dir"),
        int(seed if seed is not None else request.config.getini("apigen_seed") or 0),
        path("ref_root", "apigen_ref_root"),
    )


def _load(folder: Path) -> GeneratedClient:
    """The generated client in `folder`; a folder that is none fails the test with why."""
    from .client import ClientError, load_client

    try:
        return load_client(folder)
    except ClientError as err:
        pytest.fail(str(err), pytrace=False)


def _spec(settings: ApigenSettings) -> Path:
    from .runner import spec_folders

    if settings.spec is not None:
        if not settings.spec.is_file():
            pytest.fail(f"apigen_spec {settings.spec} does not exist", pytrace=False)
        return settings.spec
    if settings.client_dir is not None:
        found = _load(settings.client_dir).find_spec(
            spec_folders(settings.client_dir), settings.ref_root
        )
        if found is not None:
            return found
    pytest.fail("set the apigen_spec ini option or @pytest.mark.apigen(spec=...)", pytrace=False)


@pytest.fixture
def apigen_sandbox(request: pytest.FixtureRequest) -> Iterator[RunningSandbox]:
    """An in-process sandbox for the configured spec on 127.0.0.1, stopped after the test."""
    from .runner import _loaded
    from .sandbox import start_sandbox

    settings = _settings(request)
    document, _ = _loaded(_spec(settings), settings.ref_root)
    sandbox = start_sandbox(document, seed=settings.seed)
    try:
        yield sandbox
    finally:
        sandbox.stop()


def _client_classes(request: pytest.FixtureRequest) -> tuple[Any, Any, dict[str, str]]:
    settings = _settings(request)
    if settings.client_dir is None:
        pytest.fail(
            "set the apigen_client_dir ini option or @pytest.mark.apigen(client_dir=...)",
            pytrace=False,
        )
    client = _load(settings.client_dir)
    sync_cls, async_cls = client.client_classes()
    return sync_cls, async_cls, client.make_credentials(dummy=True)


@pytest.fixture
def apigen_client(request: pytest.FixtureRequest, apigen_sandbox: RunningSandbox) -> Iterator[Any]:
    """The generated sync client bound to `apigen_sandbox` (no retries)."""
    sync_cls, _, credentials = _client_classes(request)
    client = sync_cls(base_url=apigen_sandbox.url, max_retries=0, **credentials)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
async def apigen_async_client(
    request: pytest.FixtureRequest, apigen_sandbox: RunningSandbox
) -> AsyncIterator[Any]:
    """The generated AsyncClient bound to `apigen_sandbox`: an async fixture, for pytest-asyncio
    in `asyncio_mode = "auto"` or tests marked `@pytest.mark.anyio` (pytest-asyncio's strict
    mode runs only fixtures it decorates itself, and this one must serve anyio too)."""
    _, async_cls, credentials = _client_classes(request)
    client = async_cls(base_url=apigen_sandbox.url, max_retries=0, **credentials)
    try:
        yield client
    finally:
        await client.close()


@pytest.fixture
def apigen_contract(
    request: pytest.FixtureRequest, apigen_sandbox: RunningSandbox
) -> Callable[..., RunReport]:
    """`apigen_contract("getPet", max_examples=5)`: the contract run of the operations matching
    the given ids/globs against this test's sandbox, or against `base_url=` (your API; a
    helper's review: the sandbox was used all the same, and the test passed)."""
    from .runner import ContractConfig, run_contract

    settings = _settings(request)
    spec = _spec(settings)

    def run(*operations: str, max_examples: int = 5, seed: int = 0, **options: Any) -> RunReport:
        if settings.client_dir is None:
            pytest.fail("apigen_contract needs apigen_client_dir", pytrace=False)
        target = {} if options.get("base_url") else {"sandbox_url": apigen_sandbox.url}
        config = ContractConfig(
            client_dir=settings.client_dir,
            spec=spec,
            operations=operations,
            max_examples=max_examples,
            seed=seed,
            **{"ref_root": settings.ref_root, **target, **options},
        )
        return run_contract(config)

    return run


def contract_operations(client_dir: str | Path, *patterns: str) -> list[Any]:
    """Operation ids of the client in `client_dir` (filtered by glob `patterns`) as
    `pytest.param`s, for `@pytest.mark.parametrize("operation", contract_operations(...))`.
    A relative `client_dir` is read from the rootdir, as `apigen_client_dir` is."""
    from .client import load_client

    folder = Path(client_dir)
    if not folder.is_absolute() and _ROOT:
        folder = _ROOT[0] / folder
    client = load_client(folder)
    ids = [
        op.operation_id or op.call  # (one without an `operationId`: every test ran them all)
        for op in client.operations
        if not patterns
        or any(
            fnmatch.fnmatchcase(op.operation_id, p) or fnmatch.fnmatchcase(op.call, p)
            for p in patterns
        )
    ]
    return [pytest.param(i, id=i) for i in ids]
