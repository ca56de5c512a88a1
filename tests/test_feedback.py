"""Issue 17, items 2 and 3: ratings of the help (stored without personal data, `python -m bot
feedback report`) and misunderstood messages kept masked for review (`python -m bot review`),
through the actions as Rasa runs them."""
from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
from contextlib import redirect_stdout

import pytest
import sqlalchemy as sa
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import cli, texts
from bot.dossier import feedback, review, store
from bot.validators import matricule

M1 = matricule.generate("1985-04-12")


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("BOT_DATABASE_URL", f"sqlite:///{tmp_path / 'dossiers.db'}")
    (tmp_path / "var").mkdir()
    return tmp_path


def _cli(*argv):
    out = io.StringIO()
    with redirect_stdout(out):
        code = cli.main(list(argv))
    return code, out.getvalue()


def _rows(table):
    engine = sa.create_engine(store.database_url())
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(sa.select(table))]
    engine.dispose()
    return rows


# --------------------------------------------------------------------------- the stores and reports

def test_ratings_report_per_language_and_topic(env):
    old = dt.date(2026, 1, 5)
    feedback.record(1, "fr", "request", today=old)
    feedback.record(0, "fr", "ask_ehic", f"trop long, mon matricule {M1} et a@b.lu")
    feedback.record(1, "de", "ask_ehic")
    feedback.record(1, "de", "request")
    figures = feedback.report()
    assert figures["count"] == 4 and figures["positive_share"] == 0.75
    assert figures["by_language"] == {"de": {"count": 2, "positive": 2, "positive_share": 1.0},
                                      "fr": {"count": 2, "positive": 1, "positive_share": 0.5}}
    assert figures["by_topic"]["ask_ehic"] == {"count": 2, "positive": 1, "positive_share": 0.5}
    assert figures["comments"][0]["comment"] == "trop long, mon matricule <matricule> et <email>"
    assert feedback.report(dt.date(2026, 2, 1))["by_topic"]["request"]["count"] == 1
    code, out = _cli("feedback", "report", "--since", "2026-02-01", "--json")
    assert code == 0 and json.loads(out)["count"] == 3
    code, out = _cli("feedback", "report")
    assert code == 0 and "ratings: 4, positive 75 %" in out and "ask_ehic" in out and "50 %" in out
    # nothing but the score, language, topic, day and the masked comment is stored
    assert set(_rows(store.RatingRow.__table__)[0]) == {"id", "created_on", "language", "topic", "score", "comment"}
    with pytest.raises(ValueError):
        feedback.record(5, "fr", "request")


def test_review_keeps_the_message_masked_with_language_and_step(env):
    assert review.kind_of(["utter_chat_fallback"]) == "fallback"
    assert review.kind_of(["utter_q_fund"], {"q": "fund", "n": 1}, {"q": "fund", "n": 2}) == "reask"
    assert review.kind_of(["utter_q_fund"], None, {"q": "fund", "n": 1}) == "reask"
    assert review.kind_of(["utter_q_fund"], {"q": "fund", "n": 1}, {"q": "fund", "n": 1}) is None
    assert review.kind_of(["utter_handoff_request", "utter_continue_here"]) == "handoff"
    assert review.kind_of(["utter_stuck"]) == "stuck" and review.kind_of(["utter_topic_ehic_overview"]) is None
    review.record(f"Dupont, {M1}, marie@example.lu", "reask", "fr", "req_last_name",
                  {"req_last_name": "Dupont"}, "conv-1", now=dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc))
    review.record("what about my kitten", "fallback", "en", "ask_ehic", None, "conv-2")
    rows = review.listing()
    assert rows[0]["text"] == "<name>" and rows[0]["step"] == "req_last_name"  # a name question: kept as <name>
    assert review.masked(f"Dupont, {M1}, marie@example.lu", {"req_last_name": "Dupont"}) == \
        "<name>, <matricule>, <email>"
    assert [r["language"] for r in review.listing(dt.date(2026, 2, 1))] == ["en"]
    raw = _rows(store.ReviewRow.__table__)
    assert all("conv-" not in str(v) for r in raw for v in r.values())  # only a keyed hash of the conversation
    code, out = _cli("review", "--since", "2026-02-01")
    assert code == 0 and "ask_ehic" in out and "fallback" in out and "what about my kitten" in out
    code, out = _cli("review", "--json")
    assert [r["kind"] for r in json.loads(out)] == ["reask", "fallback"]


