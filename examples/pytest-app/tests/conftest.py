"""The app under test, pointed at kycsim: its base URLs and this test's own keys and webhook secrets."""

import pytest

from kyc_app import Config, KycApp


@pytest.fixture
def app(kycsim):
    config = Config(
        checkout_url=kycsim.url,
        checkout_secret_key=kycsim.checkout_key,
        checkout_webhook_secret=kycsim.checkout_webhook_secret,
        sumsub_url=kycsim.url,
        sumsub_app_token=kycsim.sumsub_app_token,
        sumsub_secret_key=kycsim.sumsub_secret_key,
        sumsub_webhook_secret=kycsim.sumsub_webhook_secret,
    )
    app = KycApp(config)
    yield app
    app.close()


def deliver(app, event):
    """Hand a webhook the kycsim receiver got (signature already verified there) to the app, as it came."""
    handler = app.on_checkout_webhook if event.provider == "checkout" else app.on_sumsub_webhook
    return handler(event.raw, dict(event.headers))
