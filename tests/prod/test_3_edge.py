"""Bad input at the HTTP edge, through nginx: a clear error or a normal answer, never a 500 or a stack trace."""
import json
import re

import pytest
import requests
import sqlalchemy as sa

from tests.prod.util import MATRICULE, REF_RE, STACK_RE, new_sender, texts, unavailable

EVALUATED = re.compile(r"(?<![\d\w-])49(?![\d\w])")  # {{7*7}} or ${7*7} evaluated somewhere
INJECTIONS = ["'; DROP TABLE dossiers;--", "<script>alert(1)</script>", "{{7*7}}", "${7*7}", "%s%s%n",
              "Robert'); DELETE FROM events;--"]


def _clean(status, raw):
    assert status < 500, raw[:300]
    assert not STACK_RE.search(raw), raw[:300]


def _error(prod, raw=None, body=None, expect=400, headers=None):
    status, parsed, text = prod.post(prod.public_url, body, raw=raw, headers=headers)
    _clean(status, text)
    assert status == expect, (status, text[:300])
    assert isinstance(parsed, dict) and parsed.get("error"), text[:300]
    return parsed


def test_oversized_body_is_refused_with_413(prod):
    body = json.dumps({"sender": "big", "message": "a" * 40000}).encode()
    assert _error(prod, raw=body, expect=413)["error"] == "too_large"


@pytest.mark.parametrize("raw,error", [
    (b"{not json", "invalid_json"),
    (b'{"sender": "x", "message": "unterminated', "invalid_json"),
    (b"", "invalid_body"),
    (b"[1, 2]", "invalid_body"),
    (b'"just a string"', "invalid_body"),
    (b"null", "invalid_body"),
    (b'{"message": "hello"}', "invalid_sender"),
    (b'{"sender": "", "message": "hello"}', "invalid_sender"),
    (b'{"sender": ["a"], "message": "hello"}', "invalid_sender"),
    (b'{"sender": "a\\u0000b", "message": "hello"}', "invalid_sender"),
    (json.dumps({"sender": "s" * 300, "message": "hello"}).encode(), "invalid_sender"),
    (b'{"sender": "x"}', "invalid_message"),
    (b'{"sender": "x", "message": 42}', "invalid_message"),
    (b'{"sender": "x", "message": {"text": "hi"}}', "invalid_message"),
    (b'{"sender": "x", "message": "hi", "metadata": "nope"}', "invalid_metadata"),
])
def test_invalid_bodies_get_a_clear_400(prod, raw, error):
    assert _error(prod, raw=raw)["error"] == error


def test_a_long_message_is_answered_politely_unread(prod):
    """Issue 15, finding 1: one limit for every channel (bot/rasa/limits.py), with an answer."""
    import time

    sender = new_sender("long")
    prod.say(prod.public_url, sender, "Guten Tag, ich möchte nach Marokko reisen")
    started = time.perf_counter()
    status, parsed, raw = prod.post(prod.public_url, {"sender": sender, "message": "w " * 6000})
    assert time.perf_counter() - started < 2
    _clean(status, raw)
    assert status == 200 and parsed[0]["custom"] == {"error": "message_too_long"}
    assert parsed[0]["text"].startswith("Ihre Nachricht ist zu lang")
    assert not any(e.get("event") == "user" and len(e.get("text") or "") > 2000 for e in prod.events(sender))


def test_wrong_method_and_unknown_routes(prod):
    resp = requests.get(prod.public_url + "/webhooks/rest/webhook", timeout=10)
    _clean(resp.status_code, resp.text)
    assert resp.status_code == 405 and resp.json()["error"] == "method_not_allowed"
    for path in ("/webhooks/callback/webhook", "/webhooks/unknown/webhook"):
        resp = requests.post(prod.public_url + path, json={"sender": "x", "message": "hi"}, timeout=10)
        _clean(resp.status_code, resp.text)
        assert resp.status_code == 404
    # Rasa's HTTP API is closed: not routed by nginx, not enabled on the instances
    for path in ("/status", "/model/parse", "/conversations/x/tracker", "/version"):
        resp = requests.get(prod.public_url + path, timeout=10)
        _clean(resp.status_code, resp.text)
        assert resp.status_code in (404, 405), (path, resp.status_code)
        resp = requests.get(prod.rasa_urls[0] + path, timeout=10)
        assert resp.status_code in (404, 405), (path, resp.status_code)
    resp = requests.post(prod.rasa_urls[0] + "/model/parse", json={"text": "hi"}, timeout=10)
    assert resp.status_code in (404, 405)


