"""The Twilio connector's output format: numbered choices, split texts, a number typed back selects."""
import asyncio

from rasa.core.channels.channel import UserMessage

from bot.rasa import twilio


class Recorder(twilio.NumberedTwilioOutput):
    def __init__(self):
        super().__init__("ACxxxxxxxx", "token", "+35200000000")
        self.sent = []

    async def _send_message(self, message_data):
        self.sent.append(dict(message_data))
        return True


def test_buttons_become_a_numbered_list_and_the_choices_are_kept():
    out = Recorder()
    asyncio.run(out.send_text_with_buttons("+35261", "Souhaitez-vous ajouter une autre personne ?",
                                           [{"title": "Oui", "payload": "/affirm"},
                                            {"title": "Non", "payload": "/deny"}]))
    bodies = [m["body"] for m in out.sent]
    assert "Souhaitez-vous ajouter une autre personne ?" in bodies[0]
    assert any("1. Oui" in b and "2. Non" in b for b in bodies)
    assert not any("/affirm" in b for b in bodies)
    assert twilio.CHOICES["+35261"] == {"1": "/affirm", "2": "/deny"}


def test_long_texts_are_split_under_the_limit():
    out = Recorder()
    long = " ".join(["Une phrase assez longue pour remplir le message."] * 60)
    asyncio.run(out.send_text_message("+35262", long))
    assert len(out.sent) > 1 and all(len(m["body"]) <= 1600 for m in out.sent)


def test_a_number_typed_back_is_sent_on_as_the_payload():
    twilio.CHOICES["+35263"] = {"1": "/affirm", "2": "/deny"}
    assert twilio.translate(UserMessage("2", sender_id="+35263")).text == "/deny"
    assert twilio.translate(UserMessage("Tunisie", sender_id="+35263")).text == "Tunisie"
    assert twilio.translate(UserMessage("2", sender_id="+35299")).text == "2"


def test_the_connector_is_rasas_twilio_with_our_output():
    channel = twilio.NumberedTwilioInput("ACxxxxxxxx", "token", "+35200000000")
    assert channel.name() == "twilio"
    assert isinstance(channel.get_output_channel(), twilio.NumberedTwilioOutput)
    assert channel.blueprint(lambda m: None).name == "twilio_webhook"
