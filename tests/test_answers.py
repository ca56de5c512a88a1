"""Tests of bot/answers/ (and bot/wording.py) and their responses in domain.yml (no Rasa needed).

Every reply the advisor builds is rendered the way Rasa 3.6 renders a
response (the variation chosen by the `language` slot, placeholders filled
from the parameters) and checked: the response exists in all three
languages, no placeholder is left unfilled, every line of four words or more
reads as the conversation's language (the evaluation harness's stop-word
test), and the facts the probes expect are there.
"""
from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml

from bot import reference, rules, wording
from bot.answers import context, router, topics
from bot.messages import Answer, Say

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("fr", "de", "en")


# ---------------------------------------------------------------- the domain fragment

@pytest.fixture(scope="module")
def domain():
    data = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return data["responses"]


def variation(domain, name: str, lang: str) -> dict:
    """The variation Rasa picks for a language (conditioned first, else the default)."""
    variants = domain[name]
    for v in variants:
        for cond in v.get("condition") or ():
            if cond["name"] == "language" and cond["value"] == lang:
                return v
    return next(v for v in variants if not v.get("condition"))


def interpolate(text: str, values: dict) -> str:
    """rasa.core.nlg.interpolator.interpolate_text, strict: a missing value fails."""
    marked = re.sub(r"{([^\n{}]+?)}", r"{0[\1]}", text)
    out = marked.format(values)  # KeyError when a placeholder has no value
    if "0[" in out:
        return text.format({})
    return out


def render(domain, say: Say, lang: str) -> str:
    """The text the REST channel returns for one Say, buttons flattened like converse.py."""
    assert say.response in domain, f"{say.response} is not in domain.yml"
    var = variation(domain, say.response, lang)
    values = {k: v for k, v in say.params.items()}
    values.setdefault("language", lang)
    parts = [interpolate(var["text"], values)]
    for button in var.get("buttons") or ():
        parts.append(f"[{interpolate(button['title'], values)}]")
        payload = interpolate(button["payload"], values)
        assert payload.startswith("/"), payload
    return "\n".join(parts)


STOPWORDS = {  # the evaluation harness's test (shared/eval/converse.py, language_of)
    "fr": set("""le la les de des du un une et est vous votre vos pour que qui dans au aux pas sur avec
        ce cette je nous il elle sont être avez pouvez merci bonjour quel quelle quels quelles votre
        date retour départ pays personne personnes demande attestation veuillez souhaitez oui non""".split()),
    "de": set("""der die das und ist sie ihr ihre für nicht mit von zu den dem ein eine ich wir auf bitte
        sind haben können danke welche welcher welches datum rückkehr abreise land person personen
        antrag bescheinigung möchten ja nein""".split()),
    "en": set("""the and is you your for to of a an in on with not please this that we are be have can
        thank thanks which what date return departure country person people request certificate
        would like yes no""".split()),
}


def language_of(text: str):
    words = re.findall(r"[a-zà-ÿäöüß]+", text.lower())
    if len(words) < 4:
        return None
    scores = {lang: sum(w in sw for w in words) for lang, sw in STOPWORDS.items()}
    best = max(scores, key=scores.get)
    ordered = sorted(scores.values(), reverse=True)
    if ordered[0] < 2 or ordered[0] == ordered[1]:
        return None
    return best


def rendered(domain, ans: Answer, lang: str) -> str:
    text = "\n".join(render(domain, s, lang) for s in ans.say)
    for line in text.split("\n"):
        seen = language_of(line)
        assert seen in (None, lang), f"line read as {seen}, wanted {lang}: {line!r}"
    return text


# ---------------------------------------------------------------- the fragment itself

def test_every_response_has_three_languages_and_the_same_placeholders(domain):
    for name, variants in domain.items():
        default = [v for v in variants if not v.get("condition")]
        assert len(default) == 1, f"{name}: one unconditioned (French) variation"
        langs = sorted(c["value"] for v in variants for c in v.get("condition") or ()
                       if c["type"] == "slot" and c["name"] == "language")
        assert langs == ["de", "en"], f"{name}: conditioned variations {langs}"
        # a person is named in the genitive (who_gen: "Ihres Sohnes", "de votre fils") or the German
        # dative (who_dat) where the other languages use who
        keys = [{re.sub(r"^(who|first)_(gen|dat)$", r"\1", k) for k in re.findall(r"(?<!{){([^{}]+)}(?!})", v["text"])}
                for v in variants]
        assert all(k == keys[0] for k in keys), f"{name}: placeholders differ between languages: {keys}"
        buttons = [len(v.get("buttons") or ()) for v in variants]
        assert len(set(buttons)) == 1, f"{name}: buttons in some languages only"


def test_responses_type_no_number(domain):
    """Numbers, durations and codes come from the data as parameters, never typed."""
    advisor_responses = {k: v for k, v in domain.items()
                         if re.match(r"utter_(advice|topic|offer|chat)_|utter_handoff_request$|utter_continue_here$", k)}
    assert len(advisor_responses) > 80
    for name, variants in advisor_responses.items():
        for v in variants:
            bare = re.sub(r"{[^{}]+}", "", v["text"])
            assert not re.search(r"\d", bare), f"{name} types a number: {v['text']!r}"
            for code in ("TR/L", "YL-4", "LCV/5", "LUX QUE", "T/L", "BIH", "2757", "27 57"):
                assert code not in bare, f"{name} types {code}"
            assert "http" not in bare, f"{name} types a link"


def test_offers_have_yes_no_buttons(domain):
    for lang, (yes, no) in {"fr": ("Oui", "Non"), "de": ("Ja", "Nein"), "en": ("Yes", "No")}.items():
        var = variation(domain, "utter_offer_request", lang)
        assert [(b["title"], b["payload"]) for b in var["buttons"]] == [(yes, "/affirm"), (no, "/deny")]


def test_form_and_lead_use_the_named_responses(domain):
    for name in ("utter_handoff_request", "utter_continue_here"):
        assert name in domain
    for lang in LANGS:
        text = render(domain, Say("utter_continue_here", {}), lang)
        assert language_of(text) in (None, lang)


def test_situation_buttons_carry_the_profile(domain):
    for lang in LANGS:
        var = variation(domain, "utter_advice_ask_situation", lang)
        payloads = [interpolate(b["payload"], {"country_in": "x"}) for b in var["buttons"]]
        assert payloads == ['/inform{"profile":"study"}', '/inform{"profile":"stay"}',
                            '/inform{"profile":"posting"}']


def test_advisor_data_cues_compile():
    cfg = reference.load("advisor")
    for cues in cfg["topic_cues"].values():
        for p in cues:
            re.compile(p)
    for spec in cfg["topics"].values():
        for cues in (spec.get("subtopics") or {}).values():
            for p in cues:
                re.compile(p)
    assert set(cfg["topics"]) == set(context.TOPIC_INTENTS)


# ---------------------------------------------------------------- helpers for the calls

def ents(country=None, profile=None, relation=None, role=None, duration=None, date=None):
    out = []
    if country:
        out.append({"entity": "country", "value": country})
    if profile:
        out.append({"entity": "profile", "value": profile})
    if relation:
        out.append({"entity": "relation", "value": relation, "role": role or relation})
    if duration is not None:
        out.append({"entity": "duration", "value": str(duration)})
    if date:
        out.append({"entity": "date", "value": date})
    return out


def ask(domain, intent, lang, text="", slots=None, **kw) -> tuple:
    ans = topics.answer(intent, ents(**kw), dict(slots or {}, language=lang), lang, text)
    return ans, rendered(domain, ans, lang)


def say(domain, intent, lang, text="", slots=None, confidence=0.95, **kw) -> tuple:
    ans, start = router.respond(intent, confidence, ents(**kw), dict(slots or {}, language=lang), lang, text)
    return ans, start, rendered(domain, ans, lang)


