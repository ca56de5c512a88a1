"""Luxembourg national identification number ("matricule", 13 digits).

Layout: ``YYYYMMDD`` birth date (month and/or day may be ``00`` when unknown),
three serial digits, a Luhn check digit over the first 11 digits, then a
Verhoeff check digit over the same first 11 digits.

Module in the style of python-stdnum::

    compact(text) -> str
    validate(text, today=None) -> str          # raises InvalidMatricule
    is_valid(text, today=None) -> bool
    birth_date(number) -> date | None
    generate(birth, serial=123) -> str
    find(text) -> list[(start, end, raw)]

Every ``InvalidMatricule`` carries a ``.code``: ``length``, ``format``,
``birth_date``, ``luhn`` or ``verhoeff`` (checked in that order).  No
user-facing text lives here; callers map the code to a reply.

Birth-date rules: year 1850..today's year; month 00 (unknown) allows day
00..31; day 00 (unknown) with a real month; otherwise a real calendar date;
never in the future.  The example of the official guide, 1901010154321, is
rejected with code ``luhn`` (its check digits should be 5 and 9).
"""
from __future__ import annotations

import re
from datetime import date
from typing import List, Optional, Tuple, Union

__all__ = [
    "InvalidMatricule", "InvalidLength", "InvalidFormat", "InvalidBirthDate",
    "InvalidLuhn", "InvalidVerhoeff", "compact", "validate", "is_valid",
    "birth_date", "generate", "find", "luhn_digit", "verhoeff_digit",
    "MIN_YEAR", "LENGTH",
]

LENGTH = 13
MIN_YEAR = 1850


class InvalidMatricule(ValueError):
    """Base class; ``code`` names the reason."""

    code = "invalid"

    def __init__(self, number: str = ""):
        super().__init__(self.code)
        self.number = number


class InvalidLength(InvalidMatricule):
    code = "length"


class InvalidFormat(InvalidMatricule):
    code = "format"


class InvalidBirthDate(InvalidMatricule):
    code = "birth_date"


class InvalidLuhn(InvalidMatricule):
    code = "luhn"


class InvalidVerhoeff(InvalidMatricule):
    code = "verhoeff"


