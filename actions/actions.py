"""Thin rasa-sdk actions: read the tracker, call bot/, dispatch responses, set slots."""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import auth, payloads
from bot.answers import router
from bot.dossier import builder as dossier
from bot.dossier import feedback, handoff, idempotency, review, transcript, uploads
from bot.request import flow
from bot.messages import Say

logger = logging.getLogger(__name__)


def _earlier(tracker: Tracker, count: int = 8) -> List[flow.Message]:
    """The user messages before the latest one, oldest first (at most `count`, none from
    before the last request)."""
    found: List[flow.Message] = []
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") in ("active_loop", "restart", "session_started") and users:
            break  # nothing from before the last request
        if event.get("event") != "user":
            continue
        users += 1
        if users == 1:
            continue  # the latest message itself
        found.append(_to_message(event.get("parse_data") or {}, event.get("text") or "", tracker.sender_id))
        if len(found) >= count:
            break
    return list(reversed(found))


def _message(tracker: Tracker) -> flow.Message:
    """The latest message as bot.request.flow reads it. A ``/intent{json}`` message that is not one of
    the buttons just offered is plain text with no intent and no entities, and only entities
    with a text value go on (bot/payloads.py)."""
    latest = tracker.latest_message or {}
    text = latest.get("text") or ""
    if payloads.parse(text) is not None and not payloads.accepted(text, tracker.events):
        logger.info("a payload that was not offered is taken as plain text")
        return flow.Message(text=text, intent=None, confidence=0.0, entities=[])
    return _to_message(latest, text, tracker.sender_id)


def _to_message(latest: Dict[str, Any], text: str, sender_id: str) -> flow.Message:
    intent = latest.get("intent") or {}
    entities = []
    for ent in payloads.clean_entities(latest.get("entities")):
        if ent.get("entity") == "upload_id":
            # a file sent through the web chat: its stored description, if it belongs to this conversation
            ent = uploads.as_entity(sender_id, str(ent.get("value")))
        if ent:
            entities.append(ent)
    return flow.Message(
        text=text,
        intent=intent.get("name"),
        confidence=float(intent.get("confidence") or 0.0),
        entities=entities,
    )


def _lang(tracker: Tracker) -> str:
    return payloads.valid_language(tracker.get_slot("language"), tracker.events) \
        or tracker.get_slot("language") or "fr"


def _language_fix(tracker: Tracker) -> List[EventType]:
    """Put back a supported language when the slot holds another value (bot/payloads.py)."""
    fixed = payloads.valid_language(tracker.get_slot("language"), tracker.events)
    return [SlotSet("language", fixed)] if fixed else []


def _identity(tracker: Tracker):
    return auth.from_metadata((tracker.latest_message or {}).get("metadata"))


def _auth_slots(tracker: Tracker) -> Dict[Text, Any]:
    """Prefill the requester from a valid signed token in the message metadata."""
    who = _identity(tracker)
    if not who:
        return {}
    return {"authenticated": True, "req_matricule": who.matricule, "req_first_name": who.first_name,
            "req_last_name": who.last_name}


