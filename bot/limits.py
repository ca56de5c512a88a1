"""One length limit for every channel, checked before any parsing (issue 15, finding 1).

Pure functions over ``bot/data/limits.yml``; the Rasa side (bot/rasa/limits.py)
calls them for every message of every channel, in ``make run`` and in
production alike.

    max_message_chars() -> int            # MAX_MESSAGE_CHARS, else limits.yml
    too_long(text) -> bool
    refusal_language(text, current) -> "fr" | "de" | "en"
    refusal(lang) -> str                  # domain.yml ``utter_message_too_long``

Nothing here looks at more than ``guess_chars`` characters of a message: the
answer to a 100 KB message costs what the answer to a short one costs.
"""
from __future__ import annotations

import os
from typing import Any, Optional

from bot.reference import load

RESPONSE = "utter_message_too_long"


def settings() -> Any:
    return load("limits")


def max_message_chars() -> int:
    """The longest message processed, in characters (``MAX_MESSAGE_CHARS`` wins over the data)."""
    value = os.environ.get("MAX_MESSAGE_CHARS", "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    return int(settings()["message"]["max_chars"])


def too_long(text: Any) -> bool:
    """True when a message must be refused unread (only its length is looked at)."""
    return isinstance(text, str) and len(text) > max_message_chars()


def refusal_language(text: Optional[str], current: Optional[str] = None) -> str:
    """The language to refuse in: the conversation's, else a guess on the message's first
    characters, else the default."""
    from bot import language

    supported = language.settings()["supported"]
    if current in supported:
        return str(current)
    head = (text or "")[: int(settings()["message"]["guess_chars"])]
    return language.detect(head).lang or language.settings()["default"]


def refusal(lang: str) -> str:
    """The polite refusal in ``lang`` (the domain's response, with the limit filled in)."""
    from bot import texts

    return texts.render(RESPONSE, lang, max_chars=max_message_chars())
