"""Misunderstood messages kept for review (issue 17, item 3).

Every message that ended in a fallback (``utter_chat_fallback``), a re-ask (the request
flow counted a miss in its ``misses`` slot, or said ``utter_not_understood``), a dead end
(``utter_stuck``, ``utter_chat_stuck``) or a handoff (``utter_handoff_request``,
``utter_chat_handoff``) is stored in the table ``misunderstood`` of the dossier database,
with personal data masked as in the logs (bot/logmask.py: identification numbers, e-mail
addresses, the names the conversation's slots hold), its language and the step of the
conversation (the question pending in the request, else the topic). The conversation is kept
only as a keyed hash of its sender id (HMAC with the upload secret), so that erasing a
conversation (bot/dossier/privacy.py) removes its rows.

    python -m bot review [--since DATE] [--json]
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any, Dict, Iterable, List, Optional

import sqlalchemy as sa

from bot import logmask
from bot.dossier import store, uploads

KINDS = {
    "utter_chat_fallback": "fallback",
    "utter_not_understood": "reask",
    "utter_stuck": "stuck",
    "utter_chat_stuck": "stuck",
    "utter_handoff_request": "handoff",
    "utter_chat_handoff": "handoff",
}
NAME_SLOTS = ("req_first_name", "req_last_name")
# questions whose answer is a name: what was written there is kept as <name> whole (a name no
# slot holds yet cannot be recognised otherwise)
NAME_STEPS = ("req_last_name", "req_first_name", "p_last_name", "p_first_name")
MAX_TEXT = 2000


def conversation_key(sender_id: Optional[str]) -> Optional[str]:
    if not sender_id:
        return None
    return hmac.new(uploads._secret(), b"review:" + str(sender_id).encode("utf-8"), hashlib.sha256).hexdigest()


def kind_of(responses: Iterable[str], misses_before: Any = None, misses_after: Any = None) -> Optional[str]:
    """What the turn ended in, from the responses said and the request's ``misses`` slot
    before and after it; None when the message was understood."""
    found = [KINDS[r] for r in responses if r in KINDS]
    for kind in ("handoff", "stuck", "fallback", "reask"):
        if kind in found:
            return kind
    after = misses_after if isinstance(misses_after, dict) else {}
    before = misses_before if isinstance(misses_before, dict) else {}
    if after.get("n") and (after.get("q") != before.get("q") or after.get("n", 0) > before.get("n", 0)):
        return "reask"  # the request's re-prompt (a question's own hint): a miss was counted
    return None


def _names(slots: Dict[str, Any]) -> List[str]:
    names = [slots.get(k) for k in NAME_SLOTS]
    for person in slots.get("persons") or []:
        if isinstance(person, dict):
            names += [person.get("first_name"), person.get("last_name")]
    return [n for n in names if isinstance(n, str) and len(n.strip()) >= 2]


def masked(text: str, slots: Optional[Dict[str, Any]] = None) -> str:
    """The text as the logs would show it, with the conversation's known names masked too."""
    names = logmask.NameMasker()
    names.remember(*_names(slots or {}))
    return logmask.mask(logmask.mask((text or "")[:MAX_TEXT], names))  # and the names this process knows


def record(text: str, kind: str, language: str, step: str, slots: Optional[Dict[str, Any]] = None,
           sender_id: Optional[str] = None, url: Optional[str] = None,
           now: Optional[dt.datetime] = None) -> Dict[str, Any]:
    now = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    kept = logmask.NAME_MASK if step in NAME_STEPS and kind != "handoff" else masked(text, slots)
    row = store.ReviewRow(created_at=now, conversation=conversation_key(sender_id), language=str(language or "fr")[:8],
                          step=str(step or "general")[:64], kind=kind[:16], text=kept)
    with store._session(url) as session:
        session.add(row)
        session.commit()
        return _as_dict(row)


def _as_dict(row: "store.ReviewRow") -> Dict[str, Any]:
    return {"id": row.id, "at": row.created_at.isoformat(), "language": row.language, "step": row.step,
            "kind": row.kind, "text": row.text}


def listing(since: Optional[dt.date] = None, url: Optional[str] = None) -> List[Dict[str, Any]]:
    with store._session(url) as session:
        query = sa.select(store.ReviewRow).order_by(store.ReviewRow.created_at, store.ReviewRow.id)
        if since:
            query = query.where(store.ReviewRow.created_at >= dt.datetime.combine(since, dt.time()))
        return [_as_dict(r) for r in session.execute(query).scalars()]
