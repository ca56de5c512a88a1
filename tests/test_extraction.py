"""Rule-based extraction, one family of inputs at a time, in the three languages."""
import datetime as dt

import pytest

from bot import extraction

TODAY = dt.date(2026, 11, 23)


def found(text, lang=None):
    return {(e["entity"], e["value"]) for e in extraction.extract(text, lang, TODAY)}


@pytest.mark.parametrize("text,code", [
    ("je pars en Tunisie", "TN"), ("ich fahre nach Tunesien", "TN"), ("a trip to Tunisia", "TN"),
    ("Tunesie", "TN"), ("Turkei", "TR"), ("in die Türkei", "TR"), ("TURQUIE", "TR"), ("turkiye", "TR"),
    ("bosnie herzegovine", "BA"), ("Bosnia and Herzegovina", "BA"), ("Bosnien", "BA"),
    ("au Cap-Vert", "CV"), ("auf die Kapverden", "CV"), ("Cape Verde", "CV"), ("cap vert", "CV"),
    ("au Maroc", "MA"), ("nach Marokko", "MA"), ("to Morocco", "MA"),
    ("au Québec", "CA-QC"), ("nach Montreal", "CA-QC"), ("Quebec City", "CA-QC"),
    ("en Thaïlande", "TH"), ("au Portugal", "PT"), ("in der Schweiz", "CH"), ("Royaume-Uni", "GB"),
])
def test_destinations_with_variants_accents_case_and_one_typo(text, code):
    assert ("country", code) in found(text)


@pytest.mark.parametrize("text,value", [
    ("du 3 au 20 avril", "2027-04-03/2027-04-20"), ("vom 3. bis 20. April", "2027-04-03/2027-04-20"),
    ("from 3 to 20 April", "2027-04-03/2027-04-20"), ("3-20/04", "2027-04-03/2027-04-20"),
    ("du 14 décembre 2026 au 28 décembre 2026", "2026-12-14/2026-12-28"),
    ("from December 13, 2026 to December 27, 2026", "2026-12-13/2026-12-27"),
    ("vom 23.12.2026 bis 06.01.2027", "2026-12-23/2027-01-06"),
])
def test_date_ranges(text, value):
    assert ("date_range", value) in found(text)


@pytest.mark.parametrize("text,lang,value", [
    ("5 mars", "fr", "2027-03-05"), ("le 1er avril", "fr", "2027-04-01"), ("5.3.2027", "de", "2027-03-05"),
    ("March 5th", "en", "2027-03-05"), ("5th of March", "en", "2027-03-05"), ("demain", "fr", "2026-11-24"),
    ("übermorgen", "de", "2026-11-25"), ("next Monday", "en", "2026-11-30"),
    ("dans deux semaines", "fr", "2026-12-07"), ("in 3 weeks", "en", "2026-12-14"),
])
def test_single_and_relative_dates(text, lang, value):
    assert ("date", value) in found(text, lang)


@pytest.mark.parametrize("text,days", [("pour 10 jours", "10"), ("für zwei Wochen", "14"), ("for 10 days", "10")])
def test_durations(text, days):
    assert ("duration", days) in found(text)


@pytest.mark.parametrize("text", ["1985 0412 123 45", "1985.04.12.123.45", "mon matricule est 1985041212345"])
def test_identification_numbers_with_spaces_or_dots(text):
    assert ("matricule", "1985041212345") in found(text)


def test_a_too_short_number_is_reported_as_a_number():
    assert {e for e in found("19850412123") if e[0] == "number"}


@pytest.mark.parametrize("text,value", [("marie.dupont@example.lu", "marie.dupont@example.lu"),
                                        ("mon e-mail : <T.Weber@Example.LU>", "T.Weber@example.lu")])
def test_emails(text, value):
    assert ("email", value) in found(text)


@pytest.mark.parametrize("text,code", [("CNS", "CNS"), ("la Gesondheetskees", "CNS"), ("CMFEP", "CMFEP"),
                                       ("Entraide médicale des CFL", "EM-CFL"), ("bei der CMFEC", "CMFEC"),
                                       ("ich bin bei der Gesundheitskasse versichert", "CNS"), ("Gesondheetskeess", "CNS")])
