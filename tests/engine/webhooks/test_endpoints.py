"""Endpoint definitions as checked before kycsim uses them: every field, its limits and the exact message
for each refusal (the same from the control API, the config file and ``KYCSIM_WEBHOOKS``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.control import schemas
from simulator.engine.webhooks.endpoints import EndpointError, add_config_endpoints, config_endpoints, endpoint_fields
from tests.control.schemas import assert_schema

URL = "http://127.0.0.1:9/hooks"
FIELDS = "provider, url, secret, tenant, events, options, chaos, ordered, concurrency"


def test_every_field_is_read_at_its_limits():
    headers = {f"X-Header-{n}": "v" for n in range(20)}  # as many as allowed
    fields = {
        "provider": "sumsub",
        "url": "https://example.com/hooks",
        "secret": "s" * 1024,
        "tenant": "t" * 1024,
        "events": "applicantReviewed, applicant*,",
        "options": {"alg": "HMAC_SHA512_HEX", "authorization": "a" * 4096, "headers": headers},
        "chaos": {},
        "ordered": False,
        "concurrency": 256.0,  # JSON does not tell 256 from 256.0
    }
    assert endpoint_fields(fields) == {
        **fields,
        "events": ["applicantReviewed", "applicant*"],
        "concurrency": 256,
    }
    assert endpoint_fields({"provider": "hooks", "url": URL, "ordered": True, "concurrency": 1}) == {
        "provider": "hooks",
        "url": URL,
        "ordered": True,
        "concurrency": 1,
    }
    assert endpoint_fields({"provider": "hooks", "url": URL, "options": None, "events": []})["events"] is None
    assert endpoint_fields({"provider": "hooks", "url": URL, "options": None})["options"] == {}


@pytest.mark.parametrize(
    "url",
    ["http://a.b", "https://a.example/hooks", "http://127.0.0.1:65535/", "http://h.test/" + "x" * (2048 - 14)],
)
def test_urls_that_are_taken(url):
    assert endpoint_fields({"provider": "hooks", "url": url})["url"] == url


@pytest.mark.parametrize(
    "url",
    [
        "http://a.",  # 9 characters: shorter than any URL with a host
        "http://h.test/" + "x" * (2049 - 14),  # longer than 2048
        "ftp://files.example/",
        "http://a.test/with space",
        "http://a.test/\x7f",
        "http://:80/no-host",
        "http://a.test:99999/",
        "//a.test/hooks",
        42,
    ],
)
def test_urls_that_are_refused_say_why(url):
    with pytest.raises(EndpointError) as refused:
        endpoint_fields({"provider": "hooks", "url": url})
    assert str(refused.value) == f"'url' must be an http(s) URL with a host, not {url!r}"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (["a list"], f"an endpoint must be an object with {FIELDS}"),
        ({}, "an endpoint needs 'provider' and 'url'"),
        ({"provider": "hooks", "url": ""}, "an endpoint needs 'url'"),
        ({"url": URL}, "an endpoint needs 'provider'"),
        ({"url": URL, "size": 1, "colour": "red"}, f"unknown endpoint field(s) colour, size; known: {FIELDS}"),
    ],
)
def test_an_endpoint_is_an_object_of_known_fields_with_a_provider_and_a_url(data, message):
    with pytest.raises(EndpointError) as refused:
        endpoint_fields(data)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"secret": 5}, "'secret' must be a string of at most 1024 characters, not 5"),
        ({"secret": "s" * 1025}, f"'secret' must be a string of at most 1024 characters, not {'s' * 1025!r}"),
        ({"tenant": ["t"]}, "'tenant' must be a string of at most 1024 characters, not ['t']"),
        ({"provider": 7}, "'provider' must be a string of at most 1024 characters, not 7"),
        ({"events": 5}, "'events' must be a list of event types, not 5"),
        ({"events": ["a", 1]}, "'events' must be a list of event types, not ['a', 1]"),
        ({"options": "alg"}, "'options' must be an object, e.g. {\"alg\": \"HMAC_SHA512_HEX\"}, not 'alg'"),
        (
            {"options": {"size": 1, "colour": 2}},
            "unknown option(s) 'colour', 'size'; known: alg, authorization, headers",
        ),
        ({"options": {"alg": 5}}, "'options.alg' must be a string of printable characters, not 5"),
        ({"options": {"alg": "HMAC\n"}}, "'options.alg' must be a string of printable characters, not 'HMAC\\n'"),
        ({"options": {"authorization": 5}}, "'options.authorization' must be a string of printable characters, not 5"),
        (
            {"options": {"authorization": "é"}},
            "'options.authorization' must be a string of printable characters, not 'é'",
        ),
        ({"ordered": "yes"}, "'ordered' must be true or false, not 'yes'"),
        ({"ordered": 1}, "'ordered' must be true or false, not 1"),
        ({"concurrency": 0}, "'concurrency' must be a whole number from 1 to 256, not 0"),
        ({"concurrency": 257}, "'concurrency' must be a whole number from 1 to 256, not 257"),
        ({"concurrency": 2.5}, "'concurrency' must be a whole number from 1 to 256, not 2.5"),
        ({"concurrency": True}, "'concurrency' must be a whole number from 1 to 256, not True"),
        ({"concurrency": "8"}, "'concurrency' must be a whole number from 1 to 256, not '8'"),
    ],
)
def test_each_refusal_says_which_field_and_why(fields, message):
    with pytest.raises(EndpointError) as refused:
        endpoint_fields({"provider": "hooks", "url": URL, **fields})
    assert str(refused.value) == message


HEADERS = "'options.headers' must be an object of up to 20 header names and string values"


@pytest.mark.parametrize(
    "headers",
    [
        ["X-A: b"],
        "X-A: b",
        {f"X-Header-{n}": "v" for n in range(21)},
        {"Bad Name": "v"},
        {"": "v"},
        {"X-A": 1},
        {"X-A": "a" * 4097},
        {"X-A": "line\r\nX-Injected: yes"},
    ],
)
def test_extra_headers_are_refused_unless_each_is_a_header(headers):
    with pytest.raises(EndpointError) as refused:
        endpoint_fields({"options": {"headers": headers}}, partial=True)
    assert str(refused.value) == HEADERS


def test_an_update_needs_no_field_and_a_new_endpoint_needs_provider_and_url():
    assert endpoint_fields({}, partial=True) == {}
    assert endpoint_fields({"ordered": False}, partial=True) == {"ordered": False}
    with pytest.raises(EndpointError, match="^an endpoint needs 'provider' and 'url'$"):
        endpoint_fields({"ordered": False})


@pytest.mark.parametrize(
    ("webhooks", "message"),
    [
        (["endpoints"], "'webhooks' must be a mapping with an 'endpoints' list"),
        ({"endpoint": [], "hooks": 1}, "webhooks: unknown key(s) endpoint, hooks; known: endpoints"),
        ({"endpoints": {"provider": "hooks"}}, "webhooks.endpoints must be a list of endpoints"),
        (
            {"endpoints": [{"provider": "hooks", "url": URL}, {"provider": "hooks"}]},
            "webhooks.endpoints[1]: an endpoint needs 'url'",
        ),
        ({"endpoints": ["hooks"]}, f"webhooks.endpoints[0]: an endpoint must be an object with {FIELDS}"),
    ],
)
def test_a_bad_config_file_section_says_where(webhooks, message):
    with pytest.raises(EndpointError) as refused:
        config_endpoints(webhooks)
    assert str(refused.value) == message


class Registered:
    def __init__(self) -> None:
        self.endpoints: list[tuple[str, str, dict]] = []

    def add_endpoint(self, provider: str, *, source: str, **fields) -> None:
        self.endpoints.append((provider, source, fields))


def test_a_config_endpoint_of_a_provider_not_loaded_is_skipped_with_a_warning_and_the_rest_registered(caplog):
    webhooks = {
        "endpoints": [
            {"provider": "absent", "url": "http://127.0.0.1:9/absent"},
            {"provider": "hooks", "url": URL, "secret": "s"},
        ]
    }
    registered = Registered()
    with caplog.at_level("WARNING", logger="kycsim.webhooks"):
        add_config_endpoints(registered, webhooks, {"hooks": object(), "digest": object()})
    assert registered.endpoints == [("hooks", "config", {"url": URL, "secret": "s"})]
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "kycsim.webhooks",
            "WARNING",
            "webhooks.endpoints: provider 'absent' is not loaded (loaded: digest, hooks);"
            " endpoint http://127.0.0.1:9/absent skipped",
        )
    ]


def test_an_endpoint_is_shown_with_every_field_the_control_api_documents(sim, receiver):
    sim.endpoint(receiver.url, tenant="t1")
    sim.endpoint(
        receiver.url, events=["thing.*"], options={"alg": "HMAC_SHA1_HEX", "headers": {"X-A": "b"}}, ordered=False
    )
    listed = sim.client.get("/_sim/webhooks/endpoints").json()
    assert_schema("webhook_endpoints.response", listed)
    documented = json.loads((Path(schemas.__file__).parent / "common.json").read_text())["$defs"]["endpoint"]
    one_tenant, every_tenant = listed["data"]
    assert set(one_tenant) == set(every_tenant) == set(documented["properties"])
    shown = {"provider": "hooks", "url": receiver.url, "secret": "set", "source": "api", "chaos": {}}
    assert one_tenant == {
        **shown,
        "id": "we_1",
        "tenant": "\u2026",  # t1, too short to show any of it
        "all_tenants": False,
        "events": None,
        "options": {},
        "ordered": True,
        "concurrency": 64,  # docs/webhooks.md: "default 64, at most 256"
    }
    assert every_tenant == {
        **shown,
        "id": "we_2",
        "tenant": None,
        "all_tenants": True,
        "events": ["thing.*"],
        "options": {"alg": "HMAC_SHA1_HEX", "headers": {"X-A": "\u2026"}},  # a header may carry a credential
        "ordered": False,
        "concurrency": 64,
    }


def test_the_apis_endpoints_come_back_from_their_snapshot_and_configured_ones_keep_their_ids():
    from simulator.engine.webhooks.endpoints import Endpoint, Endpoints

    def made(source: str, url: str) -> Endpoint:
        endpoint = Endpoint(endpoints.new_id(), "checkout", url, "s", source=source)
        endpoints[endpoint.id] = endpoint
        return endpoint

    endpoints, told = Endpoints(), []
    endpoints.on_change = lambda: told.append(1)
    made("settings", "http://a.test/1")
    added = made("api", "http://a.test/2")
    endpoints.changed()
    saved = json.loads(endpoints.snapshot())
    assert [e["id"] for e in saved["endpoints"]] == ["we_2"] and told == [1], (
        "only the API's: the others are configuration"
    )

    endpoints = Endpoints()  # the next start: its configuration now has two endpoints, so we_2 is taken
    made("settings", "http://a.test/1")
    made("config", "http://a.test/3")
    endpoints.restore(saved)
    back = next(e for e in endpoints.values() if e.source == "api")
    assert back.as_record() == {**added.as_record(), "id": back.id} and back.id == "we_3"
    assert endpoints.new_id() == "we_4"


@pytest.mark.parametrize("saved", [None, {"endpoints": "x"}, {"endpoints": [{"url": 1}], "next": None}])
def test_an_endpoints_snapshot_that_does_not_read_adds_nothing(saved):
    from simulator.engine.webhooks.endpoints import Endpoints

    endpoints = Endpoints()
    endpoints.restore(saved)
    assert not endpoints and endpoints.new_id() == "we_1"
