"""The hotline console at ``/hotline`` on the chat page's server (bot/web.py).

Agents are configured by the operator in ``HOTLINE_AGENTS``:
``"alice:<hash>,bob:<hash>"``, where a hash is made by
``python -m bot hotline-hash-password`` (PBKDF2-SHA256,
``pbkdf2_sha256$<iterations>$<salt>$<hash>``); a bare SHA-256 hex digest
(optionally written ``sha256:<hex>``) is accepted too. Without
``HOTLINE_AGENTS`` the console is disabled: every ``/hotline`` URL answers 403.

Pages (plain HTML, no script; every value escaped):

* ``/hotline/login`` (GET, POST), ``/hotline/logout`` (POST)
* ``/hotline`` – the handoff cases (``store.list_handoffs()``)
* ``/hotline/assist`` – the agent types the caller's situation (FR/DE/EN):
  entities (``bot.extraction.extract``) and what applies
  (``bot.rules.explain(...).to_dict()``: regime, form, and the rule that led to
  it); then fills and submits a dossier on the caller's behalf
  (``bot.store.save``, with ``"submitted_by": "hotline:<agent>"``)
* ``/hotline/dossier/<REF>`` – the stored dossier after submission

Session: random token in an HttpOnly, SameSite=Strict cookie (``Secure`` too
with ``HOTLINE_COOKIE_SECURE=1``), kept in memory (a restart logs agents out).
Every POST form carries a CSRF token (the session's; for the login form a
double-submit token in its own cookie). Failed logins are throttled.

``Console.handle(Request) -> Response`` is the whole logic; bot/web.py only
reads the HTTP request and writes the response. The pure parts (hashes,
``parse_agents``, ``analyse``, ``validate_dossier``, the renderers) are tested
in tests/test_web.py.
"""
from __future__ import annotations

import argparse
import base64
import datetime as dt
import getpass
import hashlib
import hmac
import html
import os
import re
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import quote

from bot import idempotency

PBKDF2_ITERATIONS = 600_000
SESSION_COOKIE = "hotline_session"
LOGIN_COOKIE = "hotline_login"
SESSION_SECONDS = 8 * 3600
MAX_FAILURES = 5
FAILURE_WINDOW = 15 * 60
PERSON_ROWS = 4
LANGS = ("fr", "de", "en")
RELATIONS = ("self", "child", "spouse", "partner", "parent", "other")
PROFILES = ("stay", "study", "posting")
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")


# --- passwords ---------------------------------------------------------------------------

def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, iterations: int = PBKDF2_ITERATIONS, salt: Optional[bytes] = None) -> str:
    """``pbkdf2_sha256$<iterations>$<salt>$<hash>`` (URL-safe base64; no ':' nor ',')."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"pbkdf2_sha256${iterations}${_b64(salt)}${_b64(digest)}"


_SHA256 = re.compile(r"(?:sha256[:$])?([0-9a-fA-F]{64})\Z")


def verify_password(password: str, stored: str) -> bool:
    """Check a password against a PBKDF2 or SHA-256 hash (constant-time comparison)."""
    stored = (stored or "").strip()
    if stored.startswith("pbkdf2_sha256$"):
        try:
            _, iterations, salt, digest = stored.split("$")
            expected = _unb64(digest)
            got = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), _unb64(salt), int(iterations))
        except (ValueError, TypeError):
            return False
        return hmac.compare_digest(got, expected)
    m = _SHA256.match(stored)
    if m:
        got = hashlib.sha256(password.encode("utf-8")).hexdigest()
        return hmac.compare_digest(got, m.group(1).lower())
    return False


def parse_agents(value: Optional[str]) -> Dict[str, str]:
    """``"alice:<hash>,bob:<hash>"`` -> {"alice": hash, ...}; malformed entries are skipped."""
    agents: Dict[str, str] = {}
    for item in (value or "").split(","):
        name, sep, hashed = item.strip().partition(":")
        name, hashed = name.strip(), hashed.strip()
        if sep and re.fullmatch(r"[A-Za-z0-9_.@-]{1,64}", name) and hashed:
            agents[name] = hashed
    return agents


# --- HTTP-independent request/response ------------------------------------------------------

@dataclass
class Request:
    method: str
    path: str
    query: Dict[str, List[str]] = field(default_factory=dict)
    form: Dict[str, List[str]] = field(default_factory=dict)
    cookies: Dict[str, str] = field(default_factory=dict)
    client: str = ""

    def q(self, name: str, default: str = "") -> str:
        return (self.query.get(name) or [default])[0]

    def f(self, name: str, default: str = "") -> str:
        return (self.form.get(name) or [default])[0]


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: List[Tuple[str, str]] = field(default_factory=list)
    content_type: str = "text/html; charset=utf-8"


@dataclass
class Session:
    agent: str
    csrf: str
    expires: float


def e(value: Any) -> str:
    """Escape anything for HTML text and attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


