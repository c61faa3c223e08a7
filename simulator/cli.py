"""``kycsim``: serve, and every control call as a subcommand against a running instance."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from simulator.cli_webhooks import add_webhook_commands, webhooks_call

DEFAULT_URL = "http://127.0.0.1:8000"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kycsim", description="Local simulator of Checkout.com Identities and Sumsub."
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", help="start the simulator (both providers on one port)")
    serve.add_argument("--host", help="bind address (default 127.0.0.1; env KYCSIM_HOST)")
    serve.add_argument("--port", type=int, help="port, 0 picks a free one (default 8000; env KYCSIM_PORT)")
    serve.add_argument("--seed", type=int, help="seed for ids and fake data (default random, printed)")
    serve.add_argument("--speed", help="instant | manual | a factor on nominal delays (default 1)")
    serve.add_argument("--applicant", choices=["auto", "interactive"], help="who plays the applicant on hosted pages")
    serve.add_argument("--scenarios", action="append", metavar="DIR", help="extra scenario folder (repeatable)")
    serve.add_argument("--store", help="memory | sqlite:///path.db (default memory)")
    serve.add_argument("--config", help="YAML or TOML file with any of these settings")
    serve.add_argument("--start-time", dest="start_time", help="virtual clock start, ISO 8601 (default now)")
    serve.add_argument("--log-format", dest="log_format", choices=["text", "json"], help="console format")
    serve.add_argument("--log-level", dest="log_level", choices=["debug", "info", "warning"], help="console verbosity")

    scenarios = sub.add_parser("scenarios", help="the scenario catalogue")
    ssub = scenarios.add_subparsers(dest="action", metavar="ACTION", required=True)
    s_list = ssub.add_parser("list", help="list scenarios")
    s_list.add_argument("--provider")
    s_list.add_argument("--product")
    s_list.add_argument("--scenarios", action="append", metavar="DIR", help="extra scenario folder (repeatable)")
    s_show = ssub.add_parser("show", help="show one scenario and what it produces")
    s_show.add_argument("name")
    s_show.add_argument("--scenarios", action="append", metavar="DIR")
    s_val = ssub.add_parser("validate", help="check scenario files; exit 1 on any error")
    s_val.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: bundled and --scenarios)")
    s_cov = ssub.add_parser("coverage", help="which scenario produces which status, code, label and event")
    s_cov.add_argument("--scenarios", action="append", metavar="DIR")
    s_cov.add_argument("--json", action="store_true", help="print the report as JSON")

    def remote(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_)
        p.add_argument("--url", default=os.environ.get("KYCSIM_URL", DEFAULT_URL), help="the running simulator")
        p.add_argument("--token", default=None, help="its control token (default: $KYCSIM_CONTROL_TOKEN)")
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
    q.add_argument("--limit", type=int, default=50)
    add_webhook_commands(remote)  # webhooks, listen, trigger
    b = remote("bindings", "bind a scenario ahead of time on a running simulator")
    b.add_argument("action", choices=["list", "add", "delete"])
    b.add_argument("args", nargs="*", help="add: SCENARIO KEY=VALUE...; delete: BINDING_ID")
    remote("health", "is a running simulator ready?")
    aml = remote("aml", "Checkout.com AML Screening: resolve a case, raise a monitoring alert, change a decision")
    aml.add_argument("action", choices=["resolve", "monitoring-alert", "update-status"])
    aml.add_argument("screening_id", metavar="AMLV_ID")
    aml.add_argument(
        "decision",
        nargs="?",
        choices=["approved", "declined", "review_required"],
        help="with resolve (approved|declined) or update-status (review_required re-opens the review)",
    )
    aml.add_argument("--alerts", type=int, default=1, help="with monitoring-alert (default 1)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
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
            return _scenarios(args)
        if hasattr(args, "run"):  # listen, trigger
            return args.run(args)
        return _remote(args)
    except KeyboardInterrupt:
        return 130


# Scenario commands work on files, no server needed.


def _catalogue(extra: list[str] | None):
    from simulator.app import build_simulator
    from simulator.settings import Settings

    return build_simulator(Settings(scenarios=extra or [], seed=1)).catalogue


def _scenarios(args: argparse.Namespace) -> int:
    from simulator.engine.scenarios.loader import ScenarioLoadError

    if args.action == "validate":
        return _validate(args.paths)
    try:
        if args.action == "coverage":
            return _coverage(args)
        catalogue = _catalogue(args.scenarios)
    except ScenarioLoadError as exc:
        print(f"scenario errors:\n{exc}", file=sys.stderr)
        return 1
    if args.action == "list":
        rows = [
            s
            for s in catalogue.scenarios.values()
            if (not args.provider or s.provider == args.provider) and (not args.product or s.product == args.product)
        ]
        width = max((len(s.name) for s in rows), default=10)
        for s in sorted(rows, key=lambda s: (s.provider, s.product, s.name)):
            print(f"{s.name:<{width}}  {s.provider:<9} {s.product:<32} {s.description}")
        print(f"{len(rows)} scenario(s)", file=sys.stderr)
        return 0
    scenario = catalogue.get(args.name)
    if scenario is None:
        print(f"no scenario named {args.name!r}; `kycsim scenarios list` shows them", file=sys.stderr)
        return 1
    print(json.dumps(scenario.detail(), indent=2))
    return 0


def _validate(paths: list[str]) -> int:
    from simulator.engine.scenarios.loader import ProviderCatalogue, ScenarioLoadError, load_file, scenario_files
    from simulator.providers import load_providers
    from simulator.settings import bundled_scenarios_dir

    providers = load_providers()
    catalogues = {n: ProviderCatalogue(tuple(p.products), dict(p.verbs())) for n, p in providers.items()}
    files: list[Path] = []
    for raw in paths or [str(bundled_scenarios_dir())]:
        path = Path(raw)
        if path.is_dir():
            files.extend(scenario_files(path))
        elif path.is_file():
            files.append(path)
        else:
            print(f"{raw}: no such file or folder", file=sys.stderr)
            return 1
    failed = count = 0
    for file in files:
        try:
            count += len(load_file(file, catalogues))
        except ScenarioLoadError as exc:
            failed += 1
            for error in exc.errors:
                print(f"error: {error}")
    print(f"{len(files)} file(s), {count} scenario(s), {failed} file(s) with errors")
    return 1 if failed else 0


def _coverage(args: argparse.Namespace) -> int:
    from simulator.app import build_simulator
    from simulator.coverage import coverage_report
    from simulator.settings import Settings

    sim = build_simulator(Settings(scenarios=args.scenarios or [], seed=1))
    report = coverage_report(sim.catalogue, sim.providers)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for provider, categories in report["providers"].items():
            for category, values in categories.items():
                print(f"\n{provider} · {category}")
                for value, names in values.items():
                    shown = ", ".join(names[:3]) + (f" (+{len(names) - 3} more)" if len(names) > 3 else "")
                    print(f"  {'✓' if names else '✗'} {value:<40} {shown or 'NOT PRODUCED'}")
    missing = {p: m for p, m in report["missing"].items() if m}
    if missing:
        print(f"\nnot produced by any scenario: {json.dumps(missing)}", file=sys.stderr)
        return 1
    return 0


# Remote commands talk to a running simulator through the control client.


def _remote(args: argparse.Namespace) -> int:
    from simulator.control.client import ControlClient, ControlClientError

    client = ControlClient(args.url, token=args.token)
    try:
        result = _call(client, args)
    except ControlClientError as exc:
        print(f"kycsim: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2))
    return 0


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
        return client.requests(method=args.method, path=args.path, tenant=args.tenant, limit=args.limit)
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
        return client.bind(args.args[0], match)
    if args.command == "aml":
        if args.action == "monitoring-alert":
            return client.aml_monitoring_alert(args.screening_id, args.alerts)
        if args.action == "update-status":
            if args.decision is None:
                raise SystemExit("kycsim aml update-status AMLV_ID approved|declined|review_required")
            return client.aml_update_status(args.screening_id, args.decision)
        if args.decision not in ("approved", "declined"):
            raise SystemExit("kycsim aml resolve AMLV_ID approved|declined")
        return client.aml_resolve(args.screening_id, args.decision)
    raise SystemExit(f"unknown command {args.command}")
