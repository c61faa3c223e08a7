"""Hostile requests for every route of both providers and the control API.

Shared by the fuzz suite (``tests/test_fuzz.py``: a few thousand requests in CI) and the long run
(``benchmarks/fuzz.py``: ten thousand and more against ``kycsim serve``). A request is one route
of the running app with:

- path parameters from real ids (made by :func:`seed`), another tenant's ids, or hostile strings;
- a query string of the routes' own parameter names with hostile values;
- the provider's credentials, valid most of the time so that handlers are reached (Sumsub
  requests are signed over the exact bytes sent), or broken ones (JWT-shaped bearers with deep
  payloads, non-ASCII signatures, overlong keys);
- a body: a valid example for the route with one value swapped for a hostile one (``NaN``, lone
  surrogates, 1,000 levels of nesting, 10^30, wrong types...), random JSON, raw bytes, a form or
  a multipart upload, under a matching or a wrong content type.

Outbound URLs (webhook endpoints, replays) only ever point at a closed local port, so a run never
reaches the network. :func:`run` sends the requests with hypothesis and records every 5xx and every
body that is not the JSON it claims to be; :func:`readback` then reads every stored record again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from starlette.routing import Mount

from simulator.providers.sumsub.settings import DEFAULT_APP_TOKEN as DEFAULT_SUMSUB_APP_TOKEN
from simulator.providers.sumsub.settings import DEFAULT_SECRET_KEY as DEFAULT_SUMSUB_SECRET_KEY

CHECKOUT_KEY = "sk_sbox_fuzzfuzzfuzzfuzzfuzzfuzzfuzzfu"
OTHER_KEY = "sk_sbox_otherotherotherotherotherothe"
SUMSUB_TOKEN, SUMSUB_SECRET = DEFAULT_SUMSUB_APP_TOKEN, DEFAULT_SUMSUB_SECRET_KEY
CLOSED_URL = "http://127.0.0.1:9/hook"  # the discard port: nothing listens, the connection is refused at once
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


class Raw(str):
    """A JSON token written as is (``NaN``, ``"\\ud800"``, 1,000 brackets): what json.dumps would refuse or fix."""


def encode(value: Any) -> bytes:
    """JSON text for ``value``, keeping :class:`Raw` tokens, NaN and lone surrogates as a hostile client sends them."""
    return _encode(value).encode("utf-8", "surrogatepass")


def _encode(value: Any) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{_encode(str(k))}:{_encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_encode(v) for v in value) + "]"
    if isinstance(value, float):
        return json.dumps(value, allow_nan=True)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=True)  # a lone surrogate becomes the escape "\ud800"
    return json.dumps(value)


HOSTILE_VALUES: list[Any] = [
    Raw("NaN"),
    Raw("Infinity"),
    Raw("-Infinity"),
    Raw("1e999"),
    Raw("-1e999"),
    Raw("1" * 5000),
    Raw('"\\ud800"'),
    Raw('"\\udfff tail"'),
    Raw('"\\ud83d\\ude00"'),
    Raw("[" * 1000 + "]" * 1000),
    Raw('{"a":' * 60 + "1" + "}" * 60),
    Raw("[" * 33 + "]" * 33),
    10**30,
    2**63,
    -(2**63) - 1,
    2**63 - 1,
    1e30,
    1e308,
    -1e308,
    1e-320,
    -1,
    0,
    1,
    0.5,
    -0.0,
    True,
    False,
    None,
    "",
    " ",
    "x" * 10_000,
    [],
    {},
    [None],
    [{}],
    {"": ""},
    {"a": [1, {"b": None}]},
    "\x00",
    "\u202e",
    "é",
    "😀",
    "\ud800",
    "2025-13-45",
    "9999-12-31",
    "0000-00-00",
    "1e3",
    "NaN",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://127.0.0.1:9/x",
    "ftp://x",
    "http://[::1",
    "http://a:99999/",
    "//evil.example",
    "../../etc/passwd",
    "%00",
    "-;applicantId=x",
    "<script>alert(1)</script>",
    "sk_sbox_x",
    "sbx:a.b",
    "usj_",
    "aplt_",
    "idv_" + "a" * 500,
]
HOSTILE_STRINGS: list[str] = [
    "",
    " ",
    "0",
    "-1",
    "1e400",
    "NaN",
    "99999999999999999999",
    "\x00",
    "é",
    "😀",
    "\u202e",
    "\ufffd",
    "../../etc/passwd",
    "%00",
    "%ff",
    "%2F",
    "a" * 3000,
    "javascript:alert(1)",
    "<x>",
    "-;applicantId=",
    "-;externalUserId=",
    "-;applicantId=x;kytTxnReference.txnId=y",
    "{}",
    "[]",
    "null",
    "true",
    "²",
    "sk_sbox_",
    "sbx:a.b",
    "p",
    "t",
    "0123456789abcdef01234567",
    "ffffffffffffffffffffffff",
    "-",
    "~",
]
QUERY_NAMES = [
    "limit",
    "skip",
    "offset",
    "levelName",
    "ttlInSecs",
    "userId",
    "externalUserId",
    "externalActionId",
    "type",
    "order",
    "lang",
    "tenant",
    "method",
    "path",
    "provider",
    "state",
    "event_id",
    "endpoint_id",
    "chaos",
    "ok",
    "replay",
    "events",
    "options",
    "attempts",
    "scenario",
    "product",
    "resource",
    "id",
    "preview",
    "delivery_id",
    "event_type",
    "all_tenants",
]


def hostile_jwt(payload: bytes) -> str:
    part = base64.urlsafe_b64encode(payload).rstrip(b"=").decode()
    return f"eyJhbGciOiJIUzI1NiJ9.{part}.c2lnbmF0dXJl"


CHECKOUT_AUTH: list[bytes | None] = [
    *[f"Bearer {CHECKOUT_KEY}".encode()] * 40,
    f"Bearer {OTHER_KEY}".encode(),
    None,
    b"",
    b"Bearer",
    b"Basic dXNlcjpwYXNz",
    b"Bearer pk_sbox_x",
    b"Bearer sk_sbox_" + b"a" * 5000,
    b"Bearer sk_sbox_\xe9\xff\x01",
    b"Bearer \xff\xfe",
    b"Bearer " + b"A" * 70_000,
    b"Bearer " + hostile_jwt(b"[" * 5000 + b"]" * 5000).encode(),
    b"Bearer " + hostile_jwt(b'{"client_id": "victim", "scope": "identity-verification"}').encode(),
    b"Bearer " + hostile_jwt(bytes(range(256))).encode(),
]


@dataclass
class World:
    """Real ids to fill path parameters with, by provider and parameter name."""

    pools: dict[str, list[str]] = field(default_factory=dict)

    def add(self, key: str, *values: Any) -> None:
        found = [str(v) for v in values if v]
        if found:
            self.pools.setdefault(key, [])
            self.pools[key].extend(v for v in found if v not in self.pools[key])

    def values(self, provider: str, name: str) -> list[str]:
        return self.pools.get(f"{provider}:{name}", [])


@dataclass
class Outcome:
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # a 5xx, or a body that is not what it claims
    routes: set[tuple[str, str]] = field(default_factory=set)  # the routes that answered

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def record(self, description: str, response: httpx.Response | None, error: str | None = None) -> None:
        self.requests += 1
        if response is None:
            self.failures.append(f"{description}: no response ({error})")
            return
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        if response.status_code >= 500:
            self.failures.append(f"{description}: {response.status_code} {response.text[:300]!r}")
        elif response.headers.get("content-type", "").startswith("application/json") and response.content:
            try:
                json.loads(response.content)
            except ValueError:
                self.failures.append(f"{description}: {response.status_code} body is not JSON")


# The routes and what their requests look like


def routes(app: Any) -> list[tuple[str, str]]:
    """Every (method, path template) the app serves, control API included."""
    found: list[tuple[str, str]] = []

    def walk(table: Iterable[Any], prefix: str) -> None:
        for route in table:
            if isinstance(route, Mount):
                walk(route.routes, prefix + route.path)
            elif getattr(route, "methods", None):
                found.extend((m, prefix + route.path) for m in sorted(route.methods - {"HEAD"}))

    walk(app.routes, "")
    return found


def provider_of(template: str) -> str:
    if template.startswith("/_sim/checkout"):
        return "checkout"
    if template.startswith("/_sim"):
        return "control"
    if template.startswith(("/resources", "/websdk", "/idensic")):
        return "sumsub"
    return "checkout"


USJ = "usj_aaaaaaaaaaaaaaaaaaaaaaaaaa"
DECLARED = {"name": "Hannah Bret", "birth_date": "1990-01-01", "email": "hannah@example.com"}
PAYMENT = {"type": "bankCard", "subType": "VISA", "data": {"requiredIdDoc": {"firstName": "J", "lastName": "D"}}}
EXAMPLES: dict[tuple[str, str], Any] = {
    ("POST", "/applicants"): {
        "email": "a@example.com",
        "external_applicant_id": "ext_1",
        "external_applicant_name": "Hannah Bret",
    },
    ("PATCH", "/applicants/{applicant_id}"): {"email": "b@example.com", "external_applicant_name": "B"},
    ("POST", "/identity-verifications"): {
        "applicant_id": "@checkout:applicant_id",
        "declared_data": DECLARED,
        "redirect_url": "https://example.com/done",
    },
    ("POST", "/create-and-open-idv"): {
        "declared_data": DECLARED,
        "redirect_url": "https://example.com/done",
        "phone_number": {"country_code": "+33", "number": "5555550102"},
        "client_information": {"pre_selected_residence_country": "FR"},
    },
    ("POST", "/identity-verifications/{identity_verification_id}/attempts"): {
        "redirect_url": "https://example.com/done",
        "client_information": {"pre_selected_language": "en"},
    },
    ("POST", "/face-authentications"): {"applicant_id": "@checkout:applicant_id", "user_journey_id": USJ},
    ("POST", "/face-authentications/{face_authentication_id}/attempts"): {"redirect_url": "https://example.com/x"},
    ("POST", "/id-document-verifications"): {
        "applicant_id": "@checkout:applicant_id",
        "user_journey_id": USJ,
        "declared_data": DECLARED,
    },
    ("POST", "/id-document-verifications/{id_document_verification_id}/attempts"): {
        "document_front": "data:image/png;base64," + base64.b64encode(PNG).decode(),
        "document_type": "Passport",
        "document_issuing_country": "GB",
    },
    ("POST", "/address-document-verifications"): {"applicant_id": "@checkout:applicant_id", "user_journey_id": USJ},
    ("POST", "/address-document-verifications/{address_document_verification_id}/attempts"): {
        "document": base64.b64encode(PNG).decode()
    },
    ("POST", "/aml-verifications"): {
        "applicant_id": "@checkout:applicant_id",
        "monitored": True,
        "search_parameters": {"configuration_identifier": "cfg_1"},
    },
    ("POST", "/_sim/checkout/aml-verifications/{aml_verification_id}/resolve"): {"decision": "approved"},
    ("POST", "/_sim/checkout/aml-verifications/{aml_verification_id}/monitoring-alert"): {"alerts": 2},
    ("POST", "/resources/applicants"): {
        "externalUserId": "fuzz-user",
        "email": "a@example.com",
        "phone": "+1555",
        "fixedInfo": {"firstName": "A", "country": "GBR"},
        "type": "individual",
        "metadata": [{"key": "k", "value": "v"}],
    },
    ("POST", "/resources/applicants/{applicant_id}/status/testCompleted"): {
        "reviewAnswer": "RED",
        "rejectLabels": ["FORGERY"],
        "reviewRejectType": "FINAL",
    },
    ("POST", "/resources/applicantActions/-/forApplicant/{applicant_id}"): {
        "externalActionId": "fuzz-action",
        "paymentMethod": PAYMENT,
    },
    ("POST", "/resources/applicantActions/-/forApplicant/{applicant_id}/{action_type}"): {
        "currency": "BTC",
        "direction": "in",
        "address": "x",
        **PAYMENT,
    },
    ("POST", "/resources/applicantActions/{action_id}/paymentMethod"): PAYMENT,
    ("POST", "/resources/accessTokens/sdk"): {
        "userId": "fuzz-user",
        "levelName": "basic-kyc-level",
        "ttlInSecs": 600,
        "applicantIdentifiers": {"email": "a@example.com"},
    },
    ("POST", "/resources/sdkIntegrations/levels/-/websdkLink"): {
        "levelName": "basic-kyc-level",
        "userId": "fuzz-user",
        "ttlInSecs": 1800,
        "redirect": {
            "successUrl": "https://example.com/ok",
            "rejectUrl": "https://example.com/no",
            "signKey": "k",
            "allowedQueryParams": ["a"],
        },
    },
    ("POST", "/_sim/sumsub/app-tokens"): {"appToken": "sbx:fuzz.fuzz", "secretKey": "s"},
    ("POST", "/_sim/sumsub/webhooks"): {
        "url": CLOSED_URL,
        "secret": "s",
        "alg": "HMAC_SHA512_HEX",
        "appToken": SUMSUB_TOKEN,
        "events": ["applicantReviewed"],
    },
    ("POST", "/_sim/sumsub/submit"): {"applicantId": "@sumsub:applicant_id"},
    ("POST", "/_sim/bindings"): {
        "scenario": "@control:name",
        "match": {"external_applicant_id": "x"},
        "tenant": CHECKOUT_KEY,
        "times": 2,
    },
    ("POST", "/_sim/reset"): {"tenant": "sk_sbox_somebody_else"},
    ("POST", "/_sim/clock/advance"): {"seconds": 30, "tenant": CHECKOUT_KEY},
    ("POST", "/_sim/webhooks/endpoints"): {
        "provider": "checkout",
        "url": CLOSED_URL,
        "tenant": CHECKOUT_KEY,
        "secret": "s",
        "events": ["identity_verification_*"],
        "options": {"authorization": "Bearer x", "headers": {"X-A": "b"}},
        "chaos": {"fail_first": 1},
        "ordered": True,
    },
    ("PATCH", "/_sim/webhooks/endpoints/{endpoint_id}"): {"url": CLOSED_URL, "chaos": {"duplicate": 1}},
    ("POST", "/_sim/webhooks/{delivery_id}/replay"): {"url": CLOSED_URL},
}
FORM_ROUTES = {
    "/connect/token",
    "/verify/{token}/",
    "/websdk/{kind:str}/{key}/submit",
    "/websdk/{kind:str}/{key}/scenario",
}
FORM_EXAMPLES = {
    "/connect/token": {
        "grant_type": "client_credentials",
        "client_id": "ack_fuzz",
        "client_secret": "s",
        "scope": "identity-verification",
    },
    "/verify/{token}/": {"action": "abort", "code": "61111", "scenario": "@control:name"},
    "/websdk/{kind:str}/{key}/submit": {"scenario": "@control:name"},
    "/websdk/{kind:str}/{key}/scenario": {"scenario": "@control:name"},
}
UPLOAD_ROUTES = {"/resources/applicants/{applicant_id}/info/idDoc", "/resources/applicantActions/{action_id}/images"}
UPLOAD_METADATA = {"idDocType": "PASSPORT", "country": "GBR", "idDocSubType": "FRONT_SIDE"}


@dataclass
class FuzzRequest:
    method: str
    template: str
    path: str
    query: str
    headers: dict[str, bytes]
    body: bytes
    sign: bool  # Sumsub: sign the final bytes with the valid secret

    def describe(self) -> str:
        return f"{self.method} {self.path}{'?' + self.query if self.query else ''} ({len(self.body)} body bytes)"


def _resolve(value: Any, world: World, rnd: random.Random) -> Any:
    """Replace ``"@provider:name"`` placeholders in an example with one of the world's ids."""
    if isinstance(value, str) and value.startswith("@"):
        provider, _, name = value[1:].partition(":")
        pool = world.values(provider, name)
        return rnd.choice(pool) if pool else "missing"
    if isinstance(value, dict):
        return {k: _resolve(v, world, rnd) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, world, rnd) for v in value]
    return value


