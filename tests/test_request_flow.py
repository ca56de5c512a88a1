"""The request flow without Rasa: messages go through the real extractor and bot.request.flow.step."""
import datetime as dt

import pytest

from bot import extraction
from bot.request import flow
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


def test_one_sentence_opening_fills_destination_dates_and_the_son():
    chat = Chat()
    chat.send("nous partons au Maroc du 3 au 20 avril avec notre fils")
    assert chat.slots["destination"] == "MA"
    assert chat.slots["departure"] == "2027-04-03" and chat.slots["return_date"] == "2027-04-20"
    assert [p["label"] for p in chat.slots["persons"]] == ["son"]
    assert chat.slots["requester_travels"] is True
    assert chat.asked == "consent" and chat.said[-1] == "utter_q_consent"
    fill_requester(chat)
    assert chat.asked == "p_matricule" and chat.params[-1]["who"] == "votre fils"
    chat.send(LEO)
    chat.send("Dupont")
    chat.send("Léo")
    assert chat.asked == "insured_status"  # before the relation is checked against it
    chat.send("je suis l'assurée principale")
    assert chat.asked == "p_same_trip"
    chat.send("oui")
    assert "utter_person_added" in chat.said
    assert chat.asked == "more_people"
    chat.send("non")
    assert chat.asked == "confirm"
    assert chat.said[:1] == ["utter_summary_requester"]
    assert chat.said.count("utter_summary_person") == 2
    chat.send("oui")
    assert chat.outcome == "submit"
    persons = flow.dossier_persons(chat.slots)
    assert [(p["matricule"], p["relation"]) for p in persons] == [(ANNA, "self"), (LEO, "child")]
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
    chat.send("December 20, 2026")
    assert chat.asked == "return_date"
    chat.send("December 10, 2026")  # a return alone before the departure: refused, the departure kept
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
    # what applies is said, and the destination is asked again: nothing given is lost
    assert chat.outcome is None and "utter_destination_not_this_procedure" in chat.said
    assert chat.asked == "destination" and chat.slots["req_matricule"] == ANNA


def test_who_may_use_the_online_request_is_data():
    # a posting to Tunisia: the form T/L is requested like any stay (posted-worker page, regimes.yml)
    chat = Chat()
    chat.send("mon employeur me détache en Tunisie, je voudrais l'attestation")
    assert chat.outcome is None and chat.slots["destination"] == "TN" and chat.slots["profile"] == "posting"
    # a posting to Quebec: the worker asks the CNS for LUX QUE 4, filed here (regimes.yml, CA-QC)
    chat = Chat()
    chat.send("mon employeur me détache au Québec, je voudrais l'attestation")
    assert chat.outcome is None and chat.slots["destination"] == "CA-QC"
    # a holiday in Quebec: not covered, redirected
    chat = Chat()
    chat.send("je pars en vacances au Québec, je voudrais l'attestation")
    assert chat.outcome == "redirect"


def test_corrections_at_any_point():
    chat = Chat()
    chat.send("je pars en Tunisie du 3 au 20 avril")
    chat.send("oui")
    fill_requester(chat)
    assert chat.asked == "more_people"
    chat.send("non, le retour c'est le 22")
    assert chat.slots["return_date"] == "2027-04-22"
    assert chat.said[0] == "utter_changed_return"
    assert (chat.params[0]["old"], chat.params[0]["new"]) == ("20 avril 2027", "22 avril 2027")
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
    assert chat.asked == "p_relation"  # every person's relation is stored in the dossier
    chat.send("he is my son")
    assert chat.asked == "p_same_trip"
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


# ---------------------------------------------------------------- the request as people really make it

JOAO = matricule.generate("2012-05-05", 126)


