"""The request flow without Rasa: messages go through the real extractor and bot.flow.step."""
import datetime as dt

import pytest

from bot import extraction, flow
from bot.validators import matricule

TODAY = dt.date(2026, 11, 23)
ANNA = matricule.generate("1985-04-12", 123)
LEO = matricule.generate("2014-06-01", 124)
MIA = matricule.generate("2016-02-02", 125)


class Chat:
    """Plays messages against flow.step, keeping the slots like Rasa's tracker would."""

    def __init__(self, lang="fr", **slots):
        self.slots = {"language": lang, **slots}
        self.said = []

    def send(self, text, intent=None, confidence=1.0):
        msg = flow.Message(text, intent, confidence if intent else 0.0,
                           extraction.extract(text, self.slots["language"], TODAY))
        result = flow.step(self.slots, msg, TODAY)
        self.slots.update(result.slots)
        self.slots["requested_slot"] = result.ask
        self.said = [s.response for s in result.say]
        self.params = [s.params for s in result.say]
        self.outcome = result.outcome
        return result

    @property
    def asked(self):
        return self.slots.get("requested_slot")


def fill_requester(chat, lang="fr"):
    answers = {
        "fund": "CNS", "req_matricule": ANNA, "req_last_name": "Dupont", "req_first_name": "Marie",
        "residence": "Luxembourg", "email": "marie.dupont@example.lu",
    }
    while chat.asked in answers or chat.asked == "consent":
        chat.send("oui" if chat.asked == "consent" else answers[chat.asked])


def test_one_sentence_opening_fills_destination_dates_and_mentions_the_son():
    chat = Chat()
    chat.send("nous partons au Maroc du 3 au 20 avril avec notre fils")
    assert chat.slots["destination"] == "MA"
    assert chat.slots["departure"] == "2027-04-03" and chat.slots["return_date"] == "2027-04-20"
    assert chat.slots["mentioned"] == ["son"]
    assert chat.asked == "consent" and chat.said[-1] == "utter_q_consent"
    fill_requester(chat)
    assert chat.asked == "more_people" and chat.said[-1] == "utter_q_more_people_mentioned"
    assert chat.params[-1]["who"] == "votre fils"
    chat.send("oui")
    assert chat.asked == "insured_status"
    chat.send("je suis l'assurée principale")
    assert chat.asked == "p_matricule"
    chat.send(LEO)
    chat.send("Dupont")
    chat.send("Léo")
    assert chat.asked == "p_same_trip"
    chat.send("oui")
    assert "utter_person_added" in chat.said
    assert chat.asked == "more_people"
    chat.send("non")
    assert chat.asked == "confirm"
    assert chat.said[:2] == ["utter_summary_requester", "utter_summary_person"]
    assert chat.said.count("utter_summary_person") == 2
    chat.send("oui")
    assert chat.outcome == "submit"
    persons = flow.dossier_persons(chat.slots)
    assert [p["matricule"] for p in persons] == [ANNA, LEO]
    assert {p["destination"] for p in persons} == {"MA"}
    assert {(p["departure"], p["return_date"]) for p in persons} == {("2027-04-03", "2027-04-20")}


def test_step_by_step_in_german_with_numeric_dates():
    chat = Chat("de")
    chat.send("Ich möchte die Bescheinigung beantragen")
    assert chat.asked == "consent"
    chat.send("ja")
    fill_requester(chat)
    assert chat.asked == "destination"
    chat.send("Tunesien")
    assert chat.asked == "dates"
    chat.send("vom 23.12.2026 bis 06.01.2027")
    assert (chat.slots["departure"], chat.slots["return_date"]) == ("2026-12-23", "2027-01-06")
    assert chat.asked == "more_people"


def test_refused_answers_say_why_and_keep_what_was_given():
    chat = Chat("en")
    chat.send("I need the certificate for a trip to Cape Verde")
    chat.send("yes")
    chat.send("my identification number is 1901010154321")
    assert chat.said[0].startswith("utter_invalid_matricule_")
    assert chat.slots["destination"] == "CV"
    chat.send("CNS")
    chat.send("123")
    assert chat.said[0] == "utter_invalid_matricule_format" or chat.said[0].startswith("utter_invalid_matricule")
    assert chat.asked == "req_matricule"
    chat.send(ANNA)
    assert chat.slots["req_matricule"] == ANNA and chat.asked == "req_last_name"
    chat.send("Smith")
    chat.send("John")
    chat.send("Luxembourg")
    chat.send("john.smith@")
    assert chat.said[0] == "utter_invalid_email" and chat.asked == "email"
    chat.send("john.smith@example.com")
    assert chat.asked == "dates"
    chat.send("from December 20, 2026 to December 10, 2026")
    assert "utter_invalid_return_before_departure" in chat.said
    assert chat.slots["departure"] == "2026-12-20" and chat.slots.get("return_date") is None
    assert chat.asked == "return_date"
    chat.send("January 3, 2027")
    assert chat.slots["return_date"] == "2027-01-03"


