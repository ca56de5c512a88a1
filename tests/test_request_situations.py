"""Situations of the third writers' set (tests/scenarios/unseen), each as a flow test without Rasa.

Each test fails without the change that made the situation work.
"""
import datetime as dt
import pytest

from bot import extraction
from bot.request import persons as P
from bot.validators import matricule
from tests.test_request_flow import ANNA, LEO, MIA, Chat, fill_requester

TOM = matricule.generate("1984-09-09", 126)  # an adult: a spouse's number

TODAY = dt.date(2026, 11, 23)
SOFIA = matricule.generate("2013-05-19", 117)


def persons(chat):
    return [(p.get("label"), p.get("first_name"), p.get("matricule")) for p in chat.slots["persons"]]


def at_summary(lang, opening):
    """A chat opened with `opening` and answered with the defaults up to the summary."""
    chat = Chat(lang)
    chat.send(opening)
    to_summary(chat, lang)
    return chat


def to_summary(chat, lang="fr"):
    """Answer every question with the defaults until the summary."""
    dates = {"fr": "du 3 au 20 avril 2027", "de": "vom 3. April 2027 bis 20. April 2027",
             "en": "from April 3, 2027 to April 20, 2027"}[lang]
    yes, no = {"fr": ("oui", "non"), "de": ("ja", "nein"), "en": ("yes", "no")}[lang]
    kids = iter([(LEO, "Leo"), (MIA, "Mia")])
    adults = iter([(TOM, "Tom"), (matricule.generate("1983-03-03", 127), "Eva")])
    current = None
    for _ in range(40):
        asked = chat.asked
        if asked == "confirm":
            return
        if asked == "consent" or asked in ("requester_travels", "p_same_trip"):
            chat.send(yes)
        elif asked in ("fund", "req_matricule", "req_last_name", "req_first_name", "residence", "email"):
            chat.send({"fund": "CNS", "req_matricule": ANNA, "req_last_name": "Dupont", "req_first_name": "Marie",
                       "residence": "Luxembourg", "email": "marie@example.lu"}[asked])
        elif asked == "dates":
            chat.send(dates)
        elif asked == "p_matricule":
            adult = (chat.slots["persons"][P.pending(chat.slots)].get("relation") in ("spouse", "partner", "parent"))
            current = next(adults) if adult else next(kids)
            chat.send(current[0])
        elif asked == "p_last_name":
            chat.send("Dupont")
        elif asked == "p_first_name":
            chat.send(current[1])
        elif asked == "insured_status":
            chat.send({"fr": "je suis l'assurée principale", "de": "ich bin hauptversichert",
                       "en": "I am the main insured person"}[lang])
        elif asked == "p_relation":
            chat.send({"fr": "mon enfant", "de": "mein Kind", "en": "my child"}[lang])
        elif asked == "more_people":
            chat.send(no)
        elif asked == "attachments":
            chat.send({"fr": "je l'enverrai plus tard", "de": "ich schicke es später", "en": "I will send it later"}[lang])
        else:
            raise AssertionError(f"unexpected question {asked}")
    raise AssertionError("no summary")


def test_the_number_of_a_listed_person_given_again_is_the_same_person_not_a_loop():
    # "mit meiner Freundin ... meiner Frau": two persons counted for one; her number, given again
    # for the second, drops the second instead of refusing it forever
    chat = Chat("de")
    chat.send("Ich fliege mit meinem Sohn und meiner Tochter in die Türkei")
    assert len(chat.slots["persons"]) == 2
    fill_requester(chat, "de")
    chat.send("vom 3. April 2027 bis 20. April 2027")
    chat.send(LEO)
    chat.send("Dupont")
    chat.send("Leo")
    chat.send("ich bin hauptversichert")
    chat.send("ja")
    assert chat.asked == "p_matricule"
    chat.send(LEO)
    assert "utter_person_already_on_request" in chat.said
    assert persons(chat) == [("son", "Leo", LEO)]
    assert chat.asked == "more_people"


def test_a_relative_taken_back_at_once_is_not_added():
    chat = Chat("de")
    chat.send("will mit meiner freundin... ne mit meiner frau in die tuerkei")
    assert [p["label"] for p in chat.slots["persons"]] == ["wife"]
    chat = Chat("en")
    chat.send("going to Tunisia with my girlfriend, sorry, my wife")
    assert [p["label"] for p in chat.slots["persons"]] == ["wife"]


def test_the_person_visited_is_not_a_traveller_and_twins_are_two():
    chat = Chat("de")
    chat.send("Meine Tochter fliegt allein zur Oma nach Kap Verde")
    assert [p["label"] for p in chat.slots["persons"]] == ["daughter"]
    chat = Chat("en")
    chat.send("I take my twins to Morocco")
    assert len(chat.slots["persons"]) == 2
    chat = Chat("de")
    chat.send("ich und meine zwei Jungs nach Marokko")
    assert [p["label"] for p in chat.slots["persons"]] == ["sons", "sons"]


def test_dates_said_then_taken_back_in_one_answer():
    for lang, text in [
        ("fr", "On part le 8 janvier 2027… non pardon : départ le 10 janvier 2027 et retour le 24 janvier 2027."),
        ("de", "Eigentlich wollte ich am 8. Januar 2027 los, aber der Flug wurde umgebucht: Abflug jetzt am "
               "10. Januar 2027, Rückflug am 24. Januar 2027."),
    ]:
        chat = Chat(lang)
        chat.send("je pars en Bosnie" if lang == "fr" else "ich fahre nach Bosnien")
        fill_requester(chat, lang)
        assert chat.asked == "dates"
        chat.send(text)
        assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-01-10", "2027-01-24"), lang


def test_of_two_e_mails_the_old_one_is_not_taken():
    chat = Chat("de")
    chat.send("ich fahre nach Bosnien")
    answers = {"fund": "CNS", "req_matricule": ANNA, "req_last_name": "Dupont", "req_first_name": "Marie",
               "residence": "Luxemburg"}
    while chat.asked in answers or chat.asked == "consent":
        chat.send("ja" if chat.asked == "consent" else answers[chat.asked])
    assert chat.asked == "email"
    chat.send("Nehmen Sie bitte d.neu@example.fr – die alte Adresse d.alt@example.fr gibt es nicht mehr.")
    assert chat.slots["email"] == "d.neu@example.fr"


def test_a_value_said_again_at_the_summary_is_said_unchanged():
    chat = at_summary("en", "I go to Turkey")
    chat.send("oh the email is wrong, I don't use that one anymore, send it to marie@example.lu please")
    assert chat.said[0] == "utter_unchanged_value" and chat.params[0] == {"value": "marie@example.lu"}
    assert "utter_not_understood" not in chat.said


def test_a_listed_person_said_to_come_along_is_said_to_be_there_already():
    chat = at_summary("en", "Bosnia with my son")
    assert persons(chat) == [("son", "Leo", LEO)]
    chat.send(f"wait, my son Leo decided to come too after all, his number is {LEO}, same dates. can you add him?")
    assert chat.said[0] == "utter_person_already_on_request"
    assert persons(chat) == [("son", "Leo", LEO)]
    chat.send("Now it is sure, Leo is coming too, just like me.")
    assert chat.said[0] == "utter_person_already_on_request"
    assert len(chat.slots["persons"]) == 1


def test_names_and_number_said_after_a_relative_are_that_persons():
    chat = Chat("en")
    chat.send(f"we go to Agadir, Morocco: me, my son Ilyas and my daughter Sofia Amrani (her number {SOFIA})")
    assert persons(chat) == [("son", "Ilyas", None), ("daughter", "Sofia", SOFIA)]
    assert chat.slots["persons"][1]["last_name"] == "Amrani"
    assert not chat.slots.get("req_matricule")  # the number is hers, not the requester's
    assert chat.slots["destination"] == "MA"  # the shared trip, not Sofia's own
    # German nouns are capitalised: "Urlaub" is no name
    chat = Chat("de")
    chat.send("Ich will mit meiner Frau Urlaub in der Türkei machen")
    assert persons(chat) == [("wife", None, None)]


def test_a_removal_names_whom_it_removes():
    chat = at_summary("fr", "Maroc, moi et mes deux enfants")
    assert [p["first_name"] for p in chat.slots["persons"]] == ["Leo", "Mia"]
    # "mon fils Théo": nobody of that name; "ma fille Mia": Mia only, not every child
    chat.send("Par contre mon fils Théo ne vient plus finalement, il reste chez son père.")
    assert chat.said[0] == "utter_person_not_on_request" and chat.params[0] == {"who": "Théo"}
    assert len(chat.slots["persons"]) == 2
    chat.send("sorry, take Mia off, she stays home with her dad. Only me and Leo")
    assert [p["first_name"] for p in chat.slots["persons"]] == ["Leo"]


def test_someone_co_insured_with_the_requester_makes_the_requester_the_main_insured():
    chat = Chat("en")
    chat.send("My partner is co-insured with me. We leave March 1, 2027, back March 15, 2027. Cape Verde.")
    assert chat.slots.get("insured_status") == "main"
    chat = Chat("fr")
    chat.send("je suis coassurée, je pars en Tunisie")
    assert chat.slots.get("insured_status") == "coinsured"


def test_a_home_town_and_its_country_are_where_the_person_lives():
    ents = extraction.extract("Hallo, ich (Longwy, Frankreich) fahre mit meinem Sohn nach Bosnien-Herzegowina.",
                              "de", TODAY)
    roles = [(e["value"], e.get("role")) for e in ents if e["entity"] == "country"]
    assert roles == [("FR", "residence"), ("FR", "residence"), ("BA", None)]


def test_days_later_than_said_is_no_date():
    ents = extraction.extract("my son's flight back is 3 days later than I said, he comes back on February 15, 2027",
                              "en", TODAY)
    assert [e["value"] for e in ents if e["entity"] == "date"] == ["2027-02-15"]
    # "N later" counts from another day than today ("my husband joins us a week later"): a duration
    for lang, text in [("en", "I leave 3 days later"), ("fr", "il nous rejoint 3 jours plus tard")]:
        ents = extraction.extract(text, lang, TODAY)
        assert [(e["entity"], e["value"]) for e in ents if e["entity"] in ("date", "duration")] == [("duration", "3")]


def test_someone_who_joins_later_leaves_later():
    for lang, text in [
        ("fr", "Je pars au Cap-Vert avec mes deux enfants le 27 juin 2027 pour quatre semaines, et mon mari nous "
               "rejoint deux semaines après."),
        ("en", "I fly to Cape Verde with my two kids on June 27, 2027 for four weeks, my husband joins us two weeks later"),
        ("de", "Ich fliege mit meinen zwei Kindern am 27. Juni 2027 für vier Wochen nach Kap Verde, mein Mann kommt "
               "zwei Wochen später nach"),
    ]:
        chat = Chat(lang)
        chat.send(text)
        assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-06-27", "2027-07-25"), lang
        *kids, husband = chat.slots["persons"]  # asked about in the order they were told
        assert [k["departure"] for k in kids] == [None, None], lang
        # his departure is known; whether he comes back with the others is asked (same trip?)
        assert (husband["label"], husband["departure"], husband["same_trip"]) == ("husband", "2027-07-11", None), lang


def test_the_german_question_to_the_requester_uses_the_dative():
    chat = Chat("de")
    chat.send("Meine Tochter fliegt nach Tunesien")
    fill_requester(chat, "de")
    assert chat.asked == "requester_travels"
    assert chat.params[-1]["who_dat"] == "Ihrer Tochter"
    chat = Chat("de")
    chat.send("Mein Sohn fliegt nach Tunesien")
    fill_requester(chat, "de")
    assert chat.params[-1]["who_dat"] == "Ihrem Sohn"


def test_each_sentence_dates_go_to_whom_it_names():
    chat = at_summary("de", "Bosnien, mit meinem Sohn")
    chat.send("Halt, bei Leo stimmt die Rückreise nicht mehr, er kommt drei Tage früher zurück, am 17. April 2027. "
              "Ich selbst bleibe beim 20. April 2027.")
    leo = chat.slots["persons"][0]
    assert (leo["departure"], leo["return_date"]) in ((None, "2027-04-17"), ("2027-04-03", "2027-04-17"))
    assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-04-03", "2027-04-20")
    assert chat.said[0] == "utter_changed_return_of"


def test_a_daughter_named_then_called_my_child_is_one_person():
    chat = Chat("fr")
    chat.send("je pars à Agadir avec ma fille Lina Haddad, matricule 2013090963319, c'est mon enfant, mêmes dates")
    assert persons(chat) == [("daughter", "Lina", "2013090963319")]
    chat = Chat("en")
    chat.send("I go to Morocco")
    fill_requester(chat, "en")
    chat.send("from April 3, 2027 to April 20, 2027")
    assert chat.asked == "more_people"
    chat.send("yes, my daughter Lina Haddad, her number is 2016092171576, she is my child, same dates as me")
    assert persons(chat) == [("daughter", "Lina", "2016092171576")]


def test_the_requester_as_a_parent_and_a_grandmother_who_takes_the_children_are_not_added():
    # fourth writers' set: "Single dad from Wiltz", "ma mère emmène mes deux enfants"
    chat = Chat("en")
    chat.send("Single dad from Wiltz here. Me and my twin daughters are going to Turkey")
    assert [p["label"] for p in chat.slots["persons"]] == ["daughters", "daughters"]
    chat = Chat("fr")
    chat.send("ma mère emmène mes deux enfants au Maroc, moi je ne pars pas")
    assert [p["label"] for p in chat.slots["persons"]] == ["children", "children"]
    chat = Chat("fr")
    chat.send("je pars au Maroc avec ma mère")
    assert [p["label"] for p in chat.slots["persons"]] == ["parent"]


