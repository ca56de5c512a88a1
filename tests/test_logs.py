"""Issue 15, finding 7 (and the bind address of finding 8): `make run` masks personal data in
its logs as production does, and keeps the logs of earlier runs instead of overwriting them."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBER = "1985041212393"
EMAIL = "marie.dupont@example.lu"


def test_each_start_keeps_the_previous_logs_up_to_a_bound(tmp_path):
    for run in range(1, 8):
        subprocess.run([str(ROOT / "scripts/rotate_logs.sh"), str(tmp_path), "rasa.log", "web.log"], check=True,
                       env={**os.environ, "BOT_LOG_KEEP": "3"})
        (tmp_path / "rasa.log").write_text(f"run {run}\n")
    assert (tmp_path / "rasa.log").read_text() == "run 7\n"
    assert [(tmp_path / f"rasa.log.{i}").read_text() for i in (1, 2, 3)] == ["run 6\n", "run 5\n", "run 4\n"]
    assert not (tmp_path / "rasa.log.4").exists() and not (tmp_path / "web.log.1").exists()


def test_run_sh_rotates_masks_and_binds_loopback():
    script = (ROOT / "scripts/run.sh").read_text()
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("#"))
    assert re.search(r"rotate_logs\.sh \"\$BOT_VAR_DIR/logs\" rasa\.log web\.log actions\.log", code)
    assert not re.search(r"[^>]>\"\$BOT_VAR_DIR/logs", code), "a log is truncated at start"
    assert code.index("rotate_logs.sh") < code.index("bot.rasa.server")
    assert "RASA_HOST=${RASA_HOST:-127.0.0.1}" in code and '--interface "$RASA_HOST"' in code
    assert code.count('--logging-config-file "$logging_config"') == 2 and "logging_config=deploy/logging.yml" in code


SERVER = f"""
import logging, sys
from bot.rasa import server

def fake_serve(args, package):
    logging.getLogger("rasa.core.processor").warning(
        "unusual metadata %s", {{"email": "{EMAIL}", "matricule": "{NUMBER}", "req_last_name": "Dupont"}})
    logging.getLogger("rasa.core.channels").info("from %s: {NUMBER[:4]} {NUMBER[4:8]} {NUMBER[8:]}", "{EMAIL}")

server._serve = fake_serve
server.main(["--model", "none"])  # masked even without deploy/logging.yml
"""


def _clear(text: str):
    spaced = re.sub(r"\D", "", text)
    return [x for x in (NUMBER, EMAIL, "Dupont") if x in text] + ([NUMBER] if NUMBER in spaced else [])


def test_the_rasa_server_of_make_run_masks_its_logs():
    out = subprocess.run([sys.executable, "-c", SERVER], cwd=ROOT, capture_output=True, text=True, timeout=240,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"})
    logged = out.stdout + out.stderr
    assert "unusual metadata" in logged and "<matricule>" in logged, logged[-2000:]
    assert _clear(logged) == [], logged[-2000:]


def test_the_chat_page_server_masks_its_logs(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve-web", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "BOT_VAR_DIR": str(tmp_path)})
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/documents/{EMAIL}/{NUMBER}.pdf", timeout=5)
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.3)
    finally:
        proc.terminate()
        logged = proc.communicate(timeout=20)[0]
    assert "web: GET" in logged, logged
    assert _clear(logged) == [], logged
