"""What the request path derives from an ``Operation`` alone, computed on its first call and
kept with it: the per-call work is then only what depends on the arguments."""

from __future__ import annotations

from typing import Any

from ._operation import Kind, Operation, Param, Response, success_responses
from ._record import Struct

__all__ = ["Plan", "plan"]

_KEY = "_apigen_plan"


class Plan(Struct):
    """``op``'s constants: whether a 2xx is JSON (``Accept``) or a stream of records (``sse``:
    server-sent events, ``jsonl``: JSON Lines / ``json-seq``), its header parameters, the
    parameters the client's keywords fill (``client_params``) and (filled as statuses are seen)
    the declared response per status code."""

    __slots__ = ("accepts_json", "by_status", "client_params", "header_params", "stream")
    __match_args__ = ("accepts_json", "stream", "header_params", "by_status", "client_params")

    def __init__(
        self,
        accepts_json: bool,
        stream: Kind | None,
        header_params: tuple[Param, ...],
        by_status: dict[int, Response | None] | None = None,
        client_params: tuple[Param, ...] = (),
    ) -> None:
        self.accepts_json = accepts_json
        self.stream = stream
        self.header_params = header_params
        self.by_status: dict[int, Response | None] = {} if by_status is None else by_status
        self.client_params = client_params


def plan(op: Operation[Any]) -> Plan:
    """``op``'s ``Plan``, built on first use. Operations are frozen, so it never goes stale; it
    is stored in the operation's ``__dict__`` (a lookup, no hashing of the operation)."""
    attrs: dict[str, Any] | None = getattr(op, "__dict__", None)
    found: Plan | None = attrs.get(_KEY) if attrs is not None else None
    if found is None:
        success = [r.kind for _code, r in success_responses(op.responses)]
        found = Plan(
            accepts_json="json" in success,
            stream="sse" if "sse" in success else "jsonl" if "jsonl" in success else None,
            header_params=tuple(p for p in op.params if p.location == "header"),
            client_params=tuple(p for p in op.params if p.client),
        )
        if attrs is not None:
            attrs[_KEY] = found
    return found
