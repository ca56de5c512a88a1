"""Messages for channels other than the web chat, as pure functions (docs/channels.md).

    render_for_channel(messages, channel) -> messages
        Buttons become a numbered list in the text on channels that cannot show
        buttons (SMS, WhatsApp through Twilio), with the mapping number -> payload
        in the last message's "choices"; texts longer than the channel's limit are
        split at sentence boundaries (then at spaces, then anywhere).
    select_choice(text, choices, labels=None) -> payload | None
        "2" (or "2.", "#2", "n° 2", "Nr. 2") typed back selects the second choice; so do
        the choice's words ("je refuse", "CMFEP" for "CMFEP – Caisse de maladie ..."),
        given the titles in `labels` (the rendered message's "labels").
    split_text(text, limit) -> [str]

Also ``SocketIOInput`` (credentials.yml ``bot.rasa.channels.SocketIOInput``): Rasa's
socketio channel, unchanged (path ``/socket.io``, events ``user_uttered`` /
``bot_uttered``, ``session_request`` with ``session_id``) except that it awaits
python-socketio's ``AsyncServer.enter_room``: since python-socketio 5.10 it is a
coroutine, which Rasa 3.6 calls without ``await``, so with
``session_persistence`` the conversation's room was never joined and the
assistant's answers never reached the browser. ``join_room_on_session_request``
is that one fix; the production channel (bot/rasa/prod.py) subclasses this one.
"""
from __future__ import annotations

import inspect
import re
import uuid
from typing import Any, Dict, List, Optional

from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput

from bot.text import fold

# Longest text one message may hold, per channel (None: no limit worth splitting for).
LIMITS: Dict[str, Optional[int]] = {
    "rest": None, "socketio": None,
    "telegram": 4096,          # Bot API sendMessage
    "slack": 3000,             # a section block's text (Rasa's connector posts plain text; stay well below)
    "botframework": 4000,      # Teams/Web Chat render long texts poorly; Bot Framework itself allows ~28 KB
    "twilio": 1600,            # SMS: Twilio concatenates up to 1600 characters
    "twilio_whatsapp": 1600,   # WhatsApp through Twilio: body limit 1600
}
# Channels whose Rasa connector shows buttons (others get a numbered list).
BUTTONS: Dict[str, bool] = {
    "rest": True, "socketio": True, "telegram": True, "slack": True, "botframework": True,
    "twilio": False, "twilio_whatsapp": False,
}
_SENTENCE_END = re.compile(r"(?<=[.!?…:;])\s+|\n+")
_CHOICE = re.compile(r"^\s*(?:#|n[°o]\.?|nr\.?|no\.?|number|numéro|nummer)?\s*(\d{1,2})\s*[.)]?\s*$", re.IGNORECASE)


def split_text(text: str, limit: Optional[int]) -> List[str]:
    """Pieces of at most `limit` characters, cut after a sentence when possible."""
    text = (text or "").strip()
    if not limit or len(text) <= limit:
        return [text] if text else []
    pieces: List[str] = []
    current = ""
    pos = 0
    units: List[str] = []
    for m in _SENTENCE_END.finditer(text):  # sentences keep their own end and following break
        units.append(text[pos:m.end()])
        pos = m.end()
    units.append(text[pos:])
    for unit in units:
        if len(current) + len(unit.rstrip()) <= limit:
            current += unit
            continue
        if current.strip():
            pieces.append(current.strip())
        current = ""
        while len(unit.rstrip()) > limit:  # one sentence longer than the limit: cut at a space
            cut = unit.rfind(" ", 0, limit + 1)
            cut = cut if cut > limit // 2 else limit
            if unit[:cut].strip():
                pieces.append(unit[:cut].strip())
            unit = unit[cut:].lstrip()
        current = unit
    if current.strip():
        pieces.append(current.strip())
    return pieces


def numbered(buttons: List[Dict[str, Any]]) -> str:
    return "\n".join(f"{n}. {b.get('title') or b.get('payload')}" for n, b in enumerate(buttons, 1))


