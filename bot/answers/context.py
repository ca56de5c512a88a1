"""What the answers read: the advisor's data (bot/data/advisor.yml) and its facts table, the
entities of a message, and the context of the conversation (`_Ctx`)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Tuple

from bot import countries, reference, rules
from bot.messages import Say
from bot.text import fold, matches_any
from bot.wording import and_list, lang_or_default, online_countries, or_list, ordinal


TOPIC_INTENTS = frozenset({
    "ask_form", "ask_student", "ask_posting", "ask_ehic", "ask_reimbursement", "ask_espace",
    "ask_edelivery", "ask_pro_space", "ask_contact", "ask_data_protection", "ask_delivery",
})


_PROFILE_OF_INTENT = {"ask_student": "study", "ask_posting": "posting"}


@lru_cache(maxsize=1)
def _cfg() -> dict:
    return reference.load("advisor")


def _subtopic(intent: str, text: str) -> Optional[str]:
    """The first sub-topic of `intent` whose cues occur in `text`, else None."""
    spec = _cfg()["topics"].get(intent) or {}
    for name, cues in (spec.get("subtopics") or {}).items():
        if matches_any(cues, text):
            return name
    return None


def _topic_from_cues(text: str) -> Optional[str]:
    for intent, cues in _cfg()["topic_cues"].items():
        if matches_any(cues, text):
            return intent
    return None


def _contact(key: str) -> Any:
    return rules.contact(key)


def _form_code(key: str) -> str:
    return rules.form(key).code or ""


def _delivery_days() -> int:
    return reference.regimes()["delivery"]["without_authentication"]["usual_days"]


def _study() -> Any:
    return reference.regimes()["study"]


def _posting_group(key: str) -> Any:
    return reference.regimes()["posting"]["groups"][key]


def _address(lines: Iterable[str]) -> str:
    return ", ".join(lines or ())


def _facts(*names: str, lang: str = "fr") -> Dict[str, Any]:
    """Parameters by name, each read from the data (see the table below)."""
    return {name: _FACTS[name](lang) for name in names}


def _products(lang: str) -> str:
    return or_list(_cfg()["facts"]["espace"]["products"], lang)


def _funds(lang: str) -> str:
    funds = reference.funds()["funds"]
    return and_list([rules.fund_label(code, lang) for code in funds], lang)


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
    "board_year": lambda lang: ordinal(_posting_group("no_convention")["extension"]["decided_by_from_year"]["year"], lang),
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
    before = text[:ent["start"]]
    return matches_any(_cfg()["residence_before"], before) and not matches_any(_cfg()["residence_of_others"], before)


def _is_compared(ent: dict, text: str) -> bool:
    """A country named for comparison ("like for Turkey", "comme pour la Turquie", "wie bei der Türkei")."""
    if not isinstance(ent.get("start"), int) or not text:
        return False
    return matches_any(_cfg()["comparison_before"], text[:ent["start"]])


def _country_of(entities: Iterable[dict], text: str = "") -> Optional[str]:
    """The country a question is about: not a place of residence, not Luxembourg
    named for another reason (where one works, is insured or is posted from);
    a country other than Luxembourg first."""
    return (_countries_asked(entities, text) or [None])[0]


def _countries_asked(entities: Iterable[dict], text: str = "") -> List[str]:
    """The countries a question is about, the one it asks about first (see `_country_of`):
    "deux semaines en Turquie, puis trois jours en Grèce. Pour la Grèce, il faut un formulaire ?"
    is about Greece, then Turkey."""
    named = _countries(entities)
    homes = {str(e["value"]) for e in named if _is_residence(e, text)}
    # a country named as the residence is not the destination, however often it is named
    # ("ich wohne in Perl, also in Deutschland"); a country in the last question comes first
    found = [e for e in named if not _is_residence(e, text) and str(e["value"]) not in homes
             and e.get("role") not in ("insured", "near")  # someone's insurance, a landmark: no stay
             and not (e.get("role") == "work" and e["value"] == "LU")]  # "je bosse au Luxembourg"
    # "Is there an attestation like for Turkey?": a country named for comparison is not the one asked about
    others = [e for e in found if not _is_compared(e, text)]
    if others:
        found = others
    # "mit dem Auto über Spanien nach Marokko": a country driven through is not the destination
    others = [e for e in found
              if not (isinstance(e.get("start"), int) and matches_any(_cfg()["transit_before"], text[:e["start"]]))]
    if others:
        found = others
    asked = _last_question_start(text)
    if asked is not None:
        found.sort(key=lambda e: 0 if isinstance(e.get("start"), int) and e["start"] >= asked else 1)
    codes = list(dict.fromkeys(str(e["value"]) for e in found))
    abroad = [c for c in codes if c != "LU"]
    if abroad:
        return abroad
    if codes and text and matches_any(_cfg()["luxembourg_other_reason"], text):
        return []  # "posted from Luxembourg", "I work in Luxembourg but live in ..."
    return codes[:1]


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
    entry = reference.regimes()["countries"].get(code) or {}
    return bool(entry.get("online_request_profiles"))


def _in_form(slots: Dict[str, Any]) -> bool:
    return bool(slots.get("requested_slot"))


class _Ctx:
    """What a message and the conversation say about the question."""

    def __init__(self, intent: str, entities: List[dict], slots: Dict[str, Any], lang: str, text: str):
        self.intent = intent
        self.entities = list(entities or [])
        self.slots = dict(slots or {})
        self.lang = lang_or_default(lang)
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
        # the other places of a trip the message names ("d'abord la Turquie, puis la Grèce")
        self.other_countries = [c for c in _countries_asked(self.entities, self.text)[1:3]
                                if _known(c) and c != self.named_country] if self.named_country else []
        residence = _residence_of(self.entities, self.text)
        self.residence = residence if _known(residence) else None
        self.non_resident = (self.residence not in (None, "LU")
                             or matches_any(_cfg()["non_resident"], self.text))
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
