import re
from datetime import date

from simulator.engine.fakedata import FakeData, mrz_check_digit, passport_mrz
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
