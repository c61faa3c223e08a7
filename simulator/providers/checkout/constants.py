"""Every wire literal of Checkout.com Identities, in one place.

Statuses, attempt statuses, response codes (with their summaries and the products they apply
to), risk labels, event types, id prefixes, asset types and the webhook retry schedule. The
coverage report and the scenario verbs read these tables; nothing else spells a literal.
Source: the fact sheet ``checkout-identities.md`` sections 2-7 and the May 2025 codes page.
"""

from __future__ import annotations

from dataclasses import dataclass

# Products (the names scenario files use) and their short forms in the code table.
IDV = "identity_verification"
FA = "face_authentication"
IDDV = "id_document_verification"
ADV = "address_document_verification"
AML = "aml_screening"
PRODUCTS = (IDV, FA, IDDV, ADV, AML)
CERTIFIED_IDV = "certified_identity_verification"  # a configuration of IDV, its own column in the code table

# Id prefixes (section 2.3).
PREFIX_APPLICANT = "aplt"
PREFIX_USER_JOURNEY = "usj"
PREFIX_EVENT = "evt"
ID_PREFIXES = {
    IDV: ("idv", "iatp"),
    FA: ("fav", "fatp"),
    IDDV: ("iddv", "datp"),
    ADV: ("adv", "adva"),
    AML: ("amlv", None),
}

# Check statuses (section 4.1).
CREATED = "created"
PENDING = "pending"
CAPTURE_IN_PROGRESS = "capture_in_progress"
QUALITY_CHECKS_IN_PROGRESS = "quality_checks_in_progress"
CHECKS_IN_PROGRESS = "checks_in_progress"
SCREENING_IN_PROGRESS = "screening_in_progress"
APPROVED = "approved"
DECLINED = "declined"
RETRY_REQUIRED = "retry_required"
REFUSED = "refused"
REVIEW_REQUIRED = "review_required"
INCONCLUSIVE = "inconclusive"
CHECK_STATUSES = (
    APPROVED,
    CAPTURE_IN_PROGRESS,
    CHECKS_IN_PROGRESS,
    CREATED,
    DECLINED,
    INCONCLUSIVE,
    PENDING,
    QUALITY_CHECKS_IN_PROGRESS,
    REFUSED,
    RETRY_REQUIRED,
    REVIEW_REQUIRED,
    SCREENING_IN_PROGRESS,
)
STATUSES_BY_PRODUCT = {
    IDV: (CREATED, PENDING, CAPTURE_IN_PROGRESS, CHECKS_IN_PROGRESS, APPROVED, DECLINED, RETRY_REQUIRED, REFUSED,
          INCONCLUSIVE),
    FA: (CREATED, PENDING, CAPTURE_IN_PROGRESS, CHECKS_IN_PROGRESS, APPROVED, DECLINED, RETRY_REQUIRED, REFUSED,
         INCONCLUSIVE),
    IDDV: (CREATED, QUALITY_CHECKS_IN_PROGRESS, CHECKS_IN_PROGRESS, APPROVED, DECLINED, RETRY_REQUIRED, INCONCLUSIVE),
    ADV: (CREATED, QUALITY_CHECKS_IN_PROGRESS, CHECKS_IN_PROGRESS, APPROVED, DECLINED, RETRY_REQUIRED, INCONCLUSIVE),
    AML: (CREATED, SCREENING_IN_PROGRESS, APPROVED, DECLINED, REVIEW_REQUIRED),
}  # fmt: skip
FINAL_STATUSES = (APPROVED, DECLINED, REFUSED, INCONCLUSIVE)