# --------------------------------------------------------------------------- through the actions

def _tracker(text, intent=None, slots=None, events=(), entities=(), loop=None, sender="conv-a"):
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.95 if intent else 0.0},
              "entities": list(entities)}
    events = list(events) + [{"event": "user", "text": text, "parse_data": latest}]
    return Tracker(sender, {"language": "fr", **(slots or {})}, latest, events, False, None,
                   {"name": loop} if loop else {}, "action_listen")


def _run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return [m.get("response") for m in dispatcher.messages], \
        {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def _offered(response, lang="fr"):
    """The bot event as Rasa stores it after the response (payloads formatted)."""
    buttons = [{"title": b["title"], "payload": b["payload"].format()}
               for b in texts.variation(response, lang).get("buttons") or []]
    return [{"event": "bot", "text": "…", "data": {"buttons": buttons}}]


def test_a_topic_answer_offers_the_rating_once_and_a_tap_stores_it_without_personal_data(env):
    from actions.actions import ActionRespond

    said, slots = _run(ActionRespond(), _tracker("c'est quoi la carte européenne d'assurance maladie ?", "ask_ehic"))
    assert said[-1] == "utter_rate_offer" and slots["feedback_topic"] == "ask_ehic"
    # the same topic again: no second offer
    said, _ = _run(ActionRespond(), _tracker("et la carte européenne, encore ?", "ask_ehic",
                                             {"feedback_topic": "ask_ehic", "context_topic": "ask_ehic"}))
    assert "utter_rate_offer" not in said
    # the tap: the payload of the button just shown
    tap = '/rate{"score": "0"}'
    said, slots = _run(ActionRespond(), _tracker(tap, "rate", {"feedback_topic": "ask_ehic"},
                                                 _offered("utter_rate_offer"), [{"entity": "score", "value": "0"}]))
    assert said == ["utter_rate_thanks"] and slots["feedback_done"] is True and slots["start_request"] is None
    rating_id = slots["feedback_rating"]
    assert feedback.report()["by_topic"] == {"ask_ehic": {"count": 1, "positive": 0, "positive_share": 0.0}}
    # "add a comment", then the comment (masked)
    said, slots = _run(ActionRespond(), _tracker("/rate_comment", "rate_comment", {"feedback_rating": rating_id},
                                                 _offered("utter_rate_thanks")))
    assert said == ["utter_rate_comment_ask"]
    said, slots = _run(ActionRespond(), _tracker(f"pas clair pour moi ({M1})", "inform",
                                                 {"feedback_topic": slots["feedback_topic"], "feedback_done": True}))
    assert said == ["utter_rate_comment_thanks"] and slots["feedback_topic"] is None
    assert feedback.report()["comments"][0]["comment"] == "pas clair pour moi (<matricule>)"
    # rated once: no more offers in this conversation
    said, _ = _run(ActionRespond(), _tracker("comment contacter la CNS ?", "ask_contact", {"feedback_done": True}))
    assert "utter_rate_offer" not in said and "utter_topic_contact" in said


def test_a_rating_payload_that_was_not_offered_stores_nothing(env):
    from actions.actions import ActionRespond

    said, _ = _run(ActionRespond(), _tracker('/rate{"score": "1"}', "rate", {}, (), [{"entity": "score", "value": "1"}]))
    assert "utter_rate_thanks" not in said and feedback.report()["count"] == 0


def test_the_rating_is_offered_after_a_submitted_request(env, monkeypatch):
    from actions import actions

    monkeypatch.setattr(actions.dossier, "submit", lambda *a, **k: {
        "reference": "2026-A001-B002", "authenticated": False, "requester": {"email": "x@example.lu"}})
    monkeypatch.setattr(actions.dossier, "download_links", lambda doc: "")
    said, slots = _run(actions.ActionRequestFinish(), _tracker("oui", "affirm", {"outcome": "submit"}))
    assert said == ["utter_request_submitted", "utter_rate_offer"] and slots["feedback_topic"] == "request"
    assert slots["transcript_email"] == "x@example.lu"
    said, _ = _run(actions.ActionRequestFinish(), _tracker("oui", "affirm", {"outcome": "cancel"}))
    assert "utter_rate_offer" not in said


def test_fallbacks_re_asks_and_handoffs_are_kept_for_review(env):
    from actions.actions import ActionRespond, ValidateRequestForm

    said, _ = _run(ActionRespond(), _tracker("blablabla zork", "nlu_fallback", {"context_topic": "ask_ehic"}))
    assert said == ["utter_chat_fallback"]
    _run(ActionRespond(), _tracker("je veux parler à quelqu'un", "human_handoff"))
    said, _ = _run(ValidateRequestForm(), _tracker("zork blub", None, {"requested_slot": "fund", "consent": True},
                                                   loop="request_form"))
    assert "utter_q_fund" in said
    _run(ValidateRequestForm(), _tracker("Dupont 12", None, {"requested_slot": "email", "req_last_name": "Dupont",
                                                             "consent": True, "fund": "CNS"}, loop="request_form"))
    # understood: nothing kept
    _run(ActionRespond(), _tracker("c'est quoi la carte européenne d'assurance maladie ?", "ask_ehic"))
    rows = review.listing()
    assert [(r["kind"], r["step"]) for r in rows] == [("fallback", "ask_ehic"), ("handoff", "general"),
                                                      ("reask", "fund"), ("reask", "email")]
    assert rows[-1]["text"] == "<name> 12" and all(r["language"] == "fr" for r in rows)


def test_the_transcript_in_the_persons_language_is_written_and_linked(env, monkeypatch):
    from actions.actions import ActionRespond
    from bot.dossier import transcript

    monkeypatch.setenv("WEB_PUBLIC_URL", "https://chat.example.lu")
    events = [{"event": "user", "text": "Was ist die Europäische Krankenversicherungskarte?"},
              {"event": "bot", "text": "Die EKVK gilt in der EU."}] + _offered("utter_rate_offer", "de") + \
             [{"event": "user", "text": '/rate{"score": "1"}'}] + _offered("utter_rate_thanks", "de")
    said, _ = _run(ActionRespond(), _tracker("/transcript", "transcript", {"language": "de"}, events, sender="conv-t"))
    assert said == ["utter_transcript_ready"]
    files = list((env / "var" / "transcripts").rglob("*.txt"))
    assert len(files) == 1 and "conv-t" not in str(files[0])
    text = files[0].read_text(encoding="utf-8")
    assert text.startswith("Gespräch mit dem Assistenten der CNS")
    assert "Sie:\n  Was ist die Europäische Krankenversicherungskarte?" in text
    assert "Assistent:\n  Die EKVK gilt in der EU." in text
    assert "Sie:\n  👍 Ja" in text and "/rate" not in text and "/transcript" not in text
    token = files[0].stem
    assert transcript.find(token) == files[0] and transcript.find("../x") is None
    assert transcript.link(token) == f"https://chat.example.lu/transcripts/{token}.txt"
    # not offered: not a transcript
    said, _ = _run(ActionRespond(), _tracker("/transcript", "transcript", {}, (), sender="conv-u"))
    assert "utter_transcript_ready" not in said


def test_after_a_request_the_transcript_is_also_e_mailed_to_its_address(env, monkeypatch):
    from actions.actions import ActionRespond

    monkeypatch.delenv("SMTP_HOST", raising=False)
    events = [{"event": "user", "text": "nous partons en Tunisie"},
              {"event": "bot", "text": "Votre demande est transmise, référence 2026-A001-B002."}] + \
        _offered("utter_rate_offer")
    said, _ = _run(ActionRespond(), _tracker("/transcript", "transcript", {"transcript_email": "marie@example.lu"},
                                             events))
    assert said == ["utter_transcript_ready", "utter_transcript_emailed"]
    mails = list((env / "var" / "outbox").glob("*.eml"))
    assert len(mails) == 1
    raw = mails[0].read_text(encoding="utf-8")
    assert "To: marie@example.lu" in raw and "Subject: Votre conversation avec l'assistant de la CNS" in raw
    import email
    body = email.message_from_string(raw).get_payload(decode=True).decode("utf-8")
    assert "2026-A001-B002" in body and "Vous :" in body
    # without a request just sent: the link only
    said, _ = _run(ActionRespond(), _tracker("/transcript", "transcript", {}, events))
    assert said == ["utter_transcript_ready"] and len(list((env / "var" / "outbox").glob("*.eml"))) == 1
