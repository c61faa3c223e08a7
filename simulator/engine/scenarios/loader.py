"""Scenario files -> :class:`Scenario` objects, or errors that name the file and line.

A file is checked whole before anything from it is used: against ``schema.json``, then each
step's verb against the verbs its provider offers (and the verb's own schema for ``with``).
A file with any error contributes nothing. User folders come after the bundled one, so a
user file with the same scenario name replaces the bundled scenario.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from simulator.engine.durations import parse_duration
from simulator.engine.scenarios import catalogue_cache
from simulator.engine.scenarios.model import Scenario, Step, Verb
from simulator.engine.webhooks.chaos import ChaosError
from simulator.engine.webhooks.chaos import normalize as normalize_chaos

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

SCHEMA_PATH = Path(__file__).with_name("schema.json")
# libyaml parses several times faster; start-up reads every scenario file.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


FOLDER_MISSING = "scenario folder does not exist"


@dataclass(frozen=True)
class ScenarioError:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"

    @property
    def folder_missing(self) -> bool:
        """A whole folder is missing (a setting is wrong), not one file broken."""
        return self.line == 0 and self.message == FOLDER_MISSING


class ScenarioLoadError(Exception):
    def __init__(self, errors: list[ScenarioError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass(frozen=True)
class ProviderCatalogue:
    """What the loader needs to know of a provider: its products and verbs."""

    products: tuple[str, ...]
    verbs: Mapping[str, Verb]


@cache
def _file_validator() -> Validator:
    import jsonschema

    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))


@cache
def _verb_validator(schema_json: str) -> Validator:
    import jsonschema

    return jsonschema.Draft202012Validator(json.loads(schema_json))


def _line_of(node: yaml.Node | None, path: Iterable[Any]) -> int:
    """1-based line of the YAML node at ``path`` (the deepest one that exists)."""
    if node is None:
        return 1
    for key in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == key:
                    child = v
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


def _describe(error: ValidationError) -> str:
    where = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "oneOf" and list(error.absolute_path)[:1] == ["steps"]:
        return f"{where}: a step needs exactly one of 'do' (a verb) or 'wait' (a signal)"
    return f"{where or 'top level'}: {error.message}"


def _substitute(value: Any, params: Mapping[str, Any]) -> Any:
    if isinstance(value, str):
        whole = re.fullmatch(r"\{(\w+)\}", value)
        if whole and whole.group(1) in params:
            return params[whole.group(1)]  # keep the parameter's own type (an int code stays an int)
        return re.sub(r"\{(\w+)\}", lambda m: str(params.get(m.group(1), m.group(0))), value)
    if isinstance(value, list):
        return [_substitute(v, params) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, params) for k, v in value.items()}
    return value


def load_file(path: Path, providers: Mapping[str, ProviderCatalogue]) -> list[Scenario]:
    """Every scenario the file defines; raises :class:`ScenarioLoadError` listing all its problems."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=_YAML_LOADER)
        data = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ScenarioLoadError(
            [ScenarioError(shown, mark.line + 1 if mark else 1, f"not valid YAML: {exc}")]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioLoadError([ScenarioError(shown, 1, f"cannot read: {exc}")]) from None
    if not isinstance(data, dict):
        raise ScenarioLoadError(
            [ScenarioError(shown, 1, "a scenario file must be a YAML mapping (name, provider, ...)")]
        )

    errors = [
        ScenarioError(shown, _line_of(node, e.absolute_path), _describe(e))
        for e in sorted(_file_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if errors:
        raise ScenarioLoadError(errors)

    provider = providers.get(data["provider"])
    if provider is None:
        known = ", ".join(sorted(providers)) or "none"
        raise ScenarioLoadError(
            [
                ScenarioError(
                    shown, _line_of(node, ["provider"]), f"unknown provider {data['provider']!r} (known: {known})"
                )
            ]
        )
    if data["product"] not in provider.products:
        raise ScenarioLoadError(
            [
                ScenarioError(
                    shown,
                    _line_of(node, ["product"]),
                    f"provider {data['provider']!r} has no product {data['product']!r}"
                    f" (it has: {', '.join(provider.products)})",
                )
            ]
        )

    matrix: dict[str, list[Any]] = data.get("matrix") or {}
    if not matrix and data["name"] != path.stem:
        errors.append(
            ScenarioError(
                shown, _line_of(node, ["name"]), f"name {data['name']!r} must match the file name {path.stem!r}"
            )
        )
    if matrix:
        missing = [k for k in matrix if "{" + k + "}" not in data["name"]]
        if missing:
            errors.append(
                ScenarioError(
                    shown,
                    _line_of(node, ["name"]),
                    f"a matrix name must contain {{{missing[0]}}} so each expansion is unique",
                )
            )

    webhooks: dict[str, Any] = {}
    if data.get("webhooks", {}).get("chaos") is not None:
        try:
            webhooks["chaos"] = normalize_chaos(data["webhooks"]["chaos"])
        except ChaosError as exc:
            errors.append(ScenarioError(shown, _line_of(node, ["webhooks", "chaos"]), f"webhooks.{exc}"))

    combos = [dict(zip(matrix, values, strict=True)) for values in itertools.product(*matrix.values())] or [{}]
    scenarios = []
    for params in combos:
        steps = []
        for index, raw in enumerate(data["steps"]):
            line = _line_of(node, ["steps", index])
            raw = _substitute(raw, params)
            try:
                after = parse_duration(raw.get("after", 0))
            except ValueError as exc:
                errors.append(
                    ScenarioError(shown, _line_of(node, ["steps", index, "after"]), f"steps.{index}.after: {exc}")
                )
                continue
            if "do" in raw:
                verb = provider.verbs.get(raw["do"])
                if verb is None:
                    errors.append(
                        ScenarioError(
                            shown,
                            _line_of(node, ["steps", index, "do"]),
                            f"steps.{index}: unknown verb {raw['do']!r} for provider "
                            f"{data['provider']!r}; known verbs: {', '.join(sorted(provider.verbs))}",
                        )
                    )
                    continue
                for err in _verb_validator(json.dumps(verb.schema, sort_keys=True)).iter_errors(raw.get("with", {})):
                    sub = ".".join(str(p) for p in err.absolute_path)
                    errors.append(
                        ScenarioError(
                            shown,
                            _line_of(node, ["steps", index, "with", *err.absolute_path]),
                            f"steps.{index}.with{('.' + sub) if sub else ''} ({raw['do']}): {err.message}",
                        )
                    )
            steps.append(Step(after=after, do=raw.get("do"), wait=raw.get("wait"), args=raw.get("with", {}), line=line))
        scenarios.append(
            Scenario(
                name=_substitute(data["name"], params),
                provider=data["provider"],
                product=data["product"],
                description=_substitute(data["description"], params),
                steps=tuple(steps),
                aliases=tuple(_substitute(a, params) for a in data.get("aliases", []) if not matrix or "{" in a),
                tags=tuple(data.get("tags", [])),
                params=params,
                source=shown,
                family=data["name"] if matrix else None,
                webhooks=webhooks,
            )
        )
    if errors:
        # Errors repeat across matrix expansions; report each place once.
        raise ScenarioLoadError(list(dict.fromkeys(errors)))
    return scenarios


def scenario_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


class Catalogue:
    """Every loaded scenario by name, plus the errors of files that did not load."""

    def __init__(self) -> None:
        self.scenarios: dict[str, Scenario] = {}
        self.errors: list[ScenarioError] = []
        self.folders: list[str] = []
        self._aliases: dict[str, Scenario] | None = None

    @classmethod
    def load(
        cls, folders: Iterable[Path], providers: Mapping[str, ProviderCatalogue], cache_dir: Path | None = None
    ) -> Catalogue:
        """Load ``folders`` in order; with ``cache_dir``, reuse the result of an identical earlier load."""
        folders = [Path(f) for f in folders]
        if cache_dir is None:
            return cls._load(folders, providers)
        fingerprint = _fingerprint(folders, providers)
        cache_file = Path(cache_dir) / f"catalogue-{fingerprint[:32]}.json"
        cached = catalogue_cache.read(cache_file, fingerprint)
        if cached is not None:
            catalogue = cls()
            catalogue.folders, catalogue.scenarios = cached
            return catalogue
        catalogue = cls._load(folders, providers)
        if not catalogue.errors:  # a broken catalogue is reported afresh every time
            catalogue_cache.write(cache_file, fingerprint, catalogue.folders, catalogue.scenarios)
        return catalogue

    @classmethod
    def _load(cls, folders: list[Path], providers: Mapping[str, ProviderCatalogue]) -> Catalogue:
        catalogue = cls()
        for folder in folders:
            catalogue.folders.append(str(folder))
            if not folder.is_dir():
                catalogue.errors.append(ScenarioError(str(folder), 0, FOLDER_MISSING))
                continue
            seen_here: dict[str, str] = {}
            for path in scenario_files(folder):
                try:
                    loaded = load_file(path, providers)
                except ScenarioLoadError as exc:
                    catalogue.errors.extend(exc.errors)
                    continue
                for scenario in loaded:
                    if scenario.name in seen_here:
                        message = f"scenario {scenario.name!r} is also defined in {seen_here[scenario.name]}"
                        catalogue.errors.append(ScenarioError(str(path), 1, message))
                        continue
                    seen_here[scenario.name] = str(path)
                    catalogue.scenarios[scenario.name] = scenario  # later folders override earlier ones
        return catalogue

    def get(self, name: str) -> Scenario | None:
        return self.scenarios.get(name) or self.by_alias().get(name)

    def by_alias(self) -> dict[str, Scenario]:
        if self._aliases is None:
            self._aliases = {alias: s for s in self.scenarios.values() for alias in s.aliases}
        return self._aliases

    def close_names(self, name: str, provider: str | None = None, product: str | None = None, n: int = 3) -> list[str]:
        """Up to ``n`` scenario names (or aliases) that look like ``name``, those of ``provider``/``product``
        first: what a "did you mean" offers for a typo."""
        from simulator.engine.names import closest

        everything = {**{s.name: s for s in self.scenarios.values()}, **self.by_alias()}
        fitting = [k for k, s in everything.items() if provider in (None, s.provider) and product in (None, s.product)]
        found = closest(name, fitting, limit=n, cutoff=0.8)
        others = closest(name, [k for k in everything if k not in fitting], limit=n, cutoff=0.8)
        return (found + [k for k in others if k not in found])[:n]

    def did_you_mean(self, name: str, provider: str | None = None, product: str | None = None) -> str:
        """`` (did you mean 'y' or 'z'?)`` for a name the catalogue lacks, or ``""`` when nothing looks close."""
        from simulator.engine.names import suggestion

        return suggestion(self.close_names(name, provider, product))

    def unknown_name(self, name: str, provider: str | None = None, product: str | None = None) -> str:
        """``no scenario named 'x' (did you mean 'y'?)``: the message for a name the catalogue lacks."""
        return f"no scenario named {name!r}{self.did_you_mean(name, provider, product)}"

    def for_product(self, provider: str, product: str) -> list[Scenario]:
        return [s for s in self.scenarios.values() if s.provider == provider and s.product == product]


def _fingerprint(folders: list[Path], providers: Mapping[str, ProviderCatalogue]) -> str:
    """Changes whenever anything that shapes the catalogue changes: files, schema, verbs, kycsim itself."""
    from simulator import __version__

    digest = hashlib.sha256(f"{__version__}\n".encode())
    engine = Path(__file__).resolve().parent.parent
    for source in sorted(engine.rglob("*.py")) + [SCHEMA_PATH]:  # the code that builds Scenario objects
        digest.update(source.read_bytes())
    for name in sorted(providers):
        verbs = {v: (verb.actor, verb.schema) for v, verb in sorted(providers[name].verbs.items())}
        digest.update(json.dumps([name, providers[name].products, verbs], sort_keys=True, default=str).encode())
    for folder in folders:
        digest.update(f"folder:{folder.resolve()}\n".encode())
        for path in scenario_files(folder) if folder.is_dir() else []:
            digest.update(f"{path}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def default_cache_dir() -> Path | None:
    """``$KYCSIM_CACHE_DIR`` (empty: no cache), else ``$XDG_CACHE_HOME/kycsim`` or ``~/.cache/kycsim``."""
    configured = os.environ.get("KYCSIM_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kycsim"