def to_summary(chat, persons=(), lang="fr"):
    """Answer every question until the summary; `persons`: (matricule, last, first, relation, same)."""
    yes, no = {"fr": ("oui", "non"), "de": ("ja", "nein"), "en": ("yes", "no")}[lang]
    queue = list(persons)
    current = None
    for _ in range(60):
        asked = chat.asked
        if asked == "confirm":
            return
        if asked in ("consent", "requester_travels"):
            chat.send(yes)
        elif asked in ("fund", "req_matricule", "req_last_name", "req_first_name", "residence", "email"):
            chat.send({"fund": "CNS", "req_matricule": ANNA, "req_last_name": "Dupont", "req_first_name": "Marie",
                       "residence": "Luxembourg", "email": "marie.dupont@example.lu"}[asked])
        elif asked == "insured_status":
            chat.send({"fr": "assurée principale", "de": "hauptversichert", "en": "main insured"}[lang])
        elif asked == "more_people":
            chat.send(yes if queue else no)
        elif asked == "p_matricule":
            current = queue.pop(0)
            chat.send(current[0])
        elif asked == "p_last_name":
            chat.send(current[1])
        elif asked == "p_first_name":
            chat.send(current[2])
        elif asked == "p_relation":
            chat.send(current[3])
        elif asked == "p_same_trip":
            chat.send(yes if current[4] else no)
        elif asked == "attachments":
            chat.send("plus tard")
        else:
            raise AssertionError(f"unexpected question {asked}")
    raise AssertionError("no summary")


def test_where_they_live_and_where_they_go_in_one_breath():
    chat = Chat()
    chat.send("je suis frontalier, j'habite à Thionville, on part en Turquie du 3 au 20 avril")
    assert (chat.slots["residence"], chat.slots["destination"]) == ("FR", "TR")
    to_summary(chat)
    assert "utter_summary_attachments" in chat.said  # a non-resident sends the household certificate


def test_residence_answer_then_destination_answer():
    chat = Chat("en")
    chat.send("I need the certificate")
    for text in ("yes", "CNS", ANNA, "Dupont", "Marie"):
        chat.send(text)
    assert chat.asked == "residence"
    chat.send("i live in esch")
    chat.send("marie.dupont@example.lu")
    assert chat.asked == "destination"
    chat.send("cape verde")
    assert (chat.slots["residence"], chat.slots["destination"]) == ("LU", "CV")


@pytest.mark.parametrize("lang, text, count", [
    ("fr", "pour moi et mes trois enfants, au Maroc du 3 au 20 avril", 3),
    ("fr", "nous partons en Tunisie avec nos 2 enfants du 3 au 20 avril", 2),
    ("de", "ich fliege mit meinen zwei Kindern vom 3. bis 20. April nach Tunesien", 2),
    ("en", "me and my daughters are going to Morocco from 3 to 20 April", 1),  # then "anyone else?"
])
def test_every_person_announced_is_asked_for(lang, text, count):
    chat = Chat(lang)
    chat.send(text)
    assert len(chat.slots["persons"]) == count
    assert all(p["relation"] == "child" for p in chat.slots["persons"])


def family_at_summary(lang="en"):
    chat = Chat(lang)
    chat.send({"en": "we go to Tunisia from 3 to 20 April with our son and our daughter",
               "de": "wir fliegen vom 3. bis 20. April mit unserem Sohn und unserer Tochter nach Tunesien",
               "fr": "nous partons en Tunisie du 3 au 20 avril avec notre fils et notre fille"}[lang])
    to_summary(chat, [(JOAO, "Silva", "Joao", None, True), (MIA, "Silva", "Maria", None, True)], lang)
    return chat


def test_a_change_at_the_summary_is_made_for_that_person_only_and_told():
    chat = family_at_summary()
    chat.send("joao's dates are wrong, he goes 10 april to 24 april")
    persons = {p["first_name"]: p for p in flow.dossier_persons(chat.slots)}
    assert (persons["Joao"]["departure"], persons["Joao"]["return_date"]) == ("2027-04-10", "2027-04-24")
    assert (persons["Maria"]["departure"], persons["Maria"]["return_date"]) == ("2027-04-03", "2027-04-20")
    assert (persons["Marie"]["departure"], persons["Marie"]["return_date"]) == ("2027-04-03", "2027-04-20")
    assert chat.said[:2] == ["utter_changed_departure_of", "utter_changed_return_of"]
    assert chat.params[0] == {"old": "April 3, 2027", "new": "April 10, 2027", "who": "Joao"} or \
        chat.params[0]["who"] == "Joao"
    assert "utter_summary_requester" in chat.said and chat.asked == "confirm"


