"""Checkout.com's response codes (fact sheet section 5.1, the May 2025 codes page): each code with its
summary, the check status it comes with, its category, what it means, and the products it applies to.

Deprecated codes are kept (a client may still meet them); :func:`codes_for` says which codes a
product produces, :func:`upload_codes` which the uploaded-document products do.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.providers.checkout.constants import (
    ADV,
    APPROVED,
    CERTIFIED_IDV,
    DECLINED,
    FA,
    IDDV,
    IDV,
    INCONCLUSIVE,
    REFUSED,
    RETRY_REQUIRED,
)


@dataclass(frozen=True)
class ResponseCode:
    code: int
    summary: str
    status: str  # the check status it comes with
    category: str
    description: str
    applies_to: tuple[str, ...]  # products; empty for deprecated codes
    alt_summaries: tuple[str, ...] = ()
    deprecated: bool = False

    def as_json(self) -> dict:
        return {"code": self.code, "summary": self.summary}


_ALL4 = (IDV, CERTIFIED_IDV, FA, IDDV)
_HOSTED = (IDV, CERTIFIED_IDV, FA)
_DOC = (IDV, CERTIFIED_IDV, IDDV)
_IDV2 = (IDV, CERTIFIED_IDV)

_CODES = (
    ResponseCode(10000, "approved", APPROVED, "Approved", "The verification is approved.", (*_ALL4, ADV)),
    # retry_required: applicant engagement
    ResponseCode(61101, "applicant_never_started", RETRY_REQUIRED, "Applicant engagement",
                 "The applicant was probably never redirected to the flow, or never started it.", _HOSTED),
    ResponseCode(61111, "applicant_not_ready", RETRY_REQUIRED, "Applicant engagement",
                 "The applicant clicked the button to do it later.", _HOSTED),
    ResponseCode(61112, "applicant_no_document", RETRY_REQUIRED, "Applicant engagement",
                 "The applicant clicked the button saying they have no document with them.", _IDV2),
    ResponseCode(61113, "camera_access_refused", RETRY_REQUIRED, "Applicant engagement",
                 "The applicant did not grant access to the camera.", _HOSTED),
    ResponseCode(61121, "applicant_drop", RETRY_REQUIRED, "Applicant engagement",
                 "The applicant left before the capture and the verification URL expired (15 minutes).", _HOSTED),
    # retry_required: video streaming
    ResponseCode(61201, "connection_insufficient", RETRY_REQUIRED, "Video streaming",
                 "The applicant's connection was too weak to capture.", _HOSTED, ("connexion_insufficient",)),
    ResponseCode(61202, "browser_not_supported", RETRY_REQUIRED, "Video streaming",
                 "The applicant's browser was not suitable for video streaming.", _HOSTED),
    ResponseCode(61203, "camera_not_found", RETRY_REQUIRED, "Video streaming",
                 "The applicant's device has no camera.", _HOSTED),
    # The May 2025 codes page (seed 000) lists "switched tabs or applications" between 61203 and
    # 61205 with its number and summary lost; no current table has it. Number and summary inferred.
    ResponseCode(61204, "tab_switched", RETRY_REQUIRED, "Video streaming",
                 "The applicant switched tabs or applications during the flow.", (), deprecated=True),
    ResponseCode(61205, "sms_not_received", RETRY_REQUIRED, "Video streaming",
                 "The applicant did not receive the SMS.", (), deprecated=True),
    ResponseCode(61911, "corrupted_videos", RETRY_REQUIRED, "Video streaming",
                 "The videos received could not be played.", _HOSTED),
    # retry_required: document capture
    ResponseCode(61301, "document_blurry", RETRY_REQUIRED, "Document capture",
                 "The document capture is too blurry.", _DOC, ("document_video_blurry",)),
    ResponseCode(61302, "document_lighting_issue", RETRY_REQUIRED, "Document capture",
                 "The document was captured in poor light.", _DOC, ("document_video_lighting_issue",)),
    ResponseCode(61303, "document_not_in_color", RETRY_REQUIRED, "Document capture",
                 "The document was not captured in colour.", (IDDV,)),
    ResponseCode(61310, "document_front_not_captured", RETRY_REQUIRED, "Document capture",
                 "The front of the document was not captured.", _DOC),
    ResponseCode(61311, "document_back_not_captured", RETRY_REQUIRED, "Document capture",
                 "The back of the document was not captured.", _DOC),
    ResponseCode(61312, "document_partially_hidden", RETRY_REQUIRED, "Document capture",
                 "Part of the document was hidden.", _DOC),
    ResponseCode(61313, "document_not_tilted", RETRY_REQUIRED, "Document capture",
                 "The document was not moved to show a dynamic (tilted) view.", _IDV2),
    ResponseCode(61314, "document_challenge_timeout", RETRY_REQUIRED, "Document capture",
                 "The document challenge was not met before it expired.", (CERTIFIED_IDV, IDV)),
    ResponseCode(61315, "document_barcode_unreadable", RETRY_REQUIRED, "Document capture",
                 "The document's barcode was not readable.", (), deprecated=True),
    # retry_required: secondary document capture
    ResponseCode(61321, "secondary_document_blurry", RETRY_REQUIRED, "Secondary document capture",
                 "The secondary document capture is too blurry.", (IDV,), ("complementary_document_video_blurry",)),
    ResponseCode(61322, "secondary_document_lighting_issue", RETRY_REQUIRED, "Secondary document capture",
                 "The secondary document was captured in poor light.", (IDV,),
                 ("complementary_document_video_lighting_issue",)),
    ResponseCode(61330, "secondary_document_front_not_captured", RETRY_REQUIRED, "Secondary document capture",
                 "The front of the secondary document was not captured.", (IDV,),
                 ("complementary_document_front_not_captured",)),
    ResponseCode(61331, "secondary_document_back_not_captured", RETRY_REQUIRED, "Secondary document capture",
                 "The back of the secondary document was not captured.", (IDV,),
                 ("complementary_document_back_not_captured",)),
    # The space in this summary is the provider's own spelling, in both versions of the table.
    ResponseCode(61332, "secondary document_partially_hidden", RETRY_REQUIRED, "Secondary document capture",
                 "Part of the secondary document was hidden.", (IDV,)),
    ResponseCode(61333, "secondary_document_not_tilted", RETRY_REQUIRED, "Secondary document capture",
                 "The secondary document was not moved to show a dynamic view.", (IDV,),
                 ("complementary_document_not_tilted",)),
    # retry_required: face capture
    ResponseCode(61401, "face_video_blurry", RETRY_REQUIRED, "Face capture",
                 "The face video is too blurry.", _HOSTED),
    ResponseCode(61402, "face_video_lighting_issue", RETRY_REQUIRED, "Face capture",
                 "The face was captured in poor light.", _HOSTED),
    ResponseCode(61410, "face_not_captured", RETRY_REQUIRED, "Face capture",
                 "The applicant did not present their face.", _HOSTED),
    ResponseCode(61411, "face_partially_hidden", RETRY_REQUIRED, "Face capture",
                 "The applicant did not show a full frontal view of their face.", _HOSTED),
    ResponseCode(61412, "face_not_turned", RETRY_REQUIRED, "Face capture",
                 "The applicant did not move enough to prove liveness.", _HOSTED),
    ResponseCode(61413, "face_challenge_timeout", RETRY_REQUIRED, "Face capture",
                 "The face challenge was not met before it expired.", (CERTIFIED_IDV, IDV)),
    ResponseCode(61414, "various_faces_detected", RETRY_REQUIRED, "Face capture",
                 "The applicant also captured another person's face.", (), deprecated=True),
    # retry_required: other
    ResponseCode(61901, "internal_error", RETRY_REQUIRED, "Other",
                 "The check could not be completed because of an internal error.", _ALL4),
    # declined: document non compliant
    ResponseCode(62101, "document_expired", DECLINED, "Document non compliant",
                 "The applicant presented an expired document.", _DOC),
    ResponseCode(62102, "document_not_accepted", DECLINED, "Document non compliant",
                 "The document type is not accepted.", _DOC),
    ResponseCode(62103, "document_damaged", DECLINED, "Document non compliant",
                 "The applicant presented a damaged document.", _DOC),
    ResponseCode(62104, "unsupported_alphabet", DECLINED, "Document non compliant",
                 "The document uses an unsupported alphabet.", _DOC),
    ResponseCode(62201, "document_photocopy", DECLINED, "Document non compliant",
                 "The applicant presented a photocopy of the document.", _DOC),
    ResponseCode(62202, "document_screenshot", DECLINED, "Document non compliant",
                 "The applicant showed the document on a screen.", _DOC),
    # declined: secondary document non compliant
    ResponseCode(62121, "secondary_document_expired", DECLINED, "Secondary document non compliant",
                 "The secondary document is expired.", (IDV,), ("complementary_document_expired",)),
    ResponseCode(62122, "secondary_document_not_accepted", DECLINED, "Secondary document non compliant",
                 "The secondary document type is not accepted.", (IDV,), ("complementary_document_not_accepted",)),
    ResponseCode(62123, "secondary_document_damaged", DECLINED, "Secondary document non compliant",
                 "The secondary document is damaged.", (IDV,), ("complementary_document_damaged",)),
    ResponseCode(62124, "secondary_document_unsupported_alphabet", DECLINED, "Secondary document non compliant",
                 "The secondary document uses an unsupported alphabet.", (IDV,),
                 ("complementary_document_unsupported_alphabet",)),
    ResponseCode(62221, "secondary_document_photocopy", DECLINED, "Secondary document non compliant",
                 "The secondary document is a photocopy.", (IDV,), ("complementary_document_photocopy",)),
    ResponseCode(62222, "secondary_document_screenshot", DECLINED, "Secondary document non compliant",
                 "The secondary document was shown on a screen.", (IDV,), ("complementary_document_screenshot",)),
    # declined: identity fraud
    ResponseCode(62301, "document_counterfeit", DECLINED, "Identity fraud",
                 "The applicant presented a counterfeit or falsified document.", (IDV, IDDV)),
    ResponseCode(62302, "document_stolen", DECLINED, "Identity fraud",
                 "The document has been declared stolen or lost.", (IDV, IDDV)),
    ResponseCode(62303, "document_swap", DECLINED, "Identity fraud",
                 "The front and back belong to two different documents.", (IDV, IDDV)),
    ResponseCode(62331, "secondary_document_counterfeit", DECLINED, "Identity fraud",
                 "The secondary document is counterfeit.", (IDV,), ("complementary_document_counterfeit",)),
    ResponseCode(62332, "secondary_document_stolen", DECLINED, "Identity fraud",
                 "The secondary document has been declared stolen.", (IDV,), ("complementary_document_stolen",)),
    ResponseCode(62333, "secondary_document_swap", DECLINED, "Identity fraud",
                 "The secondary document's sides belong to two documents.", (IDV,), ("complementary_document_swap",)),
    ResponseCode(62334, "secondary_document_mismatch", DECLINED, "Identity fraud",
                 "The applicant is not the owner of the secondary document.", (IDV,),
                 ("complementary_document_mismatch",)),
    ResponseCode(62304, "face_mismatch", DECLINED, "Identity fraud",
                 "The face does not match the document portrait.", (IDV,)),
    ResponseCode(62305, "face_not_live", DECLINED, "Identity fraud",
                 "The applicant presented a photo or video of someone else's face.", (IDV, FA)),
    ResponseCode(62306, "face_alteration", DECLINED, "Identity fraud",
                 "The applicant altered their appearance.", (IDV, FA)),
    ResponseCode(62307, "asset_digital_alteration", DECLINED, "Identity fraud",
                 "The captured assets are digitally altered.", (IDV, FA, IDDV), ("videos_digital_alteration",)),
    ResponseCode(62321, "face_face_mismatch", DECLINED, "Identity fraud",
                 "The face authentication person is not the identity verification person.", (FA,)),
    ResponseCode(62399, "generic_fraud", DECLINED, "Identity fraud",
                 "Replaces the other fraud codes for certified identity verifications.", (CERTIFIED_IDV,)),
    # declined: prohibited behaviour
    ResponseCode(62401, "declared_identity_mismatch", DECLINED, "Prohibited behaviour",
                 "The identity does not match the declared data.", (*_IDV2, IDDV)),
    ResponseCode(62402, "suspicious_device", DECLINED, "Prohibited behaviour",
                 "The applicant used a technically altered device.", _HOSTED),
    ResponseCode(62403, "consent_unclear", DECLINED, "Prohibited behaviour",
                 "The capture seems to have been made against the applicant's will.", _HOSTED),
    ResponseCode(62404, "multiple_documents", DECLINED, "Prohibited behaviour",
                 "The applicant showed several documents.", (*_IDV2, IDDV)),
    ResponseCode(62405, "known_fraudulent_face", DECLINED, "Prohibited behaviour",
                 "The same face made a recent fraud attempt.", _HOSTED),
    # refused / forcibly closed
    ResponseCode(63001, "applicant_refusal", REFUSED, "User refusal",
                 "The applicant clicked the button to refuse the flow.", _HOSTED),
    ResponseCode(64001, "forcibly_closed", RETRY_REQUIRED, "Attempts",
                 "A new attempt was created, or the verification anonymized, while an attempt was still valid.",
                 _ALL4),
    # Website verification only (listed for completeness; no endpoint of kycsim produces them).
    *(
        ResponseCode(code, summary, DECLINED, "Website verification", summary.replace("_", " "), ("website",))
        for code, summary in (
            (72381, "missing_terms_and_conditions"),
            (72382, "missing_privacy_policy"),
            (72383, "missing_refund_policy"),
            (72384, "missing_customer_service_contact"),
            (72385, "missing_legal_entity_name"),
            (72386, "missing_legal_entity_address"),
            (72387, "missing_country_of_incorporation"),
        )
    ),
    *(
        ResponseCode(code, summary, INCONCLUSIVE, "Website verification", summary.replace("_", " "), ("website",))
        for code, summary in (
            (71181, "url_does_not_exist"),
            (71182, "website_not_available"),
            (71901, "internal_error"),
        )
    ),
)  # fmt: skip
RESPONSE_CODES: dict[int, ResponseCode] = {c.code: c for c in _CODES}
APPROVED_CODE = 10000
REFUSAL_CODE = 63001
FORCIBLY_CLOSED_CODE = 64001
LINK_NEVER_OPENED_CODE = 61101


def response_code(code: int) -> dict:
    """``{"code": 61101, "summary": "applicant_never_started"}``; KeyError for a code that does not exist."""
    return RESPONSE_CODES[int(code)].as_json()


def codes_for(product: str, *, status: str | None = None, include_deprecated: bool = True) -> list[int]:
    """Codes that apply to ``product`` (certified IDV counts as IDV), optionally of one status."""
    products = {product, CERTIFIED_IDV} if product == IDV else {product}
    return [
        c.code
        for c in _CODES
        if (products & set(c.applies_to) or (include_deprecated and c.deprecated and product in (IDV, FA)))
        and (status is None or c.status == status)
    ]


# Codes that make sense for address documents (the code table has no column for ADV).
ADV_CODES = (10000, 61301, 61302, 61303, 61310, 61312, 61901, 62101, 62102, 62103, 62201, 62202, 62301, 62307,
             62401, 62404, 64001)  # fmt: skip


def upload_codes(product: str) -> list[int]:
    """The codes an uploaded-document product (IDDV, ADV) produces: current ones only."""
    if product == ADV:
        return list(ADV_CODES)
    return codes_for(product, include_deprecated=False)


def is_retry_code(code: int) -> bool:
    return 61000 <= int(code) < 62000 and int(code) in RESPONSE_CODES


def is_decline_code(code: int) -> bool:
    return 62000 <= int(code) < 63000 and int(code) in RESPONSE_CODES
