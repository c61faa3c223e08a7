"""Machine-readable zones by ICAO Doc 9303, checked by ``tests/support/icao9303.py``.

The checker is written from the standard, apart from ``fakedata.py``, and is itself tested
against published MRZs (ICAO's Utopia specimens, Germany's specimen passport and identity card).
A property test then runs it over generated passports, and the documents both providers serve
carry MRZs that pass it.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine.fakedata import (
    COUNTRIES,
    FakeData,
    Person,
    alpha3,
    mrz_check_digit,
    mrz_name,
    passport_mrz,
    yymmdd,
)
from simulator.engine.ids import Ids
from tests.support.icao9303 import check_digit, td1_errors, td3_errors, td3_fields

# (format, lines, source); every check digit in them is the issuer's, not computed here.
PUBLISHED = [
    (
        "TD3",
        ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"],
        "ICAO Doc 9303 Part 4, Appendix A (Utopia specimen passport)",
    ),
    (
        "TD3",
        ["P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<", "C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4"],
        "German specimen passport (Erika Mustermann); personal number left filler, its digit '<'",
    ),
    (
        "TD1",
        ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"],
        "ICAO Doc 9303 Part 5, Appendix A (Utopia specimen identity card)",
    ),
    (
        "TD1",
        ["IDD<<T220001293<<<<<<<<<<<<<<<", "6408125<2010315D<<<<<<<<<<<<<4", "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"],
        "German specimen identity card (Erika Mustermann)",
    ),
]
ERRORS = {"TD3": td3_errors, "TD1": td1_errors}
# (line, column) of each check digit, per format.
CHECK_DIGITS = {"TD3": [(1, 9), (1, 19), (1, 27), (1, 42), (1, 43)], "TD1": [(0, 14), (1, 6), (1, 14), (1, 29)]}
# (line, column) of one character inside each field a check digit covers.
CHECKED_FIELDS = {"TD3": [(1, 3), (1, 15), (1, 24), (1, 30)], "TD1": [(0, 7), (0, 20), (1, 2), (1, 10), (1, 20)]}


def _replace(lines: list[str], line: int, column: int, char: str) -> list[str]:
    changed = list(lines)
    changed[line] = changed[line][:column] + char + changed[line][column + 1 :]
    return changed


@pytest.mark.parametrize(("kind", "lines", "source"), PUBLISHED, ids=[p[2][:40] for p in PUBLISHED])
def test_published_mrzs_pass_the_checker(kind, lines, source):
    assert ERRORS[kind](lines) == []


@pytest.mark.parametrize(("kind", "lines", "source"), PUBLISHED, ids=[p[2][:40] for p in PUBLISHED])
def test_the_checker_catches_a_wrong_digit_or_a_changed_field(kind, lines, source):
    for line, column in CHECK_DIGITS[kind]:
        digit = lines[line][column]
        wrong = "7" if digit in "0<" else str((int(digit) + 1) % 10)
        assert ERRORS[kind](_replace(lines, line, column, wrong)), (line, column)
    for line, column in CHECKED_FIELDS[kind]:
        char = lines[line][column]
        other = "1" if char == "<" else ("2" if char.isalpha() else str((int(char) + 5) % 10))
        assert ERRORS[kind](_replace(lines, line, column, other)), (line, column)


def test_kycsims_check_digit_gives_the_published_digits():
    # Fields and digits read off the published MRZs above.
    for field, digit in [
        ("L898902C3", "6"),
        ("740812", "2"),
        ("120415", "9"),
        ("ZE184226B<<<<<", "1"),
        ("C01X00T47", "8"),
        ("640812", "5"),
        ("270228", "3"),
        ("D23145890", "7"),
        ("T22000129", "3"),
        ("201031", "5"),
    ]:
        assert mrz_check_digit(field) == digit == check_digit(field), field


# Generated passports

# Latin names with the letters Faker's European locales use; ICAO transliterates them (Part 3, 6.A).
NAME_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÀÁÂÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÖÙÚÛÜÝàáâäåçèéêëìíîïñòóôöùúûüýß"
words = st.text(alphabet=NAME_LETTERS, min_size=1, max_size=10)
# "Anna Maria", "Marie-Élise", "D'Artagnan": words joined by spaces or hyphens, some with an apostrophe.
names = st.tuples(
    st.lists(st.one_of(words, st.builds(lambda a, b: f"{a}'{b}", words, words)), min_size=1, max_size=3),
    st.sampled_from([" ", "-"]),
).map(lambda parts: parts[1].join(parts[0]))
people = st.builds(
    Person,
    first_names=names,
    last_name=names,
    gender=st.sampled_from(["M", "F"]),
    birth_date=st.dates(date(1925, 1, 1), date(2010, 12, 31)),
    birth_place=st.just("Lyon"),
    country=st.sampled_from(sorted(COUNTRIES)),
    street=st.just("1 rue de la Paix"),
    city=st.just("Paris"),
    postcode=st.just("75002"),
    email=st.just("a@example.com"),
    phone=st.just("+33123456789"),
)
numbers = st.text(alphabet="ABCDEFGHJKLMNPRSTUVWXYZ0123456789", min_size=1, max_size=9)
personal_numbers = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", max_size=14)
DETERMINISTIC = settings(max_examples=300, deadline=None, database=None, derandomize=True)


def icao_name(name: str) -> str:
    """Doc 9303 Part 3 (4.6, 6.A) for a Latin name: accents dropped, ß as SS, apostrophes omitted,
    spaces and hyphens as fillers."""
    plain = unicodedata.normalize("NFKD", name.upper().replace("ß", "SS").replace("'", ""))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return "".join(c if c.isascii() and c.isalnum() else "<" for c in plain)


@DETERMINISTIC
@given(person=people, number=numbers, expiry=st.dates(date(2020, 1, 1), date(2045, 12, 31)), personal=personal_numbers)
def test_every_generated_passport_mrz_is_valid_and_reads_back(person, number, expiry, personal):
    lines = passport_mrz(person, number, expiry, personal)
    assert td3_errors(lines) == [], lines
    fields = td3_fields(lines)
    assert fields["document_code"] == "P<"
    assert fields["issuing_state"] == fields["nationality"] == alpha3(person.country)
    assert fields["document_number"] == number.ljust(9, "<")
    assert fields["birth_date"] == person.birth_date.strftime("%y%m%d")
    assert fields["expiry_date"] == expiry.strftime("%y%m%d")
    assert fields["sex"] == person.gender
    assert fields["personal_number"] == personal.ljust(14, "<")
    expected = f"P<{alpha3(person.country)}{icao_name(person.last_name)}<<{icao_name(person.first_names)}"
    assert lines[0] == expected.ljust(44, "<")[:44]


@DETERMINISTIC
@given(seed=st.integers(0, 2**32), country=st.sampled_from(sorted(COUNTRIES)))
def test_faker_people_give_valid_passport_mrzs(seed, country):
    fake = FakeData(Ids(seed))
    person = fake.person(country, "tenant")
    lines = passport_mrz(person, fake.document_number("tenant"), date(2031, 5, 17))
    assert td3_errors(lines) == [], lines


# ICAO Doc 9303 Part 3, section 6 (transliteration of Latin letters that carry no accent to drop),
# and 4.6 (apostrophes omitted, other marks as fillers): written from the standard's table.
ICAO_TRANSLITERATIONS = [
    ("Æsa", "AESA"),
    ("Ørsted", "OERSTED"),
    ("Œuvray", "OEUVRAY"),
    ("Þórunn", "THORUNN"),
    ("Ðana", "DANA"),
    ("Đorđe", "DORDE"),
    ("Łukasz", "LUKASZ"),
    ("Ħaġar", "HAGAR"),
    ("Strauß", "STRAUSS"),
    ("O'Brien", "OBRIEN"),
    ("D\u2019Arcy", "DARCY"),
    ("Marie-Élise", "MARIE<ELISE"),
    ("Mary-Ann", "MARY<ANN"),  # already ASCII: the marks still become fillers
    ("van der Berg", "VAN<DER<BERG"),
]


@pytest.mark.parametrize(("name", "mrz"), ICAO_TRANSLITERATIONS)
def test_mrz_names_follow_the_icao_transliteration_table(name, mrz):
    assert mrz_name(name) == mrz


def test_without_a_personal_number_the_optional_data_is_fillers():
    person = FakeData(Ids(1)).person("FR", "t", name="Anna Martin", birth_date=date(1990, 5, 17))
    lines = passport_mrz(person, "12AB34567", date(2030, 5, 16))
    # ICAO 9303 Part 4: an unused personal number field is fillers, its check digit 0 or a filler.
    assert lines[1][28:42] == "<" * 14 and lines[1][42] in "0<"
    assert td3_errors(lines) == []


def test_numbers_longer_than_their_fields_are_cut_to_fit():
    person = FakeData(Ids(1)).person("FR", "t", name="Anna Martin", birth_date=date(1990, 5, 17))
    lines = passport_mrz(person, "123456789012", date(2030, 5, 16), "ABCDEFGHIJKLMNOPQR")
    assert [len(line) for line in lines] == [44, 44] and td3_errors(lines) == []
    assert lines[1][:9] == "123456789" and lines[1][28:42] == "ABCDEFGHIJKLMN"


def test_mrz_dates_are_two_digit_years_months_and_days():
    day = date(1899, 12, 25)
    while day < date(2101, 1, 5):  # every day kycsim's clock and people can reach, and then some
        assert yymmdd(day) == day.strftime("%y%m%d")
        day += timedelta(days=1)
    assert (yymmdd(date(2005, 3, 7)), yymmdd(date(1968, 11, 25))) == ("050307", "681125")
