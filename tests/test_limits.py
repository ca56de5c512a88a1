"""Issue 15, finding 1: one long message must not stop everyone.

* one length limit for every channel, checked before any parsing, with a polite answer in
  the person's language (bot/limits.py, bot/rasa/limits.py), served by the real REST channel;
* extraction in linear time: each text below took from 12 s to several minutes before (the
  e-mail pattern, language detection, the country typo search, the dates' overlap checks),
  so each is run in a child process with a time limit.
"""
from __future__ import annotations

import asyncio
import json
import multiprocessing
import socket
import time

import aiohttp
import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic

from bot import limits
from bot.rasa import limits as rasa_limits
from bot.rasa import rest

HUGE = "x" * 100_000


class FakeStore:
    def __init__(self, languages=None):
        self.languages = languages or {}

    async def retrieve(self, sender_id):
        if sender_id not in self.languages:
            return None
        return DialogueStateTracker.from_events(sender_id, [SlotSet("language", self.languages[sender_id])])


class FakeAgent:
    def __init__(self, languages=None):
        self.handled = []
        self.tracker_store = FakeStore(languages)

    async def handle_message(self, message):
        self.handled.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, "answered")


class FakeChannel:
    """Any channel: keeps the handler Rasa gives it."""

    def __init__(self):
        self.handler = None

    def url_prefix(self):
        return "fake"

    def blueprint(self, handler):
        from sanic import Blueprint

        self.handler = handler
        return Blueprint("fake_" + str(id(self)))


def _registered(agent):
    app = Sanic("limits_" + str(id(agent)))
    app.ctx.agent = agent
    channel = FakeChannel()
    rasa_limits.register([channel], app, "/webhooks/")
    return channel.handler


def _say(handler, text, sender="s-1"):
    out = CollectingOutputChannel()
    asyncio.run(handler(UserMessage(text, out, sender)))
    return out.messages


def test_the_limit_is_data_and_the_environment_may_lower_it(monkeypatch):
    monkeypatch.delenv("MAX_MESSAGE_CHARS", raising=False)
    assert limits.max_message_chars() == 2000
    assert not limits.too_long("a" * 2000) and limits.too_long("a" * 2001)
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "10")
    assert limits.too_long("a" * 11)


def test_a_long_message_never_reaches_the_agent_and_is_refused_in_the_conversation_language(monkeypatch):
    monkeypatch.delenv("MAX_MESSAGE_CHARS", raising=False)
    agent = FakeAgent({"known-de": "de", "known-en": "en"})
    handler = _registered(agent)
    assert _say(handler, "Bonjour")[0]["text"] == "answered"
    _say(handler, HUGE, "known-de")  # the first one reads the domain's responses
    started = time.perf_counter()
    said = _say(handler, HUGE, "known-de")
    elapsed = time.perf_counter() - started
    assert agent.handled == ["Bonjour"]
    assert said[0]["text"].startswith("Ihre Nachricht ist zu lang") and "2000" in said[0]["text"]
    assert said[0]["custom"] == {"error": "message_too_long"}
    assert elapsed < 0.05, elapsed
    assert _say(handler, HUGE, "known-en")[0]["text"].startswith("Your message is too long")
    # a new conversation: the language guessed from the message's first words, else French
    assert _say(handler, "Guten Tag, ich möchte mit meinem Sohn nach Marokko reisen. " * 2000,
                "new")[0]["text"].startswith("Ihre Nachricht")
    assert _say(handler, HUGE, "new")[0]["text"].startswith("Votre message est trop long")
    assert agent.handled == ["Bonjour"]


def test_every_channel_rasa_registers_goes_through_the_limit():
    from rasa.core.channels import channel

    rasa_limits.install()
    rasa_limits.install()
    assert channel.register is rasa_limits.register


def test_the_production_channels_install_the_same_limit(monkeypatch):
    import importlib
    import sys

    from rasa.core.channels import channel

    monkeypatch.setattr(channel, "register", lambda *a: None)
    sys.modules.pop("bot.rasa.prod", None)
    importlib.import_module("bot.rasa.prod")
    assert channel.register is rasa_limits.register


def test_the_refusal_exists_in_the_three_languages():
    from bot import texts

    said = {lang: limits.refusal(lang) for lang in ("fr", "de", "en")}
    assert len(set(said.values())) == 3 and all("2000" in t for t in said.values())
    conditions = [v.get("condition") for v in texts.responses()[limits.RESPONSE]]
    assert conditions[0] is None and len(conditions) == 3