def test_a_date_of_one_person_said_after_the_shared_dates_is_theirs():
    # tried as a person: "lui il rentre le 28" used to move everyone's return
    for text in ["je pars à Marrakech avec mon fils Adam du 10 au 24 février 2027, lui il rentre le 28",
                 "je pars à Marrakech avec mon fils du 10 au 24 février 2027, lui il rentre le 28"]:
        chat = Chat("fr")
        chat.send(text)
        assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-02-10", "2027-02-24")
        son = chat.slots["persons"][0]
        assert (son["return_date"], son["same_trip"]) == ("2027-02-28", True)
    chat = Chat("fr")
    chat.send("nous partons au Maroc du 3 au 20 avril avec notre fils")
    assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-04-03", "2027-04-20")
    assert chat.slots["persons"][0]["return_date"] is None


def test_a_person_named_by_first_name_is_named_as_the_language_wants():
    # tried as a person: "le nom de famille de Adam", "der Nachname Adam"
    from bot.request import persons as P
    assert P.named({"first_name": "Adam"}, "fr")["who_gen"] == "d'Adam"
    assert P.named({"first_name": "Marie"}, "fr")["who_gen"] == "de Marie"
    assert P.named({"first_name": "Adam"}, "de")["who_gen"] == "von Adam"
    assert P.named({"label": "son"}, "fr")["who_gen"] == "de votre fils"
    assert P.named({"label": "son"}, "de")["who_gen"] == "Ihres Sohnes"
    chat = Chat("fr")
    chat.send("je pars au Maroc avec mon fils Adam")
    fill_requester(chat)
    chat.send("du 3 au 20 avril 2027")
    assert chat.asked == "p_matricule" and chat.params[-1]["who_gen"] == "d'Adam"


def test_the_insured_status_said_when_a_name_is_asked_is_no_name():
    # tried as a person: "je suis l'assurée principale" became the son's surname
    chat = Chat("fr")
    chat.send("je pars au Maroc avec mon fils Adam, matricule 2015070932213, du 10 au 24 février 2027")
    fill_requester(chat)
    assert chat.asked == "p_last_name"
    chat.send("je suis l'assurée principale")
    assert chat.slots["insured_status"] == "main" and chat.slots["persons"][0]["last_name"] is None
    assert chat.asked == "p_last_name"


def test_a_person_complete_from_the_opening_still_gets_the_insured_status_asked():
    chat = Chat("fr")
    chat.send("je pars au Maroc avec mon fils Adam, matricule 2015070932213, du 10 au 24 février 2027, "
              "lui il rentre le 28")
    fill_requester(chat)
    chat.send("Benali")
    assert chat.asked == "insured_status"
    chat.send("je suis l'assurée principale")
    assert chat.asked == "more_people"
    # a date change that names him is no "he is already on the request"
    chat.send("en fait Adam rentre le 26 février, pas le 28")
    assert chat.said[0] == "utter_changed_return_of" and "utter_person_already_on_request" not in chat.said
    assert chat.slots["persons"][0]["return_date"] == "2027-02-26"


def test_a_value_given_out_of_turn_for_the_first_time_is_said_as_noted():
    # tried as a person: "Elif kommt erst am 10. März nach" while her first name was asked: taken, not said
    chat = Chat("de")
    chat.send("Ich fliege mit meiner Frau in die Türkei, vom 3. bis 24. März 2027")
    fill_requester(chat, "de")
    chat.send(TOM)
    chat.send("Yilmaz")
    assert chat.asked == "p_first_name"
    chat.send("sie kommt erst am 10. März 2027 nach")
    assert chat.said[0] == "utter_noted_departure_of"
    assert chat.params[0]["new"] == "10. März 2027" and chat.params[0]["who_gen"] == "Ihrer Ehefrau"
    assert chat.asked == "p_first_name"
    # the opening's values are not echoed one by one
    chat = Chat("fr")
    chat.send("je pars au Maroc du 3 au 20 avril avec mon fils")
    assert not [s for s in chat.said if s.startswith("utter_noted_")]


# ---------------------------------------------------------------- fourth writers' set (tests/scenarios/fourth)

def test_a_surname_misspelt_is_corrected_at_the_summary_for_the_whole_family():
    chat = at_summary("fr", "nous partons en Tunisie avec ma femme")
    chat.send("Il y a une faute dans notre nom : c'est Duppont, D-U-P-P-O-N-T, il manquait un p.")
    assert chat.said[:2] == ["utter_changed_last_name", "utter_changed_last_name_of"]
    assert chat.params[0] == {"old": "Dupont", "new": "Duppont"}
    assert chat.slots["req_last_name"] == "Duppont"
    assert [p["last_name"] for p in chat.slots["persons"]] == ["Duppont"]
    assert chat.asked == "confirm" and "utter_summary_requester" in chat.said


def test_a_surname_misspelt_is_the_requesters_own_when_the_message_says_my():
    chat = at_summary("en", "I go to Tunisia with my son")
    chat.send("Wait, I think my surname is wrong. It's Duppont, with two p, I typed it badly in my first message.")
    assert chat.said[0] == "utter_changed_last_name"
    assert chat.slots["req_last_name"] == "Duppont"
    assert [p["last_name"] for p in chat.slots["persons"]] == ["Dupont"]


def test_an_identification_number_corrected_at_the_summary():
    other = matricule.generate("1985-04-12", 124)
    for lang, text in [
        ("de", f"Stopp, bei der Nummer hab ich mich vertippt! Richtig ist {other}. Bitte korrigieren."),
        ("en", f"Sorry, the number I wrote at the beginning is wrong, I mixed up two digits. The correct one is {other}."),
    ]:
        chat = Chat(lang)
        chat.send("ich fahre nach Tunesien" if lang == "de" else "I go to Tunisia")
        to_summary(chat, lang)
        chat.send(text)
        assert chat.said[0] == "utter_changed_matricule", lang
        assert chat.params[0] == {"old": ANNA, "new": other}
        assert chat.slots["req_matricule"] == other


def test_a_first_name_said_again_as_it_is_changes_nothing_and_says_so():
    chat = at_summary("de", "ich fahre mit meinem Sohn nach Tunesien")
    chat.send("Eine Sache noch: mein Vorname schreibt sich Marie, ohne h – hab mich am Anfang vertippt.")
    assert chat.said[0] == "utter_unchanged_value" and chat.params[0] == {"value": "Marie"}
    chat.send("Eine Sache noch: der Vorname meines Sohnes schreibt sich Lio, hab mich vertippt")
    assert chat.said[0] == "utter_changed_first_name_of" and chat.params[0]["who_gen"] == "Ihres Sohnes"
    assert persons(chat) == [("son", "Lio", LEO)]
    assert chat.slots["req_first_name"] == "Marie"


def test_a_human_asked_for_inside_a_longer_message_gets_the_phone_and_the_question_again():
    for lang, opening, text in [
        ("fr", "je pars en Turquie", "jsais pas c koi ma caisse, c la cns ou pas ? sinon ya un num pr parler a qqn ?"),
        ("de", "ich fahre in die Türkei", "keine Ahnung welche Kasse, kann ich mit jemandem sprechen?"),
        ("en", "I go to Turkey", "not sure which fund I am with, is there a phone number I can call?"),
    ]:
        chat = Chat(lang)
        chat.send(opening)
        chat.send({"fr": "oui", "de": "ja", "en": "yes"}[lang])
        assert chat.asked == "fund"
        chat.send(text)
        assert chat.said[0] == "utter_handoff_request", lang
        assert chat.asked == "fund" and not chat.slots.get("fund")


def test_the_requesters_own_return_moves_and_the_others_keep_theirs():
    for lang, opening, text in [
        ("en", "My wife, our son and I fly to Turkey",
         "One thing changed: my own return flight was moved, I come back on April 25, 2027 now. "
         "My wife and Mia still come back on April 20, 2027."),
        ("fr", "Ma femme, notre fils et moi partons à Djerba",
         "Une modification : moi je reste une semaine de plus pour aider mon cousin, je rentre le 25 avril 2027. "
         "Ma femme et Mia rentrent bien le 20 avril 2027."),
    ]:
        chat = Chat(lang)
        chat.send(opening)
        to_summary(chat, lang)
        chat.send(text)
        assert chat.said[0] == "utter_changed_return_yours", lang
        assert chat.slots["return_date"] == "2027-04-25"
        assert [P_trip(chat, p)["return_date"] for p in chat.slots["persons"]] == ["2027-04-20", "2027-04-20"]
        assert "utter_changed_return_of" not in chat.said  # nothing of theirs changed, nothing said


def P_trip(chat, person):
    from bot.request import persons as P
    return P.trip_of(chat.slots, person)


def test_my_daughter_is_not_the_son_and_a_return_said_to_stay_is_not_moved():
    chat = Chat("fr")
    for text in ["Mon fils part faire un semestre d'études à Tunis, je ne pars pas moi-même", "oui", "CNS", ANNA,
                 "Colin", "Valérie", "France", "v@example.fr", "du 20 janvier 2027 au 25 mai 2027", LEO, "Colin",
                 "Hugo", "je suis l'assurée principale", "oui", MIA, "Colin", "Jade", "c'est mon enfant", "non",
                 "Tunisie", "du 10 avril 2027 au 24 avril 2027", "non", "plus tard"]:
        chat.send(text)
    assert chat.asked == "confirm"
    chat.send("Une petite correction : le vol de ma fille a été décalé, elle part le 12 avril 2027 et non le "
              "10 avril 2027. Son retour ne change pas.")
    assert chat.said[0] == "utter_changed_departure_of" and chat.params[0]["who"] == "Jade"
    hugo, jade = chat.slots["persons"]
    assert (jade["departure"], jade["return_date"]) == ("2027-04-12", "2027-04-24")
    assert (P_trip(chat, hugo)["departure"], P_trip(chat, hugo)["return_date"]) == ("2027-01-20", "2027-05-25")


def test_the_sister_of_a_child_is_a_daughter_written_with_oe_ligature():
    chat = Chat("fr")
    chat.send("Mon fils aîné part à Tunis et sa petite sœur ira le rejoindre, je ne pars pas")
    assert [p["label"] for p in chat.slots["persons"]] == ["son", "daughter"]


def test_everything_in_one_line_with_the_speaker_gives_the_shared_trip():
    chat = Chat("de")
    chat.send("Bescheinigung Marokko bitte: ich (Youssef Benali) und meine Frau Samira, Abflug 3. Januar 2027, "
              "Rückflug 24. Januar 2027, wohnhaft in Bettembourg, versichert bei der CNS.")
    assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-01-03", "2027-01-24")
    assert chat.slots["requester_travels"] is True
    wife = chat.slots["persons"][0]
    assert (wife["label"], wife["first_name"], wife["departure"], wife["return_date"]) == ("wife", "Samira", None, None)


def test_a_daughter_who_comes_after_all_is_added_and_yesterday_is_no_travel_date():
    chat = Chat("de")
    chat.send("Ich möchte die Bescheinigung für Marokko beantragen")
    while chat.asked != "dates":
        chat.send({"consent": "ja", "fund": "CNS", "req_matricule": ANNA, "req_last_name": "Haddad",
                   "req_first_name": "Rachid", "residence": "Frankreich", "email": "r@example.fr"}[chat.asked])
    chat.send("Ah, bevor ich's vergesse: meine Tochter Yasmina kommt jetzt doch mit, das hat sich erst gestern "
              "entschieden. Kann sie noch mit in den Antrag?")
    assert "utter_invalid_date" not in chat.said
    assert persons(chat) == [("daughter", "Yasmina", None)]


def test_questions_in_the_form_about_the_babys_number_and_the_extra_document_are_answered():
    for opening, text, answer in [
        ("Hi, we live in Bitburg. My wife and I want to take our newborn to Cape Verde",
         "Quick question first: our baby was only born in October. Does she already have one of these numbers, "
         "and where do I find it?", "utter_topic_id_number"),
        ("Hello, I live in Yutz in France. My wife wants to visit her parents in Turkey, I cannot go with her",
         "Just before that, a colleague told me that people living in France have to send one more document "
         "with this request. Is that true? Which document?", "utter_topic_household_certificate"),
    ]:
        chat = Chat("en")
        chat.send(opening)
        chat.send("yes")
        chat.send("CNS")
        chat.send(text)
        assert chat.said[0] == answer
        assert chat.asked == "req_matricule"


def test_i_dont_go_myself_in_sms_style_and_my_two_boys():
    chat = Chat("en")
    chat.send("hello, my mum is taking my 2 boys to cape verde to see the family this summer, i dont go myself. "
              "we live in dudelange. i need the certificate only for the boys pls")
    assert chat.slots["requester_travels"] is False
    assert [p["label"] for p in chat.slots["persons"]] == ["sons", "sons"]
    chat = Chat("fr")
    chat.send("ma mère emmène mes 2 garçons au Cap-Vert, je pars pas")
    assert chat.slots["requester_travels"] is False
    assert [p["label"] for p in chat.slots["persons"]] == ["sons", "sons"]


