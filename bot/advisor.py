"""The advisor: answers to questions and everything said outside the request form.

Pure (no rasa import). Returns response names with their parameters
(``bot.messages.Answer``); the sentences live in ``domain.yml`` in
French, German and English. Every fact a sentence quotes (form codes,
durations, phone numbers, links) is a parameter read here from the data
files: ``bot/data/regimes.yml``, ``forms.yml``, ``contacts.yml`` and
``funds.yml`` through ``bot.rules`` / ``bot.reference``, and
``bot/data/advisor.yml`` for the cues and the few facts the rules data does
not hold.

Public API:
    TOPIC_INTENTS
    answer(intent, entities, slots, lang, text) -> Answer
    explain_advice(advice, lang, duration_days=None) -> Answer
    respond(intent, confidence, entities, slots, lang, text) -> (Answer, start_form)
    format_date(iso, lang) -> str
    country_name(code, lang) -> str
    country_in(code, lang) -> str            ("en Turquie", "in der Türkei", "in Türkiye")
    online_countries(lang) -> str            the destinations of the online request, in a sentence

How a message is read (respond / answer): first the question as a whole
(``advisor.yml`` ``question_kinds``: where the identification number is, what
to attach and what the household certificate is, who may ask for whom, how
early to order, a cruise; then a follow-up on the subject just answered; then
a destination that is no known country), then the intent, corrected where one
word misled it (a posting question stays a posting question; a request whose
last sentence asks something is answered, then the request offered). The
country a question is about is never a place of residence (entity role
``residence`` or "j'habite en ...", "I live in ...") nor Luxembourg named as
where one works, is insured or is posted from.

Context slots read and written: context_country, context_profile,
context_topic (a topic intent, or the subjects "household", "id_number"),
pending_offer (and destination when the request starts).
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Tuple

from bot import countries, reference, rules
from bot.messages import Answer, Say
from bot.text import LANGS, fold
from bot.text import matches_any as _matches
from bot.wording import who as _who

TOPIC_INTENTS = frozenset({
    "ask_form", "ask_student", "ask_posting", "ask_ehic", "ask_reimbursement", "ask_espace",
    "ask_edelivery", "ask_pro_space", "ask_contact", "ask_data_protection", "ask_delivery",
})

_PROFILE_OF_INTENT = {"ask_student": "study", "ask_posting": "posting"}


# ---------------------------------------------------------------- data access

@lru_cache(maxsize=1)
def _cfg() -> dict:
    return reference.load("advisor")


def _lang(lang: Optional[str]) -> str:
    return lang if lang in LANGS else "fr"


def _subtopic(intent: str, text: str) -> Optional[str]:
    """The first sub-topic of `intent` whose cues occur in `text`, else None."""
    spec = _cfg()["topics"].get(intent) or {}
    for name, cues in (spec.get("subtopics") or {}).items():
        if _matches(cues, text):
            return name
    return None


def _topic_from_cues(text: str) -> Optional[str]:
    for intent, cues in _cfg()["topic_cues"].items():
        if _matches(cues, text):
            return intent
    return None


def _join(items: Iterable[str], lang: str, last: Optional[str] = None) -> str:
    items = [str(i) for i in items if i]
    if not items:
        return ""
    word = last or {"fr": "et", "de": "und", "en": "and"}[lang]
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _or(items: Iterable[str], lang: str) -> str:
    return _join(items, lang, {"fr": "ou", "de": "oder", "en": "or"}[lang])


def _regimes() -> Any:
    return reference.regimes()


def _contact(key: str) -> Any:
    return rules.contact(key)


def _form_code(key: str) -> str:
    return rules.form(key).code or ""


def _delivery_days() -> int:
    return _regimes()["delivery"]["without_authentication"]["usual_days"]


def _study() -> Any:
    return _regimes()["study"]


def _posting_group(key: str) -> Any:
    return _regimes()["posting"]["groups"][key]


def _address(lines: Iterable[str]) -> str:
    return ", ".join(lines or ())


def _facts(*names: str, lang: str = "fr") -> Dict[str, Any]:
    """Parameters by name, each read from the data (see the table below)."""
    return {name: _FACTS[name](lang) for name in names}


def _products(lang: str) -> str:
    return _or(_cfg()["facts"]["espace"]["products"], lang)


def _ordinal(n: int, lang: str) -> str:
    if lang == "fr":
        return "1re" if n == 1 else f"{n}e"
    if lang == "de":
        return f"{n}."
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def online_countries(lang: str) -> str:
    """The destinations of the online procedure, Quebec marked 'studies': "Bosnie-Herzégovine, ... et Turquie"."""
    data = _regimes()
    names = []
    for code in data["groups"]["convention"]["members"]:
        entry = data["countries"].get(code) or {}
        if entry.get("regime") != "convention_online":
            continue
        name = country_name(code, lang)
        only = entry.get("online_request_profiles")
        if only:
            name += " (" + ", ".join(reference.label(p, lang) for p in only) + ")"
        names.append(name)
    return _join(names, lang)


def _funds(lang: str) -> str:
    funds = reference.funds()["funds"]
    return _join([f"{rules.fund_name(code, lang)} ({code})" for code in funds], lang)


_FACTS = {
    "link": lambda lang: _contact("online_procedure")["url"],
    "helpdesk": lambda lang: _contact("myguichet_helpdesk")["url"],
    "phone": lambda lang: _contact("cns")["phone"],
    "fax": lambda lang: _contact("cns")["fax"],
    "address": lambda lang: _address(_contact("cns")["address"]),
    "coins_phone": lambda lang: _contact("cns_coinsurance")["phone"],
    "cnpd": lambda lang: _contact("cnpd")["name"][lang],
    "cnpd_address": lambda lang: _address(_contact("cnpd")["address"]),
    "days": lambda lang: _delivery_days(),
    "lead_days": lambda lang: rules.lead_days("study"),
    "prior_months": lambda lang: _study()["affiliation"]["voluntary_continuation"]["min_prior_continuous_months"],
    "request_months": lambda lang: _study()["affiliation"]["voluntary_continuation"]["deadline_months"],
    "cap": lambda lang: _study()["affiliation"]["compulsory_student_insurance"]["regularisation_cap_multiple_of_minimum_wage"],
    "doctor_age": lambda lang: _study()["affiliation"]["referring_doctor"]["min_age_exclusive"],
    "funds": _funds,
    "a1": lambda lang: _form_code("a1"),
    "s1": lambda lang: _form_code("s1"),
    "old_forms": lambda lang: ", ".join(_cfg()["facts"]["posting"]["old_forms"]),
    "digits": lambda lang: _cfg()["facts"]["id_number"]["digits"],
    "eu": lambda lang: _posting_group("eu")["max_months"],
    "conv": lambda lang: _posting_group("convention")["max_months"],
    "other": lambda lang: _posting_group("no_convention")["max_months"],
    "max_years": lambda lang: _posting_group("no_convention")["extension"]["max_total_months"] // 12,
    "board_year": lambda lang: _ordinal(_posting_group("no_convention")["extension"]["decided_by_from_year"]["year"], lang),
    "wait_same": lambda lang: _posting_group("eu")["new_posting_waiting_period_months"]["same_state"],
    "wait_other": lambda lang: _posting_group("eu")["new_posting_waiting_period_months"]["other_state"],
    "posting_prior_months": lambda lang: _posting_group("eu")["prior_affiliation_min_months"],
    "countries": online_countries,
    "products": _products,
    "statuses": lambda lang: ", ".join(f"« {s} »" if lang == "fr" else (f"„{s}“" if lang == "de" else f"'{s}'")
                                       for s in _cfg()["facts"]["espace"]["statuses"][lang]),
    "path": lambda lang: _cfg()["facts"]["espace"]["edelivery_path"][lang],
    "option": lambda lang: _cfg()["facts"]["espace"]["edelivery_option"][lang],
    "button": lambda lang: _cfg()["facts"]["espace"]["edelivery_button"][lang],
    "documents": lambda lang: "; ".join(_cfg()["facts"]["espace"]["edelivery_documents"][lang]),
    "count": lambda lang: _cfg()["facts"]["espace"]["edelivery_documents_count"],
    "procedures": lambda lang: "; ".join(_cfg()["facts"]["espace"]["procedures"][lang]),
    "code_min": lambda lang: _cfg()["facts"]["pro_space"]["security_code_min"],
    "code_max": lambda lang: _cfg()["facts"]["pro_space"]["security_code_max"],
    "procedure_name": lambda lang: _cfg()["facts"]["pro_space"]["procedure_name"],
    "subject": lambda lang: _cfg()["facts"]["pro_space"]["myguichet_subject"],
    "domains": lambda lang: "; ".join(_cfg()["facts"]["pro_space"]["domains"][lang]),
}


def _say(response: str, lang: str, *facts: str, **params: Any) -> Say:
    values = _facts(*facts, lang=lang)
    values.update(params)
    return Say(response, values)


# ---------------------------------------------------------------- names and dates

def country_name(code: Optional[str], lang: str) -> str:
    """Display name of a country code in fr/de/en ('' for None, the code if unknown)."""
    if not code:
        return ""
    lang = _lang(lang)
    try:
        name = countries.name(code, lang)
    except (KeyError, ValueError):
        return code
    conj = {"fr": "et", "de": "und", "en": "and"}[lang]
    return name.replace(" & ", f" {conj} ")


def country_in(code: str, lang: str) -> str:
    """The destination after "in": "en Turquie", "au Maroc", "in der Türkei", "in the United States"."""
    lang = _lang(lang)
    rules_ = _cfg()["place"][lang]
    phrase = (rules_.get("phrases") or {}).get(code)
    if phrase:
        return phrase
    name = country_name(code, lang)
    if lang == "fr":
        first = re.split(r"[ -]", name)[0]
        if code in rules_.get("plural", ()) or fold(name).startswith("iles"):
            return f"aux {name}"
        if code in rules_.get("no_article", ()) or name.startswith(("Saint", "Sainte", "La ", "Le ")):
            return f"à {name}"
        initial = fold(first)[:1]
        vowel = bool(initial) and initial in "aeiou"
        if vowel or (first.endswith("e") and code not in rules_.get("masculine_in_e", ())):
            return f"en {name}"
        return f"au {name}"
    if lang == "de":
        if code in rules_.get("feminine", ()) or name.endswith("ei"):
            return f"in der {name}"
        if code in rules_.get("masculine", ()):
            return f"im {name}"
        if name.endswith("inseln"):
            return f"auf den {name}"
        return f"in {name}"
    if code in rules_.get("the", ()) or name.startswith("United") or "Republic" in name or name.endswith("Islands"):
        return f"in the {name}"
    return f"in {name}"


def format_date(iso: Optional[str], lang: str) -> str:
    """A date written out: '13 décembre 2026', '13. Dezember 2026', 'December 13, 2026'."""
    if not iso:
        return ""
    from babel.dates import format_date as babel_format

    day = iso if isinstance(iso, dt.date) else dt.date.fromisoformat(str(iso)[:10])
    return babel_format(day, format="long", locale=_lang(lang))


# ---------------------------------------------------------------- entities and context

def _entity(entities: Iterable[dict], kind: str) -> Optional[dict]:
    for ent in entities or ():
        if ent.get("entity") == kind and ent.get("value") not in (None, ""):
            return ent
    return None


def _countries(entities: Iterable[dict]) -> List[dict]:
    return [e for e in entities or () if e.get("entity") == "country" and e.get("value")]


def _is_residence(ent: dict, text: str) -> bool:
    """A country named as where the person lives: the extractor's role `residence`, or
    words such as "j'habite en", "ich wohne in", "I live in", "frontalier" just before it."""
    if ent.get("role") == "residence":
        return True
    if ent.get("role") or not isinstance(ent.get("start"), int) or not text:
        return False
    return _matches(_cfg()["residence_before"], text[:ent["start"]])


def _country_of(entities: Iterable[dict], text: str = "") -> Optional[str]:
    """The country a question is about: not a place of residence, not Luxembourg
    named for another reason (where one works, is insured or is posted from);
    a country other than Luxembourg first."""
    named = _countries(entities)
    homes = {str(e["value"]) for e in named if _is_residence(e, text)}
    # a country named as the residence is not the destination, however often it is named
    # ("ich wohne in Perl, also in Deutschland"); a country in the last question comes first
    found = [e for e in named if not _is_residence(e, text) and str(e["value"]) not in homes]
    asked = _last_question_start(text)
    if asked is not None:
        found.sort(key=lambda e: 0 if isinstance(e.get("start"), int) and e["start"] >= asked else 1)
    codes = [str(e["value"]) for e in found]
    abroad = [c for c in codes if c != "LU"]
    if abroad:
        return abroad[0]
    if codes and text and _matches(_cfg()["luxembourg_other_reason"], text):
        return None  # "posted from Luxembourg", "I work in Luxembourg but live in ..."
    return (codes or [None])[0]


def _last_question_start(text: str) -> Optional[int]:
    """Where the last sentence that asks something begins, when a message has several sentences."""
    starts = [0] + [m.end() for m in re.finditer(r"[.!?\n]+\s+", text or "")]
    if len(starts) < 2:
        return None
    for start in reversed(starts):
        if start < len(text) and _asks(text[start:]):
            return start
    return None


def _residence_of(entities: Iterable[dict], text: str = "") -> Optional[str]:
    """Where the person lives, when the message says it (a country code), else None."""
    for ent in _countries(entities):
        if _is_residence(ent, text):
            return str(ent["value"])
    return None


def _profile_of(entities: Iterable[dict]) -> Optional[str]:
    ent = _entity(entities, "profile")
    if not ent:
        return None
    try:
        return rules.canonical_profile(str(ent["value"]))
    except rules.UnknownProfileError:
        return None


def _duration_of(entities: Iterable[dict]) -> Optional[int]:
    ent = _entity(entities, "duration")
    try:
        return int(float(ent["value"])) if ent else None
    except (TypeError, ValueError):
        return None


def _relation_of(entities: Iterable[dict]) -> Optional[Tuple[str, str]]:
    """(relation, label): ('child', 'daughter'), ('spouse', 'wife') ..."""
    ent = _entity(entities, "relation")
    if not ent:
        return None
    return str(ent["value"]), str(ent.get("role") or ent["value"])


def _known(code: Optional[str]) -> bool:
    return bool(code) and countries.is_code(code)


def _advice(code: str, profile: Optional[str], lang: str) -> Optional[rules.Advice]:
    try:
        return rules.explain(code, profile or "stay", lang)
    except (rules.UnknownCountryError, rules.UnknownProfileError, KeyError, ValueError):
        return None


def _situation_matters(code: str) -> bool:
    """Whether the online procedure depends on the reason of the stay (Quebec)."""
    entry = _regimes()["countries"].get(code) or {}
    return bool(entry.get("online_request_profiles"))


def _in_form(slots: Dict[str, Any]) -> bool:
    return bool(slots.get("requested_slot"))


class _Ctx:
    """What a message and the conversation say about the question."""

    def __init__(self, intent: str, entities: List[dict], slots: Dict[str, Any], lang: str, text: str):
        self.intent = intent
        self.entities = list(entities or [])
        self.slots = dict(slots or {})
        self.lang = _lang(lang)
        self.text = text or ""
        named = _country_of(self.entities, self.text)
        self.quebec_only = False
        if named == "CA-QC" and any(
                e.get("value") == "CA" and isinstance(e.get("start"), int)
                and fold(self.text[e["start"]:e.get("end", e["start"])]) not in ("canada", "kanada")
                for e in _countries(self.entities)):
            # "my son studies in Toronto, does the Quebec form apply there?": Canada outside Quebec
            named, self.quebec_only = "CA", True
        self.named_country = named if _known(named) else None
        residence = _residence_of(self.entities, self.text)
        self.residence = residence if _known(residence) else None
        self.non_resident = (self.residence not in (None, "LU")
                             or _matches(_cfg()["non_resident"], self.text))
        context = self.slots.get("context_country")
        self.country = self.named_country or (context if _known(context) else None)
        self.named_profile = _profile_of(self.entities)
        self.profile = (self.named_profile or _PROFILE_OF_INTENT.get(intent)
                        or self.slots.get("context_profile"))
        self.duration = _duration_of(self.entities)
        self.relation = _relation_of(self.entities)
        self.in_form = _in_form(self.slots)

    def slots_out(self, topic: Optional[str], offer: Optional[str] = None, **extra: Any) -> Dict[str, Any]:
        out = {"context_topic": topic, "pending_offer": offer}
        if self.country:
            out["context_country"] = self.country
        if self.profile:
            out["context_profile"] = self.profile
        out.update(extra)
        return out


# ---------------------------------------------------------------- advice for a destination

def explain_advice(advice: rules.Advice, lang: str, duration_days: Optional[int] = None) -> Answer:
    """What applies to a destination and situation (rules.Advice), without any offer."""
    lang = _lang(lang)
    code = advice.country_code
    place = country_in(code, lang)
    say: List[Say] = []
    caveats = {c["key"]: c for c in advice.caveats or ()}

    if "territory" in caveats:
        # a territory with its own code (Martinique, Greenland ...): the sources do not say
        state = caveats["territory"].get("state")
        return Answer([_say("utter_advice_territory", lang, "phone", state=country_name(state, lang))], {})
    if advice.profile == "posting":
        say += _posting_advice(advice, lang, place, duration_days)
    elif advice.procedure == "online_request":
        form = advice.form.code if advice.form else None
        if form:
            say.append(_say("utter_advice_convention", lang, country_in=place, form=form))
        else:
            say.append(_say("utter_advice_convention_noform", lang, country_in=place))
        if advice.profile == "study" and advice.lead_time_days:
            say.append(_say("utter_advice_student_convention", lang, lead_days=advice.lead_time_days))
        elif advice.lead_time_days:
            say.append(_say("utter_advice_lead_time", lang, lead_days=advice.lead_time_days))
        say.append(_say("utter_advice_online", lang, "link"))
        say.append(_say("utter_advice_delivery", lang, "days"))
    elif advice.procedure == "ehic":
        say.append(_say("utter_advice_ehic", lang, country_in=place))
        if "brexit_uk" in caveats:
            say.append(_say("utter_advice_uk", lang, "phone"))  # why the card is accepted there (CNS page)
            caveats.pop("brexit_uk")
        if advice.profile == "study":
            say.append(_say("utter_advice_ehic_student", lang))
        say.append(_say("utter_advice_ehic_replacement", lang))
    elif advice.procedure == "reimbursement":
        if "quebec_not_studies" in caveats:
            say.append(_say("utter_advice_not_covered", lang, country_in=place, form=rules.form_for(code) or ""))
        else:
            say.append(_say("utter_advice_no_convention", lang, country_in=place))
            if advice.profile == "study":
                say.append(_say("utter_advice_no_convention_student", lang))
        say.append(_say("utter_advice_costs_abroad", lang))
    elif advice.group == "home":
        say.append(_say("utter_advice_home", lang))

    if "brexit_uk" in caveats:
        say.append(_say("utter_advice_uk", lang, "phone"))
    return Answer(say=say, slots={})


def _posting_advice(advice: rules.Advice, lang: str, place: str, duration_days: Optional[int]) -> List[Say]:
    posting = advice.posting
    if posting is None:
        return [_say("utter_advice_home", lang)] if advice.group == "home" else []
    group = posting["group"]
    months = posting["max_months"]
    say = [_say("utter_advice_posting_intro", lang, country_in=place, months=months)]
    if group == "eu":
        say.append(_say("utter_advice_posting_employer_eu", lang, "a1"))
        say.append(_say("utter_advice_posting_worker_eu", lang, "s1"))
    elif group == "convention":
        say.append(_say("utter_advice_posting_employer_convention", lang))
        form = posting.get("country_form")
        if form:
            say.append(_say("utter_advice_posting_worker_convention", lang, form=form))
        else:
            say.append(_say("utter_advice_posting_worker_convention_noform", lang))
    else:
        say.append(_say("utter_advice_posting_employer_other", lang))
    if duration_days is not None and duration_days > months * 30.5:
        say += _posting_extension(posting, lang)
    return say


def _posting_extension(posting: Any, lang: str) -> List[Say]:
    group = posting["group"]
    months = posting["max_months"]
    ext = posting.get("extension") or {}
    if group == "eu":
        return [_say("utter_advice_posting_extension_eu", lang, "a1", months=months),
                _say("utter_advice_posting_waiting", lang, "wait_same", "wait_other")]
    if group == "convention":
        return [_say("utter_advice_posting_extension_convention", lang, months=months,
                     ext_months=ext.get("max_months"))]
    decided = (ext.get("decided_by_from_year") or {}).get("year")
    return [_say("utter_advice_posting_extension_other", lang, board_year=_ordinal(decided, lang),
                 max_years=(ext.get("max_total_months") or 0) // 12)]


def _family(ctx: _Ctx) -> List[Say]:
    if not ctx.relation:
        return []
    relation, label = ctx.relation
    who = _who(label, ctx.lang)
    if relation == "child":
        return [_say("utter_advice_family_child", ctx.lang, **who)]
    return [_say("utter_advice_family", ctx.lang, **who)]


def _destination(ctx: _Ctx, topic: str, brief: bool = False) -> Answer:
    """The answer for a destination in the context of `topic` (form, student, posting ...).

    brief: only the main fact (a follow-up about another person: the rest was said).
    """
    code = ctx.country
    if ctx.profile is None and _situation_matters(code) and topic == "ask_form":
        say = [_say("utter_advice_ask_situation", ctx.lang, country_in=country_in(code, ctx.lang))]
        return Answer(say, ctx.slots_out(topic))
    advice = _advice(code, ctx.profile, ctx.lang)
    if advice is None:
        return Answer([_say("utter_advice_ask_country", ctx.lang, "countries")], ctx.slots_out(topic))
    say = list(explain_advice(advice, ctx.lang, ctx.duration).say)
    if getattr(ctx, "quebec_only", False):
        say.insert(0, _say("utter_advice_quebec_only", ctx.lang, form=rules.form("temporary_stay_qc", ctx.lang).code,
                           country_in=country_in("CA-QC", ctx.lang)))
    if brief and say:
        say = say[:1]
    posting_cues = _cfg()["topics"]["ask_posting"]["subtopics"]
    if advice.profile == "posting" and advice.posting is not None and any(
            _matches(posting_cues[n], ctx.text) for n in ("extension", "waiting", "durations")) and not any(s.response.startswith("utter_advice_posting_extension") for s in say):
        say += _posting_extension(advice.posting, ctx.lang)
    say += _family(ctx)
    offer = None
    territory = any(c.get("key") == "territory" for c in advice.caveats or ())
    if not ctx.in_form and not territory:
        if advice.eligible_for_online_request and advice.profile != "posting":
            offer = "request"
            say.append(_say("utter_offer_request", ctx.lang))
        elif advice.procedure == "reimbursement":
            offer = "reimbursement_documents"
            say.append(_say("utter_offer_reimbursement_documents", ctx.lang))
    return Answer(say, ctx.slots_out(topic, offer))


# ---------------------------------------------------------------- kinds of question (the question as a whole)

_ASK_OPENERS = re.compile(
    r"^\W*(?:(?:bonjour|hello|hi|hallo|guten tag|salut|ok|alors|also|so|and|et|und|mais|but|aber)\W+)?"
    r"(quel\w*|quand|comment|combien|pourquoi|ou|qui|est-ce|faut-il|dois-je|puis-je|peut-on|peut-il|peut-elle|peux-tu"
    r"|pouvez-vous|ai-je|suis-je|a-t-il|y a-t-il"
    r"|welche\w*|wann|wie|warum|wieso|was|wo|woher|wer|muss|musste|kann|konnte|darf|brauche|brauchen|gilt|gibt|ist|sind|habe|hat"
    r"|which|what|when|how|why|where|who|do|does|did|should|must|can|could|may|is|are|am|will|would|have|has)\b")


def _asks(text: str) -> bool:
    """Whether a message asks something: a question mark, or a sentence that opens
    like a question ("welches Formular brauche ich", "do I need ..."), not a statement
    that merely contains such a word ("ich brauche das Formular")."""
    if "?" in (text or ""):
        return True
    return any(_ASK_OPENERS.search(part) for part in re.split(r"[.!;\n]+", fold(text)) if part.strip())


def _last_sentence_asks(text: str) -> bool:
    """Whether the last sentence of a message is a question ("... Which form do I need?")."""
    parts = [p for p in re.split(r"(?<=[.!?\n])\s+", (text or "").strip()) if p.strip()]
    return bool(parts) and _asks(parts[-1])


def _question_kind(ctx: _Ctx) -> Optional[str]:
    """A kind of question recognised from the whole message (advisor.yml `question_kinds`)."""
    for kind, spec in _cfg()["question_kinds"].items():
        if not _matches(spec["cues"], ctx.text) or _matches(spec.get("not", ()), ctx.text):
            continue
        needs = spec.get("needs") or ()
        also = spec.get("also")
        if also and not _matches(also, ctx.text) and not ("also_or_non_resident" in needs and ctx.non_resident):
            continue
        if "no_posting" in needs and (ctx.profile == "posting" or ctx.slots.get("context_topic") == "ask_posting"):
            continue
        if "question" in needs and not _asks(ctx.text):
            continue
        if "question_or_request" in needs and not (_asks(ctx.text) or _matches(_cfg()["request_cues"]["request"], ctx.text)):
            continue
        if "no_country" in needs and ctx.named_country:
            continue
        return kind
    return None


def _with_offer(ctx: _Ctx, say: List[Say], topic: str) -> Answer:
    """The answer, then the request offered (not inside the form, not for a posting)."""
    if ctx.in_form or ctx.profile == "posting":
        return Answer(say, ctx.slots_out(topic))
    return Answer(say + [_say("utter_offer_request", ctx.lang)], ctx.slots_out(topic, "request"))


def _household_document(lang: str) -> Dict[str, str]:
    entry = reference.forms()["documents"]["household_composition_certificate"]
    return {"document": entry["name"][lang], "what": entry["what"][lang], "issuer": entry["issuer"][lang]}


def _kind_id_number(ctx: _Ctx) -> Answer:
    return Answer([_say("utter_topic_id_number", ctx.lang, "digits")], ctx.slots_out("id_number"))


def _kind_household_what(ctx: _Ctx) -> Answer:
    facts = _household_document(ctx.lang)
    return Answer([_say("utter_topic_household_certificate_what", ctx.lang, **facts)], ctx.slots_out("household"))


def _destination_then(ctx: _Ctx, say: List[Say], topic: str) -> Answer:
    """The answer for the destination named, then `say`, then the destination's offer."""
    dest = _destination(ctx, "ask_form")
    before = [s for s in dest.say if not s.response.startswith("utter_offer_")]
    offers = [s for s in dest.say if s.response.startswith("utter_offer_")]
    slots = dict(dest.slots)
    slots["context_topic"] = topic
    return Answer(before + say + offers, slots)


