"""The tenant-scoped state: one tenant's documents, time, ids and fake data."""

from __future__ import annotations

from simulator.toolkit.state import TenantState


class WidgetState(TenantState):
    provider = "demo"
    __slots__ = ()


def test_state_is_partitioned_by_tenant_and_provider(demo_app):
    sim = demo_app.state.sim
    one, two = WidgetState(sim, "t1"), WidgetState(sim, "t2")
    one.put("widgets", {"id": "w1", "x": 1})
    assert one.get("widgets", "w1") == {"id": "w1", "x": 1} and two.get("widgets", "w1") is None
    assert sim.store.get("t1", "demo", "widgets", "w1") == {"id": "w1", "x": 1}
    assert one.list("widgets") == [{"id": "w1", "x": 1}]
    one.delete("widgets", "w1")
    assert one.list("widgets") == []


def test_ids_and_fake_data_come_from_the_tenants_stream(demo_app):
    sim = demo_app.state.sim
    first = [WidgetState(sim, "t1").prefixed("wdg"), WidgetState(sim, "t1").hex(8)]
    sim.ids.reset("t1")
    WidgetState(sim, "t2").prefixed("wdg")  # another tenant's draws do not shift t1's
    assert [WidgetState(sim, "t1").prefixed("wdg"), WidgetState(sim, "t1").hex(8)] == first
    assert first[0].startswith("wdg_") and len(first[0]) == 30
    assert WidgetState(sim, "t1").now == sim.clock.now("t1")
    assert WidgetState(sim, "t1").person("FR").country == "FR"