def test_a_dad_describing_himself_is_no_traveller_and_the_twins_move_together():
    chat = Chat("fr")
    chat.send("slt, jsuis papa solo avec mes jumeaux de 8 ans, on part en turquie chez ma mere")
    assert [p["label"] for p in chat.slots["persons"]] == ["children", "children"]
    to_summary(chat, "fr")
    chat.send("ah non atten, les jumeaux rentrent plus tot avec mon frere, le 15/04/2027. moi je rentre bien le 20/04/2027")
    assert chat.said[:2] == ["utter_changed_return_of", "utter_changed_return_of"]
    assert [P_trip(chat, p)["return_date"] for p in chat.slots["persons"]] == ["2027-04-15", "2027-04-15"]
    assert chat.slots["return_date"] == "2027-04-20" and len(chat.slots["persons"]) == 2


def test_a_parent_in_hospital_there_is_visited_not_a_traveller():
    for lang, text in [
        ("fr", "Mon père vient d'être hospitalisé à Izmir et je dois aller m'occuper de lui. Pouvez-vous faire la demande pour moi ?"),
        ("en", "My mother was hospitalized in Tunis, I have to fly there next month"),
        ("de", "Meine Mutter liegt im Krankenhaus in Ankara, ich fliege hin"),
    ]:
        chat = Chat(lang)
        chat.send(text)
        assert chat.slots["persons"] == [], lang


def test_a_departure_and_a_shared_return_in_two_sentences_go_to_their_own_fields():
    chat = at_summary("de", "Ich fliege mit meinem Sohn nach Kap Verde")
    chat.send("Eine Änderung noch: Leo fliegt doch erst am 10. April 2027 nach, weil er noch Prüfungen hat. "
              "Ich fliege wie angegeben, und zurück kommen wir beide am 20. April 2027.")
    assert chat.said[0] == "utter_changed_departure_of"
    leo = chat.slots["persons"][0]
    assert (P_trip(chat, leo)["departure"], P_trip(chat, leo)["return_date"]) == ("2027-04-10", "2027-04-20")
    assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-04-03", "2027-04-20")


def test_a_residence_taken_back_at_once_is_replaced_by_the_one_said_after():
    chat = Chat("de")
    chat.send("Hallo! Wir wohnen in Wasserbillig... nee, auf der deutschen Seite, in Langsur. "
              "Geplant sind ich und meine zwei Jungs nach Marokko.")
    assert chat.slots["residence"] == "DE" and chat.slots["destination"] == "MA"
    chat = Chat("en")
    chat.send("I live on the French side, in Yutz, and we go to Morocco")
    assert chat.slots["residence"] == "FR" and chat.slots["destination"] == "MA"


def test_a_young_couple_with_a_baby_is_two_more_persons_but_a_few_days_is_nobody():
    chat = Chat("de")
    chat.send("Hallo zusammen, wir sind ein junges Paar aus Arlon mit einem Baby (5 Monate) und wollen im Frühjahr "
              "die Familie meiner Frau in Tunesien besuchen. Wie beantrage ich das?")
    assert [p["label"] for p in chat.slots["persons"]] == ["wife", "child"]
    chat = Chat("de")
    chat.send("wir fahren ein paar Tage nach Tunesien")
    assert chat.slots["persons"] == []


def test_two_waves_the_speakers_wave_is_the_shared_trip_and_a_named_little_one_is_a_new_person():
    chat = Chat("en")
    chat.send("Hello, we live in Metz and I work in Luxembourg. My wife and our older son Sami fly to Morocco on "
              "January 6, 2027, me and our little one Ilyas follow a week later. What do we need?")
    assert chat.slots["departure"] == "2027-01-13"
    assert [(p["label"], p["first_name"], p["departure"]) for p in chat.slots["persons"]] == [
        ("wife", None, "2027-01-06"), ("son", "Sami", "2027-01-06"), ("child", "Ilyas", None)]


def test_a_husband_who_files_his_own_request_is_not_on_this_one():
    for lang, text in [
        ("de", "Hallo, mein Mann fliegt mit unseren zwei Kindern nach Tunesien. Er ist selbst bei der CNS versichert "
               "und macht seinen Antrag selber, ich fülle das hier nur für die Kinder aus, ich fliege nicht mit."),
        ("fr", "mon mari part avec nos deux enfants en Tunisie, il fait sa propre demande, je ne pars pas"),
        ("en", "my husband flies to Tunisia with our two kids, he does his own application, I am not travelling"),
    ]:
        chat = Chat(lang)
        chat.send(text)
        assert [p["label"] for p in chat.slots["persons"]] == ["children", "children"], lang
        assert chat.slots["requester_travels"] is False


def test_a_removal_read_as_cancel_by_the_classifier_removes_and_keeps_the_request():
    chat = at_summary("de", "Mein Sohn Yanis und ich wollen nach Marokko")
    chat.send("Stopp, ich bekomme doch keinen Urlaub. Ich fahre nicht mit, nur Yanis. Bitte mich aus dem Antrag "
              "rausnehmen.", intent="cancel", confidence=0.9)
    assert chat.outcome is None and chat.slots["requester_travels"] is False
    assert "utter_requester_not_travelling" in chat.said
    assert [p["first_name"] for p in chat.slots["persons"]] == ["Yanis"]
    chat.send("ich möchte den Antrag abbrechen", intent="cancel", confidence=0.9)
    assert chat.outcome == "cancel"


def test_names_said_first_then_relations_are_those_persons_names():
    for lang, text, names in [
        ("fr", "Bonjour, Lina, Adam et moi partons au Maroc en mai. Lina est ma femme et Adam notre fils.", ["Lina", "Adam"]),
        ("en", "Hi, Sara, Tom and I are going to Tunisia. Sara is my wife, Tom is our son.", ["Sara", "Tom"]),
        ("de", "Hallo, Anna, Ben und ich fliegen in die Türkei. Anna ist meine Frau, Ben unser Sohn.", ["Anna", "Ben"]),
        ("de", "Wir fliegen nach Tunesien, meine Frau und ich", [None]),
        ("en", "Going in May, my wife and me, to Tunisia", [None]),
    ]:
        chat = Chat(lang)
        chat.send(text)
        assert [p["first_name"] for p in chat.slots["persons"]] == names, text


def test_grandparents_with_one_grandchild():
    for lang, text in [("fr", "mon mari et moi partons au Maroc avec notre petit-fils Noah"),
                       ("de", "mein Mann und ich fliegen mit unserem Enkel Noah nach Marokko"),
                       ("en", "my husband and I take our grandson Noah to Morocco")]:
        chat = Chat(lang)
        chat.send(text)
        assert [(p["label"], p["relation"]) for p in chat.slots["persons"]] == [
            ("husband", "spouse"), ("grandchild", "child")], lang
        assert chat.slots["persons"][1]["first_name"] == "Noah"


def test_the_residence_corrected_at_the_summary_is_changed_not_answered_as_a_question():
    for lang, text, code in [
        ("fr", "désolé je me suis trompé, je n'habite pas au Luxembourg mais à Longlaville, en France", "FR"),
        ("en", "sorry, I gave the wrong place: I actually live in Saarburg, Germany, not Luxembourg", "DE"),
        ("de", "Korrektur: ich wohne nicht in Luxemburg sondern in Athus in Belgien", "BE"),
    ]:
        chat = Chat(lang)
        chat.send({"fr": "je pars en Turquie", "en": "I go to Turkey", "de": "ich fliege in die Türkei"}[lang])
        to_summary(chat, lang)
        chat.send(text)
        assert chat.said[0] == "utter_changed_residence", lang
        assert chat.slots["residence"] == code and chat.slots["destination"] == "TR"
        assert chat.asked == "attachments"  # a non-resident sends the household certificate


def test_a_destination_given_up_after_two_small_words_is_negated():
    chat = at_summary("de", "ich fliege in die Türkei")
    chat.send("wir haben umgebucht: es geht doch nach Tunesien statt in die Türkei")
    assert chat.said[0] == "utter_changed_destination" and chat.slots["destination"] == "TN"


def test_a_relative_who_only_helped_is_no_traveller_and_alone_means_alone():
    for lang, text in [
        ("de", "Guten Tag, ich bin 74 Jahre alt, meine Enkelin hat mir diesen Chat gezeigt. Ich wohne in Bad Mondorf "
               "und fliege zum ersten Mal ganz allein zu meiner Freundin nach Kap Verde."),
        ("fr", "ma fille m'a montré ce site, je pars seule au Maroc"),
        ("en", "my son helped me find this chat, I am travelling alone to Tunisia"),
    ]:
        chat = Chat(lang)
        chat.send(text)
        assert chat.slots["persons"] == [], lang


def test_a_residence_said_out_of_habit_then_corrected():
    chat = at_summary("en", "Hi, I live in Pétange and I'd like to request the certificate for Tunisia, for me and my partner")
    chat.send("Sorry, one thing is wrong and it's my fault: we don't live in Pétange anymore, we moved to Longlaville "
              "in France in September. I still say Pétange out of habit. So my country of residence is France.")
    assert chat.said[0] == "utter_changed_residence" and chat.slots["residence"] == "FR"
    assert chat.slots["destination"] == "TN"
    chat = Chat("de")
    chat.send("meine Frau und ich fliegen nach Sal auf den Kapverden")
    while chat.asked != "residence":
        chat.send({"consent": "ja", "fund": "CNS", "req_matricule": ANNA, "req_last_name": "Reuter",
                   "req_first_name": "Pascal"}[chat.asked])
    chat.send("Luxemburg... ach nee, Quatsch, Macht der Gewohnheit. Wir sind letzten Sommer nach Igel gezogen, also Deutschland.")
    assert chat.slots["residence"] == "DE" and chat.slots["destination"] == "CV"
    assert chat.asked == "email"


def test_a_request_started_after_several_questions_keeps_what_the_opening_said():
    from bot.request import flow as F

    msgs = ["Ich schreibe für meine Zwillinge Luca und Elena (beide 21), die ab Januar ein Austauschsemester in "
            "Montréal machen. Wir wohnen in Cattenom in Frankreich, die beiden sind über mich bei der CNS "
            "mitversichert. Ich selbst reise nicht.", "ich bin hauptversichert", "Québec, Kanada",
            "Studium, Austauschsemester an der Université de Montréal"]
    earlier = [F.Message(t, None, 0.0, extraction.extract(t, "de", TODAY)) for t in msgs]
    result = F.step({"language": "de"}, F.Message("ja", "affirm", 0.99, []), TODAY, earlier=earlier)
    assert result.slots["requester_travels"] is False and result.slots["insured_status"] == "main"
    assert [p["label"] for p in result.slots["persons"]] == ["children", "children"]
    assert (result.slots["destination"], result.slots["profile"], result.slots["residence"]) == ("CA-QC", "study", "FR")


def test_someone_elses_cancelled_leave_is_no_cancelled_request():
    chat = at_summary("en", "Hi, we need the certificate for Turkey: me, our son Deniz and my husband Emre")
    chat.send("Wait, please take Emre off. His boss just cancelled his leave so he's not coming, it's only Deniz "
              "and me now.", intent="cancel", confidence=0.9)
    assert chat.outcome is None and chat.said[0] == "utter_person_removed"
    assert [p["first_name"] for p in chat.slots["persons"]] == ["Deniz"]


def test_the_names_listed_after_a_plural_relative_are_theirs_in_order():
    chat = Chat("fr")
    chat.send("Bonjour, on est cinq : mon mari Murat, nos trois enfants Deniz, Elif et Can, et moi. On part en Turquie.")
    assert [(p["label"], p["first_name"]) for p in chat.slots["persons"]] == [
        ("husband", "Murat"), ("children", "Deniz"), ("children", "Elif"), ("children", "Can")]
    chat = Chat("en")
    chat.send("me and my two kids go to Morocco and Tunisia")
    assert [p["first_name"] for p in chat.slots["persons"]] == [None, None]


def test_a_destination_changed_in_its_own_sentence_is_everyones():
    chat = Chat("fr")
    chat.send("mon mari et moi on va en Turquie au printemps")
    while chat.asked != "dates":
        chat.send({"consent": "oui", "fund": "CNS", "req_matricule": ANNA, "req_last_name": "Reuter",
                   "req_first_name": "Claudine", "residence": "Luxembourg", "email": "c@example.lu"}[chat.asked])
    chat.send("Du 5 avril 2027 au 19 avril 2027. Mais attendez, mon mari me dit qu'on a réservé en Tunisie et pas en "
              "Turquie, les vols étaient moins chers ! Donc c'est la Tunisie, aux mêmes dates.")
    assert chat.slots["destination"] == "TN"
    assert chat.slots["persons"][0]["destination"] is None


def test_my_own_name_corrected_when_another_person_is_named_too():
    chat = at_summary("en", "Hi, the Morocco certificate for me and my son please")
    chat.send("Sorry, I typed my own name wrong at the start: it's Duppont with two p, not Dupont. Leo is Duppont too.")
    assert chat.said[0] == "utter_changed_last_name" and chat.slots["req_last_name"] == "Duppont"
    assert "utter_person_already_on_request" not in chat.said


def test_is_it_too_late_in_the_form_gets_the_lead_time():
    for lang, opening, yes, text in [
        ("de", "ich fliege nach Marokko", "ja", "Moment, bevor ich weitermache: wir fliegen schon in gut drei Wochen. "
                                              "Reicht das zeitlich überhaupt noch oder ist es zu spät?"),
        ("fr", "je pars au Maroc", "oui", "on part dans trois semaines, est-ce qu'il est trop tard ?"),
        ("en", "I go to Morocco", "yes", "we fly in three weeks, is it too late?"),
    ]:
        chat = Chat(lang)
        chat.send(opening)
        chat.send(yes)
        chat.send("CNS")
        chat.send(text)
        assert "utter_advice_lead_time" in chat.said, lang
        assert chat.asked == "req_matricule"


