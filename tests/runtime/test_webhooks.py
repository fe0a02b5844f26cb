"""Webhook signatures, checked against HMACs computed here independently."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest

import apigen_runtime as rt
from apigen_runtime.webhooks import verify_hmac, verify_stripe

SECRET = "whsec_test_secret_value"
PAYLOAD = b'{"id":"evt_1","type":"charge.succeeded"}'


def stripe_header(payload: bytes, secret: str, timestamp: int, *extra: str) -> str:
    signed = f"{timestamp}.".encode() + payload
    sig = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return ",".join([f"t={timestamp}", *extra, f"v1={sig}", "v0=ignored"])


def test_stripe_accepts_a_valid_signature() -> None:
    now = int(time.time())
    verify_stripe(PAYLOAD, stripe_header(PAYLOAD, SECRET, now), SECRET)
    verify_stripe(PAYLOAD.decode(), stripe_header(PAYLOAD, SECRET, now), SECRET)  # str body


def test_stripe_accepts_any_of_several_v1_signatures() -> None:
    """During secret rotation Stripe signs with both secrets."""
    now = int(time.time())
    header = stripe_header(PAYLOAD, SECRET, now, "v1=" + "ab" * 32)
    verify_stripe(PAYLOAD, header, SECRET)
    old = stripe_header(PAYLOAD, "whsec_old", now)
    verify_stripe(PAYLOAD, old + "," + header.split(",", 1)[1], SECRET)


@pytest.mark.parametrize(
    ("payload", "header", "match"),
    [
        (PAYLOAD + b" ", None, "No webhook signature matches"),  # body altered
        (PAYLOAD, "t=abc,v1=00", "timestamp"),
        (PAYLOAD, "v1=00", "timestamp"),
        (PAYLOAD, "t=123", "no v1"),
        (PAYLOAD, "garbage", "timestamp"),
    ],
)
def test_stripe_rejects(payload: bytes, header: str | None, match: str) -> None:
    header = header or stripe_header(PAYLOAD, SECRET, int(time.time()))
    with pytest.raises(rt.WebhookVerificationError, match=match) as info:
        verify_stripe(payload, header, SECRET)
    assert SECRET not in str(info.value)
    assert isinstance(info.value, rt.APIError)


def test_stripe_wrong_secret() -> None:
    header = stripe_header(PAYLOAD, SECRET, int(time.time()))
    with pytest.raises(rt.WebhookVerificationError):
        verify_stripe(PAYLOAD, header, "whsec_other")


def test_stripe_timestamp_tolerance() -> None:
    old = int(time.time()) - 301
    with pytest.raises(rt.WebhookVerificationError, match="tolerance"):
        verify_stripe(PAYLOAD, stripe_header(PAYLOAD, SECRET, old), SECRET)
    future = int(time.time()) + 600
    with pytest.raises(rt.WebhookVerificationError, match="tolerance"):
        verify_stripe(PAYLOAD, stripe_header(PAYLOAD, SECRET, future), SECRET)
    verify_stripe(PAYLOAD, stripe_header(PAYLOAD, SECRET, old), SECRET, tolerance=600)
    verify_stripe(PAYLOAD, stripe_header(PAYLOAD, SECRET, 1), SECRET, tolerance=None)
    # a helper's review: a NaN tolerance passed an 11-day-old delivery (fails closed now)
    ancient = int(time.time()) - 11 * 86400
    for bad in (float("nan"), -1.0):
        with pytest.raises(ValueError, match="tolerance must be"):
            verify_stripe(PAYLOAD, stripe_header(PAYLOAD, SECRET, ancient), SECRET, tolerance=bad)
        # said before any signature is checked (a review: a bad one was refused instead)
        with pytest.raises(ValueError, match="tolerance must be"):
            verify_stripe(PAYLOAD, stripe_header(PAYLOAD, "other", ancient), SECRET, tolerance=bad)
        with pytest.raises(ValueError, match="tolerance must be"):
            verify_hmac(PAYLOAD, "00", SECRET, timestamp=1, tolerance=bad)


def test_hmac_hex_with_prefix_github_style() -> None:
    sig = "sha256=" + hmac.new(b"gh-secret", PAYLOAD, hashlib.sha256).hexdigest()
    verify_hmac(PAYLOAD, sig, "gh-secret", prefix="sha256=")
    verify_hmac(PAYLOAD, sig.upper().replace("SHA256=", "sha256="), "gh-secret", prefix="sha256=")
    with pytest.raises(rt.WebhookVerificationError):
        verify_hmac(PAYLOAD, sig, "gh-secret")  # prefix not stripped: no match
    with pytest.raises(rt.WebhookVerificationError):
        verify_hmac(PAYLOAD, sig, "other", prefix="sha256=")


def test_hmac_base64_and_other_algorithms() -> None:
    sig = base64.b64encode(hmac.new(b"k", PAYLOAD, hashlib.sha1).digest()).decode()
    verify_hmac(PAYLOAD, sig, b"k", algorithm="sha1", encoding="base64")
    with pytest.raises(rt.WebhookVerificationError):
        verify_hmac(PAYLOAD, sig, b"k", algorithm="sha256", encoding="base64")
    with pytest.raises(rt.WebhookVerificationError):
        verify_hmac(PAYLOAD, "not base64!", b"k", algorithm="sha1", encoding="base64")


def test_hmac_settings_the_caller_got_wrong_are_a_value_error() -> None:
    """An algorithm hashlib lacks, or an encoding other than hex/base64 (once read as base64
    without a word), is the caller's mistake whatever the delivery held: `ValueError`."""
    sig = hmac.new(b"k", PAYLOAD, hashlib.sha256).hexdigest()
    with pytest.raises(ValueError, match="unknown HMAC algorithm 'nope'"):
        verify_hmac(PAYLOAD, sig, b"k", algorithm="nope")
    with pytest.raises(ValueError, match="encoding must be"):
        verify_hmac(PAYLOAD, sig, b"k", encoding="b64")  # type: ignore[arg-type]