QUESTIONS = {
    "ask_form": {"fr": ["Quel formulaire ?"], "de": ["Welches Formular?"], "en": ["Which form?"]},
    "ask_student": {
        "fr": ["Je suis étudiant", "Comment être coassuré par mes parents ?", "assurance volontaire après avoir perdu la coassurance",
               "assurance obligatoire pour étudiants, quelles cotisations ?", "médecin référent", "remboursement des soins pendant mes études",
               "quelle caisse est compétente ?", "quel formulaire pour mon pays d'études ?", "carte de sécurité sociale"],
        "de": ["Ich bin Student", "Mitversicherung über die Eltern", "freiwillige Weiterversicherung", "Pflichtversicherung Beiträge",
               "Referenzarzt", "Erstattung der Kosten", "welche Kasse ist zuständig", "welches Formular fürs Ausland?", "Sozialversicherungskarte"],
        "en": ["I am a student", "co-insured through my parents", "voluntary insurance after I lost it", "compulsory insurance contributions",
               "referring doctor", "reimbursement of costs", "which fund is competent", "which form for studying abroad?", "social security card"],
    },
    "ask_posting": {
        "fr": ["Je suis détaché", "qu'est-ce qu'un détachement ?", "délai de carence", "prolongation du détachement",
               "remboursement des soins", "combien de temps dure un détachement ?", "qui fait la demande ?", "quelles conditions ?",
               "quels formulaires ?"],
        "de": ["Ich werde entsandt", "was ist eine Entsendung?", "Wartezeit", "Verlängerung der Entsendung", "Erstattung der Kosten",
               "wie lange dauert eine Entsendung?", "wer stellt den Antrag?", "welche Voraussetzungen?", "welche Formulare?"],
        "en": ["I am posted abroad", "what is a posting?", "waiting period", "extension of the posting", "reimbursement of care",
               "how long can a posting last?", "who applies?", "what are the conditions?", "which forms?"],
    },
    "ask_ehic": {"fr": ["carte européenne", "j'ai perdu ma carte", "comment obtenir la CEAM ?", "Brexit"],
                 "de": ["Europäische Krankenversicherungskarte", "Karte verloren", "wo bekomme ich die Karte?", "Brexit"],
                 "en": ["EHIC", "I lost my card", "where do I get the EHIC?", "Brexit"]},
    "ask_reimbursement": {"fr": ["remboursement", "quels documents envoyer ?", "tiers payant", "assurance complémentaire", "décompte"],
                          "de": ["Erstattung", "welche Unterlagen schicken?", "Krankenhaus direkt", "Zusatzversicherung", "Abrechnung"],
                          "en": ["reimbursement", "what documents do I send?", "third-party payment", "complementary insurance", "reimbursement statement"]},
    "ask_espace": {"fr": ["eSpace", "sans authentification", "problème de connexion", "suivi du statut", "quelles démarches ?", "avantages", "eDelivery"],
                   "de": ["eSpace", "ohne Authentifizierung", "Problem beim Login", "Status verfolgen", "welche Verfahren?", "Vorteile", "eDelivery"],
                   "en": ["eSpace", "without authentication", "login problem", "track the status", "what procedures are available?", "advantages", "eDelivery"]},
    "ask_edelivery": {"fr": ["eDelivery", "désactiver eDelivery", "quels documents ?", "comment activer eDelivery ?", "qu'est-ce qu'eDelivery ?"],
                      "de": ["eDelivery", "eDelivery deaktivieren", "welche Dokumente?", "wie aktiviere ich eDelivery?", "was ist eDelivery?"],
                      "en": ["eDelivery", "disable eDelivery", "which documents?", "how do I activate eDelivery?", "what is eDelivery?"]},
    "ask_pro_space": {"fr": ["espace professionnel", "eDelivery des domaines", "code de sécurité", "mandataire comptable", "codes d'accès par courrier",
                             "domaines", "ajouter un utilisateur", "certifier mon espace", "demande de certification", "créer un espace"],
                      "de": ["Unternehmensbereich", "eDelivery", "Sicherheitscode", "Bevollmächtigter Buchhalter", "Zugangscode",
                             "Bereiche", "Benutzer hinzufügen", "zertifizieren", "Zertifizierung beantragen", "erstellen"],
                      "en": ["professional space", "eDelivery", "security code", "accountant representative", "access codes",
                             "domains", "add users", "certify", "certification request", "create a space"]},
    "ask_contact": {"fr": ["contact", "attestation", "helpdesk"], "de": ["Kontakt", "Bescheinigung", "Helpdesk"],
                    "en": ["contact", "certificate", "helpdesk"]},
    "ask_data_protection": {"fr": ["protection des données"], "de": ["Datenschutz"], "en": ["data protection"]},
    "ask_delivery": {"fr": ["quand vais-je recevoir l'attestation ?"], "de": ["wann bekomme ich die Bescheinigung?"],
                     "en": ["when will I receive the certificate?"]},
}

COUNTRIES = ["TR", "BA", "CV", "MA", "TN", "CA-QC", "PT", "BE", "CH", "NO", "GB", "RS", "TH", "US", "LU", "RE", "HR"]


# ---------------------------------------------------------------- every topic, every language

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("intent", sorted(context.TOPIC_INTENTS))
def test_every_topic_renders_in_every_language(domain, intent, lang):
    for text in QUESTIONS[intent][lang]:
        ans, out = ask(domain, intent, lang, text)
        assert ans.say, (intent, text)
        assert ans.slots.get("context_topic") in context.TOPIC_INTENTS
        for country in COUNTRIES:
            ask(domain, intent, lang, text, country=country)


@pytest.mark.parametrize("lang", LANGS)
def test_every_destination_and_situation_renders(domain, lang):
    for country, profile in itertools.product(COUNTRIES, ("stay", "study", "posting", None)):
        for duration in (None, 90, 2000):
            ans, out = ask(domain, "ask_form", lang, "", country=country, profile=profile, duration=duration)
            assert ans.say
        for relation, role in (("child", "daughter"), ("child", "son"), ("spouse", "wife"), ("partner", "partner")):
            ask(domain, "ask_form", lang, "", country=country, profile=profile, relation=relation, role=role)


@pytest.mark.parametrize("lang", LANGS)
def test_small_talk_renders(domain, lang):
    for intent in ("greet", "goodbye", "thank", "help", "out_of_scope", "human_handoff", "change_language",
                   "affirm", "deny", "cancel", "nlu_fallback", "inform", "correct", "unknown_intent"):
        ans, start, out = say(domain, intent, lang, "blah")
        assert ans.say and not start, intent
    ans, start, out = say(domain, "something", lang, "blah", confidence=0.1)
    assert ans.say[0].response == "utter_chat_fallback"
    ans, start, out = say(domain, "nlu_fallback", lang, "blah", confidence=0.1)
    assert ans.say[0].response == "utter_chat_fallback"
    ans, start, out = say(domain, "thank", lang, "blah", confidence=0.3)  # unsure, nothing better
    assert ans.say[0].response == "utter_chat_thank"


# ---------------------------------------------------------------- the probes' facts

def test_probe_turkey_form_fr(domain):
    ans, out = ask(domain, "ask_form", "fr", "Quel formulaire faut-il pour un séjour temporaire en Turquie ?", country="TR")
    assert "TR/L-3" in out
    assert "en Turquie" in out
    assert "https://guichet.public.lu/fr/support/form_both.html?serviceType=CCSS_CNS_ATTEST_SEJOUR_TEMPORAIRE" in out
    assert "Voulez-vous faire la demande maintenant ?" in out and "[Oui]" in out
    assert ans.slots["pending_offer"] == "request" and ans.slots["context_country"] == "TR"


def test_probe_cape_verde_de(domain):
    ans, out = ask(domain, "ask_form", "de", "Welches Formular brauche ich für einen Urlaub auf den Kapverden?",
                   country="CV", profile="stay")
    assert "LCV/5" in out and "auf den Kapverden" in out


def test_probe_portugal_ehic_en(domain):
    for intent in ("ask_form", "ask_ehic"):
        ans, out = ask(domain, intent, "en", "Do I need this certificate for a holiday in Portugal?", country="PT", profile="stay")
        assert re.search("European Health Insurance Card|EHIC", out)
    ans, start, out = say(domain, "request_certificate", "en", "Do I need this certificate for a holiday in Portugal?",
                          country="PT", profile="stay")
    assert not start and "EHIC" in out


def test_probe_thailand_no_convention_fr(domain):
    ans, out = ask(domain, "ask_form", "fr", "Je pars en Thaïlande pour trois semaines, quelle attestation dois-je demander ?",
                   country="TH", duration=21)
    assert re.search("pas de convention|aucune convention|pas li[ée]|non li[ée]", out)
    for code in ("TR/L-3", "YL-4", "LCV/5"):
        assert code not in out
    assert "tarifs luxembourgeois" in out
    assert ans.slots["pending_offer"] == "reimbursement_documents"


def test_probe_student_tunisia_en(domain):
    for intent in ("ask_student", "ask_form"):
        ans, out = ask(domain, intent, "en", "I'm a student and I will study in Tunisia next year. When should I ask for the form?",
                       country="TN", profile="study")
        assert "15 days" in out and "T/L" in out  # CNS page (checked 2026-12-05); the seed wrote T/L 4


def test_probe_posted_belgium_de(domain):
    for intent in ("ask_posting", "ask_form"):
        ans, out = ask(domain, intent, "de", "Mein Arbeitgeber entsendet mich für 18 Monate nach Belgien. Was brauche ich?",
                       country="BE", profile="posting", duration=548)
        assert "A1" in out and "S1" in out and "24 Monate" in out
        assert "in Belgien" in out


