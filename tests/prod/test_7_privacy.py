"""`python -m bot privacy` on the production databases (PostgreSQL): erase one person, purge dry run."""
import json
import subprocess
import sys
import time

from bot.validators import matricule
from tests.prod.util import REF_RE, REQUEST, ROOT, new_sender, texts

PERSON = matricule.generate("1990-07-15", serial=321)


def _privacy(prod, *args):
    out = subprocess.run([sys.executable, "-m", "bot", "privacy", *args], cwd=ROOT, env=prod.env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


def test_erase_a_person_from_postgresql(prod):
    sender = new_sender("erase")
    answers = [PERSON if a == REQUEST[3] else a for a in REQUEST]
    replies = prod.converse(sender, answers, [prod.public_url])
    reference = REF_RE.search(texts(replies[-1])).group(1)
    assert prod.dossier(reference)["requester"]["matricule"] == PERSON
    token = prod.dossier(reference)["download_token"]
    for _ in range(60):  # the PDFs are written by the background worker (bot/dossier/jobs.py)
        if prod.dossier(reference).get("documents_ready", True):
            break
        time.sleep(0.2)
    assert (prod.var_dir / "documents" / token).is_dir()

    dry = _privacy(prod, "erase", "--matricule", PERSON, "--dry-run")
    assert dry["dossiers"] == 1 and dry["tracker_conversations"] >= 1
    assert "postgresql" in dry["tracker_store"] and "***" in dry["tracker_store"]

    report = _privacy(prod, "erase", "--matricule", PERSON)
    assert report["references"] == [reference]
    assert report["tracker_conversations"] >= 1 and report["tracker_events"] > 0 and report["documents"] == 1
    assert not prod.events(sender)
    assert not (prod.var_dir / "documents" / token).exists()
    out = subprocess.run([sys.executable, "-m", "bot", "dossiers", "show", reference, "--json"], cwd=ROOT,
                         env=prod.env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    # the conversation can start again from scratch
    assert prod.say(prod.public_url, sender, "Bonjour")


def test_purge_runs_on_postgresql(prod):
    dry = _privacy(prod, "purge", "--older-than-days", "0", "--dry-run")
    assert dry["dossiers"] > 0 and dry["tracker_events"] > 0   # everything is older than now
    kept = _privacy(prod, "purge", "--older-than-days", "3650")
    assert kept["dossiers"] == kept["tracker_events"] == kept["handoff_cases"] == 0
