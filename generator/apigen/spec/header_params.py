"""Header parameters no generated method takes, read alike by the IR, the sandbox and the
contract check.

- `Accept`, `Content-Type` and `Authorization`: OpenAPI 3 says such a parameter definition SHALL
  be ignored (the media types and the security schemes say them).
- The headers HTTP/1.1 frames a message with and the hop-by-hop ones (`Content-Length`,
  `Transfer-Encoding`, `Host`, `Connection`...; RFC 9110 7.6.1, RFC 9112 6): the transport
  writes them from the request itself. A caller's `Content-Length` that disagrees with the body
  desynchronises the connection: the server waits for bytes that never come, or reads the rest
  of the body as the next request on it. Vercel's `PUT /v8/artifacts/{hash}` and
  `POST /v2/files` declare one, a number (`Content-Length: 0.0` dropped the connection).
"""

from __future__ import annotations

__all__ = ["SPEC_IGNORED", "TRANSPORT", "ignored_header", "transport_header"]

SPEC_IGNORED = frozenset({"accept", "content-type", "authorization"})
TRANSPORT = frozenset(
    {
        "connection",
        "content-length",
        "host",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)


def transport_header(name: str) -> bool:
    """Whether a header of this name is the transport's to write (see the module docstring)."""
    return name.strip().lower() in TRANSPORT


def ignored_header(name: str) -> bool:
    """Whether a header parameter of this name is no method's argument (module docstring)."""
    lowered = name.strip().lower()
    return lowered in SPEC_IGNORED or lowered in TRANSPORT
