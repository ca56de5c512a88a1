#!/usr/bin/env python3
"""Nothing is lost when the assistant restarts mid-request (SQLite tracker store under BOT_VAR_DIR).

Usage: check_resume.py before URL SENDER   -> plays the first half of a request
       check_resume.py after URL SENDER    -> (after a restart) plays the rest, checks the dossier
Prints one line 'N passed, N failed'.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import urllib.request

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
from bot.validators import matricule  # noqa: E402

NUMBER = matricule.generate("1988-08-08", 321)
DEP = dt.date.today() + dt.timedelta(days=30)
RET = DEP + dt.timedelta(days=14)
FIRST = ["Je voudrais l'attestation pour la Tunisie", "oui", "CNS", NUMBER]
SECOND = ["Reuter", "Nadine", "Luxembourg", "nadine@example.lu",
          f"du {DEP:%d/%m/%Y} au {RET:%d/%m/%Y}", "non", "oui"]


def send(url: str, sender: str, text: str) -> str:
    body = json.dumps({"sender": sender, "message": text}).encode()
    req = urllib.request.Request(url + "/webhooks/rest/webhook", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return "\n".join(r.get("text") or "" for r in json.loads(resp.read() or b"[]"))


def main() -> int:
    phase, url, sender = sys.argv[1:4]
    problems = []
    if phase == "before":
        for text in FIRST:
            reply = send(url, sender, text)
        if "nom de famille" not in reply:
            problems.append(f"before the restart the last name should be asked, got {reply!r}")
    else:
        reply = send(url, sender, SECOND[0])
        if "prénom" not in reply:
            problems.append(f"after the restart the first name should be asked, got {reply!r}")
        for text in SECOND[1:]:
            reply = send(url, sender, text)
        ref = re.search(r"\b20\d\d-[A-Z]\d{3}-[A-Z]\d{3}\b", reply)
        if not ref:
            problems.append(f"no reference at the end: {reply!r}")
        else:
            out = subprocess.run([sys.executable, "-m", "bot", "dossiers", "show", ref.group(0), "--json"],
                                 capture_output=True, text=True, check=True)
            doc = json.loads(out.stdout)
            if doc["requester"]["matricule"] != NUMBER or doc["persons"][0]["departure"] != DEP.isoformat():
                problems.append(f"dossier does not hold what was given before the restart: {doc}")
    for p in problems:
        print("  -", p)
    print(f"{int(not problems)} passed, {int(bool(problems))} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
