"""Checkout.com's settings (``Settings`` fields, env ``KYCSIM_CHECKOUT_*``): the webhook endpoint the
settings configure."""

from __future__ import annotations

from simulator.toolkit.settings import Setting

SETTINGS = (
    Setting("checkout_webhook_url", None, "where Checkout.com-style events are POSTed"),
    Setting("checkout_webhook_secret", None, "signature key: Cko-Signature = hex HMAC-SHA256 of the raw body"),
    Setting("checkout_webhook_authorization", None, "an Authorization header value sent with each event"),
)