def test_funds(text, code):
    assert ("fund", code) in found(text)


@pytest.mark.parametrize("text,value,label", [
    ("avec ma fille", "child", "daughter"), ("mit meinem Sohn", "child", "son"), ("with our kids", "child", "children"),
    ("mon épouse", "spouse", "wife"), ("meine Frau", "spouse", "wife"), ("my husband", "spouse", "husband"),
    ("co-insured child", "child", "child"),
    ("pour lui et sa compagne", "partner", "partner"), ("mit meinem Lebensgefährten", "partner", "partner"),
    ("avec ma belle-mère", "other", "other"), ("mit meinem Bruder", "other", "other"), ("my grandma", "other", "other"),
    ("my mother", "parent", "parent"),
])
def test_relations(text, value, label):
    ents = extraction.extract(text, None, TODAY)
    assert any(e["entity"] == "relation" and e["value"] == value and e["role"] == label for e in ents)


@pytest.mark.parametrize("text,value", [("je suis étudiante", "study"), ("Auslandssemester", "study"),
                                        ("my employer is sending me", "posting"), ("entsandt", "posting"),
                                        ("en vacances", "stay"), ("Urlaub", "stay")])
def test_profiles(text, value):
    assert ("profile", value) in found(text)


@pytest.mark.parametrize("text,name", [("je m'appelle Marie Dupont", "Marie Dupont"),
                                       ("Ich heiße Thomas Weber", "Thomas Weber"),
                                       ("my name is John Smith", "John Smith")])
def test_person_names_after_an_introduction(text, name):
    assert ("person_name", name) in found(text)


@pytest.mark.parametrize("text,value", [("je suis l'assuré principal", "main"), ("ich bin mitversichert", "coinsured"),
                                        ("I am the main insured person", "main")])
def test_insured_status(text, value):
    assert ("insured_status", value) in found(text)


def test_nothing_in_small_talk():
    assert found("merci beaucoup, bonne journée") == set()


@pytest.mark.parametrize("text,value", [("Quebec, 15.03.2027-15.04.2027", "2027-03-15/2027-04-15"),
                                        ("20.12.26 - 03.01.27", "2026-12-20/2027-01-03")])
def test_digits_that_form_a_range_are_no_number(text, value):
    ents = extraction.extract(text, None, TODAY)
    assert ("date_range", value) in [(e["entity"], e["value"]) for e in ents]
    assert "number" not in [e["entity"] for e in ents]


def test_a_date_after_a_negation_is_marked():
    ents = extraction.extract("Rückkehr nicht am 2., sondern am 9. Januar", "de", TODAY)
    dates = [(e["value"], bool(e.get("negated"))) for e in ents if e["entity"] == "date"]
    assert dates == [("2027-01-02", True), ("2027-01-09", False)]


@pytest.mark.parametrize("text, residence, destination", [
    ("j habite en belgique et on part au maroc", {"BE"}, {"MA"}),
    ("je suis frontalier, j'habite à Thionville, on part en Turquie en août", {"FR"}, {"TR"}),
    ("I live in Trier in Germany and commute to Luxembourg. My son and I are flying to Tunisia",
     {"DE"}, {"LU", "TN"}),
    ("ich wohne in Perl und fliege nach Antalya", {"DE"}, {"TR"}),
    ("we are from Arlon, going to Turkey", {"BE"}, {"TR"}),
    ("I am from Morocco and go to Tunisia", set(), {"MA", "TN"}),  # an origin, not a residence
    ("nous partons au Maroc du 3 au 20 avril avec notre fils", set(), {"MA"}),
    ("i live in esch", {"LU"}, set()),
    ("ich wohne in Trier und pendle nach Luxemburg, ich fliege in die Türkei", {"DE"}, {"LU", "TR"}),
    ("I live in Arlon and work in Luxembourg, going to Morocco", {"BE"}, {"LU", "MA"}),
])
def test_where_people_live_is_not_where_they_go(text, residence, destination):
    countries = [e for e in extraction.extract(text, None, TODAY) if e["entity"] == "country"]
    assert {e["value"] for e in countries if e.get("role") == "residence"} == residence
    assert {e["value"] for e in countries if e.get("role") != "residence"} == destination