def _kind_attach(ctx: _Ctx) -> Answer:
    facts = _household_document(ctx.lang)
    resident = ctx.residence == "LU" and not ctx.non_resident
    say = [_say("utter_topic_household_certificate_resident" if resident else "utter_topic_household_certificate",
                ctx.lang, document=facts["document"])]
    if ctx.named_country:
        return _destination_then(ctx, say, "household")
    return _with_offer(ctx, say, "household")


def _kind_who_may_request(ctx: _Ctx) -> Answer:
    folded = fold(ctx.text)
    coinsured = any(e.get("entity") == "insured_status" and e.get("value") == "coinsured" for e in ctx.entities) or re.search(r"\b(je suis|suis|en tant que|comme|ich bin|als|i am|i.m|as a)\b[^.?!;]{0,40}?(co-?assur|mitversichert|co-?insured)", folded)
    say = [_say("utter_topic_requester_coinsured" if coinsured else "utter_advice_family_rules", ctx.lang)]
    if ctx.named_country:
        return _destination_then(ctx, say, "requester")
    return _with_offer(ctx, say, "requester")


def _kind_lead_time(ctx: _Ctx) -> Answer:
    if ctx.country:
        return _destination(ctx, "ask_form")
    say = [_say("utter_advice_lead_time", ctx.lang, lead_days=rules.lead_days(ctx.profile or "stay")),
           _say("utter_advice_delivery", ctx.lang, "days")]
    return _with_offer(ctx, say, "ask_delivery")


