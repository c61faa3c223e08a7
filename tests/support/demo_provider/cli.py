"""The demo's ``kycsim`` subcommands: ``kycsim widgets`` lists the widgets being played (their runs);
``kycsim widget-status WIDGET_ID STATUS`` sets one's status now (its client call, ``client.py``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def add_cli(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    widgets = command("widgets", "the demo's widgets and the scenario each one plays")
    widgets.add_argument("--tenant", help="only this tenant's")
    widgets.set_defaults(call=lambda client, args: client.runs(provider="demo", tenant=args.tenant)["data"])
    status = command("widget-status", "set a demo widget's status now (its event goes out)")
    status.add_argument("widget_id", metavar="WIDGET_ID")
    status.add_argument("status", choices=["started", "done", "failed"])
    status.set_defaults(call=lambda client, args: client.demo.set_widget_status(args.widget_id, args.status))
