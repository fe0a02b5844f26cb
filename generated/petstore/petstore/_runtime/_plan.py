"""What the request path derives from an ``Operation`` alone, computed on its first call and
kept with it: the per-call work is then only what depends on the arguments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._operation import Operation, Param, Response

__all__ = ["Plan", "plan"]

_KEY = "_apigen_plan"


@dataclass(slots=True)
class Plan:
    """``op``'s constants: whether a 2xx is JSON (``Accept``) or an event stream, its header
    parameters, and (filled as statuses are seen) the declared response per status code."""

    accepts_json: bool
    sse: bool
    header_params: tuple[Param, ...]
    by_status: dict[int, Response | None] = field(default_factory=dict[int, "Response | None"])


def plan(op: Operation[Any]) -> Plan:
    """``op``'s ``Plan``, built on first use. Operations are frozen, so it never goes stale; it
    is stored in the operation's ``__dict__`` (a lookup, no hashing of the operation)."""
    attrs: dict[str, Any] | None = getattr(op, "__dict__", None)
    found: Plan | None = attrs.get(_KEY) if attrs is not None else None
    if found is None:
        success = [r.kind for code, r in op.responses.items() if code.startswith("2")]
        found = Plan(
            accepts_json="json" in success,
            sse="sse" in success,
            header_params=tuple(p for p in op.params if p.location == "header"),
        )
        if attrs is not None:
            attrs[_KEY] = found
    return found
