"""Every wire literal of Checkout.com Identities, in one place.

Statuses, attempt statuses, risk labels, event types, id prefixes, asset types, the webhook
retry schedule and the error types; the response codes have their own table
(``response_codes.py``). The coverage report and the scenario verbs read these tables; nothing
else spells a literal.
Source: the fact sheet ``checkout-identities.md`` sections 2-7 and the May 2025 codes page.
"""

from __future__ import annotations

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
# The captured products (IDV, FA) go through a hosted flow; the uploaded ones (IDDV, ADV) through quality checks.
HOSTED_CHECK_STATUSES = (
    CREATED,
    PENDING,
    CAPTURE_IN_PROGRESS,
    CHECKS_IN_PROGRESS,
    APPROVED,
    DECLINED,
    RETRY_REQUIRED,
    REFUSED,
    INCONCLUSIVE,
)
UPLOAD_CHECK_STATUSES = (
    CREATED,
    QUALITY_CHECKS_IN_PROGRESS,
    CHECKS_IN_PROGRESS,
    APPROVED,
    DECLINED,
    RETRY_REQUIRED,
    INCONCLUSIVE,
)
STATUSES_BY_PRODUCT = {
    IDV: HOSTED_CHECK_STATUSES,
    FA: HOSTED_CHECK_STATUSES,
    IDDV: UPLOAD_CHECK_STATUSES,
    ADV: UPLOAD_CHECK_STATUSES,
    AML: (CREATED, SCREENING_IN_PROGRESS, APPROVED, DECLINED, REVIEW_REQUIRED),
}
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
ATTEMPT_STATUSES_BY_PRODUCT = {
    IDV: HOSTED_ATTEMPT_STATUSES,
    FA: HOSTED_ATTEMPT_STATUSES,
    IDDV: UPLOAD_ATTEMPT_STATUSES,
    ADV: UPLOAD_ATTEMPT_STATUSES,
}
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


# Risk labels (section 5.3): present on IDV, FA and ADV; they never change the verdict.
RISK_LABELS = ("multiple_faces_detected", "mcc_not_confident", "risky_document_format")
RISK_LABELS_BY_PRODUCT = {IDV: RISK_LABELS, FA: RISK_LABELS, ADV: RISK_LABELS}

# AML risk levels (legacy webhook payloads only).
AML_RISK_LEVELS = ("LOW", "MEDIUM", "HIGH", "PROHIBITED")

# Asset types per product (section 3.2-3.6). Videos are listed only when enabled.
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
