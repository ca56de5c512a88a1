"""The body of a REST webhook request, checked before anything else (pure; no Rasa import).

    check_body(body) -> {"sender", "message", "metadata"}   # raises BadRequest(error, text)
    clean_text(text) -> str

Used by the REST channel of ``make run`` (bot/rasa/rest.py) and of production
(bot/rasa/prod.py): a JSON object with ``sender`` (1-128 characters, no
control characters; a number is taken as its text) and ``message`` (a
string; NFC, NUL and other control characters and lone surrogates removed),
``metadata`` an object if given. Anything else (no body, an array, a string,
no ``sender``: Rasa's own channel would put every such message into one
conversation called ``default``) is a ``BadRequest`` the channel answers with
HTTP 400 and ``{"error", "message"}``. The length of the message is not
checked here: one limit for every channel, with an answer in the person's
language (bot/limits.py, bot/rasa/limits.py).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Dict

from bot import limits

MAX_SENDER_CHARS = 128
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BadRequest(Exception):
    def __init__(self, error: str, text: str):
        super().__init__(text)
        self.error, self.text = error, text


_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """NFC, without control characters (NUL...) and lone surrogates (not storable as UTF-8)."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", _SURROGATES.sub("", text)))


def check_body(body: Any) -> Dict[str, Any]:
    """The request body checked and cleaned: {'sender', 'message', 'metadata'}; raises BadRequest."""
    if not isinstance(body, dict):
        raise BadRequest("invalid_body", "The body must be a JSON object with 'sender' and 'message'.")
    sender = body.get("sender")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS \
            or _CONTROL.search(sender) or any(unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") for c in sender):
        raise BadRequest("invalid_sender", f"'sender' must be a text of 1 to {MAX_SENDER_CHARS} characters.")
    message = body.get("message")
    if not isinstance(message, str):
        raise BadRequest("invalid_message", "'message' must be a text.")
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("invalid_metadata", "'metadata' must be a JSON object.")
    # a message over the length limit is refused unread (bot/rasa/limits.py): not even cleaned
    return {"sender": sender.strip(), "message": message if limits.too_long(message) else clean_text(message),
            "metadata": metadata}
