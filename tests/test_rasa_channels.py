"""Rendering for channels without buttons or with short messages (bot/rasa/channels.py), and the socketio fix."""
from __future__ import annotations

import asyncio
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rasa import channels

BUTTONS = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"},
           {"title": "Plus tard", "payload": "plus tard"}]


def test_the_production_channel_has_the_same_socketio_fix(monkeypatch):
    import importlib

    from rasa.core.channels import channel

    monkeypatch.setattr(channel, "register", lambda *a: None)  # importing prod installs the length limit
    sys.modules.pop("bot.rasa.prod", None)
    prod = importlib.import_module("bot.rasa.prod")
    assert issubclass(prod.SocketIOInput, channels.SocketIOInput)
    assert prod.SocketIOInput.name() == "socketio"


def test_buttons_kept_where_the_channel_shows_them():
    for channel in ("socketio", "rest", "telegram", "slack", "botframework"):
        out = channels.render_for_channel([{"text": "Confirmez-vous ?", "buttons": BUTTONS}], channel)
        assert out == [{"text": "Confirmez-vous ?", "buttons": BUTTONS}]


@pytest.mark.parametrize("channel", ["twilio", "twilio_whatsapp"])
def test_buttons_become_numbered_choices(channel):
    out = channels.render_for_channel([{"text": "Confirmez-vous ?", "buttons": BUTTONS}], channel)
    assert out == [{"text": "Confirmez-vous ?\n\n1. Oui\n2. Non\n3. Plus tard",
                    "choices": {"1": "/affirm", "2": "/deny", "3": "plus tard"},
                    "labels": {"1": "Oui", "2": "Non", "3": "Plus tard"}}]
    choices = channels.last_choices(out)
    assert channels.select_choice("2", choices) == "/deny"
    for typed in ("3", " 3 ", "3.", "3)", "#3", "n° 3", "Nr. 3", "no 3", "03"):
        assert channels.select_choice(typed, choices) == "plus tard", typed
    for typed in ("4", "0", "2 personnes", "deux", "", "le 2 avril"):
        assert channels.select_choice(typed, choices) is None, typed
    assert channels.select_choice("1", {}) is None


def test_buttons_without_text():
    out = channels.render_for_channel([{"buttons": BUTTONS[:2]}], "twilio")
    assert out == [{"text": "1. Oui\n2. Non", "choices": {"1": "/affirm", "2": "/deny"},
                    "labels": {"1": "Oui", "2": "Non"}}]


def test_long_text_split_at_sentences_under_the_limit():
    sentence = "Votre demande a été transmise à la caisse compétente. "
    text = sentence * 60  # ~3300 characters
    out = channels.render_for_channel([{"text": text, "buttons": BUTTONS}], "twilio")
    assert len(out) == 3
    assert all(len(m["text"]) <= 1600 for m in out)
    assert all(m["text"].endswith("compétente.") for m in out[:-1])
    assert "choices" in out[-1] and "choices" not in out[0]
    assert " ".join(m["text"] for m in out).replace("\n\n1. Oui\n2. Non\n3. Plus tard", "") == text.strip()


def test_long_sentence_split_at_spaces_and_long_words_anywhere():
    words = "mot " * 1000
    pieces = channels.split_text(words, 100)
    assert all(len(p) <= 100 for p in pieces) and " ".join(pieces).split() == words.split()
    blob = "x" * 250
    assert channels.split_text(blob, 100) == ["x" * 100, "x" * 100, "x" * 50]


def test_links_and_other_keys_survive():
    url = "http://localhost:8000/documents/01234567890123456789/1.pdf"
    msg = {"text": "Téléchargez : " + url, "image": "http://x/y.png", "custom": {"a": 1}}
    out = channels.render_for_channel([msg], "telegram")
    assert out == [msg]
    out = channels.render_for_channel([{"text": ("Phrase. " * 300) + url}], "twilio")
    assert url in out[-1]["text"]


def test_unknown_channel_and_empty_messages():
    assert channels.render_for_channel([{"text": "a"}], "whatever") == [{"text": "a"}]
    assert channels.render_for_channel([{"text": ""}], "twilio") == []
    assert channels.split_text("", 10) == []


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=3000),
       st.sampled_from([50, 160, 1600]))
def test_split_never_exceeds_the_limit_and_keeps_the_words(text, limit):
    pieces = channels.split_text(text, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())


# --- the socketio channel: the session's room is joined -----------------------------------

def test_socketio_session_request_joins_the_room():
    pytest.importorskip("rasa")
    cls = channels.SocketIOInput
    assert cls.name() == "socketio"
    channel = cls.from_credentials({"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered",
                                    "session_persistence": True})

    async def on_new_message(_):
        return None

    channel.blueprint(on_new_message)
    sio = channel.sio
    calls = []

    async def enter_room(sid, room, namespace=None):  # python-socketio >= 5.10: a coroutine
        calls.append(("enter", sid, room))

    async def emit(event, data=None, room=None, namespace=None, **kw):
        calls.append(("emit", event, data, room))

    sio.enter_room, sio.emit = enter_room, emit
    handler = sio.handlers["/"]["session_request"]
    asyncio.run(handler("sid-1", {"session_id": "abcdef0123456789"}))
    assert calls == [("enter", "sid-1", "abcdef0123456789"), ("emit", "session_confirm", "abcdef0123456789", "sid-1")]
    calls.clear()
    asyncio.run(handler("sid-2", None))
    assert calls[0][0] == "enter" and len(calls[0][2]) == 32 and calls[1][2] == calls[0][2]
