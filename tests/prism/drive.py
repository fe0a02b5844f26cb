"""Drive a generated client against Prism and judge each call.

For one `Case` (an operation, the generated method, its arguments, what it should return),
`judge` asserts:

1. Prism (`--errors`) accepted the request: no request violation (`sl-violations` header or a
   problem+json `validation` list), no 4xx. A rejection fails with the violations, the request
   and the tail of Prism's log.
2. The method returned the declared type: a generated model (not a dict, also nested), a page of
   models, str, bytes or None.
3. The spec judges every JSON body (`oracle.body_errors`): a spec-valid body must have parsed
   strictly (the runtime's lenient fallback logs "returning it unvalidated"; needing it for a
   valid body is a client bug).
4. A server/spec defect (Prism's 500 for a response that breaks its own spec, or a body the spec
   rejects) must be listed in `known` with its reason, and a listed defect must show up, so the
   list stays true.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import sys
import typing
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.builds import resolve_call

from .conftest import LENIENT_MARK, PrismServer
from .oracle import body_errors


def runtime_of(package: ModuleType) -> Any:
    """The runtime a generated package runs on: its vendored `<package>._runtime`, or the
    shared apigen_runtime (behind the `_runtime` shim, or imported directly by older builds)."""
    return getattr(package, "_runtime", None) or importlib.import_module("apigen_runtime")


def _is(value: object, *names: str) -> bool:
    """`value` is an instance of a runtime class called one of `names` (from any runtime copy)."""
    return any(
        cls.__name__ in names
        and (cls.__module__.split(".")[0] == "apigen_runtime" or "._runtime" in cls.__module__)
        for cls in type(value).__mro__
    )


@dataclass(frozen=True)
class Case:
    package: str  # the generated package's import name
    operation_id: str
    call: str
    kwargs: Mapping[str, Any]
    #: "Model" / "A|B" (names in `<package>.models`, or `module.Name` in the package),
    #: "page:Model", "str", "bytes" or "None"
    returns: str

    def __str__(self) -> str:
        return self.operation_id


@dataclass
class Exchange:
    method: str
    url: str
    status: int
    content_type: str
    violations: str | None
    body: bytes | None

    def violation_lines(self) -> list[str]:
        """Prism's violations, from the header or a problem+json `validation` list."""
        found: list[str] = []
        items: list[Any] = []
        with contextlib.suppress(ValueError, TypeError):  # the header: a JSON list
            items += json.loads(self.violations or "")
        if self.content_type.startswith("application/problem+json"):
            with contextlib.suppress(ValueError, TypeError, AttributeError):
                items += json.loads(self.body or b"").get("validation") or []
        for item in items:
            where = ".".join(map(str, item.get("location") or []))
            found.append(f"{where}: {item.get('message')} ({item.get('code')})")
        return found

    def __str__(self) -> str:
        text = f"{self.method} {self.url} -> {self.status} {self.content_type}"
        for line in self.violation_lines():
            text += f"\n    violation: {line}"
        if self.status >= 400 and self.body is not None:
            text += f"\n    body: {self.body[:1500]!r}"
        return text


@dataclass
class Recorder:
    """An `after_response` hook keeping every response the client received."""

    exchanges: list[Exchange] = field(default_factory=list)

    def __call__(self, response: httpx.Response) -> None:
        body: bytes | None = None
        with contextlib.suppress(httpx.ResponseNotRead):  # a streamed download is left unread
            body = response.content
        self.exchanges.append(
            Exchange(
                response.request.method,
                str(response.request.url),
                response.status_code,
                response.headers.get("content-type", ""),
                response.headers.get("sl-violations"),
                body,
            )
        )

    def rejected(self) -> list[Exchange]:
        return [e for e in self.exchanges if e.violations or e.status >= 400]


def client_kwargs(
    server: PrismServer, recorder: Recorder, dynamic: bool, package: ModuleType
) -> dict[str, Any]:
    """Constructor arguments binding a generated client to `server`, recording responses."""
    return {
        "base_url": server.url,
        "max_retries": 0,
        "hooks": runtime_of(package).Hooks(after_response=(recorder,)),
        "default_headers": {"Prefer": "dynamic=true"} if dynamic else None,
    }


@contextlib.contextmanager
def lenient_log(caplog: pytest.LogCaptureFixture) -> Iterator[list[str]]:
    """Collects the lenient-fallback warnings logged inside the block."""
    found: list[str] = []
    caplog.clear()
    with caplog.at_level(logging.WARNING):  # every runtime's logger (`<package>._runtime`...)
        yield found
    found += [r.getMessage() for r in caplog.records if LENIENT_MARK in r.getMessage()]


def _expected(package: ModuleType, name: str) -> tuple[type, ...]:
    builtins: dict[str, type] = {"str": str, "bytes": bytes, "None": type(None)}
    found = [builtins.get(n) or _model(package, n) for n in name.split("|")]
    return tuple(typing.get_origin(f) or f for f in found)  # an alias such as list[Item]: list