# --------------------------------------------------------------------------- the REST channel, over HTTP

async def _post_all(bodies):
    app = Sanic("rest_" + str(len(bodies)))
    agent = FakeAgent()
    app.ctx.agent = agent
    rasa_limits.register([rest.RestInput()], app, "/webhooks/")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    answers = []
    try:
        async with aiohttp.ClientSession() as http:
            for body in bodies:
                raw = body if isinstance(body, bytes) else json.dumps(body).encode()
                started = time.perf_counter()
                async with http.post(f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=raw) as resp:
                    answers.append((resp.status, json.loads(await resp.text()), time.perf_counter() - started))
    finally:
        server.close()
        await server.wait_closed()
    return answers, agent.handled


def test_rest_channel_refuses_a_100kb_message_politely_and_bad_bodies_with_400(monkeypatch):
    monkeypatch.delenv("MAX_MESSAGE_CHARS", raising=False)
    answers, handled = asyncio.run(_post_all([
        {"sender": "a", "message": "hello"},
        {"sender": "a", "message": HUGE},
        {"message": "no sender"},          # Rasa's own channel: conversation "default"
        [1, 2],                            # Rasa's own channel: 500
        {},                                # idem
        b"",
        {"sender": "b", "message": "hi", "metadata": "no"},
    ]))
    assert handled == ["hello"]
    assert answers[0][:2] == (200, [{"recipient_id": "a", "text": "answered"}])
    status, body, seconds = answers[1]
    assert status == 200 and body[0]["custom"] == {"error": "message_too_long"} and seconds < 0.5
    assert [(s, b["error"]) for s, b, _ in answers[2:]] == [
        (400, "invalid_sender"), (400, "invalid_body"), (400, "invalid_sender"), (400, "invalid_body"),
        (400, "invalid_metadata")]


def test_make_run_uses_the_checked_rest_channel():
    import yaml

    channels = yaml.safe_load(open("credentials.yml"))
    assert "bot.rasa.rest.RestInput" in channels and "rest" not in channels


# --------------------------------------------------------------------------- linear time

def _timed(func, text, queue):
    started = time.perf_counter()
    func(text)
    queue.put(time.perf_counter() - started)


def _seconds(func, text, limit):
    """Run func(text) in a forked child; its time, or fail when it takes longer than `limit`."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_timed, args=(func, text, queue))
    child.start()
    child.join(limit)
    if child.is_alive():
        child.terminate()
        child.join()
        pytest.fail(f"{getattr(func, '__name__', func)} on {len(text)} characters took more than {limit} s")
    return queue.get(timeout=5)


def _email_find(text):
    from bot.validators import email

    return email.find(text)


def _detect(text):
    from bot import language

    return language.detect(text)


def _countries(text):
    from bot import countries

    return countries.find(text)


def _extract(text):
    from bot import extraction

    return extraction.extract(text, None)


@pytest.fixture(scope="module", autouse=True)
def warm():
    """Load the models and data once, before forking, so that only the work is timed."""
    _extract("Je pars au Maroc du 3 au 20 mai, marie@example.lu")
    _detect("Bonjour, je pars au Maroc avec mon fils")


@pytest.mark.parametrize("func,text,limit", [
    (_email_find, "a" * 200_000, 1.0),                        # before: several minutes
    (_email_find, "x." * 100_000 + "@", 1.0),
    (_detect, "a" * 200_000, 1.0),                            # the e-mail mask of language.py
    (_detect, "chat " * 40_000, 1.0),                         # the "switch to ..." requests
    (_countries, "a@" * 100_000, 3.0),                        # leading words dropped one by one
    (_countries, "Marokkoo" * 25_000, 3.0),                   # the typo search in one long word
    (_extract, ("Bonjour je pars au Maroc le 3 mai " * 6000)[:200_000], 15.0),  # before: ~50 s
    (_extract, "1 " * 100_000, 15.0),                         # before: several minutes
])
def test_extraction_takes_linear_time(func, text, limit):
    _seconds(func, text, limit)


def test_the_email_pattern_finds_what_it_found_before():
    """The old pattern (without its look-behind) on short texts: same spans."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from bot.validators import email

    old = re.compile(r"[^\s<>()\[\]{},;:\"\u00ab\u00bb@]+@[^\s<>()\[\]{},;:\"\u00ab\u00bb]+")

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet="ab.@ <>:,'\"x-", max_size=30))
    def same(text):
        assert [m.span() for m in old.finditer(text)] == [m.span() for m in email._CANDIDATE.finditer(text)]

    same()
