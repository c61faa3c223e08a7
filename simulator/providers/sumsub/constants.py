"""Every Sumsub wire literal the simulator writes or reads, in one place (fact sheet sections 0-4).

The coverage report (``SumsubProvider.coverage_targets``) is generated from these tuples, so a
value added here without a scenario producing it fails the coverage test.
"""

from __future__ import annotations

PROVIDER = "sumsub"

# Products (scenario files name them) and the store kinds the provider keeps.
APPLICANT = "applicant"
APPLICANT_ACTION = "applicant_action"
KIND_APPLICANT = "applicants"
KIND_ACTION = "applicant_actions"
KIND_IMAGE = "images"
KIND_LINK = "websdk_links"
KIND_TOKEN = "access_tokens"
KIND_HANDOFF = "handoffs"  # tokens and links issued for a user (and action), by [userId, externalActionId]

DEFAULT_SCENARIOS = {APPLICANT: "applicant-approved", APPLICANT_ACTION: "action-approved"}
SCENARIO_HEADER = "X-KycSim-Scenario"

# Authentication headers and token prefixes (section 2.1).
HEADER_APP_TOKEN = "X-App-Token"
HEADER_ACCESS_TS = "X-App-Access-Ts"
HEADER_ACCESS_SIG = "X-App-Access-Sig"
HEADER_IMAGE_ID = "X-Image-Id"
HEADER_EXTERNAL_ACTION_ID = "X-External-Action-Id"
SANDBOX_TOKEN_PREFIX = "sbx:"
PRODUCTION_TOKEN_PREFIX = "prd:"
SIGNATURE_WINDOW_SECONDS = 60

# Review statuses (section 3.4); applicants and actions share them.
INIT = "init"
PENDING = "pending"
PRECHECKED = "prechecked"
QUEUED = "queued"
COMPLETED = "completed"
ON_HOLD = "onHold"
REVIEW_STATUSES = (INIT, PENDING, PRECHECKED, QUEUED, COMPLETED, ON_HOLD)
IN_REVIEW = (PENDING, PRECHECKED, QUEUED)  # reset is refused and uploads blocked in these

GREEN = "GREEN"
RED = "RED"
YELLOW = "YELLOW"
IGNORED = "IGNORED"
ERROR = "ERROR"
APPLICANT_REVIEW_ANSWERS = (GREEN, RED)
ACTION_REVIEW_ANSWERS = (GREEN, RED, ERROR)  # legacy action docs also list ERROR
CHECK_ANSWERS = (GREEN, YELLOW, RED, IGNORED, ERROR)

FINAL = "FINAL"
RETRY = "RETRY"
REJECT_TYPES = (FINAL, RETRY)

# Check types of applicant actions (section 3.3/3.4).
CHECK_PAYMENT_METHOD = "PAYMENT_METHOD"
CHECK_PAYMENT_SOURCE = "PAYMENT_SOURCE"
CHECK_FACE_LIVELINESS = "FACE_LIVELINESS"
CHECK_FACE_MATCH = "FACE_MATCH"
ACTION_CHECK_TYPES = (CHECK_PAYMENT_METHOD, CHECK_PAYMENT_SOURCE, CHECK_FACE_LIVELINESS, CHECK_FACE_MATCH)

# Action types and their required documents.
ACTION_PAYMENT_METHOD = "paymentMethod"
ACTION_SELFIE = "selfieAuth"
ACTION_QUESTIONNAIRE = "questionnaire"
ACTION_CRYPTO = "cryptoSourceOfFunds"
PAYMENT_METHOD_TYPES = ("bankCard", "eWallet", "wireTransfer", "cryptoWallet")
PAYMENT_SOURCE_TYPES = ("bankCard", "bankStatement", "eWallet", "cryptoWallet")
DOC_SET_PAYMENT_METHODS = "PAYMENT_METHODS"
DOC_SET_SELFIE = "SELFIE"
DOC_SET_IDENTITY = "IDENTITY"
ID_DOC_SUB_TYPES = ("FRONT_SIDE", "BACK_SIDE")
APPLICANT_TYPES = ("individual", "company")

