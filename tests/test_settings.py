import pytest

from simulator.providers import load_providers
from simulator.providers.sumsub.settings import DEFAULT_APP_TOKEN as DEFAULT_SUMSUB_APP_TOKEN
from simulator.settings import SettingsError, load_settings
from simulator.simulator import scenario_folders


def test_flag_beats_env_beats_config_file(tmp_path):
    config = tmp_path / "kycsim.yaml"
    config.write_text("port: 7000\nhost: 0.0.0.0\nseed: 5\nspeed: manual\n")
    env = {"KYCSIM_CONFIG": str(config), "KYCSIM_PORT": "7100", "KYCSIM_SEED": "9"}
    settings = load_settings({"port": 7200}, env)
    assert settings.port == 7200  # flag
    assert settings.seed == 9  # env over file
    assert settings.host == "0.0.0.0" and settings.speed == "manual"  # file over default


def test_toml_config_and_dashed_keys(tmp_path):
    config = tmp_path / "kycsim.toml"
    config.write_text('[kycsim]\nlog-format = "json"\ncheckout_webhook_url = "http://127.0.0.1:9/hook"\n')
    settings = load_settings({"config": str(config)}, {})
    assert settings.log_format == "json" and settings.checkout_webhook_url == "http://127.0.0.1:9/hook"


def test_defaults_and_random_seed():
    settings = load_settings({}, {})
    assert (settings.host, settings.port, settings.speed, settings.applicant, settings.store) == (
        "127.0.0.1",
        8000,
        1.0,
        "auto",
        "memory",
    )
    assert settings.seed_was_random and settings.seed > 0
    assert settings.sumsub_app_token == DEFAULT_SUMSUB_APP_TOKEN


def test_scenario_folders_from_env_are_colon_separated(tmp_path):
    settings = load_settings({}, {"KYCSIM_SCENARIOS": "/a:/b"})
    assert settings.scenarios == ["/a", "/b"]
    assert [str(p) for p in scenario_folders(settings, load_providers())[-2:]] == ["/a", "/b"]


@pytest.mark.parametrize(
    "flags,message",
    [
        ({"speed": "warp"}, "--speed"),
        ({"applicant": "robot"}, "--applicant"),
        ({"store": "redis://x"}, "--store"),
        ({"port": "eighty"}, "port must be a whole number"),
        ({"start_time": "yesterday"}, "--start-time"),
    ],
)
def test_bad_values_get_clear_messages(flags, message):
    with pytest.raises(SettingsError, match=message):
        load_settings(flags, {})


def test_unknown_config_keys_are_refused(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("prot: 1\n")
    with pytest.raises(SettingsError, match="unknown setting"):
        load_settings({"config": str(config)}, {})


def test_a_broken_config_file_is_one_line_with_its_line(tmp_path):
    config = tmp_path / "kycsim.yaml"
    config.write_text("port: 7000\nscenarios: [\n")
    with pytest.raises(SettingsError) as caught:
        load_settings({"config": str(config)}, {})
    assert str(caught.value).startswith(f"config file {config}:3 is not valid: ") and "\n" not in str(caught.value)


@pytest.mark.parametrize("store", ["sqlite://x.db", "sqlite:", "mysql://db"])
def test_a_store_setting_of_no_known_form_is_refused_with_the_forms(store):
    with pytest.raises(SettingsError, match=r"^--store: .*'sqlite:////absolute/path\.db'"):
        load_settings({"store": store}, {})


def test_the_banner_names_the_file_of_a_relative_store():
    from simulator.server import _store

    assert _store("memory") == "memory" and _store("sqlite:////data/x.db") == "sqlite:////data/x.db"
    assert _store("sqlite:///data/x.db").startswith("sqlite:///data/x.db (the file /")
    assert _store("sqlite:///data/x.db").endswith("/data/x.db)")


def test_the_readme_lists_every_setting_providers_included():
    """A provider's settings join ``Settings`` from its folder; the README's table must still name each."""
    import re
    from pathlib import Path

    from simulator.settings import FIELD_NAMES, PROVIDER_SETTINGS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    table = readme[readme.index("## Configuration") : readme.index("## Scenarios")]
    internal = {"bundled"}  # tests of other providers turn the bundled scenarios off; no user sets it
    assert sorted(n for n in FIELD_NAMES - internal if f"KYCSIM_{n.upper()}" not in table) == []
    read_elsewhere = {"KYCSIM_CACHE_DIR", "KYCSIM_PROVIDERS"}  # before the settings: the catalogue, the registry
    named = set(re.findall(r"KYCSIM_[A-Z_]+", table)) - read_elsewhere
    assert named == {f"KYCSIM_{n.upper()}" for n in FIELD_NAMES - internal}
    assert {s.env for s in PROVIDER_SETTINGS.values()} <= named and PROVIDER_SETTINGS
