"""Situations found by the third evaluation set (tests/scenarios/unseen/questions3_*.yml), each
checked in the three languages with the entities the rule-based extractor gives: a country
without convention and a paid bill, a country named for comparison, a thanks that asks
something, a yes/no that names a country, how early to ask, a holiday that is no posting, a
student no longer co-insured, the identification number asked in SMS style, a relative's home."""
from __future__ import annotations

import datetime as dt

import pytest

from bot import countries, extraction, language
from bot.answers import router

TODAY = dt.date(2026, 12, 6)


def turn(intent, lang, text, slots=None, confidence=0.9):
    entities = [e for e in extraction.extract(text, lang, TODAY) if e.get("entity") != "language"]
    ans, start = router.respond(intent, confidence, entities, dict(slots or {}, language=lang), lang, text)
    return [s.response for s in ans.say], ans.slots, start


@pytest.mark.parametrize("lang,text", [
    ("de", "Mein Mann muss in New York ins Krankenhaus, wir haben alles selbst bezahlt. Kriegen wir das von der CNS zurück?"),
    ("en", "My wife was in hospital in New York, we paid everything ourselves. Does the CNS pay us back?"),
    ("fr", "Mon mari a été hospitalisé à New York, on a tout payé nous-mêmes. La CNS nous rembourse ?"),
])
def test_a_bill_paid_in_a_country_without_convention_is_reimbursed_at_luxembourg_rates(lang, text):
    said, slots, _ = turn("ask_reimbursement", lang, text)
    assert said[:2] == ["utter_advice_no_convention", "utter_advice_costs_abroad"], said
    assert "utter_topic_posting_third_party" not in said and slots["context_country"] == "US"


def test_a_hospital_bill_in_a_country_without_convention_after_it_was_named():
    said, _, _ = turn("ask_reimbursement", "de", "und wenn ich da ins krankenhaus muss, bekomm ich das geld zurück?",
                      {"context_country": "TH", "context_topic": "ask_form"})
    assert said[0] == "utter_advice_costs_abroad" and "utter_topic_posting_third_party" not in said
    # a posting keeps its third-party payment answer
    said, _, _ = turn("ask_reimbursement", "fr", "détaché en Tunisie, l'hôpital, est-ce en tiers payant ?")
    assert "utter_topic_posting_third_party" in said


@pytest.mark.parametrize("lang,text,code", [
    ("en", "I go to Thailand in January. Is there an attestation like for Turkey?", "TH"),
    ("en", "Brazil in May: same as for Morocco, a form?", "BR"),
    ("de", "Wir machen im Februar Rundreise durch Thailand. Gibt es da eine Bescheinigung wie für die Türkei?", "TH"),
    ("de", "Gibt es so wie bei der Türkei auch etwas für Japan?", "JP"),
    ("fr", "On part au Brésil, il faut une attestation comme pour la Turquie ?", "BR"),
    ("fr", "Pour le Japon c'est pareil que pour le Maroc ?", "JP"),
])
def test_a_country_named_for_comparison_is_not_the_one_asked_about(lang, text, code):
    said, slots, start = turn("ask_form", lang, text)
    assert slots["context_country"] == code and said[0] == "utter_advice_no_convention" and not start, said


def test_the_follow_up_on_the_bill_stays_with_the_country_asked_about():
    said, slots, _ = turn("nlu_fallback", "en", "I go to Thailand in January. Is there an attestation like for Turkey?",
                          confidence=0.1)
    said, slots, _ = turn("ask_reimbursement", "en", "ok and if I end up in hospital in Bangkok, what happens with the bill?",
                          slots)
    assert said[0] == "utter_advice_costs_abroad" and slots["context_country"] == "TH"  # "no convention" said once


def test_an_ordinary_word_before_a_form_word_is_the_country():
    assert [m.code for m in countries.find("turkey form name?? thx")] == ["TR"]
    assert countries.find("we eat turkey for christmas") == [] and countries.find("roast turkey recipe") == []