def test_hmac_several_signatures_standard_webhooks_style() -> None:
    key = b"standard-secret"
    signed = b"msg_1.1700000000." + PAYLOAD
    good = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    verify_hmac(signed, ["v1,AAAA", good], key, encoding="base64", prefix="v1,")


def test_hmac_timestamp_tolerance_slack_style() -> None:
    ts = str(int(time.time()))
    base = b"v0:" + ts.encode() + b":" + PAYLOAD
    sig = "v0=" + hmac.new(b"slack", base, hashlib.sha256).hexdigest()
    verify_hmac(base, sig, "slack", prefix="v0=", timestamp=ts, tolerance=300)
    stale = str(int(time.time()) - 1000)
    with pytest.raises(rt.WebhookVerificationError, match="tolerance"):
        verify_hmac(base, sig, "slack", prefix="v0=", timestamp=stale, tolerance=300)
    with pytest.raises(rt.WebhookVerificationError, match="timestamp"):
        verify_hmac(base, sig, "slack", prefix="v0=", tolerance=300)
    # a timestamp given without a tolerance was not checked at all (helper 185): 300 s, as
    # the other verifiers' default
    with pytest.raises(rt.WebhookVerificationError, match="tolerance"):
        verify_hmac(base, sig, "slack", prefix="v0=", timestamp=stale)
    verify_hmac(base, sig, "slack", prefix="v0=", timestamp=ts)


def test_an_empty_secret_is_refused_before_any_signature_is_checked() -> None:
    """A helper's review: with `secret=""` (an unset environment variable read with a `""`
    default) or `"whsec_"`, a delivery signed with the empty key passed all three checks:
    anyone could forge one. The caller's mistake: `ValueError`."""
    from apigen_runtime.webhooks import verify_standard_webhook

    now = int(time.time())
    forged = hmac.new(b"", f"{now}.".encode() + PAYLOAD, hashlib.sha256).hexdigest()
    with pytest.raises(ValueError, match="webhook secret is empty"):
        verify_stripe(PAYLOAD, f"t={now},v1={forged}", "")
    with pytest.raises(ValueError, match="webhook secret is empty"):
        verify_hmac(PAYLOAD, hmac.new(b"", PAYLOAD, hashlib.sha256).hexdigest(), b"")
    signed = f"msg_1.{now}.".encode() + PAYLOAD
    sig = base64.b64encode(hmac.new(b"", signed, hashlib.sha256).digest()).decode()
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(now),
        "webhook-signature": f"v1,{sig}",
    }
    for secret in ("whsec_", "", b""):
        with pytest.raises(ValueError, match="webhook secret is empty"):
            verify_standard_webhook(PAYLOAD, headers, secret)
