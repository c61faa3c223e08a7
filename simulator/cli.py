"""``kycsim``: serve, and every control call as a subcommand against a running instance."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from simulator.cli_scenarios import add_scenario_commands
from simulator.cli_scenarios import run as run_scenarios
from simulator.cli_tables import COLUMNS, table
from simulator.cli_webhooks import add_webhook_commands, check_provider, list_kind, webhooks_call

DEFAULT_URL = "http://127.0.0.1:8000"


class _Parser(argparse.ArgumentParser):
    """Options may come before, between or after a command's positionals (``clock advance --tenant K 5m``)."""

    _intermixing = False

    def parse_known_args(self, args=None, namespace=None):
        if self._subparsers is not None or self._intermixing:
            return super().parse_known_args(args, namespace)
        self._intermixing = True  # parse_known_intermixed_args calls back here, twice
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False


# Commands that only talk to a running simulator: parsing them needs no provider (which saves importing
# them all on every ``kycsim health``); any other command line gets the providers' subcommands and flags.
REMOTE_ONLY = frozenset({"reset", "clock", "requests", "webhooks", "listen", "bindings", "health"})


def build_parser(*, with_providers: bool = True) -> argparse.ArgumentParser:
    parser = _Parser(prog="kycsim", description="Local simulator of Checkout.com Identities and Sumsub.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    serve = sub.add_parser("serve", help="start the simulator (both providers on one port)")
    serve.add_argument("--host", help="bind address (default 127.0.0.1; env KYCSIM_HOST)")
    serve.add_argument("--port", type=int, help="port, 0 picks a free one (default 8000; env KYCSIM_PORT)")
    serve.add_argument("--seed", type=int, help="seed for ids and fake data (default random, printed)")
    serve.add_argument("--speed", help="instant | manual | a factor on nominal delays (default 1)")
    serve.add_argument("--applicant", choices=["auto", "interactive"], help="who plays the applicant on hosted pages")
    serve.add_argument("--scenarios", action="append", metavar="DIR", help="extra scenario folder (repeatable)")
    serve.add_argument(
        "--store", help="memory | sqlite:///relative/path.db | sqlite:////absolute/path.db (default memory)"
    )
    serve.add_argument("--config", help="YAML or TOML file with any of these settings")
    serve.add_argument("--start-time", dest="start_time", help="virtual clock start, ISO 8601 (default now)")
    serve.add_argument("--log-format", dest="log_format", choices=["text", "json"], help="console format")
    serve.add_argument("--log-level", dest="log_level", choices=["debug", "info", "warning"], help="console verbosity")
    if with_providers:
        from simulator.settings import PROVIDER_SETTINGS

        for setting in PROVIDER_SETTINGS.values():
            if setting.flag:
                serve.add_argument(setting.option, dest=setting.name, help=f"{setting.help} (env {setting.env})")

    add_scenario_commands(sub)

    def remote(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_)
        p.add_argument("--url", default=os.environ.get("KYCSIM_URL", DEFAULT_URL), help="the running simulator")
        p.add_argument("--token", default=None, help="its control token (default: $KYCSIM_CONTROL_TOKEN)")
        p.add_argument("--json", action="store_true", help="print JSON (lists print a table without it)")
        return p

    r = remote("reset", "forget all state of a running simulator (or one tenant's)")
    r.add_argument("--tenant")
    c = remote("clock", "read or advance the virtual clock of a running simulator")
    c.add_argument("action", nargs="?", choices=["show", "advance"], default="show")
    c.add_argument("seconds", nargs="?", help="with advance: seconds or a duration such as 15m")
    c.add_argument("--tenant")
    q = remote("requests", "the request journal of a running simulator")
    q.add_argument("--method")
    q.add_argument("--path")
    q.add_argument("--tenant")
    q.add_argument("--provider")
    q.add_argument("--limit", type=int, default=50)
    add_webhook_commands(remote)  # webhooks, listen, trigger
    b = remote("bindings", "bind a scenario ahead of time on a running simulator")
    b.add_argument("action", choices=["list", "add", "delete"])
    b.add_argument("args", nargs="*", help="add: SCENARIO KEY=VALUE...; delete: BINDING_ID")
    b.add_argument("--tenant", help="add: only for this tenant's checks")
    b.add_argument("--times", type=int, help="add: only for the next N checks")
    remote("health", "is a running simulator ready?")
    w = sub.add_parser("wait", help="wait until a kycsim answers healthy: exit 0, or 1 after --timeout seconds")
    w.add_argument("--url", default=os.environ.get("KYCSIM_URL", DEFAULT_URL), help="the simulator to wait for")
    w.add_argument("--timeout", type=_seconds, default=30.0, help="seconds to wait at most (default 30)")
    w.set_defaults(run=_wait)
    if with_providers:
        from simulator.providers import provider_classes

        for provider in provider_classes().values():
            provider.add_cli(remote)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (`kycsim ... | head`): stop quietly, as Unix tools do. Point stdout at
        # /dev/null so that the interpreter's last flush does not fail again on the way out.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a tool stopped by a closed pipe


def _main(argv: list[str] | None) -> int:
    from simulator.providers import RegistryError

    argv = sys.argv[1:] if argv is None else argv
    command = next((a for a in argv if not a.startswith("-")), None)
    try:
        parser = build_parser(with_providers=command not in REMOTE_ONLY)
    except RegistryError as exc:  # a KYCSIM_PROVIDERS line that names nothing usable
        print(f"kycsim: {exc}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    if args.version:
        from simulator import __version__

        print(f"kycsim {__version__}")
        return 0
    if args.command is None:
        parser.print_help()
        return 2
    try:
        if args.command == "serve":
            from simulator.server import serve

            return serve(args)
        if args.command == "scenarios":
            return run_scenarios(args)
        if hasattr(args, "run"):  # listen, trigger
            return args.run(args)
        return _remote(args)
    except KeyboardInterrupt:
        return 130


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86400:  # NaN fails too
        raise argparse.ArgumentTypeError(f"a number of seconds from 0 to 86400, not {text!r}")
    return value


def _wait(args: argparse.Namespace) -> int:
    """``kycsim wait``: poll ``/_sim/health`` (open: no control token needed) until it answers ok."""
    from simulator.client import KycSim, KycSimError

    try:
        with KycSim(args.url, timeout=min(max(args.timeout, 0.5), 5.0)) as client:
            health = client.wait_healthy(args.timeout)
    except KycSimError as exc:
        reason = " ".join(exc.message.split())
        print(f"kycsim wait: {args.url} is not healthy after {args.timeout:g}s: {reason}", file=sys.stderr)
        return 1
    print(f"kycsim {health.get('version')} at {args.url.rstrip('/')} is healthy (speed {health.get('speed')})")
    return 0


# Remote commands talk to a running simulator through the control client.


def _remote(args: argparse.Namespace) -> int:
    from simulator.control.client import ControlClient, ControlClientError

    client = ControlClient(args.url, token=args.token)
    try:
        check_provider(client, getattr(args, "provider", None))
        result = _call(client, args)
    except ControlClientError as exc:
        print(f"kycsim: {exc}", file=sys.stderr)
        return 1
    kind = _list_kind(args)
    if kind is None or args.json or not isinstance(result, list):
        print(json.dumps(result, indent=2))
        return 0
    for line in table(result, COLUMNS[kind]):
        print(line)
    print(f"{len(result)} {kind}", file=sys.stderr)
    return 0


def _list_kind(args: argparse.Namespace) -> str | None:
    """What a command lists (its table's columns), or None when it answers one object."""
    if args.command == "requests":
        return "requests"
    if args.command == "bindings" and args.action == "list":
        return "bindings"
    if args.command == "webhooks":
        return list_kind(args)
    return None


def _call(client: Any, args: argparse.Namespace) -> Any:
    if args.command == "health":
        return client.health()
    if args.command == "reset":
        return client.reset(args.tenant)
    if args.command == "clock":
        if args.action == "advance":
            if args.seconds is None:
                raise SystemExit("kycsim clock advance needs a duration, e.g. `kycsim clock advance 15m`")
            return client.advance(args.seconds, tenant=args.tenant)
        return client.clock(args.tenant)
    if args.command == "requests":
        return client.requests(
            method=args.method, path=args.path, tenant=args.tenant, provider=args.provider, limit=args.limit
        )
    if args.command == "webhooks":
        return webhooks_call(client, args)
    if args.command == "bindings":
        if args.action == "list":
            return client.bindings()
        if args.action == "delete":
            return client.delete_binding(args.args[0]) if args.args else None
        if not args.args:
            raise SystemExit("kycsim bindings add SCENARIO KEY=VALUE ...")
        match = dict(a.split("=", 1) for a in args.args[1:] if "=" in a)
        return client.bind(args.args[0], match, tenant=args.tenant, times=args.times)
    if hasattr(args, "call"):  # a provider's subcommand (Provider.add_cli)
        return args.call(client, args)
    raise SystemExit(f"unknown command {args.command}")