# Reject labels (section 3.5), with the type the current docs group them under ("new" column;
# the "old" column where the new one is silent). Labels do not decide the reject type: scenarios
# pair each label with its typical type, and any label may be sent with either through testCompleted.
FINAL_LABELS = (
    "FORGERY",
    "DOCUMENT_TEMPLATE",
    "NOT_DOCUMENT",
    "SPAM",
    "SELFIE_MISMATCH",
    "FOREIGNER",
    "DUPLICATE",
    "WRONG_USER_REGION",
    "BLACKLIST",
    "BLOCKLIST",
    "REGULATIONS_VIOLATIONS",
    "INCONSISTENT_PROFILE",
    "AGE_REQUIREMENT_MISMATCH",
    "EXPERIENCE_REQUIREMENT_MISMATCH",
    "CRIMINAL",
    "COMPROMISED_PERSONS",
    "PEP",
    "ADVERSE_MEDIA",
    "FRAUDULENT_PATTERNS",
    "SANCTIONS",
    "FRAUDULENT_LIVENESS",
    "CHECK_UNAVAILABLE",
    "DB_DATA_MISMATCH",
    "DB_DATA_NOT_FOUND",
    "THIRD_PARTY_INVOLVED",
    "UNSUPPORTED_LANGUAGE",
    "SUSPICIOUS_PATTERNS",
    "STOLEN_DOCS",
    "EXTERNAL_DECISION_REJECTION",
    "RESTRICTED_PERSON",
    "INCORRECT_PATTERNS",
)
RETRY_LABELS = (
    "LOW_QUALITY",
    "ID_INVALID",
    "BAD_AVATAR",
    "INCOMPLETE_DOCUMENT",
    "UNSATISFACTORY_PHOTOS",
    "DOCUMENT_PAGE_MISSING",
    "DOCUMENT_DAMAGED",
    "PROBLEMATIC_APPLICANT_DATA",
    "ADDITIONAL_DOCUMENT_REQUIRED",
    "WRONG_ADDRESS",
    "GRAPHIC_EDITOR",
    "DOCUMENT_DEPRIVED",
    "NOT_ALL_CHECKS_COMPLETED",
    "FRONT_SIDE_MISSING",
    "BACK_SIDE_MISSING",
    "SCREENSHOTS",
    "BLACK_AND_WHITE",
    "INCOMPATIBLE_LANGUAGE",
    "EXPIRATION_DATE",
    "UNFILLED_ID",
    "BAD_SELFIE",
    "BAD_VIDEO_SELFIE",
    "BAD_FACE_MATCHING",
    "BAD_PROOF_OF_IDENTITY",
    "BAD_PROOF_OF_ADDRESS",
    "BAD_PROOF_OF_PAYMENT",
    "SELFIE_WITH_PAPER",
    "OTHER",
    "REQUESTED_DATA_MISMATCH",
    "OK",
    "COMPANY_NOT_DEFINED_STRUCTURE",
    "COMPANY_NOT_DEFINED_BENEFICIARIES",
    "COMPANY_NOT_VALIDATED_BENEFICIARIES",
    "COMPANY_NOT_DEFINED_REPRESENTATIVES",
    "COMPANY_NOT_VALIDATED_REPRESENTATIVES",
    "APPLICANT_INTERRUPTED_INTERVIEW",
    "CONNECTION_INTERRUPTED",
    "DIGITAL_DOCUMENT",
    "DOCUMENT_MISSING",
    "INCORRECT_SOCIAL_NUMBER",
    "UNSUITABLE_ENV",
    # The rest of ReviewResult.ReviewLabel (workflow-expression reference); no documented grouping.
    "GPS_AS_POA_SKIPPED",
    "MORE_DOCUMENTS_REQUIRED",
    "COMPANY_NOT_VALIDATED_BENEFICIAL_OWNERS",
    "COMPANY_NOT_VALIDATED_DIRECTORS",
    "UNSUITABLE_DOCUMENT",
    "OUTDATED_DOCUMENT_VERSION",
    "COMPANY_NOT_DEFINED_OWNERSHIP_STRUCTURE",
    "COMPANY_INACTIVE_ENTITY",
    "COMPANY_INCORRECT_DATA",
    "COMPANY_PROBLEMATIC_STRUCTURE",
    "COMPANY_DATA_MISMATCH",
    "DB_NO_DATA_SOURCE",
    "ESIGN_FAILED",
    "NO_APPLICANT",
    "NO_SUITABLE_DOCS",
    "NOT_ALONE",
    "CONNECTION_ISSUES",
    "CAMERA_OR_LIGHTING_ISSUES",
    "SOUND_ISSUES",
    "PHONE_VERIFICATION_ISSUES",
    "OTHER_VI_ISSUES",
    "REFUSED_TO_CONTINUE",
    "VIDEO_FILTERS_OR_MASKS",
    "SUPPORTED_LANGUAGE_IS_NOT_AVAILABLE",
    "ADDITIONAL_DATA_REQUIRED",
    "VI_ATTEMPTS_LIMIT_REACHED",
    "BEHAVIOR",
    "PERSON_MISMATCH",
    "THIRD_PARTY_GUIDANCE",
    "SPONSORED_VERIFICATION",
    "INSUFFICIENT_DATA",
)
REJECT_LABELS = FINAL_LABELS + RETRY_LABELS

