from __future__ import annotations

import pytest

from simulator.providers.checkout import constants as c
from simulator.providers.checkout import response_codes as rc
from simulator.providers.checkout.products import (
    FACE_AUTHENTICATION,
    ID_DOCUMENT_VERIFICATION,
    IDENTITY_VERIFICATION,
)


def test_descriptors_carry_the_wire_literals():
    idv = IDENTITY_VERIFICATION
    assert (idv.id_prefix, idv.attempt_prefix, idv.data_id_key, idv.path) == (
        "idv",
        "iatp",
        "identity_verification_id",
        "identity-verifications",
    )
    assert idv.event("checks_completed") == "identity_verification_checks_completed"
    assert idv.attempt_allowed == (c.CREATED, c.PENDING, c.CAPTURE_IN_PROGRESS, c.RETRY_REQUIRED)
    assert (FACE_AUTHENTICATION.attempt_prefix, FACE_AUTHENTICATION.has_report) == ("fatp", False)
    assert (ID_DOCUMENT_VERIFICATION.attempt_prefix, ID_DOCUMENT_VERIFICATION.hosted) == ("datp", False)
    assert ID_DOCUMENT_VERIFICATION.attempt_allowed == (c.CREATED, c.RETRY_REQUIRED)


def test_an_event_a_product_does_not_have_is_refused():
    with pytest.raises(ValueError):
        FACE_AUTHENTICATION.event("report_created")
    assert not FACE_AUTHENTICATION.has_event("report_created")


def test_code_table():
    assert rc.response_code(61332) == {"code": 61332, "summary": "secondary document_partially_hidden"}
    assert {61204, 61205, 61315, 61414} <= set(rc.codes_for(c.IDV))  # deprecated, still produced for old integrations
    assert 62321 not in rc.codes_for(c.IDV) and 62321 in rc.codes_for(c.FA)
    assert all(rc.RESPONSE_CODES[code].status == c.DECLINED for code in rc.codes_for(c.IDV, status=c.DECLINED))
    assert len(rc.RESPONSE_CODES) == 77  # 66 person-check codes, 61204 inferred from the seed, 10 website codes