# --- analysis (pure apart from the data files) ----------------------------------------------

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


# --- the dossier form ----------------------------------------------------------------------

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
                     ) -> Tuple[Optional[Dict[str, Any]], Dict[str, str], List[str]]:
    """Check the console's dossier form. Returns (doc or None, errors by field, warnings).

    The document has the shape of ``bot.dossier.build`` plus ``submitted_by``.
    """
    from bot import reference, rules
    from bot.validators import email as email_mod
    from bot.validators import matricule as matricule_mod
    from bot.validators import trip

    today = today or dt.date.today()
    errors: Dict[str, str] = {}
    warnings: List[str] = []
    get = lambda k: (form.get(k) or "").strip()  # noqa: E731

    lang = get("lang") if get("lang") in LANGS else "fr"
    profile = get("profile") if get("profile") in PROFILES else "stay"
    fund = get("fund")
    if fund not in reference.funds()["funds"]:
        errors["fund"] = "choose the competent fund"

    def matricule(key: str) -> Optional[str]:
        try:
            return matricule_mod.validate(get(key), today=today)
        except matricule_mod.InvalidMatricule as exc:
            errors[key] = f"invalid identification number ({exc.code})"
            return None

    def name(key: str) -> str:
        value = get(key)
        if not value or len(value) > 100:
            errors[key] = "required (at most 100 characters)"
        return value

    req_matricule = matricule("req_matricule")
    req_last, req_first = name("req_last_name"), name("req_first_name")
    residence = None
    try:
        residence = rules.country_code(get("residence") or "")
    except (rules.UnknownCountryError, ValueError, KeyError):
        errors["residence"] = "unknown country of residence"
    try:
        email = email_mod.validate(get("email"))
    except email_mod.InvalidEmail as exc:
        email = None
        errors["email"] = f"invalid e-mail address ({exc.code})"
    status = get("insured_status") or None
    if status not in (None, "main", "coinsured"):
        errors["insured_status"] = "main or coinsured"
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
            errors[p + "matricule"] = "this person is already in the request"
        seen.add(number)
        if status and not rules.may_request_for(status, relation):
            errors[p + "relation"] = f"a {status} insured person may not ask for this person ({relation})"
        code = None
        try:
            code = rules.country_code(row["destination"])
            if not rules.explain(code, profile, lang).eligible_for_online_request:
                errors[p + "destination"] = "not a destination of the online request (see what applies above)"
        except (rules.UnknownCountryError, ValueError, KeyError):
            errors[p + "destination"] = "unknown destination"
        try:
            departure, return_ = _parse_date(row["departure"]), _parse_date(row["return"])
        except ValueError:
            departure = return_ = None
            errors[p + "departure"] = "dates as YYYY-MM-DD or DD.MM.YYYY"
        if (departure is None or return_ is None) and p + "departure" not in errors:
            errors[p + "departure"] = "departure and return dates are required"
        for code_ in trip.errors(departure, return_, today):
            errors[p + "departure"] = f"dates refused ({code_})"
        for code_ in trip.warnings(departure, return_, today, lead_days=None):
            warnings.append(f"person {i + 1}: {code_}")
        persons.append({
            "matricule": number, "last_name": last, "first_name": first, "relation": relation,
            "destination": code, "departure": departure.isoformat() if departure else None,
            "return": return_.isoformat() if return_ else None,
            "form": rules.form_for(code) if code else None,
        })
    if not persons:
        errors["p0_destination"] = "at least one person concerned (destination and dates)"
    if errors:
        return None, errors, warnings
    household = bool(residence and rules.needs_household_certificate(residence))
    doc = {
        "status": "submitted",
        "language": lang,
        "fund": fund,
        "authenticated": False,
        "delivery": "post",
        "requester": {"matricule": req_matricule, "last_name": req_last, "first_name": req_first,
                      "residence_country": residence, "email": email, "insured_status": status},
        "persons": persons,
        "profile": profile,
        "attachments": [],
        "documents_to_send": ["household_composition"] if household else [],
        "household_certificate_required": household,
        "submitted_by": f"hotline:{agent}",
    }
    return doc, errors, warnings


