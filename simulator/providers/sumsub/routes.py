"""The Sumsub routing table (moto ``urls.py`` role): path, handler, methods, name."""

from __future__ import annotations

from starlette.routing import Route

from simulator.providers.sumsub import access_tokens, applicant_actions, applicants, control, documents, websdk

APPLICANT = "/resources/applicants/{applicant_id}"
ACTION = "/resources/applicantActions/{action_id}"
FOR_APPLICANT = "/resources/applicantActions/-/forApplicant/{applicant_id}"


def _r(path: str, handler, method: str, name: str) -> Route:
    return Route(path, handler, methods=[method], name=f"sumsub:{name}")


def api_routes() -> list[Route]:
    return [
        # Applicants
        _r("/resources/applicants", applicants.create_applicant, "POST", "create_applicant"),
        _r("/resources/applicants/{applicant_id:path}/one", applicants.get_applicant, "GET", "get_applicant"),
        _r(f"{APPLICANT}/status", applicants.get_status, "GET", "get_applicant_status"),
        _r(f"{APPLICANT}/requiredIdDocsStatus", applicants.get_required_id_docs_status, "GET", "get_steps_status"),
        _r(f"{APPLICANT}/status/pending", applicants.request_check, "POST", "request_applicant_check"),
        _r(f"{APPLICANT}/status/testCompleted", applicants.test_completed, "POST", "test_completed"),
        _r(f"{APPLICANT}/reset", applicants.reset_applicant, "POST", "reset_applicant"),
        _r(f"{APPLICANT}/info/idDoc", documents.add_id_doc, "POST", "add_id_doc"),
        _r(
            "/resources/inspections/{inspection_id}/resources/{image_id}",
            documents.get_inspection_image,
            "GET",
            "get_document_image",
        ),
        # Applicant actions
        _r(FOR_APPLICANT, applicant_actions.create_action, "POST", "create_applicant_action"),
        _r(f"{FOR_APPLICANT}/", applicant_actions.create_action, "POST", "create_payment_source_action"),
        _r(f"{FOR_APPLICANT}/{{action_type}}", applicant_actions.create_typed_action, "POST", "create_typed_action"),
        _r(f"{ACTION}/one", applicant_actions.get_action, "GET", "get_applicant_action"),
        _r("/resources/applicantActions/{selector}", applicant_actions.list_actions, "GET", "list_applicant_actions"),
        _r(f"{ACTION}/review/status/pending", applicant_actions.request_action_check, "POST", "request_action_check"),
        _r(f"{ACTION}/images", documents.add_action_image, "POST", "add_action_image"),
        _r(f"{ACTION}/images/{{image_id}}", documents.get_action_image, "GET", "get_action_image"),
        _r(f"{ACTION}/paymentMethod", applicant_actions.set_payment_method, "POST", "add_payment_method"),
        _r(
            "/resources/api/applicantActions/{action_id}/checks/latest",
            applicant_actions.latest_check,
            "GET",
            "get_latest_action_check",
        ),
        # Access tokens, WebSDK links, health
        _r("/resources/accessTokens/sdk", access_tokens.create_sdk_token, "POST", "create_access_token"),
        _r("/resources/accessTokens", access_tokens.create_legacy_token, "POST", "create_access_token_legacy"),
        _r(
            "/resources/sdkIntegrations/levels/-/websdkLink",
            access_tokens.create_websdk_link,
            "POST",
            "create_websdk_link",
        ),
        _r(
            "/resources/sdkIntegrations/levels/{level_name}/websdkLink",
            access_tokens.create_legacy_websdk_link,
            "POST",
            "create_websdk_link_legacy",
        ),
        _r("/resources/status/api", access_tokens.api_health, "GET", "api_health"),
    ]


def page_routes() -> list[Route]:
    return [
        _r("/websdk/{kind:str}/{key}", websdk.show, "GET", "websdk_page"),
        _r("/websdk/{kind:str}/{key}/state", websdk.state, "GET", "websdk_state"),
        _r("/websdk/{kind:str}/{key}/submit", websdk.submit, "POST", "websdk_submit"),
        _r("/websdk/{kind:str}/{key}/scenario", websdk.choose, "POST", "websdk_choose_scenario"),
        _r("/idensic/l/", websdk.legacy_forward, "GET", "websdk_legacy_link"),
    ]


def control_routes() -> list[Route]:
    return [
        _r("/_sim/sumsub/app-tokens", control.add_app_token, "POST", "sim_add_app_token"),
        _r("/_sim/sumsub/app-tokens", control.list_app_tokens, "GET", "sim_list_app_tokens"),
        _r("/_sim/sumsub/webhooks", control.add_webhook, "POST", "sim_add_webhook"),
        _r("/_sim/sumsub/webhooks", control.list_webhooks, "GET", "sim_list_webhooks"),
        _r("/_sim/sumsub/submit", control.submit, "POST", "sim_submit"),
    ]


def routes() -> list[Route]:
    return [*control_routes(), *api_routes(), *page_routes()]