def test_streaming_is_off(prod):
    resp = requests.post(prod.public_url + "/webhooks/rest/webhook?stream=true",
                         json={"sender": new_sender(), "message": "Bonjour"}, timeout=30)
    _clean(resp.status_code, resp.text)
    assert resp.status_code == 400


@pytest.mark.parametrize("text", [
    "oui", "Dupont", MATRICULE, "?", "", " ",
])
def test_unknown_senders_get_a_normal_answer(prod, text):
    reply = prod.say(prod.public_url, new_sender("unknown"), text)
    assert not unavailable(reply)


@pytest.mark.parametrize("text", [
    "مرحبا، أريد شهادة للسفر إلى تونس",                 # Arabic (RTL)
    "שלום, אני נוסע לתוניסיה",                          # Hebrew (RTL)
    "\u202eJe pars en Tunisie\u202c",                    # RTL override
    "Bonjour 👋🇱🇺 je pars 🏖️ en Tunisie 👨‍👩‍👧",        # emoji, flags, ZWJ sequences
    "Bon\u0000jour",                                      # NUL
    "Bon\u0000\u0001\u001bjour\u007f",                    # other control characters
    "e\u0301\u0301\u0301 Z\u0351\u0361a\u0352l\u0357g\u0360o",  # combining marks
    "x" * 1900,                                           # a very long word
    ("Tunisie" * 250)[:1990],
    "\u200b\u200c\u200d\ufeff",                           # zero-width only
    "ｊｅ ｐａｒｓ ｅｎ Ｔｕｎｉｓｉｅ",                           # full-width
])
def test_unicode_edge_cases(prod, text):
    prod.say(prod.public_url, new_sender("uni"), text)


def test_lone_surrogate_is_dropped(prod):
    status, parsed, raw = prod.post(prod.public_url, None,
                                    raw=b'{"sender": "surrogate-1", "message": "Bon\\ud800jour"}')
    _clean(status, raw)
    assert status == 200 and isinstance(parsed, list)


@pytest.mark.parametrize("bad", INJECTIONS)
def test_injection_strings_as_first_message(prod, bad):
    reply = prod.say(prod.public_url, new_sender("inj"), bad)
    assert not EVALUATED.search(texts(reply))


def test_injection_strings_in_every_slot_are_refused_or_stored_as_text(prod):
    """Each question first gets an injection string, then the real answer."""
    sender = new_sender("inj-slots")
    base = prod.public_url
    answers = [("Je voudrais l'attestation pour la Tunisie du 3 au 20 avril", None), ("oui", None)]
    real = ["CNS", MATRICULE, "Dupont", "Marie", "Luxembourg", "marie@example.lu", "non", "oui"]
    prod.say(base, sender, answers[0][0])
    prod.say(base, sender, answers[1][0])
    stored_as_text = {}
    for i, value in enumerate(real):
        bad = INJECTIONS[i % len(INJECTIONS)]
        reply = prod.say(base, sender, bad)
        assert reply and not unavailable(reply)
        assert not EVALUATED.search(texts(reply)), texts(reply)
        if REF_RE.search(texts(reply)):
            break
        reply = prod.say(base, sender, value)
        assert reply and not unavailable(reply)
        stored_as_text[i] = bad
    found = REF_RE.search(texts(reply))
    assert found, texts(reply)
    doc = prod.dossier(found.group(1))
    # whatever was kept of an injection string is kept verbatim, as text
    for bad in INJECTIONS:
        for field in ("last_name", "first_name", "email"):
            value = doc["requester"].get(field) or ""
            if bad in value:
                assert value == bad
    # the tables are still there
    prod.dossier(found.group(1))
    assert prod.events(sender)


def test_injection_strings_are_stored_verbatim_as_text(prod):
    """In the tracker (user events) and in a handoff case (its last messages), as plain text."""
    sender = new_sender("inj-store")
    for bad in INJECTIONS:
        prod.say(prod.public_url, sender, bad)
    prod.say(prod.public_url, sender, "je veux parler à un conseiller")
    user_texts = [e.get("text") for e in prod.events(sender) if e["type"] == "user"]
    assert user_texts[:len(INJECTIONS)] == INJECTIONS
    engine = sa.create_engine(prod.env["BOT_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            docs = [json.loads(r[0]) for r in conn.execute(
                sa.text("SELECT document FROM handoff_cases WHERE sender_id = :s"), {"s": sender})]
            assert conn.execute(sa.text("SELECT count(*) FROM dossiers")).scalar_one() >= 0
    finally:
        engine.dispose()
    assert docs, "no handoff case recorded"
    kept = [m["text"] for m in docs[-1]["last_messages"] if m["from"] == "user"]
    assert INJECTIONS[-1] in kept
    assert all(k in INJECTIONS + ["je veux parler à un conseiller"] for k in kept), kept
