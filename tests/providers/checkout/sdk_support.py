"""The official Python SDK pointed at a running kycsim, shared by the SDK compatibility tests."""

from __future__ import annotations

import warnings

import httpx
from checkout_sdk.checkout_sdk import CheckoutSdk
from checkout_sdk.environment import Environment

SDK_KEY = "sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e"  # matches the SDK's own secret key pattern


def kycsim_environment(url: str) -> Environment:
    """A custom Environment whose every URI, the identity one included, is the simulator."""
    base = f"{url}/"
    return Environment(
        base_uri=base,
        authorization_uri=f"{base}connect/token",
        files_uri=base,
        transfers_uri=base,
        balances_uri=base,
        forward_uri=base,
        identity_uri=base,
        is_sandbox=True,
    )


def secret_key_sdk(url: str, key: str = SDK_KEY):
    with warnings.catch_warnings():
        # The SDK warns about its own deprecated Risk client while building; not what these tests check.
        warnings.simplefilter("ignore", DeprecationWarning)
        builder = CheckoutSdk.builder().secret_key(key).environment(kycsim_environment(url))
        return builder.environment_subdomain("kycsim").build()


def as_dict(wrapper):
    """A ResponseWrapper back to plain JSON, to validate it against the response schema."""
    if isinstance(wrapper, list):
        return [as_dict(v) for v in wrapper]
    if hasattr(wrapper, "__dict__"):
        return {k: as_dict(v) for k, v in vars(wrapper).items() if k != "http_metadata"}
    return wrapper


def advance(url: str, seconds: float) -> None:
    httpx.post(f"{url}/_sim/clock/advance", json={"seconds": seconds}, timeout=30).raise_for_status()
