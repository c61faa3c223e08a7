"""``kycsim webhooks ...``, and the parsers of ``kycsim listen`` and ``kycsim trigger``.

``webhooks`` prints tables of its lists like the other remote commands (``--json`` for JSON);
``listen`` and ``trigger`` print readable lines (their code is in ``cli_listen.py`` and
``cli_trigger.py``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

WEBHOOK_ACTIONS = ("list", "replay", "events", "deliveries", "endpoints")


def add_webhook_commands(remote: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add ``webhooks``, ``listen`` and ``trigger`` with ``remote`` (a parser that has ``--url``)."""
    w = remote("webhooks", "webhook deliveries, events and endpoints of a running simulator")
    w.add_argument("action", nargs="?", choices=WEBHOOK_ACTIONS, default="list")
    w.add_argument(
        "args",
        nargs="*",
        metavar="ARG",
        help="replay: DELIVERY_OR_EVENT_ID; endpoints: [list | add PROVIDER URL | delete ID | chaos ID K=V...]",
    )
    w.add_argument("--to", dest="to_url", help="with replay: send to this URL instead")
    w.add_argument("--tenant")
    w.add_argument("--provider")
    w.add_argument("--event-type", dest="event_type")
    w.add_argument("--endpoint", dest="endpoint_id")
    w.add_argument("--failed", action="store_true", help="list: only attempts that failed")
    w.add_argument("--limit", type=int, help="list, events, deliveries: only the newest N")
    w.add_argument("--secret", help="endpoints add: the signing secret")
    w.add_argument("--events", help="endpoints add: event types it wants, comma-separated (* wildcards)")
    w.add_argument("--option", action="append", default=[], metavar="KEY=VALUE", help="endpoints add: signing option")
    w.add_argument("--chaos", action="append", default=[], metavar="SWITCH=VALUE", help="endpoints add: chaos switch")
    w.add_argument("--unordered", action="store_true", help="endpoints add: do not hold events back per resource")
    w.add_argument("--all-tenants", action="store_true", help="endpoints add: every tenant's events (else --tenant)")

    listen = remote("listen", "follow a running simulator's events and forward each one, signed, to a local URL")
    listen.add_argument("--forward-to", dest="forward_to", required=True, metavar="URL", help="where to POST events")
    listen.add_argument("--provider", action="append", default=[], help="only this provider's events (repeatable)")
    listen.add_argument("--events", help="only these event types, comma-separated (* wildcards)")
    listen.add_argument("--tenant", help="only this tenant's events (the credential)")
    listen.add_argument("--secret", help="sign with this secret (default: the matching endpoint's secret)")
    listen.add_argument("--option", action="append", default=[], metavar="KEY=VALUE", help="signing option, e.g. alg=")
    listen.add_argument("--max-events", dest="max_events", type=int, help="stop after forwarding N events")
    listen.set_defaults(run=_run_listen)

    trigger = remote("trigger", "run a named scenario end to end on a running simulator and print its timeline")
    trigger.add_argument("scenario", metavar="SCENARIO")
    trigger.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="give up after this many wall seconds (default: wait as long as the scenario needs)",
    )
    trigger.add_argument(
        "--max-time", dest="max_time", default="365d", help="manual clock: move it at most this far (default 365d)"
    )
    trigger.add_argument("--tenant", help="the credential to play it with (a Checkout.com key, a Sumsub app token)")
    trigger.set_defaults(run=_run_trigger)


def pairs(items: list[str], what: str) -> dict[str, Any]:
    """``["alg=HMAC_SHA1_HEX", "duplicate=2"]`` -> a dict; true/false and numbers keep their type."""
    found: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise SystemExit(f"kycsim: {what} must look like KEY=VALUE, not {item!r}")
        try:
            found[key] = json.loads(raw)
        except ValueError:
            found[key] = raw
    return found


def check_provider(client: Any, provider: str | list[str] | None) -> None:
    """Refuse a ``--provider`` the running simulator does not have, with the closest names."""
    from simulator.control.client import ControlClientError
    from simulator.engine.names import did_you_mean

    names = [p for item in ([provider] if isinstance(provider, str) else provider or []) for p in item.split(",") if p]
    if not names:
        return
    known = client.health().get("providers") or []
    for name in names:
        if name not in known:
            hint = did_you_mean(name, known)
            raise ControlClientError(f"--provider: no provider {name!r} here{hint}; providers: {', '.join(known)}")


