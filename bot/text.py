"""Text as every other module reads it: the one fold, cue patterns, a user message.

`fold(text)` is the fold of the whole package: lower case, accents stripped,
typographic apostrophes made plain, one output character per input character
(so positions in the folded text are positions in the text). `fold_wide(text)`
is its variant for keys and dates, where the spelling must not matter at all:
also ß -> ss, æ -> ae, ø -> o ..., every dash, apostrophe and space made plain;
it may lengthen the text, so it returns the map back to the original positions.

`LANGS` are the supported languages (`bot/data/language.yml`). `Message` is what
Rasa hands over (text, intent, entities); `cues(patterns)` compiles cue regexes
once; `matches_any(patterns, text)` tests them over the folded text;
`matches(kind, text)` tests a cue of `bot/data/lexicon.yml` (the `answers`,
`fields` and `request` groups); `yes_no(msg)` reads a yes or a no.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Tuple

from bot.reference import load

LANGS: Tuple[str, ...] = tuple(load("language")["supported"])


def fold(text: str) -> str:
    """Lower-case and strip accents, one output character per input character.

    ß, æ and œ stay (they are one letter each); ’ becomes '.
    """
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0] if ch not in "ßæœ" else ch
        out.append(base.lower() if len(base.lower()) == 1 else base)
    return "".join(out).replace("’", "'")


_WIDE: Dict[str, str] = {}
for _c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u00ad":
    _WIDE[_c] = "-"
for _c in "\u2018\u2019\u201a\u201b\u00b4\u0060\u02bc\u2032\uff07":
    _WIDE[_c] = "'"
for _c in "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003":
    _WIDE[_c] = " "
_WIDE.update({"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
              "ı": "i", "ħ": "h"})


def fold_wide(text: str) -> Tuple[str, Optional[List[int]]]:
    """The fold of keys and dates: `fold`, and also ß -> ss, æ -> ae, ø -> o ...,
    every dash, apostrophe and special space made plain.

    Returns (folded text, map folded index -> original index), the map being
    None when it is the identity (plain ASCII text).
    """
    if text.isascii():
        return text.lower().replace("`", "'"), None
    out: List[str] = []
    idx: List[int] = []
    for i, ch in enumerate(text):
        rep = _WIDE.get(ch)
        if rep is None:
            if ch.isascii():
                rep = ch.lower()
            else:
                rep = "".join(c for c in unicodedata.normalize("NFKD", ch)
                              if not unicodedata.combining(c)).casefold()
                rep = "".join(_WIDE.get(c, c) for c in rep)
        for c in rep:
            out.append(c)
            idx.append(i)
    return "".join(out), idx


@dataclass
class Message:
    text: str
    intent: Optional[str] = None
    confidence: float = 0.0
    entities: List[dict] = field(default_factory=list)

    def all(self, kind: str) -> List[dict]:
        return [e for e in self.entities if e.get("entity") == kind]

    def first(self, kind: str) -> Optional[dict]:
        found = self.all(kind)
        return found[0] if found else None


# "ss" written in a cue after a letter also matches "ß", which `fold` keeps ("heißt", "große")
_SHARP_S = re.compile(r"(?<=[a-z])ss")


@lru_cache(maxsize=None)
def _compiled(patterns: Tuple[str, ...]) -> Tuple[re.Pattern, ...]:
    return tuple(re.compile(_SHARP_S.sub("(?:ss|ß)", p), re.I) for p in patterns)


def cues(patterns: Iterable[str]) -> Tuple[re.Pattern, ...]:
    """The cue regexes `patterns` compiled (once), to search in folded text."""
    return _compiled(tuple(patterns))


def matches_any(patterns: Iterable[str], text: str) -> bool:
    """Whether one of the cue regexes `patterns` occurs in the folded `text`."""
    folded = fold(text)
    return any(p.search(folded) for p in cues(patterns))


@lru_cache(maxsize=1)
def _lexicon_cues() -> Dict[str, Tuple[str, ...]]:
    lex = load("lexicon")
    out: Dict[str, Tuple[str, ...]] = {}
    for group in ("answers", "fields", "request"):
        for key, patterns in lex[group].items():
            if isinstance(patterns, (list, tuple)):
                out[key] = tuple(patterns)
    return out


def matches(kind: str, text: str) -> bool:
    """Whether `text` carries the cue `kind` of the lexicon (leading and trailing blanks ignored)."""
    return matches_any(_lexicon_cues()[kind], text.strip())


def search(kind: str, text: str) -> Optional[re.Match]:
    """The first match of the cue `kind` in the folded `text` (positions are those of `text`)."""
    folded = fold(text)
    for pattern in cues(_lexicon_cues()[kind]):
        m = pattern.search(folded)
        if m:
            return m
    return None


def numbers() -> Dict[str, int]:
    return {str(k): int(v) for k, v in load("lexicon")["request"]["numbers"].items()}


def yes_no(msg: Message) -> Optional[bool]:
    """True for yes, False for no, None when the message is neither."""
    if msg.intent == "affirm" and msg.confidence >= 0.5 and not matches("deny", msg.text):
        return True
    if msg.intent == "deny" and msg.confidence >= 0.5 and not matches("affirm", msg.text):
        return False
    if matches("deny", msg.text):
        return False
    if matches("affirm", msg.text):
        return True
    return None