def _kind_cruise(ctx: _Ctx) -> Answer:
    say = [_say("utter_advice_cruise", ctx.lang, "countries", "phone")]
    if ctx.in_form:
        return Answer(say, ctx.slots_out("ask_reimbursement"))
    say.append(_say("utter_offer_reimbursement_documents", ctx.lang))
    return Answer(say, ctx.slots_out("ask_reimbursement", "reimbursement_documents"))


_KINDS = {
    "id_number": _kind_id_number,
    "household_what": _kind_household_what,
    "attach": _kind_attach,
    "who_may_request": _kind_who_may_request,
    "lead_time": _kind_lead_time,
    "cruise": _kind_cruise,
}

_WHAT_IS = ["qu.est-ce", "c.est quoi", "quel (genre|type)", "\\bwas ist", "was fur", "welche art", "what is", "what.s (that|this|it)",
            "what kind", "\\bou (l.obtenir|obtenir|le trouver|trouver)", "\\bwo (bekomm|erhalt|krieg)", "where (do|can) i get"]


def _unknown_place(ctx: _Ctx) -> Optional[str]:
    """A place named as the destination that is no known country ("we fly to Atlantis"), else None."""
    if _countries(ctx.entities) or any(e.get("entity") in ("relation", "profile") for e in ctx.entities):
        return None
    spec = _cfg()["unknown_place"]
    stop = {fold(w) for w in spec["not_places"]}
    folded = fold(ctx.text)
    found = []
    same = len(folded) == len(ctx.text)  # then a span of the folded text is the person's own spelling
    for pattern in spec["travel"]:
        found += [ctx.text[m.start("place"):m.end("place")] if same else m.group("place")
                  for m in re.finditer(pattern, folded)]
    for pattern in spec["what_about"]:
        m = re.search(pattern, ctx.text.strip())
        if m:
            found.append(m.group("place"))
    for place in found:
        words = place.split()
        while words and fold(words[-1]) in stop | {"in", "im", "en", "au", "for", "fur", "pour", "with", "mit", "avec", "next", "this"}:
            words.pop()  # "Atlantis next week" -> "Atlantis"
        place = " ".join(words[:2])
        if not words or fold(words[0]) in stop or len(fold(words[0])) < 3:
            continue
        if countries.resolve(place) or countries.resolve(words[0]) or countries.find(place):
            continue
        return place
    return None