def submit_dossier(doc: Dict[str, Any], request_key: Optional[str] = None) -> Dict[str, Any]:
    """Store the dossier, then write its PDFs and the confirmation e-mail (bot.dossier.file);
    a form posted again (same hidden ``request_key``) gives back the dossier stored first."""
    from bot import dossier

    return dossier.file(doc, request_key=request_key)


# --- rendering ---------------------------------------------------------------------------

def page(title: str, body: str, agent: Optional[str] = None, csrf: Optional[str] = None) -> bytes:
    nav = ""
    if agent:
        nav = (f'<nav aria-label="Console"><a href="/hotline">Handoff cases</a> '
               f'<a href="/hotline/assist">Assist a caller</a> '
               f'<form method="post" action="/hotline/logout" class="inline">'
               f'<input type="hidden" name="csrf" value="{e(csrf)}">'
               f'<button type="submit">Log out ({e(agent)})</button></form></nav>')
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{e(title)} – hotline console</title>"
            "<link rel=\"stylesheet\" href=\"/console.css\"><link rel=\"icon\" href=\"data:,\"></head><body>"
            f"<header><p class=\"brand\">CNS stay-abroad assistant · hotline console</p>{nav}</header>"
            f"<main id=\"main\"><h1>{e(title)}</h1>{body}</main></body></html>").encode("utf-8")


def render_login(csrf: str, error: Optional[str] = None) -> bytes:
    err = f'<p class="error" role="alert">{e(error)}</p>' if error else ""
    body = (f"{err}<form method=\"post\" action=\"/hotline/login\" class=\"login\">"
            f"<input type=\"hidden\" name=\"csrf\" value=\"{e(csrf)}\">"
            "<label for=\"agent\">Agent</label><input id=\"agent\" name=\"agent\" autocomplete=\"username\" required>"
            "<label for=\"password\">Password</label>"
            "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
            "<button type=\"submit\">Log in</button></form>")
    return page("Log in", body)


def _dl(items: Dict[str, Any]) -> str:
    if not items:
        return "<p>—</p>"
    rows = "".join(f"<dt>{e(k)}</dt><dd>{e(_short(v))}</dd>" for k, v in items.items())
    return f"<dl>{rows}</dl>"


def _short(value: Any) -> str:
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def render_cases(cases: List[Dict[str, Any]], agent: str, csrf: str) -> bytes:
    if not cases:
        return page("Handoff cases", "<p>No case yet.</p>", agent, csrf)
    parts = [f"<p>{len(cases)} case(s), newest first.</p>"]
    for case in cases:
        cid = case.get("id")
        msgs = "".join(f"<li><span class=\"from\">{e(m.get('from'))}:</span> {e(m.get('text'))}</li>"
                       for m in case.get("last_messages") or [])
        rules_applied = "".join(f"<li>{e(r)}</li>" for r in case.get("rules_applied") or []) or "<li>—</li>"
        parts.append(
            f"<article class=\"case\" aria-labelledby=\"case-{e(cid)}\">"
            f"<h2 id=\"case-{e(cid)}\">Case {e(cid)} · {e(case.get('topic'))}</h2>"
            f"<p class=\"meta\">{e(case.get('created_at'))} · status {e(case.get('status'))} · "
            f"language <strong>{e(case.get('language'))}</strong></p>"
            f"<h3>Slots</h3>{_dl(case.get('slots') or {})}"
            f"<h3>Rules applied</h3><ul>{rules_applied}</ul>"
            f"<h3>Last messages</h3><ol class=\"messages\">{msgs or '<li>—</li>'}</ol>"
            f"<p><a href=\"/hotline/assist?case={e(quote(str(cid)))}\">Assist this caller</a></p></article>")
    return page("Handoff cases", "".join(parts), agent, csrf)