@pytest.mark.parametrize("text", ["formulaire pour le Cap-Vert ?", "c'est quoi le formulaire pour le cap vert",
                                  "nach Kap Verde", "the Cape Verde islands", "Cabo Verde", "départ du Cap-Vert"])
def test_the_longest_name_wins(text):
    assert [e["value"] for e in extraction.extract(text, None, TODAY) if e["entity"] == "country"] == ["CV"]


def test_where_someone_works_has_the_role_work():
    found = {e["text"]: e.get("role") for e in extraction.extract(
        "we live in audun le tiche (france) i work in esch", None, TODAY) if e["entity"] == "country"}
    assert found == {"audun le tiche": "residence", "france": "residence", "esch": "work"}


@pytest.mark.parametrize("text", ["Meine Mutter lebt auf der Insel Sal", "Ma belle-mère habite à Skopje",
                                  "my mother lives in Morocco"])
def test_where_someone_else_lives_is_no_residence_of_the_person_writing(text):
    assert all(e.get("role") != "residence" for e in extraction.extract(text, None, TODAY))


@pytest.mark.parametrize("text, work, goes", [
    ("My company in Luxembourg is sending me to a client in Düsseldorf", {"LU"}, {"DE"}),
    ("mon employeur me détache en Tunisie", set(), {"TN"}),
    ("Mon employeur à Bertrange veut me détacher sur un chantier à Nancy", {"LU"}, {"FR"}),
])
def test_the_employer_s_place_is_work_and_the_posting_a_destination(text, work, goes):
    countries = [e for e in extraction.extract(text, None, TODAY) if e["entity"] == "country"]
    assert {e["value"] for e in countries if e.get("role") == "work"} == work
    assert {e["value"] for e in countries if not e.get("role")} == goes


@pytest.mark.parametrize("text, insured, goes", [
    ("Ma fille part étudier à Montréal. Son copain l'accompagne mais il est couvert en France.", {"FR"}, {"CA-QC"}),
    ("Ihr Freund geht mit, der ist aber nicht bei der CNS versichert, sondern über seine Eltern in Deutschland",
     {"DE"}, set()),
    ("my uncle comes too, he is insured in Belgium", {"BE"}, set()),
    ("je suis assuré à la CNS et je pars en Tunisie", set(), {"TN"}),
    ("I am insured with the CNS and we fly to Turkey", set(), {"TR"}),
    # the care covered there, and a co-insured son who studies there: the destination
    ("C'est quel formulaire qu'il faut pour que les soins soient couverts en Turquie ?", set(), {"TR"}),
    ("My son (co-insured with me) starts uni in Aachen. What does he use there for doctors?", set(), {"DE"}),
])
def test_where_someone_is_insured_is_neither_residence_nor_destination(text, insured, goes):
    countries = [e for e in extraction.extract(text, None, TODAY) if e["entity"] == "country"]
    assert {e["value"] for e in countries if e.get("role") == "insured"} == insured
    assert {e["value"] for e in countries if not e.get("role")} == goes


@pytest.mark.parametrize("text, home, near", [
    ("Ich wohne in Longlaville, gleich hinter der Grenze bei Rodange, und will nach Monastir in Tunesien", "FR", "LU"),
    ("I live in Thil near Esch and we go to Morocco", "FR", "LU"),
    ("j'habite à Burg-Reuland, pas loin de Troisvierges, et je pars en Turquie", "BE", "LU"),
    ("j'habite à Thil, à côté de Longwy, et je voudrais emmener mes deux enfants en Turquie", "FR", "FR"),
])
def test_a_place_named_near_the_home_is_a_landmark_not_the_residence(text, home, near):
    countries = [e for e in extraction.extract(text, None, TODAY) if e["entity"] == "country"]
    assert {e["value"] for e in countries if e.get("role") == "residence"} == {home}
    assert {e["value"] for e in countries if e.get("role") == "near"} == {near}


def test_a_german_residence_with_the_verb_last():
    found = [e for e in extraction.extract("muss ich noch etwas schicken, weil ich in Deutschland wohne?", "de", TODAY)
             if e["entity"] == "country"]
    assert [(e["value"], e.get("role")) for e in found] == [("DE", "residence")]
