"""The page server (bot/web.py) and the hotline console (bot/hotline/), over HTTP on a free port."""
from __future__ import annotations

import datetime as dt
import http.client
import re
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bot.hotline import console
from bot.dossier import store
from bot.hotline import intake, passwords
from bot.hotline.console import Console
from bot.hotline.passwords import hash_password
from bot.validators import matricule
from bot.web import WEB_DIR, make_server

PASSWORD = "correct horse battery"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture()
def var(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("BOT_DATABASE_URL", f"sqlite:///{tmp_path / 'dossiers.db'}")
    monkeypatch.delenv("SMTP_HOST", raising=False)
    return tmp_path


def start(agents):
    srv = make_server(0, "http://localhost:5999", host="127.0.0.1", console=Console(agents, secure_cookie=False))
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return srv


@pytest.fixture()
def server(var):
    srv = start({"alice": hash_password(PASSWORD, iterations=1000)})
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


@pytest.fixture()
def disabled(var):
    srv = start({})
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


class Client:
    """A tiny browser: keeps cookies (name=value), follows nothing."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, form=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        hdrs = dict(headers or {})
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=hdrs)
        res = conn.getresponse()
        text = res.read().decode("utf-8", "replace")
        set_cookies = res.headers.get_all("Set-Cookie") or []
        for c in set_cookies:
            name, _, rest = c.partition("=")
            value = rest.split(";")[0]
            if "Max-Age=0" in c:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        conn.close()
        return res.status, res.headers, text, set_cookies

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form):
        return self.request("POST", path, form=form)

    def csrf(self, html):
        m = re.search(r'name="csrf" value="([^"]+)"', html)
        return m.group(1) if m else ""

    def login(self, agent="alice", password=PASSWORD):
        _, _, html, _ = self.get("/hotline/login")
        return self.post("/hotline/login", {"agent": agent, "password": password, "csrf": self.csrf(html)})


def future(days):
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


# --- the page and the widget ------------------------------------------------------------

def test_demo_page_embeds_widget_with_one_script_tag(server):
    status, headers, html, _ = Client(server).get("/")
    assert status == 200
    assert re.search(r'<script src="/widget.js" data-rasa-url="http://localhost:5999"[^>]*></script>', html)
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "connect-src 'self' http://localhost:5999 ws://localhost:5999" in csp
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("name, ctype", [("widget.js", "application/javascript"), ("widget.css", "text/css"),
                                         ("i18n.js", "application/javascript"),
                                         ("socket.io.min.js", "application/javascript")])
def test_widget_files(server, name, ctype):
    status, headers, body, _ = Client(server).get("/" + name)
    assert status == 200 and headers["Content-Type"].startswith(ctype)
    assert "Content-Security-Policy" in headers


def test_socketio_client_is_v4():
    head = (WEB_DIR / "socket.io.min.js").read_text(encoding="utf-8")[:200]
    assert re.search(r"Socket\.IO v4\.\d+\.\d+", head)


def test_widget_never_uses_html_sinks_nor_the_console():
    js = (WEB_DIR / "widget.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in js, sink
    assert "hotline" not in js.lower()
    assert 'rel: "noopener noreferrer"' in js
    assert "http:" in js and "https:" in js  # only http(s) links become <a>


def test_widget_labels_exist_in_three_languages():
    text = (WEB_DIR / "i18n.js").read_text(encoding="utf-8")
    keys = {lang: set(re.findall(r"^\s{4}(\w+):", block, re.M))
            for lang, block in re.findall(r"^  (fr|de|en): \{(.*?)^  \}", text, re.M | re.S)}
    assert set(keys) == {"fr", "de", "en"}
    assert keys["fr"] == keys["de"] == keys["en"]
    for reason in ("empty", "bad_type", "too_many_files", "too_large", "bad_sender", "bad_request", "network"):
        assert len(re.findall(rf"^\s+{reason}: ", text, re.M)) == 3, reason


def test_privacy_page_and_widget_links(server, monkeypatch):
    monkeypatch.delenv("WEB_PRIVACY_URL", raising=False)
    monkeypatch.delenv("WEB_TERMS_URL", raising=False)
    c = Client(server)
    _, _, body, _ = c.get("/")
    assert 'data-privacy-url="/privacy/{lang}"' in body and 'data-terms-url=""' in body
    for lang, heading, words in (("fr", "Données personnelles", "CNPD"), ("de", "Datenschutz", "CNPD"),
                                 ("en", "Privacy", "National Commission for Data Protection")):
        status, headers, body, _ = c.get(f"/privacy/{lang}")  # the assistant's data-protection answer
        assert status == 200 and f'<html lang="{lang}">' in body and f"<h1>{heading}</h1>" in body, lang
        assert words in body and "Content-Security-Policy" in headers
    assert c.get("/privacy/it")[0] == 404
    monkeypatch.setenv("WEB_PRIVACY_URL", "https://www.example.lu/{lang}/privacy.html")
    monkeypatch.setenv("WEB_TERMS_URL", "javascript:alert(1)")  # not http(s): no link
    _, _, body, _ = c.get("/")
    assert 'data-privacy-url="https://www.example.lu/{lang}/privacy.html"' in body and 'data-terms-url=""' in body
    status, headers, _, _ = c.get("/privacy/de")
    assert status == 303 and headers["Location"] == "https://www.example.lu/de/privacy.html"


def test_config_js(server):
    status, headers, body, _ = Client(server).get("/config.js")
    assert status == 200 and body.strip() == 'window.CHAT_CONFIG = {"rasaUrl": "http://localhost:5999"};'


@pytest.mark.parametrize("path", ["/../bot/web.py", "/%2e%2e/bot/web.py", "/web/widget.js", "/bot/hotline/console.py",
                                  "/nope.js", "/README.md", "/.git/config", "//etc/passwd", "/index.html/x"])
def test_nothing_else_is_served(server, path):
    status, _, body, _ = Client(server).get(path)
    assert status == 404
    assert "def " not in body


def test_documents_route(server, var):
    token = "0123456789" * 3
    folder = var / "documents" / token
    folder.mkdir(parents=True)
    (folder / "1.pdf").write_bytes(b"%PDF-1.4 test")
    status, headers, body, _ = Client(server).get(f"/documents/{token}/1.pdf")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == 'attachment; filename="1.pdf"'
    assert Client(server).get(f"/documents/{token}/2.pdf")[0] == 404
    assert Client(server).get("/documents/short/1.pdf")[0] == 404
    assert Client(server).get(f"/documents/{token}/../../dossiers.db")[0] == 404


def test_transcripts_route(server, var):
    token = "abcdefghij" * 3
    folder = var / "transcripts" / ("k" * 64)
    folder.mkdir(parents=True)
    (folder / f"{token}.txt").write_text("Vous :\n  bonjour\n", encoding="utf-8")
    status, headers, body, _ = Client(server).get(f"/transcripts/{token}.txt")
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8" and "bonjour" in body
    assert headers["Content-Disposition"] == 'attachment; filename="conversation.txt"'
    assert Client(server).get(f"/transcripts/{'z' * 30}.txt")[0] == 404
    assert Client(server).get("/transcripts/short.txt")[0] == 404
    assert Client(server).get(f"/transcripts/{token}.pdf")[0] == 404


# --- the hotline console: access ----------------------------------------------------------

def test_console_disabled_without_agents(disabled):
    c = Client(disabled)
    for path in ("/hotline", "/hotline/login", "/hotline/assist"):
        assert c.get(path)[0] == 403
    assert c.post("/hotline/login", {"agent": "alice", "password": "x", "csrf": "x"})[0] == 403


def test_console_disabled_when_env_unset(monkeypatch):
    monkeypatch.delenv("HOTLINE_AGENTS", raising=False)
    assert not Console().enabled
    monkeypatch.setenv("HOTLINE_AGENTS", "alice:" + "a" * 64)
    assert Console().enabled


def test_login_required(server):
    c = Client(server)
    for path in ("/hotline", "/hotline/assist", "/hotline/dossier/2026-A009-Q804"):
        status, headers, _, _ = c.get(path)
        assert status == 303 and headers["Location"] == "/hotline/login"
    status, _, _, _ = c.post("/hotline/assist", {"action": "analyse", "situation": "Maroc", "csrf": "x"})
    assert status == 403


def test_login_page_and_cookie_flags(server):
    c = Client(server)
    status, headers, html, cookies = c.get("/hotline/login")
    assert status == 200 and 'type="password"' in html
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src" not in headers["Content-Security-Policy"]  # default-src 'none': no script at all
    assert any(k.startswith("hotline_login=") and "HttpOnly" in k and "SameSite=Strict" in k for k in cookies)
    status, headers, _, cookies = c.post("/hotline/login", {"agent": "alice", "password": PASSWORD,
                                                             "csrf": c.csrf(html)})
    assert status == 303 and headers["Location"] == "/hotline"
    session = [k for k in cookies if k.startswith("hotline_session=")]
    assert session and "HttpOnly" in session[0] and "SameSite=Strict" in session[0] and "Path=/hotline" in session[0]
    assert c.get("/hotline")[0] == 200


def test_wrong_password_refused(server):
    c = Client(server)
    status, _, html, cookies = c.login(password="wrong password")
    assert status == 401 and "Wrong agent name or password" in html
    assert not any(k.startswith("hotline_session=") for k in cookies)
    status, _, _, _ = c.login(agent="mallory", password=PASSWORD)
    assert status == 401
    assert c.get("/hotline")[0] == 303


def test_login_needs_its_csrf_token(server):
    c = Client(server)
    c.get("/hotline/login")
    status, _, _, cookies = c.post("/hotline/login", {"agent": "alice", "password": PASSWORD, "csrf": "forged"})
    assert status == 403 and not any(k.startswith("hotline_session=") for k in cookies)
    fresh = Client(server)  # no login cookie at all (a cross-site form)
    status, _, _, _ = fresh.post("/hotline/login", {"agent": "alice", "password": PASSWORD, "csrf": ""})
    assert status == 403


def test_failed_logins_are_throttled(server):
    c = Client(server)
    for _ in range(console.MAX_FAILURES):
        assert c.login(password="nope")[0] == 401
    assert c.login()[0] == 429  # even the right password waits


def test_csrf_enforced_on_console_posts(server, var):
    c = Client(server)
    c.login()
    form = {"action": "analyse", "situation": "Je pars au Maroc"}
    assert c.post("/hotline/assist", form)[0] == 403
    assert c.post("/hotline/assist", {**form, "csrf": "not-the-token"})[0] == 403
    assert c.post("/hotline/logout", {"csrf": "nope"})[0] == 403
    _, _, html, _ = c.get("/hotline/assist")
    assert c.post("/hotline/assist", {**form, "csrf": c.csrf(html)})[0] == 200


def test_logout(server):
    c = Client(server)
    c.login()
    _, _, html, _ = c.get("/hotline")
    stale = dict(c.cookies)
    status, headers, _, _ = c.post("/hotline/logout", {"csrf": c.csrf(html)})
    assert status == 303 and headers["Location"] == "/hotline/login"
    c.cookies = stale  # the old session cookie no longer works
    assert c.get("/hotline")[0] == 303


# --- the hotline console: pages -------------------------------------------------------------

def test_cases_listed_and_escaped(server, var):
    store.add_handoff({"language": "de", "topic": XSS, "slots": {"destination": "TN", "req_last_name": XSS},
                       "rules_applied": ["convention_online", XSS],
                       "last_messages": [{"from": "user", "text": XSS}, {"from": "bot", "text": "Rufen Sie an"}]},
                      sender_id="abc")
    c = Client(server)
    c.login()
    status, _, html, _ = c.get("/hotline")
    assert status == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Rufen Sie an" in html and "convention_online" in html and "<strong>de</strong>" in html
    case_id = re.search(r'href="/hotline/assist\?case=(\d+)"', html).group(1)
    status, _, html, _ = c.get(f"/hotline/assist?case={case_id}")
    assert status == 200 and 'value="TN"' in html and "<script>alert" not in html


@pytest.mark.parametrize("text, lang, regime, form", [
    ("Je pars en Tunisie du 3 au 20 avril avec mon fils", "", "convention_online", "T/L"),  # CNS page (checked 2026-12-05)
    ("Ich studiere ab Oktober in der Türkei", "de", "convention_online", ""),
    ("I'm going to Spain on holiday", "en", "ehic", ""),
])
def test_assist_shows_regime_form_and_rule(server, text, lang, regime, form):
    c = Client(server)
    c.login()
    _, _, html, _ = c.get("/hotline/assist")
    status, _, html, _ = c.post("/hotline/assist", {"action": "analyse", "situation": text,
                                                    "situation_lang": lang, "csrf": c.csrf(html)})
    assert status == 200
    assert f'<dd class="regime">{regime}</dd>' in html
    assert "Rule that led to it" in html and "→ regime" in html
    if form:
        assert form in html


def dossier_form(**over):
    form = {"action": "submit", "fund": "CNS", "lang": "de", "profile": "stay",
            "req_matricule": matricule.generate("19850412"), "req_last_name": "Dupont",
            "req_first_name": "Marie", "residence": "Frankreich", "email": "marie.dupont@example.lu",
            "insured_status": "main",
            "p0_relation": "self", "p0_destination": "Tunesien", "p0_departure": future(30), "p0_return": future(45),
            "p1_relation": "child", "p1_matricule": matricule.generate("20150101", 456), "p1_last_name": "Dupont",
            "p1_first_name": "Léo", "p1_destination": "TN", "p1_departure": future(30), "p1_return": future(45)}
    form.update(over)
    return form


def test_submit_dossier_on_callers_behalf(server, var):
    c = Client(server)
    c.login()
    _, _, html, _ = c.get("/hotline/assist")
    status, headers, _, _ = c.post("/hotline/assist", {**dossier_form(), "csrf": c.csrf(html)})
    assert status == 303, headers
    ref = re.fullmatch(r"/hotline/dossier/(20\d\d-[A-Z]\d{3}-[A-Z]\d{3})", headers["Location"]).group(1)
    doc = store.get(ref)
    assert doc["submitted_by"] == "hotline:alice"
    assert doc["fund"] == "CNS" and doc["language"] == "de" and doc["status"] == "submitted"
    assert doc["requester"]["residence_country"] == "FR" and doc["household_certificate_required"] is True
    assert doc["documents_to_send"] == ["household_composition"]
    assert [(p["relation"], p["destination"], p["form"]) for p in doc["persons"]] == [
        ("self", "TN", "T/L"), ("child", "TN", "T/L")]
    assert doc["persons"][0]["matricule"] == doc["requester"]["matricule"]
    assert len(doc["documents"]) == 2 and (var / "documents" / doc["download_token"] / "1.pdf").is_file()
    status, _, html, _ = c.get(headers["Location"])
    assert status == 200 and f'<strong class="reference">{ref}</strong>' in html
    assert f"/documents/{doc['download_token']}/1.pdf" in html


@pytest.mark.parametrize("over, field", [
    ({"req_matricule": "1985041212345"}, "req_matricule"),
    ({"email": "marie@@example"}, "email"),
    ({"p0_destination": "Spanien"}, "p0_destination"),
    ({"p0_departure": future(-3)}, "p0_departure"),
    ({"p0_return": future(10)}, "p0_departure"),  # return before departure
    ({"p1_matricule": "123"}, "p1_matricule"),
    ({"fund": "XYZ"}, "fund"),
    ({"req_last_name": ""}, "req_last_name"),
    ({"residence": "Atlantis"}, "residence"),
])
def test_submit_refused_when_invalid(server, var, over, field):
    c = Client(server)
    c.login()
    _, _, html, _ = c.get("/hotline/assist")
    status, _, html, _ = c.post("/hotline/assist", {**dossier_form(**over), "csrf": c.csrf(html)})
    assert status == 422
    assert f'href="#{field}"' in html and f'id="{field}-error"' in html
    assert store.list_all() == []


def test_submitted_values_are_escaped_when_shown_again(server, var):
    c = Client(server)
    c.login()
    _, _, html, _ = c.get("/hotline/assist")
    _, _, html, _ = c.post("/hotline/assist", {**dossier_form(req_last_name=XSS, email=XSS), "csrf": c.csrf(html)})
    assert "<script>alert" not in html and "onerror=alert(1)>" not in html


# --- login limits (issue 15, item 5) -------------------------------------------------------

def login_request(agent, password, client="192.0.2.10"):
    return console.Request(method="POST", path="/hotline/login", cookies={console.LOGIN_COOKIE: "t"},
                           form={"agent": [agent], "password": [password], "csrf": ["t"]}, client=client)


def test_parallel_wrong_logins_never_exceed_the_limit(monkeypatch):
    con = Console({"alice": hash_password(PASSWORD, iterations=1000)}, secure_cookie=False)
    checked, real = [], console.verify_password

    def slow_verify(password, stored):  # every attempt is in flight at the same time
        checked.append(password)
        time.sleep(0.2)
        return real(password, stored)

    monkeypatch.setattr(console, "verify_password", slow_verify)
    passwords = [f"wrong {i}" for i in range(29)] + [PASSWORD]
    barrier = threading.Barrier(len(passwords))
    statuses = {}

    def attempt(pw):
        barrier.wait()
        statuses[pw] = con.handle(login_request("alice", pw)).status

    threads = [threading.Thread(target=attempt, args=(pw,)) for pw in passwords]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checked) <= console.MAX_FAILURES, len(checked)
    assert sum(1 for s in statuses.values() if s != 429) == len(checked)
    if PASSWORD not in checked:  # the right password was not even looked at
        assert statuses[PASSWORD] == 429
    wrong = [s for pw, s in statuses.items() if pw != PASSWORD and s != 429]
    assert wrong and set(wrong) == {401}


def test_failures_counted_per_client_across_agent_names(monkeypatch):
    monkeypatch.setattr(console, "MAX_CLIENT_FAILURES", 6)
    con = Console({"alice": hash_password(PASSWORD, iterations=1000)}, secure_cookie=False)
    for i in range(6):  # a different name each time: the per-agent limit is never reached
        assert con.handle(login_request(f"guess{i}", "x", client="198.51.100.7")).status == 401
    assert con.handle(login_request("alice", PASSWORD, client="198.51.100.7")).status == 429
    assert con.handle(login_request("alice", PASSWORD, client="198.51.100.8")).status == 303


def test_unknown_agent_costs_the_same_pbkdf2_rounds(monkeypatch):
    import hashlib

    con = Console({"alice": hash_password(PASSWORD, iterations=passwords.PBKDF2_ITERATIONS)}, secure_cookie=False)
    rounds, real = [], hashlib.pbkdf2_hmac

    def counting(name, password, salt, iterations, *args):
        rounds.append(iterations)
        return real(name, password, salt, iterations, *args)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting)
    assert con.handle(login_request("alice", "wrong password")).status == 401
    known, rounds[:] = list(rounds), []
    assert con.handle(login_request("mallory", "wrong password", client="192.0.2.11")).status == 401
    assert known == rounds == [passwords.PBKDF2_ITERATIONS]
    # agents hashed with other counts: the dummy takes the highest; bare SHA-256 agents: SHA-256
    assert passwords.pbkdf2_rounds(passwords.dummy_hash({"a": hash_password("x" * 8, iterations=1000),
                                                     "b": hash_password("x" * 8, iterations=2000)})) == 2000
    assert passwords.dummy_hash({"a": "b" * 64}).startswith("sha256:")


def test_client_address_trusts_forwarded_for_only_from_the_proxy():
    from bot.web import client_address

    assert client_address("203.0.113.9", "198.51.100.1", proxies=[]) == "203.0.113.9"
    assert client_address("203.0.113.9", "198.51.100.1", proxies=["127.0.0.1"]) == "203.0.113.9"
    assert client_address("127.0.0.1", "198.51.100.1", proxies=["127.0.0.1"]) == "198.51.100.1"
    # what the client wrote itself comes first; the proxy appends the address it saw
    assert client_address("127.0.0.1", "1.2.3.4, 198.51.100.1", proxies=["127.0.0.0/8"]) == "198.51.100.1"
    assert client_address("127.0.0.1", "198.51.100.1, 10.0.0.2", proxies=["127.0.0.1", "10.0.0.0/8"]) \
        == "198.51.100.1"
    assert client_address("127.0.0.1", "not an address", proxies=["127.0.0.1"]) == "127.0.0.1"
    assert client_address("127.0.0.1", None, proxies=["127.0.0.1"]) == "127.0.0.1"


def http_login(port, agent, password, forwarded):
    c = Client(port)
    hdrs = {"X-Forwarded-For": forwarded}
    _, _, html, _ = c.request("GET", "/hotline/login", headers=hdrs)
    return c.request("POST", "/hotline/login", form={"agent": agent, "password": password, "csrf": c.csrf(html)},
                     headers=hdrs)[0]


@pytest.mark.parametrize("trusted", [True, False])
def test_login_limit_per_forwarded_client_behind_the_proxy(var, monkeypatch, trusted):
    monkeypatch.setattr(console, "MAX_CLIENT_FAILURES", 3)
    if trusted:
        monkeypatch.setenv("WEB_TRUSTED_PROXIES", "127.0.0.1")
    else:
        monkeypatch.delenv("WEB_TRUSTED_PROXIES", raising=False)
    srv = start({"alice": hash_password(PASSWORD, iterations=1000)})
    try:
        port = srv.server_address[1]
        for i in range(3):
            assert http_login(port, f"guess{i}", "x", "203.0.113.5") == 401
        assert http_login(port, "alice", PASSWORD, "203.0.113.5") == 429
        # another client behind the same proxy: its own limit; without a trusted proxy the
        # header is the client's own word and changes nothing
        assert http_login(port, "alice", PASSWORD, "203.0.113.6") == (303 if trusted else 429)
    finally:
        srv.shutdown()
        srv.server_close()


# --- templates (issue 15, item 9) -----------------------------------------------------------

def test_console_html_comes_from_autoescaped_templates():
    from bot import templating

    source = Path(console.__file__).read_text(encoding="utf-8")
    assert not re.search(r"""f?["']<[a-z!/]""", source)  # no HTML built in Python strings
    assert templating.environment().autoescape is True
    html = console.render_login("tok<en>", "wrong").decode()
    assert 'value="tok&lt;en&gt;"' in html and "Wrong agent name or password" in html


def test_dossier_form_takes_extra_hidden_fields(var):
    html = console.render_assist("alice", "csrf-token", hidden={"request_key": 'k"<1>'}).decode()
    submit_form = html[html.index('value="submit"') - 200:]
    assert '<input type="hidden" name="request_key" value="k&#34;&lt;1&gt;">' in submit_form
    assert submit_form.index('name="csrf"') < submit_form.index('name="request_key"')


def test_form_problems_are_data_worded_by_the_templates(var):
    doc, errors, warnings = intake.validate_dossier(
        dossier_form(req_matricule="1985041212345", email="marie@@example", p0_destination="Spanien"), "alice")
    assert doc is None
    assert errors["req_matricule"]["code"] == "matricule" and errors["email"]["code"] == "email"
    assert errors["p0_destination"] == {"code": "not_online"}
    html = console.render_assist("alice", "t", values={}, errors=errors, warnings=warnings).decode()
    assert f"invalid identification number ({errors['req_matricule']['reason']})" in html
    assert "not a destination of the online request" in html
    # a plain string (an error added elsewhere) is shown as it is, escaped
    html = console.render_assist("alice", "t", errors={"fund": "<b>as is</b>"}).decode()
    assert "&lt;b&gt;as is&lt;/b&gt;" in html and 'id="fund-error"' in html


def test_the_same_form_posted_twice_at_once_makes_one_dossier(server, var):
    """Issue 15, finding 4: a hidden key per form; two identical posts, one dossier (and one e-mail)."""
    c = Client(server)
    c.login()
    _, _, html, _ = c.get("/hotline/assist")
    key = re.search(r'name="request_key" value="([^"]+)"', html).group(1)
    form = {**dossier_form(), "csrf": c.csrf(html), "request_key": key}
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(c.post("/hotline/assist", form))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert [a[0] for a in answers] == [303, 303]
    assert answers[0][1]["Location"] == answers[1][1]["Location"]
    assert len(store.list_all()) == 1
    assert len(list((var / "outbox").glob("*.eml"))) == 1
    _, _, again, _ = c.get("/hotline/assist")   # a new form: a new request
    assert re.search(r'name="request_key" value="([^"]+)"', again).group(1) != key
