"""Shared aliases: the vocabulary every module speaks."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]
TenantId = str
ProviderName = str
