"""No placeholder ever reaches a person: every response said by the request flow and the
advisor, in every language, is rendered with the parameters its call site passes."""
import datetime as dt
import re

import pytest
import yaml

from bot import extraction
from bot.answers import context, router
from bot.request import flow
from tests import test_request_flow as scripted

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@pytest.fixture(scope="module")
def responses():
    with open("domain.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)["responses"]


def variations(responses, name):
    """(language, text) of each variation of a response: the unconditioned one is French."""
    for var in responses[name]:
        lang = "fr"
        for cond in var.get("condition") or ():
            if cond.get("name") == "language":
                lang = cond["value"]
        yield lang, var.get("text") or ""


def render(text, params):
    return PLACEHOLDER.sub(lambda m: str(params[m.group()[1:-1]]) if m.group()[1:-1] in params else m.group(), text)


class Recorder(scripted.Chat):
    """The scripted chats of the flow tests, keeping every response said with its parameters."""

    said_all = []

    def send(self, text, intent=None, confidence=1.0):
        result = super().send(text, intent, confidence)
        Recorder.said_all += [(s.response, s.params) for s in result.say]
        return result


def _play_flows(monkeypatch):
    monkeypatch.setattr(scripted, "Chat", Recorder)
    Recorder.said_all = []
    for name in dir(scripted):
        test = getattr(scripted, name)
        if name.startswith("test_") and callable(test) and not hasattr(test, "pytestmark") \
                and test.__code__.co_argcount == 0:
            test()
    return Recorder.said_all


def _play_advisor():
    said = []
    today = dt.date(2026, 11, 23)
    texts = {
        "fr": ["quel formulaire pour le Maroc ?", "je suis détaché en Allemagne pour 2 ans", "je pars étudier au Québec",
               "carte européenne pour l'Espagne ?", "comment activer eDelivery", "je veux parler à quelqu'un",
               "et pour la Turquie ?", "remboursement des soins aux États-Unis", "oui", "merci"],
        "de": ["welches Formular für Tunesien?", "ich werde nach Frankreich entsandt", "Studium in Kanada",
               "Europäische Krankenversicherungskarte für Italien", "wie aktiviere ich eDelivery",
               "ich möchte mit jemandem sprechen", "und für Bosnien?", "ja", "danke"],
        "en": ["which form for Cape Verde?", "I am posted to Belgium for a year", "studying in Quebec",
               "EHIC for Greece?", "how do I certify my professional space", "can I talk to a person",
               "and for Turkey?", "yes", "thanks"],
    }
    for lang, lines in texts.items():
        for intent in sorted(context.TOPIC_INTENTS | {"greet", "goodbye", "thank", "help", "out_of_scope",
                                                       "human_handoff", "affirm", "deny", "request_certificate"}):
            slots = {"language": lang}
            for text in lines:
                ents = extraction.extract(text, lang, today)
                answer, _ = router.respond(intent, 0.9, ents, slots, lang, text)
                slots.update(answer.slots)
                said += [(s.response, s.params) for s in answer.say]
    return said


def test_no_placeholder_is_left_in_any_language(responses, monkeypatch):
    said = _play_flows(monkeypatch) + _play_advisor()
    assert len({name for name, _ in said}) > 60  # the check covers most of what is said
    problems = set()
    for name, params in said:
        assert name in responses, f"{name} is said but not in domain.yml"
        for lang, text in variations(responses, name):
            left = PLACEHOLDER.findall(render(text, params))
            if left:
                problems.add(f"{name} [{lang}]: {', '.join(left)}")
    assert not problems, "\n".join(sorted(problems))
