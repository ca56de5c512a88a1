"""Faults in the middle of a conversation: nothing given before is lost, the person always gets an answer."""
import time

import requests

from tests.prod.util import REQUEST, check_request_dossier, new_sender, texts, unavailable

HALF = 5  # answers given before the fault


def _rest(prod, sender, bases, start=HALF):
    return prod.converse(sender, REQUEST[start:], bases)


def test_kill_one_rasa_instance_mid_conversation(prod):
    a, b = prod.rasa_urls[0], prod.rasa_urls[1]
    sender = new_sender("kill-rasa")
    prod.converse(sender, REQUEST[:HALF], [a, b])
    prod.kill("rasa1")
    try:
        # the next answers on the other instance, and through nginx (which skips the dead one)
        prod.converse(sender, REQUEST[HALF:HALF + 2], [b])
        replies = prod.converse(sender, REQUEST[HALF + 2:], [prod.public_url])
        check_request_dossier(prod, replies[-1], sender)
    finally:
        prod.ctl("start", "rasa1")
    prod.wait_http(a + "/")
    prod.converse(new_sender("after-restart"), ["Bonjour"], [a])


def test_action_server_killed_and_restarted_mid_conversation(prod):
    sender = new_sender("kill-actions")
    prod.converse(sender, REQUEST[:HALF], [prod.public_url])
    prod.kill("actions")
    try:
        # during the outage: a clear answer (not processed), on both instances and through nginx
        for base in prod.rasa_urls + [prod.public_url]:
            reply = prod.say(base, sender, REQUEST[HALF])
            assert unavailable(reply), reply
            assert "indisponible" in texts(reply) or "unavailable" in texts(reply)
    finally:
        prod.ctl("start", "actions")
    # the retry works, and nothing given before the outage is lost
    replies = _rest(prod, sender, [prod.public_url])
    check_request_dossier(prod, replies[-1], sender)


def test_postgresql_restart_mid_conversation(prod):
    sender = new_sender("pg")
    earlier = new_sender("pg-earlier")
    done = prod.converse(earlier, REQUEST, [prod.public_url])
    prod.converse(sender, REQUEST[:HALF], [prod.public_url])
    prod.ctl("stop", "postgres")
    try:
        for base in prod.rasa_urls + [prod.public_url]:
            status, parsed, raw = prod.post(base, {"sender": sender, "message": REQUEST[HALF]})
            assert status == 200 and unavailable(parsed), (status, raw[:300])
        # even a brand-new conversation gets the clear answer, not a blank-slate reply
        assert unavailable(prod.say(prod.public_url, new_sender("pg-new"), "Bonjour"))
    finally:
        prod.ctl("start", "postgres")
    replies = _rest(prod, sender, [prod.public_url] + prod.rasa_urls)
    check_request_dossier(prod, replies[-1], sender)
    check_request_dossier(prod, done[-1], earlier)  # the dossier stored before the restart is still there


def test_postgresql_restarted_between_two_messages(prod):
    """pg_ctl restart while no message is in flight: pooled connections are dead, the next message still works."""
    sender = new_sender("pg-restart")
    prod.converse(sender, REQUEST[:HALF], prod.rasa_urls)
    prod.ctl("restart", "postgres")
    replies = _rest(prod, sender, prod.rasa_urls)
    check_request_dossier(prod, replies[-1], sender)


def test_redis_down_mid_conversation(prod):
    sender = new_sender("redis")
    prod.converse(sender, REQUEST[:HALF], [prod.public_url])
    prod.ctl("stop", "redis")
    try:
        reply = prod.say(prod.public_url, sender, REQUEST[HALF])
        assert unavailable(reply), reply
    finally:
        prod.ctl("start", "redis")
    replies = _rest(prod, sender, [prod.public_url])
    check_request_dossier(prod, replies[-1], sender)


def test_all_rasa_instances_down_gives_a_friendly_503(prod):
    for name in ("rasa1", "rasa2"):
        prod.kill(name)
    try:
        resp = requests.post(prod.public_url + "/webhooks/rest/webhook",
                             json={"sender": new_sender(), "message": "Bonjour"}, timeout=30)
        assert resp.status_code == 503
        assert resp.json()["error"] == "service_unavailable"
        assert "Traceback" not in resp.text
    finally:
        for name in ("rasa1", "rasa2"):
            prod.ctl("start", name)
    for url in prod.rasa_urls:
        prod.wait_http(url + "/")
    time.sleep(1)
    prod.wait_ready()
