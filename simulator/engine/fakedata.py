"""Faker data tied to the seed.

Faker instances are slow to build, so one per locale is built once and reused; each call
reseeds it from the tenant's random stream, which keeps the output deterministic per tenant.
The engine knows countries and people, not providers: providers shape these into documents,
MRZ lines or card data in their own formats.

Faker's generic machinery (a table rebuilt per draw, a regex with a Python callback per digit and
per ``{{token}}``, subnets weighed again per address) is most of what a fake person costs, so each
locale's generator gets faster versions of those few methods. Each makes the same calls on the same
random stream as Faker's own, so the same seed gives the same people byte for byte:
``tests/engine/test_ids_and_fakedata.py`` compares every one with Faker's method in every locale.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate, cycle
from operator import mul
from typing import TYPE_CHECKING, Any, cast

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
        self._fakers: dict[str, Any] = {}

    def faker(self, country: str = "GB", tenant: str | None = None) -> Faker:
        """The Faker generator for ``country``'s locale, reseeded from ``tenant``'s stream.

        Typed as :class:`Faker`, whose stub lists the provider methods (``city``, ``random_int``, ...):
        the generator has every one of them, not the proxy's own ``unique`` or ``optional``.
        """
        locale = COUNTRIES.get(alpha2(country), ("", "en_US"))[1]
        fake = self._fakers.get(locale)
        if fake is None:
            fake = self._fakers[locale] = generator(locale)
        fake.seed_instance(self.ids.rng(tenant).getrandbits(64))
        return cast("Faker", fake)

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


def generator(locale: str) -> Any:
    """Faker's generator for ``locale``, with the faster methods below.

    ``Faker(locale)`` holds just this generator (``Factory.create(locale)``) behind a proxy that
    looks up every call by name, raising and catching an ``AttributeError`` on the way (about 1 µs a
    call); the generator has the same methods and the same random stream.
    """
    from faker import Factory  # imported lazily: it is slow and the server starts without it

    fake: Any = Factory.create(locale)
    for provider in fake.providers:
        provider.random_elements = weighted_tables_kept(provider)
        provider.random_element = one_drawn(provider)
        provider.numerify = digits_drawn(provider)
    fake.parse = tokens_kept(fake)
    fake.ipv4_public = public_addresses_kept(fake.ipv4_public.__self__)
    return fake


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


def one_drawn(provider: Any) -> Callable[..., Any]:
    """``provider.random_element``: one element of a plain sequence is the ``random.choice`` Faker ends
    up calling, without going through ``random_elements`` and a list of one (a person draws some
    twenty); anything else goes through ``provider.random_elements``, as Faker's does."""

    def random_element(elements: Any = ("a", "b", "c")) -> Any:
        if type(elements) in _SEQUENCES:
            return provider.generator.random.choice(elements)
        return provider.random_elements(elements, length=1)[0]

    return random_element


# Faker's numerify placeholders drawn as a digit: the mark, the lowest digit, how many digits
# (random_digit, random_digit_not_null, random_digit_above_two), in the order Faker replaces them.
_DIGIT_MARKS = (("#", 0, 10), ("%", 1, 9), ("$", 2, 8))


def digits_drawn(provider: Any) -> Callable[[str], str]:
    """``provider.numerify``, without a regex and a Python callback per digit.

    Faker replaces every ``#`` from left to right with ``randint(0, 9)``, then every ``%`` with
    ``randint(1, 9)``, then every ``$`` with ``randint(2, 9)``: each is ``randrange`` of the number of
    digits, plus the lowest, drawn here in the same order. A phone number is thirteen digits, a
    building number up to three. ``!`` and ``@`` (a digit or nothing) go to Faker's own method.
    """
    original: Callable[[str], str] = provider.numerify

    def numerify(text: str = "###") -> str:
        if "!" in text or "@" in text:
            return original(text)
        draw = provider.generator.random.randrange
        for mark, lowest, digits in _DIGIT_MARKS:
            if mark in text:
                first, *rest = text.split(mark)
                text = first + "".join([str(lowest + draw(digits)) + piece for piece in rest])
        return text

    return numerify


_TOKEN = re.compile(r"\{\{\s*(\w+)(:\s*\w+?)?\s*\}\}")  # faker.generator's ``{{ name }}`` / ``{{ name:group }}``


def tokens_kept(fake: Any) -> Callable[[str], str]:
    """``fake.parse``, with each format split into its text and its ``{{ token }}`` names once.

    Faker runs a regex over a format (a city, a street, an address: a person takes six) on every
    call, and calls back into Python per token to look its name up. This calls the same formatters
    in the same order, left to right, so it draws the same values. A format with an argument group
    (``{{ name:group }}``) goes to Faker's own method.
    """
    original: Callable[[str], str] = fake.parse
    # Bounded by the locale's own formats: only Faker's providers parse, never text from a request.
    formats: dict[str, tuple[list[str], list[str]] | None] = {}

    def parse(text: str) -> str:
        if text in formats:
            split = formats[text]
        else:
            pieces = _TOKEN.split(text)  # text, name, group, text, name, group, ..., text
            split = formats[text] = None if any(pieces[2::3]) else (pieces[0::3], pieces[1::3])
        if split is None:
            return original(text)
        texts, names = split
        out = [texts[0]]
        for name, after in zip(names, texts[1:], strict=True):
            out.append(str(getattr(fake, name)()))
            out.append(after)
        return "".join(out)

    return parse


