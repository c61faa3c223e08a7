import re
import string
from collections import OrderedDict
from datetime import date
from ipaddress import IPv4Address

import pytest
from faker import Factory

from simulator.engine import fakedata
from simulator.engine.fakedata import COUNTRIES, FakeData, alpha2, alpha3, mrz_check_digit, passport_mrz
from simulator.engine.ids import Ids


def test_same_seed_same_ids_per_tenant():
    a, b = Ids(7), Ids(7)
    assert [a.prefixed("aplt", "t1") for _ in range(3)] == [b.prefixed("aplt", "t1") for _ in range(3)]
    assert Ids(8).prefixed("aplt", "t1") != Ids(7).prefixed("aplt", "t1")


def test_a_tenants_ids_do_not_depend_on_other_tenants_calls():
    quiet, busy = Ids(7), Ids(7)
    for _ in range(5):
        busy.hex(24, "other")
    assert quiet.hex(24, "t1") == busy.hex(24, "t1")


def test_ids_are_what_random_choice_draws_from_the_stream():
    """Ids.chars draws by hand what rng.choice did: the same ids for a seed as before, the stream in step."""
    for alphabet in ("abcdefghijklmnopqrstuvwxyz234567", "0123456789abcdef", string.ascii_letters, "abc", "a"):
        ids, reference = Ids(123), Ids(123).rng("t")
        for length in (0, 1, 5, 26, 100):
            assert ids.chars(alphabet, length, "t") == "".join(reference.choice(alphabet) for _ in range(length))
        assert ids.rng("t").random() == reference.random()


def test_id_formats():
    ids = Ids(1)
    assert re.fullmatch(r"aplt_[a-z2-7]{26}", ids.prefixed("aplt", "t"))
    assert re.fullmatch(r"[0-9a-f]{24}", ids.hex(24, "t"))
    assert re.fullmatch(r"[A-Za-z]{5}", ids.letters(5, "t"))
    assert re.fullmatch(r"[0-9a-f-]{36}", ids.uuid("t"))


def test_fake_people_are_deterministic_and_fit_the_country():
    one, two = FakeData(Ids(3)), FakeData(Ids(3))
    p1, p2 = one.person("FR", "t"), two.person("FR", "t")
    assert p1 == p2
    assert p1.country == "FR"
    assert FakeData(Ids(4)).person("FR", "t") != p1


def test_declared_name_and_birth_date_are_kept():
    person = FakeData(Ids(3)).person("GB", "t", name="Hannah Bret", birth_date=date(1990, 5, 17))
    assert (person.first_names, person.last_name, person.birth_date) == ("Hannah", "Bret", date(1990, 5, 17))


def test_passport_mrz_has_valid_check_digits():
    person = FakeData(Ids(3)).person("GB", "t", name="Anna Smith", birth_date=date(1990, 5, 17))
    line1, line2 = passport_mrz(person, "123456789", date(2030, 1, 1))
    assert len(line1) == len(line2) == 44
    assert line1.startswith("P<GBRSMITH<<ANNA")
    assert line2[9] == mrz_check_digit("123456789")
    assert line2[13:19] == "900517" and line2[19] == mrz_check_digit("900517")
    # ICAO 9303 worked example
    assert mrz_check_digit("L898902C3") == "6"


def test_an_epoch_gives_fresh_streams_and_epoch_zero_the_seeds_own():
    assert Ids(7, epoch=0).prefixed("aplt", "t1") == Ids(7).prefixed("aplt", "t1")
    firsts = {Ids(7, epoch=e).prefixed("aplt", "t1") for e in range(5)}
    assert len(firsts) == 5


# Found unpinned by mutation testing (benchmarks/mutation.py).


def test_country_codes_convert_both_ways_with_a_british_fallback():
    assert (alpha3("gb"), alpha3("FR"), alpha3("usa"), alpha3("XX")) == ("GBR", "FRA", "USA", "GBR")
    assert (alpha2("deu"), alpha2("fr"), alpha2("XYZ")) == ("DE", "FR", "GB")


