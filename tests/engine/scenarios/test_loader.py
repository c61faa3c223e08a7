import json
import textwrap

import pytest

from simulator.engine.scenarios.loader import Catalogue, ProviderCatalogue, ScenarioLoadError, load_file
from tests.support.demo_provider import DEMO_SCENARIOS, DemoProvider

PROVIDERS = {"demo": ProviderCatalogue(DemoProvider.products, DemoProvider().verbs())}


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def errors_of(path):
    with pytest.raises(ScenarioLoadError) as caught:
        load_file(path, PROVIDERS)
    return caught.value.errors


def test_bundled_demo_scenarios_load():
    catalogue = Catalogue.load([DEMO_SCENARIOS], PROVIDERS)
    assert not catalogue.errors
    assert {"widget-default", "widget-failed", "widget-opened"} <= set(catalogue.scenarios)
    assert catalogue.get("fails").name == "widget-failed"  # aliases resolve
    assert catalogue.get("widget-default").steps[1].after == 20


def test_unknown_verb_is_reported_with_file_and_line(tmp_path):
    path = write(
        tmp_path,
        "bad-verb.yaml",
        """\
        name: bad-verb
        provider: demo
        product: widget
        description: uses a verb nobody knows
        steps:
          - do: set_status
            with: {status: done}
          - do: explode
            after: 5s
        """,
    )
    (error,) = errors_of(path)
    assert error.path == str(path) and error.line == 8
    assert "unknown verb 'explode'" in error.message and "set_status" in error.message


def test_missing_field_is_reported(tmp_path):
    path = write(
        tmp_path,
        "no-product.yaml",
        """\
        name: no-product
        provider: demo
        description: forgot the product
        steps: []
        """,
    )
    (error,) = errors_of(path)
    assert "'product' is a required property" in error.message and error.line == 1


def test_bad_verb_arguments_point_at_the_value(tmp_path):
    path = write(
        tmp_path,
        "bad-args.yaml",
        """\
        name: bad-args
        provider: demo
        product: widget
        description: wrong status
        steps:
          - do: set_status
            with:
              status: exploded
        """,
    )
    (error,) = errors_of(path)
    assert error.line == 8 and "'exploded' is not one of" in error.message


def test_bad_duration_and_unknown_key(tmp_path):
    path = write(
        tmp_path,
        "bad-after.yaml",
        """\
        name: bad-after
        provider: demo
        product: widget
        description: a typo
        steps:
          - do: set_status
            after: soon
            with: {status: done}
        """,
    )
    (error,) = errors_of(path)
    assert error.line == 7 and "not a duration" in error.message
    path = write(tmp_path, "typo.yaml", "name: typo\nprovider: demo\nproduct: widget\ndescription: x\nstepz: []\n")
    messages = [e.message for e in errors_of(path)]
    assert any("'steps' is a required property" in m for m in messages)
    assert any("'stepz' was unexpected" in m for m in messages)


def test_name_must_match_file_and_yaml_must_parse(tmp_path):
    path = write(tmp_path, "other.yaml", "name: mismatch\nprovider: demo\nproduct: widget\ndescription: x\nsteps: []\n")
    assert "must match the file name" in errors_of(path)[0].message
    path = write(tmp_path, "broken.yaml", "name: [unclosed\n")
    (error,) = errors_of(path)
    assert "not valid YAML" in error.message and error.line >= 1


def test_unknown_provider_and_product(tmp_path):
    path = write(tmp_path, "p.yaml", "name: p\nprovider: nope\nproduct: widget\ndescription: x\nsteps: []\n")
    assert "unknown provider 'nope'" in errors_of(path)[0].message
    path = write(tmp_path, "q.yaml", "name: q\nprovider: demo\nproduct: gadget\ndescription: x\nsteps: []\n")
    assert "has no product 'gadget'" in errors_of(path)[0].message


def test_matrix_expands_a_family_and_keeps_value_types(tmp_path):
    path = write(
        tmp_path,
        "family.yaml",
        """\
        name: widget-{status}
        provider: demo
        product: widget
        description: ends {status}
        matrix:
          status: [started, done]
        steps:
          - do: set_status
            with: {status: "{status}"}
        """,
    )
    scenarios = load_file(path, PROVIDERS)
    assert [s.name for s in scenarios] == ["widget-started", "widget-done"]
    assert scenarios[1].steps[0].args == {"status": "done"}
    assert scenarios[1].family == "widget-{status}" and scenarios[1].params == {"status": "done"}


