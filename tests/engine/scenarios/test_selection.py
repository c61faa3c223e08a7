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
    with pytest.raises(SelectionError, match="not in the catalogue"):
        pick({}, header="no-such-scenario")
