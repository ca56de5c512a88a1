"""Language identification: detection, stickiness for short messages, explicit requests."""
import pytest

from bot import language


@pytest.mark.parametrize("text,lang", [
    ("Bonjour, je voudrais demander l'attestation pour un séjour en Bosnie", "fr"),
    ("Quel formulaire faut-il pour un séjour temporaire en Turquie ?", "fr"),
    ("Guten Tag, ich fahre mit meiner Tochter nach Tunesien", "de"),
    ("Welches Formular brauche ich für einen Urlaub auf den Kapverden?", "de"),
    ("Hi, I'm going to Turkey on holiday and I need the certificate", "en"),
    ("Do I need this certificate for a holiday in Portugal?", "en"),
    ("je pars en tunisie la semaine prochaine avec mes enfants", "fr"),
    ("ich bin hauptversichert", "de"),
    ("I am the main insured person", "en"),
    # short, telegraphic or all capitals: cue words settle them
    ("ESPACE MYGUICHET MARCHE PAS", "fr"), ("il va neiger samedi ?", "fr"),
    ("ehic verloren in barcelona, was tun", "de"), ("Regnet es Samstag in Trier?", "de"),
    ("Good afternoon, I've got a quick question", "en"), ("cheminot, donc EM-CFL", "fr"),
])
def test_clear_messages_are_detected(text, lang):
    assert language.detect(text).lang == lang


@pytest.mark.parametrize("text", ["ok", "Dupont", "Marie Dupont", "John Smith", "Tunesien", "1985 0412 123 45",
                                  "5 mars", "3. Mai", "CNS", "Luxembourg", "marie.dupont@example.lu", "?", ""])
def test_short_or_ambiguous_messages_keep_the_language(text):
    assert language.detect(text).lang is None
    assert language.decide("de", text) == "de"
    assert language.decide("en", text) == "en"


@pytest.mark.parametrize("text,lang", [
    ("in English please", "en"), ("auf Deutsch bitte", "de"), ("en français svp", "fr"),
    ("Können Sie Französisch sprechen?", "fr"), ("parlez-vous allemand ?", "de"),
    ("Can you answer in German?", "de"), ("English", "en"), ("Deutsch", "de"),
    ("can we switch to english", "en"), ("on peut passer en anglais ?", "en"),
    ("können wir auf Französisch wechseln", "fr"), ("please write German", "de"),
])
def test_explicit_requests_win(text, lang):
    assert language.detect(text).how == "request"
    assert language.decide("fr" if lang != "fr" else "de", text) == lang


@pytest.mark.parametrize("text,lang", [("oui", "fr"), ("ja", "de"), ("yes", "en"), ("merci", "fr"),
                                       ("danke", "de"), ("thanks", "en"), ("nein", "de"), ("non", "fr")])
def test_cue_words_settle_short_answers(text, lang):
    assert language.detect(text).lang == lang


def test_default_language_when_nothing_is_known():
    assert language.decide(None, "ok") == language.settings()["default"]


@pytest.mark.parametrize("text,lang", [
    ("Vorname Klaus, Nachname Weber, Nummer folgt", "de"),
    ("first name Tom, surname Weber, number follows", "en"),
    ("prénom Luc, numéro et adresse plus tard", "fr"),
])
def test_when_the_model_hesitates_the_language_with_most_cue_words_wins(text, lang):
    assert language.detect(text).lang == lang


def test_cue_words_belong_to_one_language_only():
    cues = language._cues()
    for a in cues:
        for b in cues:
            if a < b:
                assert not cues[a] & cues[b], (a, b, cues[a] & cues[b])


@pytest.mark.parametrize("text", ["Bonjour", "MERCI BEAUCOUP POUR VOTRE AIDE", "Guten Tag zusammen",
                                  "HALLO ICH BRAUCHE HILFE", "THANK YOU VERY MUCH", "Hello there"])
def test_capitals_do_not_change_the_language(text):
    assert language.detect(text).lang == language.detect(text.lower()).lang


@pytest.mark.parametrize("text,lang", [
    ("Je m'appelle Sophie Weber", "fr"),              # the model alone says German
    ("Erasmus in Spanien, was muss ich tun", "de"),   # the model alone says English
])
def test_cue_words_of_one_language_overrule_a_confident_model(text, lang):
    assert language.detect(text).lang == lang


@pytest.mark.parametrize("text, lang", [
    ("pourquoi vous me parlez anglais ?", "fr"),
    ("warum antworten Sie auf Englisch?", "de"),
    ("why are you answering in German?", "en"),
])
def test_a_complaint_about_the_language_continues_in_its_own(text, lang):
    assert language.requested(text) is None
    assert language.decide("en" if lang != "en" else "de", text) == lang


@pytest.mark.parametrize("name", ["Can", "Will", "Mia", "Ma"])
def test_a_name_alone_does_not_switch_the_language(name):
    assert language.decide("de", name) == "de"