# Attempt statuses (section 4.2).
PENDING_REDIRECTION = "pending_redirection"
ATTEMPT_CAPTURE_IN_PROGRESS = "capture_in_progress"
CAPTURE_ABORTED = "capture_aborted"
CAPTURE_REFUSED = "capture_refused"
EXPIRED = "expired"
ATTEMPT_QUALITY_CHECKS_IN_PROGRESS = "quality_checks_in_progress"
QUALITY_CHECKS_ABORTED = "quality_checks_aborted"
ATTEMPT_CHECKS_IN_PROGRESS = "checks_in_progress"
COMPLETED = "completed"
CHECKS_INCONCLUSIVE = "checks_inconclusive"
TERMINATED = "terminated"
ATTEMPT_STATUSES = (
    PENDING_REDIRECTION,
    ATTEMPT_CAPTURE_IN_PROGRESS,
    CAPTURE_ABORTED,
    CAPTURE_REFUSED,
    EXPIRED,
    ATTEMPT_QUALITY_CHECKS_IN_PROGRESS,
    QUALITY_CHECKS_ABORTED,
    ATTEMPT_CHECKS_IN_PROGRESS,
    COMPLETED,
    CHECKS_INCONCLUSIVE,
    TERMINATED,
)
HOSTED_ATTEMPT_STATUSES = (
    PENDING_REDIRECTION,
    ATTEMPT_CAPTURE_IN_PROGRESS,
    CAPTURE_ABORTED,
    CAPTURE_REFUSED,
    EXPIRED,
    ATTEMPT_CHECKS_IN_PROGRESS,
    COMPLETED,
    CHECKS_INCONCLUSIVE,
    TERMINATED,
)
UPLOAD_ATTEMPT_STATUSES = (
    ATTEMPT_QUALITY_CHECKS_IN_PROGRESS,
    QUALITY_CHECKS_ABORTED,
    ATTEMPT_CHECKS_IN_PROGRESS,
    COMPLETED,
    CHECKS_INCONCLUSIVE,
    TERMINATED,
)
ATTEMPT_STATUSES_BY_PRODUCT = {IDV: HOSTED_ATTEMPT_STATUSES, FA: HOSTED_ATTEMPT_STATUSES, IDDV: UPLOAD_ATTEMPT_STATUSES,
                               ADV: UPLOAD_ATTEMPT_STATUSES}  # fmt: skip
# An attempt in one of these may still be used by the applicant; a new attempt ends it.
OPEN_ATTEMPT_STATUSES = (PENDING_REDIRECTION, ATTEMPT_CAPTURE_IN_PROGRESS)
# The same for uploaded documents (IDDV, ADV): an attempt whose checks are still running.
OPEN_UPLOAD_ATTEMPT_STATUSES = (ATTEMPT_QUALITY_CHECKS_IN_PROGRESS, ATTEMPT_CHECKS_IN_PROGRESS)
# Check statuses in which a new attempt may be created (else 409), per product.
ATTEMPT_ALLOWED = {
    IDV: (CREATED, PENDING, CAPTURE_IN_PROGRESS, RETRY_REQUIRED),
    FA: (CREATED, PENDING, CAPTURE_IN_PROGRESS, RETRY_REQUIRED),
    IDDV: (CREATED, RETRY_REQUIRED),
    ADV: (CREATED, RETRY_REQUIRED),
}

# Verification URL lifetime: an attempt not opened within it expires (section 7).
LINK_LIFETIME_SECONDS = 15 * 60


# Response codes (section 5.1).
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


# Risk labels (section 5.3): present on IDV, FA and ADV; they never change the verdict.
RISK_LABELS = ("multiple_faces_detected", "mcc_not_confident", "risky_document_format")
RISK_LABELS_BY_PRODUCT = {IDV: RISK_LABELS, FA: RISK_LABELS, ADV: RISK_LABELS}

# AML risk levels (legacy webhook payloads only).
AML_RISK_LEVELS = ("LOW", "MEDIUM", "HIGH", "PROHIBITED")

# Document types (exact strings).
DOCUMENT_TYPES = ("Driving licence", "ID", "Other", "Passport", "Residence Permit", "Travel Document", "Visa")