def _field(name: str, label: str, values: Dict[str, str], errors: Dict[str, str], kind: str = "text",
           extra: str = "") -> str:
    err = errors.get(name)
    err_id = f"{name}-error"
    described = f' aria-describedby="{err_id}" aria-invalid="true"' if err else ""
    msg = f'<span class="error" id="{err_id}">{e(err)}</span>' if err else ""
    return (f'<div class="field"><label for="{e(name)}">{e(label)}</label>'
            f'<input id="{e(name)}" name="{e(name)}" type="{kind}" value="{e(values.get(name, ""))}"{described}{extra}>'
            f"{msg}</div>")


def _select(name: str, label: str, options: List[Tuple[str, str]], values: Dict[str, str],
            errors: Dict[str, str]) -> str:
    current = values.get(name, "")
    opts = "".join(f'<option value="{e(v)}"{" selected" if v == current else ""}>{e(t)}</option>'
                   for v, t in options)
    err = errors.get(name)
    msg = f'<span class="error" id="{e(name)}-error">{e(err)}</span>' if err else ""
    described = f' aria-describedby="{e(name)}-error" aria-invalid="true"' if err else ""
    return (f'<div class="field"><label for="{e(name)}">{e(label)}</label>'
            f'<select id="{e(name)}" name="{e(name)}"{described}>{opts}</select>{msg}</div>')


