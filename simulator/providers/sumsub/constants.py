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

# How scenario pickers group scenarios: by the worst answer reached, shown in this order.
NO_ANSWER = "no answer"
OUTCOME_GROUPS = (GREEN, f"{RED} · {RETRY}", f"{RED} · {FINAL}", ERROR, NO_ANSWER)

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
DOC_SET_PAYMENT_METHODS = "PAYMENT_METHODS"
DOC_SET_SELFIE = "SELFIE"
DOC_SET_IDENTITY = "IDENTITY"

# Reject labels (section 3.5), with the type the current docs group them under ("new" column;
# the "old" column where the new one is silent). Labels do not decide the reject type: scenarios
# pair each label with its typical type, and any label may be sent with either through testCompleted.
# Each with its meaning, in our words after Sumsub's label reference (ReviewResult.ReviewLabel).
FINAL_LABEL_MEANINGS = {
    "FORGERY": "Forgery attempt: a forged or falsified document",
    "DOCUMENT_TEMPLATE": "The documents are templates downloaded from the internet",
    "NOT_DOCUMENT": "The files supplied are not documents the verification can use",
    "SPAM": "Created by mistake, or a spam user (irrelevant images)",
    "SELFIE_MISMATCH": "The selfie does not match the photo on the document",
    "FOREIGNER": "Applicants from this country (or without a residence permit) are not accepted",
    "DUPLICATE": "The applicant already exists and duplicates are not allowed",
    "WRONG_USER_REGION": "Applicants from this region or country are not accepted",
    "BLACKLIST": "Blocklisted by Sumsub",
    "BLOCKLIST": "Blocklisted by the client",
    "REGULATIONS_VIOLATIONS": "Regulations are violated",
    "INCONSISTENT_PROFILE": "Data or documents of different people in one applicant",
    "AGE_REQUIREMENT_MISMATCH": "The age requirement is not met",
    "EXPERIENCE_REQUIREMENT_MISMATCH": "Not enough experience (driving experience, for instance)",
    "CRIMINAL": "Involved in illegal activity",
    "COMPROMISED_PERSONS": "Found on lists of compromised persons",
    "PEP": "A politically exposed person",
    "ADVERSE_MEDIA": "Found in adverse media",
    "FRAUDULENT_PATTERNS": "Fraudulent behaviour was detected",
    "SANCTIONS": "Found on sanctions lists",
    "FRAUDULENT_LIVENESS": "An attempt to bypass the liveness check",
    "CHECK_UNAVAILABLE": "The external database is unavailable at the moment",
    "DB_DATA_MISMATCH": "The data does not match the external database",
    "DB_DATA_NOT_FOUND": "The data is not in the external database",
    "THIRD_PARTY_INVOLVED": "Verifying for, or to hand the account to, a third party",
    "UNSUPPORTED_LANGUAGE": "No language in common with the video ident operator",
    "SUSPICIOUS_PATTERNS": "Suspicious patterns (an obsolete label)",
    "STOLEN_DOCS": "The documents are suspected stolen: their owner disowned the verification",
    "EXTERNAL_DECISION_REJECTION": "Rejected by the client's own decision, through the API",
    "RESTRICTED_PERSON": "Found on a restricted list (barred from betting, for instance)",
    "INCORRECT_PATTERNS": "Fraud networks: network patterns identified incorrectly",
}
RETRY_LABEL_MEANINGS = {
    "LOW_QUALITY": "The documents are too poor in quality to conclude",
    "ID_INVALID": "The identity document is not valid",
    "BAD_AVATAR": "The avatar does not meet the requirements",
    "INCOMPLETE_DOCUMENT": "Information is missing from the document, or only partly visible",
    "UNSATISFACTORY_PHOTOS": "Problems with the photos (poor quality, masked information)",
    "DOCUMENT_PAGE_MISSING": "Pages of the document are missing",
    "DOCUMENT_DAMAGED": "The document is damaged",
    "PROBLEMATIC_APPLICANT_DATA": "The applicant's data does not match the documents",
    "ADDITIONAL_DOCUMENT_REQUIRED": "More documents are needed to pass the check (image review)",
    "WRONG_ADDRESS": "The address on the documents is not the one entered",
    "GRAPHIC_EDITOR": "The document was edited in a graphics editor",
    "DOCUMENT_DEPRIVED": "The applicant has been deprived of the document",
    "NOT_ALL_CHECKS_COMPLETED": "Not all checks were completed",
    "FRONT_SIDE_MISSING": "The front side of the document is missing",
    "BACK_SIDE_MISSING": "The back side of the document is missing",
    "SCREENSHOTS": "Screenshots were uploaded",
    "BLACK_AND_WHITE": "Black-and-white photos of the documents were uploaded",
    "INCOMPATIBLE_LANGUAGE": "A translation of the document is needed",
    "EXPIRATION_DATE": "The document has expired",
    "UNFILLED_ID": "The document lacks signatures or stamps",
    "BAD_SELFIE": "The selfie is unusable",
    "BAD_VIDEO_SELFIE": "The video selfie is unusable",
    "BAD_FACE_MATCHING": "The face check between document and selfie failed",
    "BAD_PROOF_OF_IDENTITY": "The identity document is unusable",
    "BAD_PROOF_OF_ADDRESS": "The proof of address is unusable",
    "BAD_PROOF_OF_PAYMENT": "The proof of payment is unusable",
    "SELFIE_WITH_PAPER": "A special selfie is needed (holding a paper with the date, for instance)",
    "OTHER": "An unclassified reason",
    "REQUESTED_DATA_MISMATCH": "The data given does not match what was read from the document",
    "OK": "A custom reject label",
    "COMPANY_NOT_DEFINED_STRUCTURE": "The company's control structure could not be established",
    "COMPANY_NOT_DEFINED_BENEFICIARIES": "The company's beneficial owners could not be identified and verified",
    "COMPANY_NOT_VALIDATED_BENEFICIARIES": "The company's beneficiaries are not validated",
    "COMPANY_NOT_DEFINED_REPRESENTATIVES": "The company's representatives are not defined",
    "COMPANY_NOT_VALIDATED_REPRESENTATIVES": "The company's representatives are not validated",
    "APPLICANT_INTERRUPTED_INTERVIEW": "The applicant would not finish the video ident interview",
    "CONNECTION_INTERRUPTED": "The video ident call was cut off",
    "DIGITAL_DOCUMENT": "A digital document, which cannot be accepted",
    "DOCUMENT_MISSING": "The required documents were not shown on the video ident call",
    "INCORRECT_SOCIAL_NUMBER": "An incorrect TIN or SSN was given",
    "UNSUITABLE_ENV": "On the video ident call the applicant was not alone, or not visible",
    # The rest of ReviewResult.ReviewLabel (workflow-expression reference); no documented grouping.
    "GPS_AS_POA_SKIPPED": "Location as proof of address was skipped and no image uploaded",
    "MORE_DOCUMENTS_REQUIRED": "More documents are needed to pass the check (applicant review)",
    "COMPANY_NOT_VALIDATED_BENEFICIAL_OWNERS": "Not all beneficial owners passed KYC",
    "COMPANY_NOT_VALIDATED_DIRECTORS": "Not all directors passed KYC",
    "UNSUITABLE_DOCUMENT": "The wrong type of document, or one without its seal, apostille or notarisation",
    "OUTDATED_DOCUMENT_VERSION": "Not the latest version of the company document",
    "COMPANY_NOT_DEFINED_OWNERSHIP_STRUCTURE": "The ownership structure is missing or differs from the documents",
    "COMPANY_INACTIVE_ENTITY": "The company is inactive, dissolved or deregistered",
    "COMPANY_INCORRECT_DATA": "The company's name or numbers do not match the documents or the registry",
    "COMPANY_PROBLEMATIC_STRUCTURE": "Officials in the company's structure were rejected",
    "COMPANY_DATA_MISMATCH": "The company data on the documents does not match the registry",
    "DB_NO_DATA_SOURCE": "No enabled data source supports this input",
    "ESIGN_FAILED": "The e-signature failed, most likely over a personal data mismatch",
    "NO_APPLICANT": "The applicant could not join the call",
    "NO_SUITABLE_DOCS": "The applicant had no suitable document",
    "NOT_ALONE": "The applicant was not alone",
    "CONNECTION_ISSUES": "The applicant's connection was not good enough",
    "CAMERA_OR_LIGHTING_ISSUES": "The camera or the lighting was not good enough",
    "SOUND_ISSUES": "Problems with the applicant's audio devices",
    "PHONE_VERIFICATION_ISSUES": "The applicant could not complete the TAN step",
    "OTHER_VI_ISSUES": "The applicant must call back later: not prepared or able to go on",
    "REFUSED_TO_CONTINUE": "The applicant refused to continue the call",
    "VIDEO_FILTERS_OR_MASKS": "Video filters were applied",
    "SUPPORTED_LANGUAGE_IS_NOT_AVAILABLE": "The chosen language was not available",
    "ADDITIONAL_DATA_REQUIRED": "More data is needed to complete the video ident",
    "VI_ATTEMPTS_LIMIT_REACHED": "The video ident attempt limit was reached",
    "BEHAVIOR": "Inappropriate behaviour, or a condition unfit for the call",
    "PERSON_MISMATCH": "The call was started by someone other than the applicant",
    "THIRD_PARTY_GUIDANCE": "The applicant was misled or forced by a third party",
    "SPONSORED_VERIFICATION": "Suspected paid account opening",
    "INSUFFICIENT_DATA": "Fraud networks: not enough data to decide",
}
FINAL_LABELS = tuple(FINAL_LABEL_MEANINGS)
RETRY_LABELS = tuple(RETRY_LABEL_MEANINGS)
REJECT_LABELS = FINAL_LABELS + RETRY_LABELS
LABEL_MEANINGS = {**FINAL_LABEL_MEANINGS, **RETRY_LABEL_MEANINGS}  # what pickers and pages show beside a label

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
