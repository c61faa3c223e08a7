"""The demo's request and response schemas."""

from __future__ import annotations

from pathlib import Path

from simulator.toolkit.schemas import SchemaRegistry

REGISTRY = SchemaRegistry(Path(__file__).parent, "demo")
