import pytest

from simulator.engine.scenarios.loader import Catalogue, ProviderCatalogue
from simulator.engine.scenarios.selection import (
    BINDING,
    CONVENTION,
    DEFAULT,
    EMAIL_TAG,
    HEADER,
    Bindings,
    SelectionError,
    select,
)
from tests.support.demo_provider import DEMO_SCENARIOS, DemoProvider

provider = DemoProvider()
CATALOGUE = Catalogue.load([DEMO_SCENARIOS], {"demo": ProviderCatalogue(provider.products, provider.verbs())})


def pick(facts, header=None, bindings=None, tenant="t"):
    return select(
        CATALOGUE,
        bindings or Bindings(),
        tenant=tenant,
        provider="demo",
        product="widget",
        default="widget-default",
        facts=facts,
        header=header,
        convention=lambda f: provider.sandbox_convention("widget", f),
    )


def test_each_rule_when_alone():
    assert pick({}).rule == DEFAULT
    assert pick({"email": "qa+widget-opened@example.com"}).scenario.name == "widget-opened"
    assert pick({"email": "qa+widget-opened@example.com"}).rule == EMAIL_TAG
    assert pick({"external_id": "magic_fail_1"}).rule == CONVENTION
    bindings = Bindings()
    bindings.add("widget-opened", {"external_id": "ext_1"})
    assert pick({"external_id": "ext_1"}, bindings=bindings).rule == BINDING
    assert pick({}, header="widget-failed").rule == HEADER


def test_first_matching_rule_wins():
    bindings = Bindings()
    bindings.add("widget-opened", {"external_id": "magic_fail_1"})
    facts = {"external_id": "magic_fail_1", "email": "a+widget-default@example.com"}
    assert pick(facts, header="widget-failed", bindings=bindings).scenario.name == "widget-failed"
    assert pick(facts, bindings=bindings).scenario.name == "widget-opened"  # binding beats convention
    assert pick(facts).rule == CONVENTION  # convention beats the email tag
    assert pick({"email": "a+widget-failed@example.com"}).rule == EMAIL_TAG  # tag beats default


def test_bindings_respect_tenant_and_times():
    bindings = Bindings()
    bindings.add("widget-failed", {"external_id": "e"}, tenant="other")
    assert pick({"external_id": "e"}, bindings=bindings).rule == DEFAULT
    bindings.add("widget-failed", {"external_id": "e"}, times=1)
    assert pick({"external_id": "e"}, bindings=bindings).rule == BINDING
    assert pick({"external_id": "e"}, bindings=bindings).rule == DEFAULT


def test_email_tags_for_unknown_scenarios_fall_through_and_aliases_work():
    assert pick({"email": "dev+nothing-like-this@example.com"}).rule == DEFAULT
    assert pick({"email": "dev+fails@example.com"}).scenario.name == "widget-failed"


def test_a_header_naming_nothing_is_an_error_with_a_clear_message():
    with pytest.raises(SelectionError, match="no scenario named"):
        pick({}, header="no-such-scenario")


def test_an_email_tag_naming_no_scenario_is_a_warning_with_close_names_and_the_default_follows(caplog):
    from simulator.engine.scenarios.model import REQUEST_STATE

    state: dict = {}
    token = REQUEST_STATE.set(state)
    try:
        chosen = pick({"email": "qa+widget-opend@example.com"})
    finally:
        REQUEST_STATE.reset(token)
    assert (chosen.rule, chosen.scenario.name) == (DEFAULT, "widget-default")
    assert state["warnings"] == [
        "the email tag +widget-opend names no scenario (did you mean 'widget-opened'?);"
        " this check follows the default, 'widget-default'"
    ]
    assert "did you mean 'widget-opened'" in caplog.text and caplog.records[0].levelname == "WARNING"


def test_a_binding_for_another_product_is_skipped_with_a_warning_and_an_older_fitting_one_wins(caplog):
    other_product = Catalogue()
    other_product.scenarios = dict(CATALOGUE.scenarios)
    gadget = CATALOGUE.get("widget-failed").__class__(
        **{**vars(CATALOGUE.get("widget-failed")), "name": "gadget-x", "product": "gadget"}
    )
    other_product.scenarios["gadget-x"] = gadget
    bindings = Bindings()
    bindings.add("widget-failed", {"external_id": "e"})
    bindings.add("gadget-x", {"external_id": "e"})
    chosen = select(
        other_product,
        bindings,
        tenant="t",
        provider="demo",
        product="widget",
        default="widget-default",
        facts={"external_id": "e"},
    )
    assert (chosen.rule, chosen.scenario.name) == (BINDING, "widget-failed")
    assert not caplog.records  # a fitting binding was found: nothing to warn about
    bindings.items.pop("bnd_1")
    chosen = select(
        other_product,
        bindings,
        tenant="t",
        provider="demo",
        product="widget",
        default="widget-default",
        facts={"external_id": "e"},
    )
    assert chosen.rule == DEFAULT and "binding bnd_2" in caplog.text and "demo/gadget" in caplog.text


def test_close_names_prefer_the_product_and_say_nothing_for_far_off_names():
    assert CATALOGUE.close_names("widget-faild") == ["widget-failed"]
    assert CATALOGUE.unknown_name("zzz") == "no scenario named 'zzz'"
    assert CATALOGUE.did_you_mean("widget-defualt", "demo", "widget") == " (did you mean 'widget-default'?)"


def test_a_swap_of_neighbours_is_the_closest_typo():
    from simulator.engine.names import closest, edits

    assert (edits("ab", "ba"), edits("kitten", "sitting"), edits("", "abc")) == (1, 3, 3)
    choices = ["idv-declined-62405", "idv-declined-62304", "idv-declined-62403"]
    assert closest("idv-declined-62340", choices, limit=2) == [
        "idv-declined-62304",
        "idv-declined-62403",
    ]


def test_bindings_come_back_from_their_snapshot_with_what_they_used_and_ids_going_on():
    import json

    bindings, told = Bindings(), []
    bindings.on_change = lambda: told.append(len(bindings.items))
    first = bindings.add("s1", {}, "t", times=2)
    bindings.add("s2", {"email": "x"})
    gone = bindings.add("s3", {})
    bindings.use(first)
    assert bindings.remove(gone.id) is gone and bindings.remove(gone.id) is None
    assert told == [1, 2, 3, 3, 2], "every add, use and removal is told; a removal of nothing is not"
    again = Bindings()
    again.restore(json.loads(bindings.snapshot()))
    assert [b.as_json() for b in again.items.values()] == [b.as_json() for b in bindings.items.values()]
    assert again.items["bnd_1"].used == 1
    assert again.add("s4", {}).id == "bnd_4", "never an id the last process handed out"


@pytest.mark.parametrize("saved", [None, [], {"items": "x"}, {"items": [{"nonsense": 1}], "next": "x"}])
def test_a_bindings_snapshot_that_does_not_read_adds_nothing(saved):
    bindings = Bindings()
    bindings.restore(saved)
    assert bindings.items == {} and bindings.add("s", {}).id == "bnd_1"
