"""Sumsub, through signed calls: a review that asks the user to submit again."""

from conftest import deliver


def test_a_red_retry_review_asks_the_user_to_resubmit(app, kycsim):
    kycsim.use_scenario("red-retry-bad_selfie")
    app.sign_up("user-5", "meg@example.com", "Meg March", "1988-07-12")
    assert app.start_sumsub_verification("user-5").startswith("_act-")
    reviewed = kycsim.wait_for_event("applicantReviewed", subject=app.users["user-5"].check_id)
    user = deliver(app, reviewed)
    assert user.status == "resubmission_requested" and user.labels == ["BAD_SELFIE"]
    kycsim.assert_requested("POST", "/resources/applicants", times=1)
