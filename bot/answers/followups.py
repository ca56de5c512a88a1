"""Follow-up questions: what a short question after an answer is about (the same topic, the
same subject, another place)."""
from __future__ import annotations

from typing import Optional

from bot.messages import Answer
from bot.answers.context import _advice, _cfg, _Ctx, _subtopic
from bot.answers.topics import (
    _destination, _on_holiday, _topic_form, _topic_posting, _topic_reimbursement, _topic_student, _TOPICS,
)


def _follow_up(ctx: _Ctx) -> Optional[Answer]:
    """A bare country, relation, profile or duration after a question: the same question again."""
    topic = ctx.slots.get("context_topic")
    country_topics = _cfg()["settings"]["country_topics"]
    if topic not in country_topics:
        topic = _cfg()["settings"]["default_country_topic"]
    has_new = ctx.named_country or ctx.relation or ctx.named_profile or ctx.duration is not None
    if not has_new:
        return None
    if ctx.country:
        only_person = ctx.relation and not (ctx.named_country or ctx.named_profile or ctx.duration is not None)
        if only_person and topic in ("ask_form", "ask_student", "ask_ehic", "ask_delivery"):
            return _destination(ctx, "ask_student" if topic == "ask_student" else "ask_form", brief=True)
        if topic == "ask_reimbursement":
            return _topic_reimbursement(ctx, None)
        if _on_holiday(ctx):
            ctx.profile = "stay"  # "and a ski week in Austria?" after a posting: a stay
        elif topic == "ask_posting" or ctx.profile == "posting":
            ctx.profile = "posting"
            return _destination(ctx, "ask_posting")
        if topic == "ask_ehic" and ctx.profile not in ("study", "posting"):
            topic = "ask_form"
        return _destination(ctx, topic if topic in ("ask_form", "ask_student") else "ask_form")
    if ctx.named_profile == "study":
        return _topic_student(ctx, None)
    if ctx.named_profile == "posting":
        return _topic_posting(ctx, None)
    return _topic_form(ctx, None)


def _about_the_request(ctx: _Ctx) -> bool:
    """Whether the conversation is about the temporary-stay certificate request."""
    slots = ctx.slots
    if slots.get("pending_offer") == "request" or slots.get("destination"):
        return True
    if slots.get("context_topic") in ("ask_form", "ask_delivery", "ask_student") and ctx.country:
        advice = _advice(ctx.country, ctx.profile, ctx.lang)
        return advice is not None and advice.eligible_for_online_request
    return slots.get("context_topic") == "ask_delivery"


def _within_topic(ctx: _Ctx) -> bool:
    """A follow-up within the topic being discussed ("und wenn ich länger bleibe?"): words of one
    of its sub-topics, no new country."""
    topic = ctx.slots.get("context_topic")
    return topic in _TOPICS and bool(_subtopic(topic, ctx.text)) and not ctx.named_country
