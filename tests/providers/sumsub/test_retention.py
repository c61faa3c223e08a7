"""Retention: beyond the tenant's limit a finished applicant goes with its images; one with kept actions stays."""

from __future__ import annotations

import pytest

from tests.providers.sumsub.conftest import sumsub_settings


@pytest.fixture
def settings():
    return sumsub_settings(keep_finished=1)


def test_the_oldest_finished_applicant_goes_with_its_images(flow, api, sim):
    first = flow.played_applicant("applicant-approved")
    flow.advance(3600)
    tenant = next(t for t in sim.store.tenants() if not t.startswith("_"))
    images = sim.store.get(tenant, "sumsub", "applicants", first["id"])["_images"]
    assert images, "the simulated person captured pictures"
    flow.played_applicant("applicant-approved")
    flow.advance(3600)
    assert api.get(f"/resources/applicants/{first['id']}/one").status_code == 404
    assert all(sim.store.get(tenant, "sumsub", "images", str(i)) is None for i in images)
    assert len(sim.store.list(tenant, "sumsub", "applicants")) == 1


def test_an_applicant_whose_action_is_kept_stays(flow, api, sim):
    applicant = flow.played_applicant("applicant-approved")
    flow.advance(3600)
    flow.played_action(applicant, "action-approved")
    flow.advance(3600)  # the action's run ends after the applicant's: the applicant's is the oldest
    assert api.get(f"/resources/applicants/{applicant['id']}/one").status_code == 200
