"""Checkout.com Identities (placeholder until the provider lands)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from simulator.providers.base import Provider


class CheckoutProvider(Provider):
    name = "checkout"
    products = (
        "identity_verification",
        "face_authentication",
        "id_document_verification",
        "address_document_verification",
        "aml_screening",
    )

    def owns_path(self, path: str) -> bool:
        return not path.startswith(("/resources", "/_sim"))

    def error_response(self, request: Request, status: int, message: str) -> Response:
        return JSONResponse(
            {"error_type": "not_found" if status == 404 else "error", "error_codes": []}, status_code=status
        )