def _mutate(value: Any, draw: Callable[[st.SearchStrategy], Any], rnd: random.Random) -> Any:
    """``value`` with one spot changed: a hostile value in place of a field, a field dropped or added."""
    if isinstance(value, dict) and value:
        key = rnd.choice(sorted(value))
        choice = rnd.randint(0, 5)
        copy = dict(value)
        if choice == 0:
            del copy[key]
        elif choice == 1:
            copy[rnd.choice(["extra", "", "\ud800", "__proto__", key + "x"])] = draw(HOSTILE_VALUE)
        elif choice == 2 and isinstance(copy[key], dict | list):
            copy[key] = _mutate(copy[key], draw, rnd)
        else:
            copy[key] = draw(HOSTILE_VALUE)
        return copy
    if isinstance(value, list) and value:
        index = rnd.randint(0, len(value) - 1)
        return [*value[:index], draw(HOSTILE_VALUE), *value[index + 1 :]]
    return draw(HOSTILE_VALUE)


_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(HOSTILE_VALUES),
)
JSON_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
HOSTILE_VALUE = st.one_of(st.sampled_from(HOSTILE_VALUES), JSON_VALUES)
HOSTILE_TEXT = st.one_of(st.sampled_from(HOSTILE_STRINGS), st.text(max_size=40))
SEEDS = st.integers(0, 2**32)
SUMSUB_BAD_AUTH = [
    {},
    {"x-app-token": SUMSUB_TOKEN.encode(), "x-app-access-ts": b"1", "x-app-access-sig": b"00"},
    {"x-app-token": SUMSUB_TOKEN.encode(), "x-app-access-ts": b"@now", "x-app-access-sig": "é".encode("latin-1") * 64},
    {"x-app-token": b"\xff\xfe", "x-app-access-ts": b"\xd9\xa1", "x-app-access-sig": b"\x00"},
    {"x-app-token": b"sbx:" + b"a" * 3000 + b".b", "x-app-access-ts": b"9" * 50, "x-app-access-sig": b"a"},
]
RAW_BODIES = [
    b"",
    b"{",
    b"\xff\xfe{}",
    b"\xef\xbb\xbf{}",
    b'{"a":' * 2000,
    b"[" * 100_000,
    b"null",
    b"--x\r\nnope",
    b"a=1&b=%ff&c",
    b'{"a": 1} trailing',
    "{}".encode("utf-16"),
]
CONTENT_TYPES = [
    None,
    b"text/plain",
    b"application/x-www-form-urlencoded",
    b"multipart/form-data",
    b"application/json; charset=latin-1",
    b"\xff/\xfe",
    b"application/merge-patch+json",
]


