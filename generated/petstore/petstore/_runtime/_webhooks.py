"""Webhook signature verification (``apigen_runtime.webhooks``): Stripe's scheme and generic HMAC.

Both raise ``WebhookVerificationError`` on any problem; its message never contains the secret,
the expected signature or the payload. Digests are compared with ``hmac.compare_digest``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import re
import time
from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast

from ._errors import WebhookVerificationError

__all__ = [
    "WebhookVerificationError",
    "verify_hmac",
    "verify_standard_webhook",
    "verify_stripe",
]


def _bytes(value: object, what: str = "payload") -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    if isinstance(value, memoryview):
        return value.tobytes()
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    raise WebhookVerificationError(
        f"Webhook {what} must be bytes or str, not {type(value).__name__}."
    )


def _text(value: object, what: str) -> str:
    """A header value as text: a missing or non-text value fails verification."""
    if isinstance(value, bytes):
        try:
            value = value.decode("ascii")
        except UnicodeDecodeError:
            raise WebhookVerificationError(f"Webhook {what} is not ASCII.") from None
    if not isinstance(value, str) or not value.strip():
        raise WebhookVerificationError(f"Webhook {what} is missing.")
    return value


_TIMESTAMP = re.compile(r"[0-9]{1,12}")


def _timestamp(value: object) -> int:
    text = _text(value, "timestamp").strip()
    if not _TIMESTAMP.fullmatch(text):
        raise WebhookVerificationError("Webhook timestamp is not a Unix time in seconds.")
    return int(text)


def _key(secret: bytes) -> bytes:
    """The HMAC key; an empty one (an unset environment variable read with a ``""`` default,
    ``"whsec_"``) is the caller's mistake: anyone can sign with it, so every forged delivery
    would pass. ``ValueError``, whatever the request held (as standard-webhooks refuses it)."""
    if not secret:
        raise ValueError("the webhook secret is empty: pass the endpoint's signing secret")
    return secret


def _check_tolerance(tolerance: float | None) -> None:
    """Before any signature is checked (a review: a bad signature got
    `WebhookVerificationError`, a good one this `ValueError`)."""
    if tolerance is not None and not tolerance >= 0:  # NaN: every comparison false, any age
        # passed (fails closed)
        raise ValueError(f"tolerance must be a number of seconds >= 0 or None, not {tolerance!r}")


def _check_age(timestamp: float, tolerance: float) -> None:
    _check_tolerance(tolerance)
    if not math.isfinite(timestamp) or abs(time.time() - timestamp) > tolerance:
        raise WebhookVerificationError(
            f"Webhook timestamp is outside the {tolerance:g} s tolerance (replayed or clock skew)."
        )


def verify_stripe(
    payload: bytes | str, header: str | None, secret: str, tolerance: float | None = 300
) -> None:
    """Verify a ``Stripe-Signature`` header (``t=<unix time>,v1=<hex>[,v1=<hex>...]``): one
    ``v1`` must be the HMAC-SHA256 of ``"<t>." + payload`` under ``secret``, and ``t`` within
    ``tolerance`` seconds of now (``None`` skips the age check). Pass the raw request body."""
    _check_tolerance(tolerance)
    header = _text(header, "signature header")
    timestamp: str | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t":
            timestamp = value
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not _TIMESTAMP.fullmatch(timestamp):
        raise WebhookVerificationError("Webhook signature header has no valid timestamp (t=).")
    if not signatures:
        raise WebhookVerificationError("Webhook signature header has no v1 signature.")
    signed = timestamp.encode("ascii") + b"." + _bytes(payload)
    mac_key = _key(_bytes(secret, "secret"))
    expected = hmac.new(mac_key, signed, hashlib.sha256).hexdigest()
    expected_bytes = expected.encode("ascii")
    if not any(
        hmac.compare_digest(expected_bytes, s.encode("ascii", "replace")) for s in signatures
    ):
        raise WebhookVerificationError("No webhook signature matches the payload.")
    if tolerance is not None:
        _check_age(int(timestamp), tolerance)


def verify_hmac(
    payload: bytes | str,
    signature: str | Sequence[str],
    secret: bytes | str,
    *,
    algorithm: str = "sha256",
    encoding: Literal["hex", "base64"] = "hex",
    prefix: str = "",
    timestamp: float | str | None = None,
    tolerance: float | None = None,
) -> None:
    """Verify that one of ``signature`` is ``prefix`` + the HMAC of ``payload`` (``algorithm``
    from hashlib, ``encoding`` hex or base64) under ``secret``.

    ``payload`` must be exactly the signed bytes. When a provider signs a timestamp too, build
    them yourself (Slack: ``b"v0:" + ts + b":" + body`` with ``prefix="v0="``) and also pass
    ``timestamp`` (and ``tolerance``, seconds: 300 when a timestamp is given, as the other
    verifiers' default) to reject stale deliveries. An ``algorithm``
    hashlib does not have, or another ``encoding``, is the caller's mistake, not the
    delivery's: ``ValueError``, whatever the request held.
    """
    if encoding not in ("hex", "base64"):
        raise ValueError(f"encoding must be 'hex' or 'base64', not {encoding!r}")
    if timestamp is not None and tolerance is None:
        tolerance = 300  # a timestamp given is one to check (it was silently not)
    _check_tolerance(tolerance)
    key, signed = _key(_bytes(secret, "secret")), _bytes(payload)
    try:
        mac = hmac.new(key, signed, algorithm)
    except (ValueError, TypeError) as exc:  # hashlib's "unsupported hash type"
        raise ValueError(f"unknown HMAC algorithm {algorithm!r}") from exc
    digest = mac.digest()
    given = cast(object, signature)  # untyped callers may pass None or bytes
    if given is None or isinstance(given, bytes):
        candidates: list[object] = [_text(given, "signature")]
    else:
        candidates = [signature] if isinstance(signature, str) else list(signature)
    matched = False
    for candidate in candidates:
        if not isinstance(candidate, str) or not candidate.startswith(prefix):
            continue
        text = candidate[len(prefix) :].strip()
        try:
            given = (
                bytes.fromhex(text) if encoding == "hex" else base64.b64decode(text, validate=True)
            )
        except (ValueError, binascii.Error):
            continue
        matched = hmac.compare_digest(digest, given) or matched
    if not matched:
        raise WebhookVerificationError("No webhook signature matches the payload.")
    if tolerance is not None:
        if timestamp is None:
            raise WebhookVerificationError("A tolerance needs the webhook's timestamp.")
        try:
            when = float(timestamp)
        except (TypeError, ValueError):
            raise WebhookVerificationError("Webhook timestamp is not a number.") from None
        _check_age(when, tolerance)


def _header(headers: Mapping[str, str] | Any, name: str) -> object:
    """``headers[name]`` from any mapping (case-insensitive), ``None`` when absent."""
    try:
        value = headers.get(name)
    except AttributeError:
        raise WebhookVerificationError("Webhook headers must be a mapping.") from None
    if value is None and isinstance(headers, Mapping):
        for key, item in cast("Mapping[object, object]", headers).items():
            if isinstance(key, str) and key.lower() == name:
                return item
    return value


def verify_standard_webhook(
    payload: bytes | str,
    headers: Mapping[str, str],
    secret: str | bytes,
    *,
    tolerance: float | None = 300,
) -> None:
    """Verify a Standard Webhooks delivery (standardwebhooks.com, also Svix): ``webhook-id``,
    ``webhook-timestamp`` and ``webhook-signature`` (space-separated ``v1,<base64>`` entries,
    any one may match) over ``"<id>.<timestamp>.<payload>"`` with HMAC-SHA256. ``secret`` is
    the ``whsec_<base64>`` key (raw key bytes are accepted too); the timestamp must be within
    ``tolerance`` seconds of now (``None`` skips the age check, as ``verify_stripe``'s does: it
    raised a ``TypeError`` for a genuine delivery only). Pass the raw request body and its
    headers."""
    _check_tolerance(tolerance)
    # the secret first: a malformed one is the caller's configuration (a ValueError, as an
    # empty one), not a delivery to refuse; it was found only once a delivery had every header
    if isinstance(secret, str):
        text = secret.removeprefix("whsec_")
        try:
            key = base64.b64decode(text, validate=True)
        except (ValueError, binascii.Error):
            raise ValueError(
                "the webhook secret is not a whsec_<base64> key: pass the endpoint's signing"
                " secret as the provider shows it"
            ) from None
    else:
        key = _bytes(secret, "secret")
    key = _key(key)
    msg_id = _text(_header(headers, "webhook-id"), "webhook-id header")
    stamp = _text(_header(headers, "webhook-timestamp"), "webhook-timestamp header")
    header = _text(_header(headers, "webhook-signature"), "webhook-signature header")
    when = _timestamp(stamp)
    try:
        signed = f"{msg_id}.{when}.".encode("ascii") + _bytes(payload)
    except UnicodeEncodeError:
        raise WebhookVerificationError("Webhook id is not ASCII.") from None
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    matched = False
    # (two header lines joined by a proxy or a framework: `v1,<a>, v1,<b>`)
    for entry in header.replace(", ", " ").split():
        version, _, value = entry.partition(",")
        if version != "v1":
            continue
        try:
            given = base64.b64decode(value, validate=True)
        except (ValueError, binascii.Error):
            continue
        matched = hmac.compare_digest(digest, given) or matched
    if not matched:
        raise WebhookVerificationError("No webhook signature matches the payload.")
    if tolerance is not None:
        _check_age(when, tolerance)
