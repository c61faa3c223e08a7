"""Document uploads for ID and address document verification attempts.

The API reference declares ``multipart/form-data`` with binary parts, while the official SDKs
post JSON whose fields are strings (the spec's own examples are ``data:image/jpeg;base64,...``
data URLs). Both forms are accepted, and so is a bare base64 string. Whatever the form, a file
must be a JPEG, PNG or PDF (told by its first bytes, not by a declared type) of at most 10 MB.

Problems are reported as Checkout.com error codes (``document_front__required``,
``document_front__invalid_format``, ``document_front__too_large``), collected over every field
so a client learns all of them at once; the provider renders them in its 422 envelope.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.datastructures import UploadFile
from starlette.requests import Request

from simulator.bodies import BodyError, BodyTooLarge, body_limit, parse_json, read_body, read_form

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"%PDF-", PDF),
)
_EXTENSIONS = {JPEG: "jpg", PNG: "png", PDF: "pdf"}
_BASE64 = re.compile(r"^[A-Za-z0-9+/_\-\s]*={0,2}\s*$")

REQUIRED, INVALID_FORMAT, TOO_LARGE = "required", "invalid_format", "too_large"

# Upload field -> asset type, and which fields each product requires / accepts.
ASSET_OF_FIELD = {
    "document_front": "document_front_image",
    "document_back": "document_back_image",
    "document": "document",
}
UPLOAD_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "id_document_verification": (("document_front",), ("document_back",)),
    "address_document_verification": (("document",), ()),
}


class UploadError(Exception):
    """One or more fields were missing or unusable; ``error_codes`` are Checkout.com-style."""

    def __init__(self, error_codes: Sequence[str]) -> None:
        super().__init__(", ".join(error_codes))
        self.error_codes = list(error_codes)


@dataclass(frozen=True)
class Upload:
    field: str
    media_type: str  # detected from the content: image/jpeg, image/png or application/pdf
    data: bytes
    filename: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def extension(self) -> str:
        return _EXTENSIONS[self.media_type]

    def data_url(self) -> str:
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


# Public functions


def sniff(data: bytes) -> str | None:
    """The media type told by the first bytes, or None if it is not JPEG, PNG or PDF."""
    return next((media for magic, media in _MAGIC if data.startswith(magic)), None)


def decode_text(text: str) -> bytes:
    """The bytes of a data URL or a (standard or URL-safe) base64 string; ValueError otherwise."""
    text = text.strip()
    if text[:5].lower() == "data:":
        header, comma, payload = text[5:].partition(",")
        if not comma:
            raise ValueError("data URL without a comma")
        if header.lower().endswith(";base64"):
            return _b64decode(payload)
        return unquote_to_bytes(payload)
    return _b64decode(text)


def make_upload(field: str, value: object, filename: str | None = None) -> Upload:
    """Check one field's value (bytes from a binary part, or a string) and wrap it."""
    if isinstance(value, str):
        # Cheap bound before decoding: base64 carries 3 bytes in 4 characters.
        if len(value) * 3 // 4 > MAX_UPLOAD_BYTES + 4096:
            raise UploadError([f"{field}__{TOO_LARGE}"])
        try:
            data = decode_text(value)
        except ValueError:
            raise UploadError([f"{field}__{INVALID_FORMAT}"]) from None
    elif isinstance(value, bytes | bytearray):
        data = bytes(value)
    else:
        raise UploadError([f"{field}__{INVALID_FORMAT}"])
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError([f"{field}__{TOO_LARGE}"])
    media_type = sniff(data)
    if media_type is None:
        raise UploadError([f"{field}__{INVALID_FORMAT}"])
    return Upload(field=field, media_type=media_type, data=data, filename=filename)


def collect_uploads(
    values: Mapping[str, Any], required: Sequence[str], optional: Sequence[str] = ()
) -> dict[str, Upload]:
    """Every named upload of ``values`` checked; raises one UploadError listing all problems.

    A value is bytes, a string, or a ``(bytes, filename)`` pair from a multipart file part.
    Empty or null optional fields count as absent.
    """
    uploads: dict[str, Upload] = {}
    codes: list[str] = []
    for field in (*required, *optional):
        value = values.get(field)
        filename = None
        if isinstance(value, tuple):
            value, filename = value
        if value is None or value in ("", b""):
            if field in required:
                codes.append(f"{field}__{REQUIRED}")
            continue
        try:
            uploads[field] = make_upload(field, value, filename)
        except UploadError as exc:
            codes.extend(exc.error_codes)
    if codes:
        raise UploadError(codes)
    return uploads


async def read_fields(request: Request) -> dict[str, Any]:
    """The body's fields: file parts as ``(bytes, filename)``, everything else as sent.

    Cached on the request, so the uploads and the other fields can be read separately.
    """
    cached = getattr(request.state, "upload_fields", None)
    if cached is not None:
        return cached
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    limit = body_limit(request, upload=True)
    if media in ("multipart/form-data", "application/x-www-form-urlencoded"):
        fields = await _form_fields(request, limit)
    else:
        fields = _json_fields(await read_body(request, limit))
    request.state.upload_fields = fields
    return fields


# Keeping uploaded files (JSON documents in the store, base64 inside)

UPLOADS_KIND = "uploads"
PROVIDER = "checkout"


def store_upload(store: Any, tenant: str, attempt_id: str, asset: str, upload: Upload) -> None:
    key = f"{attempt_id}/{asset}"
    doc = {
        "id": key,
        "media_type": upload.media_type,
        "filename": upload.filename,
        "data": base64.b64encode(upload.data).decode("ascii"),
    }
    store.put(tenant, PROVIDER, UPLOADS_KIND, key, doc)


def stored_upload(store: Any, tenant: str, attempt_id: str | None, asset: str) -> Upload | None:
    doc = store.get(tenant, PROVIDER, UPLOADS_KIND, f"{attempt_id}/{asset}") if attempt_id else None
    if doc is None:
        return None
    data = base64.b64decode(doc["data"])
    return Upload(field=asset, media_type=doc["media_type"], data=data, filename=doc["filename"])


def forget_uploads(store: Any, tenant: str, attempt_id: str, assets: Sequence[str]) -> None:
    for asset in assets:
        store.delete(tenant, PROVIDER, UPLOADS_KIND, f"{attempt_id}/{asset}")


# Private functions


def _b64decode(payload: str) -> bytes:
    payload = "".join(payload.split())
    if not payload or not _BASE64.match(payload):
        raise ValueError("not base64")
    core = payload.rstrip("=").replace("-", "+").replace("_", "/")
    if len(core) % 4 == 1:
        raise ValueError("not base64")
    try:
        return base64.b64decode(core + "=" * (-len(core) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64") from exc


async def _form_fields(request: Request, limit: int) -> dict[str, Any]:
    try:
        form = await read_form(request, limit)
    except BodyTooLarge:
        raise
    except BodyError:
        raise UploadError(["request_body__invalid_format"]) from None
    fields: dict[str, Any] = {}
    try:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                fields[key] = (await value.read(), value.filename)
            else:
                fields[key] = value
    finally:
        await form.close()
    return fields


def _json_fields(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        parsed = parse_json(body)
    except BodyError:
        raise UploadError(["request_body__invalid_json"]) from None
    if not isinstance(parsed, dict):
        raise UploadError(["request_body__invalid_json"])
    return parsed
