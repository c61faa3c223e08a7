"""Checkout.com Identities: applicants and Identity Verification (hosted flow), with the
machinery Face Authentication, ID/Address Document Verification and AML plug into."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from simulator.engine.scenarios.model import EffectContext, Scenario, Verb
from simulator.providers.base import Provider
from simulator.providers.checkout import constants as c
from simulator.providers.checkout import hosted, oauth, selection
from simulator.providers.checkout import verbs as scenario_verbs
from simulator.providers.checkout.auth import credential_of
from simulator.providers.checkout.errors import CheckoutError, new_request_id
from simulator.providers.checkout.schemas import REGISTRY
from simulator.providers.checkout.settings import SETTINGS
from simulator.providers.checkout.state import LINKS, LINKS_TENANT, State
from simulator.providers.checkout.webhooks import CheckoutWebhookProfile
from simulator.toolkit.pages import Outcome
from simulator.toolkit.story import Subject

if TYPE_CHECKING:
    from simulator.settings import Settings
    from simulator.simulator import Simulator
    from simulator.toolkit.routes import Call, Operation

_REQUEST_ID_KEY = c.REQUEST_ID_HEADER.lower().encode("latin-1")


class CheckoutProvider(Provider):
    """Checkout.com Identities at the root paths (``/applicants``, ``/identity-verifications``, ...).

    LIMITATIONS (where kycsim differs from the real API, and the choices made where sources disagree):

    - Auth: any ``Bearer sk_...``/``sk_sbox_...`` key is accepted and is its own tenant; keys are not
      checked against an account. ``pk_`` keys and other schemes get a bodiless 401. OAuth: ``POST
      /connect/token`` issues client-credentials tokens (point the SDK's authorization URI at it), signed
      by kycsim; only those are accepted (a forged or foreign token gets the bodiless 401). A token's tenant
      is ``oauth:<client_id>``; its ``exp`` is not enforced (the virtual clock may run far ahead of the
      hour a token is issued for), and a token whose ``scope`` lacks ``identity-verification`` gets 401
      (Checkout.com may answer 403).
    - Limits: a JSON body over ``max_body_bytes`` (1 MB by default; uploads: ``max_upload_bytes``) gets
      413 ``request_entity_too_large`` / ``request_body__too_large`` in the API's envelope (the gateway's
      own 413 body is not documented). Bodies nested deeper than 32 levels, with ``NaN``/``Infinity``,
      integers beyond 64 bits or lone surrogates answer 400 ``invalid_request`` /
      ``request_body__invalid_json``.
    - ``redirect_url`` must be an absolute ``http``/``https`` URL (422 ``redirect_url__invalid_format``
      otherwise): the API only says ``uri``, but the hosted page sends the applicant there, and a
      ``javascript:`` URL would run in the merchant's name. The page never navigates to anything else.
    - Errors: schema violations answer 422 ``request_invalid`` (400 ``invalid_request`` on the applicant
      endpoints, which document only 400); malformed JSON and non-JSON content types answer 400
      ``invalid_request``. Codes follow ``{object}__{attribute}__{error}`` with ``required``,
      ``invalid_format`` (pattern/format) and ``invalid`` (type, length, enum); the real service's exact
      code for a length or enum violation is not documented. 404 ``resource_not_found``-style bodies
      use ``<resource>_not_found`` codes; 409 uses ``<product>_status_invalid``. Unknown fields are ignored.
    - ``external_applicant_id`` is not held to the API reference's ``^ext_\\w+$``: the sandbox's own magic
      values are ``eaplt_...``. ``user_journey_id`` must match the spec's ``^usj_[a-z2-7]{26}$`` wherever it
      is given (else 422 ``user_journey_id__invalid``, the documented code, though a pattern decides it);
      it is required on Face Authentication, ID and Address Document Verification (422
      ``user_journey_id__required``; the newest Python SDK marks it optional, the API reference required)
      and optional on IDV, where a per-tenant default configuration id is used. One published webhook
      example carries ``usj_01heqt35...`` (a ULID-like id the pattern refuses): kycsim follows the spec.
    - IDV create answers ``status: created`` (the ``_created`` webhook carries ``created``; one API
      reference sample shows ``pending``). ``/create-and-open-idv`` answers ``pending`` with
      ``redirect_url`` and ``_links.verification_url``. Older clients' ``redirect_url`` on
      ``POST /identity-verifications`` is accepted and echoed.
    - Documents read carry a TD3 (passport-format) MRZ whatever their type; permit fields are not filled.
    - IDV bodies keep ``_links.verification_url`` of the newest attempt once one exists (as ubble's GET
      samples do). ``certifications``, ``verification_policy_version`` and ``phone_number`` are not
      produced.
    - Assets list images only (``face_image``, ``document_front_image``, ``document_back_image`` unless the
      document is a passport); videos and secondary documents need the account manager and are not
      simulated. Asset and report URLs point at the simulator (``/media/...``), not pre-signed S3 URLs,
      and do not expire.
    - The PDF report URL is under ``pdf_report`` (older SDKs read ``signed_url``). It exists after
      ``identity_verification_report_created`` for approved/declined checks, else 404.
    - Anonymizing a check whose attempt is still open first closes it (``_closed``, ``retry_required``,
      64001), then removes declared data, documents, face, verified identity and the attempts'
      phone and session data; the status is kept. Applicants stay readable after anonymize, without
      ``email`` and ``external_applicant_name``.
    - A new attempt while one is open terminates it with 64001 on the old attempt and sends ``_reset``;
      the check goes back to ``pending`` (not ``_closed``).
    - An unopened verification link expires after 15 virtual minutes with 61101
      (``applicant_never_started``); 61121 (``applicant_drop``) is available to scenarios. Under
      ``--speed instant`` the rule is off (every timed job fires at once there); scenarios expire links
      with the ``expire_link`` verb.
    - Webhook ``created_on`` always has six fractional digits (``2025-01-01T00:00:10.000000Z``), as every
      published example has, even on a whole virtual second; resource dates keep Go's form (fraction
      dropped when zero).
    - A PATCH of an anonymized applicant is refused with 400 ``invalid_request`` /
      ``applicant_anonymized`` (not documented; the endpoint documents 400): it would write personal data
      back. Reads keep working.
    - Webhooks use the Workflows 1.2.0 envelope only (not the legacy base64 ``event_data`` one, nor ubble's
      ECDSA-signed CloudEvents); ``_links.self`` points at ``/workflows/events/{id}`` on the simulator,
      which serves the event. Custom headers can be added per endpoint (``options.headers``).
    - Response codes: the section 5.1 table of the fact sheet, deprecated ones included. The May 2025
      codes page lists "switched tabs or applications" between 61203 and 61205 with its number and
      summary lost and no other source has it: kycsim produces it as deprecated ``61204 tab_switched``,
      an inference. Summaries use the current spellings (``connection_insufficient``, ``secondary_...``).
    - Sandbox magic values are honoured for IDV only, as documented, with any real code; the value's
      length (32 characters) is not enforced. A magic value whose codes do not exist falls through
      to the next selection rule.
    - After a scenario's script ends, a further attempt on the same check plays the product's default
      (happy path) scenario.
    - Attempt lists are newest first (the real order is not documented); ``limit`` above 100 answers 400.
    - Unopened or unfinished flows never "drop" on their own beyond the 15-minute link rule: what the
      applicant does is the scenario's (auto mode) or the person's (interactive mode) choice.
    - Idempotency keys are not implemented (the SDKs send none on identity calls).

    Face Authentication, ID/Address Document Verification and AML Screening:

    - The FA prerequisite (an approved IDV or FA of the applicant whose face was not anonymized) and
      the AML one (an approved IDV) answer 422 ``applicant_id__not_verified``: the real error for a
      missing reference face is not documented. ``user_journey_id`` is required on FA, IDDV and ADV create.
    - FA ``client_information`` has no document fields (``FavClientInformation``): sending them is a 422;
      FA attempts' ``applicant_session_information`` has no ``selected_documents``.
    - Document uploads are accepted as ``multipart/form-data`` (binary or text parts) and as JSON strings
      (data URLs or bare base64), whatever the SDKs and the spec disagree on. JPEG/PNG/PDF are told by
      their first bytes; more than 10 MB is ``<field>__too_large``; no malware scan. The 2025 spec's
      ``document_type``/``document_issuing_country`` are optional and shape the document read.
    - IDDV/ADV send exactly the event types Checkout.com lists for ID Document Verification, one per
      transition: an upload sends none, passing quality checks ``started``, failing them
      ``checks_inconclusive`` (``retry_required`` with the 61xxx code, the attempt ``quality_checks_aborted``),
      and Checkout.com ending the running attempt (the ``reset_attempt`` step, 64001, ``retry_required``)
      ``closed``, as does a forced close (``inconclusive`` or ``retry_required``). ubble's own names
      (``quality_checks_in_progress``, ``checks_in_progress``, ``quality_checks_aborted``, ``reset``,
      ``retry_requested``) are not Checkout.com events and are not sent. ADV uses the same names. ADV has no code
      column in the code table: it uses the IDDV codes that fit an address document.
    - IDDV assets and ``front/back_image_signed_url`` serve the uploaded files as uploaded; the document
      fields are Faker data consistent with the declared name and birth date. ADV ``_links`` has only
      ``self`` (as its spec); ``address_document.document_type`` is free text (no enum is documented).
    - AML: each transition sends its own event; ``aml_verification_status_changed`` only when a decided
      screening is changed afterwards: its review re-opened (``review_required``) or its decision updated
      (``approved`` <-> ``declined``), by the ``update_status`` step or
      ``POST /_sim/checkout/aml-verifications/{id}/status``. The event page says only "when the screening
      status changes"; sending it next to every change doubled each transition. Webhook data has no
      ``response_codes``/``user_journey_id``; the risk level is kept private (only legacy payloads carried
      it). Cases are resolved by a scenario step or ``POST /_sim/checkout/aml-verifications/{id}/resolve``;
      monitoring alerts come from scenario steps or ``.../monitoring-alert`` and need ``monitored: true``.
    """

    name = "checkout"
    products = c.PRODUCTS
    title = "Checkout.com Identities"
    sample_paths = ("/applicants", "/identity-verifications", "/face-authentications", "/aml-verifications")
    guide = "checkout.md"
    reference = "https://api-reference.checkout.com/"
    settings_fields = SETTINGS

    @classmethod
    def add_cli(cls, command: Any) -> None:
        from simulator.providers.checkout.cli import add_cli

        add_cli(command)

    def banner_line(self) -> str:
        return "Checkout.com Identities at /applicants, /identity-verifications, ..."

    def bind(self, sim: Simulator) -> None:
        super().bind(sim)
        self.oauth_key = oauth.signing_key(sim.settings.seed, sim.control_token)
        if sim.store.durable:  # tokens issued before a restart stay good, whatever the seed and control token now
            saved = sim.store.keep("checkout.oauth_key", lambda: json.dumps(self.oauth_key.hex()))
            if isinstance(saved, str):
                with contextlib.suppress(ValueError):
                    self.oauth_key = bytes.fromhex(saved)

    async def startup(self) -> None:
        from simulator.providers.checkout.lifecycle import rearm_link_expiries

        rearm_link_expiries(self.bound)  # links from before a restart (a durable store) expire all the same

    # Routing, the request pipeline's hooks and errors

    error = CheckoutError
    state_class = State
    schemas = REGISTRY

    def operations(self) -> list[Operation]:
        from simulator.providers.checkout.routes import operations

        return operations()

    def authenticate(self, request: Request, op: Operation) -> str:
        """The tenant: ``Authorization: Bearer <credential>`` (``auth.py``).

        Reads the first ``authorization`` header from the ASGI scope as ``request.headers.get``
        would (same value, latin-1), without building a Headers object on every call.
        """
        header = next((value for key, value in request.scope["headers"] if key == b"authorization"), None)
        return credential_of(None if header is None else header.decode("latin-1"), self.oauth_key)

    def accepts_json(self, media_type: str | None) -> bool:
        """``application/json``, ``text/json``, any ``+json``; no ``Content-Type`` is read as JSON."""
        return media_type is None or media_type in ("application/json", "text/json") or media_type.endswith("+json")

    def on_request(self, call: Call) -> None:
        """One request id per call, drawn once the tenant is known: the body's ``request_id`` and the header."""
        call.request.scope["state"]["request_id"] = new_request_id(call.sim, call.tenant)

    def on_response(self, call: Call, response: Response) -> None:
        # Read from raw_headers, not ``response.headers``, which builds a MutableHeaders on every
        # access; the pair appended is what it would add.
        raw_headers = response.raw_headers
        if not any(key == _REQUEST_ID_KEY for key, _ in raw_headers):
            request_id = call.request.scope["state"]["request_id"]
            raw_headers.append((_REQUEST_ID_KEY, request_id.encode("latin-1")))

    owns_unclaimed_paths = True  # its paths sit at the root: /applicants, /identity-verifications, ...

    def owns_path(self, path: str) -> bool:
        return not path.startswith("/_sim")

    # Scenarios: verbs with their effects (coverage is derived from them), sandbox convention

    _verbs: dict[str, Verb] | None = None

    def verbs(self) -> Mapping[str, Verb]:
        if self._verbs is None:  # bound once: the hosted page asks on every view
            self._verbs = scenario_verbs.VERBS.bind(self)
        return self._verbs

    def creation_effects(self, ctx: EffectContext) -> Mapping[str, Iterable[str]]:
        return scenario_verbs.created(ctx)

    signal_effects = scenario_verbs.SIGNAL_EFFECTS

    def sandbox_convention(self, product: str, facts: Mapping[str, Any]) -> Scenario | str | None:
        return selection.sandbox_convention(product, facts)

    # Webhooks

    def webhook_profile(self) -> CheckoutWebhookProfile:
        return CheckoutWebhookProfile()

    def webhook_options(self, settings: Settings) -> dict[str, Any]:
        authorization = settings.checkout_webhook_authorization
        return {"authorization": authorization} if authorization else {}

    # Coverage

    def coverage_targets(self) -> dict[str, set[str]]:
        return scenario_verbs.coverage_targets()

    outcome_groups = hosted.OUTCOME_GROUPS

    def outcome(self, scenario: Scenario) -> Outcome:
        return hosted.outcome(self.produces(scenario), scenario.product)

    def forget(self, tenant: str, run: dict[str, Any]) -> None:
        from simulator.providers.checkout import retention

        retention.forget(self.bound, tenant, run)

    def story(self, tenant: str, run: Mapping[str, Any], *, detail: bool = True) -> Subject:
        from simulator.providers.checkout import story

        return story.subject(self.bound, tenant, run, detail=detail)

    def reset(self, tenant: str | None) -> None:
        """Forget the tenant's hosted-page and media tokens (the store forgets the rest)."""
        if tenant is None or self.sim is None:
            return
        for link in self.sim.store.list(LINKS_TENANT, self.name, LINKS):
            if link.get("tenant") == tenant:
                self.sim.store.delete(LINKS_TENANT, self.name, LINKS, link["id"])

    # kycsim trigger

    def trigger(self, http: Any, scenario: Scenario, record: Any, tenant: str | None = None) -> dict[str, Any]:
        """Create an applicant, a check playing ``scenario`` and its first attempt, as a client would."""
        from simulator.providers.checkout import trigger

        return trigger.start(http, scenario, record, tenant)

    def trigger_resume(self, http: Any, run: Mapping[str, Any], created: Mapping[str, Any], record: Any) -> str | None:
        """Play the merchant's part the run waits for: a new attempt, or an AML case resolved."""
        from simulator.providers.checkout import trigger

        return trigger.resume(http, run, created, record)
