"""Settings: flag wins over env, env wins over the config file, the file wins over defaults.

Names are the CONTRACT's: flags ``--host``..., env ``KYCSIM_*``, and the same names (with
underscores or dashes) as keys of a YAML or TOML config file. The core settings are below; each
registered provider adds its own (``Provider.settings_fields``, ``toolkit/settings.py``), so
:data:`Settings` is the core class extended with those fields when this module is first imported.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, make_dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.engine.clock import EARLIEST_START, LATEST_START, parse_speed
from simulator.engine.durations import parse_duration
from simulator.engine.retention import JOURNAL_SIZE, KEEP_FINISHED, TENANT_IDLE, WEBHOOK_LOG_SIZE
from simulator.toolkit.settings import Setting

RETENTION_MAX = 10_000_000

# Body caps (simulator/bodies.py enforces them). JSON and forms are small; uploads must fit
# Sumsub's 64 MB file limit (error 1002) plus the multipart envelope, and Checkout.com's 10 MB
# per document, base64-encoded in JSON by the SDKs.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_MAX_UPLOAD_BYTES = 65 * 1024 * 1024


class SettingsError(ValueError):
    """A setting has a value kycsim cannot use; the message says which and why."""


def docs_dir() -> Path | None:
    """kycsim's guides (``README.md`` and ``docs/``): the repository's, or the installed copy; None without."""
    in_tree = Path(__file__).resolve().parent.parent
    if (in_tree / "docs").is_dir() and (in_tree / "README.md").is_file():
        return in_tree
    import sys

    installed = Path(sys.prefix) / "share" / "kycsim"
    return installed if (installed / "README.md").is_file() else None


@dataclass
class CoreSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    seed: int | None = None
    speed: str | float = 1.0
    applicant: str = "auto"
    scenarios: list[str] = field(default_factory=list)
    store: str = "memory"
    config: str | None = None
    log_format: str = "text"
    log_level: str = "info"
    start_time: str | None = None
    bundled: bool = True  # load the scenarios each provider ships (tests of other providers turn it off)
    webhooks: dict[str, Any] = field(default_factory=dict)  # {"endpoints": [...]}: see docs/webhooks.md
    control_token: str | None = None  # KYCSIM_CONTROL_TOKEN: needed for /_sim/* (generated on a non-loopback bind)
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES  # JSON and form bodies; larger ones get the provider's 413
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES  # document and image uploads
    max_header_bytes: int = 32 * 1024  # request line and headers; larger gets 431 (simulator/limits.py)
    header_timeout: float = 10.0  # seconds a request's head may take to arrive; slower gets 408
    body_timeout: float = 60.0  # seconds its body may take after the head (a 65 MB upload at 1 MB/s fits)
    # Retention (engine/retention.py): what a long-running instance keeps.
    keep_finished: int = KEEP_FINISHED  # finished scenario runs (and their checks) per tenant; 0: all
    tenant_idle: float = TENANT_IDLE  # seconds without a request before a tenant is forgotten; 0: never
    journal_size: int = JOURNAL_SIZE  # requests in the journal
    webhook_log_size: int = WEBHOOK_LOG_SIZE  # events in the delivery log
    seed_was_random: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        if self.seed is None:
            self.seed = random.SystemRandom().randrange(1, 2**31)
            self.seed_was_random = True
        self.validate()

    def validate(self) -> None:
        try:
            self.speed = parse_speed(self.speed)
        except ValueError as exc:
            raise SettingsError(f"--speed: {exc}") from None
        if self.applicant not in ("auto", "interactive"):
            raise SettingsError(f"--applicant must be 'auto' or 'interactive', not {self.applicant!r}")
        if not 0 <= int(self.port) <= 65535:
            raise SettingsError(f"--port must be between 0 and 65535, not {self.port!r}")
        if self.control_token is not None and not re.fullmatch(r"[A-Za-z0-9._~-]{12,256}", self.control_token):
            raise SettingsError(
                "KYCSIM_CONTROL_TOKEN must be 12 to 256 characters of A-Z, a-z, 0-9 and . _ ~ - (it goes in a header"
                " and a cookie)"
            )
        for name, low in (("keep_finished", 0), ("journal_size", 1), ("webhook_log_size", 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= RETENTION_MAX:
                raise SettingsError(f"{name} must be a whole number from {low} to {RETENTION_MAX}, not {value!r}")
        try:
            self.tenant_idle = parse_duration(self.tenant_idle)
        except ValueError as exc:
            raise SettingsError(f"tenant_idle: {exc}") from None
        for name in ("max_body_bytes", "max_upload_bytes", "max_header_bytes"):
            if not 1024 <= getattr(self, name) <= 2**31:
                raise SettingsError(f"{name} must be between 1024 and 2147483648 bytes, not {getattr(self, name)!r}")
        for name in ("header_timeout", "body_timeout"):
            if not 0.01 <= getattr(self, name) <= 86400:
                raise SettingsError(f"{name} must be between 0.01 and 86400 seconds, not {getattr(self, name)!r}")
        if self.log_format not in ("text", "json"):
            raise SettingsError(f"--log-format must be 'text' or 'json', not {self.log_format!r}")
        from simulator.engine.store import StoreUrlError, store_path

        try:
            store_path(self.store)
        except StoreUrlError as exc:
            raise SettingsError(f"--store: {exc}") from None
        for setting in PROVIDER_SETTINGS.values():
            problem = setting.problem(getattr(self, setting.name))
            if problem:
                raise SettingsError(problem)
        self.start_datetime()
        from simulator.engine.webhooks.endpoints import EndpointError, config_endpoints

        try:
            config_endpoints(self.webhooks)
        except EndpointError as exc:
            raise SettingsError(str(exc)) from None

    def start_datetime(self) -> datetime | None:
        if not self.start_time:
            return None
        try:
            moment = datetime.fromisoformat(self.start_time.replace("Z", "+00:00"))
        except ValueError:
            raise SettingsError(f"--start-time must be an ISO 8601 date-time, not {self.start_time!r}") from None
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        if not EARLIEST_START <= moment < LATEST_START:
            raise SettingsError(
                f"--start-time must be between {EARLIEST_START.year} and {LATEST_START.year}, not {self.start_time!r}"
            )
        return moment

    @property
    def loopback(self) -> bool:
        """Whether the bind address is reachable from this machine only (the control plane stays open there)."""
        import ipaddress

        host = self.host.strip("[]").lower()
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False  # a host name other than localhost may resolve to anything

    if TYPE_CHECKING:  # the providers' fields, added below

        def __getattr__(self, name: str) -> Any: ...


def _provider_settings() -> dict[str, Setting]:
    """Every registered provider's settings, by name; each name starts with its provider's."""
    from simulator.providers import provider_classes

    found: dict[str, Setting] = {}
    for provider, cls in provider_classes().items():
        for setting in cls.settings_fields:
            if not setting.name.startswith(f"{provider}_") or setting.name in found:
                raise RuntimeError(f"provider {provider!r}: setting {setting.name!r} must start with '{provider}_'")
            found[setting.name] = setting
    return found


PROVIDER_SETTINGS = _provider_settings()

if TYPE_CHECKING:
    Settings = CoreSettings
else:
    Settings = make_dataclass(
        "Settings",
        [(s.name, str | None, field(default=s.default)) for s in PROVIDER_SETTINGS.values()],
        bases=(CoreSettings,),
        namespace={"__module__": __name__, "__doc__": "The core settings and every registered provider's."},
    )

FIELD_NAMES = {f.name for f in fields(Settings)} - {"seed_was_random"}


def _coerce(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "port":
        try:
            return int(value)
        except (TypeError, ValueError):
            raise SettingsError(f"port must be a whole number, not {value!r}") from None
    if name in ("max_body_bytes", "max_upload_bytes", "max_header_bytes"):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise SettingsError(f"{name} must be a whole number of bytes, not {value!r}") from None
    if name in ("header_timeout", "body_timeout"):
        try:
            return float(value)
        except (TypeError, ValueError):
            raise SettingsError(f"{name} must be a number of seconds, not {value!r}") from None
    if name in ("keep_finished", "journal_size", "webhook_log_size") and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            raise SettingsError(f"{name} must be a whole number, not {value!r}") from None
    if name == "seed":
        try:
            return int(value)
        except (TypeError, ValueError):
            raise SettingsError(f"seed must be a whole number, not {value!r}") from None
    if name == "bundled" and isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off")
    if name == "webhooks" and isinstance(value, str):
        import json

        try:
            return json.loads(value)
        except ValueError:
            raise SettingsError('KYCSIM_WEBHOOKS must be JSON, e.g. {"endpoints": [{"provider": ...}]}') from None
    if name == "scenarios":
        if isinstance(value, str):
            return [p for p in value.split(os.pathsep) if p]
        return [str(p) for p in value]
    return value


def read_config_file(path: str) -> dict[str, Any]:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsError(f"cannot read config file {path}: {exc.strerror}") from None
    try:
        if file.suffix == ".toml":
            import tomllib

            data = tomllib.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text) or {}
    except Exception as exc:
        mark = getattr(exc, "problem_mark", None)  # YAML says where, over several lines: keep it to one
        where = f"{path}:{mark.line + 1}" if mark is not None else path
        why = getattr(exc, "problem", None) or " ".join(str(exc).split())
        raise SettingsError(f"config file {where} is not valid: {why}") from None
    if not isinstance(data, dict):
        raise SettingsError(f"config file {path} must hold a mapping of settings")
    data = data.get("kycsim", data)  # allow a [kycsim] table
    unknown = sorted(k for k in data if k.replace("-", "_") not in FIELD_NAMES)
    if unknown:
        raise SettingsError(f"config file {path}: unknown setting(s) {', '.join(unknown)}")
    return {k.replace("-", "_"): _coerce(k.replace("-", "_"), v) for k, v in data.items()}


def from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    values = {}
    for name in FIELD_NAMES:
        raw = environ.get(f"KYCSIM_{name.upper()}")
        if raw not in (None, ""):
            values[name] = _coerce(name, raw)
    return values


def load_settings(flags: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Merge the three sources in the CONTRACT's order; ``flags`` holds only what was given."""
    flags = {k: _coerce(k, v) for k, v in (flags or {}).items() if v is not None}
    environ = os.environ if environ is None else environ
    env = from_env(environ)
    config_path = flags.get("config") or env.get("config")
    merged: dict[str, Any] = read_config_file(config_path) if config_path else {}
    merged.update(env)
    merged.update(flags)
    return Settings(**merged)
