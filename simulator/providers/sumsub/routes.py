"""The Sumsub route table (moto ``urls.py`` role): method, path, handler, unique name, schemas.

API rows run the toolkit's pipeline (request signature, body, request schema, handler, envelope);
``deferred`` rows read their body in the handler, after the checks Sumsub answers first (a
missing ``levelName``, an unknown applicant). Pages and control calls are ``plain`` rows.
"""

from __future__ import annotations

from simulator.providers.sumsub import access_tokens, applicant_actions, applicants, control, hosted, images
from simulator.toolkit.routes import Operation

APPLICANT = "/resources/applicants/{applicant_id}"
ACTION = "/resources/applicantActions/{action_id}"
FOR_APPLICANT = "/resources/applicantActions/-/forApplicant/{applicant_id}"


def api_operations() -> list[Operation]:
    return [
        # Applicants
        Operation(
            "POST",
            "/resources/applicants",
            applicants.create_applicant,
            "create_applicant",
            request="applicant.create.request",
            response="applicant",
            deferred=True,
        ),
        Operation(
            "GET",
            "/resources/applicants/{applicant_id:path}/one",
            applicants.get_applicant,
            "get_applicant",
            response="applicant",
        ),
        Operation("GET", f"{APPLICANT}/status", applicants.get_status, "get_applicant_status", response="review"),
        Operation(
            "GET",
            f"{APPLICANT}/requiredIdDocsStatus",
            applicants.get_required_id_docs_status,
            "get_steps_status",
            response="required_id_docs_status",
        ),
        Operation(
            "POST", f"{APPLICANT}/status/pending", applicants.request_check, "request_applicant_check", response="ok"
        ),
        Operation(
            "POST",
            f"{APPLICANT}/status/testCompleted",
            applicants.test_completed,
            "test_completed",
            request="test_completed.request",
            response="ok",
            deferred=True,
        ),
        Operation("POST", f"{APPLICANT}/reset", applicants.reset_applicant, "reset_applicant", response="ok"),
        Operation("POST", f"{APPLICANT}/info/idDoc", images.add_id_doc, "add_id_doc", response="id_doc", upload=True),
        Operation(
            "GET",
            "/resources/inspections/{inspection_id}/resources/{image_id}",
            images.get_inspection_image,
            "get_document_image",
        ),
        # Applicant actions
        Operation(
            "POST",
            FOR_APPLICANT,
            applicant_actions.create_action,
            "create_applicant_action",
            request="action.create.request",
            response="action",
            deferred=True,
        ),
        Operation(
            "POST",
            f"{FOR_APPLICANT}/",
            applicant_actions.create_action,
            "create_payment_source_action",
            request="action.create.request",
            response="action",
            deferred=True,
        ),
        Operation(
            "POST",
            f"{FOR_APPLICANT}/{{action_type}}",
            applicant_actions.create_typed_action,
            "create_typed_action",
            response="action",
            deferred=True,
        ),
        Operation("GET", f"{ACTION}/one", applicant_actions.get_action, "get_applicant_action", response="action"),
        Operation(
            "GET",
            "/resources/applicantActions/{selector}",
            applicant_actions.list_actions,
            "list_applicant_actions",
            response="action_list",
        ),
        Operation(
            "POST",
            f"{ACTION}/review/status/pending",
            applicant_actions.request_action_check,
            "request_action_check",
            response="action",
        ),
        Operation(
            "POST", f"{ACTION}/images", images.add_action_image, "add_action_image", response="image", upload=True
        ),
        Operation("GET", f"{ACTION}/images/{{image_id}}", images.get_action_image, "get_action_image"),
        Operation(
            "POST",
            f"{ACTION}/paymentMethod",
            applicant_actions.set_payment_method,
            "add_payment_method",
            request="payment_method.request",
            response="payment_method",
            deferred=True,
        ),
        Operation(
            "GET",
            "/resources/api/applicantActions/{action_id}/checks/latest",
            applicant_actions.latest_check,
            "get_latest_action_check",
            response="latest_check",
        ),
        # Access tokens, WebSDK links, health
        Operation(
            "POST",
            "/resources/accessTokens/sdk",
            access_tokens.create_sdk_token,
            "create_access_token",
            request="access_token.request",
            response="access_token",
        ),
        Operation(
            "POST",
            "/resources/accessTokens",
            access_tokens.create_legacy_token,
            "create_access_token_legacy",
            response="access_token",
        ),
        Operation(
            "POST",
            "/resources/sdkIntegrations/levels/-/websdkLink",
            access_tokens.create_websdk_link,
            "create_websdk_link",
            request="websdk_link.request",
            response="websdk_link",
        ),
        Operation(
            "POST",
            "/resources/sdkIntegrations/levels/{level_name}/websdkLink",
            access_tokens.create_legacy_websdk_link,
            "create_websdk_link_legacy",
            response="websdk_link",
            deferred=True,
        ),
        Operation("GET", "/resources/status/api", access_tokens.api_health, "api_health", response="ok", auth=False),
    ]


def page_operations() -> list[Operation]:
    return [
        Operation("GET", "/websdk/{kind:str}/{key}", hosted.show, "websdk_page", plain=True),
        Operation("GET", "/websdk/{kind:str}/{key}/state", hosted.state, "websdk_state", plain=True),
        Operation("POST", "/websdk/{kind:str}/{key}/submit", hosted.submit, "websdk_submit", plain=True),
        Operation("POST", "/websdk/{kind:str}/{key}/scenario", hosted.choose, "websdk_choose_scenario", plain=True),
        Operation("GET", "/idensic/l/", hosted.legacy_forward, "websdk_legacy_link", plain=True),
    ]


def control_operations() -> list[Operation]:
    return [
        Operation("POST", "/_sim/sumsub/app-tokens", control.add_app_token, "sim_add_app_token", plain=True),
        Operation("GET", "/_sim/sumsub/app-tokens", control.list_app_tokens, "sim_list_app_tokens", plain=True),
        Operation("POST", "/_sim/sumsub/webhooks", control.add_webhook, "sim_add_webhook", plain=True),
        Operation("GET", "/_sim/sumsub/webhooks", control.list_webhooks, "sim_list_webhooks", plain=True),
        Operation("POST", "/_sim/sumsub/submit", control.submit, "sim_submit", plain=True),
    ]


def operations() -> list[Operation]:
    return [*control_operations(), *api_operations(), *page_operations()]