def _notify(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Tell the person about status changes of their dossiers since they last wrote."""
    who = _identity(tracker)
    try:
        _utter(dispatcher, dossier.notifications(tracker.sender_id, who.matricule if who else None))
    except Exception:  # a notification must never break the conversation
        logger.exception("status notifications failed")


def _record_handoff(tracker: Tracker, msg: flow.Message, topic: str) -> None:
    if msg.intent == "human_handoff" and msg.confidence >= 0.6:
        try:
            handoff.record(dict(tracker.slots), tracker.events, topic, tracker.sender_id)
        except Exception:  # the person still gets the numbers; the case is logged for the operator
            logger.exception("could not record the handoff case")


def _review(tracker: Tracker, msg: flow.Message, says: List[Say], step: str, slots: Dict[str, Any],
            misses_after: Any) -> None:
    """Keep a message that ended in a fallback, a re-ask or a handoff, masked (bot/dossier/review.py)."""
    try:
        kind = review.kind_of([s.response for s in says], slots.get("misses"), misses_after)
        if kind:
            review.record(msg.text, kind, _lang(tracker), step, slots, tracker.sender_id)
    except Exception:  # keeping it for review must never break the conversation
        logger.exception("could not keep the message for review")


def _rating(dispatcher: CollectingDispatcher, tracker: Tracker, msg: flow.Message) -> Optional[List[EventType]]:
    """A tap on the rating buttons or on "add a comment", or the comment itself; None otherwise."""
    if msg.intent == "rate":
        score = next((e.get("value") for e in msg.entities if e.get("entity") == "score"), None)
        if score not in ("0", "1"):  # asked to rate in words: the buttons
            dispatcher.utter_message(response="utter_rate_offer")
            return [SlotSet("feedback_topic", tracker.get_slot("feedback_topic") or
                            tracker.get_slot("context_topic") or "general")]
        try:
            row = feedback.record(int(score), _lang(tracker), tracker.get_slot("feedback_topic") or "general")
        except Exception:
            logger.exception("could not store the rating")
            return []
        dispatcher.utter_message(response="utter_rate_thanks")
        return [SlotSet("feedback_rating", row["id"]), SlotSet("feedback_done", True)]
    if msg.intent == "rate_comment":
        if not tracker.get_slot("feedback_rating"):
            return None  # nothing rated yet: an ordinary message
        dispatcher.utter_message(response="utter_rate_comment_ask")
        return [SlotSet("feedback_topic", "comment:" + str(tracker.get_slot("feedback_rating")))]
    awaited = str(tracker.get_slot("feedback_topic") or "")
    if awaited.startswith("comment:") and msg.text and not payloads.parse(msg.text):
        try:
            feedback.add_comment(int(awaited.split(":", 1)[1]), msg.text)
        except Exception:
            logger.exception("could not store the comment")
        dispatcher.utter_message(response="utter_rate_comment_thanks")
        return [SlotSet("feedback_topic", None), SlotSet("feedback_rating", None)]
    return None


async def _transcript(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """The conversation so far, in the person's language: a download link, and an e-mail to the
    address of the request just sent (slot transcript_email)."""
    lang = _lang(tracker)
    try:
        token = transcript.save(tracker.events, lang, tracker.sender_id)
    except Exception:
        logger.exception("could not write the transcript")
        return False
    dispatcher.utter_message(response="utter_transcript_ready", link=transcript.link(token))
    to = tracker.get_slot("transcript_email")
    if isinstance(to, str) and to:
        try:  # SMTP blocks: not in the event loop
            await asyncio.get_running_loop().run_in_executor(None, transcript.email, list(tracker.events), lang, to)
            dispatcher.utter_message(response="utter_transcript_emailed", email=to)
        except Exception:
            logger.exception("could not e-mail the transcript")
    return True


def _offer_rating(dispatcher: CollectingDispatcher, tracker: Tracker, topic: str) -> List[EventType]:
    """The rating buttons, once per topic and never again once the person rated."""
    if tracker.get_slot("feedback_done") or tracker.get_slot("feedback_topic") == topic:
        return []
    dispatcher.utter_message(response="utter_rate_offer")
    return [SlotSet("feedback_topic", topic)]


def _utter(dispatcher: CollectingDispatcher, says: List[Say]) -> None:
    for say in says:
        dispatcher.utter_message(response=say.response, **say.params)


class ValidateRequestForm(Action):
    """Drives the request form: every message goes through bot.request.flow.step."""

    def name(self) -> Text:
        return "validate_request_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        prefill = _auth_slots(tracker)
        slots = {**dict(tracker.slots), **prefill}
        for event in _language_fix(tracker):  # a language slot set to an unsupported value
            slots["language"] = event["value"]
        if not (tracker.active_loop or {}).get("name"):
            slots["requested_slot"] = None  # the form is being activated: no question is pending
        msg = _message(tracker)
        _notify(dispatcher, tracker)
        _record_handoff(tracker, msg, "certificate_request")
        earlier = _earlier(tracker) if slots["requested_slot"] is None else None
        result = flow.step(slots, msg, dt.date.today(), earlier=earlier)
        _utter(dispatcher, result.say)
        _review(tracker, msg, result.say, slots.get("requested_slot") or "request", slots,
                result.slots.get("misses", slots.get("misses")))
        changed = {**prefill, **result.slots}
        events: List[EventType] = [SlotSet(k, v) for k, v in changed.items() if k != "requested_slot"]
        # always report one slot, so that Rasa never rejects the form for "nothing extracted"
        events.append(SlotSet("outcome", result.outcome))
        events.append(SlotSet("requested_slot", result.ask))
        if not tracker.get_slot(idempotency.SLOT):  # the request starts: its idempotency key
            events.append(SlotSet(idempotency.SLOT, idempotency.new_key()))
        return _language_fix(tracker) + events


class ActionRespond(Action):
    """Everything said outside the request form (questions, small talk, offers)."""

    def name(self) -> Text:
        return "action_respond"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        msg = _message(tracker)
        _notify(dispatcher, tracker)
        _record_handoff(tracker, msg, tracker.get_slot("context_topic") or "general")
        if msg.intent == "transcript" and await _transcript(dispatcher, tracker):
            return _language_fix(tracker) + [SlotSet("start_request", None)]
        rated = _rating(dispatcher, tracker, msg)
        if rated is not None:
            return _language_fix(tracker) + rated + [SlotSet("start_request", None)]
        who = _identity(tracker)
        if who and flow.asks_status(msg.text):
            _utter(dispatcher, dossier.status_overview(who.matricule))
            return []
        slots = dict(tracker.slots)
        answer, start = router.respond(msg.intent, msg.confidence, msg.entities, slots,
                                        _lang(tracker), msg.text)
        _utter(dispatcher, answer.say)
        _review(tracker, msg, answer.say, slots.get("context_topic") or "general", slots,
                answer.slots.get("misses", slots.get("misses")))
        events: List[EventType] = _language_fix(tracker) + [SlotSet(k, v) for k, v in answer.slots.items()]
        if str(tracker.get_slot("feedback_topic") or "").startswith("comment:"):
            events.append(SlotSet("feedback_topic", None))  # a button instead of the comment: none then
        topic = answer.slots.get("context_topic")
        if topic and not start and not answer.slots.get("pending_offer") \
                and not review.kind_of([s.response for s in answer.say]):
            events += _offer_rating(dispatcher, tracker, topic)  # after the answer to a topic question
        if start:
            events.append(FollowupAction("request_form"))
        return events


class ActionRequestFinish(Action):
    """After the form: store the dossier and give its reference, or tidy up."""

    def name(self) -> Text:
        return "action_request_finish"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        slots = dict(tracker.slots)
        outcome = slots.get("outcome")
        lang = _lang(tracker)
        if outcome == "submit":
            key = idempotency.chat_key(slots.get(idempotency.SLOT), tracker.sender_id, tracker.events)
            doc = dossier.submit(slots, lang, sender_id=tracker.sender_id, background=True, request_key=key)
            dispatcher.utter_message(
                response="utter_request_submitted_espace" if doc["authenticated"] else "utter_request_submitted",
                reference=doc["reference"], email=doc["requester"]["email"],
                days=dossier.delivery_days(doc["authenticated"]))
            if doc.get("documents_to_send"):
                dispatcher.utter_message(response="utter_request_submitted_documents",
                                         reference=doc["reference"])
            links = dossier.download_links(doc)
            if links:
                dispatcher.utter_message(response="utter_download", links=links)
            logger.info("dossier %s stored", doc["reference"])
            return [SlotSet(k, None) for k in flow.REQUEST_SLOTS] + [SlotSet("requested_slot", None),
                                                                     SlotSet(idempotency.SLOT, None),
                                                                     SlotSet("transcript_email", doc["requester"].get("email"))] \
                + _offer_rating(dispatcher, tracker, "request")
        if outcome == "cancel":
            return [SlotSet(k, None) for k in flow.REQUEST_SLOTS] + [SlotSet("requested_slot", None),
                                                                     SlotSet(idempotency.SLOT, None)]
        # later, or redirected: keep what the person gave (to send later, or in case they ask
        # again for another destination)
        return [SlotSet("outcome", None), SlotSet("summary_shown", None), SlotSet("requested_slot", None)]