def test_departure_in_the_past_is_refused():
    chat = Chat()
    chat.send("je voudrais l'attestation pour la Turquie")
    chat.send("oui")
    fill_requester(chat)
    chat.send("du 1er novembre 2026 au 20 novembre 2026")
    assert "utter_invalid_departure_past" in chat.said and chat.asked == "dates"


@pytest.mark.parametrize("text,outcome_response", [
    ("Je pars au Portugal, il me faut l'attestation", "utter_request_not_this_procedure"),
    ("je voudrais l'attestation pour la Thaïlande", "utter_request_not_this_procedure"),
])
def test_destinations_outside_the_procedure_stop_the_form(text, outcome_response):
    chat = Chat()
    chat.send(text)
    assert chat.outcome == "redirect"
    assert outcome_response in chat.said
    assert chat.asked is None


def test_quebec_asks_whether_it_is_for_studies():
    chat = Chat()
    chat.send("il me faut l'attestation pour le Québec")
    chat.send("oui")
    fill_requester(chat)
    assert chat.asked == "purpose"
    chat.send("non, ce sont des vacances")
    assert chat.outcome == "redirect"


def test_posted_worker_is_redirected():
    chat = Chat()
    chat.send("mon employeur me détache en Tunisie, je voudrais l'attestation")
    assert chat.outcome == "redirect"


def test_corrections_at_any_point():
    chat = Chat()
    chat.send("je pars en Tunisie du 3 au 20 avril")
    chat.send("oui")
    fill_requester(chat)
    assert chat.asked == "more_people"
    chat.send("non, le retour c'est le 22")
    assert chat.slots["return_date"] == "2027-04-22"
    assert "utter_noted_change" in chat.said
    chat.send("non")
    assert chat.asked == "confirm"
    chat.send("en fait mon e-mail est marie@autre.lu", intent="correct")
    assert chat.slots["email"] == "marie@autre.lu"
    assert chat.asked == "confirm" and "utter_summary_requester" in chat.said


def test_cancel_at_any_point():
    chat = Chat()
    chat.send("je voudrais l'attestation pour la Tunisie")
    chat.send("oui")
    chat.send("annulez", intent="cancel")
    assert chat.outcome == "cancel" and "utter_request_cancelled" in chat.said


def test_coinsured_requester_cannot_add_a_spouse_but_can_add_a_child():
    chat = Chat()
    chat.send("je voudrais l'attestation pour la Tunisie du 3 au 20 avril")
    chat.send("oui")
    fill_requester(chat)
    chat.send("oui")
    chat.send("je suis coassurée")
    chat.send(LEO)
    chat.send("Dupont")
    chat.send("Paul")
    assert chat.asked == "p_relation"
    chat.send("c'est mon mari")
    assert "utter_cannot_request_for_person" in chat.said
    assert chat.asked == "more_people"
    chat.send("oui")
    chat.send(MIA)
    chat.send("Dupont")
    chat.send("Mia")
    chat.send("ma fille")
    chat.send("oui")
    assert [p["first_name"] for p in chat.slots["persons"]] == ["Mia"]


def test_a_person_with_another_trip():
    chat = Chat("en")
    chat.send("I'd like to apply for the certificate for Turkey from 3 to 20 April")
    chat.send("yes")
    fill_requester(chat)
    chat.send("yes")
    chat.send("I am the main insured person")
    chat.send(LEO)
    chat.send("Smith")
    chat.send("Leo")
    chat.send("no")
    assert chat.asked == "p_destination"
    chat.send("Tunisia")
    chat.send("from 5 to 15 April")
    person = chat.slots["persons"][0]
    assert (person["destination"], person["departure"], person["return_date"]) == ("TN", "2027-04-05", "2027-04-15")