def test_probe_edelivery_fr(domain):
    for intent in ("ask_edelivery", "ask_espace"):
        ans, out = ask(domain, intent, "fr", "Comment activer eDelivery dans mon eSpace ?")
        assert "Activation des services" in out and "Activer" in out


def test_probe_hotline_fr(domain):
    ans, start, out = say(domain, "human_handoff", "fr", "Je voudrais parler à quelqu'un de la CNS")
    assert re.search("27 ?57|2757", out) and "(+352) 27 57-1" in out
    ans, out = ask(domain, "ask_contact", "fr", "Je voudrais parler à quelqu'un de la CNS")
    assert "(+352) 27 57-1" in out and "2757-4240" in out and "125, route d'Esch, L-2980 Luxembourg" in out


# ---------------------------------------------------------------- more facts

def test_bosnia_online_code_and_posting_code(domain):
    ans, out = ask(domain, "ask_form", "fr", "Bosnie", country="BA")
    assert "LU/BIH111" in out and "15 jours" in out
    ans, out = ask(domain, "ask_posting", "fr", "détaché en Bosnie", country="BA")
    assert "YL-4" in out and "12 mois" in out and "certificat d'assujettissement" in out


def test_morocco_names_its_form(domain):
    # L/M8: CNS page "vacances hors UE/EEE/Suisse" (checked 2026-12-05); the seeds gave no code
    for lang, days in (("fr", "15 jours"), ("de", "15 Tage"), ("en", "15 days")):
        ans, out = ask(domain, "ask_form", lang, "Maroc", country="MA")
        assert "L/M8" in out and days in out
        assert ans.slots["pending_offer"] == "request"


def test_quebec_asks_the_situation_then_answers(domain):
    ans, out = ask(domain, "ask_form", "fr", "Quel formulaire pour le Québec ?", country="CA-QC")
    assert ans.say[0].response == "utter_advice_ask_situation" and "au Québec" in out
    slots = dict(ans.slots)
    ans, start, out = say(domain, "inform", "fr", "/inform", slots=slots, profile="study")
    assert "LUX QUE 4" in out and "15 jours" in out and not start
    ans, start, out = say(domain, "inform", "fr", "/inform", slots=slots, profile="stay")
    assert "réservé aux études et aux détachements" in out and "LUX QUE 4" in out  # CNS page (checked 2026-12-05)
    assert "tarifs luxembourgeois" in out
    ans, start, out = say(domain, "inform", "fr", "/inform", slots=slots, profile="posting")
    assert "LUX QUE 4" in out and "CCSS" in out


def test_territory_says_the_sources_are_silent(domain):
    ans, out = ask(domain, "ask_form", "fr", "Martinique", country="MQ")
    assert [s.response for s in ans.say] == ["utter_advice_territory"]
    assert "France" in out and "(+352) 27 57-1" in out


def test_uk_brexit_caveat(domain):
    for lang, word in (("fr", "Brexit"), ("de", "Brexit"), ("en", "Brexit")):
        ans, out = ask(domain, "ask_form", lang, "UK", country="GB")
        assert word in out and "(+352) 27 57-1" in out


def test_posting_durations_and_extensions(domain):
    ans, out = ask(domain, "ask_posting", "fr", "combien de temps dure un détachement ?")
    assert all(s in out for s in ("24 mois", "12 mois", "5 ans"))
    ans, out = ask(domain, "ask_posting", "fr", "détaché 30 mois", country="DE", duration=900)
    assert "ministère de la Sécurité sociale" in out and "2 mois" in out and "1 mois" in out
    for country in ("CH", "NO", "GB"):  # article 12 today (ccss_art12, checked 2026-12-05), not E101/E106
        ans, out = ask(domain, "ask_posting", "en", "posted", country=country, duration=500)
        assert "A1" in out and "S1" in out and "24 months" in out and "E10" not in out
    ans, out = ask(domain, "ask_posting", "en", "posted", country="CH", duration=900)
    assert "Ministry of Social Security" in out and "E102" not in out
    ans, out = ask(domain, "ask_posting", "en", "posted", country="US", duration=800)
    assert "3rd year" in out and "5 years" in out and "CCSS board" in out
    ans, out = ask(domain, "ask_posting", "de", "Verlängerung", country="TR")
    assert "12 Monate" in out and "TR/L-3" in out


def test_student_facts(domain):
    ans, out = ask(domain, "ask_student", "fr", "assurance volontaire après avoir perdu la coassurance")
    assert "6 mois" in out and "3 mois" in out and "CCSS" in out
    ans, out = ask(domain, "ask_student", "en", "compulsory insurance contributions")
    assert "5 times" in out
    ans, out = ask(domain, "ask_student", "de", "Referenzarzt")
    assert "18" in out
    ans, out = ask(domain, "ask_student", "fr", "Comment être coassuré par mes parents ?")
    assert "modération d'impôt pour enfants" in out and "livret de famille" in out and "fax" in out
    ans, out = ask(domain, "ask_student", "fr", "quelle caisse est compétente ?")
    assert "CMFEP" in out and "EM-CFL" in out


def test_family_rules_without_a_country(domain):
    ans, out = ask(domain, "ask_form", "fr", "et pour ma fille ?", relation="child", role="daughter")
    assert "enfants coassurés" in out and "Pour quel pays de destination ?" in out
    assert "Québec (études, détachement)" in out


def test_reimbursement_documents(domain):
    ans, out = ask(domain, "ask_reimbursement", "en", "what documents do I send?")
    assert "matricule" in out and "transfer order alone is not enough" in out


def test_pro_space_facts(domain):
    ans, out = ask(domain, "ask_pro_space", "fr", "code de sécurité")
    assert "6 à 10 caractères" in out
    ans, out = ask(domain, "ask_pro_space", "en", "domains")
    assert "Invoicing and accounting" in out
    ans, out = ask(domain, "ask_pro_space", "de", "Unternehmensbereich")
    assert "Verfahren A" in out and "Verfahren D" in out


def test_data_protection_names_the_cnpd(domain):
    for lang in LANGS:
        ans, out = ask(domain, "ask_data_protection", lang, "")
        assert "CNPD" in out and "L-4370 Belvaux" in out


def test_espace_statuses_and_products(domain):
    ans, out = ask(domain, "ask_espace", "en", "track the status")
    assert "In preparation" in out and "To be corrected" in out
    ans, out = ask(domain, "ask_espace", "fr", "problème de connexion")
    assert "https://guichet.public.lu/fr/support/contact/contact_guichet.html" in out


# ---------------------------------------------------------------- follow-ups in context

def test_follow_up_with_another_country(domain):
    ans, out = ask(domain, "ask_form", "fr", "Turquie", country="TR")
    ans2, start, out2 = say(domain, "inform", "fr", "et pour le Maroc ?", slots=ans.slots, country="MA")
    assert "au Maroc" in out2 and not start and ans2.slots["context_country"] == "MA"
    ans3, start, out3 = say(domain, "inform", "en", "what about Quebec?", slots=ans.slots, country="CA-QC")
    assert ans3.say[0].response == "utter_advice_ask_situation"


def test_follow_up_keeps_the_posting_context(domain):
    ans, out = ask(domain, "ask_posting", "fr", "détaché en Belgique", country="BE")
    ans2, start, out2 = say(domain, "inform", "fr", "et pour la Suisse ?", slots=ans.slots, country="CH")
    assert "A1" in out2 and "S1" in out2 and "24 mois" in out2 and "E10" not in out2


def test_follow_up_keeps_the_student_context(domain):
    ans, out = ask(domain, "ask_student", "en", "I study abroad", country="TN")
    ans2, start, out2 = say(domain, "inform", "en", "and Turkey?", slots=ans.slots, country="TR")
    assert "TR/L-3" in out2 and "15 days" in out2


def test_follow_up_for_a_daughter(domain):
    ans, out = ask(domain, "ask_form", "fr", "Turquie", country="TR")
    ans2, start, out2 = say(domain, "inform", "fr", "et pour ma fille ?", slots=ans.slots, relation="child", role="daughter")
    assert "TR/L-3" in out2 and "votre fille" in out2 and "enfants coassurés" in out2
    assert "https://" not in out2 and ans2.slots["pending_offer"] == "request"  # brief: no repetition
    ans4, out4 = ask(domain, "ask_form", "en", "and for my wife?", slots=ans.slots, relation="spouse", role="wife")
    assert "TR/L-3" in out4 and "your wife" in out4 and "https://" not in out4
    ans3, start, out3 = say(domain, "inform", "de", "und für meinen Sohn?", slots=ans.slots, relation="child", role="son")
    assert "Im Fall Ihres Sohnes" in out3