def test_a_person_from_declared_data_and_the_defaults():
    fake = FakeData(Ids(5))
    person = fake.person("FRA", "t", name="Anna Maria Smith")
    assert (person.first_names, person.last_name, person.country) == ("Anna Maria", "Smith", "FR")
    assert person.full_name == "Anna Maria Smith" and person.email == "anna.smith@example.com"
    assert fake.person("GB", "t", name="Cher").first_names == "Cher"
    for seed in range(20):
        someone = FakeData(Ids(seed)).person("GB", "t")
        age_days = (date(2025, 1, 1) - someone.birth_date).days  # the default "today"
        assert 18 * 366 <= age_days <= 80 * 365 and someone.gender in ("M", "F")
        assert len(someone.phone) <= 12 and someone.email.endswith("@example.com") and " " not in someone.email
    later = fake.person("GB", "t", today=date(2030, 6, 1))
    assert 18 * 366 <= (date(2030, 6, 1) - later.birth_date).days <= 80 * 365


def test_document_numbers_and_faker_instances():
    fake = FakeData(Ids(9))
    numbers = {fake.document_number("t") for _ in range(50)}
    assert all(re.fullmatch(r"[A-HJ-NPR-Z0-9]{9}", n) for n in numbers) and len(numbers) == 50
    assert len(fake.document_number("t", length=12)) == 12
    assert fake.faker("GB", "t") is fake.faker("GBR", "u")  # one Faker per locale, reseeded per call
    assert fake.faker("ZZ", "t") is fake.faker("US", "t")  # unknown countries get en_US names


# ISO 3166-1: alpha-2 -> alpha-3 for every country kycsim makes people for (an outside fact, copied from
# the standard's list, not from fakedata.py).
ISO_3166 = {
    "GB": "GBR",
    "US": "USA",
    "FR": "FRA",
    "DE": "DEU",
    "ES": "ESP",
    "IT": "ITA",
    "NL": "NLD",
    "PT": "PRT",
    "BE": "BEL",
    "IE": "IRL",
    "PL": "POL",
    "SE": "SWE",
    "CA": "CAN",
    "AU": "AUS",
    "BR": "BRA",
    "MX": "MEX",
    "JP": "JPN",
    "IN": "IND",
    "AT": "AUT",
    "CH": "CHE",
}


def test_every_country_has_its_iso_codes_and_a_faker_locale_of_that_country():
    from faker.config import AVAILABLE_LOCALES

    from simulator.engine.fakedata import COUNTRIES

    assert set(COUNTRIES) == set(ISO_3166)
    for a2, a3 in ISO_3166.items():
        assert (alpha3(a2), alpha3(a2.lower()), alpha2(a3), alpha2(a3.lower())) == (a3, a3, a2, a2)
        locale = COUNTRIES[a2][1]
        assert locale in AVAILABLE_LOCALES and locale.endswith(f"_{a2}"), (a2, locale)


def test_a_generated_first_name_fits_the_persons_gender():
    from faker.providers.person.en_GB import Provider  # Faker's British names, by gender

    fake = FakeData(Ids(3))
    people = [fake.person("GB", f"t{i}") for i in range(60)]
    assert {p.gender for p in people} == {"M", "F"}
    for person in people:
        names = Provider.first_names_male if person.gender == "M" else Provider.first_names_female
        assert person.first_names in names, person


def test_generated_emails_are_lowercase_addresses_without_spaces_in_every_country():
    fake = FakeData(Ids(4))
    for country in ISO_3166:
        for i in range(8):  # Dutch and Spanish surnames have spaces ("van der Veen", "de la Cruz")
            email = fake.person(country, f"t{i}").email
            assert re.fullmatch(r"[^\sA-Z@]+@example\.com", email), (country, email)


