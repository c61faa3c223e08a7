"""A setting a provider brings: a field of ``Settings``, its environment variable, config-file key and flag.

A provider lists its own in ``Provider.settings_fields``; ``simulator/settings.py`` adds them to the
core settings, so env ``KYCSIM_<NAME>``, the config file's ``<name>`` key and (with ``flag``) the
``kycsim serve --<name>`` flag all work without naming the provider outside its folder. Every name
starts with the provider's name (``checkout_webhook_url``), so two providers never collide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str  # the field, e.g. ``sumsub_app_token``
    default: str | None = None
    help: str = ""  # one line: the flag's help and the README's meaning column
    choices: tuple[str, ...] = ()  # when set, the only values accepted
    flag: bool = False  # also a ``kycsim serve --name-with-dashes`` flag (most provider settings are env-only)

    @property
    def env(self) -> str:
        return f"KYCSIM_{self.name.upper()}"

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")

    def problem(self, value: Any) -> str | None:
        """What is wrong with ``value``, said in the setting's environment name, or None."""
        if self.choices and value not in self.choices:
            *first, last = self.choices
            listed = f"{', '.join(first)} or {last}" if first else last
            return f"{self.env} must be {listed}"
        return None
