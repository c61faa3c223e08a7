"""Answers checked against the control API's schemas (``simulator/control/schemas``)."""

from __future__ import annotations

import json
from typing import Any

from simulator.control.schemas import errors


def assert_schema(name: str, body: Any) -> None:
    problems = errors(name, body)
    assert not problems, f"{name}: {problems[:5]}\n{json.dumps(body, indent=1, ensure_ascii=False)[:3000]}"
