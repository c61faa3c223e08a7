"""The fixture's object (simulator/testing/kit.py) on kycsims the session fixture does not start: an
interactive applicant (a run waits for a person) and a clock that runs by itself."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from simulator.client import KycSim
from simulator.server import ThreadedServer
from simulator.settings import Settings
from simulator.testing.kit import KycSimKit, event_types
from simulator.testing.receiver import Receiver
from tests.testing.test_pytest_plugin import start_idv


@contextmanager
def kit_on(**settings) -> Iterator[KycSimKit]:
    with ThreadedServer(Settings(seed=5, **settings)) as server, KycSim(server.url) as client:
        receiver = Receiver().start()
        kit = KycSimKit(client, receiver, manual=settings["speed"] == "manual", types=event_types(client))
        try:
            yield kit
        finally:
            kit.close()
            receiver.stop()


def test_settle_says_a_person_when_the_applicant_is_played_by_one():
    with kit_on(speed="manual", applicant="interactive") as kycsim:
        start_idv(kycsim)
        assert kycsim.settle() == ["a person"]
        with pytest.raises(TimeoutError, match="runs wait for: a person"):
            kycsim.wait_for_event("identity_verification_checks_completed", timeout=0.3)


def test_at_a_running_clock_wait_for_event_waits_in_real_time():
    with kit_on(speed="instant") as kycsim:
        assert kycsim.manual is False
        _, idv = start_idv(kycsim)
        event = kycsim.wait_for_event("identity_verification_report_created", subject=idv["id"], timeout=30)
        assert event.type == "identity_verification_report_created"
        assert kycsim.settle() == [] and kycsim.client.clock(kycsim.checkout_key)["speed"] == "instant"


def test_a_kit_closes_even_when_kycsim_is_gone_for_its_reset():
    server = ThreadedServer(Settings(seed=5, speed="manual")).start()
    receiver = Receiver().start()
    client = KycSim(server.url, timeout=2)
    kit = KycSimKit(client, receiver, manual=True, types=event_types(client))
    inbox = kit._inbox_id
    server.stop()
    with pytest.raises(Exception, match="cannot reach kycsim"):
        kit.close()
    assert inbox not in receiver.inboxes  # the inbox is closed all the same
    receiver.stop()
