"""One request, one dossier: the idempotency key of a request (issue 15, finding 4). Pure.

    new_key() -> str                                  # when a request starts (slot `request_key`)
    chat_key(slot_value, sender_id, events) -> str | None
    hotline_key(form_key, agent, form) -> str

The chat's key is made when the request form first runs and kept in the
conversation's `request_key` slot until the dossier is stored or the request
cancelled; a conversation that started its request before the slot existed
gets a key derived from its id and the time its request form was activated
(the same on every retry of the last turn). bot/dossier/store.py keeps the key UNIQUE:
a retried "yes" after a crash gives back the dossier stored the first time.
The hotline form carries its own key in a hidden field; a post without one
(a page from before) gets a key derived from its content, so that two
identical posts still make one dossier.
"""
from __future__ import annotations

import hashlib
import json
import re
import secrets
from typing import Any, Iterable, Mapping, Optional

SLOT = "request_key"
FORM_FIELD = "request_key"
KEY_RE = re.compile(r"[A-Za-z0-9_-]{16,64}\Z")


def new_key() -> str:
    return secrets.token_urlsafe(24)


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:48]


def chat_key(slot_value: Any, sender_id: str, events: Iterable[Mapping[str, Any]]) -> Optional[str]:
    """The key of the conversation's current request, or None when it cannot be told."""
    if isinstance(slot_value, str) and KEY_RE.match(slot_value):
        return "chat:" + slot_value
    started = None
    for event in events or []:
        if event.get("event") == "active_loop" and event.get("name") == "request_form":
            started = event.get("timestamp")
    if started is None:
        return None
    return "chat:" + _digest(sender_id, started)


def hotline_key(form_key: Any, agent: str, form: Mapping[str, Any]) -> str:
    """The key of a hotline form post: its hidden key, else its content."""
    if isinstance(form_key, str) and KEY_RE.match(form_key):
        return "hotline:" + form_key
    content = {k: v for k, v in form.items() if k not in ("csrf", FORM_FIELD)}
    return "hotline:" + _digest(agent, content)
