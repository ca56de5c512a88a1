"""Rasa's socketio channel through nginx (sticky upstream), with session persistence."""
import threading
import uuid

import socketio

from tests.prod.util import unavailable


def _talk(url, texts, timeout=30):
    replies, confirmed = [], threading.Event()
    got = threading.Condition()
    sio = socketio.Client(reconnection=False)

    @sio.on("session_confirm")
    def on_confirm(_):
        confirmed.set()

    @sio.on("bot_uttered")
    def on_bot(data):
        with got:
            replies.append(data)
            got.notify_all()

    sio.connect(url, socketio_path="/socket.io", transports=["polling"], wait_timeout=timeout)
    try:
        session = uuid.uuid4().hex
        sio.emit("session_request", {"session_id": session})
        assert confirmed.wait(timeout)
        answers = []
        for text in texts:
            with got:
                before = len(replies)
                sio.emit("user_uttered", {"message": text, "session_id": session})
                assert got.wait_for(lambda: len(replies) > before, timeout), f"no answer to {text!r}"
            answers.append(replies[before:])
        return answers
    finally:
        sio.disconnect()


def test_socketio_conversation_through_nginx(prod):
    answers = _talk(prod.public_url, ["Bonjour", "Je voudrais l'attestation pour la Tunisie du 3 au 20 avril"])
    assert all(a and not unavailable(a) for a in answers)
    assert any("text" in m for m in answers[-1])


def test_a_long_socketio_message_is_refused_without_stopping_anyone(prod):
    """Issue 15, finding 1: nginx's body limit does not apply to websocket frames; the limit of
    every channel does (bot/rasa/limits.py)."""
    import time

    started = time.perf_counter()
    answers = _talk(prod.public_url, ["Hello, I would like to travel to Morocco", "x" * 50_000])
    assert time.perf_counter() - started < 15
    assert any("too long" in (m.get("text") or "") for m in answers[-1]), answers[-1]
