"""A user message as the pure dialogue modules see it, and the cue patterns read from it.

`Message` is what Rasa hands over (text, intent, entities); `matches(kind, text)`
tests a cue of `bot/data/lexicon.yml` (the `answers`, `fields` and `request`
groups, regexes over folded text); `yes_no(msg)` reads a yes or a no.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, List, Optional

from bot.extraction import fold
from bot.reference import load


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


@lru_cache(maxsize=1)
def _cues() -> Dict[str, List[re.Pattern]]:
    lex = load("lexicon")
    out: Dict[str, List[re.Pattern]] = {}
    for group in ("answers", "fields", "request"):
        for key, patterns in lex[group].items():
            if isinstance(patterns, (list, tuple)):
                out[key] = [re.compile(p) for p in patterns]
    return out


def matches(kind: str, text: str) -> bool:
    """Whether `text` carries the cue `kind` of the lexicon."""
    folded = fold(text).strip()
    return any(p.search(folded) for p in _cues()[kind])


def search(kind: str, text: str) -> Optional[re.Match]:
    """The first match of the cue `kind` in the folded `text` (positions are those of `text`)."""
    folded = fold(text)
    for pattern in _cues()[kind]:
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
