"""Sumsub's settings (``Settings`` fields, env ``KYCSIM_SUMSUB_*``): the app credentials kycsim verifies
request signatures with, and the webhook endpoint the settings configure."""

from __future__ import annotations

from simulator.toolkit.settings import Setting

# Sumsub's own published signing examples use this sandbox-style pair; a client copied from
# them works against kycsim unchanged.
DEFAULT_APP_TOKEN = "sbx:uY0CgwELmgUAEyl4hNWxLngb.0WSeQeiYny4WEqmAALEAiK2qTC96fBad"
DEFAULT_SECRET_KEY = "Hej2ch71kG2kTd1iIUDZFNsO5C1lh5Gq"
WEBHOOK_ALGS = ("HMAC_SHA1_HEX", "HMAC_SHA256_HEX", "HMAC_SHA512_HEX")

SETTINGS = (
    Setting("sumsub_app_token", DEFAULT_APP_TOKEN, "the app token whose X-App-Access-Sig kycsim verifies"),
    Setting("sumsub_secret_key", DEFAULT_SECRET_KEY, "the secret key that signs with that app token"),
    Setting("sumsub_webhook_url", None, "where Sumsub-style events are POSTed"),
    Setting("sumsub_webhook_secret", None, "the X-Payload-Digest key"),
    Setting("sumsub_webhook_alg", "HMAC_SHA256_HEX", "the X-Payload-Digest-Alg", choices=WEBHOOK_ALGS),
)
