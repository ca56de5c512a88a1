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


# --- a request played over the Twilio webhook (issue 17, item 4) ------------------------------

import datetime as _dt

from bot import extraction, payloads, texts
from bot.request import flow


class _Agent:
    """A stub of Rasa's agent behind the webhook: what the actions do with a message (payloads
    taken only when offered in the last turn, bot/payloads.py; then bot.request.flow.step), and the
    domain's responses, buttons included, sent through the channel's output."""

    def __init__(self):
        self.slots = {"language": "fr"}
        self.events = []

    async def __call__(self, message):
        text = message.text
        self.events.append({"event": "user", "text": text})
        parsed = payloads.parse(text)
        if parsed is not None and payloads.accepted(text, self.events):
            intent, ents = parsed
            msg = flow.Message(text, intent, 1.0, [{"entity": k, "value": v} for k, v in ents.items()])
        else:
            msg = flow.Message(text, None, 0.0, extraction.extract(text, "fr", _dt.date(2026, 11, 23)))
        result = flow.step(self.slots, msg, _dt.date(2026, 11, 23))
        self.slots.update(result.slots)
        self.slots["requested_slot"] = result.ask
        for say in result.say:
            var = texts.variation(say.response, "fr")
            body = var["text"].format(**{"cnpd": "cnpd.lu", **say.params})
            buttons = [{"title": b["title"], "payload": b["payload"].format()} for b in var.get("buttons") or []]
            self.events.append({"event": "bot", "text": body, "data": {"buttons": buttons}})
            if buttons:
                await message.output_channel.send_text_with_buttons(message.sender_id, body, buttons)
            else:
                await message.output_channel.send_text_message(message.sender_id, body)


class _Request:
    def __init__(self, form):
        self.form = form
        self.headers = {}
        self.args = {}


def _webhook(channel, agent):
    bp = channel.blueprint(agent)
    route = next(r for r in bp._future_routes if r.uri.endswith("/webhook"))
    return route.handler


def _sms(handler, outbox, body, sender="+352621000001"):
    outbox.clear()
    reply = asyncio.run(handler(_Request({"From": sender, "Body": body, "To": "+35200000000"})))
    assert reply.status == 204
    return "\n".join(m["body"] for m in outbox)


def test_a_request_over_the_twilio_webhook_answered_by_number_and_by_words(monkeypatch):
    outbox = []

    async def send(self, message_data):
        outbox.append(dict(message_data))
        return True

    monkeypatch.setattr(twilio.NumberedTwilioOutput, "_send_message", send)
    channel = twilio.NumberedTwilioInput("ACxxxxxxxx", "token", "+35200000000", debug_mode=True)
    agent = _Agent()
    handler = _webhook(channel, agent)

    said = _sms(handler, outbox, "nous partons en Tunisie du 3 au 20 avril")
    assert agent.slots["requested_slot"] == "consent"
    assert "1. J'accepte" in said and "2. Je refuse" in said and "/affirm" not in said

    said = _sms(handler, outbox, "1")  # the number of "J'accepte": the same as the tap
    assert agent.slots["consent"] is True
    assert agent.slots["requested_slot"] == "fund"
    assert "2. CMFEP – Caisse de maladie des fonctionnaires et employés publics" in said

    said = _sms(handler, outbox, "2")
    assert agent.slots["fund"] == "CMFEP"
    assert agent.slots["requested_slot"] not in ("consent", "fund")


def test_the_words_of_a_choice_are_the_same_as_its_number(monkeypatch):
    outbox = []

    async def send(self, message_data):
        outbox.append(dict(message_data))
        return True

    monkeypatch.setattr(twilio.NumberedTwilioOutput, "_send_message", send)
    agent = _Agent()
    handler = _webhook(twilio.NumberedTwilioInput("ACxxxxxxxx", "token", "+35200000000", debug_mode=True), agent)
    _sms(handler, outbox, "nous partons en Tunisie du 3 au 20 avril", sender="+352621000002")
    _sms(handler, outbox, "j'accepte", sender="+352621000002")
    assert agent.slots["requested_slot"] == "fund"
    _sms(handler, outbox, "cmfec", sender="+352621000002")
    assert agent.slots["fund"] == "CMFEC"
    assert [e["text"] for e in agent.events if e["event"] == "user"][-1] == '/inform{"fund": "CMFEC"}'


def test_choice_words_select_only_one_choice():
    from bot.rasa import channels

    out = channels.render_for_channel([{"text": "?", "buttons": [
        {"title": "CNS – Caisse nationale de santé", "payload": "/a"},
        {"title": "CMFEP – Caisse de maladie", "payload": "/b"},
        {"title": "Je refuse", "payload": "/deny"}]}], "twilio")
    choices, labels = channels.last_choices(out), channels.last_labels(out)
    assert channels.select_choice("cns", choices, labels) == "/a"
    assert channels.select_choice("Je refuse !", choices, labels) == "/deny"
    assert channels.select_choice("caisse", choices, labels) is None  # in two titles: a normal message
    assert channels.select_choice("Tunisie", choices, labels) is None
    assert channels.select_choice("je refuse", choices) is None  # no titles kept: numbers only
