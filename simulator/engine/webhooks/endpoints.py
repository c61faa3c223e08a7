"""Webhook endpoints: where a provider's events go, which ones, signed with what.

Endpoints come from three places, all checked by :func:`endpoint_fields`: the providers'
own settings (``KYCSIM_CHECKOUT_WEBHOOK_URL`` ...), the ``webhooks.endpoints`` list of the
config file, and the control API (``POST /_sim/webhooks/endpoints``).
"""

from __future__ import annotations

import fnmatch
import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from simulator.engine.names import whole
from simulator.engine.webhooks.chaos import ChaosError, normalize

FIELDS = ("provider", "url", "secret", "tenant", "events", "options", "chaos", "ordered", "concurrency")
OPTIONS = ("alg", "authorization", "headers")  # signing options a provider's profile reads
CONCURRENCY = 64  # attempts in flight to one endpoint (and connections kept to it), by default
MAX_CONCURRENCY = 256


log = logging.getLogger("kycsim.webhooks")


class EndpointError(ValueError):
    """An endpoint definition kycsim cannot use; the message says which field and why."""


@dataclass
class Endpoint:
    id: str
    provider: str
    url: str
    secret: str | None = None
    tenant: str | None = None  # None: every tenant
    events: list[str] | None = None  # None: every event type; entries may use * wildcards
    options: dict[str, Any] = field(default_factory=dict)  # provider signing options (alg, authorization, ...)
    source: str = "api"  # settings | config | api
    chaos: dict[str, Any] = field(default_factory=dict)  # normalized chaos switches (see chaos.py)
    ordered: bool = True  # deliver events of one resource one after another
    concurrency: int = CONCURRENCY  # attempts in flight at once, each on a connection of its own

    def wants(self, tenant: str, event_type: str) -> bool:
        if self.tenant is not None and self.tenant != tenant:
            return False
        return not self.events or any(fnmatch.fnmatchcase(event_type, pattern) for pattern in self.events)

    def as_record(self) -> dict[str, Any]:
        """Every field, secret included: what the outbox keeps with each delivery (``Endpoint(**record)``)."""
        return {
            "id": self.id,
            "provider": self.provider,
            "url": self.url,
            "secret": self.secret,
            "tenant": self.tenant,
            "events": list(self.events) if self.events is not None else None,
            "options": dict(self.options),
            "source": self.source,
            "chaos": dict(self.chaos),
            "ordered": self.ordered,
            "concurrency": self.concurrency,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "provider": self.provider,
            "url": self.url,
            "secret": "set" if self.secret else None,
            "tenant": self.tenant,
            "all_tenants": self.tenant is None,
            "events": self.events,
            "options": self.options,
            "source": self.source,
            "chaos": self.chaos,
            "ordered": self.ordered,
            "concurrency": self.concurrency,
        }


class Endpoints(dict[str, "Endpoint"]):
    """The endpoints by id, numbered ``we_1``, ``we_2``... Those added through the API outlive a restart
    on a durable store (:meth:`snapshot`, :meth:`restore`); settings and the config file make the
    others again at each start, first, so theirs keep their ids while the configuration does not change."""

    def __init__(self) -> None:
        super().__init__()
        self.next_number = 1
        self.on_change: Callable[[], None] | None = None  # the store keeps the snapshot with the documents

    def new_id(self) -> str:
        self.next_number += 1
        return f"we_{self.next_number - 1}"

    def changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def renumber(self) -> None:
        """After a full reset: numbered on from the configured endpoints, as after a fresh start."""
        numbers = [int(e.removeprefix("we_")) for e in self if e.removeprefix("we_").isdigit()]
        self.next_number = max(numbers, default=0) + 1

    def snapshot(self) -> str:
        added = [e.as_record() for e in self.values() if e.source == "api"]
        return json.dumps({"next": self.next_number, "endpoints": added})

    def restore(self, saved: Any) -> None:
        """The API's endpoints a previous process left; one whose id a configured endpoint has now gets a new one."""
        if not isinstance(saved, dict) or not isinstance(saved.get("endpoints"), list):
            return
        if isinstance(saved.get("next"), int):
            self.next_number = max(self.next_number, saved["next"])
        for record in saved["endpoints"]:
            try:
                endpoint = Endpoint(**record)
            except TypeError:
                continue
            if endpoint.id in self:
                old, endpoint.id = endpoint.id, self.new_id()
                log.warning(
                    "endpoint %s (%s) is %s now: a configured endpoint has its id", old, endpoint.url, endpoint.id
                )
            self[endpoint.id] = endpoint


