"""The hotline console at ``/hotline`` on the chat page's server (bot/web.py).

Agents are configured by the operator in ``HOTLINE_AGENTS``:
``"alice:<hash>,bob:<hash>"``, where a hash is made by
``python -m bot hotline-hash-password`` (PBKDF2-SHA256,
``pbkdf2_sha256$<iterations>$<salt>$<hash>``); a bare SHA-256 hex digest
(optionally written ``sha256:<hex>``) is accepted too. Without
``HOTLINE_AGENTS`` the console is disabled: every ``/hotline`` URL answers 403.

Pages (Jinja2 templates in bot/templates/console/, autoescaped; plain HTML, no script):

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
in tests/test_web.py. ``Console.handle`` is synchronous (PBKDF2, the database): the page server
runs it in a thread.

Failed logins: at most ``MAX_FAILURES`` per agent name and ``MAX_CLIENT_FAILURES`` per client
address in ``FAILURE_WINDOW`` seconds; attempts being checked count too, under one lock, so
parallel attempts cannot get more passwords checked. An unknown name is checked against a dummy
hash as costly as the agents' (``dummy_hash``). The client address is the page server's
(``bot.web.client_address``: ``X-Forwarded-For`` only from ``WEB_TRUSTED_PROXIES``).
"""
from __future__ import annotations

import argparse
import base64
import datetime as dt
import getpass
import hashlib
import hmac
import os
import re
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from bot import idempotency
from bot.text import LANGS

PBKDF2_ITERATIONS = 600_000
SESSION_COOKIE = "hotline_session"
LOGIN_COOKIE = "hotline_login"
SESSION_SECONDS = 8 * 3600
MAX_FAILURES = int(os.environ.get("HOTLINE_MAX_FAILURES") or 5)  # per agent name
MAX_CLIENT_FAILURES = int(os.environ.get("HOTLINE_MAX_CLIENT_FAILURES") or 20)  # per client address
FAILURE_WINDOW = 15 * 60
PERSON_ROWS = 4
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


def pbkdf2_rounds(stored: str) -> Optional[int]:
    """The iteration count of a ``pbkdf2_sha256$...`` hash, None for other hashes."""
    parts = (stored or "").strip().split("$")
    if len(parts) == 4 and parts[0] == "pbkdf2_sha256" and parts[1].isdigit():
        return int(parts[1])
    return None


def dummy_hash(agents: Dict[str, str]) -> str:
    """A hash no password matches, costing what the configured agents' hashes cost.

    Checked for unknown agent names, so that they take as long as known ones: PBKDF2 with the
    highest iteration count among the agents (``PBKDF2_ITERATIONS`` when there is none), or
    SHA-256 when every agent has a bare SHA-256 hash.
    """
    rounds = [r for r in (pbkdf2_rounds(h) for h in agents.values()) if r]
    if agents and not rounds:
        return "sha256:" + secrets.token_hex(32)
    return (f"pbkdf2_sha256${max(rounds or [PBKDF2_ITERATIONS])}$"
            f"{_b64(secrets.token_bytes(16))}${_b64(secrets.token_bytes(32))}")


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
                     ) -> Tuple[Optional[Dict[str, Any]], Dict[str, Dict[str, Any]], List[Dict[str, Any]]]:
    """Check the console's dossier form. Returns (doc or None, errors by field, warnings).

    Errors and warnings are data, {"code": ..., and its details}; their wording is in the
    templates (console/macros.html ``problem``), which also show a plain string as it is.

    The document has the shape of ``bot.dossier.build`` plus ``submitted_by``.
    """
    from bot import reference, rules
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
            "matricule": number, "last_name": last, "first_name": first, "relation": relation,
            "destination": code, "departure": departure.isoformat() if departure else None,
            "return": return_.isoformat() if return_ else None,
            "form": rules.form_for(code) if code else None,
        })
    if not persons:
        errors["p0_destination"] = {"code": "no_person"}
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


# --- rendering (Jinja2 templates in bot/templates/console/, autoescaped) ---------------------

def _render(template: str, agent: Optional[str] = None, csrf: Optional[str] = None, **context: Any) -> bytes:
    from bot.templating import render

    return render(template, agent=agent, csrf=csrf, **context)


def page(kind: str, agent: Optional[str] = None, csrf: Optional[str] = None) -> bytes:
    """A short page (console/message.html): "disabled", "expired", "csrf", "csrf_login", "not_found",
    "bad_request" or "error"."""
    return _render("console/message.html", agent, csrf, kind=kind)


def render_login(csrf: str, error: Optional[str] = None, hidden: Optional[Dict[str, str]] = None) -> bytes:
    """The login form; ``error``: "wrong" or "throttled"."""
    return _render("console/login.html", login_csrf=csrf, error=error, hidden=dict(hidden or {}))


def render_cases(cases: List[Dict[str, Any]], agent: str, csrf: str) -> bytes:
    return _render("console/cases.html", agent, csrf, cases=cases)


