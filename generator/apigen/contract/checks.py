"""Checks (b) and (c) on one response: it parses STRICTLY into the type the generated method
declares (the runtime's lenient fallback, which logs a warning and returns the data unvalidated,
must not be needed), and schemathesis' own response checks hold."""

from __future__ import annotations

import contextlib
import importlib
import logging
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import pydantic

from ..spec.streams import json_records, sse_data
from .stream_check import DONE

if TYPE_CHECKING:
    from apigen_runtime import Operation

__all__ = ["ResponseProblem", "fallback_warnings", "schemathesis_checks", "strict_parse"]


@dataclass(frozen=True)
class ResponseProblem:
    check: str
    message: str
    # where a strictly parsed JSON body broke the type (pydantic's error locations, by wire
    # names): a whole body only, not a stream's records
    locations: tuple[tuple[str | int, ...], ...] = ()


def strict_parse(op: Operation[Any], response: httpx.Response) -> ResponseProblem | None:
    """The declared type for `response`'s status validated strictly against its JSON body, or
    against each record of a stream (JSON lines, the data of JSON events)."""
    # the runtime of the client `op` belongs to (vendored or shared), not the generator's copy
    runtime = sys.modules[type(op).__module__].__name__
    pick_response = importlib.import_module(f"{runtime}._response").pick_response
    declared = pick_response(op.responses, response.status_code)
    if declared is None or declared.type_ is Any:
        return None
    if response.status_code == 204 or not response.content:
        return None
    documents: list[tuple[str, str | bytes]]
    if declared.kind == "json":
        documents = [("body", response.content)]
    elif declared.kind == "jsonl":
        documents = [(f"record {n}", r) for n, r in enumerate(json_records(response.content), 1)]
    elif declared.kind == "sse" and getattr(declared.type_, "__name__", "") not in _RAW_EVENTS:
        # (an event of empty data is a keep-alive to the runtime when events are JSON)
        data = [d for d in sse_data(response.content) if d]
        data = data[: data.index(DONE)] if DONE in data else data
        documents = [(f"event {n}", d) for n, d in enumerate(data, 1)]
    else:
        return None
    for what, document in documents:
        try:
            declared.adapter().validate_json(document, by_name=False)
        except pydantic.ValidationError as exc:
            errors = exc.errors(include_url=False, include_input=False)
            where = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or '<root>'}: {e['msg']}" for e in errors[:3]
            )
            name = getattr(declared.type_, "__name__", None) or repr(declared.type_)
            return ResponseProblem(
                "strict_parse",
                f"{response.status_code} {what} does not parse into {name} "
                f"({exc.error_count()} errors: {where})",
                tuple(tuple(e["loc"]) for e in errors) if what == "body" else (),
            )
    return None


# An event stream's items that are the data as text, or the raw events: nothing to parse.
_RAW_EVENTS = frozenset({"str", "ServerSentEvent"})


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "unvalidated" in message:
            self.messages.append(message)


@contextlib.contextmanager
def fallback_warnings(logger_name: str = "apigen_runtime") -> Iterator[list[str]]:
    """The runtime's 'returning it unvalidated' warnings logged inside the block (its logger:
    the runtime package's name, `<package>._runtime` when vendored)."""
    handler = _Collect()
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False  # reported as failures instead
    try:
        yield handler.messages
    finally:
        logger.propagate = propagate
        logger.removeHandler(handler)


def schemathesis_checks(case: Any, response: httpx.Response) -> list[ResponseProblem]:
    """schemathesis' status code, content type, headers and body-schema conformance checks."""
    from schemathesis.core.failures import FailureGroup
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [
        status_code_conformance,
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
    ]
    try:
        case.validate_response(response, checks=checks)
    except FailureGroup as group:
        return [
            ResponseProblem(_check_name(f), f"{f.title}: {_one_line(f.message)}")
            for f in group.exceptions
        ]
    except Exception:  # a check that cannot run on this response: the others still can
        problems: list[ResponseProblem] = []
        for check in checks:
            try:
                case.validate_response(response, checks=[check])
            except FailureGroup as group:
                problems.extend(
                    ResponseProblem(_check_name(f), f"{f.title}: {_one_line(f.message)}")
                    for f in group.exceptions
                )
            except Exception as exc:
                problems.append(_crashed(check, exc))
        return problems
    return []


#: how a response header's schema jsonschema-rs cannot compile is reported (see `_crashed`)
INVALID_HEADER_SCHEMA = "InvalidSchema: a response header's"


def _crashed(check: Any, exc: Exception) -> ResponseProblem:
    """A check that raised instead of reporting. A header schema jsonschema-rs cannot compile
    (rust-server's `Success-Info: {schema: {type: String}}`) is an invalid Schema Object, as
    schemathesis' `InvalidSchema` says of a body schema."""
    message = _one_line(str(exc))
    if (
        getattr(check, "__name__", "") == "response_headers_conformance"
        and type(exc).__name__ == "ValidationError"
        and type(exc).__module__.startswith("jsonschema_rs")
    ):
        return ResponseProblem("schemathesis", f"{INVALID_HEADER_SCHEMA}: {message}")
    return ResponseProblem("schemathesis", f"{type(exc).__name__}: {message}")


def _check_name(failure: Any) -> str:
    """The schemathesis check that found `failure`: the failure class names it (`checks`;
    titles such as "Undocumented Content-Type" matched no key, and baselines using the
    documented `content_type_conformance` never matched), else read off its title."""
    named = getattr(type(failure), "checks", None)
    checks = [c for c in named if isinstance(c, str)] if isinstance(named, tuple) else []
    if len(checks) == 1:
        return checks[0]
    title = str(getattr(failure, "title", "")).lower()
    for key, name in (
        ("status code", "status_code_conformance"),
        ("content type", "content_type_conformance"),
        ("content-type", "content_type_conformance"),
        ("header", "response_headers_conformance"),
        ("schema", "response_schema_conformance"),
    ):
        if key in title and (not checks or name in checks):
            return name
    return checks[0] if checks else "schemathesis"


def _one_line(text: str, limit: int = 400) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