def test_a_daughter_staying_a_week_longer():
    chat = family_at_summary("de")
    chat.send("meine Tochter bleibt eine Woche länger")
    persons = {p["first_name"]: p for p in flow.dossier_persons(chat.slots)}
    assert persons["Maria"]["return_date"] == "2027-04-27"
    assert persons["Joao"]["return_date"] == "2027-04-20"


def test_everyone_goes_elsewhere_same_dates():
    chat = family_at_summary()
    chat.send("we changed plans, we go to morocco not tunisia")
    assert {p["destination"] for p in flow.dossier_persons(chat.slots)} == {"MA"}
    assert chat.said[0] == "utter_changed_destination"
    assert (chat.params[0]["old"], chat.params[0]["new"]) == ("Tunisia", "Morocco")


def test_persons_are_added_and_removed_at_the_summary():
    chat = family_at_summary("fr")
    chat.send("il faut aussi ajouter ma fille emma")
    assert chat.slots["persons"][-1]["label"] == "daughter" and chat.asked == "p_matricule"
    assert chat.said[0] == "utter_person_to_add"
    chat.send("enlever Joao")
    assert "utter_person_removed" in chat.said
    assert [p["first_name"] for p in chat.slots["persons"]] == ["Maria", None]


def test_remove_me_from_the_list():
    chat = family_at_summary()
    chat.send("remove me from the list")
    assert chat.slots["requester_travels"] is False
    assert [p["first_name"] for p in flow.dossier_persons(chat.slots)] == ["Joao", "Maria"]
    assert "utter_requester_not_travelling" in chat.said


def test_the_person_filling_in_need_not_travel():
    chat = Chat("en")
    chat.send("i need the certificate for Turkey from 3 to 20 April. i am not travelling. only my son")
    assert chat.slots["requester_travels"] is False
    to_summary(chat, [(LEO, "Dupont", "Leo", None, True)], "en")
    assert [(p["first_name"], p["relation"]) for p in flow.dossier_persons(chat.slots)] == [("Leo", "child")]


def test_a_student_child_for_quebec_when_the_parent_does_not_travel():
    chat = Chat()
    chat.send("mon fils part étudier au Québec du 3 janvier au 20 juin, je ne pars pas")
    assert chat.slots["requester_travels"] is False and chat.slots["profile"] == "study"
    to_summary(chat, [(LEO, "Dupont", "Léo", None, True)])
    assert flow.dossier_persons(chat.slots)[0]["first_name"] == "Léo"


def test_purpose_answer_about_the_child():
    chat = Chat()
    chat.send("il faut l'attestation pour le Québec pour mon fils")
    chat.send("oui")
    for text in ("CNS", ANNA, "Dupont", "Marie", "Luxembourg", "marie@example.lu"):
        chat.send(text)
    assert chat.asked == "requester_travels"
    chat.send("non, je ne pars pas")
    assert chat.asked == "purpose" and chat.said[-1] == "utter_q_purpose_other"
    chat.send("non, c'est mon enfant qui part étudier, pas moi")
    assert chat.slots["profile"] == "study" and chat.asked == "dates"


def test_the_earlier_departure_is_the_departure():
    chat = Chat()
    chat.send("je pars en Turquie du 10 au 30 avril")
    to_summary(chat)
    chat.send("finalement je pars deux jours plus tôt, le 8 avril")
    assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-04-08", "2027-04-30")


def test_a_surname_that_reads_like_a_command_is_confirmed():
    chat = Chat("en")
    chat.send("certificate for Morocco please")
    for text in ("yes", "CNS", ANNA):
        chat.send(text)
    assert chat.asked == "req_last_name"
    chat.send("Cancel", intent="cancel")
    assert chat.outcome is None and chat.said == ["utter_confirm_command_or_name"]
    chat.send("no")
    assert chat.slots["req_last_name"] == "Cancel" and chat.asked == "req_first_name"