def _states_a_request(ctx: _Ctx, intent: Optional[str]) -> bool:
    """A message that asks nothing and states a request or a trip (dates or persons) to a
    destination of the online procedure."""
    if intent not in (None, "", "nlu_fallback", "inform", "ask_form", "request_certificate") or _asks(ctx.text):
        return False
    if not ctx.named_country or ctx.profile == "posting" or ctx.slots.get("pending_offer") not in (None, "request"):
        return False
    trip = any(e.get("entity") in ("date", "date_range", "relation") for e in ctx.entities)
    if not (trip or _matches(_cfg()["request_cues"]["request"], ctx.text)):
        return False
    advice = _advice(ctx.named_country, ctx.named_profile or ctx.slots.get("context_profile"), ctx.lang)
    return advice is not None and advice.eligible_for_online_request


def _follow_up_of_subject(ctx: _Ctx) -> Optional[Answer]:
    """A follow-up on the subject of the last answer that is not a topic intent
    ("was ist das für ein Dokument?" after the household certificate)."""
    subject = ctx.slots.get("context_topic")
    if subject == "household" and not ctx.named_country and _matches(_WHAT_IS, ctx.text):
        return _kind_household_what(ctx)
    if subject == "requester" and not ctx.named_country and (ctx.relation or _matches(_FOR_WHOM, ctx.text)):
        # "and for our daughter too?", "and can he request it for me?"
        say = _family(ctx) if ctx.relation and ctx.relation[0] == "child" else []
        say = say or [_say("utter_advice_family_rules", ctx.lang)]
        return _with_offer(ctx, say, "requester")
    return None