def test_a_childs_stay_until_a_later_day_is_his_return_and_a_bad_own_date_is_asked_again():
    chat = Chat("fr")
    chat.send("Bonjour, j'habite à Longwy. Ma femme et moi partons en Tunisie du 10 au 24 mars 2027, notre fils Adam "
              "reste jusqu'au 31 mars.")
    assert "utter_invalid_return_before_departure" not in chat.said
    adam = chat.slots["persons"][1]
    assert (adam["first_name"], adam["departure"], adam["return_date"]) == ("Adam", None, "2027-03-31")
    # a person's own date that contradicts the shared trip is taken back and asked again, once
    chat = at_summary("fr", "je pars en Tunisie avec mon fils")
    chat.slots["persons"][0]["departure"] = "2027-04-25"  # after the shared return, the 20th
    chat.send("c'est bien ça ?")
    assert chat.said.count("utter_invalid_return_before_departure") == 1
    assert chat.slots["persons"][0]["departure"] is None and chat.asked == "p_same_trip"
    chat.send("oui")
    assert "utter_invalid_return_before_departure" not in chat.said


def test_a_fund_given_with_a_hesitation_is_said_back_with_its_acronym():
    # "The CNS I suppose? Oh wait, no … it's the CMFEP for me, isn't it?": the fund that stands is
    # said back, by the acronym people know it by, and the summary shows the acronym too
    chat = Chat("en")
    chat.send("I need the certificate for Morocco, just for me")
    chat.send("yes")
    assert chat.asked == "fund"
    chat.send("The CNS I suppose? Oh wait, no. I'm a teacher at the lycée, it's the CMFEP for me, isn't it?")
    assert chat.slots["fund"] == "CMFEP"
    assert chat.said[0] == "utter_noted_fund" and "(CMFEP)" in chat.params[0]["new"]
    chat = at_summary("fr", "je pars seul au Maroc")
    chat.send("pardon, ma caisse c'est la CMFEP et pas la CNS")
    changed = chat.params[chat.said.index("utter_changed_fund")]
    assert (changed["old"], changed["new"]) == ("Caisse nationale de santé (CNS)",
                                                "Caisse de maladie des fonctionnaires et employés publics (CMFEP)")
    assert "(CMFEP)" in chat.params[chat.said.index("utter_summary_requester")]["fund"]


def test_where_a_companion_is_insured_is_not_the_destination():
    # "son copain l'accompagne mais il est couvert en France": France is his insurance, not the trip
    for lang, text in [
            ("fr", "Ma fille Clémence part faire un semestre d'études à Montréal, je ne pars pas avec elle. Son copain "
                   "l'accompagne mais lui n'est pas assuré au Luxembourg (il est couvert en France)."),
            ("de", "Ich möchte das für meine Tochter beantragen, sie macht ein Auslandssemester in Montréal. Ich "
                   "selbst fliege nicht. Ihr Freund geht auch mit, der ist aber gar nicht bei der CNS versichert, "
                   "sondern über seine Eltern in Deutschland, also nur sie bitte.")]:
        chat = Chat(lang)
        chat.send(text)
        assert chat.slots["destination"] == "CA-QC" and chat.slots.get("residence") != "FR"
        assert [p["label"] for p in chat.slots["persons"]] == ["daughter"]


def test_a_relative_who_is_not_co_insured_is_not_added_and_the_reason_is_said():
    cases = [
        ("fr", "Bonsoir, on part en Tunisie avec ma femme et mon oncle Slim. Mon oncle n'est pas co-assuré chez moi, "
               "il est retraité et a sa propre assurance en France, donc je ne le mets pas sur la demande, c'est ça ?",
         ["wife"]),
        ("en", "We live in Nittel in Germany. My wife, our daughter and I are going to Bosnia and my uncle Mirsad is "
               "coming along, but he's insured in Germany on his own, not through me, so please only the three of us.",
         ["wife", "daughter"]),
    ]
    for lang, text, labels in cases:
        chat = Chat(lang)
        chat.send(text)
        assert "utter_not_coinsured" in chat.said
        assert [p["label"] for p in chat.slots["persons"]] == labels
        assert chat.slots["destination"] in ("TN", "BA") and not chat.slots.get("insured_status")
    chat = at_summary("de", "ich brauche die Bescheinigung für Tunesien, für meine Frau und mich")
    chat.send("Moment noch, mein Onkel Hédi fährt auch mit uns. Er ist aber nicht bei uns mitversichert, er hat "
              "seine eigene Versicherung. Muss der hier auch drauf?")
    assert chat.said[0] == "utter_not_coinsured" and [p["label"] for p in chat.slots["persons"]] == ["wife"]
    assert chat.asked == "confirm"


def test_a_child_flying_back_alone_does_not_keep_the_parent_who_travels_at_home():
    chat = Chat("de")
    chat.send("Wir wohnen in Nittel an der Mosel. Meine Frau, unser Sohn (15) und ich fliegen in die Türkei. Der Junge "
              "fliegt allein eine Woche früher zurück, weil bei ihm die Schule wieder anfängt.")
    assert chat.slots["requester_travels"] is True
    assert [p["label"] for p in chat.slots["persons"]] == ["wife", "son"]
    chat = Chat("en")
    chat.send("hi, morocco. me, my wife Hannah and our lad Toby who's 15. he's got school so he flies back on his own "
              "a week before us")
    assert chat.slots["requester_travels"] is True
    assert [(p["label"], p["first_name"]) for p in chat.slots["persons"]] == [("wife", "Hannah"), ("son", "Toby")]
    chat = Chat("fr")
    chat.send("mon fils part seul au Maroc")  # someone else alone, nothing said of the parent: the parent stays
    assert chat.slots["requester_travels"] is False


def test_a_posted_worker_asking_how_long_ahead_gets_the_lead_time():
    for lang, opening, yes, text in [
        ("de", "mein Arbeitgeber schickt mich für ein Projekt nach Montréal, also eine Entsendung", "ja",
         "Bevor ich die Daten gebe: wie lange vor der Abreise muss ich das eigentlich spätestens beantragen?"),
        ("fr", "mon employeur me détache à Montréal pour un projet", "oui",
         "avant de continuer : combien de temps avant le départ faut-il faire la demande ?"),
        ("en", "my employer is sending me to Montreal, it's a posting", "yes",
         "before I go on: how long before departure do I have to apply?"),
    ]:
        chat = Chat(lang)
        chat.send(opening)
        chat.send(yes)
        chat.send("CNS")
        chat.send(text)
        assert "utter_advice_lead_time" in chat.said, lang
        assert chat.params[chat.said.index("utter_advice_lead_time")]["lead_days"] == 15
        assert chat.asked == "req_matricule"


def test_a_person_added_with_a_question_at_the_summary_is_added_not_answered_as_a_topic():
    text = "Ah warte, meine Frau Elif kommt doch mit, gleiche Daten wie ich. Kann man sie noch dazunehmen?"
    chat = at_summary("de", "Brauche die Anspruchsbescheinigung für die Türkei, wohne in Kayl.")
    chat.send(text)
    assert persons(chat) == [("wife", "Elif", None)] and chat.asked == "p_matricule"
    chat = at_summary("de", "Ich fliege mit meiner Frau Elif in die Türkei")
    chat.send(text)
    assert chat.said[0] == "utter_person_already_on_request" and chat.asked == "confirm"


def test_a_sick_parent_where_the_person_goes_is_not_a_traveller():
    chat = Chat("de")
    chat.send("Ich wohne in Ottange in Frankreich, arbeite aber in Luxemburg, und meine Mutter in Izmir ist krank, "
              "deshalb muss ich bald in die Türkei. Können Sie mir helfen?")
    assert persons(chat) == [] and chat.slots["destination"] == "TR" and chat.slots["residence"] == "FR"
    chat = Chat("fr")
    chat.send("je pars au Maroc avec ma mère")
    assert [p["label"] for p in chat.slots["persons"]] == ["parent"]


def test_a_number_that_cannot_be_the_childs_goes_to_the_spouse_still_to_come():
    # asked the children first (as told), the person answers with the husband's number first
    chat = Chat("de")
    chat.send("Ich fliege mit meinen drei Kindern nach Bosnien, mein Mann kommt ein paar Tage später nach.")
    for text in ["ja", "CNS", matricule.generate("1984-10-30", 30), "Begić", "Selma", "Luxemburg", "selma@example.de",
                 "vom 8. Januar 2027 bis 29. Januar 2027"]:
        chat.send(text)
    assert chat.asked == "p_matricule" and chat.params[0]["who"] == "Ihr Kind"
    chat.send(matricule.generate("1981-06-06", 606))
    assert chat.said[0] == "utter_number_is_of" and chat.params[0]["who"] == "Ihr Ehemann"
    assert chat.asked == "p_last_name" and chat.params[1]["who"] == "Ihr Ehemann"
    assert [(p["label"], p["matricule"]) for p in chat.slots["persons"]][0] == (
        "husband", matricule.generate("1981-06-06", 606))


def test_a_relative_whose_event_it_is_does_not_travel():
    for lang, text, labels in [
            ("fr", "je suis frontalier, j'habite à Habay, et je vais au Cap-Vert pour le mariage d'un cousin", []),
            ("en", "I'm going to Morocco for the wedding of my cousin", []),
            ("fr", "je pars au Maroc avec mon cousin Karim", ["other"]),
            ("de", "Ich fahre mit meinem Onkel in die Türkei", ["other"])]:
        chat = Chat(lang)
        chat.send(text)
        assert [p["label"] for p in chat.slots["persons"]] == labels, text


def test_where_to_get_the_household_certificate_asked_at_the_summary_in_sms_style():
    chat = Chat("en")
    chat.send("hi need the paper for tunisia pls. live in ottange (france) work in lux. just me going")
    for text in ["yes", "CNS", ANNA, "Benali", "Yassine", "y@example.fr", "from April 3, 2027 to April 20, 2027", "no",
                 "I will send it later"]:
        chat.send(text)
    assert chat.asked == "confirm"
    chat.send("wait b4 i say yes, this houshold composition thing, where do i even get that")
    assert chat.said[0] == "utter_topic_household_certificate_what" and chat.asked == "confirm"


def test_a_daughter_who_does_not_come_after_all_is_taken_off_at_the_summary():
    for lang, opening, text in [
            ("de", "ich fahre mit meiner Tochter Mia nach Marokko",
             "Ach Mist, Mia hat gerade geschrieben, dass sie doch nicht mitkommt, sie hat eine Nachprüfung. Bitte nehmen "
             "Sie sie wieder raus, ich fahre allein."),
            ("fr", "je pars au Maroc avec ma fille Mia", "Mia ne pourra finalement pas venir, elle a un examen"),
            ("en", "I go to Morocco with my daughter Mia", "Mia can't come after all, she has an exam")]:
        chat = Chat(lang)
        chat.send(opening)
        to_summary(chat, lang)
        chat.send(text)
        assert chat.said[0] == "utter_person_removed" and persons(chat) == [] and chat.asked == "confirm", lang


def test_a_relative_who_gets_married_there_does_not_travel():
    for lang, text in [
            ("de", "Hallo, mein Bruder heiratet in Oujda in Marokko und ich brauche dafür noch ein Formular."),
            ("fr", "mon frère se marie à Agadir, je pars au Maroc"),
            ("en", "my sister is getting married in Tunis, I'm going to Tunisia")]:
        chat = Chat(lang)
        chat.send(text)
        assert persons(chat) == [], lang


def test_a_parent_taking_the_children_named_near_home_has_one_shared_destination():
    chat = Chat("fr")
    chat.send("Bonjour, j'habite à Thil, à côté de Longwy, et je travaille à Esch. Je voudrais emmener mes deux enfants "
              "en Turquie chez ma mère : le grand est en CE2 et la petite n'a même pas deux ans. Qu'est-ce qu'il me "
              "faut pour l'assurance ?")
    assert (chat.slots["destination"], chat.slots["residence"], chat.slots["requester_travels"]) == ("TR", "FR", True)
    assert all(p["destination"] is None for p in chat.slots["persons"])


def test_which_number_is_that_asked_at_the_number_gets_where_it_is():
    for lang, opening, yes, text in [
            ("en", "I need the certificate for Tunisia, I'm travelling on my own", "yes",
             "Sorry, which number is that exactly? The one on my payslip or on some card? I only moved here this year."),
            ("de", "ich fahre allein nach Tunesien", "ja", "Welche Nummer ist das genau? Die auf der Lohnabrechnung?"),
            ("fr", "je pars seul en Tunisie", "oui", "c'est quel numéro exactement ? celui de la fiche de paie ?")]:
        chat = Chat(lang)
        chat.send(opening)
        chat.send(yes)
        chat.send("CNS")
        chat.send(text)
        assert chat.said[0] == "utter_topic_id_number" and chat.asked == "req_matricule", lang


def test_do_i_have_to_send_a_document_because_i_live_abroad_gets_the_household_certificate():
    for lang, opening, yes, text in [
            ("en", "hello, i live in villerupt. going to morocco (oujda) alone", "yes",
             "btw do i have to send u some document because i live in france?? my colleague said something like that"),
            ("de", "ich wohne in Trier und fahre allein nach Marokko", "ja",
             "muss ich Ihnen noch irgendwelche Unterlagen schicken, weil ich in Deutschland wohne?"),
            ("fr", "j'habite à Longwy et je pars seul au Maroc", "oui",
             "je dois vous envoyer un autre document vu que j'habite en France ?")]:
        chat = Chat(lang)
        chat.send(opening)
        chat.send(yes)
        chat.send("CNS")
        chat.send(text)
        assert chat.said[0] == "utter_topic_household_certificate" and chat.asked == "req_matricule", lang