def test_generated_people_are_adults_of_every_age_up_to_80():
    fake = FakeData(Ids(6))
    today = date(2025, 1, 1)
    ages = [(today - fake.person("GB", f"t{i}", today=today).birth_date).days for i in range(400)]
    assert 18 * 366 <= min(ages) < 19 * 366  # the youngest are 18
    assert 79 * 365 < max(ages) <= 80 * 365  # the oldest are 79 or 80, never older


@pytest.fixture
def plain() -> FakeData:
    """FakeData on Faker's own generators (``Factory.create``: what ``Faker(locale)`` holds), seeded as
    the ``Ids(3)`` ones the tests compare them with."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fakedata, "generator", Factory.create)
        plain = FakeData(Ids(3))
        for country in COUNTRIES:
            plain.faker(country, "warm-up")
    return plain


def test_the_faster_generators_make_the_people_fakers_own_methods_make(plain):
    kept = FakeData(Ids(3))
    for country in COUNTRIES:  # the same generator per locale in both, seeded alike
        kept.faker(country, "warm-up")
    assert "random_elements" not in vars(plain.faker("GB", "check").providers[0])  # Faker's own methods
    for country in COUNTRIES:
        for tenant in ("t", "u"):
            assert [kept.person(country, tenant) for _ in range(15)] == [
                plain.person(country, tenant) for _ in range(15)
            ]
    # Faker's own methods on the faster generator too: the rest of the stream stays the same.
    for country in ("GB", "US", "JP"):
        fast, slow = kept.faker(country, "v"), plain.faker(country, "v")
        made = [(fast.address(), fast.phone_number(), fast.company(), fast.ssn()) for _ in range(20)]
        assert made == [(slow.address(), slow.phone_number(), slow.company(), slow.ssn()) for _ in range(20)]


def test_the_weighted_tables_draw_what_fakers_own_method_draws(plain):
    kept = FakeData(Ids(3))
    kept.faker("GB", "warm-up")
    # The draw itself, called as Faker's providers call it (``self.random_elements``). Not through the
    # Faker proxy: it binds every provider method when the provider is added, so ``fake.random_elements``
    # is Faker's own method in both and would compare Faker with itself.
    table = OrderedDict([("a", 0.5), ("b", 0.25), ("c", 0.2), ("d", 0.05)])
    fast, slow = kept.faker("GB", "t").providers[0], plain.faker("GB", "t").providers[0]
    for length in (1, 2, 3, 20):
        assert fast.random_elements(table, length=length) == slow.random_elements(table, length=length)
    for length in (1, 3):
        assert fast.random_elements(table, length, unique=True) == slow.random_elements(table, length, unique=True)
    assert fast.random_elements(table) == slow.random_elements(table)  # a random length
    for weighting in (False, True):
        for length in (1, 5):
            assert fast.random_elements(table, length, use_weighting=weighting) == slow.random_elements(
                table, length, use_weighting=weighting
            )
    assert [fast.random_elements() for _ in range(5)] == [slow.random_elements() for _ in range(5)]  # Faker's defaults
    for elements in (("x", "y", "z"), ["x", "y"], "xyz"):
        assert [fast.random_elements(elements, length=1) for _ in range(9)] == [
            slow.random_elements(elements, length=1) for _ in range(9)
        ]
        for length in (2, 4, None):
            assert fast.random_elements(elements, length) == slow.random_elements(elements, length)
        assert fast.random_elements(elements, 1, unique=True) == slow.random_elements(elements, 1, unique=True)
    # One element, as Faker's providers draw most of them (``self.random_element``).
    for elements in (("x", "y", "z"), ["x", "y"], "xyz", table):
        assert [fast.random_element(elements) for _ in range(9)] == [slow.random_element(elements) for _ in range(9)]
    assert [fast.random_element() for _ in range(9)] == [slow.random_element() for _ in range(9)]  # Faker's default
    assert {fast.random_element() for _ in range(60)} == {"a", "b", "c"}


def test_numbers_are_the_digits_fakers_numerify_draws(plain):
    kept = FakeData(Ids(3))
    patterns = [
        "###",
        "#############",
        "%##-###",
        "$$ %% ##",
        "#%$#%$",
        "no placeholders",
        "",
        "!!@@ ##",
        "@#!%",
        "##!!",
        "!%",
        "@@ #",
    ]
    for country in COUNTRIES:
        fast = next(p for p in kept.faker(country, "t").providers if "numerify" in vars(p))
        slow = plain.faker(country, "t").providers[0]
        for pattern in patterns:
            assert [fast.numerify(pattern) for _ in range(20)] == [slow.numerify(pattern) for _ in range(20)]
        assert fast.numerify() == slow.numerify()  # Faker's default, three digits
        assert re.fullmatch(r"\d{3}", fast.numerify())
    # Each placeholder's digits, over many draws: 0-9, 1-9, 2-9.
    drawn = FakeData(Ids(4)).faker("GB", "t").providers[0]
    assert {drawn.numerify("#") for _ in range(300)} == set("0123456789")
    assert {drawn.numerify("%") for _ in range(300)} == set("123456789")
    assert {drawn.numerify("$") for _ in range(300)} == set("23456789")


def test_formats_are_filled_as_fakers_parse_fills_them(plain):
    kept = FakeData(Ids(3))
    formats = [
        "{{first_name}} {{last_name}}",
        "{{ city }}, {{postcode}}!",
        "{{building_number}}{{street_name}}",
        "plain text",
        "",
        "{{city_prefix}} {{first_name}}{{city_suffix}}",
        "{{ pyint:small }} and {{first_name}}",  # an argument group: Faker's own method
        "{{first_name}}{{ pyint:small }}",  # the group on a later token
    ]
    for country in ("GB", "US", "FR", "DE", "JP", "BR"):
        fast, slow = kept.faker(country, "t"), plain.faker(country, "t")
        for generator in (fast, slow):
            generator.set_arguments("small", {"min_value": 5, "max_value": 9})
        for text in formats:
            if "city_prefix" in text and not hasattr(slow, "city_prefix"):
                continue
            assert [fast.parse(text) for _ in range(10)] == [slow.parse(text) for _ in range(10)]
    british, faker_own = kept.faker("GB", "u"), plain.faker("GB", "u")
    assert british.parse("{{ pyint:small }}") in {"5", "6", "7", "8", "9"} and faker_own.pyint(5, 9)
    assert british.parse("at {{building_number}}.") == f"at {faker_own.building_number()}."
    with pytest.raises(AttributeError):  # an unknown formatter is an error, as in Faker
        british.parse("{{not_a_formatter}}")


def test_public_addresses_are_the_ones_faker_draws(plain):
    kept = FakeData(Ids(3))
    for country in COUNTRIES:
        fast, slow = kept.faker(country, "t"), plain.faker(country, "t")
        assert [fast.ipv4_public() for _ in range(400)] == [slow.ipv4_public() for _ in range(400)]
    fast, slow = kept.faker("GB", "t"), plain.faker("GB", "t")
    for seed in range(500):  # many streams, each from its first draw
        fast.seed_instance(seed)
        slow.seed_instance(seed)
        assert (fast.ipv4_public(), fast.ipv4_public()) == (slow.ipv4_public(), slow.ipv4_public())
    fast, slow = kept.faker("GB", "n"), plain.faker("GB", "n")
    for asked in ({"network": True}, {"address_class": "a"}, {"address_class": "c", "network": True}):
        assert [fast.ipv4_public(**asked) for _ in range(20)] == [slow.ipv4_public(**asked) for _ in range(20)]
    british = kept.faker("GB", "t")
    addresses = [IPv4Address(british.ipv4_public()) for _ in range(500)]
    assert all(a.is_global for a in addresses) and len(set(addresses)) == 500
    classes = {"a" if a < IPv4Address("128.0.0.0") else "b" if a < IPv4Address("192.0.0.0") else "c" for a in addresses}
    assert classes == {"a", "b", "c"}  # class A, B and C addresses, as Faker draws them
