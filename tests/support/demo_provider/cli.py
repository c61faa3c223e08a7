"""The demo's ``kycsim`` subcommand: ``kycsim widgets`` lists the widgets being played (their runs)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_cli(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    widgets = command("widgets", "the demo's widgets and the scenario each one plays")
    widgets.add_argument("--tenant", help="only this tenant's")
    widgets.set_defaults(call=widgets_call)


def widgets_call(client: Any, args: argparse.Namespace) -> Any:
    return client.runs(provider="demo", tenant=args.tenant)["data"]