def test_a_trip_moved_a_day_earlier_keeps_the_return_said_to_stay():
    for lang, opening, text in [
            ("fr", "je pars au Maroc avec mon fils",
             "Ah attendez, la compagnie vient de changer notre vol : on part un jour plus tôt que ce que je vous ai "
             "dit, pour nous cinq. Le retour ne bouge pas."),
            ("de", "ich fahre mit meinem Sohn nach Marokko", "Wir fliegen einen Tag früher, der Rückflug bleibt gleich.")]:
        chat = Chat(lang)
        chat.send(opening)
        to_summary(chat, lang)
        chat.send(text)
        assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-04-02", "2027-04-20"), lang
        assert chat.said[0] == "utter_changed_departure" and "utter_changed_return" not in chat.said


def test_dates_given_in_the_wrong_order_are_read_the_right_way_round_and_said_so():
    for lang, opening, yes, text in [
            ("en", "I go to Morocco", "yes", "from February 19, 2027 to February 5, 2027"),
            ("de", "ich fahre nach Marokko", "ja", "vom 10.02.2027 bis 27.01.2027"),
            ("fr", "je pars au Maroc", "oui", "du 15 février 2027 au 1er février 2027")]:
        chat = Chat(lang)
        chat.send(opening)
        for text_ in [yes, "CNS", ANNA, "Dupont", "Marie", "Luxembourg", "m@example.lu"]:
            chat.send(text_)
        assert chat.asked == "dates"
        chat.send(text)
        assert chat.said[0] == "utter_dates_swapped" and chat.asked == "more_people", lang
        assert chat.slots["departure"] < chat.slots["return_date"]


def test_return_said_before_departure_and_a_hyphenated_co_insured_partner():
    chat = Chat("fr")
    chat.send("Bjr, j'habite à Athus et je travaille à Pétange. Ma compagne et moi on va à Antalya, on rentre le 15 "
              "février 2027 et on part le 1er février 2027. Elle est co-assurée sur ma carte. Il faut faire quoi ?")
    assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-02-01", "2027-02-15")
    assert chat.slots["insured_status"] == "main" and [p["label"] for p in chat.slots["persons"]] == ["partner"]


def test_a_sister_who_takes_the_widow_along_and_has_her_own_insurance():
    chat = Chat("fr")
    chat.send("Bonjour. Depuis le décès de mon mari je ne voyage plus beaucoup, mais ma sœur m'emmène en Turquie, à "
              "Bodrum. J'habite à Echternach. Je suis diabétique et j'ai vraiment peur de tomber malade là-bas sans "
              "être couverte, pouvez-vous m'aider à faire ce qu'il faut ? Ma sœur, elle, a sa propre assurance.")
    assert chat.said[0] == "utter_not_coinsured" and persons(chat) == []
    assert (chat.slots["requester_travels"], chat.slots["destination"]) == (True, "TR")


def test_a_person_taken_off_then_put_back_comes_back_as_they_were_and_the_number_is_theirs():
    # e8-fr-habay: the number said when putting the son back changed the requester's number
    chat = at_summary("fr", "Bonjour, nous partons en Tunisie à trois, ma femme, notre fils et moi.")
    chat.send("Ah, retirez Leo s'il vous plaît, il reste finalement chez ses grands-parents.")
    assert chat.said[0] == "utter_person_removed" and [p[1] for p in persons(chat)] == ["Tom"]
    chat.send(f"Non désolé, il vient avec nous finalement ! Remettez Leo Dupont, matricule {LEO}, mêmes dates que nous.")
    assert chat.said[0] == "utter_person_restored" and "utter_person_added" not in chat.said
    assert "utter_changed_matricule" not in chat.said and chat.slots["req_matricule"] == ANNA
    assert persons(chat) == [("wife", "Tom", TOM), ("son", "Leo", LEO)]
    assert chat.asked == "confirm" and not chat.slots["removed_persons"]


def test_a_person_put_back_by_relation_and_the_relative_who_says_so_is_no_traveller():
    chat = at_summary("en", "I want the paper for Morocco for me and my son.")
    chat.send("Wait, please take Leo out, he stays home with his grandmother.")
    assert chat.said[0] == "utter_person_removed" and persons(chat) == []
    chat.send("Sorry, my wife says my son comes with us after all.")
    assert chat.said[0] == "utter_person_restored"
    assert persons(chat) == [("son", "Leo", LEO)] and chat.asked == "confirm"


def test_a_spouse_insured_with_a_foreign_fund_is_not_on_the_request():
    # e8-fr-arlon: "lui est affilié à une mutualité belge, donc la demande est seulement pour moi"
    for lang, text in [
        ("fr", "Mon mari et moi partons à Sarajevo, mais lui est affilié à une mutualité belge, donc la demande est seulement pour moi."),
        ("en", "My wife and I go to Turkey, but she is insured with a Belgian mutual."),
        ("de", "Meine Frau und ich fliegen in die Türkei, sie ist aber bei einer belgischen Krankenkasse versichert."),
    ]:
        chat = Chat(lang)
        chat.send(text)
        assert persons(chat) == [] and "utter_not_coinsured" in chat.said, lang
    chat = Chat("fr")
    chat.send("je pars en Turquie avec ma femme, elle est assurée à la CNS, nous habitons en France")
    assert [p[0] for p in persons(chat)] == ["wife"]


def test_the_travellers_details_given_as_the_requesters_make_her_the_traveller():
    # n9-de-trier: "ich fülle das für meine Mutter aus … Ich gebe gleich ihre Daten an"
    mother = matricule.generate("1948-02-19", 21)
    chat = Chat("de")
    chat.send("Guten Tag, ich fülle das für meine Mutter aus. Sie fliegt ganz allein nach Sarajevo zu ihrer "
              "Schwester. Ich gebe gleich ihre Daten an, nur die E-Mail-Adresse ist meine.")
    assert chat.slots["requester_travels"] is False and persons(chat) == [("parent", None, None)]
    for answer in ["ja", "CNS", mother, "Hodzic", "Zlata", "Luxemburg", "edin@example.de",
                   "vom 11. Januar 2027 bis 22. Februar 2027"]:
        chat.send(answer)
    assert chat.asked == "p_matricule"
    chat.send(mother)
    assert chat.said[0] == "utter_requester_is_the_traveller" and chat.params[0] == {"name": "Zlata Hodzic"}
    assert chat.slots["requester_travels"] is True and persons(chat) == []
    assert chat.slots["departure"] == "2027-01-11" and chat.asked == "more_people"


def test_a_listed_person_said_to_be_co_insured_elsewhere_is_taken_off_even_in_a_question():
    # n9-en-kayl: the brother named in the opening, then "co-insured on our dad's card. Can I just put him on?"
    chat = Chat("en")
    chat.send("Hi, my younger brother and I want to go to Cape Verde. I live in Kayl.")
    assert [p[0] for p in persons(chat)] == ["other"]
    chat.send("ok but first: I have my own insurance through my job, but my brother Luca is 21 and still "
              "co-insured on our dad's card. Can I just put him on my request?")
    assert chat.said[:2] == ["utter_person_removed", "utter_not_coinsured"] and persons(chat) == []
    assert chat.asked == "consent"


def test_a_rebooking_asked_as_a_question_and_we_after_a_colon_change_everyones_country():
    # n9-de-perl ("… umgebucht. Können Sie das bitte noch umstellen?"), n9-en-longwy ("my wife found a better deal: we go …")
    for lang, opening, text, new in [
        ("de", "Mein Mann und ich fliegen nach Djerba in Tunesien",
         "Oh je, gerade kam eine Mail vom Reisebüro: das Hotel auf Djerba ist überbucht, sie haben uns nach "
         "Agadir in Marokko umgebucht. Gleiche Daten, nur das Land ist jetzt ein anderes. Können Sie das bitte noch umstellen?", "MA"),
        ("en", "my wife and I go to Turkey",
         "Wait, change of plans, my wife found a better deal: we go to Tunisia instead. Same dates, same everything.", "TN"),
    ]:
        chat = Chat(lang)
        chat.send(opening)
        to_summary(chat, lang)
        chat.send(text)
        assert chat.said[0] == "utter_changed_destination", lang
        assert chat.slots["destination"] == new and not chat.slots["persons"][0].get("destination")


def test_persons_listed_with_their_ages_are_added_and_a_number_goes_to_whom_its_age_fits():
    # n9-de-grevenmacher: "Wir sind fünf: ich (44), mein Mann Dario (46), Luka (18), Mia (13) und Ivan (9)"
    chat = Chat("de")
    chat.send("Wir sind fünf: ich (44), mein Mann Dario (46), Luka (18), Mia (13) und Ivan (9). Ich fliege mit Mia "
              "und Ivan am 1. Januar 2027 nach Tunesien vor, Luka hat noch Prüfungen und kommt mit seinem Vater erst am "
              "15. Januar 2027 nach. Zurück fliegen wir alle zusammen am 5. Februar 2027.")
    listed = [(p["label"], p["first_name"], p.get("age")) for p in chat.slots["persons"]]
    assert listed == [("husband", "Dario", 46), ("child", "Luka", 18), ("child", "Mia", 13), ("child", "Ivan", 9)]
    assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-01-01", "2027-02-05")
    # the father Luka comes with is the requester's husband: both leave on the 15th
    assert [p["departure"] for p in chat.slots["persons"]] == ["2027-01-15", "2027-01-15", None, None]
    fill_requester(chat, "de")
    assert chat.asked == "p_matricule"  # about Dario; the number given is a 13-year-old's: Mia's
    mia = matricule.generate("2013-03-27", 62)
    chat.send(mia)
    assert chat.said[0] == "utter_number_is_of" and chat.params[0]["who"] == "Mia"
    assert [p["matricule"] for p in chat.slots["persons"]][:2] == [mia, None]


def test_children_named_by_their_rank_are_as_many_as_said():
    # n9-en-thionville: "me and the two youngest fly out first, my husband comes one week later with our eldest"
    for lang, text in [
        ("en", "I need the certificate for Tunisia: me and the two youngest fly out first, my husband comes "
               "one week later with our eldest."),
        ("de", "Ich fliege mit den beiden Kleinen nach Tunesien vor, mein Mann kommt mit unserem Ältesten eine Woche später nach."),
    ]:
        chat = Chat(lang)
        chat.send(text)
        assert [p[0] for p in persons(chat)] == ["children", "children", "husband", "child"], lang
    chat = Chat("fr")
    chat.send("je pars avec mes deux garçons en Tunisie")
    assert [p[0] for p in persons(chat)] == ["sons", "sons"]


def test_a_relation_corrected_at_the_summary_is_changed_and_shown():
    # n9-en-capellen: "Amra is listed as my spouse?? No no, she's my daughter! … Please correct it."
    for lang, opening, text, old, new in [
        ("en", "I go to Bosnia with my wife Mia", "Wait, Mia is listed as my spouse?? No no, she's my daughter! "
         "I pressed the wrong thing. Please correct it.", "spouse", "child"),
        ("fr", "je pars en Bosnie avec mon fils Leo", "Leo ce n'est pas mon fils, c'est mon neveu", "enfant", "autre lien"),
        ("de", "ich fliege mit meiner Frau Mia nach Bosnien", "Mia ist nicht meine Frau, sondern meine Tochter, bitte korrigieren",
         "Ehepartner/in", "Kind"),
    ]:
        chat = Chat(lang)
        chat.send(opening)
        to_summary(chat, lang)
        chat.send(text)
        assert chat.said[0] == "utter_changed_relation_of" and (chat.params[0]["old"], chat.params[0]["new"]) == (old, new)
        shown = [p["relation"] for r, p in zip(chat.said, chat.params) if r == "utter_summary_person"]
        assert shown[-1] == new and chat.asked == "confirm"
    chat = at_summary("en", "I go to Bosnia with my son Leo")
    chat.send("my son Leo comes back on April 25, 2027")
    assert chat.said[0] == "utter_changed_return_of"  # a relative named in passing is no correction


def test_the_partners_children_travel_and_someone_elses_do_not():
    # n9-en-hesperange: "We are four: me, my partner Ivan and his two children"
    for lang, text, labels in [
        ("en", "We are four: me, my partner Ivan and his two children, we're visiting his family in Mostar.",
         ["partner", "children", "children"]),
        ("de", "Ich fliege mit meiner Partnerin Anna und ihren zwei Kindern nach Marokko", ["partner", "children", "children"]),
        ("fr", "je pars au Maroc avec mon fils et sa femme", ["son"]),
        ("en", "we visit my brother and his children in Morocco", []),
    ]:
        chat = Chat(lang)
        chat.send(text)
        assert [p[0] for p in persons(chat)] == labels, text


def test_children_named_with_ages_after_their_number_are_those_children_and_his_father_is_the_husband():
    # n9-fr-thionville: "mes trois enfants : Lina (11 ans) et Adam (7 ans) …, et Rayan (16 ans) nous rejoint
    # … avec son père. Mon mari fait sa propre demande de son côté, il est assuré à part."
    chat = Chat("fr")
    chat.send("Je voudrais l'attestation pour le Maroc pour moi et mes trois enfants : Lina (11 ans) et Adam (7 ans) "
              "partent avec moi, et Rayan (16 ans) nous rejoint une dizaine de jours plus tard avec son père. "
              "Mon mari fait sa propre demande de son côté, il est assuré à part.")
    assert [(p["first_name"], p.get("age")) for p in chat.slots["persons"]] == [("Lina", 11), ("Adam", 7), ("Rayan", 16)]
    assert "utter_not_coinsured" in chat.said


