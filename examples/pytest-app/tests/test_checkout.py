"""Checkout.com Identities, through the official SDK: the outcomes the app must handle."""

import pytest
from conftest import deliver

from kyc_app import BadSignature


def test_an_identity_verification_is_approved_by_webhook(app, kycsim):
    app.sign_up("user-1", "hannah@example.com", "Hannah Bret", "1994-10-15")
    link = app.start_identity_verification("user-1")
    assert link.startswith(kycsim.url)
    event = kycsim.wait_for_event("identity_verification_checks_completed", subject=app.users["user-1"].check_id)
    user = deliver(app, event)
    assert user.status == "approved" and user.codes == [10000]


def test_a_face_mismatch_is_declined(app, kycsim):
    kycsim.use_scenario("idv-declined-62304")
    app.sign_up("user-2", "jo@example.com", "Jo March", "1990-02-01")
    app.start_identity_verification("user-2")
    event = kycsim.wait_for_event("identity_verification_checks_completed", subject=app.users["user-2"].check_id)
    user = deliver(app, event)
    assert user.status == "declined" and user.codes == [62304]


@pytest.mark.kycsim(scenario="idv-capture-aborted-61203")
def test_a_user_who_left_the_capture_retries(app, kycsim):
    app.sign_up("user-3", "amy@example.com", "Amy March", "1992-05-03")
    app.start_identity_verification("user-3")
    assert kycsim.settle() == ["new_attempt"]  # the scenario waits for the app's new attempt
    aborted = kycsim.events("identity_verification_capture_aborted")[0]
    assert deliver(app, aborted).status == "retry"
    app.retry_identity_verification("user-3")
    completed = kycsim.wait_for_event("identity_verification_checks_completed")
    assert deliver(app, completed).status == "approved"
    kycsim.assert_requested("POST", "/identity-verifications/*/attempts", times=2)


def test_a_webhook_with_another_signature_is_refused(app, kycsim):
    app.sign_up("user-4", "beth@example.com", "Beth March", "1995-11-20")
    app.start_identity_verification("user-4")
    event = kycsim.wait_for_event("identity_verification_created")
    with pytest.raises(BadSignature):
        app.on_checkout_webhook(event.raw + b" ", dict(event.headers))
