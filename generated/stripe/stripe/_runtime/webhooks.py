"""Verify webhook signatures: ``verify_stripe`` and the generic ``verify_hmac``."""

from ._webhooks import (
    WebhookVerificationError,
    verify_hmac,
    verify_standard_webhook,
    verify_stripe,
)

__all__ = [
    "WebhookVerificationError",
    "verify_hmac",
    "verify_standard_webhook",
    "verify_stripe",
]