def test_a_real_surname_is_a_name_whatever_the_classifier_says():
    chat = Chat("en")
    chat.send("certificate for Morocco please")
    for text in ("yes", "CNS", ANNA):
        chat.send(text)
    chat.send("Neumann", intent="start_over", confidence=0.9)
    assert chat.slots["req_last_name"] == "Neumann" and "utter_restarted" not in chat.said


def test_no_question_three_times_in_the_same_words():
    chat = Chat()
    chat.send("je pars au Maroc du 3 au 20 avril")
    chat.send("oui")
    chat.send("CNS")
    assert chat.asked == "req_matricule"
    chat.send("euh")
    assert chat.said == ["utter_invalid_matricule_format", "utter_q_req_matricule"]
    chat.send("bof")
    assert chat.said == ["utter_stuck"] and chat.asked == "req_matricule"
    chat.send(ANNA)
    assert chat.slots["req_matricule"] == ANNA and chat.asked == "req_last_name"


def test_a_bare_yes_to_an_open_question_gets_a_short_question_back():
    chat = Chat()
    chat.send("je pars au Maroc du 3 au 20 avril")
    chat.send("oui")
    chat.send("CNS")
    chat.send("oui")
    assert chat.said[0] == "utter_expecting_answer"


def test_handoff_during_the_request_gives_the_numbers():
    chat = Chat("en")
    chat.send("certificate for Bosnia")
    chat.send("yes")
    chat.send("can I speak to a person instead?", intent="human_handoff")
    assert chat.said[0] == "utter_handoff_request"
    assert chat.params[0]["coins_phone"] and chat.params[0]["phone"]


def test_nothing_is_said_to_be_changed_when_nothing_changed():
    chat = family_at_summary("de")
    chat.send("hmm keine Ahnung")
    assert not any(r.startswith("utter_changed") for r in chat.said)
    assert chat.said[0] in ("utter_not_understood", "utter_stuck")


def test_a_switch_of_language_that_carries_an_answer_does_both():
    chat = Chat("en")
    chat.send("I need the certificate for Morocco from 3 to 20 April")
    for text in ("yes", "CNS", ANNA, "Dupont", "Marie", "Luxembourg"):
        chat.send(text)
    assert chat.asked == "email"
    chat.send("sorry can we continue in english, my email is marie@example.lu", intent="change_language")
    assert chat.slots["email"] == "marie@example.lu"


def test_a_bare_yes_to_the_offer_keeps_what_the_question_said():
    opening = "mon fils part faire un semestre d'échange au Québec du 7 janvier au 22 mai, moi je ne pars pas"
    earlier = [flow.Message(opening, "ask_form", 0.9, extraction.extract(opening, "fr", TODAY))]
    result = flow.step({"language": "fr"}, flow.Message("oui", "affirm", 0.99, []), TODAY, earlier=earlier)
    assert result.slots["requester_travels"] is False and result.slots["profile"] == "study"
    assert result.slots["destination"] == "CA-QC" and result.slots["departure"] == "2027-01-07"
    assert [p["label"] for p in result.slots["persons"]] == ["son"]
    assert result.ask == "consent"


# ---------------------------------------------------------------- the summary shown is the dossier stored

from hypothesis import given, settings, HealthCheck  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from bot import wording  # noqa: E402
from bot.dossier import builder as dossier

EXTRA = [matricule.generate("2011-03-0%d" % i, 130 + i) for i in range(1, 6)]
EXTRA_ADULTS = [matricule.generate("1986-05-0%d" % i, 140 + i) for i in range(1, 6)]  # a wife's numbers
OPS = st.lists(st.one_of(
    st.tuples(st.just("dates"), st.sampled_from(["Joao", "Maria", "we"]), st.integers(0, 20), st.integers(1, 20)),
    st.tuples(st.just("place"), st.sampled_from(["Morocco", "Turkey", "Cape Verde", "Bosnia"])),
    st.tuples(st.just("remove"), st.sampled_from(["Joao", "Maria"])),
    st.tuples(st.just("add"), st.sampled_from(["daughter", "son", "wife"])),
    st.tuples(st.just("email"), st.integers(1, 99)),
), min_size=1, max_size=6)


