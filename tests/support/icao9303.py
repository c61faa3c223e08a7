"""ICAO Doc 9303 machine-readable zones, checked by the standard (written apart from ``fakedata.py``).

Doc 9303 Part 3 section 4.9: each check digit is the sum of the character values times the
repeating weights 7, 3, 1, modulo 10; digits count as themselves, ``A``-``Z`` as 10-35 and the
filler ``<`` as 0. Part 4 (TD3, passports: two lines of 44) and Part 5 (TD1, cards: three lines
of 30) say which characters each check digit covers; the composite digit covers the others'
fields together with their own check digits.
"""

from __future__ import annotations

import re
import string

WEIGHTS = (7, 3, 1)
VALUES = {**{d: int(d) for d in string.digits}, **{ch: 10 + i for i, ch in enumerate(string.ascii_uppercase)}, "<": 0}
CHARSET = re.compile(r"[A-Z0-9<]*")


def check_digit(field: str) -> str:
    return str(sum(VALUES[ch] * WEIGHTS[i % 3] for i, ch in enumerate(field)) % 10)


def _digit_ok(field: str, digit: str, *, filler_allowed: bool = False) -> bool:
    # An optional field left all filler may carry "<" (or 0) as its check digit (Part 4, 4.2.2.2).
    if filler_allowed and set(field) <= {"<"} and digit in ("<", "0"):
        return True
    return digit == check_digit(field)


def td3_errors(lines: list[str]) -> list[str]:
    """What is wrong with a passport MRZ (empty when it is valid)."""
    if len(lines) != 2 or any(len(line) != 44 for line in lines):
        return [f"a TD3 MRZ is two lines of 44 characters, not {[len(line) for line in lines]}"]
    errors = [
        f"line {i + 1} has characters outside A-Z 0-9 <" for i, ln in enumerate(lines) if not CHARSET.fullmatch(ln)
    ]
    if errors:
        return errors
    one, two = lines
    if one[0] != "P":
        errors.append(f"document code {one[:2]!r} is not a passport's")
    fields = {
        "document number": (two[0:9], two[9], False),
        "date of birth": (two[13:19], two[19], False),
        "date of expiry": (two[21:27], two[27], False),
        "personal number": (two[28:42], two[42], True),
    }
    for name, (field, digit, optional) in fields.items():
        if not _digit_ok(field, digit, filler_allowed=optional):
            errors.append(f"{name} {field!r}: check digit {digit!r}, expected {check_digit(field)!r}")
    composite = two[0:10] + two[13:20] + two[21:43]
    if two[43] != check_digit(composite):
        errors.append(f"composite check digit {two[43]!r}, expected {check_digit(composite)!r}")
    errors += _date_errors(two[13:19], "date of birth") + _date_errors(two[21:27], "date of expiry")
    if two[20] not in "MFX<":
        errors.append(f"sex {two[20]!r} is not M, F, X or <")
    return errors


def td1_errors(lines: list[str]) -> list[str]:
    """What is wrong with an identity card MRZ (empty when it is valid)."""
    if len(lines) != 3 or any(len(line) != 30 for line in lines):
        return [f"a TD1 MRZ is three lines of 30 characters, not {[len(line) for line in lines]}"]
    errors = [
        f"line {i + 1} has characters outside A-Z 0-9 <" for i, ln in enumerate(lines) if not CHARSET.fullmatch(ln)
    ]
    if errors:
        return errors
    one, two, _ = lines
    fields = {
        "document number": (one[5:14], one[14]),
        "date of birth": (two[0:6], two[6]),
        "date of expiry": (two[8:14], two[14]),
    }
    for name, (field, digit) in fields.items():
        if digit != check_digit(field):
            errors.append(f"{name} {field!r}: check digit {digit!r}, expected {check_digit(field)!r}")
    composite = one[5:30] + two[0:7] + two[8:15] + two[18:29]
    if two[29] != check_digit(composite):
        errors.append(f"composite check digit {two[29]!r}, expected {check_digit(composite)!r}")
    return errors + _date_errors(two[0:6], "date of birth") + _date_errors(two[8:14], "date of expiry")


def _charset_errors(lines: list[str]) -> list[str]:
    return [f"line {i + 1} has characters outside A-Z 0-9 <" for i, ln in enumerate(lines) if not CHARSET.fullmatch(ln)]


def _date_errors(yymmdd: str, name: str) -> list[str]:
    if not yymmdd.isdigit():
        return [f"{name} {yymmdd!r} is not YYMMDD"]
    month, day = int(yymmdd[2:4]), int(yymmdd[4:6])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return [f"{name} {yymmdd!r} is not a date"]
    return []


def td3_fields(lines: list[str]) -> dict[str, str]:
    """The fields of a passport MRZ, fillers kept, as Part 4 lays them out."""
    one, two = lines
    surname, _, given = one[5:].partition("<<")
    return {
        "document_code": one[0:2],
        "issuing_state": one[2:5],
        "surname": surname,
        "given_names": given.rstrip("<"),
        "document_number": two[0:9],
        "nationality": two[10:13],
        "birth_date": two[13:19],
        "sex": two[20],
        "expiry_date": two[21:27],
        "personal_number": two[28:42],
    }