def test_follow_up_in_reimbursement_context(domain):
    ans, out = ask(domain, "ask_reimbursement", "fr", "remboursement")
    ans2, start, out2 = say(domain, "inform", "fr", "au Brésil", slots=ans.slots, country="BR")
    assert "tarifs luxembourgeois" in out2


def test_context_country_serves_a_later_question(domain):
    ans, out = ask(domain, "ask_form", "en", "Turkey", country="TR")
    ans2, out2 = ask(domain, "ask_student", "en", "I'm a student, when should I apply?", slots=ans.slots)
    assert "TR/L-3" in out2 and "15 days" in out2


# ---------------------------------------------------------------- offers and the request

def test_affirm_the_request_offer_starts_the_form(domain):
    ans, out = ask(domain, "ask_form", "fr", "Turquie", country="TR")
    ans2, start, out2 = say(domain, "affirm", "fr", "oui", slots=ans.slots)
    assert start and ans2.slots["destination"] == "TR" and ans2.slots["pending_offer"] is None


def test_yes_with_low_confidence_still_answers_the_offer(domain):
    ans, out = ask(domain, "ask_form", "de", "Türkei", country="TR")
    ans2, start, out2 = say(domain, "inform", "de", "ja", slots=ans.slots, confidence=0.3)
    assert start and ans2.slots["destination"] == "TR"


def test_deny_the_offer_offers_help(domain):
    ans, out = ask(domain, "ask_form", "en", "Turkey", country="TR")
    ans2, start, out2 = say(domain, "deny", "en", "no", slots=ans.slots)
    assert not start and ans2.say[0].response == "utter_chat_offer_declined" and ans2.slots["pending_offer"] is None


def test_affirm_the_documents_offer(domain):
    ans, out = ask(domain, "ask_form", "fr", "Thaïlande", country="TH")
    ans2, start, out2 = say(domain, "affirm", "fr", "oui", slots=ans.slots)
    assert not start and "ordre de virement seul" in out2


def test_dates_after_the_offer_start_the_request(domain):
    ans, out = ask(domain, "ask_form", "fr", "Turquie", country="TR")
    ans2, start, out2 = say(domain, "inform", "fr", "je pars le 12 mars", slots=ans.slots, date="2027-03-12")
    assert start and ans2.slots["destination"] == "TR"


def test_request_certificate(domain):
    ans, start, out = say(domain, "request_certificate", "fr", "il me faut l'attestation pour la Bosnie", country="BA")
    assert start and ans.slots["destination"] == "BA"
    ans, start, out = say(domain, "request_certificate", "fr", "je veux l'attestation")
    assert start and "destination" not in ans.slots
    ans, start, out = say(domain, "request_certificate", "fr", "attestation pour le Québec", country="CA-QC")
    assert start and ans.slots["destination"] == "CA-QC"  # the form asks whether it is for studies
    for country, profile in (("TH", None), ("PT", None), ("CA-QC", "stay"), ("TR", "posting"), ("GB", None)):
        ans, start, out = say(domain, "request_certificate", "en", "I need the certificate", country=country, profile=profile)
        assert not start and "destination" not in ans.slots, (country, profile)
    ans, start, out = say(domain, "request_certificate", "en", "I want to apply now", slots={"context_country": "TN"})
    assert start and ans.slots["destination"] == "TN"


def test_a_question_read_as_a_request_gets_the_answer_and_the_offer(domain):
    ans, start, out = say(domain, "request_certificate", "de", "Welches Formular brauche ich für einen Urlaub auf den Kapverden?",
                          country="CV", profile="stay")
    assert not start and "LCV/5" in out and ans.slots["pending_offer"] == "request"
    assert "einverstanden" in out  # an offer to accept, with yes/no buttons
    ans2, start, out2 = say(domain, "affirm", "de", "ja", slots=ans.slots)
    assert start and ans2.slots["destination"] == "CV"


def test_a_request_worded_as_ask_form_starts_the_form(domain):
    ans, start, out = say(domain, "ask_form", "en", "I need the certificate for a trip to Cape Verde", country="CV")
    assert start and ans.slots["destination"] == "CV"
    ans, start, out = say(domain, "ask_form", "fr", "Quel formulaire faut-il pour la Turquie ?", country="TR")
    assert not start and "TR/L-3" in out


def test_handoff_number_follows_the_topic(domain):
    ans, start, out = say(domain, "human_handoff", "en", "a human please", slots={"context_topic": "ask_form", "pending_offer": "request"})
    assert "2757-4240" in out
    ans, start, out = say(domain, "human_handoff", "en", "a human please", slots={"context_topic": "ask_student"})
    assert "(+352) 27 57-1" in out
    ans, start, out = say(domain, "human_handoff", "de", "Mitarbeiter bitte",
                          slots={"context_topic": "ask_form", "context_country": "TH"})
    assert "(+352) 27 57-1" in out
    ans, start, out = say(domain, "human_handoff", "fr", "un conseiller", slots={"destination": "TN"})
    assert "2757-4240" in out and "Coassurance" in out


def test_no_offer_inside_the_form(domain):
    ans, out = ask(domain, "ask_form", "fr", "Turquie", slots={"requested_slot": "email"}, country="TR")
    assert all(not s.response.startswith("utter_offer_") for s in ans.say)
    assert "TR/L-3" in out


def test_explain_advice_for_the_form_has_no_offer(domain):
    for country, profile in (("TH", "stay"), ("PT", "stay"), ("CA-QC", "stay"), ("BE", "posting"), ("GB", "stay")):
        for lang in LANGS:
            ans = topics.explain_advice(rules.explain(country, profile, lang), lang)
            assert ans.say and all(not s.response.startswith("utter_offer_") for s in ans.say)
            rendered(domain, ans, lang)


def test_unsure_messages_use_cues(domain):
    ans, start, out = say(domain, "nlu_fallback", "fr", "eDelivery ?", confidence=0.2)
    assert ans.slots["context_topic"] == "ask_edelivery"
    ans, start, out = say(domain, "nlu_fallback", "de", "Türkei", confidence=0.2, country="TR")
    assert "TR/L-3" in out
    ans, start, out = say(domain, "nlu_fallback", "en", "asdf qwer", confidence=0.2)
    assert ans.say[0].response == "utter_chat_fallback"


def test_out_of_scope_with_a_topic_word_answers_the_topic(domain):
    ans, start, out = say(domain, "out_of_scope", "fr", "Qui peut choisir un médecin référent ?")
    assert "18 ans" in out
    ans, start, out = say(domain, "out_of_scope", "fr", "Quel temps fera-t-il demain ?")
    assert ans.say[0].response == "utter_chat_out_of_scope" and "(+352) 27 57-1" in out


def test_change_language_confirms_in_the_new_language(domain):
    for lang, word in (("fr", "français"), ("de", "Deutsch"), ("en", "English")):
        ans, start, out = say(domain, "change_language", lang, "")
        assert word in out


# ---------------------------------------------------------------- facts come from the data

def _patched(loader, edit):
    def patched():
        data = reference.thaw(loader())
        edit(data)
        return reference.freeze(data)
    return patched


def test_answers_follow_the_data(domain, monkeypatch):
    def forms(data):
        data["forms"]["temporary_stay_tr"]["code"] = "TR/X-9"
        data["forms"]["temporary_stay_tr"]["codes"][0]["code"] = "TR/X-9"
        data["forms"]["a1"]["code"] = "A9"
        data["forms"]["a1"]["codes"][0]["code"] = "A9"

    def regimes(data):
        data["posting"]["groups"]["eu"]["max_months"] = 30
        data["lead_time"]["days"] = 21
        data["delivery"]["without_authentication"]["usual_days"] = 5

    def contacts(data):
        data["contacts"]["cns"]["phone"] = "(+352) 99 99-9"
        data["contacts"]["online_procedure"]["url"] = "https://example.lu/new"

    monkeypatch.setattr(reference, "forms", _patched(reference.forms, forms))
    monkeypatch.setattr(reference, "regimes", _patched(reference.regimes, regimes))
    monkeypatch.setattr(reference, "contacts", _patched(reference.contacts, contacts))

    ans, out = ask(domain, "ask_form", "fr", "Turquie", country="TR")
    assert "TR/X-9" in out and "TR/L-3" not in out and "5 jours" in out and "https://example.lu/new" in out
    ans, out = ask(domain, "ask_posting", "de", "Belgien", country="BE")
    assert "30 Monate" in out and "A9" in out
    ans, out = ask(domain, "ask_posting", "en", "how long can a posting last?")
    assert "30 months" in out
    ans, out = ask(domain, "ask_student", "en", "studying", country="TN")
    assert "21 days" in out
    ans, start, out = say(domain, "human_handoff", "fr", "un humain")
    assert "(+352) 99 99-9" in out


# ---------------------------------------------------------------- names and dates

