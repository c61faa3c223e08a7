"""Checkout.com's ``kycsim`` subcommands: ``kycsim aml resolve|monitoring-alert|update-status``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_cli(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    aml = command("aml", "Checkout.com AML Screening: resolve a case, raise a monitoring alert, change a decision")
    aml.add_argument("action", choices=["resolve", "monitoring-alert", "update-status"])
    aml.add_argument("screening_id", metavar="AMLV_ID")
    aml.add_argument(
        "decision",
        nargs="?",
        choices=["approved", "declined", "review_required"],
        help="with resolve (approved|declined) or update-status (review_required re-opens the review)",
    )
    aml.add_argument("--alerts", type=int, default=1, help="with monitoring-alert (default 1)")
    aml.set_defaults(call=aml_call)


def aml_call(client: Any, args: argparse.Namespace) -> Any:
    calls = client.provider("checkout")  # client.py's CheckoutCalls
    if args.action == "monitoring-alert":
        return calls.aml_monitoring_alert(args.screening_id, args.alerts)
    if args.action == "update-status":
        if args.decision is None:
            raise SystemExit("kycsim aml update-status AMLV_ID approved|declined|review_required")
        return calls.aml_update_status(args.screening_id, args.decision)
    if args.decision not in ("approved", "declined"):
        raise SystemExit("kycsim aml resolve AMLV_ID approved|declined")
    return calls.aml_resolve(args.screening_id, args.decision)