def test_a_broken_file_contributes_nothing_and_user_folders_override(tmp_path):
    write(
        tmp_path,
        "widget-default.yaml",
        """\
        name: widget-default
        provider: demo
        product: widget
        description: the user's own default
        steps: []
        """,
    )
    write(tmp_path, "half.yaml", "name: half\nprovider: demo\nproduct: widget\ndescription: x\nsteps:\n  - do: nope\n")
    catalogue = Catalogue.load([DEMO_SCENARIOS, tmp_path], PROVIDERS)
    assert catalogue.get("widget-default").description == "the user's own default"
    assert "half" not in catalogue.scenarios
    assert [e.path for e in catalogue.errors] == [str(tmp_path / "half.yaml")]


def test_an_unchanged_catalogue_is_read_back_from_the_cache(tmp_path):
    cache = tmp_path / "cache"
    first = Catalogue.load([DEMO_SCENARIOS], PROVIDERS, cache_dir=cache)
    (cached,) = cache.glob("catalogue-*.json")
    assert json.loads(cached.read_text())["catalogue"]["scenarios"]  # plain data, never code
    second = Catalogue.load([DEMO_SCENARIOS], PROVIDERS, cache_dir=cache)
    assert second.scenarios == first.scenarios and second is not first


def _tampered(document: dict) -> None:
    document["catalogue"]["scenarios"][0]["description"] = "tampered"


def _tampered_with_a_fresh_digest(document: dict) -> None:
    import hashlib

    document["catalogue"]["scenarios"][0]["steps"] = [{"after": "soon", "do": 1, "wait": None, "args": {}, "line": 0}]
    body = json.dumps(document["catalogue"], sort_keys=True, separators=(",", ":"))
    document["digest"] = hashlib.sha256(body.encode()).hexdigest()


@pytest.mark.parametrize(
    "tamper",
    [
        _tampered,
        _tampered_with_a_fresh_digest,  # consistent, but not shaped as kycsim writes it
        lambda document: document.update(fingerprint="0" * 64),
        lambda document: document.update(format=0),
        lambda document: document.pop("digest"),
    ],
)
def test_a_tampered_cache_file_is_ignored(tmp_path, tamper):
    cache = tmp_path / "cache"
    Catalogue.load([DEMO_SCENARIOS], PROVIDERS, cache_dir=cache)
    (cached,) = cache.glob("catalogue-*.json")
    document = json.loads(cached.read_text())
    tamper(document)
    cached.write_text(json.dumps(document))
    again = Catalogue.load([DEMO_SCENARIOS], PROVIDERS, cache_dir=cache)
    assert again.scenarios == Catalogue.load([DEMO_SCENARIOS], PROVIDERS).scenarios  # read from the files
    assert "tampered" not in cached.read_text()  # and the cache is written afresh


def test_a_pickle_where_the_cache_goes_is_never_loaded(tmp_path):
    import pickle

    from simulator.engine.scenarios.loader import _fingerprint

    cache = tmp_path / "cache"
    cache.mkdir()
    fingerprint = _fingerprint([DEMO_SCENARIOS], PROVIDERS)
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):
            return (marker.touch, ())

    for name in (f"catalogue-{fingerprint[:32]}.pickle", f"catalogue-{fingerprint[:32]}.json"):
        (cache / name).write_bytes(pickle.dumps(Exploit()))
    catalogue = Catalogue.load([DEMO_SCENARIOS], PROVIDERS, cache_dir=cache)
    assert not marker.exists()
    assert catalogue.get("widget-default") is not None


def test_any_change_to_a_file_misses_the_cache(tmp_path):
    folder, cache = tmp_path / "scenarios", tmp_path / "cache"
    folder.mkdir()
    path = write(
        folder, "widget-x.yaml", "name: widget-x\nprovider: demo\nproduct: widget\ndescription: one\nsteps: []\n"
    )
    assert Catalogue.load([folder], PROVIDERS, cache_dir=cache).get("widget-x").description == "one"
    path.write_text(path.read_text().replace("description: one", "description: two"))
    assert Catalogue.load([folder], PROVIDERS, cache_dir=cache).get("widget-x").description == "two"
    path.write_text("name: widget-x\nprovider: demo\nsteps: []\n")
    broken = Catalogue.load([folder], PROVIDERS, cache_dir=cache)
    assert broken.errors and "widget-x" not in broken.scenarios  # errors are never served from the cache
