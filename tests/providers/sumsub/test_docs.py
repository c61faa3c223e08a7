"""docs/sumsub.md stays true: its quick-start code, copied literally, works against a real server."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from simulator.server import ThreadedServer
from tests.providers.sumsub.conftest import sumsub_settings

GUIDE = Path(__file__).parents[3] / "docs" / "sumsub.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", GUIDE.read_text(), flags=re.S)


def test_the_quick_start_runs_as_written(capsys):
    api_only, hand_off = python_blocks()[:2]
    with ThreadedServer(sumsub_settings()) as server:
        scope: dict = {}
        exec(api_only.replace('"http://127.0.0.1:8000"', repr(server.url)), scope)  # noqa: S102
        assert capsys.readouterr().out.strip() == "{'ok': 1}"
        exec(hand_off, scope)  # noqa: S102
        assert httpx.post(server.url + "/_sim/clock/advance", json={"seconds": 3600}).status_code == 200
        sim = server.sim
        tenant = sim.settings.sumsub_app_token
        reviews = {a["externalUserId"]: a["review"] for a in sim.store.list(tenant, "sumsub", "applicants")}
    assert reviews["user-1"]["reviewResult"]["rejectLabels"] == ["BAD_SELFIE"]
    assert reviews["user-2"]["reviewResult"] == {"reviewAnswer": "GREEN"}