_FOR_WHOM = ["\\b(pour|for|fur) (moi|me|mich|lui|him|ihn|elle|her|sie|nous|us|uns)\\b"]


def recognised_question(entities: List[dict], slots: Dict[str, Any], lang: str, text: str) -> Optional[Answer]:
    """The answer to a question recognised from the whole message whatever the intent
    (where the identification number is, what the household certificate is, who may
    ask for whom ...), or None. For the request flow: a question in the middle of the
    form that the classifier did not see as a question."""
    ctx = _Ctx("", entities, slots, lang, text)
    kind = _question_kind(ctx)
    if kind:
        return _KINDS[kind](ctx)
    return _follow_up_of_subject(ctx)


# ---------------------------------------------------------------- topics

def _topic_form(ctx: _Ctx, sub: Optional[str]) -> Answer:
    if ctx.country:
        # "and for my daughter?" after the answer for a country: the main fact and the person's case
        brief = bool(ctx.relation) and not ctx.named_country and ctx.slots.get("context_topic") == "ask_form"
        return _destination(ctx, "ask_form", brief=brief)
    say: List[Say] = []
    if ctx.relation:
        say.append(_say("utter_advice_family_rules", ctx.lang))
    if ctx.profile == "posting":
        say.append(_say("utter_advice_ask_country_posting", ctx.lang))
    elif ctx.profile == "study":
        say.append(_say("utter_advice_ask_country_study", ctx.lang))
    else:
        say.append(_say("utter_advice_ask_country", ctx.lang, "countries"))
    return Answer(say, ctx.slots_out("ask_form"))


def _topic_student(ctx: _Ctx, sub: Optional[str]) -> Answer:
    lang = ctx.lang
    topic = "ask_student"
    if ctx.named_country and ctx.named_country != "LU" and sub not in ("voluntary", "compulsory", "fund"):
        # "my daughter studies in Madrid, what does she need to see a doctor?": the answer for the country;
        # "she is co-insured" said in passing does not make it a co-insurance question
        spec = _cfg()["topics"]["ask_student"]["subtopics"]
        asked = _last_question_start(ctx.text)
        coins_asked = sub == "coinsured" and _matches(spec["coinsured"], ctx.text[asked or 0:])
        if not coins_asked:
            ctx.profile = "study"
            return _destination(ctx, topic)
    if (sub in (None, "card") and ctx.named_country) or (sub == "abroad" and ctx.country):
        return _destination(ctx, topic)
    if sub is None and ctx.country and ctx.slots.get("context_topic") in ("ask_form", "ask_student"):
        # a follow-up about studies in the country already discussed ("and for my daughter who studies there?")
        ctx.profile = "study"
        return _destination(ctx, topic)
    parts = {
        "coinsured": ["utter_topic_student_coinsured", "utter_topic_student_coinsured_how"],
        "voluntary": ["utter_topic_student_voluntary"],
        "compulsory": ["utter_topic_student_compulsory", "utter_topic_student_contributions"],
        "doctor": ["utter_topic_student_doctor"],
        "fund": ["utter_topic_student_fund"],
        "card": ["utter_topic_student_compulsory"],
    }
    facts = {
        "utter_topic_student_voluntary": ("prior_months", "request_months"),
        "utter_topic_student_contributions": ("cap",),
        "utter_topic_student_doctor": ("doctor_age",),
        "utter_topic_student_fund": ("funds",),
    }
    if sub in parts:
        if sub == "card":
            say = [_say("utter_topic_student_coinsured", lang), _say("utter_topic_student_compulsory", lang)]
        else:
            say = [_say(name, lang, *facts.get(name, ())) for name in parts[sub]]
        return Answer(say, ctx.slots_out(topic))
    if sub == "reimbursement":
        return _topic_reimbursement(ctx, None)
    if sub == "abroad":
        say = [_say("utter_topic_student_abroad", lang, "lead_days"), _say("utter_advice_ask_country_study", lang)]
        return Answer(say, ctx.slots_out(topic))
    say = [_say("utter_topic_student_overview", lang), _say("utter_topic_student_menu", lang)]
    return Answer(say, ctx.slots_out(topic))