def test_format_date():
    assert wording.format_date("2026-12-13", "fr") == "13 décembre 2026"
    assert wording.format_date("2026-12-13", "de") == "13. Dezember 2026"
    assert wording.format_date("2026-12-13", "en") == "December 13, 2026"
    assert wording.format_date(None, "fr") == ""


def test_online_countries():
    assert wording.online_countries("fr") == "Bosnie-Herzégovine, Cap-Vert, Maroc, Québec (études, détachement), Tunisie et Turquie"
    assert wording.online_countries("en").endswith("Tunisia and Türkiye")


def test_country_names_and_places():
    assert wording.country_name("TR", "fr") == "Turquie"
    assert wording.country_name("CA-QC", "de") == "Quebec"
    assert wording.country_name("BA", "en") == "Bosnia and Herzegovina"
    assert wording.country_name(None, "fr") == ""
    places = {("MA", "fr"): "au Maroc", ("TN", "fr"): "en Tunisie", ("US", "fr"): "aux États-Unis",
              ("CU", "fr"): "à Cuba", ("CA-QC", "fr"): "au Québec", ("GB", "fr"): "au Royaume-Uni",
              ("TR", "de"): "in der Türkei", ("CV", "de"): "auf den Kapverden", ("IR", "de"): "im Iran",
              ("BE", "de"): "in Belgien", ("US", "en"): "in the United States", ("TH", "en"): "in Thailand"}
    for (code, lang), phrase in places.items():
        assert wording.country_in(code, lang) == phrase


@pytest.mark.parametrize("intent", ["ask_posting", "inform", "correct", "ask_delivery"])
def test_follow_up_about_a_longer_posting_gives_the_extension_rules(intent):
    slots = {"context_country": "BR", "context_profile": "posting", "context_topic": "ask_posting", "language": "de"}
    ans, start = router.respond(intent, 0.8, [], slots, "de", "und wenn ich länger bleibe?")
    assert [s.response for s in ans.say] == ["utter_advice_posting_extension_other"] and not start


def test_follow_up_about_studies_uses_the_country_in_context():
    slots = {"context_country": "CA-QC", "context_topic": "ask_form", "language": "en"}
    ents = [{"entity": "relation", "value": "child", "role": "daughter"}, {"entity": "profile", "value": "study"}]
    ans, _ = router.respond("ask_student", 0.8, ents, slots, "en", "and for my daughter who studies there?")
    params = {k: v for s in ans.say for k, v in s.params.items()}
    assert params.get("form") == "LUX QUE 4"
    assert "utter_advice_student_convention" in [s.response for s in ans.say]


def test_a_worker_posted_to_a_convention_country_is_offered_the_request_of_the_certificate():
    # the posted-worker page: the worker asks the CNS for the certificate of entitlement to
    # benefits in kind, the one this assistant files (regimes.yml); the employer's part is said too
    ans, start = router.respond("ask_posting", 0.9, [{"entity": "country", "value": "TR"}], {"language": "en"},
                                 "en", "my employer is posting me to Turkey")
    names = [s.response for s in ans.say]
    assert names[:3] == ["utter_advice_posting_intro", "utter_advice_posting_employer_convention",
                         "utter_advice_posting_worker_convention_online"]
    assert names[-1] == "utter_offer_request" and not start
    assert ans.slots.get("pending_offer") == "request"
    # a posting inside the EU: the A1 from the employer, nothing to file here
    ans, start = router.respond("ask_posting", 0.9, [{"entity": "country", "value": "DE"}], {"language": "en"},
                                 "en", "my employer is posting me to Germany")
    assert "utter_offer_request" not in [s.response for s in ans.say] and not start


@pytest.mark.parametrize("lang,text", [("de", "und wenn ich länger bleibe?"), ("en", "and if I stay longer?"),
                                       ("fr", "et si je reste plus longtemps ?")])
def test_an_unsure_follow_up_stays_within_the_topic(lang, text):
    answer, _ = router.respond("nlu_fallback", 0.12, [], {"context_topic": "ask_posting", "context_country": "BR"},
                                lang, text)
    assert answer.say[0].response == "utter_advice_posting_extension_other"


def test_a_confident_other_intent_without_follow_up_opening_is_trusted():
    slots = {"context_country": "BR", "context_profile": "posting", "context_topic": "ask_posting", "language": "de"}
    ans, _ = router.respond("ask_delivery", 0.9, [], slots, "de", "wie lange dauert der Versand der Bescheinigung?")
    assert "utter_advice_posting_extension_other" not in [s.response for s in ans.say]


# ---------------------------------------------------------------- the question as a whole (issue 14)

def ent(entity, value, text=None, word=None, role=None):
    """An entity as the extractor gives it, with its place in `text` when `word` is given."""
    out = {"entity": entity, "value": value}
    if text is not None and word is not None:
        start = text.lower().index(word.lower())
        out.update(start=start, end=start + len(word))
    if role:
        out["role"] = role
    return out


def reply(domain, intent, lang, text, entities=(), slots=None, confidence=0.9):
    ans, start = router.respond(intent, confidence, list(entities), dict(slots or {}, language=lang), lang, text)
    return ans, start, rendered(domain, ans, lang)


def names(ans):
    return [s.response for s in ans.say]


@pytest.mark.parametrize("intent", ["request_certificate", "ask_form", "inform", "nlu_fallback"])
def test_a_coinsured_person_asking_for_the_main_insured_is_answered(domain, intent):
    for lang, text in (("fr", "Je suis coassurée par mon mari, est-ce que je peux faire la demande pour lui ?"),
                       ("de", "Ich bin über meinen Mann mitversichert, kann ich den Antrag für ihn stellen?"),
                       ("en", "I'm co-insured through my husband, can I apply for him?")):
        ans, start, out = reply(domain, intent, lang, text, [ent("relation", "spouse", role="husband")])
        assert not start and names(ans)[0] == "utter_topic_requester_coinsured", (lang, intent)
        assert ans.slots["pending_offer"] == "request" and names(ans)[-1] == "utter_offer_request"


def test_the_insured_status_entity_marks_a_coinsured_requester(domain):
    ans, start, out = reply(domain, "request_certificate", "en", "can I request the certificate for my wife?",
                            [ent("insured_status", "coinsured"), ent("relation", "spouse", role="wife")])
    assert not start and names(ans)[0] == "utter_topic_requester_coinsured"


def test_who_has_to_file_is_answered_then_offered(domain):
    text = "Meine Frau und ich fahren in die Türkei. Wer von uns muss den Antrag stellen?"
    ans, start, out = reply(domain, "request_certificate", "de", text,
                            [ent("relation", "spouse", role="wife"), ent("country", "TR", text, "Türkei")])
    assert not start and "TR/L-3" in out and "hauptversichert" in out
    assert names(ans)[-1] == "utter_offer_request" and ans.slots["context_country"] == "TR"
    ans, start, out = reply(domain, "ask_form", "en", "Who has to file the request, me or my wife?")
    assert not start and names(ans) == ["utter_advice_family_rules", "utter_offer_request"]


def test_student_and_posting_questions_with_coinsured_words_keep_their_topic(domain):
    ans, start, out = reply(domain, "ask_student", "fr", "Comment être coassuré par mes parents ?")
    assert "utter_topic_requester_coinsured" not in names(ans) and "utter_advice_family_rules" not in names(ans)
    ans, start, out = reply(domain, "ask_posting", "en", "who has to apply for the A1, me or my employer?")
    assert names(ans)[0] == "utter_topic_posting_who"


@pytest.mark.parametrize("lang,text,words", [
    ("fr", "J'habite en France et je travaille au Luxembourg, qu'est-ce que je dois joindre à la demande ?", ("France", "Luxembourg")),
    ("de", "Ich wohne in Deutschland und arbeite in Luxemburg. Welche Unterlagen muss ich dem Antrag beifügen?", ("Deutschland", "Luxemburg")),
    ("en", "I don't live in Luxembourg, what documents do I have to attach to the request?", (None, "Luxembourg")),
])
def test_a_non_resident_asking_what_to_attach_gets_the_household_certificate(domain, lang, text, words):
    residence, lux = words
    entities = [ent("country", "LU", text, lux)]
    if residence:
        entities.insert(0, ent("country", {"France": "FR", "Deutschland": "DE"}[residence], text, residence))
    for intent in ("ask_form", "request_certificate", "ask_delivery"):
        ans, start, out = reply(domain, intent, lang, text, entities)
        assert not start and names(ans)[0] == "utter_topic_household_certificate", intent
        assert "utter_advice_home" not in names(ans)
        assert ans.slots["context_topic"] == "household" and ans.slots["pending_offer"] == "request"
    assert {"fr": "certificat de composition de ménage", "de": "Haushaltsbescheinigung",
            "en": "household composition certificate"}[lang] in out


