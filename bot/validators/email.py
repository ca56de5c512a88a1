"""E-mail addresses: a pragmatic subset of RFC 5322 (dot-atom local part,
no quoted strings, no comments, no IP literals).

    compact(text) -> str
    validate(text) -> str          # raises InvalidEmail (.code)
    is_valid(text) -> bool
    find(text) -> list[(start, end, value)]

Codes: ``format`` (not ``local@domain`` or bad local part), ``domain``
(bad host name, no dot, TLD not >= 2 letters).  Internationalised domain
names are accepted (checked through the IDNA codec) and kept in Unicode.
"""
from __future__ import annotations

import re
from typing import List, Tuple

__all__ = ["InvalidEmail", "InvalidFormat", "InvalidDomain", "compact",
           "validate", "is_valid", "find"]


class InvalidEmail(ValueError):
    code = "invalid"

    def __init__(self, value: str = ""):
        super().__init__(self.code)
        self.value = value


class InvalidFormat(InvalidEmail):
    code = "format"


class InvalidDomain(InvalidEmail):
    code = "domain"


# RFC 5322 atext (plus non-ASCII letters, RFC 6531)
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\u00c0-\uffff]"
_LOCAL = re.compile(r"%s+(?:\.%s+)*\Z" % (_ATEXT, _ATEXT))
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\Z")
_TLD = re.compile(r"(?:[a-z]{2,63}|xn--[a-z0-9\-]{1,59})\Z")
_TRAILING = ".,;:!?)]}>\"'\u00bb\u201d\u2019"
_LEADING = "<([{\"'\u00ab\u201c\u2018"


def compact(text: str) -> str:
    """Strip blanks, surrounding <> / quotes / "mailto:", trailing
    punctuation; lower-case the domain (the local part is kept as is).

    One pass from each end (linear time): blanks and opening signs go from
    the start; blanks, opening and closing signs from the end."""
    value = str(text or "")
    start, end = 0, len(value)
    while start < end and (value[start].isspace() or value[start] in _LEADING):
        start += 1
    while end > start and (value[end - 1].isspace() or value[end - 1] in _LEADING or value[end - 1] in _TRAILING):
        end -= 1
    value = value[start:end]
    if value.lower().startswith("mailto:"):
        value = value[7:].strip()
    if "@" in value:
        local, _, domain = value.rpartition("@")
        value = local + "@" + domain.lower()
    return value


def _check_domain(domain: str, value: str) -> None:
    if not domain or len(domain) > 253 or "." not in domain:
        raise InvalidDomain(value)
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except (UnicodeError, ValueError):
        raise InvalidDomain(value) from None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(lab) for lab in labels):
        raise InvalidDomain(value)
    if not _TLD.match(labels[-1]):
        raise InvalidDomain(value)


def validate(text: str) -> str:
    """Return the compact address or raise ``InvalidEmail``."""
    value = compact(text)
    if value.count("@") != 1 or any(c.isspace() for c in value):
        raise InvalidFormat(value)
    local, domain = value.split("@")
    if not local or len(local) > 64 or not _LOCAL.match(local):
        raise InvalidFormat(value)
    if len(value) > 254:
        raise InvalidFormat(value)
    _check_domain(domain, value)
    return value


def is_valid(text: str) -> bool:
    try:
        validate(text)
    except InvalidEmail:
        return False
    return True


# Anything that looks like an address in free text: a run of non-blank,
# non-bracket characters around one "@".  Each is then compacted; the value
# returned is the compact form (valid or not, so the caller can complain).
# A candidate starts only where such a run starts (the look-behind): without
# it, a long run with no "@" was scanned again from each of its characters,
# in time growing with the square of its length (issue 15: 100,000 characters
# took over a minute). With it, each character is looked at a bounded number
# of times.
_PART = r"[^\s<>()\[\]{},;:\"\u00ab\u00bb@]"
_CANDIDATE = re.compile(r"(?<!%s)%s+@[^\s<>()\[\]{},;:\"\u00ab\u00bb]+" % (_PART, _PART))


def find(text: str) -> List[Tuple[int, int, str]]:
    """Spans ``(start, end, value)`` of e-mail-like tokens; ``value`` is the
    compacted token.  Use ``is_valid(value)`` to tell good from bad."""
    out: List[Tuple[int, int, str]] = []
    for m in _CANDIDATE.finditer(text or ""):
        raw = m.group(0)
        start, end = m.start(), m.end()
        if raw.lower().startswith("mailto:"):
            start += 7
            raw = raw[7:]
        # trim trailing / leading punctuation, keeping offsets right (indices, no copies)
        first, last = 0, len(raw)
        while last > first and raw[last - 1] in _TRAILING:
            last -= 1
        while first < last and raw[first] in _LEADING:
            first += 1
        start, end = start + first, end - (len(raw) - last)
        raw = raw[first:last]
        if raw.startswith("@") or raw.endswith("@"):
            continue
        out.append((start, end, compact(raw)))
    return out