def _topic_posting(ctx: _Ctx, sub: Optional[str]) -> Answer:
    lang = ctx.lang
    topic = "ask_posting"
    ctx.profile = "posting"
    if sub == "old_forms":
        say = [_say("utter_topic_posting_old_forms", lang, "old_forms", "a1", "s1")]
        if ctx.country:
            say += list(_destination(ctx, topic).say)
        return Answer(say, ctx.slots_out(topic))
    if sub == "definition" and ctx.named_country:
        sub = None  # "détaché en Turquie, qu'est-ce qu'il me faut ?": the answer for the country
    if sub == "reimbursement" and ctx.country and not _matches(_cfg()["reimbursement_strong"], ctx.text):
        sub = None  # "how am I covered for care during my posting to Tunisia?": the posting answer
    if ctx.country and sub not in ("definition", "reimbursement", "conditions"):
        if sub == "extension" and not ctx.named_country:
            # "und wenn ich länger bleibe?": the extension rules of the country in context
            advice = _advice(ctx.country, "posting", lang)
            if advice is not None and advice.posting is not None:
                return Answer(_posting_extension(advice.posting, lang), ctx.slots_out(topic))
        if sub == "waiting":
            advice = _advice(ctx.country, "posting", lang)
            if advice is not None and advice.posting is not None and advice.posting["group"] == "eu":
                return Answer([_say("utter_advice_posting_waiting", lang, "wait_same", "wait_other")],
                              ctx.slots_out(topic))
        return _destination(ctx, topic)
    if sub == "definition":
        say = [_say("utter_topic_posting_definition", lang)]
    elif sub == "durations":
        say = [_say("utter_topic_posting_durations", lang, "eu", "a1", "conv", "other", "max_years")]
    elif sub == "forms":
        say = [_say("utter_topic_posting_forms", lang, "a1", "s1"),
               _say("utter_advice_ask_country_posting", lang)]
    elif sub == "who":
        say = [_say("utter_topic_posting_who", lang)]
    elif sub == "extension":
        say = [_say("utter_topic_posting_extension", lang, "eu", "max_years"),
               _say("utter_advice_ask_country_posting", lang)]
    elif sub == "waiting":
        say = [_say("utter_advice_posting_waiting", lang, "wait_same", "wait_other")]
    elif sub == "conditions":
        say = [_say("utter_topic_posting_conditions", lang, "eu", prior_months=_FACTS["posting_prior_months"](lang))]
    elif sub == "reimbursement":
        say = [_say("utter_topic_posting_reimbursement", lang), _say("utter_topic_posting_third_party", lang)]
    else:
        say = [_say("utter_topic_posting_definition", lang),
               _say("utter_topic_posting_durations", lang, "eu", "a1", "conv", "other", "max_years"),
               _say("utter_advice_ask_country_posting", lang)]
    return Answer(say, ctx.slots_out(topic))


def _topic_ehic(ctx: _Ctx, sub: Optional[str]) -> Answer:
    lang = ctx.lang
    topic = "ask_ehic"
    if sub == "uk" or ctx.named_country == "GB":
        return Answer([_say("utter_advice_uk", lang, "phone")], ctx.slots_out(topic))
    if ctx.named_country:
        return _destination(ctx, topic)
    if sub == "replacement":
        say = [_say("utter_advice_ehic_replacement", lang)]
    elif sub == "get":
        say = [_say("utter_topic_ehic_get", lang), _say("utter_advice_ehic_replacement", lang)]
    else:
        say = [_say("utter_topic_ehic_overview", lang), _say("utter_advice_ehic_replacement", lang)]
    return Answer(say, ctx.slots_out(topic))


def _topic_reimbursement(ctx: _Ctx, sub: Optional[str]) -> Answer:
    lang = ctx.lang
    topic = "ask_reimbursement"
    if sub == "documents":
        return Answer([_say("utter_topic_reimbursement_documents", lang)], ctx.slots_out(topic))
    if sub == "third_party":
        return Answer([_say("utter_topic_posting_third_party", lang)], ctx.slots_out(topic))
    if sub == "complementary":
        return Answer([_say("utter_topic_reimbursement_complementary", lang)], ctx.slots_out(topic))
    if sub == "statements":
        return Answer([_say("utter_topic_reimbursement_statements", lang)], ctx.slots_out(topic))
    if ctx.profile == "posting":
        say = [_say("utter_topic_posting_reimbursement", lang), _say("utter_topic_posting_third_party", lang)]
        return Answer(say, ctx.slots_out(topic))
    advice = _advice(ctx.country, ctx.profile, lang) if ctx.country else None
    if advice is not None:
        rates = (advice.reimbursement or {}).get("rates")
        if advice.group == "uk":
            return Answer([_say("utter_advice_uk", lang, "phone")], ctx.slots_out(topic))
        if advice.group == "home":
            return Answer([_say("utter_advice_home", lang)], ctx.slots_out(topic))
        if rates == "luxembourg":
            say = [_say("utter_advice_costs_abroad", lang)]
            if ctx.in_form:
                return Answer(say, ctx.slots_out(topic))
            say.append(_say("utter_offer_reimbursement_documents", lang))
            return Answer(say, ctx.slots_out(topic, "reimbursement_documents"))
        return Answer([_say("utter_topic_reimbursement_treaty", lang)], ctx.slots_out(topic))
    say = [_say("utter_topic_reimbursement_treaty", lang), _say("utter_topic_reimbursement_other", lang)]
    if ctx.in_form:
        return Answer(say, ctx.slots_out(topic))
    say.append(_say("utter_offer_reimbursement_documents", lang))
    return Answer(say, ctx.slots_out(topic, "reimbursement_documents"))


def _topic_espace(ctx: _Ctx, sub: Optional[str]) -> Answer:
    lang = ctx.lang
    topic = "ask_espace"
    if sub == "edelivery":
        return _topic_edelivery(ctx, _subtopic("ask_edelivery", ctx.text))
    if sub == "noauth":
        say = [_say("utter_topic_espace_noauth", lang)]
    elif sub == "login":
        say = [_say("utter_topic_espace_login", lang, "products", "helpdesk")]
    elif sub in ("status", "auth"):
        say = [_say("utter_topic_espace_auth", lang, "statuses")]
    elif sub == "procedures":
        say = [_say("utter_topic_espace_procedures", lang, "procedures")]
    else:
        say = [_say("utter_topic_espace_overview", lang, "products")]
        if not ctx.in_form:
            say.append(_say("utter_offer_edelivery_activate", lang))
            return Answer(say, ctx.slots_out(topic, "edelivery_activate"))
    return Answer(say, ctx.slots_out(topic))


def _topic_edelivery(ctx: _Ctx, sub: Optional[str]) -> Answer:
    lang = ctx.lang
    topic = "ask_edelivery"
    activate = _say("utter_topic_edelivery_activate", lang, "products", "path", "option", "button")
    if sub == "deactivate":
        say = [_say("utter_topic_edelivery_deactivate", lang)]
    elif sub == "documents":
        say = [_say("utter_topic_edelivery_documents", lang, "count", "documents")]
    elif sub == "activate":
        say = [activate]
    elif sub == "what":
        say = [_say("utter_topic_edelivery_what", lang)]
    else:
        say = [_say("utter_topic_edelivery_what", lang), activate]
    return Answer(say, ctx.slots_out(topic))


def _topic_pro_space(ctx: _Ctx, sub: Optional[str]) -> Answer:
    lang = ctx.lang
    names = {
        "edelivery": [("utter_topic_pro_edelivery", ())],
        "code": [("utter_topic_pro_code", ("code_min", "code_max"))],
        "representative": [("utter_topic_pro_representative", ())],
        "access_codes": [("utter_topic_pro_access_codes", ())],
        "domains": [("utter_topic_pro_domains", ("domains",))],
        "users": [("utter_topic_pro_users", ())],
        "certify": [("utter_topic_pro_certify", ("domains",))],
        "request": [("utter_topic_pro_request", ("procedure_name", "code_min", "code_max"))],
        "create": [("utter_topic_pro_create", ())],
    }.get(sub, [("utter_topic_pro_overview", ()),
                ("utter_topic_pro_request", ("procedure_name", "code_min", "code_max")),
                ("utter_topic_pro_help", ("subject",))])
    return Answer([_say(n, lang, *f) for n, f in names], ctx.slots_out("ask_pro_space"))


