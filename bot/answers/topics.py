"""The answers by topic (forms, students, posting, EHIC, reimbursement, eSpace, eDelivery,
professional space, contact, data protection, delivery), the advice for a destination, and the
kinds of question answered the same whatever the topic. `answer(...)` is the entry."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from bot import countries, reference, rules
from bot.messages import Answer, Say
from bot.text import fold, matches_any
from bot.wording import country_in, country_name, lang_or_default, ordinal, who
from bot.answers.context import (
    _advice, _asks, _cfg, _countries, _Ctx, _FACTS, _last_question_start, _say, _situation_matters,
    _subtopic,
)


def explain_advice(advice: rules.Advice, lang: str, duration_days: Optional[int] = None) -> Answer:
    """What applies to a destination and situation (rules.Advice), without any offer."""
    lang = lang_or_default(lang)
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


def _territory(advice: rules.Advice) -> bool:
    """A territory with an ISO code of its own (Martinique, Greenland ...): the sources do not say."""
    return any(c.get("key") == "territory" for c in advice.caveats or ())


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
        say.append(_say("utter_advice_posting_employer_convention", lang, "a1"))
        form = posting.get("country_form")
        if form and advice.eligible_for_online_request:
            say.append(_say("utter_advice_posting_worker_convention_online", lang, form=form))
        elif form:
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
    return [_say("utter_advice_posting_extension_other", lang, board_year=ordinal(decided, lang),
                 max_years=(ext.get("max_total_months") or 0) // 12)]


def _family(ctx: _Ctx) -> List[Say]:
    if not ctx.relation:
        return []
    relation, label = ctx.relation
    named = who(label, ctx.lang)
    if relation == "child":
        return [_say("utter_advice_family_child", ctx.lang, **named)]
    return [_say("utter_advice_family", ctx.lang, **named)]


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
            matches_any(posting_cues[n], ctx.text) for n in ("extension", "waiting", "durations")) and not any(s.response.startswith("utter_advice_posting_extension") for s in say):
        say += _posting_extension(advice.posting, ctx.lang)
    say += _family(ctx)
    for other in ctx.other_countries:
        # "d'abord deux semaines en Turquie, puis trois jours en Grèce": each place of the trip, briefly
        extra = _advice(other, ctx.profile, ctx.lang)
        if extra is not None:
            say += list(explain_advice(extra, ctx.lang, None).say)[:1]
            if not advice.eligible_for_online_request and extra.eligible_for_online_request:
                advice, ctx.country = extra, other  # the request is offered for the place that needs it
    offer = None
    if not ctx.in_form and not _territory(advice):
        if advice.eligible_for_online_request and (advice.profile != "posting" or advice.group == "convention"):
            # a posting to a convention country: the worker asks the CNS for the certificate filed here
            offer = "request"
            say.append(_say("utter_offer_request", ctx.lang))
        elif advice.procedure == "reimbursement":
            offer = "reimbursement_documents"
            say.append(_say("utter_offer_reimbursement_documents", ctx.lang))
    return Answer(say, ctx.slots_out(topic, offer))


def _question_kind(ctx: _Ctx) -> Optional[str]:
    """A kind of question recognised from the whole message (advisor.yml `question_kinds`)."""
    for kind, spec in _cfg()["question_kinds"].items():
        if not matches_any(spec["cues"], ctx.text) or matches_any(spec.get("not", ()), ctx.text):
            continue
        needs = spec.get("needs") or ()
        also = spec.get("also")
        if also and not matches_any(also, ctx.text) and not ("also_or_non_resident" in needs and ctx.non_resident):
            continue
        posting = ctx.profile == "posting" or ctx.slots.get("context_topic") == "ask_posting"
        if "no_posting" in needs and posting:
            continue
        if "no_posting_outside_convention" in needs and posting and not (
                ctx.country and rules.lead_days("posting", ctx.country)):
            continue  # a posting to a convention country asks the same certificate, 15 days ahead
        if "question" in needs and not _asks(ctx.text):
            continue
        if "question_or_request" in needs and not (_asks(ctx.text) or matches_any(_cfg()["request_cues"]["request"], ctx.text)):
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
    statuses = [e.get("value") for e in ctx.entities if e.get("entity") == "insured_status"]
    # "ich bin hauptversichert ... die Kinder, die bei mir mitversichert sind": the first status is the person's
    coinsured = (statuses[:1] == ["coinsured"]) or (not statuses and re.search(r"\b(je suis|suis|en tant que|comme|ich bin|als|i am|i.m|as a)\b[^.?!;]{0,40}?(co-?assur|mitversichert|co-?insured)", folded))
    say = [_say("utter_topic_requester_coinsured" if coinsured else "utter_advice_family_rules", ctx.lang)]
    if ctx.named_country:
        return _destination_then(ctx, say, "requester")
    return _with_offer(ctx, say, "requester")


def _kind_lead_time(ctx: _Ctx) -> Answer:
    if ctx.country and ctx.profile != "posting":
        return _destination(ctx, "ask_form")
    say = [_say("utter_advice_lead_time", ctx.lang, lead_days=rules.lead_days(ctx.profile or "stay", ctx.country)),
           _say("utter_advice_delivery", ctx.lang, "days")]
    return _with_offer(ctx, say, "ask_delivery")


def _kind_cruise(ctx: _Ctx) -> Answer:
    say = [_say("utter_advice_cruise", ctx.lang, "countries", "phone")]
    if ctx.in_form:
        return Answer(say, ctx.slots_out("ask_reimbursement"))
    say.append(_say("utter_offer_reimbursement_documents", ctx.lang))
    return Answer(say, ctx.slots_out("ask_reimbursement", "reimbursement_documents"))


def _kind_no_number(ctx: _Ctx) -> Answer:
    """Someone without an identification number yet (a newborn): not on an online request."""
    return Answer([_say("utter_topic_no_number", ctx.lang, "phone")], ctx.slots_out("id_number"))


def asks_without_number(text: str) -> bool:
    """Whether the message says that someone has no identification number yet."""
    spec = _cfg()["question_kinds"]["no_number"]
    return matches_any(spec["cues"], text) and not matches_any(spec.get("not", ()), text)


_KINDS = {
    "no_number": _kind_no_number,
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
    if not (trip or matches_any(_cfg()["request_cues"]["request"], ctx.text)):
        return False
    advice = _advice(ctx.named_country, ctx.named_profile or ctx.slots.get("context_profile"), ctx.lang)
    return advice is not None and advice.eligible_for_online_request


def _follow_up_of_subject(ctx: _Ctx) -> Optional[Answer]:
    """A follow-up on the subject of the last answer that is not a topic intent
    ("was ist das für ein Dokument?" after the household certificate)."""
    subject = ctx.slots.get("context_topic")
    if subject == "household" and not ctx.named_country and matches_any(_WHAT_IS, ctx.text):
        return _kind_household_what(ctx)
    if subject == "requester" and not ctx.named_country and (ctx.relation or matches_any(_FOR_WHOM, ctx.text)):
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
    if ctx.named_country and ctx.named_country != "LU" and sub not in ("own", "voluntary", "compulsory", "fund"):
        # "my daughter studies in Madrid, what does she need to see a doctor?": the answer for the country;
        # "she is co-insured" said in passing does not make it a co-insurance question
        spec = _cfg()["topics"]["ask_student"]["subtopics"]
        asked = _last_question_start(ctx.text)
        coins_asked = sub == "coinsured" and matches_any(spec["coinsured"], ctx.text[asked or 0:])
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
        # no longer co-insured: the two ways to be affiliated in one's own right (student page)
        "own": ["utter_topic_student_voluntary", "utter_topic_student_compulsory", "utter_topic_student_contributions"],
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
    if sub == "reimbursement" and ctx.country and not matches_any(_cfg()["reimbursement_strong"], ctx.text):
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
    advice = _advice(ctx.country, ctx.profile, lang) if ctx.country else None
    no_convention = advice is not None and advice.group == "no_convention" and not _territory(advice)
    if no_convention and ctx.profile != "posting" and sub in (None, "third_party"):
        # "New York, hospital, we paid everything: do we get it back?": no convention there, so no
        # third-party payment; the costs are reimbursed at Luxembourg rates on return
        say = [_say("utter_advice_costs_abroad", lang)]
        if ctx.named_country and ctx.named_country != ctx.slots.get("context_country"):  # not said twice
            say.insert(0, _say("utter_advice_no_convention", lang, country_in=country_in(ctx.country, lang)))
        if ctx.in_form:
            return Answer(say, ctx.slots_out(topic))
        say.append(_say("utter_offer_reimbursement_documents", lang))
        return Answer(say, ctx.slots_out(topic, "reimbursement_documents"))
    if sub == "third_party":
        return Answer([_say("utter_topic_posting_third_party", lang)], ctx.slots_out(topic))
    if sub == "complementary":
        return Answer([_say("utter_topic_reimbursement_complementary", lang)], ctx.slots_out(topic))
    if sub == "statements":
        return Answer([_say("utter_topic_reimbursement_statements", lang)], ctx.slots_out(topic))
    if ctx.profile == "posting":
        say = [_say("utter_topic_posting_reimbursement", lang), _say("utter_topic_posting_third_party", lang)]
        return Answer(say, ctx.slots_out(topic))
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


def _data_protection_say(lang: str) -> List[Say]:
    return [_say("utter_topic_data_protection", lang),
            _say("utter_topic_data_rights", lang, "cnpd", "cnpd_address")]


def data_protection(lang: str) -> List[Say]:
    """The data-protection answer (what the chat says to "data protection?"), for the widget's
    privacy page (bot/web.py /privacy/<lang>)."""
    return _data_protection_say(lang)


def _topic_data_protection(ctx: _Ctx, sub: Optional[str]) -> Answer:
    return Answer(_data_protection_say(ctx.lang), ctx.slots_out("ask_data_protection"))


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


def _on_holiday(ctx: _Ctx) -> bool:
    """A holiday or private stay (ski, vacances, accident, Urlaub, holiday) with no posting word:
    a stay, never a posting."""
    profiles = {e.get("value") for e in ctx.entities if e.get("entity") == "profile"}
    if profiles & {"posting", "study"} or matches_any(_cfg()["topic_cues"]["ask_posting"], ctx.text):
        return False  # "vacances au Portugal, je suis détaché par mon employeur": a posting
    if ctx.named_profile == "stay":
        return True
    if matches_any(_cfg()["holiday_cues"], ctx.text):
        return True
    # "en cas d'accident en Suisse": a stay, unless the conversation is about a posting
    return ctx.slots.get("context_profile") != "posting" and matches_any(_cfg()["holiday_event_cues"], ctx.text)


def _topic_of_question(ctx: _Ctx, intent: str) -> str:
    """The topic the whole question is about, where one word misled the classifier:
    a posting question stays a posting question unless it asks about reimbursement;
    a holiday is a stay, not a posting."""
    if intent == "ask_posting" and _on_holiday(ctx):
        ctx.profile = "stay"
        return "ask_form"
    posting = matches_any(_cfg()["topic_cues"]["ask_posting"], ctx.text) or ctx.named_profile == "posting"
    if posting and intent in ("ask_form", "ask_ehic", "ask_delivery", "ask_reimbursement", "ask_student"):
        if intent == "ask_reimbursement" and matches_any(_cfg()["reimbursement_strong"], ctx.text):
            return intent
        if intent == "ask_student" and matches_any(_cfg()["topic_cues"]["ask_student"], ctx.text):
            return intent
        ctx.profile = "posting"
        return "ask_posting"
    return intent