def render_for_channel(messages: List[Dict[str, Any]], channel: str) -> List[Dict[str, Any]]:
    """The assistant's messages (Rasa's {"text", "buttons", ...}) made fit for `channel`."""
    limit = LIMITS.get(channel)
    buttons_ok = BUTTONS.get(channel, True)
    out: List[Dict[str, Any]] = []
    for message in messages:
        message = dict(message)
        text = message.pop("text", None) or ""
        buttons = list(message.pop("buttons", None) or [])
        choices: Dict[str, str] = {}
        labels: Dict[str, str] = {}
        if buttons and not buttons_ok:
            text = (text.rstrip() + "\n\n" if text.strip() else "") + numbered(buttons)
            choices = {str(n): str(b.get("payload") or b.get("title")) for n, b in enumerate(buttons, 1)}
            labels = {str(n): str(b.get("title") or "") for n, b in enumerate(buttons, 1) if b.get("title")}
            buttons = []
        pieces = split_text(text, limit) or ([""] if buttons or message else [])
        for i, piece in enumerate(pieces):
            part: Dict[str, Any] = {"text": piece} if piece else {}
            if i == len(pieces) - 1:  # buttons, choices and anything else go with the last piece
                part.update(message)
                if buttons:
                    part["buttons"] = buttons
                if choices:
                    part["choices"] = choices
                if labels:
                    part["labels"] = labels
            if part:
                out.append(part)
    return out


def last_choices(messages: List[Dict[str, Any]]) -> Dict[str, str]:
    """The numbered choices of the last rendered message that has some (what to keep for the reply)."""
    for message in reversed(messages):
        if message.get("choices"):
            return dict(message["choices"])
    return {}


def last_labels(messages: List[Dict[str, Any]]) -> Dict[str, str]:
    """The titles of the numbered choices kept by ``last_choices`` (number -> title)."""
    for message in reversed(messages):
        if message.get("choices"):
            return dict(message.get("labels") or {})
    return {}


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text or "")))


def _label_keys(title: str) -> List[str]:
    """What typing a choice's title may look like: all its words, or its short name before a dash
    ("CNS" for "CNS – Caisse nationale de santé")."""
    keys = [_words(title)]
    short = re.split(r"\s+[–—-]\s+", title, maxsplit=1)
    if len(short) == 2 and _words(short[0]):
        keys.append(_words(short[0]))
    return [k for k in keys if k]


def select_choice(text: str, choices: Dict[str, str], labels: Optional[Dict[str, str]] = None) -> Optional[str]:
    """The payload chosen by typing its number, or its title's words (when exactly one choice has
    them), back; None otherwise (the text is then a normal message)."""
    if not choices:
        return None
    m = _CHOICE.match(text or "")
    if m:
        return choices.get(str(int(m.group(1))))
    typed = _words(text)
    if not typed or not labels:
        return None
    hits = {n for n, title in labels.items() if typed in _label_keys(title)}
    if len(hits) == 1:
        return choices.get(hits.pop())
    return None


# --- Rasa's socketio channel with the room joined ---------------------------------------------

def join_room_on_session_request(channel: "RasaSocketIOInput") -> None:
    """Replace the ``session_request`` handler of ``channel.sio`` by Rasa's own, with
    ``enter_room`` awaited (see the module docstring). Call it after Rasa's ``blueprint``."""
    sio = channel.sio

    async def session_request(sid: str, data: Optional[Dict] = None) -> None:
        data = dict(data) if isinstance(data, dict) else {}
        if not data.get("session_id"):
            data["session_id"] = uuid.uuid4().hex
        if channel.session_persistence:
            joined = sio.enter_room(sid, data["session_id"], namespace=channel.namespace)
            if inspect.isawaitable(joined):
                await joined
        await sio.emit("session_confirm", data["session_id"], room=sid, namespace=channel.namespace)

    sio.on("session_request", session_request, namespace=channel.namespace)


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socketio channel; ``session_request`` awaits ``enter_room`` (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message):
        bp = super().blueprint(on_new_message)
        join_room_on_session_request(self)
        return bp