@pytest.mark.parametrize("lang,text,code", [
    ("en", "turkey form name?? thx", "TR"),
    ("fr", "merci, et pour la Tunisie ?", "TN"),
    ("de", "danke! und für Marokko?", "MA"),
])
def test_a_thanks_with_a_country_or_a_question_is_answered(lang, text, code):
    said, slots, _ = turn("thank", lang, text, confidence=0.66)
    assert "utter_chat_thank" not in said and slots.get("context_country") == code, said
    said, _, _ = turn("thank", lang, {"en": "thanks a lot!", "fr": "merci beaucoup", "de": "vielen Dank"}[lang])
    assert said == ["utter_chat_thank"]


@pytest.mark.parametrize("intent,lang,text,code", [
    ("affirm", "fr", "et si on continue jusqu'à Ohrid en Macédoine du Nord ?", "MK"),
    ("affirm", "en", "yes and then on to Serbia?", "RS"),
    ("deny", "de", "nein, wir fahren nach Montenegro weiter?", "ME"),
])
def test_a_message_with_a_country_is_no_bare_yes_or_no(intent, lang, text, code):
    slots = {"context_country": "ME" if code != "ME" else "RS", "context_topic": "ask_form"}
    said, out, _ = turn(intent, lang, text, slots, confidence=0.66)
    assert said[0] == "utter_advice_ehic" and out["context_country"] == code, said


@pytest.mark.parametrize("text,lang", [
    ("and skiing in Zermatt, Switzerland?", "en"),
    ("und Skifahren in Zermatt, Schweiz?", "de"),
    ("et le ski à Zermatt en Suisse ?", "fr"),
])
def test_a_place_name_does_not_switch_the_language(text, lang):
    assert language.decide("en" if lang != "en" else "de", text) == lang
    assert language.detect(text).lang == lang


@pytest.mark.parametrize("lang,text", [
    ("en", "How far ahead of the trip must the Cape Verde certificate be requested?"),
    ("en", "how early do I need to ask?"),
    ("fr", "Combien de temps à l'avance dois-je demander l'attestation pour le Cap-Vert ?"),
    ("de", "Wie lange vorher muss ich die Bescheinigung für Kap Verde beantragen?"),
    ("de", "wie früh muss ich das machen?"),
])
def test_how_early_to_ask_gets_the_lead_time(lang, text):
    said, _, _ = turn("ask_delivery", lang, text, {"context_country": "CV", "context_topic": "ask_form"})
    assert "utter_advice_lead_time" in said, said


@pytest.mark.parametrize("lang,text,code", [
    ("fr", "Semaine de ski à Verbier : en cas d'accident en Suisse je montre quoi ?", "CH"),
    ("de", "Skiurlaub in Österreich: was zeige ich bei einem Unfall vor?", "AT"),
    ("en", "Skiing holiday in Austria, what do I show after an accident?", "AT"),
])
def test_a_holiday_is_a_stay_never_a_posting(lang, text, code):
    said, slots, _ = turn("ask_posting", lang, text, confidence=0.48)
    assert said[0] == "utter_advice_ehic" and slots["context_country"] == code, said
    # said during a posting, an accident stays a posting question
    said, _, _ = turn("ask_form", "en", "and if I have an accident in Austria?",
                      {"context_country": "DE", "context_topic": "ask_posting", "context_profile": "posting"})
    assert said[0] == "utter_advice_posting_intro"


@pytest.mark.parametrize("lang,text", [
    ("fr", "Je suis étudiant, résident au Luxembourg, mes parents ne me déclarent plus comme coassuré. Je dois m'affilier moi-même ?"),
    ("de", "Ich bin Student und wohne in Luxemburg, meine Eltern haben mich nicht mehr mitversichert. Muss ich mich selbst versichern?"),
    ("en", "I'm a student living in Luxembourg and I'm no longer co-insured through my parents. Do I have to insure myself?"),
])
def test_a_student_no_longer_coinsured_gets_the_own_affiliation(lang, text):
    said, _, _ = turn("ask_student", lang, text)
    assert said[:2] == ["utter_topic_student_voluntary", "utter_topic_student_compulsory"], said


