"""Images: applicant ID documents (``info/idDoc``, answers ``X-Image-Id``), action images (add,
download) and the inspection image download. Upload problems are Sumsub's 1000-series errors.
"""

from __future__ import annotations

import base64
import hashlib
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from simulator.bodies import BodyError, body_limit, parse_json, read_body
from simulator.providers.sumsub import constants as c
from simulator.providers.sumsub import sandbox
from simulator.providers.sumsub.api import find_action, find_applicant
from simulator.providers.sumsub.errors import SumsubError, bad_request, not_found
from simulator.providers.sumsub.media import dimensions, sniff
from simulator.providers.sumsub.schemas import first_error
from simulator.providers.sumsub.state import SumsubState, fmt_created, public
from simulator.providers.sumsub.subjects import ID_DOC_TYPES
from simulator.toolkit.routes import Call

MAX_BYTES = 64 * 1024 * 1024


def _multipart(content_type: str, body: bytes) -> dict[str, tuple[bytes, str | None]]:
    """Part name -> (raw bytes, filename). Parsed with the stdlib so a file part sent without a
    filename (form-data does that for Buffers) keeps its bytes instead of becoming text."""
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    if not message.is_multipart():
        raise ValueError("not multipart")
    parts: dict[str, tuple[bytes, str | None]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            payload = part.get_payload(decode=True)
            parts[str(name)] = (payload if isinstance(payload, bytes) else b"", _filename(part.get_filename()))
    return parts


def _filename(name: str | None) -> str | None:
    """The email parser keeps undecodable header bytes as lone surrogates; stored, they could never be
    written out again, so they become U+FFFD here."""
    if name is None or name.isascii():
        return name
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")[:255]
    except UnicodeEncodeError:  # a surrogate that was not an escaped byte
        return name.encode("utf-8", "replace").decode("utf-8")[:255]


async def _parts(request: Request) -> tuple[dict[str, Any], bytes | None, str | None]:
    """``metadata`` (JSON) and ``content`` of a multipart upload."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise bad_request("Expected a multipart/form-data body with 'metadata' and 'content' parts")
    body = await read_body(request, body_limit(request, upload=True))  # BodyTooLarge: 1002, by the endpoint
    try:
        parts = _multipart(content_type, body)
    except Exception:
        raise bad_request("The multipart body could not be parsed") from None
    raw, _ = parts.get("metadata", (b"", None))
    try:
        metadata: Any = parse_json(raw) if raw.strip() else None  # an object once the schema passes it
    except BodyError:
        example = '{"idDocType":"PASSPORT","country":"GBR"}'
        raise bad_request(f"Part 'metadata' must be a JSON object such as {example}") from None
    problem = first_error("id_doc.metadata", metadata)
    if problem:
        raise bad_request(f"Invalid metadata: {problem}")
    if "content" not in parts:
        return metadata, None, None
    data, filename = parts["content"]
    return metadata, data, filename


def _check_file(ctx: SumsubState, owner: dict[str, Any], data: bytes, id_doc_type: str) -> str:
    review = owner["review"]
    if owner.get("_deleted") or owner.get("_active") is False:
        raise SumsubError.coded(1008)
    if review["reviewStatus"] in c.IN_REVIEW:
        raise SumsubError.coded(1006)
    result = review.get("reviewResult") or {}
    if review["reviewStatus"] == c.COMPLETED and result.get("reviewRejectType") == c.FINAL:
        raise SumsubError.coded(1009)
    if id_doc_type not in ID_DOC_TYPES:
        raise SumsubError.coded(1010, f"Document type '{id_doc_type}' is not in the set of required documents")
    if not data:
        raise SumsubError.coded(1003)
    if len(data) > MAX_BYTES:
        raise SumsubError.coded(1002)
    mime = sniff(data)
    if mime == "unsupported":
        raise SumsubError.coded(1005)
    if mime is None:
        # The wording Sumsub answers with (seen in SumSubstance/AppTokenUsageExamples#26).
        raise SumsubError.coded(
            1004, f"Corrupted file for applicant {owner.get('applicantId', owner['id'])} and type imageUpload"
        )
    digest = hashlib.sha1(data).hexdigest()
    for image_id in owner.get("_images", []):
        image = ctx.get(c.KIND_IMAGE, image_id)
        if image and image["imageHash"] == digest:
            raise SumsubError.coded(1000)
    return mime


def store_image(
    ctx: SumsubState, owner: dict[str, Any], data: bytes, mime: str, metadata: dict[str, Any], filename: str | None
) -> dict[str, Any]:
    image_id = ctx.image_id()
    width, height = dimensions(data)
    image = {
        "id": image_id,
        "imageId": image_id,
        "addedDate": fmt_created(ctx.now),
        "imageHash": hashlib.sha1(data).hexdigest(),
        "imageFileName": filename or f"{image_id}.{mime.split('/')[-1]}",
        "resizedImageId": image_id,
        "mimeType": mime,
        "sigHash": hashlib.sha256(data).hexdigest()[:32],
        "actualResolution": {"width": width, "height": height},
        "idDocType": metadata["idDocType"],
        "country": metadata["country"].upper(),
        "idDocSubType": metadata.get("idDocSubType"),
        "attemptId": owner["review"]["attemptId"],
        "_owner": owner["id"],
        "_bytes": base64.b64encode(data).decode(),
    }
    ctx.put(c.KIND_IMAGE, image)
    owner.setdefault("_images", []).append(image_id)
    return image


async def add_id_doc(call: Call) -> JSONResponse:
    ctx = call.state
    applicant = find_applicant(ctx, call.params["applicant_id"])
    metadata, data, filename = await _parts(call.request)
    headers = {}
    if data is not None:
        mime = _check_file(ctx, applicant, data, metadata["idDocType"])
        image = store_image(ctx, applicant, data, mime, metadata, filename)
        sandbox.apply(ctx, applicant)  # a verification document template picks the outcome (rule 3)
        ctx.put(c.KIND_APPLICANT, applicant)
        headers[c.HEADER_IMAGE_ID] = image["id"]
    body = {k: v for k, v in metadata.items() if v is not None}
    body["country"] = body["country"].upper()
    return JSONResponse(body, headers=headers)


def action_image_json(image: dict[str, Any]) -> dict[str, Any]:
    shown = {k: v for k, v in public(image).items() if k not in ("idDocType", "country", "idDocSubType")}
    shown["idDocDef"] = {"country": image["country"], "idDocType": image["idDocType"]}
    if image.get("idDocSubType"):
        shown["idDocDef"]["idDocSubType"] = image["idDocSubType"]
    shown.setdefault("reviewResult", {})
    return shown


async def add_action_image(call: Call) -> dict:
    ctx = call.state
    action = find_action(ctx, call.params["action_id"])
    metadata, data, filename = await _parts(call.request)
    if data is None:
        raise SumsubError.coded(1003, "Part 'content' is missing: the image file is required")
    mime = _check_file(ctx, action, data, metadata["idDocType"])
    image = store_image(ctx, action, data, mime, metadata, filename)
    image["reviewResult"] = {}
    ctx.put(c.KIND_IMAGE, image)
    shown = action_image_json(image)
    action.setdefault("images", []).append(shown)
    if "paymentMethod" in action and metadata["idDocType"] in ("PAYMENT_METHOD", "BANK_CARD"):
        action["paymentMethod"].setdefault("imageIds", []).append(image["id"])
    ctx.put(c.KIND_ACTION, action)
    return shown


def _image_bytes(ctx: SumsubState, owner_id: str, image_id: str) -> Response:
    image = ctx.get(c.KIND_IMAGE, image_id)
    if image is None or image["_owner"] != owner_id:
        raise not_found(f"Image not found: {image_id}")
    return Response(base64.b64decode(image["_bytes"]), media_type=image["mimeType"])


async def get_action_image(call: Call) -> Response:
    action = find_action(call.state, call.params["action_id"])
    return _image_bytes(call.state, action["id"], call.params["image_id"])


async def get_inspection_image(call: Call) -> Response:
    inspection_id = call.params["inspection_id"]
    applicant = next((a for a in call.state.list(c.KIND_APPLICANT) if a["inspectionId"] == inspection_id), None)
    if applicant is None:
        raise not_found(f"Inspection not found: {inspection_id}")
    return _image_bytes(call.state, applicant["id"], call.params["image_id"])
