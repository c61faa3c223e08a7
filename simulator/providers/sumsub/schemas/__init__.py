"""Sumsub's request and response JSON Schemas: the files of this folder, in the toolkit's registry.

Request schemas validate bodies at run time (a failure is Sumsub's 400); the tests validate every
response body the simulator returns with :func:`first_error`. Schemas refer to each other by file
name (``"$ref": "review.json"``).
"""

from __future__ import annotations

from pathlib import Path

from simulator.toolkit.schemas import SchemaRegistry

FOLDER = Path(__file__).parent
REGISTRY = SchemaRegistry(FOLDER, "sumsub")

schema = REGISTRY.schema
validator = REGISTRY.validator
first_error = REGISTRY.first_error
