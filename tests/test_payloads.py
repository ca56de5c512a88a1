"""Issue 15, finding 2: `/intent{json}` is taken as such only when the assistant offered it,
and entity values reach the request flow only as texts (bot/payloads.py, actions._message)."""
from __future__ import annotations

from rasa_sdk import Tracker

from bot import payloads

FUNDS = [{"title": "CNS", "payload": '/inform{"fund": "CNS"}'},
         {"title": "CMFEP", "payload": '/inform{"fund": "CMFEP"}'}]
YES_NO = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]


def _events(*turns):
    """[(bot buttons, user text), ...] as the tracker's events (dicts)."""
    events = [{"event": "action", "name": "action_listen"}]
    for buttons, text in turns:
        events.append({"event": "bot", "text": "?", "data": {"buttons": buttons}})
        events.append({"event": "action", "name": "action_listen"})
        if text is not None:
            events.append({"event": "user", "text": text, "parse_data": {}})
    return events


def test_parse():
    assert payloads.parse('/inform{"fund": "CNS"}') == ("inform", {"fund": "CNS"})
    assert payloads.parse("/affirm") == ("affirm", {})
    assert payloads.parse("/inform[1]") is None
    assert payloads.parse('/inform{"a": ') is None and payloads.parse("/inform{}x") is None
    assert payloads.parse("bonjour") is None and payloads.parse(None) is None


def test_only_the_buttons_of_the_last_turn_are_accepted():
    events = _events((YES_NO, "oui"), (FUNDS, '/inform{"fund":"CNS"}'))
    assert payloads.offered(events) == [b["payload"] for b in FUNDS]
    assert payloads.accepted('/inform{"fund":"CNS"}', events)          # spacing does not matter
    assert payloads.accepted('/inform{"fund": "CMFEP"}', events)
    assert not payloads.accepted('/inform{"fund": "EVIL<b>"}', events)
    assert not payloads.accepted('/inform{"fund": "CNS", "residence": "ZZ"}', events)
    assert not payloads.accepted("/affirm", events)                    # offered one turn earlier only
    assert not payloads.accepted('/inform{"person_name": "<img src=x onerror=alert(1)> {{7*7}}"}', events)
    assert not payloads.accepted('/inform{"fund": "CNS"}', [])         # nothing offered yet


def test_the_upload_notice_of_the_chat_page_needs_no_button():
    assert payloads.accepted('/inform{"upload_id": "abc"}', [])
    assert not payloads.accepted('/inform{"upload_id": "abc", "fund": "X"}', [])
    assert not payloads.accepted('/affirm{"upload_id": "abc"}', [])


def test_values_that_are_not_texts_are_dropped():
    ents = [{"entity": "fund", "value": "CNS"}, {"entity": "person_name", "value": 7},
            {"entity": "country", "value": ["MA"]}, {"entity": "email", "value": {"a": 1}},
            {"entity": "date", "value": None}, {"entity": "req_last_name", "value": "x" * 5000},
            {"entity": 3, "value": "x"}, "junk"]
    assert payloads.clean_entities(ents) == [{"entity": "fund", "value": "CNS"}]


def _tracker(text, entities, events, intent="inform"):
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities}
    return Tracker("s-1", {}, latest, events + [{"event": "user", "text": text, "parse_data": latest}],
                   False, None, {}, "action_listen")


def test_actions_read_an_unoffered_payload_as_plain_text():
    from actions.actions import _message

    events = _events((FUNDS, None))
    evil = _message(_tracker('/inform{"person_name": "<img src=x onerror=alert(1)>"}',
                             [{"entity": "person_name", "value": "<img src=x onerror=alert(1)>"}], events))
    assert evil.intent is None and evil.entities == [] and evil.confidence == 0.0
    fund = _message(_tracker('/inform{"fund": "EVIL<b>"}', [{"entity": "fund", "value": "EVIL<b>"}], events))
    assert fund.intent is None and fund.entities == []
    good = _message(_tracker('/inform{"fund": "CNS"}', [{"entity": "fund", "value": "CNS"}], events))
    assert good.intent == "inform" and good.entities == [{"entity": "fund", "value": "CNS"}]
    typed = _message(_tracker("je suis à la CNS", [{"entity": "fund", "value": "CNS"},
                                                   {"entity": "number", "value": 42}], events))
    assert typed.entities == [{"entity": "fund", "value": "CNS"}]


def test_a_button_offered_by_the_domain_is_accepted_as_rasa_stores_it():
    """The domain writes payloads with doubled braces; the bot event holds them formatted."""
    from rasa.shared.core.domain import Domain

    domain = Domain.load("domain.yml")
    buttons = [{"title": b["title"], "payload": b["payload"].replace("{{", "{").replace("}}", "}")}
               for b in domain.responses["utter_q_fund"][0]["buttons"]]
    assert payloads.accepted('/inform{"fund": "CNS"}', _events((buttons, None)))


def test_a_language_slot_set_by_a_payload_is_put_back():
    """Rasa fills the `language` slot from a payload's entity before any action runs."""
    from actions.actions import _lang, _language_fix

    events = [{"event": "slot", "name": "language", "value": "de"},
              {"event": "slot", "name": "language", "value": "<b>xx"}]
    assert payloads.valid_language("<b>xx", events) == "de"
    assert payloads.valid_language("zz", []) == "fr"
    assert payloads.valid_language("en", events) is None and payloads.valid_language(None, events) is None
    tracker = Tracker("s-1", {"language": "<b>xx"}, {"text": "/inform"}, events, False, None, {}, "action_listen")
    assert _lang(tracker) == "de" and _language_fix(tracker) == [{"event": "slot", "timestamp": None,
                                                                 "name": "language", "value": "de"}]