def render_assist(agent: str, csrf: str, situation: str = "", lang: str = "",
                  analysis: Optional[Dict[str, Any]] = None, values: Optional[Dict[str, str]] = None,
                  errors: Optional[Dict[str, str]] = None, warnings: Optional[List[str]] = None,
                  notice: Optional[str] = None, profile: str = "") -> bytes:
    from bot import reference

    values = dict(values or {})
    errors = dict(errors or {})
    out = []
    if notice:
        out.append(f'<p class="notice" role="status">{e(notice)}</p>')
    lang_opts = [("", "detect"), ("fr", "français"), ("de", "Deutsch"), ("en", "English")]
    out.append(
        "<section aria-labelledby=\"s-situation\"><h2 id=\"s-situation\">Caller's situation</h2>"
        "<form method=\"post\" action=\"/hotline/assist\">"
        f"<input type=\"hidden\" name=\"csrf\" value=\"{e(csrf)}\"><input type=\"hidden\" name=\"action\" value=\"analyse\">"
        "<div class=\"field\"><label for=\"situation\">What the caller says (French, German or English)</label>"
        f"<textarea id=\"situation\" name=\"situation\" rows=\"3\">{e(situation)}</textarea></div>"
        + _select("situation_lang", "Language", lang_opts, {"situation_lang": lang}, {})
        + _select("situation_profile", "Situation", [("", "from the text")] + [(x, x) for x in PROFILES],
                  {"situation_profile": profile}, {})
        + "<button type=\"submit\">Show what applies</button></form></section>")
    if analysis is not None:
        out.append(render_analysis(analysis))
    # the dossier form
    funds = [(code, f"{code} – {reference.funds()['funds'][code]['names'].get('en', code)}")
             for code in reference.funds()["funds"]]
    err_list = ""
    if errors:
        items = "".join(f'<li><a href="#{e(k)}">{e(k)}</a>: {e(v)}</li>' for k, v in errors.items())
        err_list = f'<div class="error" role="alert"><p>The dossier was not sent:</p><ul>{items}</ul></div>'
    warn = "".join(f"<li>{e(w)}</li>" for w in warnings or [])
    warn = f'<ul class="warnings" aria-label="Warnings">{warn}</ul>' if warn else ""
    rows = []
    for i in range(PERSON_ROWS):
        p = f"p{i}_"
        if i == 0 and not values.get(p + "relation"):
            values[p + "relation"] = "self"
        rows.append(
            f"<fieldset><legend>Person {i + 1}{' (leave empty if not needed)' if i else ''}</legend>"
            + _select(p + "relation", "Relation to the requester", [(r, r) for r in RELATIONS], values, errors)
            + _field(p + "matricule", "Identification number (13 digits; empty for “self”)", values, errors,
                     extra=' inputmode="numeric" autocomplete="off"')
            + _field(p + "last_name", "Last name (empty for “self”)", values, errors)
            + _field(p + "first_name", "First name (empty for “self”)", values, errors)
            + _field(p + "destination", "Destination (country name or code)", values, errors)
            + _field(p + "departure", "Departure (YYYY-MM-DD)", values, errors, extra=' placeholder="2026-04-03"')
            + _field(p + "return", "Return (YYYY-MM-DD)", values, errors, extra=' placeholder="2026-04-20"')
            + "</fieldset>")
    out.append(
        "<section aria-labelledby=\"s-dossier\"><h2 id=\"s-dossier\">Request on the caller's behalf</h2>"
        f"{err_list}{warn}<form method=\"post\" action=\"/hotline/assist\">"
        f"<input type=\"hidden\" name=\"csrf\" value=\"{e(csrf)}\"><input type=\"hidden\" name=\"action\" value=\"submit\">"
        f"<input type=\"hidden\" name=\"{idempotency.FORM_FIELD}\" "
        f"value=\"{e(values.get(idempotency.FORM_FIELD) or idempotency.new_key())}\">"
        "<fieldset><legend>Request</legend>"
        + _select("fund", "Competent fund", [("", "—")] + funds, values, errors)
        + _select("lang", "Language of the certificate and e-mail", [(x, x) for x in LANGS], values, errors)
        + _select("profile", "Situation", [(x, x) for x in PROFILES], values, errors)
        + "</fieldset><fieldset><legend>Requester</legend>"
        + _field("req_matricule", "Identification number (13 digits)", values, errors,
                 extra=' inputmode="numeric" autocomplete="off"')
        + _field("req_last_name", "Last name", values, errors)
        + _field("req_first_name", "First name", values, errors)
        + _field("residence", "Country of residence", values, errors)
        + _field("email", "E-mail address", values, errors, kind="email")
        + _select("insured_status", "Insured as", [("", "—"), ("main", "main insured"),
                                                   ("coinsured", "co-insured")], values, errors)
        + "</fieldset>" + "".join(rows)
        + "<button type=\"submit\">Submit the request</button></form></section>")
    return page("Assist a caller", "".join(out), agent, csrf)