@pytest.mark.parametrize("intent,lang,text", [
    ("correct", "fr", "jtrouve pas mon matricule a 13 chiffres il est ou ??"),
    ("inform", "de", "wo steht meine Nummer mit 13 Ziffern?"),
    ("ask_contact", "en", "cant find my id number where is it"),
])
def test_where_is_my_number_in_sms_style(intent, lang, text):
    said, _, _ = turn(intent, lang, text)
    assert said == ["utter_topic_id_number"]


def test_a_relative_lives_there_so_it_is_the_destination():
    said, slots, _ = turn("ask_form", "fr", "Ma belle-mère habite à Skopje en Macédoine du Nord, nous allons la voir. "
                                            "Quelle couverture maladie ?")
    assert said[0] == "utter_advice_ehic" and slots["context_country"] == "MK"
    said, slots, _ = turn("ask_form", "fr", "j'habite en Belgique et on part au Maroc, quel formulaire ?")
    assert slots["context_country"] == "MA"


def test_an_employer_sending_someone_abroad_is_a_posting_and_anything_else_to_send_is_an_attachment():
    said, _, _ = turn("ask_form", "en", "My company in Luxembourg is sending me to a client in Düsseldorf for about a year "
                                        "and a half. What document do I need for social security?", confidence=0.55)
    assert said[0] == "utter_advice_posting_intro"
    said, _, _ = turn("ask_form", "en", "since I don't live in Luxembourg, do I need to send anything else with it?",
                      {"context_country": "TN", "context_topic": "ask_form"})
    assert said[0] == "utter_topic_household_certificate"


def test_a_thanks_with_a_question_after_an_offer_is_no_yes_but_a_plain_yes_with_a_country_still_is():
    slots = {"context_country": "MA", "context_topic": "ask_form", "pending_offer": "request"}
    said, out, start = turn("thank", "de", "ok danke, und für Tunesien?", slots, confidence=0.5)
    assert not start and said[0] == "utter_advice_convention" and out["context_country"] == "TN"
    said, out, start = turn("affirm", "de", "ja, für Tunesien", slots, confidence=0.82)
    assert start and out["destination"] == "TN"


def test_a_holiday_word_beside_a_posting_is_still_a_posting():
    said, _, _ = turn("ask_posting", "fr", "vacances au Portugal, je suis détaché par mon employeur là-bas, quel document ?",
                      confidence=0.6)
    assert said[0] == "utter_advice_posting_intro"


def test_i_would_like_is_no_comparison():
    said, slots, _ = turn("ask_form", "en", "I would like for Morocco the form, we drive through Spain")
    assert slots["context_country"] == "MA"


def test_a_country_driven_through_is_not_the_destination():
    from bot import extraction
    from bot.answers import router
    import datetime as dt

    for lang, text in [("de", "Hallo, ich fahre mit dem Auto über Spanien nach Marokko und brauche den Schein."),
                       ("fr", "on va au Maroc en passant par l'Espagne, il faut quoi ?"),
                       ("en", "we drive to Morocco via Spain, what do we need?")]:
        ents = extraction.extract(text, lang, dt.date(2026, 12, 6))
        ans, _ = router.respond("ask_form", 0.9, ents, {"language": lang}, lang, text)
        assert ans.say[0].response == "utter_advice_convention", lang


@pytest.mark.parametrize("intent", ["ask_form", "ask_ehic", "request_certificate"])
def test_where_the_person_works_is_no_destination_of_a_question(intent):
    said, _, _ = turn(intent, "fr", "Bonjour, j'habite à Ottange et je bosse au Luxembourg. Je voudrais faire la demande "
                                    "d'attestation de séjour temporaire pour mon mari et moi.")
    assert "utter_advice_home" not in said
