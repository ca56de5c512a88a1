"""Rasa with the custom actions inside it (bot/rasa/server.py) and the tuned SQLite tracker store
(bot/rasa/stores.py): the same answers as through the action server, the same refusals."""
from __future__ import annotations

import asyncio
import json
import textwrap

import pytest
import sqlalchemy as sa
from jsonschema import ValidationError
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import ClientResponseError

from bot.rasa import server
from bot.rasa.stores import SQLiteTrackerStore

DOMAIN = Domain.load("domain.yml")


def _tracker(text: str, intent: str, entities=(), language: str = "fr") -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events("t-1", [
        ActionExecuted("action_listen"),
        SlotSet("language", language),
        UserUttered(text, intent={"name": intent, "confidence": 0.99}, entities=list(entities)),
    ], slots=DOMAIN.slots)
    return tracker


def _run(action: str, tracker: DialogueStateTracker, endpoint):
    channel = CollectingOutputChannel()
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    return asyncio.run(RemoteAction(action, endpoint).run(channel, nlg, tracker, DOMAIN))


@pytest.fixture(scope="module")
def inprocess():
    return server.InProcessActions("actions")


def test_every_custom_action_of_the_domain_is_served_in_process(inprocess):
    custom = {a for a in DOMAIN.user_actions if not a.startswith("utter_")}
    assert custom and custom <= set(inprocess.action_names())


def test_a_question_is_answered_in_process_in_the_person_language(inprocess, monkeypatch, tmp_path):
    monkeypatch.setenv("BOT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("BOT_DATABASE_URL", f"sqlite:///{tmp_path / 'd.db'}")
    for lang, text, word in [("fr", "quel formulaire pour le Maroc ?", "Maroc"),
                             ("de", "welches Formular für Marokko?", "Marokko"),
                             ("en", "which form for Morocco?", "Morocco")]:
        tracker = _tracker(text, "ask_form", [{"entity": "country", "value": "MA", "start": 0, "end": 1}], lang)
        events = _run("action_respond", tracker, inprocess)
        said = " ".join(e.text or "" for e in events if isinstance(e, BotUttered))
        assert word in said, (lang, said)


def test_a_rejection_is_reported_as_the_action_server_would(tmp_path, monkeypatch):
    (tmp_path / "refusing_actions.py").write_text(textwrap.dedent('''
        from rasa_sdk import Action
        from rasa_sdk.interfaces import ActionExecutionRejection

        class Refuse(Action):
            def name(self):
                return "action_refuse"

            def run(self, dispatcher, tracker, domain):
                raise ActionExecutionRejection("action_refuse", "not now")
    '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    endpoint = server.InProcessActions("refusing_actions")
    with pytest.raises(ActionExecutionRejection) as rejected:
        _run("action_refuse", _tracker("x", "greet"), endpoint)
    assert "not now" in rejected.value.message
    with pytest.raises(ClientResponseError) as missing:
        asyncio.run(endpoint.request(json={"next_action": "action_unknown", "tracker": {}}))
    assert missing.value.status == 404 and json.loads(missing.value.text)["action_name"] == "action_unknown"
    with pytest.raises(ClientResponseError) as bad:
        asyncio.run(endpoint.request(json=None))
    assert bad.value.status == 400


def test_the_action_answer_is_still_validated_after_validate_once():
    server.validate_once()
    server.validate_once()  # idempotent
    action = RemoteAction("action_respond", None)
    assert action._validate_action_result({"events": [{"event": "slot", "name": "x", "value": 1}], "responses": []})
    with pytest.raises(ValidationError) as invalid:
        action._validate_action_result({"events": [{"event": "no_such_event"}], "responses": []})
    assert "Failed to validate Action server response" in invalid.value.message


def test_arguments_are_those_of_rasa_run_plus_actions():
    assert server.split_arguments(["--actions", "actions", "--port", "1"]) == ("actions", ["--port", "1"])
    assert server.split_arguments(["--actions=actions", "-m", "m"]) == ("actions", ["-m", "m"])
    assert server.split_arguments(["--port", "1"]) == (None, ["--port", "1"])


def test_endpoints_give_the_tuned_sqlite_store_not_rasa_silent_in_memory_fallback(tmp_path, monkeypatch):
    monkeypatch.setenv("ACTION_PORT", "5999")
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    endpoints = server.endpoints_with_actions("endpoints.yml", "actions")
    assert isinstance(endpoints.action, server.InProcessActions)
    store = TrackerStore.create(endpoints.tracker_store, DOMAIN)
    assert isinstance(getattr(store, "_tracker_store", store), SQLiteTrackerStore)


def test_tuned_tracker_store_keeps_conversations_in_wal_mode(tmp_path):
    store = SQLiteTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    tracker = _tracker("bonjour", "greet")
    asyncio.run(store.save(tracker))
    again = SQLiteTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    loaded = asyncio.run(again.retrieve("t-1"))
    assert [e.as_dict()["event"] for e in loaded.events] == [e.as_dict()["event"] for e in tracker.events]
    with again.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def _dicts(tracker):
    return [e.as_dict() for e in tracker.events] if tracker else None


def test_kept_conversations_equal_what_sql_gives_back(tmp_path):
    from rasa.shared.core.events import SessionStarted

    db = str(tmp_path / "t.db")
    store = SQLiteTrackerStore(domain=DOMAIN, dialect="sqlite", db=db)
    plain = SQLiteTrackerStore(domain=DOMAIN, dialect="sqlite", db=db)
    plain.cache_size = 0
    tracker = _tracker("bonjour", "greet")
    for n, event in enumerate([ActionExecuted("action_respond"), ActionExecuted("action_listen"),
                               UserUttered("au revoir", intent={"name": "goodbye", "confidence": 1.0}),
                               ActionExecuted("action_session_start"), SessionStarted(),
                               SlotSet("language", "de"), ActionExecuted("action_listen")]):
        event.timestamp = 1_000 + n
        tracker.update(event)
        asyncio.run(store.save(tracker))
        kept, read = asyncio.run(store.retrieve("t-1")), asyncio.run(plain.retrieve("t-1"))
        assert _dicts(kept) == _dicts(read)
        assert kept.current_slot_values() == read.current_slot_values()
        tracker = kept
    assert "t-1" in store._cache


def test_a_conversation_erased_or_written_elsewhere_is_read_again(tmp_path):
    db = str(tmp_path / "t.db")
    store = SQLiteTrackerStore(domain=DOMAIN, dialect="sqlite", db=db)
    other = SQLiteTrackerStore(domain=DOMAIN, dialect="sqlite", db=db)
    asyncio.run(store.save(_tracker("bonjour", "greet")))
    elsewhere = asyncio.run(other.retrieve("t-1"))
    elsewhere.update(SlotSet("language", "en"))
    asyncio.run(other.save(elsewhere))
    assert asyncio.run(store.retrieve("t-1")).get_slot("language") == "en"
    with other.engine.begin() as conn:  # what `python -m bot privacy erase` does to the events table
        conn.execute(sa.text("DELETE FROM events WHERE sender_id = 't-1'"))
    assert asyncio.run(store.retrieve("t-1")) is None
