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
    every channel does (bot/rasa/limits.py). Socket.IO over a plain websocket (the `websockets`
    package; python-socketio's own websocket client needs packages not installed here)."""
    import asyncio
    import json
    import time

    import websockets

    url = prod.public_url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"

    async def talk():
        async with websockets.connect(url, max_size=None) as ws:
            async def event():
                while True:
                    frame = await asyncio.wait_for(ws.recv(), 30)
                    if frame == "2":          # engine.io ping
                        await ws.send("3")
                    elif frame.startswith("42"):
                        return json.loads(frame[2:])

            assert (await ws.recv()).startswith("0")      # engine.io open
            await ws.send("40")                              # socket.io connect
            assert (await ws.recv()).startswith("40")
            session = uuid.uuid4().hex
            await ws.send("42" + json.dumps(["session_request", {"session_id": session}]))
            assert (await event())[0] == "session_confirm"
            await ws.send("42" + json.dumps(["user_uttered", {"message": "Hello, I would like to travel to Morocco",
                                                                "session_id": session}]))
            said = [await event()]
            await asyncio.sleep(2)  # the rest of the first answer
            await ws.send("42" + json.dumps(["user_uttered", {"message": "x" * 50_000, "session_id": session}]))
            while not any("too long" in ((m[1] or {}).get("text") or "") for m in said if len(m) > 1):
                said.append(await event())
            return said

    started = time.perf_counter()
    said = asyncio.run(talk())
    assert time.perf_counter() - started < 30, said
