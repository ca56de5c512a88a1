"""What the hotline agent types, turned into a request for the one dossier builder.

``analyse(text)`` reads the caller's situation as the agent types it (FR/DE/EN):
the entities (``bot.extraction.extract``), what applies per country
(``bot.rules.explain``, with ``why``: the rules that led to it) and the values
that prefill the dossier form. ``validate_dossier(form, agent)`` checks the
form field by field (errors and warnings as data, worded by the templates),
turns it into the slots of a request and has ``bot.dossier.builder.build``
make the document, as for a request made in the chat, plus ``submitted_by``.
``submit_dossier`` files it (``bot.dossier.builder.file``).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional, Tuple

from bot.text import LANGS

PERSON_ROWS = 4
RELATIONS = ("self", "child", "spouse", "partner", "parent", "other")
PROFILES = ("stay", "study", "posting")


def analyse(text: str, lang: Optional[str] = None, today: Optional[dt.date] = None,
            profile: Optional[str] = None) -> Dict[str, Any]:
    """What the caller's situation says and what applies, per country mentioned.

    Returns {"lang", "detected", "entities", "profile", "advice": [Advice.to_dict() + "why"],
    "prefill": {...}} where "why" lists the rule steps that led to the regime and the form.
    ``profile`` (stay/study/posting) overrides the one found in the text.
    """
    from bot import extraction, language, rules

    today = today or dt.date.today()
    detected = language.detect(text).lang if text.strip() else None
    lang = lang if lang in LANGS else (detected or "fr")
    entities = extraction.extract(text, lang, today)
    if profile not in PROFILES:
        profile = next((x["value"] for x in entities if x["entity"] == "profile"), "stay")
    codes: List[str] = []
    for ent in entities:
        if ent["entity"] == "country" and ent["value"] not in codes:
            codes.append(ent["value"])
    advice = []
    for code in codes:
        try:
            adv = rules.explain(code, profile, lang).to_dict()
        except (rules.UnknownCountryError, rules.UnknownProfileError, ValueError):
            continue
        adv["why"] = why(adv)
        advice.append(adv)
    prefill: Dict[str, str] = {"lang": lang, "profile": profile}
    for ent in entities:
        kind, value = ent["entity"], ent["value"]
        if kind == "fund" and "fund" not in prefill:
            prefill["fund"] = value
        elif kind == "email" and "email" not in prefill:
            prefill["email"] = value
        elif kind == "matricule" and "req_matricule" not in prefill:
            prefill["req_matricule"] = value
        elif kind == "date_range" and "p0_departure" not in prefill and "/" in str(value):
            prefill["p0_departure"], prefill["p0_return"] = str(value).split("/", 1)
        elif kind == "date" and "p0_departure" not in prefill:
            prefill["p0_departure"] = value
    eligible = [a for a in advice if a["eligible_for_online_request"]]
    if eligible:
        prefill["p0_destination"] = eligible[0]["country_code"]
    return {"lang": lang, "detected": detected, "entities": entities, "profile": profile,
            "advice": advice, "prefill": prefill}


def why(adv: Dict[str, Any]) -> List[str]:
    """The chain of rules behind an advice, as short lines (data keys and labels)."""
    from bot.reference import label

    lang = adv["lang"]
    lines = [
        f"{adv['country_name']} ({adv['country_code']}) → group “{adv['group']}” ({label(adv['group'], lang)})",
        f"group {adv['group']} → regime “{adv['regime']}” ({label(adv['regime'], lang)})",
        f"regime {adv['regime']} + profile {adv['profile']} → procedure “{adv['procedure']}” "
        f"({label(adv['procedure'], lang)})",
        f"online request (bilateral convention, online procedure): "
        f"{'yes' if adv['eligible_for_online_request'] else 'no'}",
    ]
    form = adv.get("form")
    if form:
        lines.append(f"form: {form.get('code') or '—'} – {form.get('name')} (key {form.get('key')})")
    for caveat in adv.get("caveats") or []:
        lines.append("caveat: " + str(caveat.get("label") or caveat.get("key") or caveat))
    return lines


def _parse_date(value: str) -> Optional[dt.date]:
    value = (value or "").strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def validate_dossier(form: Dict[str, str], agent: str, today: Optional[dt.date] = None
                     ) -> Tuple[Optional[Dict[str, Any]], Dict[str, Dict[str, Any]], List[Dict[str, Any]]]:
    """Check the console's dossier form. Returns (doc or None, errors by field, warnings).

    Errors and warnings are data, {"code": ..., and its details}; their wording is in the
    templates (console/macros.html ``problem``), which also show a plain string as it is.

    The document is ``bot.dossier.builder.build``'s, plus ``submitted_by``.
    """
    from bot import reference, rules
    from bot.dossier import builder
    from bot.validators import email as email_mod
    from bot.validators import matricule as matricule_mod
    from bot.validators import trip

    today = today or dt.date.today()
    errors: Dict[str, Dict[str, Any]] = {}
    warnings: List[Dict[str, Any]] = []
    get = lambda k: (form.get(k) or "").strip()  # noqa: E731

    lang = get("lang") if get("lang") in LANGS else "fr"
    profile = get("profile") if get("profile") in PROFILES else "stay"
    fund = get("fund")
    if fund not in reference.funds()["funds"]:
        errors["fund"] = {"code": "fund"}

    def matricule(key: str) -> Optional[str]:
        try:
            return matricule_mod.validate(get(key), today=today)
        except matricule_mod.InvalidMatricule as exc:
            errors[key] = {"code": "matricule", "reason": exc.code}
            return None

    def name(key: str) -> str:
        value = get(key)
        if not value or len(value) > 100:
            errors[key] = {"code": "name"}
        return value

    req_matricule = matricule("req_matricule")
    req_last, req_first = name("req_last_name"), name("req_first_name")
    residence = None
    try:
        residence = rules.country_code(get("residence") or "")
    except (rules.UnknownCountryError, ValueError, KeyError):
        errors["residence"] = {"code": "residence"}
    try:
        email = email_mod.validate(get("email"))
    except email_mod.InvalidEmail as exc:
        email = None
        errors["email"] = {"code": "email", "reason": exc.code}
    status = get("insured_status") or None
    if status not in (None, "main", "coinsured"):
        errors["insured_status"] = {"code": "insured_status"}
        status = None

    persons = []
    seen = set()
    for i in range(PERSON_ROWS):
        p = f"p{i}_"
        row = {k: get(p + k) for k in ("matricule", "last_name", "first_name", "relation", "destination",
                                       "departure", "return")}
        if not any(v for k, v in row.items() if k != "relation"):
            continue
        relation = row["relation"] if row["relation"] in RELATIONS else "self"
        if relation == "self":
            number, last, first = req_matricule, req_last, req_first
            if row["matricule"] and row["matricule"] != get("req_matricule"):
                number = matricule(p + "matricule")
        else:
            number = matricule(p + "matricule")
            last, first = name(p + "last_name"), name(p + "first_name")
        if number and number in seen:
            errors[p + "matricule"] = {"code": "duplicate_person"}
        seen.add(number)
        if status and not rules.may_request_for(status, relation):
            errors[p + "relation"] = {"code": "relation", "status": status, "relation": relation}
        code = None
        try:
            code = rules.country_code(row["destination"])
            if not rules.explain(code, profile, lang).eligible_for_online_request:
                errors[p + "destination"] = {"code": "not_online"}
        except (rules.UnknownCountryError, ValueError, KeyError):
            errors[p + "destination"] = {"code": "destination"}
        try:
            departure, return_ = _parse_date(row["departure"]), _parse_date(row["return"])
        except ValueError:
            departure = return_ = None
            errors[p + "departure"] = {"code": "date_format"}
        if (departure is None or return_ is None) and p + "departure" not in errors:
            errors[p + "departure"] = {"code": "dates_required"}
        for code_ in trip.errors(departure, return_, today):
            errors[p + "departure"] = {"code": "dates_refused", "reason": code_}
        for code_ in trip.warnings(departure, return_, today, lead_days=None):
            warnings.append({"code": "dates", "person": i + 1, "reason": code_})
        persons.append({
            "label": None, "relation": relation, "matricule": number, "last_name": last, "first_name": first,
            "same_trip": False, "destination": code, "departure": departure.isoformat() if departure else None,
            "return_date": return_.isoformat() if return_ else None,
        })
    if not persons:
        errors["p0_destination"] = {"code": "no_person"}
    if errors:
        return None, errors, warnings
    household = bool(residence and rules.needs_household_certificate(residence))
    # the request as the chat's slots hold it: every row a person of the list with their own
    # trip, in the form's order (the requester, when travelling, is a row "self")
    slots = {
        "fund": fund, "req_matricule": req_matricule, "req_last_name": req_last, "req_first_name": req_first,
        "residence": residence, "email": email, "insured_status": status, "profile": profile,
        "requester_travels": False, "persons": persons,
        "attachments": [{"type": "household_composition", "status": "to_send"}] if household else [],
    }
    doc = builder.build(slots, lang, authenticated=False)
    doc["submitted_by"] = f"hotline:{agent}"
    return doc, errors, warnings


def submit_dossier(doc: Dict[str, Any], request_key: Optional[str] = None) -> Dict[str, Any]:
    """Store the dossier, then write its PDFs and the confirmation e-mail (bot.dossier.builder.file);
    a form posted again (same hidden ``request_key``) gives back the dossier stored first."""
    from bot.dossier import builder

    return builder.file(doc, request_key=request_key)