@st.composite
def fuzz_requests(draw: Callable[[st.SearchStrategy], Any], table: list[tuple[str, str]], world: World) -> FuzzRequest:
    # Hypothesis draws what matters (bodies, strings, bytes); the cheap choices come from one drawn seed,
    # which keeps a request at a few hypothesis draws instead of dozens.
    rnd = random.Random(draw(SEEDS))
    method, template = rnd.choice(table)
    provider = provider_of(template)

    # Path: real ids most of the time, so handlers get past their lookups.
    scope = template.strip("/").split("/")[0]

    def fill(match: re.Match) -> str:
        name = match.group(1).split(":")[0]
        pool = world.values(provider, f"{name}@{scope}") or world.values(provider, name)
        pool = pool or world.values("checkout", name)
        if pool and rnd.random() < 0.8:
            return quote(rnd.choice(pool), safe="-;=.~_")
        return quote(draw(HOSTILE_TEXT), safe="")

    path = re.sub(r"\{([^}]+)\}", fill, template)

    query_items = [(rnd.choice(QUERY_NAMES), draw(HOSTILE_TEXT)) for _ in range(rnd.choice([0, 0, 1, 2, 3]))]
    if template.startswith("/resources/applicants") and method == "POST" and rnd.random() < 0.7:
        query_items.append(("levelName", "basic-kyc-level"))
    query = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in query_items)

    headers: dict[str, bytes] = {}
    if provider == "checkout" and not template.startswith(("/_sim", "/verify", "/media", "/connect")):
        auth = rnd.choice(CHECKOUT_AUTH)
        if auth is not None:
            headers["authorization"] = auth
    sign = False
    if provider == "sumsub" and template.startswith("/resources"):
        sign = rnd.random() < 0.8
        if not sign:
            now = str(int(time.time())).encode()
            headers.update({k: v.replace(b"@now", now) for k, v in rnd.choice(SUMSUB_BAD_AUTH).items()})
    if rnd.random() < 0.1:
        name = rnd.choice([*world.values("control", "name")[:20], "nope", "é", "\x00"])
        headers["x-kycsim-scenario"] = name.encode("utf-8")
    if rnd.random() < 0.05:
        headers["x-external-action-id"] = draw(HOSTILE_TEXT).encode("utf-8", "surrogatepass")

    # Body: 0-2 a mutated example, 3-5 the example as is (handlers get that far), 6-7 any JSON, 8-9 raw bytes.
    kind = rnd.randint(0, 9)
    example = EXAMPLES.get((method, template))
    content_type: bytes | None = b"application/json"
    if template in UPLOAD_ROUTES and kind < 6:
        metadata = _mutate(UPLOAD_METADATA, draw, rnd) if kind < 3 else UPLOAD_METADATA
        content = rnd.choice([PNG, PNG + b"\x00" * 100, b"", b"%PDF-1.4 x", b"\xff\xd8\xff", b"GIF89a"])
        filename = rnd.choice(["doc.png", "", "é.png", "a" * 300, "..%2F..%2Fx", "x\udcff.png"])
        boundary = "fuzzboundary"
        parts = [
            (f'--{boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n').encode() + encode(metadata),
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="content"; filename="{filename}"\r\n'
                "Content-Type: image/png\r\n\r\n"
            ).encode("utf-8", "surrogateescape")
            + content,
        ]
        body = b"\r\n".join(parts) + f"\r\n--{boundary}--\r\n".encode()
        content_type = f"multipart/form-data; boundary={boundary}".encode()
    elif template in FORM_ROUTES and kind < 6:
        fields = _resolve(FORM_EXAMPLES[template], world, rnd)
        if kind < 3:
            fields = {**fields, rnd.choice([*fields, "x"]): draw(HOSTILE_TEXT)}
        body = "&".join(f"{quote(k)}={quote(str(v), safe='')}" for k, v in fields.items()).encode()
        content_type = b"application/x-www-form-urlencoded"
    elif example is not None and kind < 6:
        resolved = _resolve(example, world, rnd)
        body = encode(_mutate(resolved, draw, rnd) if kind < 3 else resolved)
    elif kind < 8:
        body = encode(draw(HOSTILE_VALUE))
    else:
        body = draw(st.binary(max_size=200)) if kind == 8 else rnd.choice(RAW_BODIES)
    if rnd.random() < 0.1:
        content_type = rnd.choice(CONTENT_TYPES)
    if content_type is not None and (body or method != "GET"):
        headers["content-type"] = content_type
    if provider == "control" and rnd.random() < 0.1:
        headers["origin"] = rnd.choice([b"https://evil.example", b"null", b"http://127.0.0.1"])
    return FuzzRequest(method, template, path, query, headers, body, sign)


_CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")


def sumsub_signature(secret: str, ts: str, method: str, target: bytes, body: bytes) -> str:
    return hmac.new(secret.encode(), ts.encode() + method.encode() + target + body, hashlib.sha256).hexdigest()


def send(http: httpx.Client, request: FuzzRequest, outcome: Outcome) -> httpx.Response | None:
    url = request.path + (f"?{request.query}" if request.query else "")
    # What a client can put on the wire at all: h11 refuses control characters and surrounding blanks.
    headers = {k: _CONTROL.sub(b"", v).strip(b" \t") for k, v in request.headers.items()}
    if request.sign:
        ts = str(int(time.time()))
        target = httpx.URL(str(http.base_url).rstrip("/") + url).raw_path
        headers["x-app-token"] = SUMSUB_TOKEN.encode()
        headers["x-app-access-ts"] = ts.encode()
        headers["x-app-access-sig"] = sumsub_signature(SUMSUB_SECRET, ts, request.method, target, request.body).encode()
    try:
        if request.template == "/_sim/events" and request.method == "GET":
            # An event stream never ends by itself: its first bytes are enough.
            with http.stream(request.method, url, headers=headers, content=request.body) as response:
                if response.status_code == 200:
                    next(response.iter_raw(), b"")
                    outcome.record(request.describe(), response)
                    outcome.routes.add((request.method, request.template))
                    return response
                response.read()
        else:
            response = http.request(request.method, url, headers=headers, content=request.body)
    except httpx.HTTPError as exc:
        outcome.record(request.describe(), None, f"{type(exc).__name__}: {exc}")
        return None
    outcome.record(request.describe(), response)
    outcome.routes.add((request.method, request.template))
    return response


