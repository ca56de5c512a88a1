"""The chat page's POST routes through nginx (issue 15, item 6): uploads up to 20 MB, the widget's
conversation, the hotline console's login with Secure cookies, and its per-client login limit
behind the proxy (nginx passes the address it saw; what a client writes is not believed)."""
import os
import re

import requests

from bot.hotline import console
from bot.dossier import uploads
from tests.prod.util import STACK_RE

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
MB20 = uploads.MAX_TOTAL_BYTES


def conversation(prod):
    resp = requests.post(prod.public_url + "/conversation", timeout=10)
    assert resp.status_code == 201, resp.text[:300]
    body = resp.json()
    assert uploads.valid_sender(body["sender"]) and body["uploadToken"]
    return body["sender"], body["uploadToken"]


def upload(prod, sender, token, data, name="menage.pdf"):
    return requests.post(prod.public_url + "/upload", data=data, timeout=120,
                         headers={"Content-Type": "application/octet-stream", "X-Sender-Id": sender,
                                  "X-Upload-Token": token, "X-Filename": name})


def test_uploads_through_nginx_up_to_twenty_megabytes(prod):
    sender, token = conversation(prod)
    resp = upload(prod, sender, token, PDF)
    assert resp.status_code == 201, resp.text[:300]
    assert resp.json()["ok"] is True
    folder = prod.var_dir / "uploads" / sender
    assert (folder / resp.json()["id"]).read_bytes() == PDF
    # the rest of the 20 MB in one file: accepted; one more file: refused with the page server's reason
    big = PDF + b"0" * (MB20 - 2 * len(PDF))
    resp = upload(prod, sender, token, big, "big.pdf")
    assert resp.status_code == 201, resp.text[:300]
    assert resp.json()["bytes_left"] == 0  # exactly 20 MB in this conversation
    resp = upload(prod, sender, token, PDF + b"0", "one-more.pdf")
    assert resp.status_code == 413 and resp.json()["reason"] == "too_large", resp.text[:300]
    # a body over nginx's limit is refused before it reaches the page server, in the widget's format
    other, other_token = conversation(prod)
    resp = upload(prod, other, other_token, PDF + b"0" * (22 * 1024 * 1024))
    assert resp.status_code == 413 and resp.json() == {"ok": False, "reason": "too_large"}


def test_upload_refused_without_the_conversations_token(prod):
    sender, token = conversation(prod)
    other, _ = conversation(prod)
    resp = upload(prod, other, token, PDF)
    assert resp.status_code == 403 and resp.json()["reason"] == "bad_sender"
    assert not (prod.var_dir / "uploads" / other).exists()
    assert requests.get(prod.public_url + "/upload", timeout=10).status_code == 405
    assert requests.put(prod.public_url + "/", data=b"x", timeout=10).status_code == 405


class Agent:
    """A browser on the console through nginx; cookies kept by hand (they are Secure, the test is HTTP)."""

    def __init__(self, prod, forwarded=None):
        self.url = prod.public_url
        self.cookies = {}
        self.set_cookies = []
        self.headers = {"X-Forwarded-For": forwarded} if forwarded else {}

    def request(self, method, path, form=None):
        resp = requests.request(method, self.url + path, data=form, allow_redirects=False, timeout=30,
                                headers={**self.headers, "Cookie": "; ".join(f"{k}={v}" for k, v in
                                                                               self.cookies.items())})
        raw = resp.raw.headers.getlist("Set-Cookie") if hasattr(resp.raw.headers, "getlist") else []
        self.set_cookies = raw
        for c in raw:
            name, _, rest = c.partition("=")
            if "Max-Age=0" in c:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = rest.split(";")[0]
        assert not STACK_RE.search(resp.text), resp.text[:300]
        return resp

    def login(self, agent, password):
        page = self.request("GET", "/hotline/login")
        assert page.status_code == 200 and 'type="password"' in page.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        return self.request("POST", "/hotline/login", {"agent": agent, "password": password, "csrf": csrf})


def test_hotline_login_through_nginx_with_secure_cookies(prod):
    agent, password = os.environ["PROD_HOTLINE_AGENT"], os.environ["PROD_HOTLINE_PASSWORD"]
    a = Agent(prod)
    a.request("GET", "/hotline/login")
    assert a.set_cookies and all("; Secure" in c and "HttpOnly" in c for c in a.set_cookies), a.set_cookies
    resp = a.login(agent, password)
    assert resp.status_code == 303 and resp.headers["Location"] == "/hotline", resp.text[:300]
    session = [c for c in a.set_cookies if c.startswith("hotline_session=")]
    assert session and "; Secure" in session[0] and "SameSite=Strict" in session[0]
    page = a.request("GET", "/hotline")
    assert page.status_code == 200 and "Handoff cases" in page.text
    # a console POST other than the login: the analysis of a caller's situation
    html = a.request("GET", "/hotline/assist").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    resp = a.request("POST", "/hotline/assist", {"action": "analyse", "situation": "Je pars au Maroc en mai",
                                                 "csrf": csrf})
    assert resp.status_code == 200 and 'class="regime">convention_online<' in resp.text
    resp = a.request("POST", "/hotline/logout", {"csrf": csrf})
    assert resp.status_code == 303
    # the console's own refusal page, not nginx's JSON
    wrong = Agent(prod).login(agent, "not the password")
    assert wrong.status_code == 401 and "Wrong agent name or password" in wrong.text


def test_login_limit_per_client_cannot_be_dodged_with_forwarded_for(prod):
    agent, password = os.environ["PROD_HOTLINE_AGENT"], os.environ["PROD_HOTLINE_PASSWORD"]
    statuses = []
    for i in range(console.MAX_CLIENT_FAILURES + 1):  # a new name and a new claimed address each time
        statuses.append(Agent(prod, forwarded=f"198.51.100.{i}").login(f"guess{i}", "x").status_code)
        if statuses[-1] == 429:
            break
    assert statuses[-1] == 429 and set(statuses[:-1]) == {401}, statuses
    resp = Agent(prod, forwarded="203.0.113.77").login(agent, password)
    assert resp.status_code == 429 and "Too many failed attempts" in resp.text