def test_a_pension_from_luxembourg_is_no_residence():
    # n9-de-trier: "wohnt bei uns in Trier und bekommt ihre Rente aus Luxemburg"
    chat = Chat("de")
    chat.send("Meine Mutter wohnt bei uns in Trier und bekommt ihre Rente aus Luxemburg. Sie fliegt ganz allein nach Sarajevo.")
    assert chat.slots["residence"] == "DE" and chat.slots["destination"] == "BA"


def test_someone_who_visits_in_the_middle_for_three_weeks_has_no_dates_made_up():
    # n9-de-mersch: "Meine Frau kommt mit unseren zwei Kindern zwischendurch für drei Wochen zu Besuch"
    chat = Chat("de")
    chat.send("Meine Firma entsendet mich ab dem 5. Januar 2027 für ungefähr acht Monate nach Sfax, Tunesien. "
              "Meine Frau kommt mit unseren zwei Kindern zwischendurch für drei Wochen zu Besuch.")
    assert chat.slots["departure"] == "2027-01-05"
    assert [(p["label"], p.get("departure"), p.get("return_date")) for p in chat.slots["persons"]] == \
        [("wife", None, None), ("children", None, None), ("children", None, None)]


def test_a_posted_worker_asking_about_the_a1_at_the_summary_gets_the_posting_answer():
    chat = at_summary("de", "meine Firma entsendet mich ab dem 5. Januar 2027 für acht Monate nach Tunesien.")
    chat.send("Eine Sache noch, bevor ich bestätige: ich bin ja entsandt. Brauche ich für Tunesien zusätzlich "
              "eine A1-Bescheinigung wie bei meinen Einsätzen in Frankreich, oder reicht das hier?")
    assert chat.said[0] == "utter_advice_posting_intro" and "utter_advice_lead_time" not in chat.said


def test_a_fund_corrected_with_not_at_the_other_and_her_return_that_stays():
    # n9-de-dudelange: "bin deshalb bei der CMFEC, nicht bei der CNS. Bitte ändern Sie das noch."
    chat = at_summary("de", "ich fliege mit meinem Mann nach Kap Verde")
    chat.send("Entschuldigung, das mit der Kasse war falsch von mir: ich arbeite bei der Gemeinde Düdelingen und bin "
              "deshalb bei der CMFEC, nicht bei der CNS. Bitte ändern Sie das noch.")
    assert chat.said[0] == "utter_changed_fund" and chat.slots["fund"] == "CMFEC"
    # n9-de-merzig: "sie fliegt schon am 22. Januar. Ihr Rückflug am 5. Februar bleibt."
    chat = at_summary("de", "ich fliege mit meiner Tochter Mia nach Kap Verde")
    chat.send("Ah, Korrektur bei meiner Tochter: Mia hat einen früheren Flug bekommen, sie fliegt schon am "
              "1. April 2027. Ihr Rückflug am 20. April 2027 bleibt.")
    assert [s for s in chat.said if s.startswith("utter_changed")] == ["utter_changed_departure_of"]
    assert chat.slots["return_date"] == "2027-04-20"


def test_a_document_in_french_from_the_commune_is_no_language_switch_and_no_destination():
    # n9-en-bastogne: "I got it from the commune in Bastogne last week. Where do I send it, and is it ok that it's in French?"
    from bot import language
    assert language.requested("is it ok that it's in French?") is None
    assert language.requested("das Dokument ist auf Französisch, geht das?") is None
    assert language.requested("can we continue in french") == "fr"
    chat = at_summary("en", "We go to Morocco")
    chat.send("Before I confirm: the household composition certificate, I got it from the commune in Bastogne "
              "last week. Where do I send it, and is it ok that it's in French?")
    assert chat.said[0] == "utter_topic_household_certificate" and "utter_advice_ehic" not in chat.said


def test_a_question_about_another_country_read_as_delivery_is_answered_for_that_country():
    # n9-de-schifflange: "Gilt die Bescheinigung dann auch in den USA?" (classified as ask_delivery)
    chat = at_summary("de", "mein Arbeitgeber entsendet mich für vier Monate nach Montréal")
    chat.send("Eine Frage noch vor dem Abschicken: an einem Wochenende will ich mit dem Bus nach New York. "
              "Gilt die Bescheinigung dann auch in den USA?", intent="ask_delivery", confidence=0.9)
    assert chat.said[0] == "utter_advice_no_convention"


def test_a_surname_the_classifier_reads_as_a_topic_is_the_surname():
    # n9-en-remich: "Carter" to "What is your last name?" was answered with the EHIC text, again and again
    chat = Chat("en")
    chat.send("I'm spending two weeks in Hammamet, Tunisia")
    for answer in ["yes", "CNS", ANNA]:
        chat.send(answer)
    assert chat.asked == "req_last_name"
    chat.send("Carter", intent="ask_ehic", confidence=0.95)
    assert chat.slots["req_last_name"] == "Carter" and chat.asked == "req_first_name"


def test_a_question_in_the_message_that_starts_the_request_is_answered_too():
    # n9-en-walferdange: "Sure, but one question first. … what do my wife and the kids need for Turkey?"
    chat = Chat("en", profile="posting", destination="TR")
    chat.send("Sure, but one question first. I go out first, my wife and our two kids follow about a month later "
              "and stay until the end. HR says they sort out my own paperwork with the CCSS, but what do my wife "
              "and the kids need for Turkey?", intent="affirm", confidence=0.9)
    assert chat.said[0].startswith("utter_advice_") and "utter_offer_request" not in chat.said
    assert [p[0] for p in persons(chat)] == ["wife", "children", "children"] and chat.asked == "consent"


def test_each_place_of_a_round_trip_is_answered_and_the_request_offered_for_the_one_that_needs_it():
    # n9-fr-hesperange: "d'abord deux semaines en Turquie, puis trois jours en Grèce. Pour la Grèce, il faut aussi un formulaire ?"
    from bot.answers import topics
    text = ("C'est un circuit : d'abord deux semaines en Turquie, puis on finit par trois jours en Grèce. "
            "Pour la Grèce, il faut aussi un formulaire ?")
    answer = topics.answer("ask_form", extraction.extract(text, "fr", TODAY), {}, "fr", text)
    said = [s.response for s in answer.say]
    assert said[0] == "utter_advice_ehic" and "utter_advice_convention" in said and said[-1] == "utter_offer_request"
    assert answer.slots["context_country"] == "TR" and answer.slots["pending_offer"] == "request"


def test_a_removal_takes_off_whom_its_sentences_name_not_those_said_to_be_fine():
    # n9-fr-messancy: "Emma … ne part plus avec nous … Vous pouvez la retirer ? Pour mon mari et moi tout est bon."
    chat = at_summary("fr", "je pars en Tunisie avec mon mari Olivier et notre fille Emma")
    chat.send("Mince, Emma vient de me dire qu'elle ne part plus avec nous, elle a trouvé un stage. "
              "Vous pouvez la retirer ? Pour mon mari et moi tout est bon.")
    assert chat.said.count("utter_person_removed") == 1 and chat.params[0]["who"] == "Emma"
    assert [p[0] for p in persons(chat)] == ["husband"]


def test_a_relative_said_not_to_come_in_the_opening_is_not_added_and_the_speaker_still_travels():
    # n9-fr-hettange: "je part en Turquie avec mes 2 enfants du … au …, mon mari ne vient pas"
    for lang, text in [
        ("fr", "je part en Turquie avec mes 2 enfants du 6 février 2027 au 20 février 2027, mon mari ne vient pas."),
        ("en", "I fly to Turkey with my two kids, my husband is not coming"),
        ("de", "Ich fliege mit meinen zwei Kindern in die Türkei, mein Mann kommt nicht mit"),
    ]:
        chat = Chat(lang)
        chat.send(text)
        assert [p[0] for p in persons(chat)] == ["children", "children"], lang
        assert chat.slots["requester_travels"] is not False, lang


def test_and_a_verb_go_on_with_the_subject_before_and_a_day_dot_ends_no_clause():
    # n9-de-merzig: "meine Tochter kommt am 24. Januar nach und fliegt am 5. Februar schon wieder heim"
    chat = Chat("de")
    chat.send("Vom 8. Januar 2027 bis zum 12. Februar 2027 bin ich weg, meine Tochter kommt am 24. Januar 2027 nach "
              "und fliegt am 5. Februar 2027 schon wieder heim. Wir fliegen nach Kap Verde.")
    assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-01-08", "2027-02-12")
    assert [(p["departure"], p["return_date"]) for p in chat.slots["persons"]] == [("2027-01-24", "2027-02-05")]


def test_a_round_trip_request_is_for_the_place_that_needs_the_certificate():
    # n9-fr-hesperange: "d'abord deux semaines en Turquie, puis trois jours en Grèce"
    chat = Chat("fr")
    chat.send("C'est un circuit : d'abord deux semaines en Turquie, puis on finit par trois jours en Grèce. "
              "Pour la Grèce, il faut aussi un formulaire ?")
    assert chat.slots["destination"] == "TR" and chat.asked == "consent"
    chat = Chat("fr")
    chat.send("je pars en Turquie, non pardon en Grèce")
    assert chat.slots.get("destination") is None and "utter_request_not_this_procedure" in chat.said


def test_a_date_taken_back_after_two_is_replaced_and_ordinals_are_no_pronouns():
    # t10-de-longlaville: "hin am 08.01.2027, zuruck 29.01.2027... ne sorry, zuruck ist am 30.01.2027"
    chat = Chat("de")
    chat.send("flieg mit meinem sohn (15) in die turkei")
    fill_requester(chat, "de")
    assert chat.asked == "dates"
    chat.send("hin am 08.01.2027, zuruck 29.01.2027... ne sorry, zuruck ist am 30.01.2027, hab falsch geguckt")
    assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-01-08", "2027-01-30")
    # t10-fr-sanem: "départ le 1er avril … et retour le 15 avril, pour nous trois" ("1er" is no German "er")
    chat = at_summary("fr", "nous partons en Turquie à trois, mon mari Leo, notre fille Mia et moi")
    chat.send("Oups, je viens de recevoir un mail de la compagnie, nos vols sont décalés d'une semaine : "
              "départ le 1er avril 2027 et retour le 15 avril 2027, pour nous trois.")
    assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-04-01", "2027-04-15")
    assert all(not p.get("departure") and not p.get("return_date") for p in chat.slots["persons"])


def test_a_return_said_to_be_the_same_keeps_and_an_age_in_weeks_is_no_stay():
    # t10-fr-schuttrange: "Ricardo part 3 jours apres moi …, le 6 avril. le retour c'est pareil"
    chat = at_summary("fr", "je pars au cap vert avec mon mari Leo")
    chat.send("ah j'allais oublier, Leo part 3 jours apres moi a cause de son boulot, le 6 avril 2027. le retour c'est pareil")
    assert chat.said[0] == "utter_changed_departure_of" and "utter_changed_return_of" not in chat.said
    # t10-de-mondercange: "unsere Tochter Maura ist erst 5 Wochen alt … hat noch keine Identifikationsnummer"
    chat = at_summary("de", "meine Frau und ich fliegen nach Kap Verde")
    chat.send("Eine Sache noch: unsere Tochter Maura ist erst 5 Wochen alt und fliegt natürlich mit, sie hat aber "
              "noch keine Identifikationsnummer. Geht das trotzdem?")
    assert chat.said[0] == "utter_topic_no_number" and chat.slots["return_date"] == "2027-04-20"
    assert [p[0] for p in persons(chat)] == ["wife"]


def test_a_parent_filling_in_who_then_wants_to_join():
    # t10-en-lorentzweiler: "I'm not the one travelling, just filling it in for her" … "could you add me as well?
    # I'd like to visit her …, just a holiday" (Quebec: studies and postings only)
    chat = Chat("en")
    chat.send("Hi there, my daughter Niamh starts an exchange semester at Université Laval in Quebec City in about "
              "five weeks and I'm sorting out her paperwork. I'm not the one travelling, just filling it in for her.")
    assert chat.slots["requester_travels"] is False and chat.slots["destination"] == "CA-QC"
    chat.slots.update(consent=True, fund="CNS", req_matricule=ANNA, req_last_name="O'Connell", req_first_name="Margaret",
                      residence="LU", email="m@example.lu", departure="2027-01-13", return_date="2027-06-14",
                      insured_status="main", more_people_done=True, profile="study")
    chat.slots["persons"][0].update(matricule=LEO, last_name="O'Connell", relation="child")
    chat.send("Oh, and could you add me as well? I'd like to fly over and visit her from April 5, 2027 to April 19, 2027, just a holiday.")
    assert chat.said[:3] == ["utter_advice_not_covered", "utter_advice_costs_abroad", "utter_requester_not_added"]
    assert chat.slots["requester_travels"] is False and chat.slots["departure"] == "2027-01-13"
    # to Morocco, the parent joins with their own dates and the son keeps his
    chat = Chat("en", consent=True, fund="CNS", req_matricule=ANNA, req_last_name="Dupont", req_first_name="Marie",
                residence="LU", email="m@example.lu", destination="MA", departure="2027-01-13", return_date="2027-06-14",
                insured_status="main", more_people_done=True, requester_travels=False,
                persons=[{"label": "son", "relation": "child", "matricule": LEO, "last_name": "Dupont", "first_name": "Leo"}])
    chat.slots["requested_slot"] = "confirm"
    chat.send("Oh, and could you add me as well? I'd like to fly over and visit him from April 5, 2027 to April 19, 2027")
    assert chat.said[0] == "utter_requester_travelling" and chat.slots["requester_travels"] is True
    assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-04-05", "2027-04-19")
    person = chat.slots["persons"][0]
    assert (person["departure"], person["return_date"]) == ("2027-01-13", "2027-06-14")


