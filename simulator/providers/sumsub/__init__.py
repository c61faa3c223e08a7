"""Sumsub (placeholder until the provider lands)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from simulator.providers.base import Provider


class SumsubProvider(Provider):
    name = "sumsub"
    products = ("applicant", "applicant_action")

    def owns_path(self, path: str) -> bool:
        return path.startswith("/resources")

    def error_response(self, request: Request, status: int, message: str) -> Response:
        return JSONResponse({"description": message, "code": status, "correlationId": "0" * 32}, status_code=status)
