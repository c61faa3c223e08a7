"""Replays: an event sent once more, by hand (the control API's and the CLI's ``replay``).

A replay is a delivery of its own (``replay=True``): one attempt, no retries, no chaos, in no
lane. It goes where the event went, or to a URL the caller names. Sent anywhere but a configured
endpoint's own URL, it reports the status only: replay must never read another server's answer
back to whoever asked (kycsim must not be a proxy).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from simulator.engine.webhooks.endpoints import Endpoint
from simulator.engine.webhooks.models import Delivery, Event

Target = tuple[Endpoint, str, str | None]  # the endpoint that signs, the URL, the delivery replayed


def replay_targets(
    event: Event,
    deliveries: Iterable[Delivery],
    url: str | None,
    configured_for: Callable[[Event], Endpoint | None],
) -> list[Target]:
    """Every endpoint ``event`` went to, at its delivery's URL; or, given ``url``, only that URL.

    ``configured_for`` names the endpoint whose secret signs an event that went nowhere.
    """
    sent_to = {d.endpoint.id: d for d in deliveries if d.event is event and not d.replay}
    if url is not None:
        endpoint = next(iter(sent_to.values())).endpoint if sent_to else _stand_in(event, url, configured_for)
        return [(endpoint, url, None)]
    return [(d.endpoint, d.url, d.id) for d in sent_to.values()]


def replay_delivery(delivery_id: str, event: Event, target: Target) -> tuple[Delivery, bool]:
    """The replay's delivery, and whether its attempt may echo the receiver's answer."""
    endpoint, url, replay_of = target
    d = Delivery(delivery_id, event, endpoint, url, replay=True, replay_of=replay_of)
    own_endpoint = endpoint.source != "replay" and url == endpoint.url
    return d, own_endpoint


def _stand_in(event: Event, url: str, configured_for: Callable[[Event], Endpoint | None]) -> Endpoint:
    """An endpoint to sign a replay of an event that went nowhere."""
    known = configured_for(event)
    if known is not None:
        return known
    return Endpoint("replay", event.provider, url, None, event.tenant, source="replay")
