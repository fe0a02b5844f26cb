"""Webhook signature verification (``apigen_runtime.webhooks``): Stripe's scheme and generic HMAC.

Both raise ``WebhookVerificationError`` on any problem; its message never contains the secret,
the expected signature or the payload. Digests are compared with ``hmac.compare_digest``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Sequence
from typing import Literal

from ._errors import APIError

__all__ = ["WebhookVerificationError", "verify_hmac", "verify_stripe"]


class WebhookVerificationError(APIError):
    """A webhook's signature or timestamp did not verify: do not trust the payload."""


def _bytes(value: bytes | str) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def _check_age(timestamp: float, tolerance: float) -> None:
    if abs(time.time() - timestamp) > tolerance:
        raise WebhookVerificationError(
            f"Webhook timestamp is outside the {tolerance:g} s tolerance (replayed or clock skew)."
        )


def verify_stripe(
    payload: bytes | str, header: str, secret: str, tolerance: float | None = 300
) -> None:
    """Verify a ``Stripe-Signature`` header (``t=<unix time>,v1=<hex>[,v1=<hex>...]``): one
    ``v1`` must be the HMAC-SHA256 of ``"<t>." + payload`` under ``secret``, and ``t`` within
    ``tolerance`` seconds of now (``None`` skips the age check). Pass the raw request body."""
    timestamp: str | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t":
            timestamp = value
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not timestamp.isdigit():
        raise WebhookVerificationError("Webhook signature header has no valid timestamp (t=).")
    if not signatures:
        raise WebhookVerificationError("Webhook signature header has no v1 signature.")
    signed = timestamp.encode("ascii") + b"." + _bytes(payload)
    expected = hmac.new(_bytes(secret), signed, hashlib.sha256).hexdigest().encode("ascii")
    if not any(hmac.compare_digest(expected, s.encode("ascii", "replace")) for s in signatures):
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
    ``timestamp`` and ``tolerance`` (seconds) to reject stale deliveries.
    """
    digest = hmac.new(_bytes(secret), _bytes(payload), algorithm).digest()
    candidates = [signature] if isinstance(signature, str) else list(signature)
    matched = False
    for candidate in candidates:
        if not candidate.startswith(prefix):
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
        except ValueError:
            raise WebhookVerificationError("Webhook timestamp is not a number.") from None
        _check_age(when, tolerance)
