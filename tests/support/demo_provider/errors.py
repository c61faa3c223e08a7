"""The demo's error envelope, in one place: ``{"demo_error": "<message>"}``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.bodies import BodyError
from simulator.toolkit.errors import ProviderError

if TYPE_CHECKING:
    from jsonschema import ValidationError

    from simulator.toolkit.routes import Operation


class DemoError(ProviderError):
    provider = "demo"

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status

    def envelope(self, error_id: str | None) -> dict[str, Any]:
        return {"demo_error": self.message}

    @classmethod
    def for_status(cls, status: int, message: str) -> DemoError:
        return cls(status, message)

    @classmethod
    def from_body(cls, error: BodyError, op: Operation | None = None) -> DemoError:
        return cls(error.status, error.message)

    @classmethod
    def invalid(cls, op: Operation | None, schema: str, errors: list[ValidationError]) -> DemoError:
        return cls(422, errors[0].message)
