"""The demo's settings: env ``KYCSIM_DEMO_WEBHOOK_URL`` (or ``kycsim serve --demo-webhook-url``) and
``KYCSIM_DEMO_WEBHOOK_SECRET``, where widget events go and the key that signs them."""

from __future__ import annotations

from simulator.toolkit.settings import Setting

SETTINGS = (
    Setting("demo_webhook_url", None, "where the demo's widget events are POSTed", flag=True),
    Setting("demo_webhook_secret", None, "the X-Demo-Signature key"),
)