@pytest.mark.parametrize("intent", ["ask_form", "ask_delivery", "inform", "nlu_fallback"])
def test_what_kind_of_document_after_the_household_certificate(domain, intent):
    slots = {"context_topic": "household", "context_country": "TR", "pending_offer": "request"}
    ans, start, out = reply(domain, intent, "de", "was ist das fuer ein dokument?", slots=slots, confidence=0.7)
    assert names(ans) == ["utter_topic_household_certificate_what"] and "TR/L-3" not in out
    assert "Gemeinde" in out


def test_posted_from_luxembourg_gets_the_posting_answer(domain):
    text = "I am posted from Luxembourg to Germany, how long can the posting last?"
    entities = [ent("profile", "posting"), ent("country", "LU", text, "Luxembourg"), ent("country", "DE", text, "Germany")]
    ans, start, out = reply(domain, "ask_form", "en", text, entities)
    assert "utter_advice_home" not in names(ans) and "24 months" in out and "in Germany" in out
    text = "Ich werde von Luxemburg aus entsandt, wie lange darf die Entsendung dauern?"
    ans, start, out = reply(domain, "ask_form", "de", text, [ent("country", "LU", text, "Luxemburg"), ent("profile", "posting")])
    assert names(ans) == ["utter_topic_posting_durations"] and "24 Monate" in out and "Jahren" in out


def test_luxembourg_as_the_only_place_still_gets_the_home_answer(domain):
    ans, start, out = reply(domain, "ask_form", "en", "Do I need this certificate for care in Luxembourg?",
                            [ent("country", "LU")])
    assert names(ans)[0] == "utter_advice_home"


@pytest.mark.parametrize("intent", ["ask_reimbursement", "ask_form", "ask_ehic", "inform"])
def test_a_posting_question_about_a_convention_country_gets_the_posting_answer(domain, intent):
    text = "Mon employeur me détache en Tunisie pour 10 mois, comment suis-je couvert pour les soins ?"
    ans, start, out = reply(domain, intent, "fr", text, [ent("profile", "posting"), ent("country", "TN", text, "Tunisie"),
                                                          ent("duration", "300")])
    assert names(ans)[0] == "utter_advice_posting_intro" and "T/L" in out and not start
    assert "utter_topic_posting_reimbursement" not in names(ans)
    # a real reimbursement question keeps the reimbursement answer
    ans, start, out = reply(domain, "ask_reimbursement", "fr", "détaché en Tunisie, comment me faire rembourser mes factures ?",
                            [ent("profile", "posting"), ent("country", "TN")])
    assert names(ans)[0] == "utter_topic_posting_reimbursement"


def test_a_long_message_ending_with_which_form_is_answered_then_offered(domain):
    text = ("Bonjour, nous partons en famille au Maroc du 3 au 20 avril, mon mari, moi et nos deux enfants. "
            "Je voulais faire la demande en ligne. Quel formulaire faut-il ?")
    entities = [ent("country", "MA", text, "Maroc"), ent("date_range", "2027-04-03/2027-04-20")]
    for intent in ("request_certificate", "ask_form"):
        ans, start, out = reply(domain, intent, "fr", text, entities)
        assert not start and "L/M8" in out and names(ans)[-1] == "utter_offer_request"
    ans, start, out = reply(domain, "request_certificate", "en",
                            "We are going on holiday soon and I want to do it properly. Which form applies to us?")
    assert not start and names(ans)[0] == "utter_advice_ask_country"
    ans, start, out = reply(domain, "request_certificate", "fr", "je veux faire la demande pour la Turquie", [ent("country", "TR")])
    assert start  # a request without a question still starts


@pytest.mark.parametrize("intent", ["ask_delivery", "inform", "ask_posting", "nlu_fallback"])
def test_a_longer_posting_than_planned(domain, intent):
    slots = {"context_country": "DE", "context_profile": "posting", "context_topic": "ask_posting"}
    ans, start, out = reply(domain, intent, "de", "und wenn es dann doch laenger wird als geplant?", slots=slots, confidence=0.8)
    assert names(ans)[0] == "utter_advice_posting_extension_eu" and "Ministerium" in out


@pytest.mark.parametrize("intent", ["inform", "ask_form", "ask_ehic", "nlu_fallback"])
def test_a_cruise_in_the_caribbean(domain, intent):
    slots = {"context_country": "AT", "context_topic": "ask_form"}
    ans, start, out = reply(domain, intent, "en", "what about a cruise in the caribbean", slots=slots, confidence=0.7)
    assert names(ans)[0] == "utter_advice_cruise" and "Austria" not in out and "Luxembourg rates" in out
    assert ans.slots["pending_offer"] == "reimbursement_documents" and not start


def test_morocco_for_three_years_is_answered_not_started(domain):
    text = "und marokko fuer 3 jahre geht das?"
    entities = [ent("country", "MA", text, "marokko"), ent("duration", "1095")]
    posting = {"context_country": "DE", "context_profile": "posting", "context_topic": "ask_posting"}
    stay = {"context_country": "TN", "context_topic": "ask_form", "pending_offer": "request"}
    for slots in (posting, stay):
        for intent in ("request_certificate", "inform", "ask_form"):
            ans, start, out = reply(domain, intent, "de", text, entities, slots=slots, confidence=0.7)
            assert not start and "L/M8" in out and ans.slots["context_country"] == "MA"
    ans, start, out = reply(domain, "request_certificate", "de", text, entities, slots=posting)
    assert "utter_advice_posting_extension_convention" in names(ans)


@pytest.mark.parametrize("lang,text", [("en", "where do i find this number??"),
                                       ("fr", "où je trouve mon numéro de matricule ?"),
                                       ("de", "Wo finde ich meine Identifikationsnummer?")])
def test_where_the_identification_number_is(domain, lang, text):
    for intent in ("ask_contact", "ask_form", "nlu_fallback"):
        ans, start, out = reply(domain, intent, lang, text, confidence=0.7)
        assert names(ans) == ["utter_topic_id_number"] and "13" in out
    # inside the request form too (bot.request.flow calls topics.answer)
    ans = topics.answer("ask_contact", [], {"requested_slot": "req_matricule", "language": lang}, lang, text)
    assert names(ans) == ["utter_topic_id_number"]
    ans, start, out = reply(domain, "ask_contact", "en", "what is the phone number of the CNS?")
    assert "utter_topic_id_number" not in names(ans)


def test_the_identification_number_fact_comes_from_the_data(domain, monkeypatch):
    cfg = reference.thaw(context._cfg())
    cfg["facts"]["id_number"]["digits"] = 11
    monkeypatch.setattr(context, "_cfg", lambda: reference.freeze(cfg))
    ans, start, out = reply(domain, "ask_contact", "en", "where do I find my identification number?")
    assert "11 digits" in out


def test_a_posting_to_the_us_how_long_gives_the_maximum_with_extensions(domain):
    text = "what about a posting to the US, max how long?"
    for intent in ("inform", "ask_posting", "ask_form"):
        ans, start, out = reply(domain, intent, "en", text, [ent("profile", "posting"), ent("country", "US", text, "US")],
                                slots={"context_country": "DE", "context_topic": "ask_posting", "context_profile": "posting"})
        assert "12 months" in out and "5 years" in out, intent


@pytest.mark.parametrize("lang,text,residence,where,dest", [
    ("fr", "j'habite en Belgique et on part au Maroc", "BE", "Belgique", ("MA", "Maroc")),
    ("fr", "je suis frontalier, j'habite à Thionville, on part en Turquie en août", "FR", "Thionville", ("TR", "Turquie")),
    ("en", "I live in Trier and we fly to Tunisia", "DE", "Trier", ("TN", "Tunisia")),
    ("de", "Ich wohne in Arlon und wir fliegen nach Tunesien", "BE", "Arlon", ("TN", "Tunesien")),
])
def test_residence_and_destination_in_one_question(domain, lang, text, residence, where, dest):
    code, word = dest
    plain = [ent("country", residence, text, where), ent("country", code, text, word)]
    with_role = [ent("country", residence, text, where, role="residence"), ent("country", code, text, word)]
    for entities in (plain, with_role, [with_role[1], with_role[0]]):
        ans, start, out = reply(domain, "ask_form", lang, text, entities)
        assert ans.slots["context_country"] == code and names(ans)[0] == "utter_advice_convention"
        assert "utter_advice_ehic" not in names(ans)


def test_a_residence_role_never_counts_as_the_destination(domain):
    ans, start, out = reply(domain, "ask_form", "en", "what do I need? I'm from Belgium",
                            [ent("country", "BE", role="residence")], slots={"context_country": "TR"})
    assert ans.slots["context_country"] == "TR" and "TR/L-3" in out


