"""The console: a line per request at ``info``, except polls and control-API reads (``debug`` only)."""

from __future__ import annotations

import logging

import pytest
from starlette.testclient import TestClient

from simulator.app import create_app
from simulator.settings import Settings
from tests.providers.sumsub.support import SumsubAuth

KEY = {"Authorization": "Bearer sk_sbox_console_test"}


@pytest.fixture
def lines():
    """(level, message) of each console line, whatever the logging setup of earlier tests."""
    seen: list[tuple[int, str]] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append((record.levelno, record.getMessage()))

    logger = logging.getLogger("kycsim.console")
    handler, level = Collect(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield seen
    logger.removeHandler(handler)
    logger.setLevel(level)


def _level(lines: list[tuple[int, str]], start: str) -> int:
    found = [level for level, message in lines if message.startswith(start)]
    assert len(found) == 1, (start, lines)
    return found[0]


def test_polls_and_control_reads_show_at_debug_only(lines):
    app = create_app(Settings(seed=3, speed="manual", start_time="2025-01-01T00:00:00Z"))
    with TestClient(app) as client:
        applicant = client.post("/applicants", json={"email": "a@example.com"}, headers=KEY).json()
        idv = client.post(
            "/identity-verifications",
            json={"applicant_id": applicant["id"], "declared_data": {"name": "A B"}},
            headers=KEY,
        ).json()
        attempt = client.post(
            f"/identity-verifications/{idv['id']}/attempts", json={"redirect_url": "https://x.example/"}, headers=KEY
        ).json()
        page = attempt["_links"]["verification_url"]["href"].split("testserver")[1]
        client.get(page)  # a person opens the page
        client.get(f"{page}state")  # the page follows the flow
        client.get("/_sim/runs")
        client.post("/_sim/clock/advance", json={"seconds": 1})
        sumsub = SumsubAuth()
        client.post("/resources/applicants?levelName=basic-kyc-level", json={"externalUserId": "u1"}, auth=sumsub)
        token = client.post(
            "/resources/accessTokens/sdk", json={"userId": "u1", "levelName": "basic-kyc-level"}, auth=sumsub
        ).json()["token"]
        client.get(f"/websdk/t/{token}")  # a person opens the page
        client.get(f"/websdk/t/{token}?kycsim_poll=1")  # the page's own reload
    assert _level(lines, "POST /applicants ") == logging.INFO
    assert _level(lines, f"GET {page} ") == logging.INFO
    assert _level(lines, f"GET {page}state ") == logging.DEBUG
    assert _level(lines, "GET /_sim/runs ") == logging.DEBUG
    assert _level(lines, "POST /_sim/clock/advance ") == logging.INFO
    assert [level for level, message in lines if message.startswith("GET /websdk/t/")] == [
        logging.INFO,
        logging.DEBUG,
    ]