def render_analysis(analysis: Dict[str, Any]) -> str:
    ents = "".join(f"<tr><td>{e(x.get('entity'))}</td><td>{e(_short(x.get('value')))}</td>"
                   f"<td>{e(x.get('text'))}</td></tr>" for x in analysis.get("entities") or [])
    ents_table = (f"<table><caption>Understood</caption><thead><tr><th scope=\"col\">entity</th>"
                  f"<th scope=\"col\">value</th><th scope=\"col\">text</th></tr></thead><tbody>{ents}</tbody></table>"
                  if ents else "<p>Nothing recognised (no country, date, fund, …).</p>")
    parts = [f"<section aria-labelledby=\"s-applies\"><h2 id=\"s-applies\">What applies</h2>"
             f"<p>Language: <strong>{e(analysis.get('lang'))}</strong>"
             f"{' (detected)' if analysis.get('detected') == analysis.get('lang') else ''} · "
             f"profile: <strong>{e(analysis.get('profile'))}</strong></p>{ents_table}"]
    if not analysis.get("advice"):
        parts.append("<p>No country recognised: ask the caller where they are going.</p>")
    for adv in analysis.get("advice") or []:
        form = adv.get("form") or {}
        notes = "".join(f"<li>{e(n.get('note'))} <span class=\"src\">({e(n.get('source'))})</span></li>"
                        for n in adv.get("notes") or [])
        why_lines = "".join(f"<li>{e(w)}</li>" for w in adv.get("why") or [])
        how = adv.get("how_to_request") or {}
        url = how.get("url") or ""
        link = (f'<a href="{e(url)}" rel="noopener noreferrer">{e(url)}</a>'
                if re.match(r"https?://", url) else e(url))
        parts.append(
            f"<article class=\"advice\"><h3>{e(adv.get('country_name'))} ({e(adv.get('country_code'))})</h3>"
            f"<dl><dt>Regime</dt><dd class=\"regime\">{e(adv.get('regime'))}</dd>"
            f"<dt>Procedure</dt><dd>{e(adv.get('procedure'))} – {e(how.get('label'))}</dd>"
            f"<dt>Form</dt><dd class=\"form\">{e(form.get('code') or '—')} {e(form.get('name') or '')}</dd>"
            f"<dt>Online request</dt><dd>{'yes' if adv.get('eligible_for_online_request') else 'no'}</dd>"
            f"<dt>How</dt><dd>{link}</dd></dl>"
            f"<h4>Rule that led to it</h4><ol class=\"why\">{why_lines}</ol>"
            + (f"<h4>Notes</h4><ul>{notes}</ul>" if notes else "")
            + f"<p class=\"src\">Sources: {e(', '.join(adv.get('sources') or []))}</p></article>")
    parts.append("</section>")
    return "".join(parts)


def render_dossier(doc: Dict[str, Any], agent: str, csrf: str) -> bytes:
    from bot import dossier

    persons = "".join(
        f"<tr><td>{e(p.get('relation'))}</td><td>{e(p.get('first_name'))} {e(p.get('last_name'))}</td>"
        f"<td>{e(p.get('destination'))}</td><td>{e(p.get('departure'))} → {e(p.get('return'))}</td>"
        f"<td>{e(p.get('form'))}</td></tr>" for p in doc.get("persons") or [])
    links = [u for u in dossier.download_links(doc).splitlines() if u]
    link_html = "".join(f'<li><a href="{e(u)}">{e(u.rsplit("/", 1)[-1])}</a></li>' for u in links
                        if re.match(r"https?://", u))
    req = doc.get("requester") or {}
    body = (f"<p class=\"notice\" role=\"status\">Reference <strong class=\"reference\">{e(doc.get('reference'))}"
            f"</strong> · status {e(doc.get('status'))} · submitted by {e(doc.get('submitted_by'))}</p>"
            f"{_dl({'fund': doc.get('fund'), 'requester': (req.get('first_name') or '') + ' ' + (req.get('last_name') or ''), 'matricule': req.get('matricule'), 'residence': req.get('residence_country'), 'e-mail': req.get('email'), 'language': doc.get('language'), 'documents to send': ', '.join(doc.get('documents_to_send') or []) or '—', 'e-mail sent': doc.get('email_sent') or doc.get('email_error') or '—'})}"
            "<table><caption>Persons concerned</caption><thead><tr><th scope=\"col\">relation</th>"
            "<th scope=\"col\">name</th><th scope=\"col\">destination</th><th scope=\"col\">dates</th>"
            f"<th scope=\"col\">form</th></tr></thead><tbody>{persons}</tbody></table>"
            + (f"<h2>Certificates (PDF)</h2><ul>{link_html}</ul>" if link_html else "")
            + "<p><a href=\"/hotline/assist\">Assist another caller</a></p>")
    return page(f"Dossier {doc.get('reference')}", body, agent, csrf)


# --- the console ---------------------------------------------------------------------------

