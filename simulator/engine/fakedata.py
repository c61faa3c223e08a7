"""Faker data tied to the seed.

Faker instances are slow to build, so one per locale is built once and reused; each call
reseeds it from the tenant's random stream, which keeps the output deterministic per tenant.
The engine knows countries and people, not providers: providers shape these into documents,
MRZ lines or card data in their own formats.
"""

from __future__ import annotations

import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from simulator.engine.ids import Ids

if TYPE_CHECKING:
    from faker import Faker

# ISO 3166 alpha-2 -> (alpha-3, Faker locale, nationality adjective). A small, honest table:
# countries not listed fall back to en_US names with the declared country kept.
COUNTRIES: dict[str, tuple[str, str]] = {
    "GB": ("GBR", "en_GB"),
    "US": ("USA", "en_US"),
    "FR": ("FRA", "fr_FR"),
    "DE": ("DEU", "de_DE"),
    "ES": ("ESP", "es_ES"),
    "IT": ("ITA", "it_IT"),
    "NL": ("NLD", "nl_NL"),
    "PT": ("PRT", "pt_PT"),
    "BE": ("BEL", "nl_BE"),
    "IE": ("IRL", "en_IE"),
    "PL": ("POL", "pl_PL"),
    "SE": ("SWE", "sv_SE"),
    "CA": ("CAN", "en_CA"),
    "AU": ("AUS", "en_AU"),
    "BR": ("BRA", "pt_BR"),
    "MX": ("MEX", "es_MX"),
    "JP": ("JPN", "ja_JP"),
    "IN": ("IND", "en_IN"),
    "AT": ("AUT", "de_AT"),
    "CH": ("CHE", "de_CH"),
}
ALPHA3_TO_ALPHA2 = {a3: a2 for a2, (a3, _) in COUNTRIES.items()}


def alpha3(country: str) -> str:
    country = country.upper()
    if len(country) == 3:
        return country
    return COUNTRIES.get(country, ("GBR", "en_GB"))[0]


def alpha2(country: str) -> str:
    country = country.upper()
    if len(country) == 2:
        return country
    return ALPHA3_TO_ALPHA2.get(country, "GB")


@dataclass(frozen=True)
class Person:
    first_names: str
    last_name: str
    gender: str  # "M" or "F"
    birth_date: date
    birth_place: str
    country: str  # alpha-2
    street: str
    city: str
    postcode: str
    email: str
    phone: str

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_name}"


class FakeData:
    def __init__(self, ids: Ids) -> None:
        self.ids = ids
        self._fakers: dict[str, Faker] = {}

    def faker(self, country: str = "GB", tenant: str | None = None) -> Faker:
        """The Faker for ``country``'s locale, reseeded from ``tenant``'s stream."""
        locale = COUNTRIES.get(alpha2(country), ("", "en_US"))[1]
        fake = self._fakers.get(locale)
        if fake is None:
            from faker import Faker  # imported lazily: it is slow and the server starts without it

            fake = self._fakers[locale] = Faker(locale)
            for provider in fake.providers:
                provider.random_elements = weighted_tables_kept(provider)
        fake.seed_instance(self.ids.rng(tenant).getrandbits(64))
        return fake

    def person(
        self,
        country: str = "GB",
        tenant: str | None = None,
        *,
        name: str | None = None,
        birth_date: date | None = None,
        today: date | None = None,
    ) -> Person:
        """A consistent person from ``country``; a declared ``name``/``birth_date`` is kept as given."""
        fake = self.faker(country, tenant)
        gender = fake.random_element(("M", "F"))
        first = fake.first_name_male() if gender == "M" else fake.first_name_female()
        last = fake.last_name()
        if name:
            parts = name.split()
            first, last = (" ".join(parts[:-1]) or parts[0]), parts[-1]
        today = today or date(2025, 1, 1)
        if birth_date is None:
            birth_date = today - timedelta(days=fake.random_int(18 * 366, 80 * 365))
        return Person(
            first_names=first,
            last_name=last,
            gender=gender,
            birth_date=birth_date,
            birth_place=fake.city(),
            country=alpha2(country),
            street=fake.street_address(),
            city=fake.city(),
            postcode=fake.postcode(),
            email=f"{first.split()[0]}.{last}@example.com".lower().replace(" ", ""),
            phone=fake.msisdn()[:12],
        )

    def document_number(self, tenant: str | None = None, length: int = 9) -> str:
        return self.ids.chars("ABCDEFGHJKLMNPRSTUVWXYZ0123456789", length, tenant)