def test_non_resident_is_asked_for_the_household_certificate():
    chat = Chat()
    chat.send("je voudrais l'attestation pour la Tunisie du 3 au 20 avril")
    chat.send("oui")
    answers = {"fund": "CNS", "req_matricule": ANNA, "req_last_name": "Dupont", "req_first_name": "Marie",
               "residence": "France", "email": "marie.dupont@example.fr"}
    while chat.asked in answers:
        chat.send(answers[chat.asked])
    assert chat.slots["residence"] == "FR"
    chat.send("non")
    assert chat.asked == "attachments"
    chat.send("je l'enverrai plus tard")
    assert chat.asked == "confirm"
    assert chat.slots["attachments"][0]["type"] == "household_composition"


def test_duplicate_person_is_refused():
    chat = Chat()
    chat.send("je voudrais l'attestation pour la Tunisie du 3 au 20 avril")
    chat.send("oui")
    fill_requester(chat)
    chat.send("oui")
    chat.send("assuré principal")
    chat.send(ANNA)
    assert "utter_person_already_added" in chat.said and chat.asked == "p_matricule"


def test_authenticated_requester_is_not_asked_and_can_keep_it_for_later():
    chat = Chat("fr", authenticated=True, req_matricule=ANNA, req_first_name="Marie", req_last_name="Dupont")
    chat.send("je voudrais l'attestation pour la Turquie du 3 au 20 avril")
    chat.send("oui")
    asked = []
    answers = {"fund": "CNS", "residence": "Luxembourg", "email": "marie@example.lu", "more_people": "non"}
    while chat.asked in answers:
        asked.append(chat.asked)
        chat.send(answers[chat.asked])
    assert asked == ["fund", "residence", "email", "more_people"]
    assert chat.asked == "confirm"
    chat.send("je transmettrai plus tard")
    assert chat.outcome == "later" and "utter_request_kept_for_later" in chat.said
    chat.slots["requested_slot"] = None
    chat.send("je veux transmettre ma demande")
    assert chat.asked == "confirm" and "utter_summary_requester" in chat.said


def test_an_uploaded_certificate_is_attached():
    chat = Chat()
    chat.send("je voudrais l'attestation pour la Tunisie du 3 au 20 avril")
    chat.send("oui")
    answers = {"fund": "CNS", "req_matricule": ANNA, "req_last_name": "Dupont", "req_first_name": "Marie",
               "residence": "Belgique", "email": "marie.dupont@example.be", "more_people": "non"}
    while chat.asked in answers:
        chat.send(answers[chat.asked])
    assert chat.asked == "attachments"
    msg = flow.Message("/inform", "inform", 1.0,
                       [{"entity": "upload", "value": {"id": "u1", "name": "menage.pdf", "size": 1234}}])
    result = flow.step(chat.slots, msg, TODAY)
    assert result.ask == "confirm"
    assert result.slots["attachments"] == [{"id": "u1", "name": "menage.pdf", "size": 1234,
                                            "type": "household_composition", "status": "received"}]


@pytest.mark.parametrize("lang,opening,yes,correction", [
    ("de", "ich fahre vom 3. bis 20. Januar nach Tunesien", "ja", "Rückkehr nicht am 20., sondern am 22. Januar"),
    ("fr", "je pars en Tunisie du 3 au 20 janvier", "oui", "non, le retour c'est le 22 janvier, pas le 20"),
    ("en", "I go to Tunisia from 3 to 20 January", "yes", "the return is on 22 January, not the 20th"),
])
def test_a_correction_that_names_the_wrong_day_keeps_the_right_one(lang, opening, yes, correction):
    chat = Chat(lang)
    chat.send(opening)
    chat.send(yes)
    fill_requester(chat)
    chat.send(correction)
    assert chat.slots["departure"] == "2027-01-03" and chat.slots["return_date"] == "2027-01-22"


@pytest.mark.parametrize("lang,opening,answer", [
    ("fr", "je pars en Tunisie le 3 janvier", "le 20"),
    ("de", "ich fahre am 3. Januar nach Tunesien", "am 20."),
    ("en", "I go to Tunisia on 3 January", "the 20th"),
])
def test_a_bare_day_as_return_date_is_in_the_month_of_departure(lang, opening, answer):
    chat = Chat(lang)
    chat.send(opening)
    chat.send({"fr": "oui", "de": "ja", "en": "yes"}[lang])
    fill_requester(chat)
    assert chat.asked == "return_date"
    chat.send(answer)
    assert chat.slots["return_date"] == "2027-01-20"


@pytest.mark.parametrize("text,expected", [("👍", True), ("👎", False), ("🙃", None)])
def test_thumbs_answer_yes_no(text, expected):
    assert flow.yes_no(flow.Message(text, "out_of_scope", 1.0, [])) is expected