def list_kind(args: argparse.Namespace) -> str | None:
    """What ``kycsim webhooks ...`` lists (the table it prints), or None for one object."""
    if args.action == "endpoints":
        return "endpoints" if not args.args or args.args[0] == "list" else None
    return {"list": "attempts", "events": "events", "deliveries": "deliveries"}.get(args.action)


def webhooks_call(client: Any, args: argparse.Namespace) -> Any:
    rest = list(args.args)
    if args.action == "replay":
        if not rest:
            raise SystemExit("kycsim webhooks replay needs a delivery or event id (see `kycsim webhooks list`)")
        return client.replay_webhook(rest[0], url=args.to_url)
    if args.action == "events":
        return client.webhook_events(tenant=args.tenant, provider=args.provider, type=args.event_type, limit=args.limit)
    if args.action == "deliveries":
        return client.webhook_deliveries(
            tenant=args.tenant, provider=args.provider, endpoint_id=args.endpoint_id, limit=args.limit
        )
    if args.action == "endpoints":
        return _endpoints(client, args, rest)
    return client.webhooks(
        tenant=args.tenant,
        provider=args.provider,
        event_type=args.event_type,
        endpoint_id=args.endpoint_id,
        ok="false" if args.failed else None,
        limit=args.limit,
    )


def _endpoints(client: Any, args: argparse.Namespace, rest: list[str]) -> Any:
    action = rest.pop(0) if rest else "list"
    if action == "list":
        return client.webhook_endpoints(provider=args.provider, tenant=args.tenant)
    if action == "add":
        if len(rest) != 2 or not (args.tenant or args.all_tenants):
            raise SystemExit(
                "kycsim webhooks endpoints add PROVIDER URL (--tenant KEY | --all-tenants) [--secret S --events T1,T2"
                " --chaos K=V]"
            )
        return client.add_webhook_endpoint(
            rest[0],
            rest[1],
            secret=args.secret,
            tenant=args.tenant,
            events=args.events,
            options=pairs(args.option, "--option") or None,
            chaos=pairs(args.chaos, "--chaos") or None,
            ordered=False if args.unordered else None,
            all_tenants=True if args.all_tenants and not args.tenant else None,
        )
    if action == "delete" and len(rest) == 1:
        client.delete_webhook_endpoint(rest[0])
        return {"deleted": rest[0]}
    if action == "chaos" and rest:
        return client.update_webhook_endpoint(rest[0], chaos=pairs(rest[1:], "a chaos switch"))
    raise SystemExit("kycsim webhooks endpoints [list | add PROVIDER URL | delete ID | chaos ID SWITCH=VALUE ...]")


def _run_listen(args: argparse.Namespace) -> int:
    from simulator.cli_listen import listen
    from simulator.control.client import ControlClient, ControlClientError

    client = ControlClient(args.url, token=args.token)
    try:
        check_provider(client, args.provider)
    except ControlClientError as exc:
        print(f"kycsim: {exc}", file=sys.stderr)
        return 1
    finally:
        client.close()

    return listen(
        args.url,
        args.forward_to,
        providers=[p for item in args.provider for p in item.split(",") if p],
        events=args.events,
        tenant=args.tenant,
        secret=args.secret,
        options=pairs(args.option, "--option"),
        max_events=args.max_events,
        token=args.token,
    )


def _run_trigger(args: argparse.Namespace) -> int:
    from simulator.cli_trigger import trigger
    from simulator.engine.durations import parse_duration

    try:
        max_time = parse_duration(args.max_time)
    except ValueError as exc:
        raise SystemExit(f"kycsim trigger --max-time: {exc}") from None
    if args.timeout is not None and not args.timeout > 0:
        raise SystemExit("kycsim trigger --timeout: a number of seconds above 0")
    return trigger(
        args.url,
        args.scenario,
        tenant=args.tenant,
        timeout=args.timeout,
        max_time=max_time,
        as_json=args.json,
        token=args.token,
    )
