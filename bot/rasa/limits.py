"""The length limit of bot/limits.py on every channel Rasa serves (issue 15, finding 1).

``install()`` replaces ``rasa.core.channels.channel.register``, the one
function through which Rasa hands every channel (rest, socketio, twilio,
telegram, ...) its message handler, by the same function whose handler first
checks the message's length. A message over the limit never reaches the
agent: no lock, no NLU, no tracker write. The person gets
``utter_message_too_long`` in the conversation's language (its ``language``
slot, read from the tracker store) or the language guessed from the
message's first characters.

Called by bot/rasa/server.py (``make run``) and when bot/rasa/prod.py is
imported (production: Rasa imports it for its channels, before registering
them). Installing twice changes nothing.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, List, Optional, Text
from urllib.parse import urljoin

from rasa.core.channels import channel as rasa_channel
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage

from bot import limits

logger = logging.getLogger(__name__)

ERROR = "message_too_long"
TRACKER_TIMEOUT = 0.5


async def conversation_language(app: Any, sender_id: Optional[Text]) -> Optional[str]:
    """The ``language`` slot of the conversation, or None (unknown, new, or store unavailable)."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    store = getattr(agent, "tracker_store", None)
    if store is None or not sender_id:
        return None
    try:
        tracker = await asyncio.wait_for(store.retrieve(sender_id), TRACKER_TIMEOUT)
    except (asyncio.CancelledError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: B036 - the production store raises a BaseException when down
        return None
    return tracker.get_slot("language") if tracker is not None else None


async def refuse(message: UserMessage, lang: str) -> None:
    """Answer the refusal on the message's own output channel."""
    text = limits.refusal(lang)
    out = message.output_channel
    if isinstance(out, CollectingOutputChannel):
        await out._persist_message(out._message(message.sender_id, text=text, custom={"error": ERROR}))
    else:
        await out.send_text_message(message.sender_id, text)


def register(input_channels: List[InputChannel], app: Any, route: Optional[Text]) -> None:
    """Rasa's ``register`` with the length check in front of the agent."""

    async def handler(message: UserMessage) -> None:
        if limits.too_long(message.text):
            lang = limits.refusal_language(message.text, await conversation_language(app, message.sender_id))
            logger.info("message of %d characters refused (limit %d)", len(message.text),
                        limits.max_message_chars())
            await refuse(message, lang)
            return
        await app.ctx.agent.handle_message(message)

    for channel in input_channels:
        prefix = urljoin(route, channel.url_prefix()) if route else None
        app.blueprint(channel.blueprint(handler), url_prefix=prefix)
    app.ctx.input_channels = input_channels


register.limits_length = True  # type: ignore[attr-defined]


def install() -> None:
    """Make Rasa register every channel with the length check (idempotent)."""
    if not getattr(rasa_channel.register, "limits_length", False):
        rasa_channel.register = register
    limits.refusal("fr")  # reads the domain's responses now, not on the first long message
