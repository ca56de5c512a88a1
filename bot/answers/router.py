"""Outside the request form: `respond(...)` routes a message to a topic, a follow-up, the
start of the request or an offer; `topic_of` and `is_question` tell the request's flow
whether a message is a question to answer."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from bot.messages import Answer
from bot.text import matches_any
from bot.answers.context import (
    _advice, _asks, _cfg, _Ctx, _entity, _last_sentence_asks, _say, _situation_matters, _topic_from_cues,
    TOPIC_INTENTS,
)
from bot.answers.topics import (
    _destination, _follow_up_of_subject, _kind_attach, _KINDS, _question_kind, _states_a_request,
    _topic_of_question, _TOPICS, _unknown_place, answer,
)
from bot.answers.followups import _about_the_request, _follow_up, _within_topic


def _yes_no(text: str) -> Optional[bool]:
    """Yes, no or neither, read from the lexicon the way the request form reads it."""
    from bot.text import Message, yes_no

    return yes_no(Message(text))


def _start(ctx: _Ctx, code: Optional[str]) -> Tuple[Answer, bool]:
    slots = {"pending_offer": None, "context_topic": "ask_form"}
    if code:
        slots.update(destination=code, context_country=code)
    if ctx.profile:
        slots["context_profile"] = ctx.profile
    return Answer([_say("utter_chat_request_start", ctx.lang)], slots), True


def _request(ctx: _Ctx) -> Tuple[Answer, bool]:
    """request_certificate: start the form, unless the destination is not for this procedure."""
    code = ctx.named_country
    profile = ctx.named_profile or ctx.slots.get("context_profile")
    if code is None:
        context = ctx.country
        advice = _advice(context, profile, ctx.lang) if context else None
        if advice is not None and advice.eligible_for_online_request and profile != "posting":
            return _start(ctx, context)
        return _start(ctx, None)
    if profile is None and _situation_matters(code):
        return _start(ctx, code)  # the form asks whether the stay is for studies
    advice = _advice(code, profile, ctx.lang)
    if advice is None:
        return _start(ctx, None)
    if profile == "posting" or not advice.eligible_for_online_request:
        ctx.profile = profile
        return _destination(ctx, "ask_form"), False
    return _start(ctx, code)


def _offer_yes(ctx: _Ctx, offer: str) -> Tuple[Answer, bool]:
    spec = (_cfg()["offers"] or {}).get(offer) or {}
    if spec.get("start_request"):
        code = ctx.country
        advice = _advice(code, ctx.profile, ctx.lang) if code else None
        eligible = advice is not None and advice.eligible_for_online_request
        return _start(ctx, code if eligible else None)
    if spec.get("topic") in _TOPICS:
        ans = _TOPICS[spec["topic"]](ctx, spec.get("subtopic"))
        ans.slots["pending_offer"] = None
        return ans, False
    return _help(ctx), False


def _missed(ctx: _Ctx) -> bool:
    """Whether the turn before got no further either (help, not understood, a bare yes): the
    second such turn in a row, whatever their kinds, gets the choices and the phone."""
    return (ctx.slots.get("misses") or {}).get("q") == "chat" or ctx.slots.get("pending_offer") == "what_next"


def _help(ctx: _Ctx) -> Answer:
    """What the assistant can do; asked again right after: the choices and the phone (no dead end)."""
    if _missed(ctx):
        return _stuck(ctx)
    return Answer([_say("utter_chat_help", ctx.lang, "countries")],
                  {"pending_offer": None, "misses": {"q": "chat", "n": 1}})


def _fallback(ctx: _Ctx) -> Answer:
    """Not understood: say so; the second time in a row, the choices and the phone (no dead end)."""
    if _missed(ctx):
        return _stuck(ctx)
    return Answer([_say("utter_chat_fallback", ctx.lang)], {"pending_offer": None, "misses": {"q": "chat", "n": 1}})


def _what_next(ctx: _Ctx) -> Answer:
    """A bare yes with nothing to answer: a short question back, with choices."""
    if _missed(ctx):
        return _stuck(ctx)
    return Answer([_say("utter_chat_what_next", ctx.lang)], {"pending_offer": "what_next", "misses": {"q": "chat", "n": 1}})


def _stuck(ctx: _Ctx) -> Answer:
    return Answer([_say("utter_chat_stuck", ctx.lang, "phone")], {"pending_offer": None, "misses": None})


def _looks_like_request(text: str) -> bool:
    cues = _cfg()["request_cues"]
    return matches_any(cues["request"], text) and not matches_any(cues["question"], text)


_NOT_A_QUESTION = frozenset({"human_handoff", "change_language", "cancel", "restart", "start_over", "affirm", "deny",
                              "goodbye"})


def respond(intent: Optional[str], confidence: float, entities: List[dict], slots: Dict[str, Any],
            lang: str, text: str) -> Tuple[Answer, bool]:
    """Everything said outside the request form; the bool: start the request form now.

    The answer's slots carry ``start_request`` (True on the turn the form starts,
    else None): data/core/rules.yml starts the form on it after action_respond."""
    ans, start = _respond(intent, confidence, entities, slots, lang, text)
    ans.slots["start_request"] = True if start else None
    if "misses" not in ans.slots and (slots.get("misses") or {}).get("q") == "chat":
        ans.slots["misses"] = None  # understood this time: the count starts again
    if "pending_offer" not in ans.slots and slots.get("pending_offer") == "what_next":
        ans.slots["pending_offer"] = None
    return ans, start


def _respond(intent: Optional[str], confidence: float, entities: List[dict], slots: Dict[str, Any],
             lang: str, text: str) -> Tuple[Answer, bool]:
    slots = dict(slots or {})
    ctx = _Ctx(intent or "", entities, slots, lang, text)
    settings = _cfg()["settings"]
    asked_more = False
    if intent in ("thank", "affirm", "deny") and (ctx.named_country or (intent == "thank" and _asks(text))):
        # "turkey form name?? thx", "et si on continue jusqu'à Ohrid en Macédoine du Nord ?": a thanks,
        # a yes or a no only when nothing else is said; a country or a question is read as such
        intent, confidence = "nlu_fallback", 0.0
        ctx.intent = intent
        asked_more = _asks(text)  # "ok danke, und für Tunesien?" answers no offer: it asks
    unsure = intent in (None, "", "nlu_fallback") or (confidence or 0.0) < settings["min_confidence"]
    offer = slots.get("pending_offer")

    if intent not in _NOT_A_QUESTION:
        # what is asked, about whom, where to: before the strongest single word
        kind = _question_kind(ctx)
        if kind:
            return _KINDS[kind](ctx), False
        found = _follow_up_of_subject(ctx)
        if found is not None:
            return found, False
        if _states_a_request(ctx, intent):
            # "on part à cinq en Turquie en juillet : ma femme, nos trois enfants et moi": no question,
            # a trip for the online procedure: the request starts with what the message gave
            return _request(ctx)
        if (ctx.residence not in (None, "LU") and not ctx.named_country
                and intent in ("inform", "correct", "nlu_fallback", None, "")):
            # "I live in Belgium" after a question: what it changes (the household certificate)
            return _kind_attach(ctx), False
        place = _unknown_place(ctx)
        if place:
            # said at once, and the question asked again
            say = [_say("utter_advice_unknown_place", ctx.lang, place=place),
                   _say("utter_advice_ask_country", ctx.lang, "countries")]
            topic = ctx.slots.get("context_topic") if ctx.slots.get("context_topic") in _TOPICS else "ask_form"
            out = {"context_topic": topic, "pending_offer": None}
            return Answer(say, out), False

    if unsure:
        if offer and not asked_more:
            yn = _yes_no(text)
            if yn is True:
                return _offer_yes(ctx, offer)
            if yn is False:
                return Answer([_say("utter_chat_offer_declined", ctx.lang)], {"pending_offer": None}), False
        if ctx.named_country or ctx.relation or ctx.named_profile:
            found = _follow_up(ctx)
            if found is not None:
                return found, False
        if _within_topic(ctx):
            return answer(slots["context_topic"], entities, slots, ctx.lang, text), False
        topic = _topic_from_cues(text)
        if topic:
            return answer(topic, entities, slots, ctx.lang, text), False
        if intent in (None, "", "nlu_fallback"):
            return _fallback(ctx), False
        # nothing better: trust the classifier's best guess

    if not unsure and matches_any(settings.get("follow_up_openings", ()), text) and _within_topic(ctx):
        return answer(slots["context_topic"], entities, slots, ctx.lang, text), False
    if intent == "greet":
        return Answer([_say("utter_chat_greet", ctx.lang)], {"pending_offer": None}), False
    if intent == "goodbye":
        return Answer([_say("utter_chat_goodbye", ctx.lang)], {"pending_offer": None}), False
    if intent == "thank":
        return Answer([_say("utter_chat_thank", ctx.lang)], {"pending_offer": None}), False
    if intent == "help":
        return _help(ctx), False
    if intent == "out_of_scope":
        topic = _topic_from_cues(text)
        if topic in settings.get("out_of_scope_topics", ()):
            return answer(topic, entities, slots, ctx.lang, text), False
        return Answer([_say("utter_chat_out_of_scope", ctx.lang, "phone")], {"pending_offer": None}), False
    if intent == "human_handoff":
        if _about_the_request(ctx):
            return Answer([_say("utter_handoff_request", ctx.lang, "coins_phone")], {}), False
        return Answer([_say("utter_chat_handoff", ctx.lang, "phone")], {}), False
    if intent == "change_language":
        return Answer([_say("utter_chat_language_changed", ctx.lang)], {}), False
    if intent in ("cancel", "restart", "start_over"):
        return Answer([_say("utter_chat_offer_declined", ctx.lang)], {"pending_offer": None}), False
    if intent == "affirm":
        if offer and offer != "what_next":
            return _offer_yes(ctx, offer)
        return _what_next(ctx), False
    if intent == "deny":
        return Answer([_say("utter_chat_offer_declined", ctx.lang)], {"pending_offer": None}), False
    if intent == "request_certificate":
        if _last_sentence_asks(text) or (ctx.named_country and matches_any(_cfg()["request_cues"]["question"], text)):
            # "Which form do I need for Cape Verde?", "... und Marokko für 3 Jahre, geht das?" read as a
            # request: answer the question (in the topic under way), then offer the request
            found = _follow_up(ctx) if ctx.slots.get("context_topic") and not matches_any(
                _cfg()["topic_cues"]["ask_form"], text) else None
            return (found or answer(_topic_of_question(ctx, "ask_form"), entities, slots, ctx.lang, text)), False
        return _request(ctx)
    if intent in ("inform", "correct") and _within_topic(ctx):
        return answer(slots["context_topic"], entities, slots, ctx.lang, text), False
    if intent in ("inform", "correct"):
        gives_dates = _entity(ctx.entities, "date") or _entity(ctx.entities, "date_range")
        if offer == "request" and ctx.named_country is None and gives_dates:
            return _offer_yes(ctx, offer)  # dates after the offer: the person goes ahead
        found = _follow_up(ctx)
        if found is not None:
            return found, False
        if offer and _yes_no(text) is not None:
            return _respond("affirm" if _yes_no(text) else "deny", 1.0, entities, slots, lang, text)
        topic = _topic_from_cues(text)
        if topic:
            return answer(topic, entities, slots, ctx.lang, text), False
        return _fallback(ctx), False
    if intent in TOPIC_INTENTS:
        if intent == "ask_form" and _looks_like_request(text) and not _last_sentence_asks(text):
            return _request(ctx)
        return answer(intent, entities, slots, ctx.lang, text), False
    return _fallback(ctx), False


def topic_of(text: str) -> Optional[str]:
    """The topic a message's strong words name (advisor.yml `topic_cues`), or None."""
    return _topic_from_cues(text)


def is_question(text: str) -> bool:
    """Whether a message asks something (advisor.yml `request_cues.question`)."""
    return matches_any(_cfg()["request_cues"]["question"], text)
