"""A small Python client of the control API: the CLI and the pytest plugin both use it."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote

import httpx

TOKEN_ENV = "KYCSIM_CONTROL_TOKEN"


def control_headers(token: str | None = None) -> dict[str, str]:
    """The header a control call needs when kycsim has a control token (``token``, else the environment's)."""
    token = token or os.environ.get(TOKEN_ENV) or None
    return {"Authorization": f"Bearer {token}"} if token else {}


class ControlClientError(Exception):
    pass


class ControlClient:
    """``token``: the control token (default ``KYCSIM_CONTROL_TOKEN``), needed when kycsim has one."""

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        token: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.control_headers = control_headers(token)
        self._http = httpx.Client(
            base_url=self.base_url, transport=transport, timeout=timeout, headers=self.control_headers
        )

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self._http.request(method, f"/_sim{path}", **kwargs)
        except httpx.HTTPError as exc:
            raise ControlClientError(f"cannot reach kycsim at {self.base_url}: {exc}") from None
        if response.status_code == 204:
            return None
        try:
            data = response.json()
        except ValueError:
            raise ControlClientError(f"{method} {path}: {response.status_code} {response.text[:200]}") from None
        if response.status_code >= 400:
            message = data.get("error", {}).get("message") if isinstance(data, dict) else None
            raise ControlClientError(f"{method} /_sim{path}: {response.status_code} {message or data}")
        return data

    def health(self) -> dict:
        return self._call("GET", "/health")

    def scenarios(self, provider: str | None = None, product: str | None = None) -> list[dict]:
        params = {k: v for k, v in (("provider", provider), ("product", product)) if v}
        return self._call("GET", "/scenarios", params=params)["data"]

    def scenario(self, name: str) -> dict:
        return self._call("GET", f"/scenarios/{quote(name, safe='')}")  # a name is one path segment, whatever it holds

    def bind(
        self, scenario: str, match: dict[str, Any], *, tenant: str | None = None, times: int | None = None
    ) -> dict:
        body = {
            "scenario": scenario,
            "match": match,
            **({"tenant": tenant} if tenant else {}),
            **({"times": times} if times else {}),
        }
        return self._call("POST", "/bindings", json=body)

    def bindings(self) -> list[dict]:
        return self._call("GET", "/bindings")["data"]

    def delete_binding(self, binding_id: str) -> None:
        return self._call("DELETE", f"/bindings/{binding_id}")

    def reset(self, tenant: str | None = None) -> dict:
        return self._call("POST", "/reset", json={"tenant": tenant} if tenant else {})

    def clock(self, tenant: str | None = None) -> dict:
        return self._call("GET", "/clock", params={"tenant": tenant} if tenant else {})

    def advance(self, seconds: float | str, *, tenant: str | None = None) -> dict:
        try:
            body: dict[str, Any] = {"seconds": float(seconds)}
        except ValueError:
            body = {"duration": seconds}
        if tenant:
            body["tenant"] = tenant
        return self._call("POST", "/clock/advance", json=body)

    def webhooks(self, **filters: str) -> list[dict]:
        return self._call("GET", "/webhooks", params={k: v for k, v in filters.items() if v})["data"]

    def replay_webhook(self, delivery_id: str, *, url: str | None = None) -> dict:
        return self._call("POST", f"/webhooks/{delivery_id}/replay", json={"url": url} if url else {})

    def webhook_deliveries(self, **filters: Any) -> list[dict]:
        return self._call("GET", "/webhooks/deliveries", params={k: v for k, v in filters.items() if v})["data"]

    def webhook_events(self, **filters: Any) -> list[dict]:
        return self._call("GET", "/webhooks/events", params={k: v for k, v in filters.items() if v})["data"]

    def webhook_endpoints(self, **filters: Any) -> list[dict]:
        return self._call("GET", "/webhooks/endpoints", params={k: v for k, v in filters.items() if v})["data"]

    def add_webhook_endpoint(self, provider: str, url: str, **fields: Any) -> dict:
        body = {"provider": provider, "url": url, **{k: v for k, v in fields.items() if v is not None}}
        return self._call("POST", "/webhooks/endpoints", json=body)

    def update_webhook_endpoint(self, endpoint_id: str, **fields: Any) -> dict:
        return self._call("PATCH", f"/webhooks/endpoints/{endpoint_id}", json=fields)

    def delete_webhook_endpoint(self, endpoint_id: str) -> None:
        return self._call("DELETE", f"/webhooks/endpoints/{endpoint_id}")

    def runs(self, **filters: Any) -> dict:
        """Runs, and with ``tenant``: ``next_job_in_seconds`` (when that tenant's next job falls due)."""
        return self._call("GET", "/runs", params={k: v for k, v in filters.items() if v})

    def requests(self, **filters: Any) -> list[dict]:
        return self._call("GET", "/requests", params={k: v for k, v in filters.items() if v})["data"]

    def coverage(self) -> dict:
        return self._call("GET", "/coverage")

    def close(self) -> None:
        self._http.close()

    # Checkout.com AML Screening (provider control calls under /_sim/checkout/)

    def aml_resolve(self, screening_id: str, decision: str) -> dict:
        """Close an AML screening's open case as ``approved`` or ``declined``."""
        return self._call("POST", f"/checkout/aml-verifications/{screening_id}/resolve", json={"decision": decision})

    def aml_update_status(self, screening_id: str, status: str) -> dict:
        """Change a decided AML screening afterwards: ``review_required`` re-opens its review, ``approved`` /
        ``declined`` updates its decision."""
        return self._call("POST", f"/checkout/aml-verifications/{screening_id}/status", json={"status": status})

    def aml_monitoring_alert(self, screening_id: str, alerts: int = 1) -> dict:
        """Make ongoing monitoring of a monitored, approved screening raise ``alerts`` new alerts now."""
        return self._call(
            "POST", f"/checkout/aml-verifications/{screening_id}/monitoring-alert", json={"alerts": alerts}
        )
