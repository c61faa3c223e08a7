"""Sumsub's control calls in the Python client: ``kycsim.sumsub.<call>`` (see ``control.py``)."""

from __future__ import annotations

from simulator.toolkit.client import ControlCalls, Items, Nothing, Obj, present


class SumsubCalls(ControlCalls[Obj, Items, Nothing]):
    """App tokens, webhook endpoints and the applicant's submission (``/_sim/sumsub/...``)."""

    def add_app_token(self, app_token: str, secret_key: str, *, current_secret_key: str | None = None) -> Obj:
        """Register an app token (``sbx:<public>.<private>``) and its secret key: requests signed with the pair
        are accepted from now on, as a tenant of their own. Changing the secret of a registered token needs
        its current one (``current_secret_key``)."""
        body = present(appToken=app_token, secretKey=secret_key, currentSecretKey=current_secret_key)
        return self._object("POST", "/sumsub/app-tokens", json=body)

    def app_tokens(self, tenant: str | None = None) -> Items:
        """The registered app tokens (masked), or only ``tenant``."""
        return self._items("/sumsub/app-tokens", present(tenant=tenant))

    def add_webhook(
        self,
        url: str,
        *,
        app_token: str | None = None,
        all_tenants: bool = False,
        secret: str | None = None,
        alg: str | None = None,
        events: list[str] | None = None,
    ) -> Obj:
        """A webhook endpoint for one app token's events (``app_token``) or every tenant's (``all_tenants``),
        signed with ``secret`` by ``alg`` (``HMAC_SHA1_HEX``, ``HMAC_SHA256_HEX``, ``HMAC_SHA512_HEX``)."""
        body = present(url=url, appToken=app_token, secret=secret, alg=alg, events=events)
        if all_tenants:
            body["allTenants"] = True
        return self._object("POST", "/sumsub/webhooks", json=body)

    def webhooks(self, app_token: str | None = None) -> Items:
        """The Sumsub webhook endpoints, or only those of ``app_token``."""
        return self._items("/sumsub/webhooks", present(appToken=app_token))

    def submit(
        self, *, app_token: str | None = None, applicant_id: str | None = None, action_id: str | None = None
    ) -> Obj:
        """The applicant completes the flow (an applicant's, or an action's with ``action_id``), as the hosted
        page's button does: ``{"submitted": bool, "reviewStatus": ...}``."""
        body = present(appToken=app_token, applicantId=applicant_id, actionId=action_id)
        return self._object("POST", "/sumsub/submit", json=body)


CLIENT = SumsubCalls  # what the Python client finds through the provider registry