def test_a_parent_asking_to_be_added_in_a_question_is_told_why_not_and_nothing_changes():
    # t10-fr-bascharage, t10-de-bissen: "j'aimerais aller la voir … Est-ce que je peux m'ajouter ?",
    # "Ich möchte Lea … zwei Wochen besuchen. Kann ich mich da gleich mit auf den Antrag setzen?"
    for lang, text in [
        ("fr", "Une question avant de valider : j'aimerais aller la voir là-bas une quinzaine de jours pendant son "
               "année. Est-ce que je peux m'ajouter à cette demande ?"),
        ("de", "Eine Frage noch, bevor Sie das abschicken: Ich möchte Lea in der Zeit für zwei Wochen besuchen. "
               "Kann ich mich da gleich mit auf den Antrag setzen?"),
    ]:
        chat = Chat(lang, consent=True, fund="CNS", req_matricule=ANNA, req_last_name="D", req_first_name="M",
                    residence="LU", email="m@example.lu", destination="CA-QC", departure="2027-01-13",
                    return_date="2027-06-14", insured_status="main", more_people_done=True, requester_travels=False,
                    profile="study", summary_shown=True,
                    persons=[{"label": "daughter", "relation": "child", "matricule": LEO, "last_name": "D", "first_name": "Lea"}])
        chat.slots["requested_slot"] = "confirm"
        chat.send(text)
        assert chat.said[0] == "utter_advice_not_covered" and "utter_requester_not_added" in chat.said, lang
        assert chat.slots["return_date"] == "2027-06-14" and chat.slots["requester_travels"] is False


def test_a_first_name_corrected_with_heisst_and_sharp_s_in_cues():
    # t10-de-arlon: "Kleiner Fehler: meine Frau heißt Jacqueline, mit c vor dem q, nicht Jaqueline."
    from bot.text import matches
    assert matches("name_any", "meine Frau heißt Jacqueline") and matches("name_any", "meine Frau heisst Jacqueline")
    chat = at_summary("de", "ich fliege mit meiner Frau Jaqueline nach Bosnien")
    chat.send("Kleiner Fehler: meine Frau heißt Jacqueline, mit c vor dem q, nicht Jaqueline.")
    assert chat.said[0] == "utter_changed_first_name_of" and chat.params[0]["new"] == "Jacqueline"


def test_ages_said_as_who_is_or_after_the_name_in_a_list():
    # t10-en-differdange: "me, my wife Ana, Tiago who is 15, Sara 12 and our little one Rui, he is 4"
    chat = Chat("en")
    chat.send("The trip is for me, my wife Ana, Tiago who is 15, Sara 12 and our little one Rui, he is 4, me and "
              "Rui fly first and the other three follow one week later, and the destination is Praia, Cape Verde")
    listed = [(p["label"], p["first_name"], p.get("age")) for p in chat.slots["persons"]]
    assert listed == [("wife", "Ana", None), ("child", "Rui", 4), ("child", "Tiago", 15), ("child", "Sara", 12)]
    chat = Chat("en")
    chat.send("We fly to Tunisia, gate B 12, Terminal 2, and we land at 14")
    assert chat.slots["persons"] == []


def test_relatives_insured_elsewhere_are_told_why_not_in_a_question_and_their_fund_is_not_the_requesters():
    # t10-fr-trier-ehrang, t10-de-ettelbruck
    chat = at_summary("fr", "je pars en Bosnie avec mon mari")
    chat.send("Avant de confirmer, une question : mes parents sont assurés en Allemagne, à l'AOK, et pas au "
              "Luxembourg. Puis-je tout de même les ajouter à cette demande ?")
    assert chat.said[0] == "utter_not_coinsured" and "utter_topic_household_certificate" not in chat.said
    chat = at_summary("de", "Ich fliege mit meinem Mann nach Izmir")
    chat.send("Moment, bevor Sie abschicken: meine Eltern kommen auch mit (Papa 71, Mama 68). Die sind aber nicht "
              "bei der CNS, sondern über meinen Vater bei der CMFEC versichert. Kann ich die hier noch mit reinnehmen?")
    assert chat.said[0] == "utter_not_coinsured" and chat.slots["fund"] == "CNS"
    assert [p[0] for p in persons(chat)] == ["husband"]
    chat = Chat("fr")
    chat.send("Nous partons en Bosnie-Herzégovine avec nos deux enfants, et mes parents nous accompagnent. "
              "Ils sont assurés en Allemagne, à l'AOK.")
    assert [p[0] for p in persons(chat)] == ["children", "children"]


def test_the_language_asked_for_is_the_one_named_first_and_calling_someone_is_a_human():
    from bot import language
    assert language.requested("Bonjour, je voudrais faire la demande pour la Bosnie... sorry, can we continue "
                              "in English please? My French is not so good.") == "en"
    chat = at_summary("fr", "je pars en Bosnie")
    chat.send("Avant de valider : si je dois changer les dates plus tard, est-ce que je peux appeler quelqu'un à "
              "la CNS ? Vous avez un numéro ?")
    assert chat.said[0] == "utter_handoff_request"


def test_a_clause_that_is_only_a_date_goes_on_with_the_person_of_the_clause_before():
    chat = at_summary("fr", "Nous partons au Maroc du 3 au 24 avril 2027 avec ma femme Leila, notre fils Adam "
                            "rentre plus tôt, le 17 avril.")
    assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-04-03", "2027-04-24")
    returns = {p["first_name"]: p.get("return_date") for p in chat.slots["persons"]}
    assert returns == {"Adam": "2027-04-17", "Leila": None}


def test_the_speaker_joined_to_a_relative_in_a_change_moves_the_shared_trip_and_each_change_is_told_once():
    chat = at_summary("fr", "Nous partons au Maroc avec ma femme Leila et notre fils Adam.")
    chat.send("Ma femme et moi rentrons le 24, seul Adam rentre le 17")
    assert chat.slots["return_date"] == "2027-04-24"
    returns = {p["first_name"]: p.get("return_date") for p in chat.slots["persons"]}
    assert returns["Adam"] == "2027-04-17" and returns["Leila"] in (None, "2027-04-24")
    told = [p for name, p in zip(chat.said, chat.params) if name.startswith("utter_changed_return")]
    assert all(p["old"] == "20 avril 2027" for p in told) and len(told) == 3


def test_a_message_about_the_country_of_residence_names_no_destination():
    # e11-en-residence-corrected-france-to-belgium, e11-fr-residence-corrigee-france-belgique-bosnie
    chat = at_summary("en", "I'd like to apply for the certificate for Cape Verde for me and my partner.")
    chat.send("One thing is wrong: the country of residence. We moved from Longwy to Messancy a few months ago, "
              "so it's Belgium now, not France.")
    assert chat.said[0] == "utter_changed_residence" and chat.slots["residence"] == "BE"
    assert chat.slots["destination"] == "CV"
    chat = Chat("fr")
    chat.send("j'habite à Arlon, je vais en Bosnie avec mon mari")
    chat.send("Ah non, le pays de résidence n'est pas bon : on a déménagé à Messancy il y a quelques mois, on "
              "habite en Belgique maintenant. J'ai encore le réflexe de dire France !")
    assert "utter_unchanged_value" in chat.said and chat.params[chat.said.index("utter_unchanged_value")] == \
        {"value": "Belgique"}
    assert (chat.slots["residence"], chat.slots["destination"]) == ("BE", "BA")


def test_a_surname_one_letter_from_a_town_is_a_surname():
    # e11-de-mamer-tunesien-entsendung-frau-baby-spaeter: "Wirtz" is no misspelt Wiltz
    chat = Chat("de")
    for text in ("ich fahre nach Tunesien", "ja", "CNS", ANNA, "Wirtz"):
        chat.send(text)
    assert chat.slots["req_last_name"] == "Wirtz" and chat.asked == "req_first_name"
    assert not chat.slots.get("residence")


def test_the_requester_and_a_relative_staying_at_home_are_not_travellers_nor_one_who_sees_to_her_own():
    # e11-de-merzig-bosnien-enkel-mit-oma, e11-en-rumelange-grandma-takes-two-boys-to-morocco
    chat = Chat("de")
    chat.send("Hallo! Unsere zwei Kinder fahren mit ihrer Oma nach Bosnien, mein Mann und ich bleiben zuhause in "
              "Merzig. Die Oma hat ihre eigene Bescheinigung schon. Kann ich das für die beiden Kinder beantragen?")
    assert chat.slots["requester_travels"] is False
    assert [p["relation"] for p in chat.slots["persons"]] == ["child", "child"]
    chat = Chat("en")
    chat.send("Hi! We live in Rumelange. My mum is taking Rayan, my eldest, and Ilyas, my youngest, to Morocco to "
              "see the family. My husband and I are staying here for work. Can I request the certificate just for "
              "the boys? My mum sorts out her own.")
    assert chat.slots["requester_travels"] is False
    assert [p["relation"] for p in chat.slots["persons"]] == ["child", "child"]


def test_a_person_added_at_the_summary_with_her_own_dates_keeps_them_and_the_trip_stays():
    # e11-en-junglinster-daughter-added-at-summary
    chat = at_summary("en", "I'm going to Hammamet in Tunisia")
    chat.send("Actually, sorry, Mila, my daughter, has decided to come too, but only from January 13, 2027 to "
              "January 25, 2027. Can you add her?")
    assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-04-03", "2027-04-20")
    mila = chat.slots["persons"][-1]
    assert (mila["first_name"], mila["departure"], mila["return_date"]) == ("Mila", "2027-01-13", "2027-01-25")


def test_a_first_and_last_name_said_before_the_relative_are_that_persons():
    # e11-de-kayl-marokko-sohn-bleibt-bei-grosseltern
    chat = at_summary("de", "ich fliege nach Marokko")
    chat.send("Bitte noch hinzufügen: Noah Feller, mein Sohn, 13 Jahre, Identifikationsnummer 2013022719725.")
    noah = chat.slots["persons"][-1]
    assert (noah["first_name"], noah["last_name"], noah["matricule"]) == ("Noah", "Feller", "2013022719725")


@pytest.mark.parametrize("lang,opening", [
    ("fr", "Je pars au Maroc avec mes enfants Noah et Mila."),
    ("en", "I'm flying to Morocco with my kids Noah and Mila."),
    ("de", "Ich fliege mit meinen Kindern (Noah und Mila) nach Marokko."),
])
def test_children_named_after_a_plural_without_a_number_are_as_many_as_their_names(lang, opening):
    chat = Chat(lang)
    chat.send(opening)
    assert [(p["relation"], p["first_name"]) for p in chat.slots["persons"]] == [("child", "Noah"), ("child", "Mila")]


def test_a_number_to_ring_is_a_human_asked_for():
    # e11-en-rumelange-grandma-takes-two-boys-to-morocco
    chat = at_summary("en", "I'm going to Morocco")
    chat.send("before I confirm, if the papers don't arrive before they leave, is there a number I can ring?")
    assert chat.said[0] == "utter_handoff_request"


def test_a_wife_said_without_my_and_a_number_that_fits_nobody_listed():
    # e11-de-longwy-marokko-sms-frau-bleibt-laenger
    chat = Chat("de")
    chat.send("hallo, wohne in longwy arbeite in esch, wir fliegen mit frau und kinder nach marokko")
    assert [p["relation"] for p in chat.slots["persons"]] == ["spouse", "child"]
    assert extraction.extract("Sehr geehrte Frau Weber, ich fliege nach Marokko", "de") == \
        [e for e in extraction.extract("Sehr geehrte Frau Weber, ich fliege nach Marokko", "de") if e["entity"] != "relation"]
    chat = Chat("de")
    chat.send("ich fliege mit meinem Sohn nach Marokko")
    fill_requester(chat, "de")
    chat.send("vom 3. April 2027 bis 20. April 2027")
    assert chat.asked == "p_matricule"
    chat.send("1989010921401")  # born before the requester (1985) was 12: nobody's son here
    assert chat.said[0] == "utter_number_is_of_someone_else"
    assert [(p["relation"], p["matricule"]) for p in chat.slots["persons"]] == [(None, "1989010921401"), ("child", None)]


def test_a_town_of_studies_is_no_residence_when_the_residence_was_said():
    # e11-fr-konz-pere-et-fils-etudiant-bosnie
    chat = Chat("fr")
    chat.send("Bonjour, j'habite à Konz en Allemagne, pas loin de Trèves, et mon fils et moi on va en Bosnie voir "
              "la famille. Il a 22 ans mais il est toujours coassuré chez moi parce qu'il fait ses études à Nancy.")
    assert chat.slots["residence"] == "DE"


def test_a_stay_said_roughly_leaves_the_return_to_be_asked_and_a_fund_read_from_a_sentence_is_said():
    # e11-fr-detache-tunisie-femme-bebe-rejoignent, e11-fr-fontoy-cheminot-mauvaise-reponse-cap-vert
    chat = Chat("fr")
    chat.send("bonjour mon employeur me detache en tunisie pour un chantier d'environ 6 mois, je pars le 5 janvier 2027")
    assert chat.slots["departure"] == "2027-01-05" and not chat.slots.get("return_date")
    chat = Chat("fr")
    for text in ("je voudrais le formulaire pour le cap vert", "oui", "je suis frontalier j'habite a Fontoy, je bosse aux CFL"):
        chat.send(text)
    assert "utter_noted_fund" in chat.said and chat.slots["fund"] == "EM-CFL"