class Console:
    """The /hotline pages. ``agents``: name -> hash; empty: the console is disabled."""

    def __init__(self, agents: Optional[Dict[str, str]] = None, secure_cookie: Optional[bool] = None):
        if agents is None:
            agents = parse_agents(os.environ.get("HOTLINE_AGENTS"))
        self.agents = dict(agents)
        self.secure = (os.environ.get("HOTLINE_COOKIE_SECURE") == "1") if secure_cookie is None else secure_cookie
        self.sessions: Dict[str, Session] = {}
        self.failures: Dict[str, List[float]] = {}
        self.lock = threading.Lock()
        self._dummy = hash_password("not a password", iterations=1000)

    @property
    def enabled(self) -> bool:
        return bool(self.agents)

    # cookies and sessions
    def _cookie(self, name: str, value: str, max_age: int) -> Tuple[str, str]:
        secure = "; Secure" if self.secure else ""
        return ("Set-Cookie", f"{name}={value}; Path=/hotline; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}")

    def session(self, req: Request) -> Optional[Session]:
        token = req.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        with self.lock:
            sess = self.sessions.get(token)
            if sess and sess.expires < time.time():
                del self.sessions[token]
                sess = None
        return sess

    def _throttled(self, key: str) -> bool:
        now = time.time()
        with self.lock:
            recent = [t for t in self.failures.get(key, []) if now - t < FAILURE_WINDOW]
            self.failures[key] = recent
            return len(recent) >= MAX_FAILURES

    def _failed(self, key: str) -> None:
        with self.lock:
            self.failures.setdefault(key, []).append(time.time())

    # responses
    @staticmethod
    def _html(status: int, body: bytes, headers: Optional[List[Tuple[str, str]]] = None) -> Response:
        return Response(status, body, list(headers or []))

    @staticmethod
    def _redirect(location: str, headers: Optional[List[Tuple[str, str]]] = None) -> Response:
        return Response(303, b"", [("Location", location)] + list(headers or []))

    def _forbidden(self, text: str) -> Response:
        return Response(403, page("Forbidden", f"<p>{e(text)}</p>"))

    def _login_page(self, error: Optional[str] = None, status: int = 200) -> Response:
        token = secrets.token_urlsafe(24)
        return Response(status, render_login(token, error), [self._cookie(LOGIN_COOKIE, token, 1800)])

    def handle(self, req: Request) -> Response:
        if not self.enabled:
            return self._forbidden("The hotline console is disabled: the operator has not set HOTLINE_AGENTS.")
        path = req.path.rstrip("/") or "/hotline"
        if path == "/hotline/login":
            if req.method == "POST":
                return self._login(req)
            if self.session(req):
                return self._redirect("/hotline")
            return self._login_page()
        sess = self.session(req)
        if sess is None:
            if req.method == "POST":
                return self._forbidden("Your session has expired: log in again.")
            return self._redirect("/hotline/login")
        if req.method == "POST" and not hmac.compare_digest(req.f("csrf"), sess.csrf):
            return self._forbidden("The form's security token is missing or wrong: reload the page and try again.")
        if path == "/hotline/logout" and req.method == "POST":
            with self.lock:
                self.sessions.pop(req.cookies.get(SESSION_COOKIE, ""), None)
            return self._redirect("/hotline/login", [self._cookie(SESSION_COOKIE, "", 0)])
        if path == "/hotline" and req.method == "GET":
            from bot import store

            return self._html(200, render_cases(store.list_handoffs(), sess.agent, sess.csrf))
        if path == "/hotline/assist":
            return self._assist(req, sess)
        m = re.fullmatch(r"/hotline/dossier/(20\d\d-[A-Z]\d{3}-[A-Z]\d{3})", path)
        if m and req.method == "GET":
            from bot import store

            doc = store.get(m.group(1))
            if doc and str(doc.get("submitted_by", "")).startswith("hotline:"):
                return self._html(200, render_dossier(doc, sess.agent, sess.csrf))
        return Response(404, page("Not found", "<p>No such page.</p>", sess.agent, sess.csrf))

    def _login(self, req: Request) -> Response:
        cookie = req.cookies.get(LOGIN_COOKIE, "")
        if not cookie or not hmac.compare_digest(req.f("csrf"), cookie):
            return self._forbidden("The form's security token is missing or wrong: reload the login page.")
        agent, password = req.f("agent").strip(), req.f("password")
        key = f"{agent}|{req.client}"
        if self._throttled(key):
            return self._login_page("Too many failed attempts: wait a few minutes.", 429)
        stored = self.agents.get(agent)
        ok = verify_password(password, stored if stored else self._dummy) and stored is not None
        if not ok:
            self._failed(key)
            print(f"hotline: failed login for {agent!r} from {req.client}", file=sys.stderr, flush=True)
            return self._login_page("Wrong agent name or password.", 401)
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.sessions[token] = Session(agent, secrets.token_urlsafe(32), time.time() + SESSION_SECONDS)
            self.failures.pop(key, None)
        print(f"hotline: {agent} logged in", file=sys.stderr, flush=True)
        return self._redirect("/hotline", [self._cookie(SESSION_COOKIE, token, SESSION_SECONDS),
                                           self._cookie(LOGIN_COOKIE, "", 0)])

    def _assist(self, req: Request, sess: Session) -> Response:
        if req.method == "GET":
            values: Dict[str, str] = {}
            case_id = req.q("case")
            if case_id:
                values = self._case_values(case_id)
            return self._html(200, render_assist(sess.agent, sess.csrf, values=values))
        action = req.f("action")
        if action == "analyse":
            situation = req.f("situation")[:4000]
            lang, profile = req.f("situation_lang"), req.f("situation_profile")
            analysis = analyse(situation, lang if lang in LANGS else None, profile=profile or None)
            return self._html(200, render_assist(sess.agent, sess.csrf, situation, lang, analysis,
                                                 values=analysis["prefill"], profile=profile))
        if action == "submit":
            form = {k: v[0][:200] for k, v in req.form.items() if v}
            doc, errors, warnings = validate_dossier(form, sess.agent)
            if doc is None:
                return self._html(422, render_assist(sess.agent, sess.csrf, values=form, errors=errors,
                                                     warnings=warnings))
            saved = submit_dossier(doc, idempotency.hotline_key(form.get(idempotency.FORM_FIELD), sess.agent, form))
            print(f"hotline: {sess.agent} submitted {saved['reference']}", file=sys.stderr, flush=True)
            return self._redirect(f"/hotline/dossier/{saved['reference']}")
        return Response(400, page("Bad request", "<p>Unknown action.</p>", sess.agent, sess.csrf))

    @staticmethod
    def _case_values(case_id: str) -> Dict[str, str]:
        """Prefill the dossier form from a handoff case's slots."""
        from bot import store

        case = next((c for c in store.list_handoffs() if str(c.get("id")) == case_id), None)
        if not case:
            return {}
        slots = case.get("slots") or {}
        values = {"lang": case.get("language") or "fr"}
        for slot, key in (("fund", "fund"), ("req_matricule", "req_matricule"), ("req_last_name", "req_last_name"),
                          ("req_first_name", "req_first_name"), ("residence", "residence"), ("email", "email"),
                          ("insured_status", "insured_status"), ("profile", "profile"),
                          ("destination", "p0_destination"), ("departure", "p0_departure"),
                          ("return_date", "p0_return")):
            if slots.get(slot) not in (None, ""):
                values[key] = str(slots[slot])
        if not values.get("p0_destination") and slots.get("context_country"):
            values["p0_destination"] = str(slots["context_country"])
        return values


# --- command line --------------------------------------------------------------------------

def cmd_hash_password(args) -> int:
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Again: "):
            print("the passwords differ", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 8:
        print("use at least 8 characters", file=sys.stderr)
        return 1
    hashed = hash_password(password, iterations=args.iterations)
    print(f"{args.agent}:{hashed}" if args.agent else hashed)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "hotline-hash-password",
        help="hash a hotline agent's password for HOTLINE_AGENTS (reads it from the terminal or stdin)")
    p.add_argument("--agent", help="print NAME:HASH, ready for HOTLINE_AGENTS")
    p.add_argument("--iterations", type=int, default=PBKDF2_ITERATIONS, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_hash_password)
