"""Twilio (SMS, WhatsApp) with choices as a numbered list: "2" typed back selects the second.

Rasa's own Twilio connector prints buttons as "1: Oui (/affirm)". This one
renders them with bot.rasa.channels.render_for_channel (numbered list, texts split
under the channel's size limit) and remembers the last choices of each
sender, so that a number typed back (or the choice's words: "Je refuse", "CMFEP") is
sent on as that choice's payload, which the actions then take as a tap on that button
(bot/payloads.py: the payload was offered in the last turn).
The memory is per process: with several Rasa instances behind a proxy, route
a sender to the same instance (as for socketio).
In credentials.yml: `bot.rasa.twilio.NumberedTwilioInput:` with the same keys
as `twilio:`; the webhook stays /webhooks/twilio/webhook.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, List, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput

from bot.rasa.channels import last_choices, last_labels, render_for_channel, select_choice

CHANNEL = "twilio"
CHOICES: Dict[Text, Dict[str, str]] = {}
LABELS: Dict[Text, Dict[str, str]] = {}


class NumberedTwilioOutput(TwilioOutput):
    async def _send_parts(self, recipient_id: Text, parts: List[Dict[str, Any]]) -> None:
        for part in parts:
            if part.get("text"):
                await super().send_text_message(recipient_id, part["text"])
        choices = last_choices(parts)
        if choices:
            CHOICES[recipient_id] = choices
            LABELS[recipient_id] = last_labels(parts)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_parts(recipient_id, render_for_channel([{"text": text}], CHANNEL))

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        await self._send_parts(recipient_id, render_for_channel([{"text": text, "buttons": buttons}], CHANNEL))


def translate(message: UserMessage) -> UserMessage:
    """A number (or a choice's words) typed back after numbered choices becomes that choice's payload."""
    chosen = select_choice(message.text or "", CHOICES.get(message.sender_id, {}),
                           LABELS.get(message.sender_id, {}))
    if chosen:
        message.text = chosen
    return message


class NumberedTwilioInput(TwilioInput):
    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        async def with_choices(message: UserMessage) -> Any:
            return await on_new_message(translate(message))

        return super().blueprint(with_choices)

    def get_output_channel(self) -> NumberedTwilioOutput:
        return NumberedTwilioOutput(self.account_sid, self.auth_token, self.twilio_number)
