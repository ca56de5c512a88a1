"""The hotline console at ``/hotline`` on the chat page's server (bot/web.py).

Agents are configured by the operator in ``HOTLINE_AGENTS``:
``"alice:<hash>,bob:<hash>"``, where a hash is made by
``python -m bot hotline-hash-password`` (PBKDF2-SHA256,
``pbkdf2_sha256$<iterations>$<salt>$<hash>``); a bare SHA-256 hex digest
(optionally written ``sha256:<hex>``) is accepted too. Without
``HOTLINE_AGENTS`` the console is disabled: every ``/hotline`` URL answers 403.

Pages (Jinja2 templates in bot/hotline/templates/, named ``console/<page>.html``, autoescaped;
plain HTML, no script):

* ``/hotline/login`` (GET, POST), ``/hotline/logout`` (POST)
* ``/hotline`` – the handoff cases (``store.list_handoffs()``)
* ``/hotline/assist`` – the agent types the caller's situation (FR/DE/EN):
  entities (``bot.extraction.extract``) and what applies
  (``bot.rules.explain(...).to_dict()``: regime, form, and the rule that led to
  it) (``bot.hotline.intake.analyse``); then fills and submits a dossier on the
  caller's behalf (``bot.hotline.intake``: the form made a request for the one
  builder, ``bot.dossier.builder``, with ``"submitted_by": "hotline:<agent>"``)
* ``/hotline/dossier/<REF>`` – the stored dossier after submission

Session: random token in an HttpOnly, SameSite=Strict cookie (``Secure`` too
with ``HOTLINE_COOKIE_SECURE=1``), kept in memory (a restart logs agents out).
Every POST form carries a CSRF token (the session's; for the login form a
double-submit token in its own cookie). Failed logins are throttled.

``Console.handle(Request) -> Response`` is the whole logic; bot/web.py only
reads the HTTP request and writes the response. The pure parts (bot/hotline/passwords.py,
bot/hotline/intake.py, the renderers) are tested in tests/test_hotline.py. ``Console.handle`` is synchronous (PBKDF2, the database): the page server
runs it in a thread.

Failed logins: at most ``MAX_FAILURES`` per agent name and ``MAX_CLIENT_FAILURES`` per client
address in ``FAILURE_WINDOW`` seconds; attempts being checked count too, under one lock, so
parallel attempts cannot get more passwords checked. An unknown name is checked against a dummy
hash as costly as the agents' (``dummy_hash``). The client address is the page server's
(``bot.web.client_address``: ``X-Forwarded-For`` only from ``WEB_TRUSTED_PROXIES``).
"""
from __future__ import annotations

import hmac
import os
import re
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from bot.dossier import idempotency
from bot.hotline.intake import PERSON_ROWS, PROFILES, RELATIONS, analyse, submit_dossier, validate_dossier
from bot.hotline.passwords import dummy_hash, parse_agents, verify_password
from bot.text import LANGS

SESSION_COOKIE = "hotline_session"
LOGIN_COOKIE = "hotline_login"
SESSION_SECONDS = 8 * 3600
MAX_FAILURES = int(os.environ.get("HOTLINE_MAX_FAILURES") or 5)  # per agent name
MAX_CLIENT_FAILURES = int(os.environ.get("HOTLINE_MAX_CLIENT_FAILURES") or 20)  # per client address
FAILURE_WINDOW = 15 * 60
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")


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


# --- rendering (Jinja2 templates in bot/hotline/templates/, autoescaped) ---------------------

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
    from bot.dossier import builder as dossier

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
            from bot.dossier import store

            return self._html(200, render_cases(store.list_handoffs(), sess.agent, sess.csrf))
        if path == "/hotline/assist":
            return self._assist(req, sess)
        m = re.fullmatch(r"/hotline/dossier/(20\d\d-[A-Z]\d{3}-[A-Z]\d{3})", path)
        if m and req.method == "GET":
            from bot.dossier import store

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
        from bot.dossier import store

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