def test_old_posting_forms_are_answered_with_today_s(domain):
    ans, start, out = reply(domain, "ask_posting", "en", "Do I still need an E101 for Switzerland?", [ent("country", "CH")])
    assert names(ans)[0] == "utter_topic_posting_old_forms" and "A1" in out and "E101, E102, E106" in out
    assert "24 months" in out


def test_uk_answer_is_the_card_since_brexit(domain):
    for lang, card in (("fr", "carte européenne"), ("de", "Krankenversicherungskarte"), ("en", "European Health Insurance Card")):
        ans, out = ask(domain, "ask_form", lang, "United Kingdom", country="GB")
        assert names(ans)[:2] == ["utter_advice_ehic", "utter_advice_uk"] and card in out and "Brexit" in out
    ans, out = ask(domain, "ask_posting", "en", "posted to the UK", country="GB")
    assert "A1" in out and "24 months" in out


def test_lead_time_question_reads_the_data(domain):
    ans, start, out = reply(domain, "ask_delivery", "en", "How many days before departure should I apply?")
    assert names(ans)[:2] == ["utter_advice_lead_time", "utter_advice_delivery"] and "15 days" in out
    ans, out = ask(domain, "ask_form", "de", "Türkei", country="TR", profile="stay")
    assert "utter_advice_lead_time" in names(ans) and "15 Tage" in out


@pytest.mark.parametrize("lang,text,place", [("en", "we fly to Narnia next week", "Narnia"),
                                             ("fr", "nous partons à Zanzibarr en mai", "Zanzibarr"),
                                             ("de", "wir fliegen nach Atlantis", "Atlantis"),
                                             ("en", "What about Atlantis?", "Atlantis")])
def test_an_unknown_destination_is_said_at_once(domain, lang, text, place):
    for intent in ("inform", "request_certificate", "ask_form", "nlu_fallback"):
        ans, start, out = reply(domain, intent, lang, text, slots={"context_topic": "ask_form", "context_country": "AT"},
                                confidence=0.7)
        assert not start and names(ans) == ["utter_advice_unknown_place", "utter_advice_ask_country"], intent
        assert place in out and "context_country" not in ans.slots


@pytest.mark.parametrize("lang,text", [("fr", "je pars en vacances"), ("en", "we are going to study abroad"),
                                       ("de", "wir fahren in den Urlaub"), ("en", "what about costs?")])
def test_words_after_a_travel_verb_that_are_no_place(domain, lang, text):
    ans, start, out = reply(domain, "inform", lang, text, confidence=0.7)
    assert "utter_advice_unknown_place" not in names(ans)


def test_a_bare_residence_after_a_question_tells_what_it_changes(domain):
    text = "j'habite en Belgique"
    ans, start, out = reply(domain, "inform", "fr", text, [ent("country", "BE", text, "Belgique")],
                            slots={"context_country": "TR", "context_topic": "ask_form", "pending_offer": "request"})
    assert names(ans)[0] == "utter_topic_household_certificate" and ans.slots["context_country"] == "TR"
    assert not start and ans.slots["pending_offer"] == "request"
    ans, start, out = reply(domain, "inform", "en", "I live in Luxembourg", [ent("country", "LU", role="residence")],
                            slots={"context_country": "TR", "context_topic": "ask_form"})
    assert "utter_topic_household_certificate" not in names(ans)


def test_start_request_slot_follows_the_decision(domain):
    # data/core/rules.yml starts the form after action_respond when start_request is true
    ans, start, out = reply(domain, "request_certificate", "fr", "je veux faire la demande pour la Turquie", [ent("country", "TR")])
    assert start and ans.slots["start_request"] is True and ans.slots["destination"] == "TR"
    ans, start, out = reply(domain, "request_certificate", "fr", "quel formulaire pour la Turquie ?", [ent("country", "TR")])
    assert not start and ans.slots["start_request"] is None and ans.slots["pending_offer"] == "request"
    ans, start, out = reply(domain, "affirm", "fr", "oui", slots=ans.slots)
    assert start and ans.slots["start_request"] is True


def test_the_rules_start_the_form_only_on_the_advisor_s_word():
    rules_yml = yaml.safe_load((ROOT / "data" / "core" / "rules.yml").read_text(encoding="utf-8"))["rules"]
    by_name = {r["rule"]: r["steps"] for r in rules_yml}
    assert by_name["read a request"] == [{"intent": "request_certificate"}, {"action": "action_respond"},
                                         {"slot_was_set": [{"start_request": None}]}]
    assert by_name["the advisor starts the request"] == [
        {"action": "action_respond"}, {"slot_was_set": [{"start_request": True}]},
        {"action": "request_form"}, {"active_loop": "request_form"}]


@pytest.mark.parametrize("lang,text,country,word,expect", [
    ("de", "Unsere Tochter studiert ab Herbst zwei Semester in Tunis. Sie ist bei uns mitversichert. Was braucht sie für die Krankenversicherung dort?",
     "TN", "Tunis", "T/L"),
    ("en", "My daughter will study in Madrid next year. What does she need to see a doctor there?", "ES", "Madrid", "EHIC"),
    ("fr", "Ma fille étudie à Boston. Si elle va chez le médecin là-bas, elle est remboursée comment ?", "US", "Boston",
     "tarifs luxembourgeois"),
])
def test_a_student_question_about_a_country_gets_the_country_s_answer(domain, lang, text, country, word, expect):
    ans, start, out = reply(domain, "ask_student", lang, text, [ent("country", country, text, word), ent("profile", "study")])
    assert expect in out and ans.slots["context_country"] == country


def test_a_student_affiliation_question_stays_one(domain):
    text = "Mon fils a 24 ans, il étudie à Lisbonne et nous ne touchons plus la modération d'impôt pour lui. Il est encore assuré ?"
    ans, start, out = reply(domain, "ask_student", "fr", text, [ent("country", "PT", text, "Lisbonne")])
    assert names(ans) == ["utter_topic_student_voluntary"]
    ans, start, out = reply(domain, "ask_student", "fr", "Mon fils part étudier à Lisbonne, peut-il rester coassuré ?",
                            [ent("country", "PT")])
    assert "modération d'impôt" in out


def test_the_country_of_the_last_question_and_a_residence_named_twice(domain):
    text = ("Wir wohnen in Thionville. Letzten Sommer in Spanien hatte unser Kleiner eine Mittelohrentzündung. "
            "Welches Papier müssen wir für Tunesien genau beantragen?")
    entities = [ent("country", "FR", text, "Thionville", role="residence"), ent("country", "ES", text, "Spanien"),
                ent("country", "TN", text, "Tunesien")]
    ans, start, out = reply(domain, "ask_form", "de", text, entities)
    assert "T/L" in out and ans.slots["context_country"] == "TN"
    text = "Ich wohne in Perl, also in Deutschland, und arbeite in Luxemburg. Muss ich bei dem Antrag noch irgendein Dokument mitschicken?"
    entities = [ent("country", "DE", text, "Perl", role="residence"), ent("country", "DE", text, "Deutschland"),
                ent("country", "LU", text, "Luxemburg")]
    ans, start, out = reply(domain, "ask_form", "de", text, entities)
    assert names(ans)[0] == "utter_topic_household_certificate" and "Haushaltsbescheinigung" in out


def test_a_resident_is_told_the_household_certificate_is_not_needed(domain):
    text = "J'habite à Esch-sur-Alzette, est-ce que je dois aussi fournir un certificat de composition de ménage ?"
    ans, start, out = reply(domain, "ask_form", "fr", text, [ent("country", "LU", text, "Esch-sur-Alzette", role="residence")])
    assert names(ans)[0] == "utter_topic_household_certificate_resident" and "uniquement aux non-résidents" in out


@pytest.mark.parametrize("lang,first,then,expect", [
    ("de", "Ich bin über meine Frau mitversichert. Darf ich die Bescheinigung überhaupt selber beantragen?",
     ("und für unsere Tochter auch?", [ent("relation", "child", role="daughter")]), "Tochter"),
    ("fr", "Je suis coassurée par mon mari. Est-ce que je peux faire la demande d'attestation pour lui aussi ?",
     ("et lui, il peut la demander pour moi ?", []), "assuré(e) principal(e)"),
])
def test_who_may_ask_follow_ups_stay_in_the_subject(domain, lang, first, then, expect):
    ans, start, out = reply(domain, "ask_form", lang, first, [ent("insured_status", "coinsured")])
    text, entities = then
    ans2, start, out2 = reply(domain, "ask_pro_space", lang, text, entities, slots=ans.slots, confidence=0.6)
    assert expect in out2 and "utter_topic_pro_overview" not in names(ans2)