# Asset types per product (section 3.2-3.6). Videos are listed only when enabled.
IDV_IMAGE_ASSETS = ("face_image", "document_front_image", "document_back_image")
IDV_ASSET_TYPES = (
    "face_image",
    "face_video",
    "document_front_image",
    "document_back_image",
    "document_front_video",
    "document_back_video",
    "document_signature_image",
    "secondary_document_front_image",
    "secondary_document_back_image",
    "secondary_document_front_video",
    "secondary_document_back_video",
    "secondary_document_signature_image",
)
ASSET_TYPES = {
    IDV: IDV_ASSET_TYPES,
    FA: ("face_image", "face_video"),
    IDDV: ("document_front_image", "document_back_image"),
    ADV: ("document",),
}

# Webhook event types (section 6.2), per product.
EVENT_VERSION = "1.2.0"
IDV_EVENTS = (
    "identity_verification_created",
    "identity_verification_opened",
    "identity_verification_started",
    "identity_verification_reset",
    "identity_verification_capture_completed",
    "identity_verification_checks_completed",
    "identity_verification_report_created",
    "identity_verification_link_expired",
    "identity_verification_capture_refused",
    "identity_verification_capture_aborted",
    "identity_verification_checks_inconclusive",
    "identity_verification_retry_requested",
    "identity_verification_closed",
    "identity_verification_anonymized",
    "identity_verification_audit_completed",
)
FA_EVENTS = tuple(
    f"face_authentication_{suffix}"
    for suffix in (
        "created",
        "opened",
        "started",
        "capture_completed",
        "checks_completed",
        "link_expired",
        "capture_refused",
        "capture_aborted",
        "retry_requested",
        "reset",
        "checks_inconclusive",
        "closed",
        "audit_completed",
        "anonymized",
    )
)
# Exactly the types Checkout.com lists for ID Document Verification (group page, Sep 2025); ubble's
# own names (quality_checks_in_progress, checks_in_progress, quality_checks_aborted, reset,
# retry_requested) are not Checkout.com events, so one transition is one event.
IDDV_EVENTS = tuple(
    f"id_document_verification_{suffix}"
    for suffix in (
        "created",
        "started",
        "checks_completed",
        "report_created",
        "closed",
        "checks_inconclusive",
        "anonymized",
        "audit_completed",
    )
)
ADV_EVENTS = tuple(s.replace("id_document_verification_", "address_document_verification_") for s in IDDV_EVENTS)
AML_EVENTS = (
    "aml_verification_created",
    "aml_verification_onboarding_started",
    "aml_verification_onboarding_completed",
    "aml_verification_onboarding_reviewed",
    "aml_verification_monitoring_alert",
    "aml_verification_monitoring_reviewed",
    "aml_verification_status_changed",
)
EVENTS_BY_PRODUCT = {IDV: IDV_EVENTS, FA: FA_EVENTS, IDDV: IDDV_EVENTS, ADV: ADV_EVENTS, AML: AML_EVENTS}
EVENT_TYPES = tuple(e for events in EVENTS_BY_PRODUCT.values() for e in events)

# Webhook delivery (section 6.3): up to 8 resends after a failure.
WEBHOOK_RETRY_SCHEDULE = (5 * 60, 10 * 60, 15 * 60, 30 * 60, 3600, 4 * 3600, 12 * 3600, 12 * 3600)
WEBHOOK_TIMEOUT_SECONDS = 10.0
SIGNATURE_HEADER = "Cko-Signature"
REQUEST_ID_HEADER = "Cko-Request-Id"
SCENARIO_HEADER = "X-KycSim-Scenario"

# Error envelope (section 2.4).
ERROR_REQUEST_INVALID = "request_invalid"  # 422 schema violations
ERROR_INVALID_REQUEST = "invalid_request"  # 400 malformed body, wrong content type, applicant validation
ERROR_NOT_FOUND = "resource_not_found"
ERROR_CONFLICT = "operation_not_allowed"
ERROR_UNAUTHORIZED = "unauthorized"
ERROR_METHOD = "method_not_allowed"
ERROR_SERVER = "internal_server_error"
ERROR_TOO_LARGE = "request_entity_too_large"  # 413: body over the cap
ERROR_UNAVAILABLE = "report_not_available"
