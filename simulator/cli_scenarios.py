"""``kycsim scenarios list|show|validate|coverage``: the catalogue, from files, with no server.

They read the folders ``kycsim serve`` reads: the bundled scenarios, then ``--scenarios DIR``
(repeatable), ``KYCSIM_SCENARIOS`` and a config file's ``scenarios`` (``--config`` or
``KYCSIM_CONFIG``), the flag winning as for ``serve``. A broken file is skipped with a warning, as
``serve`` skips it; ``validate`` lists every error and exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from simulator.cli_tables import COLUMNS, table


def add_scenario_commands(sub: Any) -> None:
    scenarios = sub.add_parser("scenarios", help="the scenario catalogue (the folders serve reads)")
    ssub = scenarios.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, help_: str) -> argparse.ArgumentParser:
        p = ssub.add_parser(name, help=help_)
        p.add_argument("--scenarios", action="append", metavar="DIR", help="extra scenario folder (repeatable)")
        p.add_argument("--config", help="a config file whose scenario folders to read too")
        return p

    s_list = action("list", "list scenarios")
    s_list.add_argument("--provider")
    s_list.add_argument("--product")
    s_list.add_argument("--json", action="store_true", help="print JSON (for scripts)")
    action("show", "show one scenario and what it produces").add_argument("name")
    s_val = action("validate", "check scenario files; exit 1 on any error")
    s_val.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the folders serve reads)")
    s_cov = action("coverage", "which scenario produces which status, code, label and event")
    s_cov.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args: argparse.Namespace) -> int:
    from simulator.providers import load_providers

    providers = load_providers()
    if args.action == "validate":
        return _validate(args, providers)
    catalogue = _catalogue(_folders(args, providers), providers)
    if args.action == "list":
        return _list(args, catalogue, providers)
    if args.action == "coverage":
        return _coverage(args, catalogue, providers)
    scenario = catalogue.get(args.name)
    if scenario is None:
        print(
            f"kycsim: no scenario named {args.name!r}{catalogue.did_you_mean(args.name)};"
            " `kycsim scenarios list` shows them",
            file=sys.stderr,
        )
        return 1
    detail = scenario.detail()
    detail["produces"] = {k: sorted(v) for k, v in providers[scenario.provider].produces(scenario).items()}
    print(json.dumps(detail, indent=2))
    return 0


def _folders(args: argparse.Namespace, providers: Any) -> list[Path]:
    """The folders ``serve`` would read with these flags and this environment."""
    from simulator.settings import SettingsError, load_settings
    from simulator.simulator import scenario_folders

    try:
        settings = load_settings({"scenarios": args.scenarios, "config": args.config})
    except SettingsError as exc:
        raise SystemExit(f"kycsim: {exc}") from None
    return scenario_folders(settings, providers)


def _catalogue(folders: list[Path], providers: Any) -> Any:
    """The catalogue ``serve`` would load: a broken file is skipped with a warning, a missing folder stops."""
    from simulator.engine.scenarios.loader import Catalogue, default_cache_dir

    catalogue = Catalogue.load(folders, _provider_catalogues(providers), cache_dir=default_cache_dir())
    missing = [e for e in catalogue.errors if e.folder_missing]
    if missing:
        raise SystemExit("kycsim: " + "; ".join(str(e) for e in missing))
    for error in catalogue.errors:
        print(f"kycsim: warning: skipped {error}", file=sys.stderr)
    return catalogue


def _provider_catalogues(providers: Any) -> dict[str, Any]:
    from simulator.engine.scenarios.loader import ProviderCatalogue

    return {n: ProviderCatalogue(tuple(p.products), dict(p.verbs())) for n, p in providers.items()}


def _list(args: argparse.Namespace, catalogue: Any, providers: Any) -> int:
    from simulator.engine.names import did_you_mean

    products = sorted({product for p in providers.values() for product in p.products})
    for flag, value, known in (("--provider", args.provider, sorted(providers)), ("--product", args.product, products)):
        if value and value not in known:
            print(
                f"kycsim: {flag}: no such {flag[2:]} {value!r}{did_you_mean(value, known)}; known: {', '.join(known)}",
                file=sys.stderr,
            )
            return 2
    rows = sorted(
        (
            s.detail()
            for s in catalogue.scenarios.values()
            if (not args.provider or s.provider == args.provider) and (not args.product or s.product == args.product)
        ),
        key=lambda s: (s["provider"], s["product"], s["name"]),
    )
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for line in table(rows, COLUMNS["scenarios"]):
        print(line)
    print(f"{len(rows)} scenario(s)", file=sys.stderr)
    return 0


def _validate(args: argparse.Namespace, providers: Any) -> int:
    from simulator.engine.scenarios.loader import Catalogue, ScenarioLoadError, load_file, scenario_files

    catalogues = _provider_catalogues(providers)
    folders = [Path(p) for p in args.paths if Path(p).is_dir()] if args.paths else _folders(args, providers)
    files = [Path(p) for p in args.paths if Path(p).is_file()]
    unknown = [p for p in args.paths if not Path(p).exists()]
    if unknown:
        print(f"kycsim: no such file or folder: {', '.join(unknown)}", file=sys.stderr)
        return 1
    # Folders load as serve loads them (a name defined twice in one folder is an error too).
    catalogue = Catalogue.load(folders, catalogues, cache_dir=None)
    errors = list(catalogue.errors)
    count = len(catalogue.scenarios)
    for file in files:
        try:
            count += len(load_file(file, catalogues))
        except ScenarioLoadError as exc:
            errors.extend(exc.errors)
    for error in errors:
        print(f"error: {error}")
    checked = len(files) + sum(len(scenario_files(f)) for f in folders if f.is_dir())
    broken = len({e.path for e in errors})
    where = ", ".join(str(f) for f in folders + files) or "nothing"
    print(f"{checked} file(s), {count} scenario(s), {broken} file(s) with errors ({where})")
    return 1 if errors else 0


def _coverage(args: argparse.Namespace, catalogue: Any, providers: Any) -> int:
    from simulator.coverage import coverage_report

    report = coverage_report(catalogue, providers)
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
