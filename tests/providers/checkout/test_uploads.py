from __future__ import annotations

import base64

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from simulator.providers.checkout.uploads import (
    JPEG,
    MAX_UPLOAD_BYTES,
    PDF,
    PNG,
    UploadError,
    collect_uploads,
    decode_text,
    make_upload,
    read_fields,
    sniff,
)

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"\x00" * 32
GIF_BYTES = b"GIF89a" + b"\x00" * 32
NAMELESS_PART = b"--x\r\nContent-Disposition: form-data\r\n\r\nabc\r\n--x--\r\n"


def data_url(data: bytes, media: str = "image/jpeg") -> str:
    return f"data:{media};base64,{base64.b64encode(data).decode()}"


@pytest.mark.parametrize(("data", "media"), [(JPEG_BYTES, JPEG), (PNG_BYTES, PNG), (PDF_BYTES, PDF), (GIF_BYTES, None)])
def test_sniff_tells_the_format_from_the_first_bytes(data, media):
    assert sniff(data) == media


def test_decode_text_reads_data_urls_and_bare_base64_in_both_alphabets():
    raw = bytes(range(256))
    assert decode_text(data_url(raw)) == raw
    assert decode_text(base64.b64encode(raw).decode()) == raw
    assert decode_text(base64.urlsafe_b64encode(raw).decode().rstrip("=")) == raw
    assert decode_text("  " + base64.encodebytes(raw).decode() + "\n") == raw  # wrapped at 76 columns
    assert decode_text("data:text/plain,hello%20there") == b"hello there"


@pytest.mark.parametrize("text", ["data:image/jpeg;base64", "not base64 at all!", "", "abcde"])
def test_decode_text_rejects_what_is_not_a_data_url_or_base64(text):
    with pytest.raises(ValueError):
        decode_text(text)


def test_the_detected_type_wins_over_the_declared_one():
    upload = make_upload("document_front", data_url(PNG_BYTES, "image/jpeg"))
    assert upload.media_type == PNG and upload.extension == "png" and upload.data == PNG_BYTES
    assert upload.data_url().startswith("data:image/png;base64,")


@pytest.mark.parametrize("value", [data_url(GIF_BYTES, "image/gif"), GIF_BYTES, "%%%", 12, {"a": 1}])
def test_anything_but_jpeg_png_pdf_is_an_invalid_format(value):
    with pytest.raises(UploadError) as err:
        make_upload("document_front", value)
    assert err.value.error_codes == ["document_front__invalid_format"]


def test_ten_megabytes_is_the_limit_for_binary_and_text_forms():
    exact = JPEG_BYTES + b"\x00" * (MAX_UPLOAD_BYTES - len(JPEG_BYTES))
    assert make_upload("document_front", exact).size == MAX_UPLOAD_BYTES
    assert make_upload("document_front", data_url(exact)).size == MAX_UPLOAD_BYTES
    for value in (exact + b"\x00", data_url(exact + b"\x00")):
        with pytest.raises(UploadError) as err:
            make_upload("document_back", value)
        assert err.value.error_codes == ["document_back__too_large"]


def test_collect_reports_every_problem_at_once_and_skips_empty_optionals():
    with pytest.raises(UploadError) as err:
        collect_uploads({"document_back": data_url(GIF_BYTES)}, ["document_front"], ["document_back"])
    assert err.value.error_codes == ["document_front__required", "document_back__invalid_format"]
    uploads = collect_uploads(
        {"document_front": data_url(JPEG_BYTES), "document_back": None}, ["document_front"], ["document_back"]
    )
    assert list(uploads) == ["document_front"]
    uploads = collect_uploads({"document": (PDF_BYTES, "bill.pdf")}, ["document"])
    assert uploads["document"].filename == "bill.pdf" and uploads["document"].media_type == PDF


# Through a real request: multipart binary, multipart text parts, JSON strings


async def attempt(request: Request) -> JSONResponse:
    try:
        uploads = collect_uploads(await read_fields(request), ["document_front"], ["document_back"])
    except UploadError as exc:
        return JSONResponse({"error_type": "request_invalid", "error_codes": exc.error_codes}, status_code=422)
    return JSONResponse({k: {"type": u.media_type, "size": u.size, "filename": u.filename} for k, u in uploads.items()})


@pytest.fixture
def client():
    return TestClient(Starlette(routes=[Route("/attempts", attempt, methods=["POST"])]))


def test_multipart_binary_parts(client):
    files = {
        "document_front": ("front.jpg", JPEG_BYTES, "image/jpeg"),
        "document_back": ("back.png", PNG_BYTES, "application/octet-stream"),
    }
    body = client.post("/attempts", files=files).json()
    assert body == {
        "document_front": {"type": JPEG, "size": len(JPEG_BYTES), "filename": "front.jpg"},
        "document_back": {"type": PNG, "size": len(PNG_BYTES), "filename": "back.png"},
    }


def test_multipart_text_parts_carrying_data_urls(client):
    resp = client.post("/attempts", files={"x": ("x", b"")}, data={"document_front": data_url(PDF_BYTES)})
    assert resp.status_code == 200 and resp.json()["document_front"]["type"] == PDF


def test_json_strings_as_the_sdks_send_them(client):
    resp = client.post(
        "/attempts",
        json={"document_front": data_url(JPEG_BYTES), "document_back": base64.b64encode(PNG_BYTES).decode()},
    )
    assert resp.status_code == 200
    assert {k: v["type"] for k, v in resp.json().items()} == {"document_front": JPEG, "document_back": PNG}


def test_a_large_multipart_file_is_too_large_not_a_parser_failure(client):
    big = JPEG_BYTES + b"\x00" * MAX_UPLOAD_BYTES
    resp = client.post("/attempts", files={"document_front": ("big.jpg", big, "image/jpeg")})
    assert resp.status_code == 422 and resp.json()["error_codes"] == ["document_front__too_large"]
    resp = client.post("/attempts", files={"x": ("x", b"")}, data={"document_front": data_url(big)})
    assert resp.status_code == 422 and resp.json()["error_codes"] == ["document_front__too_large"]


@pytest.mark.parametrize(
    ("kwargs", "codes"),
    [
        ({"json": {}}, ["document_front__required"]),
        ({"content": b"", "headers": {"content-type": "application/json"}}, ["document_front__required"]),
        ({"json": {"document_front": data_url(GIF_BYTES, "image/gif")}}, ["document_front__invalid_format"]),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, ["request_body__invalid_json"]),
        ({"json": ["document_front"]}, ["request_body__invalid_json"]),
        (
            {
                "content": NAMELESS_PART,
                "headers": {"content-type": "multipart/form-data; boundary=x"},
            },
            ["request_body__invalid_format"],
        ),
        ({"files": {"document_front": ("a.gif", GIF_BYTES, "image/gif")}}, ["document_front__invalid_format"]),
    ],
)
def test_bad_uploads_get_clear_error_codes(client, kwargs, codes):
    resp = client.post("/attempts", **kwargs)
    assert resp.status_code == 422
    assert resp.json()["error_codes"] == codes