def _topic_contact(ctx: _Ctx, sub: Optional[str]) -> Answer:
    lang = ctx.lang
    main = _say("utter_topic_contact", lang, "phone", "fax", "address")
    coins = _say("utter_topic_contact_coinsurance", lang, "coins_phone")
    helpdesk = _say("utter_topic_contact_helpdesk", lang, "helpdesk")
    if sub == "coinsurance":
        say = [coins, main]
    elif sub == "helpdesk":
        say = [helpdesk]
    else:
        say = [main, coins, helpdesk]
    return Answer(say, ctx.slots_out("ask_contact"))


def _topic_data_protection(ctx: _Ctx, sub: Optional[str]) -> Answer:
    say = [_say("utter_topic_data_protection", ctx.lang),
           _say("utter_topic_data_rights", ctx.lang, "cnpd", "cnpd_address")]
    return Answer(say, ctx.slots_out("ask_data_protection"))


def _topic_delivery(ctx: _Ctx, sub: Optional[str]) -> Answer:
    say = [_say("utter_advice_delivery", ctx.lang, "days"), _say("utter_topic_delivery_save", ctx.lang)]
    return Answer(say, ctx.slots_out("ask_delivery"))


_TOPICS = {
    "ask_form": _topic_form,
    "ask_student": _topic_student,
    "ask_posting": _topic_posting,
    "ask_ehic": _topic_ehic,
    "ask_reimbursement": _topic_reimbursement,
    "ask_espace": _topic_espace,
    "ask_edelivery": _topic_edelivery,
    "ask_pro_space": _topic_pro_space,
    "ask_contact": _topic_contact,
    "ask_data_protection": _topic_data_protection,
    "ask_delivery": _topic_delivery,
}


def answer(intent: str, entities: List[dict], slots: Dict[str, Any], lang: str, text: str) -> Answer:
    """The reply to a question intent (one of TOPIC_INTENTS) in context."""
    if intent not in _TOPICS:
        intent = "ask_form"
    ctx = _Ctx(intent, entities, slots, lang, text)
    kind = _question_kind(ctx)
    if kind:
        return _KINDS[kind](ctx)
    found = _follow_up_of_subject(ctx)
    if found is not None:
        return found
    intent = _topic_of_question(ctx, intent)
    return _TOPICS[intent](ctx, _subtopic(intent, ctx.text))


def _topic_of_question(ctx: _Ctx, intent: str) -> str:
    """The topic the whole question is about, where one word misled the classifier:
    a posting question stays a posting question unless it asks about reimbursement."""
    posting = _matches(_cfg()["topic_cues"]["ask_posting"], ctx.text) or ctx.named_profile == "posting"
    if posting and intent in ("ask_form", "ask_ehic", "ask_delivery", "ask_reimbursement", "ask_student"):
        if intent == "ask_reimbursement" and _matches(_cfg()["reimbursement_strong"], ctx.text):
            return intent
        if intent == "ask_student" and _matches(_cfg()["topic_cues"]["ask_student"], ctx.text):
            return intent
        ctx.profile = "posting"
        return "ask_posting"
    return intent


# ---------------------------------------------------------------- outside the form

def _yes_no(text: str) -> Optional[bool]:
    """Yes, no or neither, read from the lexicon the way the request form reads it."""
    from bot.text import Message, yes_no

    return yes_no(Message(text))


def _start(ctx: _Ctx, code: Optional[str]) -> Tuple[Answer, bool]:
    slots = {"pending_offer": None, "context_topic": "ask_form"}
    if code:
        slots.update(destination=code, context_country=code)
    if ctx.profile:
        slots["context_profile"] = ctx.profile
    return Answer([_say("utter_chat_request_start", ctx.lang)], slots), True


def _request(ctx: _Ctx) -> Tuple[Answer, bool]:
    """request_certificate: start the form, unless the destination is not for this procedure."""
    code = ctx.named_country
    profile = ctx.named_profile or ctx.slots.get("context_profile")
    if code is None:
        context = ctx.country
        advice = _advice(context, profile, ctx.lang) if context else None
        if advice is not None and advice.eligible_for_online_request and profile != "posting":
            return _start(ctx, context)
        return _start(ctx, None)
    if profile is None and _situation_matters(code):
        return _start(ctx, code)  # the form asks whether the stay is for studies
    advice = _advice(code, profile, ctx.lang)
    if advice is None:
        return _start(ctx, None)
    if profile == "posting" or not advice.eligible_for_online_request:
        ctx.profile = profile
        return _destination(ctx, "ask_form"), False
    return _start(ctx, code)


def _offer_yes(ctx: _Ctx, offer: str) -> Tuple[Answer, bool]:
    spec = (_cfg()["offers"] or {}).get(offer) or {}
    if spec.get("start_request"):
        code = ctx.country
        advice = _advice(code, ctx.profile, ctx.lang) if code else None
        eligible = advice is not None and advice.eligible_for_online_request
        return _start(ctx, code if eligible else None)
    if spec.get("topic") in _TOPICS:
        ans = _TOPICS[spec["topic"]](ctx, spec.get("subtopic"))
        ans.slots["pending_offer"] = None
        return ans, False
    return _help(ctx), False


def _help(ctx: _Ctx) -> Answer:
    return Answer([_say("utter_chat_help", ctx.lang, "countries")], {"pending_offer": None})


def _fallback(ctx: _Ctx) -> Answer:
    return Answer([_say("utter_chat_fallback", ctx.lang)], {"pending_offer": None})


def _looks_like_request(text: str) -> bool:
    cues = _cfg()["request_cues"]
    return _matches(cues["request"], text) and not _matches(cues["question"], text)


def _follow_up(ctx: _Ctx) -> Optional[Answer]:
    """A bare country, relation, profile or duration after a question: the same question again."""
    topic = ctx.slots.get("context_topic")
    country_topics = _cfg()["settings"]["country_topics"]
    if topic not in country_topics:
        topic = _cfg()["settings"]["default_country_topic"]
    has_new = ctx.named_country or ctx.relation or ctx.named_profile or ctx.duration is not None
    if not has_new:
        return None
    if ctx.country:
        only_person = ctx.relation and not (ctx.named_country or ctx.named_profile or ctx.duration is not None)
        if only_person and topic in ("ask_form", "ask_student", "ask_ehic", "ask_delivery"):
            return _destination(ctx, "ask_student" if topic == "ask_student" else "ask_form", brief=True)
        if topic == "ask_reimbursement":
            return _topic_reimbursement(ctx, None)
        if topic == "ask_posting" or ctx.profile == "posting":
            ctx.profile = "posting"
            return _destination(ctx, "ask_posting")
        if topic == "ask_ehic" and ctx.profile not in ("study", "posting"):
            topic = "ask_form"
        return _destination(ctx, topic if topic in ("ask_form", "ask_student") else "ask_form")
    if ctx.named_profile == "study":
        return _topic_student(ctx, None)
    if ctx.named_profile == "posting":
        return _topic_posting(ctx, None)
    return _topic_form(ctx, None)


