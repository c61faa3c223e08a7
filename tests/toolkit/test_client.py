"""What the typed client is made of (simulator/toolkit/client.py): its error, its call shapes."""

from __future__ import annotations

from simulator.toolkit.client import Call, ControlCalls, KycSimError, present, segment


def test_an_error_answer_carries_the_control_envelope():
    body = {"error": {"type": "unknown_scenario", "message": "no scenario named 'x'"}, "close_names": ["y"]}
    error = KycSimError.from_answer("POST", "/bindings", 400, body, "")
    assert (error.status, error.type, error.method, error.path) == (400, "unknown_scenario", "POST", "/bindings")
    assert str(error) == "POST /_sim/bindings: 400 no scenario named 'x'" and error.body["close_names"] == ["y"]


def test_an_answer_without_the_envelope_is_still_one_error():
    other = KycSimError.from_answer("GET", "/x", 502, {"detail": "proxy"}, "")
    assert other.type == "error" and "{'detail': 'proxy'}" in str(other)
    html = KycSimError.from_answer("GET", "/x", 503, None, "<html>" + "x" * 500)
    assert html.type == "bad_response" and len(html.message) < 260
    empty = KycSimError.from_answer("GET", "/x", 500, None, "")
    assert empty.message.endswith("(no body)")


def test_ids_are_one_path_segment_and_options_left_out_are_not_sent():
    assert segment("../reset?x=1#y") == "..%2Freset%3Fx%3D1%23y" and segment("idv_1") == "idv_1"
    assert present(a=1, b=None, c=False, d="") == {"a": 1, "c": False, "d": ""}


def test_calls_go_to_the_sender_with_booleans_as_kycsim_reads_them():
    sent: list[Call] = []

    class Recorder:
        def object(self, call: Call) -> Call:
            sent.append(call)
            return call

        items = nothing = object

    calls = ControlCalls(Recorder())
    calls._items("/webhooks", {"ok": False, "limit": 5, "tenant": None})
    calls._nothing("DELETE", "/bindings/b1")
    assert sent[0] == Call("GET", "/webhooks", {"ok": "false", "limit": 5}, pick="data")
    assert sent[1] == Call("DELETE", "/bindings/b1")