def render_assist(agent: str, csrf: str, situation: str = "", lang: str = "",
                  analysis: Optional[Dict[str, Any]] = None, values: Optional[Dict[str, str]] = None,
                  errors: Optional[Dict[str, str]] = None, warnings: Optional[List[str]] = None,
                  notice: Optional[str] = None, profile: str = "",
                  hidden: Optional[Dict[str, str]] = None) -> bytes:
    """The assist page; ``hidden``: extra hidden fields of the dossier form (name -> value)."""
    from bot import reference

    values = dict(values or {})
    if not values.get("p0_relation"):
        values["p0_relation"] = "self"
    funds = [(code, f"{code} – {reference.funds()['funds'][code]['names'].get('en', code)}")
             for code in reference.funds()["funds"]]
    return _render("console/assist.html", agent, csrf, situation=situation, lang=lang or "", analysis=analysis,
                   values=values, errors=dict(errors or {}), warnings=list(warnings or []), notice=notice,
                   profile=profile or "",
                   hidden={idempotency.FORM_FIELD: values.get(idempotency.FORM_FIELD) or idempotency.new_key(),
                           **dict(hidden or {})}, funds=funds, langs=LANGS,
                   profiles=PROFILES, relations=RELATIONS, person_rows=PERSON_ROWS)


def render_dossier(doc: Dict[str, Any], agent: str, csrf: str) -> bytes:
    from bot import dossier

    links = [u for u in dossier.download_links(doc).splitlines() if re.match(r"https?://", u)]
    return _render("console/dossier.html", agent, csrf, doc=doc, links=links)


# --- the console ---------------------------------------------------------------------------

class Console:
    """The /hotline pages. ``agents``: name -> hash; empty: the console is disabled."""

    def __init__(self, agents: Optional[Dict[str, str]] = None, secure_cookie: Optional[bool] = None):
        if agents is None:
            agents = parse_agents(os.environ.get("HOTLINE_AGENTS"))
        self.agents = dict(agents)
        self.secure = (os.environ.get("HOTLINE_COOKIE_SECURE") == "1") if secure_cookie is None else secure_cookie
        self.sessions: Dict[str, Session] = {}
        self.failures: Dict[str, List[float]] = {}  # "agent:<name>" / "client:<address>" -> times
        self.pending: Dict[str, int] = {}  # the same keys -> attempts being checked right now
        self.lock = threading.Lock()
        self._dummy = dummy_hash(self.agents)

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

    @staticmethod
    def _limits(agent: str, client: str) -> List[Tuple[str, int]]:
        return [(f"agent:{agent}", MAX_FAILURES), (f"client:{client}", MAX_CLIENT_FAILURES)]

    def _begin_attempt(self, agent: str, client: str) -> bool:
        """Reserve a login attempt for this agent name and this client, or refuse it (throttled).

        Failures of the last FAILURE_WINDOW seconds and the attempts being checked at this moment
        both count, and the check and the reservation happen under one lock: parallel attempts
        cannot get more passwords checked than the limit allows.
        """
        now = time.time()
        with self.lock:
            if len(self.failures) > 10_000:  # forget old entries (many names or addresses tried)
                for k in [k for k, times in self.failures.items() if not times or now - times[-1] >= FAILURE_WINDOW]:
                    del self.failures[k]
            limits = self._limits(agent, client)
            for key, limit in limits:
                recent = [t for t in self.failures.get(key, []) if now - t < FAILURE_WINDOW]
                self.failures[key] = recent
                if len(recent) + self.pending.get(key, 0) >= limit:
                    return False
            for key, _ in limits:
                self.pending[key] = self.pending.get(key, 0) + 1
            return True

    def _end_attempt(self, agent: str, client: str, ok: bool) -> None:
        with self.lock:
            for key, _ in self._limits(agent, client):
                left = self.pending.get(key, 0) - 1
                if left > 0:
                    self.pending[key] = left
                else:
                    self.pending.pop(key, None)
                if ok:
                    self.failures.pop(key, None)
                else:
                    self.failures.setdefault(key, []).append(time.time())

    # responses
    @staticmethod
    def _html(status: int, body: bytes, headers: Optional[List[Tuple[str, str]]] = None) -> Response:
        return Response(status, body, list(headers or []))

    @staticmethod
    def _redirect(location: str, headers: Optional[List[Tuple[str, str]]] = None) -> Response:
        return Response(303, b"", [("Location", location)] + list(headers or []))

    def _forbidden(self, kind: str) -> Response:
        return Response(403, page(kind))

    def _login_page(self, error: Optional[str] = None, status: int = 200) -> Response:
        token = secrets.token_urlsafe(24)
        return Response(status, render_login(token, error), [self._cookie(LOGIN_COOKIE, token, 1800)])

    def handle(self, req: Request) -> Response:
        if not self.enabled:
            return self._forbidden("disabled")
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
                return self._forbidden("expired")
            return self._redirect("/hotline/login")
        if req.method == "POST" and not hmac.compare_digest(req.f("csrf"), sess.csrf):
            return self._forbidden("csrf")
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
        return Response(404, page("not_found", sess.agent, sess.csrf))

    def _login(self, req: Request) -> Response:
        cookie = req.cookies.get(LOGIN_COOKIE, "")
        if not cookie or not hmac.compare_digest(req.f("csrf"), cookie):
            return self._forbidden("csrf_login")
        agent, password = req.f("agent").strip()[:64], req.f("password")[:1024]
        if not self._begin_attempt(agent, req.client):
            return self._login_page("throttled", 429)
        ok = False
        try:
            stored = self.agents.get(agent)
            # an unknown name costs the same hash computation as a known one
            ok = verify_password(password, stored if stored else self._dummy) and stored is not None
        finally:
            self._end_attempt(agent, req.client, ok)
        if not ok:
            print(f"hotline: failed login for {agent!r} from {req.client}", file=sys.stderr, flush=True)
            return self._login_page("wrong", 401)
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.sessions[token] = Session(agent, secrets.token_urlsafe(32), time.time() + SESSION_SECONDS)
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
        return Response(400, page("bad_request", sess.agent, sess.csrf))

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
