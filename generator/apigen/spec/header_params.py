"""Header parameters no generated method takes, read alike by the IR, the sandbox and the
contract check.

- `Accept`, `Content-Type` and `Authorization`: OpenAPI 3 says such a parameter definition SHALL
  be ignored (the media types and the security schemes say them).
- On an operation signed with AWS Signature Version 4 (APIs.guru's `hmac` scheme,
  `x-amazon-apigateway-authtype: awsSigv4`), the signature's own headers (`X-Amz-Date`,
  `X-Amz-Signature`...), declared beside it on every operation: the signer writes them.
- The headers HTTP/1.1 frames a message with and the hop-by-hop ones (`Content-Length`,
  `Transfer-Encoding`, `Host`, `Connection`...; RFC 9110 7.6.1, RFC 9112 6): the transport
  writes them from the request itself. A caller's `Content-Length` that disagrees with the body
  desynchronises the connection: the server waits for bytes that never come, or reads the rest
  of the body as the next request on it. Vercel's `PUT /v8/artifacts/{hash}` and
  `POST /v2/files` declare one, a number (`Content-Length: 0.0` dropped the connection).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = [
    "AWS_SIGNATURE",
    "HTTP_TOKEN",
    "SPEC_IGNORED",
    "SWAGGER2_ARGUMENT",
    "TRANSPORT",
    "aws_signed",
    "ignored_header",
    "transport_header",
]

#: RFC 9110's `token`: what a header field name (and a method) may be on the wire.
HTTP_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")

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


#: Set by the Swagger 2.0 upgrade on an `Authorization` header parameter: 2.0 has no rule
#: ignoring it (APIs without `securityDefinitions` declare their token so), and it stays the
#: method's argument (it was dropped, and the request went out without it: a 401).
SWAGGER2_ARGUMENT = "x-apigen-swagger2-argument"


def ignored_header(name: str, param: Mapping[str, object] | None = None) -> bool:
    """Whether a header parameter of this name is no method's argument (module docstring);
    `param`, the parameter itself: a Swagger 2.0 `Authorization` is kept."""
    lowered = name.strip().lower()
    if lowered == "authorization" and param is not None and param.get(SWAGGER2_ARGUMENT) is True:
        return False
    return lowered in SPEC_IGNORED or lowered in TRANSPORT


# What APIs.guru's AWS specs declare on every operation beside the `hmac` scheme: the
# signature's own headers (and presigned URLs' fields), which `AWSSigV4` sets or never uses
AWS_SIGNATURE = frozenset(
    {
        "x-amz-algorithm",
        "x-amz-content-sha256",
        "x-amz-credential",
        "x-amz-date",
        "x-amz-security-token",
        "x-amz-signature",
        "x-amz-signedheaders",
    }
)
AWS_AUTHTYPE = "x-amazon-apigateway-authtype"


def aws_signed(scheme: object) -> bool:
    """Whether a security scheme object is AWS Signature Version 4 (an `apiKey` scheme marked
    `x-amazon-apigateway-authtype: awsSigv4`)."""
    return (
        isinstance(scheme, Mapping)
        and str(scheme.get("type", "")).lower() == "apikey"
        and str(scheme.get(AWS_AUTHTYPE, "")).lower() == "awssigv4"
    )