def _about_the_request(ctx: _Ctx) -> bool:
    """Whether the conversation is about the temporary-stay certificate request."""
    slots = ctx.slots
    if slots.get("pending_offer") == "request" or slots.get("destination"):
        return True
    if slots.get("context_topic") in ("ask_form", "ask_delivery", "ask_student") and ctx.country:
        advice = _advice(ctx.country, ctx.profile, ctx.lang)
        return advice is not None and advice.eligible_for_online_request
    return slots.get("context_topic") == "ask_delivery"


def _within_topic(ctx: _Ctx) -> bool:
    """A follow-up within the topic being discussed ("und wenn ich länger bleibe?"): words of one
    of its sub-topics, no new country."""
    topic = ctx.slots.get("context_topic")
    return topic in _TOPICS and bool(_subtopic(topic, ctx.text)) and not ctx.named_country


_NOT_A_QUESTION = frozenset({"human_handoff", "change_language", "cancel", "restart", "start_over", "affirm", "deny",
                              "goodbye"})


def respond(intent: Optional[str], confidence: float, entities: List[dict], slots: Dict[str, Any],
            lang: str, text: str) -> Tuple[Answer, bool]:
    """Everything said outside the request form; the bool: start the request form now.

    The answer's slots carry ``start_request`` (True on the turn the form starts,
    else None): data/core/rules.yml starts the form on it after action_respond."""
    ans, start = _respond(intent, confidence, entities, slots, lang, text)
    ans.slots["start_request"] = True if start else None
    return ans, start


def _respond(intent: Optional[str], confidence: float, entities: List[dict], slots: Dict[str, Any],
             lang: str, text: str) -> Tuple[Answer, bool]:
    slots = dict(slots or {})
    ctx = _Ctx(intent or "", entities, slots, lang, text)
    settings = _cfg()["settings"]
    unsure = intent in (None, "", "nlu_fallback") or (confidence or 0.0) < settings["min_confidence"]
    offer = slots.get("pending_offer")

    if intent not in _NOT_A_QUESTION:
        # what is asked, about whom, where to: before the strongest single word
        kind = _question_kind(ctx)
        if kind:
            return _KINDS[kind](ctx), False
        found = _follow_up_of_subject(ctx)
        if found is not None:
            return found, False
        if _states_a_request(ctx, intent):
            # "on part à cinq en Turquie en juillet : ma femme, nos trois enfants et moi": no question,
            # a trip for the online procedure: the request starts with what the message gave
            return _request(ctx)
        if (ctx.residence not in (None, "LU") and not ctx.named_country
                and intent in ("inform", "correct", "nlu_fallback", None, "")):
            # "I live in Belgium" after a question: what it changes (the household certificate)
            return _kind_attach(ctx), False
        place = _unknown_place(ctx)
        if place:
            # said at once, and the question asked again
            say = [_say("utter_advice_unknown_place", ctx.lang, place=place),
                   _say("utter_advice_ask_country", ctx.lang, "countries")]
            topic = ctx.slots.get("context_topic") if ctx.slots.get("context_topic") in _TOPICS else "ask_form"
            out = {"context_topic": topic, "pending_offer": None}
            return Answer(say, out), False

    if unsure:
        if offer:
            yn = _yes_no(text)
            if yn is True:
                return _offer_yes(ctx, offer)
            if yn is False:
                return Answer([_say("utter_chat_offer_declined", ctx.lang)], {"pending_offer": None}), False
        if ctx.named_country or ctx.relation or ctx.named_profile:
            found = _follow_up(ctx)
            if found is not None:
                return found, False
        if _within_topic(ctx):
            return answer(slots["context_topic"], entities, slots, ctx.lang, text), False
        topic = _topic_from_cues(text)
        if topic:
            return answer(topic, entities, slots, ctx.lang, text), False
        if intent in (None, "", "nlu_fallback"):
            return _fallback(ctx), False
        # nothing better: trust the classifier's best guess

    if not unsure and _matches(settings.get("follow_up_openings", ()), text) and _within_topic(ctx):
        return answer(slots["context_topic"], entities, slots, ctx.lang, text), False
    if intent == "greet":
        return Answer([_say("utter_chat_greet", ctx.lang)], {"pending_offer": None}), False
    if intent == "goodbye":
        return Answer([_say("utter_chat_goodbye", ctx.lang)], {"pending_offer": None}), False
    if intent == "thank":
        return Answer([_say("utter_chat_thank", ctx.lang)], {"pending_offer": None}), False
    if intent == "help":
        return _help(ctx), False
    if intent == "out_of_scope":
        topic = _topic_from_cues(text)
        if topic in settings.get("out_of_scope_topics", ()):
            return answer(topic, entities, slots, ctx.lang, text), False
        return Answer([_say("utter_chat_out_of_scope", ctx.lang, "phone")], {"pending_offer": None}), False
    if intent == "human_handoff":
        if _about_the_request(ctx):
            return Answer([_say("utter_handoff_request", ctx.lang, "coins_phone")], {}), False
        return Answer([_say("utter_chat_handoff", ctx.lang, "phone")], {}), False
    if intent == "change_language":
        return Answer([_say("utter_chat_language_changed", ctx.lang)], {}), False
    if intent in ("cancel", "restart", "start_over"):
        return Answer([_say("utter_chat_offer_declined", ctx.lang)], {"pending_offer": None}), False
    if intent == "affirm":
        if offer:
            return _offer_yes(ctx, offer)
        return _help(ctx), False
    if intent == "deny":
        return Answer([_say("utter_chat_offer_declined", ctx.lang)], {"pending_offer": None}), False
    if intent == "request_certificate":
        if _last_sentence_asks(text) or (ctx.named_country and _matches(_cfg()["request_cues"]["question"], text)):
            # "Which form do I need for Cape Verde?", "... und Marokko für 3 Jahre, geht das?" read as a
            # request: answer the question (in the topic under way), then offer the request
            found = _follow_up(ctx) if ctx.slots.get("context_topic") and not _matches(
                _cfg()["topic_cues"]["ask_form"], text) else None
            return (found or answer(_topic_of_question(ctx, "ask_form"), entities, slots, ctx.lang, text)), False
        return _request(ctx)
    if intent in ("inform", "correct") and _within_topic(ctx):
        return answer(slots["context_topic"], entities, slots, ctx.lang, text), False
    if intent in ("inform", "correct"):
        gives_dates = _entity(ctx.entities, "date") or _entity(ctx.entities, "date_range")
        if offer == "request" and ctx.named_country is None and gives_dates:
            return _offer_yes(ctx, offer)  # dates after the offer: the person goes ahead
        found = _follow_up(ctx)
        if found is not None:
            return found, False
        if offer and _yes_no(text) is not None:
            return _respond("affirm" if _yes_no(text) else "deny", 1.0, entities, slots, lang, text)
        topic = _topic_from_cues(text)
        if topic:
            return answer(topic, entities, slots, ctx.lang, text), False
        return _fallback(ctx), False
    if intent in TOPIC_INTENTS:
        if intent == "ask_form" and _looks_like_request(text) and not _last_sentence_asks(text):
            return _request(ctx)
        return answer(intent, entities, slots, ctx.lang, text), False
    return _fallback(ctx), False


def topic_of(text: str) -> Optional[str]:
    """The topic a message's strong words name (advisor.yml `topic_cues`), or None."""
    return _topic_from_cues(text)


def is_question(text: str) -> bool:
    """Whether a message asks something (advisor.yml `request_cues.question`)."""
    return _matches(_cfg()["request_cues"]["question"], text)