def test_canada_said_beside_montreal_is_no_second_destination():
    # e11-fr-pere-inquiet-fille-etudes-quebec
    chat = Chat("fr")
    chat.send("Ma fille Camille part dans quelques semaines à Montréal pour un échange universitaire, on a lu partout "
              "que les soins au Canada coûtent une fortune. Est-ce que c'est bien ici que je peux faire la demande ?")
    assert "utter_advice_no_convention" not in chat.said and "utter_request_not_this_procedure" not in chat.said


def test_staying_on_is_no_speaker_and_the_shared_trip_keeps_its_return():
    # y-en-rumelange-daughter-stays-longer-at-summary: English "on" is no French "on"
    chat = at_summary("en", "Hello, I'm going to Turkey with my two daughters. We're from Rumelange.")
    chat.send("One change please: Leo is staying on with her gran for an extra week, so she comes back on "
              "April 27, 2027. Mia and I still come back on the date I gave.")
    assert chat.slots["return_date"] == "2027-04-20"
    assert {p["first_name"]: p.get("return_date") for p in chat.slots["persons"]} == {"Leo": "2027-04-27", "Mia": None}


def test_a_relative_that_refines_one_of_the_children_counted_is_named_and_a_german_verb_ends_a_name():
    # v-de-wiltz-studentin-und-kleiner-bruder-tunesien
    chat = Chat("de")
    chat.send("Hallo, ich mache das für meine zwei Kinder: meine Tochter Clara (22) studiert ab nächstem Monat ein "
              "Semester in Tunis, und ihr kleiner Bruder Paul besucht sie später für zwei Wochen. Ich fahre selbst "
              "nicht mit. Wir wohnen in Wiltz.")
    assert [p["first_name"] for p in chat.slots["persons"]] == ["Clara", "Paul"]


def test_the_requester_and_spouse_not_going_is_a_requester_who_stays_but_not_going_somewhere_else():
    # e8-en-mamer-parents-son-internship-morocco
    from bot.request.flow import stays_home
    assert stays_home("My wife and I are not going ourselves.")
    assert stays_home("mon mari et moi ne partons pas") and stays_home("mein Mann und ich fahren nicht mit")
    assert not stays_home("we are not going to Tunisia but to Morocco")
    assert not stays_home("nous ne partons pas en Tunisie") and not stays_home("wir fahren nicht nach Tunesien")


def test_both_of_my_children_are_two_travellers():
    # x-en-junglinster-two-student-kids-quebec
    chat = Chat("en")
    chat.send("Hello, both of my children are going to study in Montreal next year, at different times. They're "
              "co-insured with me, I'm their mum and I won't be travelling.")
    assert [p["relation"] for p in chat.slots["persons"]] == ["child", "child"]
    assert chat.slots["requester_travels"] is False


def test_a_town_of_studies_in_a_border_country_is_no_destination_when_the_residence_was_said():
    # e11-de-hesperange-kapverde-vater-sohn-student
    chat = Chat("de")
    chat.send("Guten Tag, ich möchte für mich und meinen Sohn die Anspruchsbescheinigung für einen Aufenthalt auf "
              "den Kapverden beantragen. Wir wohnen in Hesperange. Mein Sohn ist 22, studiert in Aachen.")
    assert (chat.slots["destination"], chat.slots["residence"]) == ("CV", "LU")


def test_the_dates_of_everyone_said_by_a_requester_who_stays_are_the_shared_trip():
    # v-fr-dudelange-capvert-grand-mere: the children's own dates made the destination be asked for each
    chat = Chat("fr")
    chat.send("Bonjour, ma mère emmène mes deux enfants en vacances pour Pâques, du 27 mars 2027 au 11 avril 2027. "
              "Moi je ne pars pas, je travaille.")
    assert (chat.slots["departure"], chat.slots["return_date"]) == ("2027-03-27", "2027-04-11")
    assert all(not p.get("departure") for p in chat.slots["persons"])


def test_a_relative_of_theirs_said_as_a_companion_changes_no_relation():
    # v-de-differdingen-eigener-rueckflug-verschoben-bosnien: "aber" is no copula here
    chat = at_summary("de", "ich fahre mit meinem Sohn nach Bosnien")
    chat.send("Kleine Änderung: mein Chef hat mir noch eine Woche extra gegeben, ich bleibe bis zum 27. April 2027. "
              "Leo fliegt aber wie geplant am 20. April 2027 mit seinem Onkel zurück.")
    assert "utter_changed_relation_of" not in chat.said
    assert [(p["relation"], p["return_date"]) for p in chat.slots["persons"]] == [("child", "2027-04-20")]
    assert chat.slots["return_date"] == "2027-04-27"


def test_a_town_and_its_country_for_some_and_another_country_for_the_spouse():
    # x-de-buetgenbach-mann-marokko-frau-tochter-sousse
    chat = Chat("de")
    chat.send("Im April fliege ich mit unserer Tochter zu meinen Eltern nach Sousse in Tunesien. Mein Mann macht "
              "ungefähr zur selben Zeit mit Freunden eine Surfwoche in Marokko, aber mit anderen Daten.")
    assert chat.slots["destination"] == "TN"
    assert {p["relation"]: p.get("destination") for p in chat.slots["persons"]} == {"child": None, "spouse": "MA"}


def test_not_with_us_is_a_trip_not_an_insurance_and_her_aunt_is_no_relation_of_hers_to_change():
    # x-en-bettembourg-daughter-stays-longer-cape-verde
    chat = at_summary("en", "we're a family of three going to Mindelo in Cape Verde, me, my wife and our daughter")
    chat.send("One change before you send it: Leo is staying on with her aunt for an extra week, so she flies back "
              "on April 27, 2027, not with us. The rest is right.")
    assert chat.said[0] == "utter_changed_return_of" and "utter_not_coinsured" not in chat.said
    assert chat.slots["return_date"] == "2027-04-20"
    assert [(p["relation"], p.get("return_date")) for p in chat.slots["persons"]] == \
        [("spouse", None), ("child", "2027-04-27")]


def test_a_date_said_to_be_no_longer_is_the_one_given_up():
    # x-fr-igel-fille-rentre-plus-tard-au-recapitulatif: "et plus le 6 mars" is no departure
    chat = at_summary("fr", "Nous partons à Djerba en famille, mon mari, notre fille et moi.")
    chat.send("Ah attendez, une chose a changé : Leo reste une semaine de plus chez sa grand-mère, elle rentre le "
              "27 avril 2027 et plus le 20 avril 2027. Mon mari et moi on rentre bien le 20 avril 2027.")
    leo = chat.slots["persons"][-1]
    assert (leo["first_name"], leo.get("departure"), leo["return_date"]) == ("Leo", None, "2027-04-27")
    assert chat.slots["return_date"] == "2027-04-20"


def test_a_relative_who_wont_come_to_the_country_goes_and_a_question_about_his_other_country_is_answered():
    # n9-en-perl-turkey-husband-drops-out-asks-serbia
    chat = Chat("en")
    chat.send("Hi, we live in Perl (Germany, right at the border) and I work in Remich. My husband, our son and I are "
              "going to Turkey and I understand we need a form for that.")
    chat.send("Yes, ok. But small change: my husband won't come to Turkey after all, he goes to a wedding in Belgrade, "
              "Serbia, with his brother that week. So it's only me and our son Ben. Does my husband need one of "
              "these forms for Serbia?")
    assert chat.said[:2] == ["utter_person_removed", "utter_advice_ehic"]
    assert "utter_destination_not_this_procedure" not in chat.said and "utter_noted_destination_of" not in chat.said
    assert chat.slots["destination"] == "TR" and [p["relation"] for p in chat.slots["persons"]] == ["child"]


def test_the_side_of_the_border_said_after_the_town_is_the_residence_and_an_employer_sending_is_a_posting():
    # y-en-thil-mum-toddler-and-schoolboy-turkey, x-en-saarburg-posted-to-montreal
    ents = extraction.extract("I live in Thil, on the French side, and I work in Esch. I'm taking my two boys to "
                              "Turkey.", "en")
    assert [(e["value"], e.get("role")) for e in ents if e["entity"] == "country"] == \
        [("FR", "residence"), ("FR", "residence"), ("LU", "work"), ("TR", None)]
    ents = extraction.extract("My employer, an IT company in Munsbach, is sending me to our Montreal office for "
                              "about five months from mid-March.", "en")
    assert [e["value"] for e in ents if e["entity"] == "profile"] == ["posting"]


def test_the_country_in_brackets_after_the_town_is_the_residence_not_a_trip():
    # x-de-perl-enkel-mit-grosseltern-ostern-djerba
    chat = Chat("de")
    chat.send("Hallo, ich wohne in Perl an der Mosel (Deutschland) und bin über meine Arbeit in Luxemburg bei der "
              "CNS versichert. Meine Eltern nehmen unseren Sohn Noah über Ostern mit nach Djerba in Tunesien. Ich "
              "selbst fliege nicht mit.")
    assert (chat.slots["residence"], chat.slots["destination"]) == ("DE", "TN")


def test_a_pronoun_stands_for_the_person_the_sentence_just_named_when_of_no_other_sex():
    # x-en-bettembourg-daughter-stays-longer-cape-verde: "her" was the only woman listed, the wife
    chat = at_summary("en", "we're a family of three going to Mindelo in Cape Verde, me, my wife Ilda and our daughter Inês")
    for person in chat.slots["persons"]:
        if person["first_name"] == "Inês":
            person["label"] = "child"  # as when the relation was answered "my child"
    chat.send("One change before you send it: Inês is staying on with her aunt for an extra week, so she flies back "
              "on April 27, 2027, not with us. The rest is right.")
    assert [(p["first_name"], p.get("return_date")) for p in chat.slots["persons"]] == \
        [("Ilda", None), ("Inês", "2027-04-27")]


def test_a_greeting_is_no_name_and_a_daughter_added_who_joins_us_later_has_her_own_dates():
    # e11-fr-clervaux-fille-ajoutee-au-recapitulatif-turquie
    chat = at_summary("fr", "Moien, mon mari et moi partons en Turquie. Nous habitons Clervaux.")
    assert all(p["first_name"] != "Moien" for p in chat.slots["persons"])
    chat.send("J'allais oublier notre fille Léa, elle nous rejoint le 11 avril 2027 après ses examens et rentre avec "
              "nous le 20 avril 2027. Elle est encore coassurée chez moi. Pouvez-vous l'ajouter ?")
    assert chat.slots["departure"] == "2027-04-03"
    lea = chat.slots["persons"][-1]
    assert (lea["first_name"], lea["departure"]) == ("Léa", "2027-04-11")


def test_a_place_taken_instead_is_everyones_though_the_old_one_is_said_in_someones_clause():
    # z-fr-hettange-tunisie-devient-maroc-au-recap
    chat = at_summary("fr", "Bonjour, nous habitons à Hettange-Grande. On part en Tunisie avec ma femme et notre fils")
    chat.send("Stop, changement de programme ! Ma femme vient de me dire que les billets pour Tunis étaient hors de "
              "prix, on a pris le Maroc à la place. Mêmes dates, toujours nous trois. Vous pouvez modifier ?")
    assert chat.slots["destination"] == "MA" and all(not p.get("destination") for p in chat.slots["persons"])


@pytest.mark.parametrize("lang,opening", [
    ("en", "My husband passed away last year and he always did this kind of things. I live in Vianden and I go to "
           "Bosnia with my sister. My sister has her own insurance in Germany, so the paper is only for me."),
    ("de", "Ich bin 71 und seit letztem Jahr verwitwet, früher hat mein Mann so etwas immer erledigt. Ich möchte mit "
           "meiner Schwester zwei Wochen nach Tunesien. Meine Schwester hat ihre eigene Versicherung."),
])
def test_a_late_husband_is_no_traveller(lang, opening):
    # e8-en-vianden-widow-sister-own-insurance-bosnia, e8-de-ettelbruck-tunesien-witwe-schwester-eigene-versicherung
    chat = Chat(lang)
    chat.send(opening)
    assert chat.slots["persons"] == []


def test_the_parents_one_goes_to_are_no_travellers():
    # e8-en-dillingen-where-is-my-number-turkey
    chat = Chat("en")
    chat.send("hey, living in Dillingen/Saar, working in lux. going to turkey to my parents, need the form thing for cns")
    assert chat.slots["persons"] == [] and chat.slots["destination"] == "TR"
    chat = Chat("en")
    chat.send("I want to take my son to Morocco")
    assert [p["relation"] for p in chat.slots["persons"]] == ["child"]


@pytest.mark.parametrize("lang,question", [
    ("de", "Bevor ich bestätige: Muss meine Schwester das dann selbst bei ihrer Kasse beantragen?"),
    ("fr", "Avant de valider : ma sœur doit la demander elle-même à sa caisse ?"),
    ("en", "Before I confirm: does my sister have to apply for it herself with her own insurer?"),
])
def test_whether_a_relative_applies_themself_is_answered_at_the_summary(lang, question):
    # e8-de-ettelbruck-tunesien-witwe-schwester-eigene-versicherung
    chat = at_summary(lang, {"fr": "je pars en Tunisie", "de": "ich fliege nach Tunesien", "en": "I'm going to Tunisia"}[lang])
    chat.send(question)
    assert chat.said[0] == "utter_advice_family_rules" and chat.asked == "confirm"
