"""AWS Signature Version 4: the request signing of specs AWS publishes (APIs.guru's `hmac`
scheme, `x-amazon-apigateway-authtype: awsSigv4`).

Hand-written rather than botocore's: the signing is ~80 lines of hashlib/hmac, botocore is
14 MB and its own request model. Checked against botocore's signer and AWS's published
`get-vanilla` vector (tests/runtime/test_aws_sigv4.py)."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Callable, Mapping
from urllib.parse import quote, unquote, urlsplit

from ._auth import SecurityScheme
from ._request import Prepared

__all__ = ["AWSSigV4"]

_ALGORITHM = "AWS4-HMAC-SHA256"
# `<service>.<region>.amazonaws.com` (and `.cn`, `<service>-fips.<region>...`, dualstack)
_REGION = re.compile(r"\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?$")
_DEFAULT_REGION = "us-east-1"


class AWSSigV4(SecurityScheme):
    """Signs each request with the caller's AWS keys (`Authorization`, `X-Amz-Date`, and
    `X-Amz-Security-Token` for temporary credentials).

    The region is read from the request's host (`iot.eu-west-1.amazonaws.com`), else
    `region` (a global endpoint, a mock): the key is scoped to it. `service` is the spec's
    signing name (`info.x-aws-signingName`), else the host's first label. A streamed upload
    is signed as `UNSIGNED-PAYLOAD` (S3's convention; other services refuse it)."""

    def __init__(
        self,
        access_key_id: str,
        secret_access_key: str,
        session_token: str | None = None,
        *,
        service: str = "",
        region: str = _DEFAULT_REGION,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.credentials = (access_key_id, secret_access_key)
        self.optional = () if session_token is None else (session_token,)
        self.service = service
        self.region = region
        self.clock = clock

    def apply(self, request: Prepared, creds: Mapping[str, str]) -> None:
        key_id, secret = creds[self.credentials[0]], creds[self.credentials[1]]
        token = creds.get(self.optional[0]) if self.optional else None
        url = urlsplit(request.url)
        host = url.hostname or ""
        service = self.service or host.split(".", 1)[0]
        found = _REGION.search(host)
        region = found.group(1) if found else self.region
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(self.clock()))
        headers = request.headers
        for name in ("authorization", "x-amz-date", "x-amz-security-token"):
            headers.pop(name, None)  # a retry of the call signs anew
        headers["X-Amz-Date"] = stamp
        if token:
            headers["X-Amz-Security-Token"] = token
        content = request.content
        if content is None or isinstance(content, bytes):
            payload = hashlib.sha256(content or b"").hexdigest()
        else:
            payload = "UNSIGNED-PAYLOAD"
        if service == "s3":
            headers["X-Amz-Content-Sha256"] = payload
        signed = {"host": _host(url.netloc, url.scheme)}
        for name, value in headers.items():
            lowered = name.lower()
            if lowered == "content-type" or lowered.startswith("x-amz-"):
                signed[lowered] = " ".join(value.split())
        names = sorted(signed)
        canonical = "\n".join(
            [
                request.method.upper(),
                _canonical_path(url.path, double=service != "s3"),
                _canonical_query([url.query, *request.query]),
                "".join(f"{n}:{signed[n]}\n" for n in names),
                ";".join(names),
                payload,
            ]
        )
        scope = f"{stamp[:8]}/{region}/{service}/aws4_request"
        to_sign = "\n".join(
            [_ALGORITHM, stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()]
        )
        key = ("AWS4" + secret).encode()
        for part in (stamp[:8], region, service, "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        headers["Authorization"] = (
            f"{_ALGORITHM} Credential={key_id}/{scope}, "
            f"SignedHeaders={';'.join(names)}, Signature={signature}"
        )


def _host(netloc: str, scheme: str) -> str:
    """The `Host` header httpx sends: the authority without credentials or a default port."""
    host = netloc.rpartition("@")[2].lower()
    default = {"http": ":80", "https": ":443"}.get(scheme)
    return host[: -len(default)] if default and host.endswith(default) else host


def _canonical_path(path: str, *, double: bool) -> str:
    """The URI as sent (already percent-encoded once), encoded again for every service but S3
    (AWS: "each path segment must be URI-encoded twice"); `.`/`..` segments resolved."""
    segments: list[str] = []
    for segment in (path or "/").split("/")[1:]:
        if segment == "..":
            if segments:
                segments.pop()
        elif segment != ".":
            segments.append(segment)
    normal = "/" + "/".join(segments)
    return quote(normal, safe="/-_.~") if double else normal


def _canonical_query(query: list[str]) -> str:
    """`k=v` pairs decoded, strictly re-encoded (RFC 3986 unreserved characters only), sorted."""
    pairs: list[tuple[str, str]] = []
    for item in query:
        for pair in item.split("&"):
            if pair:
                name, _, value = pair.partition("=")
                pairs.append((_strict(unquote(name)), _strict(unquote(value))))
    return "&".join(f"{n}={v}" for n, v in sorted(pairs))


def _strict(text: str) -> str:
    return quote(text, safe="-_.~")