def public_addresses_kept(provider: Any) -> Callable[..., str]:
    """``provider.ipv4_public()``, with the public subnets' cumulative weights kept.

    Faker draws the address class, then one of some thirty public subnets of it weighted by their
    sizes, then an address in that subnet; it checks and converts the weights to floats and adds them
    up on every call, and indexes an ``IPv4Network``. This makes the same three draws
    (``ipv4_network_class``, ``random.choices`` with the same cumulative weights, ``randint``) and
    writes the address as ``str(IPv4Address)`` does. A network or an address class asked for goes to
    Faker's own method.
    """
    original: Callable[[bool, str | None], str] = provider.ipv4_public
    subnets: dict[str, tuple[range, list[float], list[int], list[int]]] = {}

    def ipv4_public(network: bool = False, address_class: str | None = None) -> str:
        if network or address_class is not None:
            return original(network, address_class)
        address_class = provider.ipv4_network_class()
        table = subnets.get(address_class)
        if table is None:
            networks, weights = provider._get_public_networks_and_weights(address_class)
            table = subnets[address_class] = (
                range(len(networks)),
                list(accumulate(float(w) for w in weights)),  # what random.choices makes of Faker's weights
                [int(n.network_address) for n in networks],
                [n.num_addresses for n in networks],
            )
        indexes, cumulative, starts, sizes = table
        rng = provider.generator.random
        i = rng.choices(indexes, cum_weights=cumulative, k=1)[0]
        address = starts[i] + rng.randrange(sizes[i])  # Faker's randint(0, size - 1): the same draw
        return ".".join(map(str, address.to_bytes(4, "big")))

    return ipv4_public


_MRZ_VALUES = {**{str(d): d for d in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}, "<": 0}
_MRZ_WEIGHTS = (7, 3, 1)


def mrz_check_digit(text: str) -> str:
    """ICAO 9303 check digit (weights 7, 3, 1)."""
    return str(sum(map(mul, map(_MRZ_VALUES.__getitem__, text), cycle(_MRZ_WEIGHTS))) % 10)


# Latin letters that do not decompose into a base letter and accents (ICAO 9303 Part 3, 6.A).
_MRZ_LETTERS = str.maketrans({"Æ": "AE", "Ø": "OE", "Œ": "OE", "Þ": "TH", "Ð": "D", "Đ": "D", "Ł": "L", "Ħ": "H"})


_NOT_MRZ = re.compile("[^A-Z0-9]")


def mrz_name(value: str) -> str:
    """A name as ICAO 9303 Part 3 writes it in an MRZ: Latin letters without accents (ß as SS),
    apostrophes left out, spaces, hyphens and other marks as fillers."""
    upper = value.upper().translate(_MRZ_LETTERS).replace("'", "").replace("\u2019", "")
    if upper.isascii():  # nothing to decompose (most names): a regex instead of a test per letter
        return _NOT_MRZ.sub("<", upper)
    letters = (c for c in unicodedata.normalize("NFKD", upper) if not unicodedata.combining(c))
    return "".join(c if c.isascii() and c.isalnum() else "<" for c in letters)


def yymmdd(day: date) -> str:
    """``day.strftime("%y%m%d")``, as an MRZ writes dates, at a third of its cost."""
    return f"{day.year % 100:02d}{day.month:02d}{day.day:02d}"


def passport_mrz(person: Person, number: str, expiry: date, personal_number: str = "") -> list[str]:
    """The two 44-character lines of a TD3 (passport) machine-readable zone.

    ``personal_number`` goes in the optional data field (14 characters; fillers when empty).
    """

    country = alpha3(person.country)
    names = f"{mrz_name(person.last_name)}<<{mrz_name(person.first_names)}"
    line1 = f"P<{country}{names}".ljust(44, "<")[:44]
    num = number.ljust(9, "<")[:9]
    birth, exp = yymmdd(person.birth_date), yymmdd(expiry)
    personal = mrz_name(personal_number).ljust(14, "<")[:14]
    body = (
        f"{num}{mrz_check_digit(num)}{country}{birth}{mrz_check_digit(birth)}{person.gender}"
        f"{exp}{mrz_check_digit(exp)}{personal}{mrz_check_digit(personal)}"
    )
    composite = num + mrz_check_digit(num) + birth + mrz_check_digit(birth) + exp + mrz_check_digit(exp) + personal
    line2 = body + mrz_check_digit(composite + mrz_check_digit(personal))
    return [line1, line2]