def untyped(value: Any, where: str = "") -> list[str]:
    """Places where a model holds a dict whose field declares a model (lenient construction)."""
    import pydantic

    if not isinstance(value, pydantic.BaseModel):
        return []
    problems: list[str] = []
    for name, info in type(value).model_fields.items():
        item = getattr(value, name, None)
        declared = str(info.annotation)
        for inner in item if isinstance(item, list) else [item]:
            if isinstance(inner, dict) and "dict" not in declared and "Any" not in declared:
                problems.append(f"{where}{name} is a dict, declared {declared}")
            problems += untyped(inner, f"{where}{name}.")
    return problems


def judge(
    document: Mapping[str, Any],
    server: PrismServer,
    case: Case,
    mode: str,
    outcome: Any,
    recorder: Recorder,
    lenient: list[str],
    known: Mapping[tuple[str, str], str],
) -> list[str]:
    """Problems with the call, as described in the module docstring. `outcome` is the method's
    result or the `APIStatusError` it raised; `known` maps (operation id, mode) to the reason of
    a known server or spec defect, which must then show up (a stale entry is a problem too)."""
    if not recorder.exchanges:
        return ["no request reached Prism"]
    log = f"\n--- Prism log ({server.spec.name}) ---\n{server.log(40)}"
    lines = [line for e in recorder.exchanges for line in e.violation_lines()]
    if any(line.startswith("request") for line in lines) or any(
        400 <= e.status < 500 for e in recorder.exchanges
    ):
        return ["Prism rejected the request:\n  " + "\n  ".join(map(str, recorder.exchanges)) + log]
    defects = [f"Prism flagged its own response: {line}" for line in lines]
    if _is(outcome, "APIStatusError") and not defects:
        return [
            f"{type(outcome).__name__}: {outcome}\n  "
            + "\n  ".join(map(str, recorder.exchanges))
            + log
        ]
    problems: list[str] = []
    if not _is(outcome, "APIStatusError"):
        problems += check_result(case, outcome)
        for exchange in recorder.exchanges:
            media = exchange.content_type.split(";")[0].strip()
            if exchange.body and media.endswith(("/json", "+json")):
                errors = body_errors(document, case.operation_id, exchange.status, exchange.body)
                defects += [f"the body breaks the spec at {e}" for e in errors or []]
        if lenient and not defects:
            problems.append(
                f"a spec-valid body needed the lenient fallback (client bug): {lenient}"
            )
    reason = known.get((case.operation_id, mode))
    if defects and reason is None:
        problems.append(
            "a new server/spec defect (add it to the known list with the reason):\n  "
            + "\n  ".join(defects[:8])
        )
    if reason is not None and not defects:
        problems.append(f"listed as a known defect but none showed up (remove the entry): {reason}")
    return problems


def _model(package: ModuleType, name: str) -> Any:
    """`Name` from `<package>.models`, or `module.path.Name` relative to the package."""
    module, _, attr = name.rpartition(".")
    where = importlib.import_module(f"{package.__name__}.{module}") if module else package.models
    return getattr(where, attr)


def check_result(case: Case, result: Any) -> list[str]:
    """Problems with the returned value's type (empty when it is what the method declares)."""
    package = sys.modules[case.package]
    returns = case.returns
    if returns.startswith("page:"):
        if not _is(result, "SyncPage", "AsyncPage"):
            return [f"returned {type(result).__name__}, expected a page"]
        expected = _expected(package, returns.removeprefix("page:"))
        wrong = [type(i).__name__ for i in result.items if not isinstance(i, expected)]
        problems = [f"page items are {wrong}, expected {returns[5:]}"] if wrong else []
        return problems + [p for i in result.items for p in untyped(i)]
    expected = _expected(package, returns)
    if not isinstance(result, expected):
        return [f"returned {type(result).__name__}, expected {returns}"]
    return untyped(result)


def run_sync(
    package: ModuleType,
    server: PrismServer,
    case: Case,
    caplog: pytest.LogCaptureFixture,
    *,
    dynamic: bool,
    credentials: Mapping[str, str],
) -> tuple[Any, Recorder, list[str]]:
    """(result or the APIStatusError raised, the responses, lenient-fallback warnings)."""
    recorder = Recorder()
    client = package.Client(**client_kwargs(server, recorder, dynamic, package), **credentials)
    outcome: Any
    try:
        with lenient_log(caplog) as lenient:
            try:
                outcome = resolve_call(client, case.call)(**case.kwargs)  # type: ignore[operator]
            except package.APIStatusError as exc:
                outcome = exc
    finally:
        client.close()
    return outcome, recorder, lenient


async def run_async(
    package: ModuleType,
    server: PrismServer,
    case: Case,
    caplog: pytest.LogCaptureFixture,
    *,
    dynamic: bool,
    credentials: Mapping[str, str],
) -> tuple[Any, Recorder, list[str]]:
    """`run_sync` through the AsyncClient."""
    recorder = Recorder()
    client = package.AsyncClient(**client_kwargs(server, recorder, dynamic, package), **credentials)
    outcome: Any
    try:
        with lenient_log(caplog) as lenient:
            method: Callable[..., Awaitable[Any]] = resolve_call(client, case.call)  # type: ignore[assignment]
            try:
                outcome = await method(**case.kwargs)
            except package.APIStatusError as exc:
                outcome = exc
    finally:
        await client.close()
    return outcome, recorder, lenient
