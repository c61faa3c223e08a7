"""Retention: a finished check beyond the tenant's limit is forgotten whole; one that plays again stays."""

from __future__ import annotations

from urllib.parse import urlsplit

from simulator.providers.checkout.state import LINKS, LINKS_TENANT


def played(api, scenario: str = "idv-approved") -> tuple[dict, dict]:
    idv = api.idv(api.applicant(email="a@example.com")["id"], scenario=scenario)
    attempt = api.attempt(idv["id"])
    return idv, attempt


def test_the_oldest_finished_check_goes_with_its_attempts_tokens_events_and_applicant(make_api):
    api = make_api(keep_finished=2)
    first, first_attempt = played(api)
    api.advance(600)
    page = first_attempt["_links"]["verification_url"]["href"]
    event_ids = api.sim.store.get(api.key, "checkout", "identity_verifications", first["id"])["_event_ids"]
    assert len(event_ids) == 6 and api.client.get(page).status_code == 200
    for _ in range(2):
        played(api)
    api.advance(600)  # two more finish: the tenant keeps two
    api.call("GET", f"/identity-verifications/{first['id']}", status=404)
    api.call("GET", f"/applicants/{first['applicant_id']}", status=404)
    assert api.client.get(page).status_code == 404
    for event_id in event_ids:
        api.call("GET", f"/workflows/events/{event_id}", status=404)
    store = api.sim.store
    assert len(store.list(api.key, "checkout", "identity_verifications")) == 2
    assert len(store.list(api.key, "checkout", "identity_verifications_attempts")) == 2
    assert len(store.list(api.key, "checkout", "applicants")) == 2
    assert len(store.list(LINKS_TENANT, "checkout", LINKS)) == 2 * 3  # page, media and report tokens each


def test_an_applicant_stays_while_another_of_its_checks_is_kept(make_api):
    api = make_api(keep_finished=1)
    applicant = api.applicant(email="shared@example.com")
    for _ in range(2):
        api.attempt(api.idv(applicant["id"], scenario="idv-approved")["id"])
    api.advance(600)
    assert api.call("GET", f"/applicants/{applicant['id']}")["id"] == applicant["id"]


def test_a_check_played_again_by_a_new_attempt_is_not_forgotten_with_its_old_run(make_api):
    api = make_api(keep_finished=1, applicant="interactive")
    idv, attempt = played(api)
    page = urlsplit(attempt["_links"]["verification_url"]["href"]).path
    api.client.post(page, data={"action": "abort", "code": "61113"})  # the person leaves: that run ends
    api.attempt(idv["id"])  # a new run plays the same check (the happy path, played by nobody yet)
    other, other_attempt = played(api, "idv-approved")
    other_page = urlsplit(other_attempt["_links"]["verification_url"]["href"]).path
    api.client.post(other_page, data={"action": "abort", "code": "61113"})  # ends: the first run is forgotten
    assert api.get_idv(idv["id"])["status"] == "pending"
    assert len(api.sim.store.list(api.key, "checkout", "_runs")) == 2  # the new run of the first check, the other