# Webhook types (section 4.1).
WH_APPLICANT_CREATED = "applicantCreated"
WH_APPLICANT_PENDING = "applicantPending"
WH_APPLICANT_PRECHECKED = "applicantPrechecked"
WH_APPLICANT_REVIEWED = "applicantReviewed"
WH_APPLICANT_ON_HOLD = "applicantOnHold"
WH_ACTION_PENDING = "applicantActionPending"
WH_ACTION_REVIEWED = "applicantActionReviewed"
WH_ACTION_ON_HOLD = "applicantActionOnHold"
WH_ACTION_LEVEL_CHANGED = "applicantActionLevelChanged"
WH_APPLICANT_RESET = "applicantReset"
WH_APPLICANT_LEVEL_CHANGED = "applicantLevelChanged"
WH_APPLICANT_DEACTIVATED = "applicantDeactivated"
WH_APPLICANT_ACTIVATED = "applicantActivated"
WH_APPLICANT_DELETED = "applicantDeleted"
# Events that only announce something happened on the applicant (no review state change).
NOTICE_WEBHOOKS = (
    "applicantPersonalInfoChanged",
    "applicantTagsChanged",
    WH_APPLICANT_ACTIVATED,
    WH_APPLICANT_DEACTIVATED,
    WH_APPLICANT_DELETED,
    WH_APPLICANT_RESET,
    WH_APPLICANT_LEVEL_CHANGED,
    "applicantWorkflowCompleted",
    "applicantWorkflowFailed",
    "applicantPersonalDataDeleted",
    "videoIdentStatusChanged",
    "videoIdentCompositionCompleted",
)
APPLICANT_WEBHOOKS = (
    WH_APPLICANT_CREATED,
    WH_APPLICANT_PENDING,
    WH_APPLICANT_PRECHECKED,
    WH_APPLICANT_REVIEWED,
    WH_APPLICANT_ON_HOLD,
    *NOTICE_WEBHOOKS,
)
ACTION_WEBHOOKS = (WH_ACTION_PENDING, WH_ACTION_REVIEWED, WH_ACTION_ON_HOLD, WH_ACTION_LEVEL_CHANGED)
WEBHOOK_TYPES = APPLICANT_WEBHOOKS + ACTION_WEBHOOKS

# Webhook signing (section 4.3).
HEADER_PAYLOAD_DIGEST = "X-Payload-Digest"
HEADER_PAYLOAD_DIGEST_ALG = "X-Payload-Digest-Alg"
DIGEST_ALGS = {"HMAC_SHA1_HEX": "sha1", "HMAC_SHA256_HEX": "sha256", "HMAC_SHA512_HEX": "sha512"}
DEFAULT_DIGEST_ALG = "HMAC_SHA256_HEX"
WEBHOOK_RETRY_SCHEDULE = (5 * 60.0, 60 * 60.0, 5 * 3600.0, 18 * 3600.0)
WEBHOOK_TIMEOUT = 5.0

# Error codes (section 2.5): code -> (errorName, HTTP status, description).
ERROR_CODES: dict[int, tuple[str, int, str]] = {
    1000: ("duplicate-document", 409, "Duplicate document (image, video) was uploaded"),
    1001: ("too-many-documents", 400, "Applicant contains too many documents"),
    1002: ("file-too-big", 400, "Uploaded file is too big (more than 64MB)"),
    1003: ("empty-file", 400, "Uploaded file is empty (0 bytes)"),
    1004: ("corrupted-file", 400, "File is corrupted or of incorrect format"),
    1005: ("unsupported-file-format", 400, "Unsupported file format"),
    1006: ("no-upload-verification-in-progress", 409, "Applicant is being checked. Adding new data is not allowed"),
    1007: ("incorrect-file-size", 409, "The file size does not meet the file upload requirements"),
    1008: ("applicant-marked-as-deleted", 409, "Applicant is marked as deleted/inactive"),
    1009: ("applicant-with-final-reject", 409, "Applicant is rejected with the FINAL rejection type"),
    1010: ("doc-type-not-in-req-docs", 409, "Document type is not in the set of required documents"),
    1011: ("encrypted-file", 400, "Attempt to open an encrypted file"),
    4000: ("app-token-invalid-format", 401, "Invalid format of the X-App-Token value"),
    4001: ("app-token-not-found", 401, "App token does not exist"),
    4002: ("app-token-private-part-mismatch", 401, "Private part of the token does not match public part"),
    4003: ("app-token-signature mismatch", 401, "Request signature mismatch"),
    4004: ("app-token-request-expired", 401, "Request signature expired"),
    4005: ("app-token-invalid-value", 401, "Invalid authentication header values were provided"),
    4006: ("app-token-not-all-auth-params-provided", 401, "Not all required authorization headers were provided"),
    4007: ("app-token-invalid-params", 401, "Invalid authentication parameters were provided"),
}

# Date formats (section 0), as strftime patterns; milliseconds are appended by hand.
DATE_CREATED = "%Y-%m-%d %H:%M:%S"  # createdAt: "2024-07-09 05:11:41"
DATE_REVIEW = "%Y-%m-%d %H:%M:%S+0000"  # review.createDate / reviewDate
DATE_DAY = "%Y-%m-%d"  # dob, issuedDate, validUntil

# Defaults a fresh client gets.
CLIENT_ID = "kycsim"
DEFAULT_LEVEL = "basic-kyc-level"
DEFAULT_ACTION_LEVEL = "action-level-name"
DEFAULT_TTL = 600
MAX_TTL = 365 * 86400  # not documented; a year keeps every expiry a valid date on the virtual clock
ACCESS_TOKEN_PREFIX = "_act-"
LIST_DEFAULT_LIMIT = 1000