# --- check digits ---------------------------------------------------------
_VD = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
       [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
       [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
       [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
       [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
_VP = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
       [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
       [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
       [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]
_VINV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def luhn_digit(digits: str) -> str:
    """Luhn check digit to append to ``digits``."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 0:
            n = n * 2 - 9 if n * 2 > 9 else n * 2
        total += n
    return str((10 - total % 10) % 10)


def verhoeff_digit(digits: str) -> str:
    """Verhoeff check digit to append to ``digits``."""
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _VD[c][_VP[(i + 1) % 8][int(ch)]]
    return str(_VINV[c])


# --- API ------------------------------------------------------------------
_SEPARATORS = re.compile(r"[\s.\-/\u2010-\u2015\u00a0\u202f]+")


def compact(text: str) -> str:
    """Remove spaces, dots, hyphens and slashes (and surrounding blanks)."""
    return _SEPARATORS.sub("", str(text or "")).strip()


def _date_part(number: str, today: date) -> Optional[date]:
    """Check the YYYYMMDD part; raise InvalidBirthDate when impossible."""
    year, month, day = int(number[0:4]), int(number[4:6]), int(number[6:8])
    if not MIN_YEAR <= year <= today.year:
        raise InvalidBirthDate(number)
    if month == 0:
        if day > 31:  # day known but month unknown: at least 1..31
            raise InvalidBirthDate(number)
        return None
    if month > 12:
        raise InvalidBirthDate(number)
    if day == 0:
        if (year, month) > (today.year, today.month):
            raise InvalidBirthDate(number)
        return None
    try:
        born = date(year, month, day)
    except ValueError:
        raise InvalidBirthDate(number) from None
    if born > today:
        raise InvalidBirthDate(number)
    return born


def validate(text: str, today: Optional[date] = None) -> str:
    """Return the compact number or raise an ``InvalidMatricule`` subclass."""
    today = today or date.today()
    number = compact(text)
    if not number:
        raise InvalidLength(number)
    if not (number.isascii() and number.isdigit()):
        # a non-digit anywhere is a format problem, whatever the length
        raise InvalidFormat(number)
    if len(number) != LENGTH:
        raise InvalidLength(number)
    _date_part(number, today)
    base = number[:11]
    if number[11] != luhn_digit(base):
        raise InvalidLuhn(number)
    if number[12] != verhoeff_digit(base):
        raise InvalidVerhoeff(number)
    return number


def is_valid(text: str, today: Optional[date] = None) -> bool:
    try:
        validate(text, today)
    except InvalidMatricule:
        return False
    return True


def birth_date(number: str) -> Optional[date]:
    """Birth date encoded in the number, ``None`` when month or day is 00
    (or the date part is not a real date)."""
    number = compact(number)
    if len(number) < 8 or not number[:8].isdigit():
        return None
    year, month, day = int(number[0:4]), int(number[4:6]), int(number[6:8])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def generate(birth: Union[date, str], serial: int = 123) -> str:
    """Build a valid number from a birth date (``date`` or ``'YYYYMMDD'``,
    which may contain 00 month/day) and a serial (0..999)."""
    if isinstance(birth, date):
        prefix = "%04d%02d%02d" % (birth.year, birth.month, birth.day)
    else:
        prefix = compact(birth)
    if len(prefix) != 8 or not prefix.isdigit():
        raise ValueError("birth must be a date or 'YYYYMMDD'")
    if not 0 <= int(serial) <= 999:
        raise ValueError("serial must be in 0..999")
    base = prefix + "%03d" % int(serial)
    return base + luhn_digit(base) + verhoeff_digit(base)


# Candidates in free text: digit groups joined by single spaces, dots,
# hyphens or slashes.  Sequences of 11..14 digits once compacted are
# returned (13 is the right length; the others let the caller say "wrong
# length").  Runs glued to letters or other digits are not split; an
# international phone prefix ("+352 ...", "00352 ...") is not a candidate.
_CANDIDATE = re.compile(
    r"(?<![\w.\-/+])"
    r"\d+(?:(?:[ \u00a0\u202f]|[ ]?[.\-/][ ]?)\d+)*"
    r"(?!\w|[.\-/]\d)"
)
_RUN = re.compile(r"\d+")


def _spans(groups, lo, hi):
    """Contiguous runs of digit groups whose digit count is in lo..hi,
    longest first, non-overlapping, left to right."""
    found = []
    i = 0
    while i < len(groups):
        best = None
        total = 0
        for j in range(i, len(groups)):
            total += len(groups[j].group(0))
            if total > hi:
                break
            if total >= lo:
                best = j
        if best is not None:
            found.append((i, best))
            i = best + 1
        else:
            i += 1
    return found


def find(text: str) -> List[Tuple[int, int, str]]:
    """Spans ``(start, end, raw)`` of identification-number candidates."""
    out: List[Tuple[int, int, str]] = []
    text = text or ""
    for m in _CANDIDATE.finditer(text):
        groups = list(_RUN.finditer(m.group(0)))
        total = sum(len(g.group(0)) for g in groups)
        if total < 11:
            continue
        if total == LENGTH:
            pieces = [(0, len(groups) - 1)]
        else:
            # prefer an exact 13-digit run of groups (e.g. a number followed
            # by another number), else any 11..14-digit run
            pieces = _spans(groups, LENGTH, LENGTH) or _spans(groups, 11, 14)
        for i, j in pieces:
            start = m.start() + groups[i].start()
            end = m.start() + groups[j].end()
            raw = text[start:end]
            if raw.startswith("00") and len(compact(raw)) != LENGTH:
                continue
            out.append((start, end, raw))
    return out
