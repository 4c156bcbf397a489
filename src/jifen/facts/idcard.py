"""Resident identity card numbers (GB 11643-1999): check digit and birth date.

The region code is checked only for its province: numbers are assigned at first registration, so a
county code may postdate the birth (Pudong's 310115 was created in 1993 and is carried by people born
long before). python-stdnum's county-by-year check rejects such real numbers, so it is not used here.
"""

from __future__ import annotations

import re
from datetime import date

_SHAPE = re.compile(r"\d{17}[\dX]")
WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
CHECK_CHARS = "10X98765432"
# Province-level codes of GB/T 2260, plus 71 Taiwan, 81 Hong Kong, 82 Macao (residence permits).
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)


def check_digit(first17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def id_number_problem(number: str, birth_date: date) -> str | None:
    """Why ``number`` is not a valid 18-digit ID number of someone born on ``birth_date``, or None."""
    if not _SHAPE.fullmatch(number):
        return "expected 18 characters: 17 digits and a check digit (0-9 or X)"
    if number[:2] not in PROVINCES:
        return f"no province has the code {number[:2]}"
    digits = number[6:14]
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return f"the birth date {digits} in the number is not a date"
    if born != birth_date:
        return f"the number carries the birth date {born}, not birth_date {birth_date}"
    expected = check_digit(number[:17])
    if number[17] != expected:
        return f"check digit is {number[17]}, expected {expected}"
    return None
