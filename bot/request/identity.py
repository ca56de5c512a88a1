"""Which name a message corrects, and to what ("my surname is Hoffmann, with two f and two n",
"mein Vorname schreibt sich Katrin, ohne h", "c'est Kovacevic, K-O-V-A-C-E-V-I-C").

Pure functions over text; the words they rely on are data (`lexicon.yml`, group `request`).
A misspelling corrected is near what was written: of the names a message says, the one closest
to a value on the request is its new spelling. A name said right after a lead-in ("c'est",
"is", "lautet") may be a different name altogether, when the message names the field.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from bot.reference import load
from bot.text import fold

__all__ = ["candidates", "name_fix", "NEAR"]

# how alike the new spelling and the old one must be (difflib ratio over folded text)
NEAR = 0.6
WORD = re.compile(r"(?<![\w@.])[^\W\d_][\w'’-]*", re.UNICODE)
SPELLED = re.compile(r"(?<!\w)([^\W\d_](?:[ .-][^\W\d_]){2,})(?!\w)", re.UNICODE)


def _lex() -> dict:
    return load("lexicon")["request"]


def candidates(text: str) -> List[Tuple[str, bool]]:
    """The names a message may give, each with whether a lead-in says it is the value ("c'est X")."""
    lex = _lex()
    skip = set(lex["inline_name_not"]) | set(lex["name_fix_not"])
    lead = re.compile(lex["name_fix_lead"])
    negated = re.compile(lex["name_fix_negated"])
    folded = fold(text)
    found: List[Tuple[str, bool]] = []
    for m in SPELLED.finditer(text):  # spelled out: K-O-V-A-C-E-V-I-C
        letters = re.sub(r"[ .-]", "", m.group(1))
        found.append((letters[:1].upper() + letters[1:].lower(), bool(lead.search(folded[:m.start()]))))
    for m in WORD.finditer(text):
        word = m.group(0).strip("'’-")
        before = folded[:m.start()]
        if len(word) < 2 or fold(word) in skip or negated.search(before):
            continue
        after_lead = bool(lead.search(before))
        if word[:1].isupper() or after_lead:
            found.append((word if word[:1].isupper() else word[:1].upper() + word[1:], after_lead))
    return found


def _likeness(a: str, b: str) -> float:
    return SequenceMatcher(None, fold(a), fold(b)).ratio()


def name_fix(text: str, old: Dict[str, Optional[str]], fields: Sequence[str],
             exclude: Iterable[str] = ()) -> Optional[Tuple[str, str]]:
    """The field of `fields` a message corrects and its new value, or None.

    `old` holds the values on the request ("first_name", "last_name"). The new value is the name
    of the message closest to an old value (a misspelling corrected); failing that, when one
    field is named, the name said after a lead-in. The old value itself is returned when the
    message only says it again (nothing to change). Names in `exclude` (folded: the first names
    of the other persons) are never a new spelling.
    """
    skip = set(exclude)
    said = [(word, lead) for word, lead in candidates(text) if fold(word) not in skip]
    best: Optional[Tuple[float, str, str]] = None
    same: Optional[Tuple[str, str]] = None
    for field in fields:
        value = old.get(field)
        if not value:
            continue
        for word, _ in said:
            if word == value:
                same = same or (field, value)
                continue
            score = _likeness(word, value)
            if score >= NEAR and (best is None or score > best[0]):
                best = (score, field, word)
    if best:
        return best[1], best[2]
    if same:
        return same
    led = [word for word, after_lead in said if after_lead]
    if len(fields) == 1 and led:
        return fields[0], led[0]
    return None
