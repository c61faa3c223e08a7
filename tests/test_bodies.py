"""The one strict body reader: every limit, with the message a client gets."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from simulator.bodies import MAX_DEPTH, BodyError, BodyTooLarge, parse_json, read_form, read_json

ACCEPTED = [
    (b"{}", {}),
    (b'{"a": [1, 2.5, "x", null, true]}', {"a": [1, 2.5, "x", None, True]}),
    (b'"\\ud83d\\ude00"', "\U0001f600"),  # an escaped surrogate *pair* is one character
    ("é".encode(), None),  # not JSON (checked below separately)
    (b"9223372036854775807", 2**63 - 1),
    (b"-9223372036854775808", -(2**63)),
    (b"1e30", 1e30),  # finite: the handler range-checks the field
    (b"[" * MAX_DEPTH + b"]" * MAX_DEPTH, None),
]


@pytest.mark.parametrize(("raw", "expected"), [(r, e) for r, e in ACCEPTED if e is not None])
def test_accepted(raw, expected):
    assert parse_json(raw) == expected


def test_depth_up_to_the_limit_is_accepted():
    value = parse_json(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH)
    for _ in range(MAX_DEPTH - 1):
        value = value[0]
    assert value == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), "nested too deeply"),
        (b'{"a":' * 1000 + b"1" + b"}" * 1000, "nested too deeply"),
        (b"[" * 100_000, "nested too deeply"),
        (b"NaN", "NaN is not a JSON number"),
        (b'{"seconds": Infinity}', "Infinity is not a JSON number"),
        (b"-Infinity", "-Infinity is not a JSON number"),
        (b"1e999", "out of range"),
        (b"9223372036854775808", "out of range"),
        (b"1" * 5000, "too long"),
        (b"0." + b"0" * 100 + b"1", "too long"),
        (b'"\\ud800"', "unpaired UTF-16 surrogate"),
        (b'{"\\udfff": 1}', "unpaired UTF-16 surrogate"),
        (b'["ok", {"deep": ["\\uDBFF"]}]', "unpaired UTF-16 surrogate"),
        (b"\xff\xfe{}", "not valid UTF-8"),
        (b'"\xed\xa0\x80"', "not valid UTF-8"),  # a surrogate encoded straight into the bytes
        (b"\xef\xbb\xbf{}", "not valid JSON"),  # byte-order mark
        (b"{not json", "not valid JSON"),
        ("{}".encode("utf-16"), "not valid UTF-8"),
    ],
)
def test_refused(raw, message):
    with pytest.raises(BodyError) as caught:
        parse_json(raw)
    assert message in caught.value.message
    assert caught.value.status == 400


async def _echo(request: Request) -> JSONResponse:
    try:
        value = await read_json(request, limit=1024)
    except BodyError as exc:
        return JSONResponse({"error": exc.message}, status_code=exc.status)
    return JSONResponse({"value": value})


async def _form(request: Request) -> JSONResponse:
    try:
        form = await read_form(request, limit=1024)
    except BodyError as exc:
        return JSONResponse({"error": exc.message}, status_code=exc.status)
    return JSONResponse({k: str(v) for k, v in form.items()})


@pytest.fixture
def client():
    app = Starlette(routes=[Route("/echo", _echo, methods=["POST"]), Route("/form", _form, methods=["POST"])])
    with TestClient(app) as client:
        yield client


def test_the_size_cap_holds_with_and_without_a_content_length(client):
    assert client.post("/echo", content=b'"' + b"x" * 1000 + b'"').json()["value"] == "x" * 1000
    declared = client.post("/echo", content=b'"' + b"x" * 2000 + b'"')
    assert declared.status_code == 413 and "larger than 1024 bytes" in declared.json()["error"]

    def chunks():
        for _ in range(10):
            yield b" " * 200

    streamed = client.post("/echo", content=chunks())  # chunked: no Content-Length to trust
    assert streamed.status_code == 413


def test_an_empty_body_is_none(client):
    assert client.post("/echo", content=b"  \n").json() == {"value": None}


def test_forms_are_capped_and_malformed_ones_refused(client):
    assert client.post("/form", data={"action": "start"}).json() == {"action": "start"}
    assert client.post("/form", data={"x": "y" * 2000}).status_code == 413
    broken = client.post(
        "/form",
        content=b"--b\r\nnonsense",
        headers={"Content-Type": "multipart/form-data"},  # no boundary
    )
    assert broken.status_code == 400 and "could not be parsed" in broken.json()["error"]


def test_too_large_is_its_own_error():
    error = BodyTooLarge(10)
    assert isinstance(error, BodyError) and error.status == 413