def test_espace_and_edelivery_wordings(domain):
    ans, out = ask(domain, "ask_edelivery", "en", "How do I switch on eDelivery so the documents come into my eSpace and not by post?")
    assert "Activation of services" in out
    ans, out = ask(domain, "ask_edelivery", "de", "Wie kann ich eDelivery aktivieren? Ich will die Abrechnungen nicht mehr auf Papier.")
    assert "Aktivierung der Dienste" in out
    ans, out = ask(domain, "ask_edelivery", "fr", "Je veux désactiver eDelivery et revenir au papier")
    assert names(ans) == ["utter_topic_edelivery_deactivate"]
    ans, out = ask(domain, "ask_espace", "en", "I don't have LuxTrust. Can I still get into my CNS eSpace?")
    assert "eIDAS" in out
    ans, out = ask(domain, "ask_espace", "fr", "Je n'ai pas de LuxTrust. Est-ce que je peux quand même faire la demande d'attestation en ligne ?")
    assert names(ans) == ["utter_topic_espace_noauth"]


def test_getting_the_professional_space_certified(domain):
    ans, out = ask(domain, "ask_pro_space", "fr", "Je viens de créer ma société, comment je fais certifier mon espace professionnel ?")
    assert "utter_topic_pro_request" in names(ans) and "utter_topic_pro_create" not in names(ans)


@pytest.mark.parametrize("lang,text,word,expect", [
    ("de", "Mein Sohn macht ein Auslandssemester in Toronto. Gilt da auch dieses Québec-Formular?", "Toronto", "nur für einen Aufenthalt in Quebec"),
    ("en", "My sister lives in Toronto. Does the Quebec agreement also cover a visit there?", "Toronto", "not with the rest of Canada"),
])
def test_canada_outside_quebec(domain, lang, text, word, expect):
    quebec = "Québec" if "Québec" in text else "Quebec"
    entities = [ent("country", "CA", text, word), ent("country", "CA-QC", text, quebec)]
    ans, start, out = reply(domain, "ask_form", lang, text, entities)
    assert names(ans)[0] == "utter_advice_quebec_only" and expect in out and ans.slots["context_country"] == "CA"
    text = "I study in Montreal, Canada, which form?"
    ans, start, out = reply(domain, "ask_form", "en", text, [ent("country", "CA-QC", text, "Montreal"), ent("country", "CA", text, "Canada")])
    assert ans.slots["context_country"] == "CA-QC"


@pytest.mark.parametrize("lang,text,expect", [
    ("de", "Mein Sohn studiert in Aachen, wir wohnen in Luxemburg. Wie ist er dort beim Arzt abgesichert?", "Krankenversicherungskarte"),
    ("fr", "Ma fille étudie à Boston. Si elle va chez le médecin là-bas, elle est remboursée comment ?", "luxembourgeois"),
])
def test_a_student_seeing_a_doctor_abroad_is_no_referring_doctor_question(domain, lang, text, expect):
    ans, start, out = reply(domain, "ask_student", lang, text)  # the town is not known as a country
    assert "utter_topic_student_doctor" not in names(ans) and expect in out
    ans, start, out = reply(domain, "ask_student", "fr", "Est-ce que je peux choisir un médecin référent ?")
    assert names(ans) == ["utter_topic_student_doctor"]


def test_do_i_need_luxtrust_names_the_products(domain):
    ans, out = ask(domain, "ask_espace", "de", "Brauche ich dafür LuxTrust?")
    assert "eIDAS" in out


def test_recognised_question_for_the_request_flow(domain):
    ans = topics.recognised_question([], {"requested_slot": "attachments", "language": "fr"}, "fr",
                                      "C'est quoi exactement ce certificat de composition de ménage, et où est-ce que je le demande ?")
    assert names(ans) == ["utter_topic_household_certificate_what"]
    assert topics.recognised_question([], {"language": "fr"}, "fr", "le 12 mars") is None


@pytest.mark.parametrize("text,asks", [
    ("Ich fliege allein in die Türkei und brauche das Formular von der CNS.", False),
    ("je veux faire la demande pour la Turquie", False),
    ("I need the certificate for Cape Verde", False),
    ("brauche ich ein Formular für die Türkei", True),
    ("Bonjour, quel formulaire pour le Maroc", True),
    ("do I need a form for Morocco", True),
    ("Nous partons au Maroc. Quel formulaire faut-il ?", True),
])
def test_a_statement_with_a_question_word_is_no_question(text, asks):
    assert context._asks(text) is asks


def test_a_request_with_a_question_word_inside_starts_the_form(domain):
    text = "Hallo, ich wohne in Trier und pendle nach Luxemburg. Ich fliege allein in die Türkei und brauche das Formular von der CNS."
    ans, start, out = reply(domain, "request_certificate", "de", text,
                            [ent("country", "DE", text, "Trier", role="residence"), ent("country", "LU", text, "Luxemburg"),
                             ent("country", "TR", text, "Türkei")])
    assert start and ans.slots["destination"] == "TR"


@pytest.mark.parametrize("intent", ["nlu_fallback", "inform", "ask_form"])
def test_a_trip_stated_without_a_question_starts_the_request(domain, intent):
    text = "Bonjour, j'habite à Trèves en Allemagne. On part à cinq en Turquie en juillet : ma femme, nos trois enfants et moi."
    entities = [ent("country", "DE", text, "Trèves", role="residence"), ent("country", "DE", text, "Allemagne", role="residence"),
                ent("country", "TR", text, "Turquie"), ent("relation", "spouse", role="wife"), ent("relation", "child", role="children")]
    ans, start, out = reply(domain, intent, "fr", text, entities, confidence=0.12 if intent == "nlu_fallback" else 0.9)
    assert start and ans.slots["destination"] == "TR"
    text = "Ich fliege allein in die Türkei und brauche das Formular von der CNS."
    ans, start, out = reply(domain, "ask_form", "de", text, [ent("country", "TR", text, "Türkei")])
    assert start and ans.slots["destination"] == "TR"
    # a question, a posting or a country outside the procedure: answered
    for lang, text, code in (("fr", "On part en Turquie en juillet avec les enfants, quel formulaire ?", "TR"),
                             ("en", "We go to Portugal in July with the kids.", "PT")):
        ans, start, out = reply(domain, intent, lang, text, [ent("country", code), ent("relation", "child", role="children")])
        assert not start


def test_a_bare_yes_with_nothing_offered_gets_a_short_question_then_the_choices():
    from bot.answers import router

    ans, start = router.respond("affirm", 0.99, [], {"language": "fr"}, "fr", "oui")
    assert [s.response for s in ans.say] == ["utter_chat_what_next"] and not start
    ans2, _ = router.respond("affirm", 0.99, [], {"language": "fr", **ans.slots}, "fr", "oui")
    assert [s.response for s in ans2.say] == ["utter_chat_stuck"] and ans2.say[0].params["phone"]


def test_two_misunderstandings_in_a_row_offer_the_choices_and_the_phone():
    from bot.answers import router

    ans, _ = router.respond("nlu_fallback", 0.1, [], {"language": "de"}, "de", "blub blub")
    assert [s.response for s in ans.say] == ["utter_chat_fallback"]
    ans2, _ = router.respond("nlu_fallback", 0.1, [], {"language": "de", **ans.slots}, "de", "blabla")
    assert [s.response for s in ans2.say] == ["utter_chat_stuck"]
    ans3, _ = router.respond("nlu_fallback", 0.1, [], {"language": "de", **ans2.slots}, "de", "hm")
    assert [s.response for s in ans3.say] == ["utter_chat_fallback"]


def test_help_asked_twice_in_a_row_gives_the_choices_and_the_phone():
    from bot.answers import router

    ans, _ = router.respond("help", 0.9, [], {"language": "fr"}, "fr", "je ne comprends pas, que dois-je répondre ?")
    assert [s.response for s in ans.say] == ["utter_chat_help"]
    ans2, _ = router.respond("help", 0.9, [], {"language": "fr", **ans.slots}, "fr", "je ne comprends pas")
    assert [s.response for s in ans2.say] == ["utter_chat_stuck"]


def test_a_bare_yes_and_a_plea_for_help_in_turn_still_lead_to_the_choices():
    """'yes' / 'I don't understand, what should I answer?' / 'yes' …: no endless alternation."""
    from bot.answers import router

    slots = {"language": "en"}
    said = []
    for intent, text in [("affirm", "yes"), ("help", "I don't understand, what should I answer?"),
                         ("affirm", "yes"), ("help", "I don't understand, what should I answer?")]:
        ans, _ = router.respond(intent, 0.95, [], slots, "en", text)
        slots = {**slots, **ans.slots}
        said.append(ans.say[0].response)
    assert said[:2] == ["utter_chat_what_next", "utter_chat_stuck"]
    assert "utter_chat_stuck" in said[2:]
