"""Both providers' route tables: unique names, schemas that exist, the name on every route."""

from __future__ import annotations

import pytest

from simulator.providers import load_providers

PROVIDERS = load_providers()
BINARY = {"sumsub:get_document_image", "sumsub:get_action_image"}  # image bytes, no JSON to validate


@pytest.mark.parametrize("name", sorted(PROVIDERS))
def test_every_operation_has_its_own_name_and_existing_schemas(name):
    provider = PROVIDERS[name]
    operations = provider.operations()
    names = [op.name for op in operations]
    assert len(names) == len(set(names))
    known = set(provider.schemas.names())
    for op in operations:
        for schema in (op.request, op.response):
            assert schema is None or schema in known, (op.name, schema)
        if not op.plain and f"{name}:{op.name}" not in BINARY:
            assert op.response is not None, f"{op.name} declares no response schema"


def test_the_route_name_is_the_operation_name():
    from simulator.app import create_app
    from simulator.settings import Settings

    app = create_app(Settings(seed=1))
    routed = {getattr(r, "name", None) for r in app.routes}
    routed |= {f"{m.name}" for mount in app.routes for m in getattr(mount, "routes", [])}
    for name, provider in PROVIDERS.items():
        for op in provider.operations():
            assert f"{name}:{op.name}" in routed, op.name