_SEQUENCES = (tuple, list, str)


def weighted_tables_kept(provider: Any) -> Callable[..., Any]:
    """``provider.random_elements``, drawing from a weighted table without rebuilding it every time.

    A locale's names come in weighted tables (``OrderedDict`` of name -> frequency, thousands of
    entries), and Faker turns the whole table into a tuple and adds up its weights on every draw:
    a third of the time of a fake person. This draw makes the same ``random.choices`` call on the
    same stream with the cumulative weights kept on the table (as Faker keeps its keys there), so
    it draws the same names. One element of a plain sequence (a format, a street suffix: a person
    takes some twenty) is the ``random.choice`` Faker ends up calling, without the four calls on
    the way. Anything else goes to Faker's own method. ``tests/engine/test_ids_and_fakedata.py``
    compares the two.
    """
    original = provider.random_elements

    def random_elements(
        elements: Any = ("a", "b", "c"), length: int | None = None, unique: bool = False, use_weighting: Any = None
    ) -> Any:
        if length == 1 and not unique and type(elements) in _SEQUENCES:
            return [provider.generator.random.choice(elements)]
        weighted = provider.__use_weighting__ if use_weighting is None else use_weighting
        if type(elements) is not OrderedDict or unique or length is None or not weighted:
            return original(elements, length, unique, use_weighting)
        table = elements.__dict__.get("_kycsim_cumulative")
        if table is None:
            table = elements._kycsim_cumulative = (tuple(elements), list(accumulate(elements.values())))  # type: ignore[attr-defined]
        return provider.generator.random.choices(table[0], cum_weights=table[1], k=length)

    return random_elements


_MRZ_VALUES = {**{str(d): d for d in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}, "<": 0}
_MRZ_WEIGHTS = (7, 3, 1)


def mrz_check_digit(text: str) -> str:
    """ICAO 9303 check digit (weights 7, 3, 1)."""
    return str(sum(_MRZ_VALUES[c] * _MRZ_WEIGHTS[i % 3] for i, c in enumerate(text)) % 10)


# Latin letters that do not decompose into a base letter and accents (ICAO 9303 Part 3, 6.A).
_MRZ_LETTERS = str.maketrans({"Æ": "AE", "Ø": "OE", "Œ": "OE", "Þ": "TH", "Ð": "D", "Đ": "D", "Ł": "L", "Ħ": "H"})


def mrz_name(value: str) -> str:
    """A name as ICAO 9303 Part 3 writes it in an MRZ: Latin letters without accents (ß as SS),
    apostrophes left out, spaces, hyphens and other marks as fillers."""
    upper = value.upper().translate(_MRZ_LETTERS).replace("'", "").replace("\u2019", "")
    letters = (c for c in unicodedata.normalize("NFKD", upper) if not unicodedata.combining(c))
    return "".join(c if c.isascii() and c.isalnum() else "<" for c in letters)


def passport_mrz(person: Person, number: str, expiry: date, personal_number: str = "") -> list[str]:
    """The two 44-character lines of a TD3 (passport) machine-readable zone.

    ``personal_number`` goes in the optional data field (14 characters; fillers when empty).
    """

    country = alpha3(person.country)
    names = f"{mrz_name(person.last_name)}<<{mrz_name(person.first_names)}"
    line1 = f"P<{country}{names}".ljust(44, "<")[:44]
    num = number.ljust(9, "<")[:9]
    birth = person.birth_date.strftime("%y%m%d")
    exp = expiry.strftime("%y%m%d")
    personal = mrz_name(personal_number).ljust(14, "<")[:14]
    body = (
        f"{num}{mrz_check_digit(num)}{country}{birth}{mrz_check_digit(birth)}{person.gender}"
        f"{exp}{mrz_check_digit(exp)}{personal}{mrz_check_digit(personal)}"
    )
    composite = num + mrz_check_digit(num) + birth + mrz_check_digit(birth) + exp + mrz_check_digit(exp) + personal
    line2 = body + mrz_check_digit(composite + mrz_check_digit(personal))
    return [line1, line2]
