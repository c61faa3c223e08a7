"""Sumsub: signed API, applicants and applicant actions with their review lifecycle and webhooks."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from simulator.bodies import body_limit
from simulator.engine.scenarios.model import EffectContext, Scenario, Verb
from simulator.providers.base import Provider
from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub.auth import Credentials, authenticate
from simulator.providers.sumsub.errors import SumsubError
from simulator.providers.sumsub.schemas import REGISTRY
from simulator.providers.sumsub.settings import SETTINGS
from simulator.providers.sumsub.state import SumsubState
from simulator.toolkit.pages import Outcome
from simulator.toolkit.story import Subject

if TYPE_CHECKING:
    from simulator.engine.webhooks.models import WebhookProfile
    from simulator.settings import Settings
    from simulator.toolkit.routes import Operation

JSON_MEDIA_TYPE = re.compile(r"^application/(?:[a-z0-9.!#$&^_-]+\+)?json$")  # application/json, application/x+json


class SumsubProvider(Provider):
    """Sumsub's API as apps and SDKs see it (fact sheet ``reference/sumsub-actions.md``).

    LIMITATIONS (where the sources conflict or are silent, and what the simulator chose):

    - List of actions: the docs call ``items``/``totalItems`` root fields, the legacy docs and a
      live-API client read ``list.items``. Responses carry both: ``{"list": {"items", "totalItems"},
      "items", "totalItems"}``.
    - Create applicant answers 201 (Sumsub's Postman collection); clients that demand 200 fail
      as they would against Sumsub.
    - ``errorName`` of 4005-4007 is not published; the simulator uses ``app-token-invalid-value``,
      ``app-token-not-all-auth-params-provided`` and ``app-token-invalid-params`` (go-sumsub's
      constant names). 4004 is HTTP 401 (assumed). 4003 keeps the official spelling
      ``app-token-signature mismatch``. Missing headers are 4006, a non-numeric timestamp 4005.
    - The signature window is +-60 s against wall time (not the virtual clock: clients sign with
      real time). GET bodies and whole multipart bodies are signed, as Sumsub requires.
    - Unknown ids: a value that is not a 24-hex id is 400 ``Invalid id '<id>'`` (documented); a
      well-formed unknown id is 404 (assumed, wording ours).
    - Errors with no published wording use the documented envelope without ``errorCode`` and
      kycsim's words: an unknown path is 404 ``Not found``, another method 405 ``Method not
      allowed``, an unexpected failure 500 ``Error`` (its cause only in kycsim's log), and an
      unreadable or invalid JSON body 400 with a description of what is wrong.
    - Create action: an empty request (only ``externalActionId``) is 400 with our wording; a
      duplicate ``externalActionId`` on the same applicant is 409 (not documented).
    - Action ``type`` is inferred: ``paymentMethod`` for payment method/source bodies or levels
      named like ``pay``/``card``; ``selfieAuth`` for levels named like ``selfie``/``face``/
      ``liveness`` and otherwise; ``questionnaire`` / ``cryptoSourceOfFunds`` where the body says so.
      Levels are not configured anywhere: any ``levelName`` is accepted.
    - Reviews: ``reviewAnswer`` ERROR is offered for actions only (legacy action docs). Statuses
      ``awaitingUser``/``awaitingService`` (newer flows) are not produced.
    - ``checks/latest`` answers ``{"checks": [<latest>]}`` (shape not documented).
    - Webhooks carry the 4.2 fields that apply (no explicit ``null`` keys); ``reviewResult`` only
      once completed; ``createdAtMs`` and not the older ``createdAt``.
    - Access tokens look like ``_act-sbx-<uuid>`` (sandbox tokens) or ``_act-<uuid>``; the newer
      JWT-like form is not produced. Links point at the simulator: ``/websdk/p/<id>`` (current)
      and ``/idensic/l/#/<id>`` (legacy); access tokens open at ``/websdk/t/<token>``.
    - ``testCompleted`` is the sandbox mechanism (``sbx:`` tokens only; ``prd:`` gets the
      documented 400): it stops the applicant's scenario and completes the review at once. The docs
      mark ``rejectLabels`` required (``[]`` for GREEN); public integrations send
      ``{"reviewAnswer": "GREEN"}`` alone, so kycsim requires the labels only with RED.
    - JSON endpoints answer ``415 {"description": "HTTP 415 Unsupported Media Type", "code": 415,
      "correlationId"}`` when the body comes with another ``Content-Type`` (``application/json`` and
      ``application/*+json`` are JSON); a body sent with no ``Content-Type`` at all is read as JSON
      (assumed: lenient for clients that leave the header out). Multipart endpoints take multipart.
    - Sandbox convention (selection rule 3): the verification document templates, recognised by the
      original file name of an applicant document upload, extension ignored (``*_Approved`` GREEN,
      ``*_Rejected`` RED RETRY with the label of the rejected step), see :mod:`sandbox`. Sumsub also
      matches a template by its file contents; kycsim has not the files, so only names count. The docs
      mention templates that end in a final rejection but the pages we could read do not name them:
      none is recognised. Which labels a rejected template brings is not documented: kycsim uses the
      step's ``BAD_PROOF_OF_*`` / ``BAD_SELFIE`` RETRY label. Templates apply to applicants only.
    - Actions have no sandbox API (as on Sumsub): their outcome comes from the scenario, chosen by
      the ``X-KycSim-Scenario`` header, a binding, an email tag or the hosted page.
    - Image ``answer`` appears once the action is reviewed; ``X-Return-Doc-Warnings`` is ignored.
      Uploads accept JPEG, PNG, PDF, GIF, WEBP, HEIC, MP4, MOV and WEBM by their magic bytes; TIFF
      and BMP are 1005, anything else 1004 (in Sumsub's wording ``Corrupted file for applicant
      <id> and type imageUpload``); 1001, 1007 and 1011 are never produced. Multipart parts are
      read as bytes whether or not they carry a filename (form-data sends Buffers without one).
    - When things move (CONTRACT "When the simulated person acts"): an applicant or action made by API
      has nobody behind it, so its scenario's ``submit`` steps wait and nothing else is scheduled; the
      client's request check (``status/pending``, actions ``review/status/pending``) is the submission,
      after which the scenario's later steps play from that moment. An access token or WebSDK link for
      the user (for an action, one carrying its ``externalActionId``), or the page opened, hands the flow
      to a person: in ``auto`` mode the scenario then plays them, its submit delay counted from the
      hand-off; in ``interactive`` mode the person submits on the page or through ``/_sim/sumsub/submit``
      (which is a hand-off too). The token's or link's ``levelName`` is not compared with the
      applicant's level. A grant issued before the applicant (action) exists applies when it is created,
      until the grant expires. One submission is one attempt: the client's check moves the run past the
      person's ``submit`` step, and the person's submission makes a later check a 409.
    - Steps a scenario puts before its first ``submit`` are not the person's: they play from creation
      (every bundled scenario starts with ``submit``).
    - The applicant played by a scenario (or submitting on the hosted page) "takes" generated
      PNGs (passport + selfie; card or selfie for actions) when the client uploaded none; an API
      request check submits what was uploaded.
    - Request check refusals, all HTTP 409 in the plain envelope (no ``errorCode``): a required step
      (a docSet of ``requiredIdDocs``) with no image is the documented "Not all required documents or
      data are submitted. Make sure to complete [IDENTITY, SELFIE] verification steps beforehand." (a
      ``FRONT_SIDE`` without its ``BACK_SIDE`` leaves the step incomplete, as "Get started with API"
      says; a passport is complete with one side; a questionnaire step is complete when the action
      carries ``questionnaires`` / crypto data). While ``pending``, ``queued`` or ``prechecked`` the docs
      say the call cannot be used but give no code: 409 (a conflict with the review's state, like upload
      error 1006), wording ours; ``onHold`` is refused the same way (not documented; kycsim's review is
      still under way there). After a FINAL rejection: 409 (the dashboard offers no check for rejected
      profiles). After GREEN the call answers ``{"ok": 1}`` and changes nothing. ``?reason=`` is accepted.
    - ``agreement`` (actions) is written only when the person submits on the (simulated) WebSDK, where
      they consented; an API request check leaves it out.
    - 4007 (invalid auth parameters) is never produced: no source says what triggers it.
    - Opening a link or token page creates the applicant (``applicantPlatform: "Web"``; on the
      default level ``basic-kyc-level`` when the link is for an action level, and then not handed off:
      the person came for the action, not the applicant's own KYC) and the action; a link made without
      a user id gets one on its first visit.
    - Reset keeps ``attemptCnt`` and ``reviewId``, clears the result and uploaded images, and
      plays the applicant's scenario again from its start.
    - The ``/resources/status/api`` health check needs no signature and answers ``{"ok": 1}``.
    - Limits: a JSON body over ``max_body_bytes`` (1 MB by default) gets 413 ``HTTP 413 Request Entity
      Too Large`` in the error envelope (the gateway's own answer is not documented); an upload over
      ``max_upload_bytes`` (65 MB, Sumsub's 64 MB file limit plus the envelope) gets 1002 file-too-big.
      Bodies nested deeper than 32 levels, with ``NaN``/``Infinity``, integers beyond 64 bits or lone
      surrogates are 400 "Request body is not valid JSON". ``ttlInSecs`` is at most a year (not
      documented). Changing the secret key of an app token already registered through
      ``/_sim/sumsub/app-tokens`` needs its current one (``currentSecretKey``).
    - Resubmission after RED/RETRY (hosted page, request check or ``/_sim/sumsub/submit``) is a new
      attempt: new ``attemptId``, ``attemptCnt`` + 1, same ``reviewId``, ``applicantPending`` /
      ``applicantActionPending`` again. When the scenario does not script the resubmission itself, the
      new attempt follows a verification document template uploaded since (rule 3), else the scenario
      the person picks on the page, else the product's default
      (``applicant-approved`` / ``action-approved``, GREEN): the subject's run is replaced. The pictures
      taken for the first attempt are kept. FINAL rejections refuse resubmission.
    - Link ``redirect``: the docs give the fields and say the applicant goes to ``successUrl`` after a
      successful and to ``rejectUrl`` after a failed verification; kycsim reads that as GREEN / RED once
      the review is final (a RETRY whose scenario scripts a resubmission is not final yet). The URLs keep
      their own query. Not documented for links, so assumed: ``allowedQueryParams`` names the query
      parameters of the opened link that are passed on to the redirect URL, and ``signKey`` adds the
      ``jwt`` parameter Sumsub documents for its post-verification redirect URL (HS256, the key used
      raw, ``{iat, exp: iat + 7 days, sub: externalUserId, aud: clientId}``; it reproduces the docs'
      example token). In ``auto`` mode the page leaves for the URL 2 s after showing the result; in
      ``interactive`` mode the person follows the link. Access-token pages have no redirect.
    """

    name = c.PROVIDER
    products = (c.APPLICANT, c.APPLICANT_ACTION)
    title = "Sumsub"
    sample_paths = ("/resources/applicants", "/resources/applicantActions", "/resources/accessTokens/sdk")
    guide = "sumsub.md"
    reference = "https://docs.sumsub.com/reference"
    settings_fields = SETTINGS

    def banner_line(self) -> str:
        return "Sumsub at /resources/..."

    def __init__(self) -> None:
        super().__init__()
        self.credentials = Credentials()

    def bind(self, sim) -> None:
        super().bind(sim)
        self.credentials.configure(sim.settings.sumsub_app_token, sim.settings.sumsub_secret_key)
        if sim.store.durable:  # app tokens registered at run time outlive a restart, as the documents do
            self.credentials.restore(sim.store.keep("sumsub.app_tokens", self.credentials.snapshot))
            self.credentials.on_change = functools.partial(sim.store.changed, "sumsub.app_tokens")

    # Routing, the request pipeline's hooks and errors

    error = SumsubError
    state_class = SumsubState
    schemas = REGISTRY
    json_required = True  # an empty body where a JSON object is expected is a 400

    def operations(self) -> list[Operation]:
        from simulator.providers.sumsub.routes import operations

        return operations()

    async def authenticate(self, request: Request, op: Operation) -> str:
        """The app token of a correctly signed request (``auth.py``), checked over the body as sent."""
        return await authenticate(
            request, self.credentials, self.bound.clock.wall, body_limit(request, upload=op.upload)
        )

    def accepts_json(self, media_type: str | None) -> bool:
        """``application/json`` or ``application/*+json``, or no ``Content-Type`` at all: a client that
        leaves the header out still gets on."""
        return media_type is None or bool(JSON_MEDIA_TYPE.match(media_type))

    def owns_path(self, path: str) -> bool:
        return path.startswith(("/resources", "/websdk", "/idensic"))

    _verbs: dict[str, Verb] | None = None

    def verbs(self) -> Mapping[str, Verb]:
        if self._verbs is None:  # bound once: the hosted page asks on every view
            from simulator.providers.sumsub.verbs import VERBS

            self._verbs = VERBS.bind(self)
        return self._verbs

    def creation_effects(self, ctx: EffectContext) -> Mapping[str, Iterable[str]]:
        from simulator.providers.sumsub.verbs import created

        return created(ctx)

    def sandbox_convention(self, product: str, facts: Mapping[str, Any]) -> Scenario | str | None:
        """Rule 3: the verification document templates, by the uploaded files' names (``facts["images"]``:
        the applicant's images, oldest first). Applied on upload (:func:`sandbox.apply`), since the
        files arrive after the applicant is created."""
        from simulator.providers.sumsub.sandbox import scenario_name

        return scenario_name(facts.get("images") or []) if product == c.APPLICANT else None

    def webhook_profile(self) -> WebhookProfile:
        from simulator.providers.sumsub.webhooks import SumsubWebhookProfile

        return SumsubWebhookProfile()

    def webhook_options(self, settings: Settings) -> dict[str, Any]:
        return {"alg": settings.sumsub_webhook_alg}

    def coverage_targets(self) -> dict[str, set[str]]:
        from simulator.providers.sumsub.verbs import coverage_targets

        return dict(coverage_targets())

    outcome_groups = c.OUTCOME_GROUPS

    def outcome(self, scenario: Scenario) -> Outcome:
        from simulator.providers.sumsub.verbs import outcome

        return outcome(scenario.product, self.produces(scenario))

    def trigger(self, http: Any, scenario: Scenario, record: Any, tenant: str | None = None) -> dict[str, Any]:
        """Create the applicant (and action) with the scenario header and hand the flow to the person with an
        access token. ``tenant``: an app token this process knows the secret of (default: the settings')."""
        from simulator.providers.sumsub import trigger

        token = tenant or self._settings().sumsub_app_token
        return trigger.trigger(http, scenario, record, token, self._secret(token), self._wall())

    def trigger_resume(self, http: Any, run: Mapping[str, Any], created: Mapping[str, Any], record: Any) -> str | None:
        from simulator.providers.sumsub import trigger

        return trigger.resume(http, run, created, record, self._secret(created["tenant"]), self._wall())

    def _settings(self) -> Any:
        return self.bound.settings

    def _wall(self) -> Any:
        return self.bound.clock.wall

    def _secret(self, token: str) -> str:
        secret = self.credentials.secret_for(token)
        if secret is None:
            raise ValueError(f"no secret key is known here for the app token {token!r} (KYCSIM_SUMSUB_SECRET_KEY)")
        return secret

    def forget(self, tenant: str, run: dict[str, Any]) -> None:
        """Retention: the finished run's action (or applicant, once none of its actions is kept), with its images."""
        subject, store = run.get("subject") or {}, self.bound.store
        kind = c.KIND_ACTION if subject.get("kind") == "action" else c.KIND_APPLICANT
        doc = store.get(tenant, c.PROVIDER, kind, str(subject.get("id")))
        if doc is None or doc.get("_run") != run["id"]:
            return  # gone already, or playing another run
        if kind == c.KIND_APPLICANT and any(
            a.get("applicantId") == doc["id"] for a in store.list(tenant, c.PROVIDER, c.KIND_ACTION)
        ):
            return  # its actions still need it
        for image_id in doc.get("_images", []):
            store.delete(tenant, c.PROVIDER, c.KIND_IMAGE, str(image_id))
        store.delete(tenant, c.PROVIDER, kind, doc["id"])

    def story(self, tenant: str, run: Mapping[str, Any], *, detail: bool = True) -> Subject:
        from simulator.providers.sumsub import story

        return story.subject(self.bound, tenant, run, detail=detail)

    def reset(self, tenant: str | None) -> None:
        """Credentials added at run time stay: they are configuration, not state."""
