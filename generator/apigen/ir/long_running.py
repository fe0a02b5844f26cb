"""Which operations are long-running, and how they finish (`OperationDef.long_running`).

- Detected: a `202` response that declares a `Location` header (the HTTP protocol: poll that
  URL until it stops answering 202) or an `Operation-Location` one (Microsoft's: poll it until
  its `status` is terminal; its body is the result).
- Declared in the spec: `x-apigen-long-running: {status_field, done, failed, poll}` on the
  operation (`false` turns detection off).
- Configured: `long_running` in apigen.toml, keyed by operationId or `METHOD /path` (wins).
- Azure's `x-ms-long-running-operation: true` (AutoRest): its own protocol (`Azure-AsyncOperation`
  monitors, `provisioningState`), its result where `x-ms-long-running-operation-options`'
  `final-state-via` says.

The final result is typed as the operation's own 200/201 response when it declares one (what the
resource looks like once done), else its 202 body, else `Any`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..diagnostics import Report
from .nodes import ANY, LongRunningDef, OperationDef

EXTENSION = "x-apigen-long-running"
AZURE = "x-ms-long-running-operation"
_MONITOR_HEADERS = ("location", "operation-location")
_FINAL_STATES = ("azure-async-operation", "location", "original-uri", "operation-location")


def assign(
    op: OperationDef,
    node: Mapping[str, Any],
    configured: Mapping[str, Any] | None,
    report: Report,
    file: str,
) -> None:
    raw = configured if configured is not None else node.get(EXTENSION)
    if raw is False:
        return
    if isinstance(raw, Mapping):
        lro = _from_settings(op, raw, report, file)
    elif node.get(AZURE) is True:
        lro = LongRunningDef(final=_final_state(node))
    elif "operation-location" in _monitors(node):
        # Microsoft's guidelines (Cognitive Services...): the monitor answers 200 with a
        # `status` (notStarted, running, succeeded, failed): polled as Azure's protocol reads
        # it (a 200 "running" was returned as the result), its body the result
        lro = LongRunningDef(final="operation-location")
    elif _monitors(node):
        lro = LongRunningDef()
    else:
        return
    if lro is None:
        return
    for status in ("200", "201", "202"):
        found = next((r for r in op.responses if r.status == status and r.kind == "json"), None)
        if found is not None:
            lro.result_status, lro.result = status, found.type
            break
    else:
        lro.result = ANY
    op.long_running = lro


def _final_state(node: Mapping[str, Any]) -> str:
    """`x-ms-long-running-operation-options.final-state-via`, or "" (the method's default)."""
    options = node.get(AZURE + "-options")
    via = options.get("final-state-via") if isinstance(options, Mapping) else None
    return via if via in _FINAL_STATES else ""


def _monitors(node: Mapping[str, Any]) -> set[str]:
    """The monitor headers (lower case) the operation's 202 declares."""
    responses = node.get("responses")
    accepted = responses.get("202") if isinstance(responses, Mapping) else None
    headers = accepted.get("headers") if isinstance(accepted, Mapping) else None
    if not isinstance(headers, Mapping):
        return set()
    return {str(name).lower() for name in headers} & set(_MONITOR_HEADERS)


def _from_settings(
    op: OperationDef, raw: Mapping[str, Any], report: Report, file: str
) -> LongRunningDef | None:
    def strings(key: str) -> tuple[str, ...]:
        value = raw.get(key, ())
        return tuple(str(v) for v in value) if isinstance(value, list | tuple) else ()

    field = raw.get("status_field")
    poll = raw.get("poll")
    lro = LongRunningDef(
        status_field=str(field) if isinstance(field, str) and field else None,
        done=strings("done"),
        failed=strings("failed"),
        poll=str(poll) if isinstance(poll, str) and poll else None,
    )
    if lro.status_field and not lro.done:
        report.warn(
            file,
            op.pointer + "/" + EXTENSION,
            "a long-running status field needs its terminal `done` values",
            kind="long-running",
            action="not treated as long-running",
        )
        return None
    return lro
