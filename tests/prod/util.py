"""Helpers of the production tests: HTTP, the servers' control, the databases."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import requests
import sqlalchemy as sa

from bot.validators import matricule

ROOT = Path(__file__).resolve().parents[2]
REF_RE = re.compile(r"\b(\d{4}-[A-Z]\d{3}-[A-Z]\d{3})\b")
STACK_RE = re.compile(r"Traceback|File \"|Exception|sqlalchemy|psycopg2|at 0x[0-9a-f]+|\bline \d+\b")
MATRICULE = matricule.generate("1985-04-12")

# the certificate request of /work/shared/eval/converse.py's kind, one answer per turn
REQUEST = ["Je voudrais l'attestation pour la Tunisie du 3 au 20 avril", "oui", "CNS", MATRICULE,
           "Dupont", "Marie", "Luxembourg", "marie@example.lu", "non", "oui"]


def new_sender(prefix: str = "t") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def texts(reply: Any) -> str:
    if isinstance(reply, list):
        return "\n".join(str(m.get("text") or "") for m in reply if isinstance(m, dict))
    return str(reply)


def unavailable(reply: Any) -> bool:
    return isinstance(reply, list) and any(
        isinstance(m, dict) and (m.get("custom") or {}).get("error") == "service_unavailable" for m in reply)


@dataclass
class Prod:
    public_url: str
    rasa_urls: List[str]
    var_dir: Path
    env: Dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> "Prod":
        env = dict(os.environ)
        for name in ("PUBLIC_URL", "RASA_PORTS", "BOT_VAR_DIR", "BOT_DATABASE_URL", "TRACKER_DB_URL"):
            assert env.get(name), f"{name} is not set: run through scripts/test_prod.sh"
        return cls(env["PUBLIC_URL"].rstrip("/"),
                   [f"http://127.0.0.1:{p}" for p in env["RASA_PORTS"].split()],
                   Path(env["BOT_VAR_DIR"]), env)

    # ------------------------------------------------------------------ HTTP
    def post(self, base: str, body: Any, raw: Optional[bytes] = None, timeout: float = 60,
             headers: Optional[Dict[str, str]] = None) -> Tuple[int, Any, str]:
        """POST to base + /webhooks/rest/webhook: (status, parsed JSON or None, raw text)."""
        data = raw if raw is not None else json.dumps(body).encode()
        resp = requests.post(base + "/webhooks/rest/webhook", data=data, timeout=timeout,
                             headers=headers or {"Content-Type": "application/json"})
        try:
            parsed = resp.json()
        except ValueError:
            parsed = None
        return resp.status_code, parsed, resp.text

    def say(self, base: str, sender: str, text: str, **kw) -> List[Dict[str, Any]]:
        status, parsed, raw = self.post(base, {"sender": sender, "message": text}, **kw)
        assert status == 200, f"{status}: {raw[:500]}"
        assert not STACK_RE.search(raw), raw[:500]
        assert isinstance(parsed, list), raw[:500]
        return parsed

    def converse(self, sender: str, answers: List[str], bases: List[str]) -> List[List[Dict[str, Any]]]:
        """Each answer to the next base in turn; every reply must be a normal one."""
        replies = []
        for i, text in enumerate(answers):
            reply = self.say(bases[i % len(bases)], sender, text)
            assert reply and not unavailable(reply), f"{text!r} -> {reply}"
            replies.append(reply)
        return replies

    def wait_ready(self, timeout: float = 120) -> None:
        end = time.time() + timeout
        while time.time() < end:
            try:
                if requests.get(self.public_url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise AssertionError("the servers are not ready")

    def wait_http(self, url: str, timeout: float = 240) -> None:
        end = time.time() + timeout
        while time.time() < end:
            try:
                if requests.get(url, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise AssertionError(f"{url} not ready")

    # ------------------------------------------------------------------ servers
    def ctl(self, *args: str, timeout: float = 300) -> str:
        out = subprocess.run([str(ROOT / "scripts" / "run_prod.sh"), *args], cwd=ROOT, env=self.env,
                             capture_output=True, text=True, timeout=timeout)
        assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
        return out.stdout

    def kill(self, service: str) -> None:
        """SIGKILL a Python server of run_prod.sh (its whole process group), as a crash would."""
        pid = int((self.var_dir / "prod" / "run" / f"{service}.pid").read_text().split()[0])
        os.killpg(pid, signal.SIGKILL)
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)

    # ------------------------------------------------------------------ data
    def dossier(self, reference: str) -> Dict[str, Any]:
        out = subprocess.run([sys.executable, "-m", "bot", "dossiers", "show", reference, "--json"], cwd=ROOT,
                             env=self.env, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr[-2000:]
        return json.loads(out.stdout)

    def events(self, sender: str) -> List[Dict[str, Any]]:
        engine = sa.create_engine(self.env["TRACKER_DB_URL"])
        try:
            with engine.connect() as conn:
                rows = conn.execute(sa.text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"),
                                    {"s": sender}).all()
        finally:
            engine.dispose()
        return [{"type": r[0], **json.loads(r[1])} for r in rows]


def check_request_dossier(prod: Prod, reply: List[Dict[str, Any]], sender: str) -> Dict[str, Any]:
    """The last reply gives a reference; the stored dossier holds every answer of REQUEST."""
    found = REF_RE.search(texts(reply))
    assert found, texts(reply)
    doc = prod.dossier(found.group(1))
    req = doc["requester"]
    assert (req["matricule"], req["last_name"], req["first_name"], req["email"], req["residence_country"]) == \
        (MATRICULE, "Dupont", "Marie", "marie@example.lu", "LU"), req
    assert doc["fund"] == "CNS" and doc["status"] == "submitted"
    assert len(doc["persons"]) == 1
    person = doc["persons"][0]
    assert person["destination"] == "TN" and person["matricule"] == MATRICULE
    assert person["departure"].endswith("-04-03") and person["return"].endswith("-04-20")
    return doc