def run(http: httpx.Client, table: list[tuple[str, str]], world: World, examples: int, seed: int = 0) -> Outcome:
    """Send about ``examples`` hypothesis-made requests, the same number to every route; every
    problem is recorded, none raised (so hypothesis never shrinks: the failures list says what was sent)."""
    outcome = Outcome()
    per_route = max(examples // len(table), 1) + 1
    for index, route in enumerate(table):

        @hypothesis_seed(seed * 1000 + index)
        @settings(
            max_examples=per_route,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(fuzz_requests([route], world))
        def one(request: FuzzRequest) -> None:
            response = send(http, request, outcome)
            if request.template == "/_sim/reset" and response is not None and response.text == '{"reset":"all"}':
                world.pools.clear()  # everything was forgotten: make a new world to aim at
                world.pools.update(seed_world(http, outcome).pools)

        one()
    return outcome


# A world of real records to aim at


def _sumsub(http: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
    request = http.build_request(method, url, **kwargs)
    ts = str(int(time.time()))
    request.headers["X-App-Token"] = SUMSUB_TOKEN
    request.headers["X-App-Access-Ts"] = ts
    request.headers["X-App-Access-Sig"] = sumsub_signature(
        SUMSUB_SECRET, ts, method, request.url.raw_path, request.read()
    )
    return http.send(request)


def seed_world(http: httpx.Client, outcome: Outcome) -> World:
    """Make one of everything (checks at every product, attempts, uploads, events, deliveries...)."""
    world = World()
    auth = {"Authorization": f"Bearer {CHECKOUT_KEY}"}

    def call(method: str, url: str, record: bool = True, **kwargs: Any) -> dict:
        response = http.request(method, url, **kwargs)
        if record:
            outcome.record(f"seed {method} {url}", response)
        try:
            return response.json() if response.status_code < 400 else {}
        except ValueError:
            return {}

    call("POST", "/_sim/webhooks/endpoints", json={"provider": "checkout", "url": CLOSED_URL, "tenant": CHECKOUT_KEY})
    applicant = call("POST", "/applicants", headers=auth, json=EXAMPLES[("POST", "/applicants")])
    world.add("checkout:applicant_id", applicant.get("id"))
    checks = [
        ("identity_verification_id", "/identity-verifications", {"redirect_url": "https://example.com/done"}),
        ("face_authentication_id", "/face-authentications", {"redirect_url": "https://example.com/done"}),
        ("id_document_verification_id", "/id-document-verifications", None),
        ("address_document_verification_id", "/address-document-verifications", None),
    ]

    def make(name: str, collection: str, attempt_body: dict | None) -> None:
        body = _resolve(EXAMPLES[("POST", collection)], world, random.Random(0))
        check = call("POST", collection, headers=auth, json=body)
        world.add(f"checkout:{name}", check.get("id"))
        if not check.get("id") or collection == "/aml-verifications":
            return
        attempts = f"{collection}/{check['id']}/attempts"
        upload = EXAMPLES.get(("POST", f"{collection}/{{{name}}}/attempts"))
        attempt = call("POST", attempts, headers=auth, json=attempt_body or upload)
        world.add(f"checkout:attempt_id@{collection.strip('/')}", attempt.get("id"))
        link = ((attempt.get("_links") or {}).get("verification_url") or {}).get("href", "")
        world.add("checkout:token", *re.findall(r"/verify/([^/]+)/", link))

    make(*checks[0])  # the other products need an applicant with an approved identity verification
    call("POST", "/_sim/clock/advance", json={"seconds": 900, "tenant": CHECKOUT_KEY})
    for check in [*checks[1:], ("aml_verification_id", "/aml-verifications", None)]:
        make(*check)
    call("POST", "/_sim/clock/advance", json={"seconds": 900, "tenant": CHECKOUT_KEY})
    for name, collection, _ in checks:
        for check_id in world.values("checkout", name):
            text = json.dumps(call("GET", f"{collection}/{check_id}", headers=auth))
            for token, file in re.findall(r"/media/([^/\"]+)/([^/\"?]+)", text):
                world.add("checkout:token", token)
                world.add("checkout:name", file)
        for check_id in world.values("checkout", name):
            report = call("GET", f"{collection}/{check_id}/pdf-report", record=False, headers=auth)
            for token, file in re.findall(r"/media/([^/\"]+)/([^/\"?]+)", json.dumps(report)):
                world.add("checkout:token", token)
                world.add("checkout:name", file)

    # Sumsub
    made = _sumsub(http, "POST", "/resources/applicants?levelName=basic-kyc-level", json={"externalUserId": "seed-1"})
    outcome.record("seed sumsub applicant", made)
    applicant = made.json() if made.status_code < 400 else {}
    world.add("sumsub:applicant_id", applicant.get("id"))
    world.add("sumsub:inspection_id", applicant.get("inspectionId"))
    world.add("sumsub:selector", f"-;applicantId={applicant.get('id')}", "-;externalUserId=seed-1")
    world.add("sumsub:level_name", "basic-kyc-level", "payment-method-level")
    world.add("sumsub:action_type", "paymentMethod", "faceAuth", "cryptoSourceOfFunds", "nope")
    world.add("sumsub:kind", "p", "t")
    if applicant.get("id"):
        files = {"metadata": (None, json.dumps(UPLOAD_METADATA)), "content": ("p.png", PNG, "image/png")}
        uploaded = _sumsub(http, "POST", f"/resources/applicants/{applicant['id']}/info/idDoc", files=files)
        outcome.record("seed sumsub upload", uploaded)
        world.add("sumsub:image_id", uploaded.headers.get("x-image-id"))
        action = _sumsub(
            http,
            "POST",
            f"/resources/applicantActions/-/forApplicant/{applicant['id']}?levelName=payment-method-level",
            json={"externalActionId": "a1", "paymentMethod": PAYMENT},
        )
        outcome.record("seed sumsub action", action)
        world.add("sumsub:action_id", (action.json() if action.status_code < 400 else {}).get("id"))
    token = _sumsub(
        http, "POST", "/resources/accessTokens/sdk", json={"userId": "seed-1", "levelName": "basic-kyc-level"}
    )
    outcome.record("seed sumsub token", token)
    world.add("sumsub:key", (token.json() if token.status_code < 400 else {}).get("token"))
    link = _sumsub(
        http,
        "POST",
        "/resources/sdkIntegrations/levels/-/websdkLink",
        json=EXAMPLES[("POST", "/resources/sdkIntegrations/levels/-/websdkLink")],
    )
    outcome.record("seed sumsub link", link)
    world.add("sumsub:key", *re.findall(r"/websdk/p/([^/\"]+)", link.text))

    # Control
    world.add("control:name", *[s["name"] for s in call("GET", "/_sim/scenarios").get("data", [])])
    binding = call("POST", "/_sim/bindings", json={"scenario": "idv-approved", "match": {"email": "x@example.com"}})
    world.add("control:binding_id", binding.get("id"))
    world.add("control:endpoint_id", *[e["id"] for e in call("GET", "/_sim/webhooks/endpoints").get("data", [])])
    world.add("control:delivery_id", *[d["id"] for d in call("GET", "/_sim/webhooks/deliveries").get("data", [])][:5])
    world.add("control:delivery_id", *[e["id"] for e in call("GET", "/_sim/webhooks/events").get("data", [])][:5])
    world.add("checkout:event_id", *world.values("control", "delivery_id")[5:])
    world.add("control:aml_verification_id", *world.values("checkout", "aml_verification_id"))
    return world


def readback(http: httpx.Client, table: list[tuple[str, str]], world: World, outcome: Outcome) -> dict[str, int]:
    """GET every readable route with every real id again: a record stored by the run must still read.

    Returns each path's status, to compare with a read-back after a restart."""
    statuses: dict[str, int] = {}
    for method, template in table:
        if method != "GET" or template == "/_sim/events":
            continue
        provider = provider_of(template)
        names = re.findall(r"\{([^}:]+)", template)
        scope = template.strip("/").split("/")[0]
        combos: list[dict[str, str]] = [{}]
        for name in names:
            pool = world.values(provider, f"{name}@{scope}") or world.values(provider, name)
            pool = (pool or world.values("checkout", name))[:4] or ["missing"]
            combos = [{**c, name: v} for c in combos for v in pool][:16]
        for combo in combos:
            path = re.sub(r"\{([^}:]+)(:[^}]*)?\}", lambda m, c=combo: quote(c[m.group(1)], safe="-;=.~_"), template)
            request = FuzzRequest(method, template, path, "", {}, b"", sign=provider == "sumsub")
            if provider == "checkout" and not template.startswith(("/verify", "/media")):
                request.headers["authorization"] = f"Bearer {CHECKOUT_KEY}".encode()
            response = send(http, request, outcome)
            if response is not None:
                statuses[path] = response.status_code
    return statuses