def _url(value: Any) -> str:
    problem = f"'url' must be an http(s) URL with a host, not {value!r}"
    if not isinstance(value, str) or not value.startswith(("http://", "https://")) or not 10 <= len(value) <= 2048:
        raise EndpointError(problem)
    if not value.isprintable() or " " in value:
        raise EndpointError(problem)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number in range
    except ValueError:
        raise EndpointError(problem) from None
    if not parts.hostname:
        raise EndpointError(problem)
    return value


_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$")


def _options(value: Any) -> dict[str, Any]:
    """Signing options: ``alg`` and ``authorization`` strings, ``headers`` an object of header values."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise EndpointError(f'\'options\' must be an object, e.g. {{"alg": "HMAC_SHA512_HEX"}}, not {value!r}')
    unknown = sorted(set(value) - set(OPTIONS))
    if unknown:
        raise EndpointError(f"unknown option(s) {', '.join(map(repr, unknown))}; known: {', '.join(OPTIONS)}")
    for name in ("alg", "authorization"):
        if value.get(name) is not None and not _header_value(value[name]):
            raise EndpointError(f"'options.{name}' must be a string of printable characters, not {value[name]!r}")
    headers = value.get("headers")
    if headers is not None and (
        not isinstance(headers, Mapping)
        or len(headers) > 20
        or not all(isinstance(k, str) and _HEADER_NAME.match(k) and _header_value(v) for k, v in headers.items())
    ):
        raise EndpointError("'options.headers' must be an object of up to 20 header names and string values")
    return dict(value)


def _header_value(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 4096 and value.isascii() and value.isprintable()


def _optional_str(name: str, value: Any) -> str | None:
    if value is None or (isinstance(value, str) and len(value) <= 1024):
        return value
    raise EndpointError(f"'{name}' must be a string of at most 1024 characters, not {value!r}")


def endpoint_fields(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Checked keyword arguments for ``Dispatcher.add_endpoint`` (``partial``: an update, nothing required)."""
    if not isinstance(data, Mapping):
        raise EndpointError(f"an endpoint must be an object with {', '.join(FIELDS)}")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise EndpointError(f"unknown endpoint field(s) {', '.join(unknown)}; known: {', '.join(FIELDS)}")
    missing = [] if partial else [k for k in ("provider", "url") if not data.get(k)]
    if missing:
        raise EndpointError(f"an endpoint needs {' and '.join(repr(k) for k in missing)}")
    clean: dict[str, Any] = {}
    for name, value in data.items():
        if name == "url":
            clean[name] = _url(value)
        elif name in ("provider", "secret", "tenant"):
            clean[name] = _optional_str(name, value)
        elif name == "events":
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
                raise EndpointError(f"'events' must be a list of event types, not {value!r}")
            clean[name] = value or None
        elif name == "options":
            clean[name] = _options(value)
        elif name == "chaos":
            try:
                clean[name] = normalize(value)
            except ChaosError as exc:
                raise EndpointError(str(exc)) from None
        elif name == "ordered":
            if not isinstance(value, bool):
                raise EndpointError(f"'ordered' must be true or false, not {value!r}")
            clean[name] = value
        elif name == "concurrency":
            value = whole(value)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_CONCURRENCY:
                raise EndpointError(f"'concurrency' must be a whole number from 1 to {MAX_CONCURRENCY}, not {value!r}")
            clean[name] = value
    return clean


def config_endpoints(webhooks: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The checked ``endpoints`` of the config file's ``webhooks`` section."""
    if not webhooks:
        return []
    if not isinstance(webhooks, Mapping):
        raise EndpointError("'webhooks' must be a mapping with an 'endpoints' list")
    unknown = sorted(set(webhooks) - {"endpoints"})
    if unknown:
        raise EndpointError(f"webhooks: unknown key(s) {', '.join(unknown)}; known: endpoints")
    items = webhooks.get("endpoints") or []
    if not isinstance(items, list):
        raise EndpointError("webhooks.endpoints must be a list of endpoints")
    checked = []
    for index, item in enumerate(items):
        try:
            checked.append(endpoint_fields(item))
        except EndpointError as exc:
            raise EndpointError(f"webhooks.endpoints[{index}]: {exc}") from None
    return checked


def add_config_endpoints(dispatcher: Any, webhooks: Mapping[str, Any] | None, providers: Mapping[str, Any]) -> None:
    """Register the config file's endpoints; one for a provider that is not loaded is skipped with a warning."""
    import logging

    for fields_ in config_endpoints(webhooks):
        provider = fields_.pop("provider")
        if provider not in providers:
            logging.getLogger("kycsim.webhooks").warning(
                "webhooks.endpoints: provider %r is not loaded (loaded: %s); endpoint %s skipped",
                provider,
                ", ".join(sorted(providers)),
                fields_["url"],
            )
            continue
        dispatcher.add_endpoint(provider, source="config", **fields_)