def shown_persons(chat):
    return [p for r, p in zip(chat.said, chat.params) if r == "utter_summary_person"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_the_summary_shown_is_the_dossier_stored(ops):
    chat = family_at_summary()
    extra, adults = iter(EXTRA), iter(EXTRA_ADULTS)
    for op in ops:
        if op[0] == "dates":
            start = dt.date(2027, 4, 1) + dt.timedelta(days=op[2])
            end = start + dt.timedelta(days=op[3])
            who = "we go" if op[1] == "we" else f"{op[1]} goes"
            chat.send(f"{who} from {start:%B} {start.day} to {end:%B} {end.day}")
        elif op[0] == "place":
            chat.send(f"we go to {op[1]} now, same dates")
        elif op[0] == "remove":
            chat.send(f"remove {op[1]} from the request")
        elif op[0] == "add":
            chat.send(f"please also add my {op[1]}")
            number = next(adults) if op[1] == "wife" else next(extra)
            to_summary(chat, [(number, "Silva", "Extra", None, True)], "en")
        else:
            chat.send(f"my email is marie{op[1]}@example.lu")
        if chat.asked != "confirm":
            to_summary(chat, [], "en")
        if "utter_summary_person" not in chat.said:
            chat.send("what is on my request?")
            chat.slots["summary_shown"] = None
            chat.send("show me the summary please")
        if "utter_summary_person" not in chat.said:
            continue
        doc = dossier.build(chat.slots, "en")
        want = [{"first_name": p["first_name"], "last_name": p["last_name"], "matricule": p["matricule"],
                 "relation": wording.relation_word(p["relation"], "en"),
                 "destination": wording.country_name(p["destination"], "en"),
                 "departure": wording.format_date(p["departure"], "en"),
                 "return_date": wording.format_date(p["return"], "en"), "form": p["form"] or "—"}
                for p in doc["persons"]]
        assert shown_persons(chat) == want
        assert doc["requester"]["email"] == chat.slots["email"]


@pytest.mark.parametrize("lang, label", [("fr", "Modifier"), ("de", "Ändern"), ("en", "Change something")])
def test_typed_button_labels_at_the_summary(lang, label):
    chat = family_at_summary(lang)
    chat.send(label)
    assert chat.said == ["utter_what_to_change"] and chat.asked == "confirm" and chat.outcome is None


def test_no_with_words_after_it():
    chat = Chat()
    chat.send("il me faut l'attestation pour la Tunisie du 3 au 20 avril pour ma fille")
    for text in ("oui", "CNS", ANNA, "Dupont", "Marie", "Luxembourg", "marie@example.lu"):
        chat.send(text)
    assert chat.asked == "requester_travels"
    chat.send("non, c'est ma fille qui part")
    assert chat.slots["requester_travels"] is False
    assert [p["label"] for p in chat.slots["persons"]] == ["daughter"]


def test_a_question_in_the_middle_is_answered_and_the_form_goes_on():
    chat = Chat("de")
    chat.send("Ich fliege nach Tunesien und brauche die Bescheinigung")
    for text in ("ja", "CNS", ANNA, "Dupont", "Marie", "Luxemburg", "marie@example.lu"):
        chat.send(text)
    assert chat.asked == "dates"
    chat.send("Moment, eine Frage vorher: wie lange vor der Abreise muss man das eigentlich beantragen? "
              "Wir fliegen in knapp vier Wochen.", intent="ask_form", confidence=0.7)
    assert "utter_continue_here" in chat.said and chat.asked == "dates"
    assert chat.slots.get("departure") is None  # "in vier Wochen" is no date of the trip


def test_a_change_asked_as_a_question_is_made():
    chat = Chat()
    chat.send("je pars en Tunisie du 10 au 20 mars")
    to_summary(chat)
    chat.send("Ah pardon, j'ai tout mélangé : finalement on va au Maroc, plus en Tunisie. Vous pouvez corriger ?",
              intent="ask_form", confidence=0.6)
    assert chat.slots["destination"] == "MA" and chat.said[0] == "utter_changed_destination"


def test_a_question_is_answered_about_the_place_it_asks_about():
    chat = Chat()
    chat.send("on part en Turquie du 8 au 22 juin")
    chat.send("oui")
    chat.send("attendez une question : après la Turquie on fait 4 jours en Grèce, il faut aussi un papier "
              "pour la Grèce ?", intent="ask_form", confidence=0.7)
    assert "utter_continue_here" in chat.said and chat.slots["destination"] == "TR"
    assert any(p.get("country") == "Grèce" or "Grèce" in str(p) for p in chat.params)


def test_the_lead_time_is_read_from_the_data():
    from bot import rules

    days = rules.lead_days("stay", "MA")
    assert days == 15
    chat = Chat()
    soon = TODAY + dt.timedelta(days=days - 3)
    chat.send(f"je pars au Maroc du {soon.day} au {soon.day + 1} {['janvier','février','mars','avril','mai','juin','juillet','août','septembre','octobre','novembre','décembre'][soon.month - 1]}")
    chat.send("oui")
    assert "utter_lead_time_warning" in chat.said or chat.slots.get("lead_warned")


@pytest.mark.parametrize("lang, text", [
    ("fr", "Avant que je confirme : comme j'habite en Allemagne, est-ce que je dois envoyer un document en plus ?"),
    ("en", "Before the email, one question: since we live in France, do I have to send you some document as well?"),
    ("de", "Muss ich als Grenzgänger aus Trier noch weitere Unterlagen schicken?"),
])
def test_what_to_send_asked_in_the_middle_of_the_form(lang, text):
    chat = Chat(lang)
    chat.send({"fr": "je pars en Turquie du 3 au 20 avril", "en": "I go to Turkey from 3 to 20 April",
               "de": "ich fliege vom 3. bis 20. April in die Türkei"}[lang])
    chat.send({"fr": "oui", "en": "yes", "de": "ja"}[lang])
    chat.send(text)
    assert chat.said[0] == "utter_topic_household_certificate" and "utter_continue_here" in chat.said
    assert chat.slots["destination"] == "TR"


def test_the_date_said_last_stands():
    chat = Chat("de")
    chat.send("brauche die bescheinigung fuer bosnien")
    for text in ("ja", "CNS", ANNA, "Dupont", "Marie", "Luxemburg", "marie@example.lu"):
        chat.send(text)
    assert chat.asked == "dates"
    chat.send("vom 8. Januar 2027 bis 22. Januar 2027... ach nee quatsch, zurueck sind wir erst am 25. Januar 2027")
    assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-01-08", "2027-01-25")


def test_a_fund_given_up_is_not_taken():
    chat = Chat("en")
    chat.send("I'm a teacher, insured with the CMFEP, not the CNS. We go to Turkey over Easter.")
    assert chat.slots.get("departure") is None  # "over Easter" is no day
    chat.send("yes")
    assert chat.slots["fund"] == "CMFEP" and chat.asked == "req_matricule"


def test_a_question_and_an_answer_in_one_message_are_both_taken():
    chat = Chat()
    chat.send("il me faut l'attestation")
    for text in ("oui", "CNS", ANNA, "Dupont", "Marie", "Luxembourg", "marie@example.lu"):
        chat.send(text)
    assert chat.asked == "destination"
    chat.send("on part au Maroc, mais avant dites moi, c'est quel formulaire exactement qu'on va recevoir ?",
              intent="ask_form", confidence=0.8)
    assert chat.slots["destination"] == "MA" and chat.asked == "dates"
    assert chat.said[0].startswith("utter_advice")


def test_someone_elses_matter_is_no_companion():
    chat = Chat("en")
    chat.send("Hi. I live in Audun-le-Tiche and go to Fes for my brother's wedding, I need the form for Morocco")
    assert chat.slots["persons"] == [] and chat.slots["residence"] == "FR"
