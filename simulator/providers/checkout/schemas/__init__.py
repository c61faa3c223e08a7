"""Checkout.com's request and response JSON Schemas: the files of this folder, in the toolkit's registry.

Requests are validated by the pipeline against the schema their route names (violations become
``{attribute}__{error}`` codes in ``errors.py``); the tests validate every response with
:func:`response_errors`. Files refer to each other by file name (``common.json#/$defs/...``).
"""

from __future__ import annotations

from pathlib import Path

from simulator.toolkit.schemas import SchemaRegistry

FOLDER = Path(__file__).parent
REGISTRY = SchemaRegistry(FOLDER, "checkout")

names = REGISTRY.names
validator = REGISTRY.validator
response_errors = REGISTRY.response_errors

__all__ = ["FOLDER", "REGISTRY", "names", "response_errors", "validator"]
