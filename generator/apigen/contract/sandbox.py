"""The one place the contract runner touches the sandbox's API (it is being rebuilt: keep the
coupling here). Starts an in-process sandbox for a document on 127.0.0.1; stopped by handle."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ERROR_HEADER",
    "SPEC_PROBLEM_HEADER",
    "TWIN_KEYS",
    "RunningSandbox",
    "default_status",
    "start_sandbox",
]

#: The header the sandbox sends with a body drawn where the schema admits no valid value.
SPEC_PROBLEM_HEADER = "X-Sandbox-Spec-Problem"
#: Its value starts so when keys sending one path accept the request alike but declare other
#: responses (Box's `/shared_items`, `#folders`, `#web_links`): no body fits them all.
TWIN_KEYS = "keys that take the same requests declare different responses"
#: The header carrying the sandbox's reason for a refusal whose error schema has no place for it.
ERROR_HEADER = "X-Sandbox-Error"


@dataclass
class RunningSandbox:
    url: str
    handle: Any  # apigen.sandbox.Sandbox

    def stop(self) -> None:
        self.handle.stop()

    @property
    def requests(self) -> list[Any]:
        """Recorded requests (method, path, query, headers, body; `.json()`, `.form()`)."""
        return list(self.handle.requests)

    def set_response(
        self,
        method: str,
        path: str,
        status: int,
        body: Any = ...,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer `method path` (a concrete path or a spec template) with `status` from now on;
        `body` left out is the spec's example for that status."""
        self.handle.set_response(method, path, status, body, headers)

    def reset(self) -> None:
        """Forget recorded requests and canned responses."""
        self.handle.reset()


def start_sandbox(document: Mapping[str, Any], seed: int = 0, port: int = 0) -> RunningSandbox:
    from ..sandbox import Sandbox

    sandbox = Sandbox(document, seed=seed)
    url = sandbox.start("127.0.0.1", port)
    return RunningSandbox(url, sandbox)


def default_status(responses: Mapping[str, Any]) -> int | None:
    """The status the sandbox answers a valid request with (lowest 2xx, else `default` as 200,
    else the lowest declared code)."""
    from ..sandbox._responses import status_key

    picked = status_key(responses)
    return None if picked is None else picked[1]
