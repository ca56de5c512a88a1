"""Which name a message corrects (bot.request.identity), without Rasa."""
from hypothesis import given, strategies as st

from bot.request.identity import candidates, name_fix


def test_the_name_nearest_the_old_spelling_is_the_new_one():
    text = "Wait, I think my surname is wrong. It's Hoffmann, with two f and two n, I typed it badly."
    assert name_fix(text, {"last_name": "Hofman"}, ["last_name"]) == ("last_name", "Hoffmann")


def test_a_name_spelled_letter_by_letter():
    text = "Il y a une faute dans notre nom : c'est Kovacevic, K-O-V-A-C-E-V-I-C, il manquait un e."
    assert name_fix(text, {"last_name": "Kovacvic"}, ["last_name"]) == ("last_name", "Kovacevic")
    assert ("Kovacevic", False) in candidates("K-O-V-A-C-E-V-I-C")


def test_german_nouns_are_not_taken_for_the_new_first_name():
    text = "Eine Sache noch: mein Vorname schreibt sich Katrin, ohne h – hab mich am Anfang vertippt."
    assert name_fix(text, {"first_name": "Kathrin"}, ["first_name"]) == ("first_name", "Katrin")


def test_the_old_name_after_a_negation_is_not_the_new_one():
    assert name_fix("my surname is Smith not Jones", {"last_name": "Jones"}, ["last_name"]) == ("last_name", "Smith")
    assert name_fix("pas Lena mais Lina", {"first_name": "Lena"}, ["first_name"]) == ("first_name", "Lina")


def test_the_value_said_again_is_returned_unchanged_and_other_persons_names_are_not_taken():
    assert name_fix("my first name is Anna", {"first_name": "Anna"}, ["first_name"]) == ("first_name", "Anna")
    assert name_fix("Lina a le même nom que moi", {"first_name": "Linda"}, ["first_name"], exclude={"lina"}) is None


def test_nothing_near_and_no_lead_in_is_no_correction():
    assert name_fix("the dates are wrong", {"first_name": "Anna", "last_name": "Meyer"},
                    ["first_name", "last_name"]) is None


@given(st.text(max_size=300))
def test_any_text_gives_a_field_asked_or_nothing(text):
    fix = name_fix(text, {"first_name": "Anna", "last_name": "Meyer"}, ["first_name", "last_name"])
    assert fix is None or fix[0] in ("first_name", "last_name")
