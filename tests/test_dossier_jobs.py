"""The background worker (bot/dossier/jobs.py) does not outlive the process that started it
(issue 15, finding 8: after a crash of the Rasa process the worker lived on, ~110 MB)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STARTER = """
import os, sys, time
from bot.dossier import jobs
print(jobs._get_pool().submit(os.getpid).result(120), flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in state  # a zombie is gone, only not yet reaped


def test_the_worker_exits_when_its_parent_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", STARTER], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "BOT_BACKGROUND": "1"}, start_new_session=True)
    worker = None
    try:
        worker = int(parent.stdout.readline())
        assert worker != parent.pid and _alive(worker)
        os.kill(parent.pid, signal.SIGKILL)  # a crash: no atexit, no cleanup
        parent.wait(10)
        deadline = time.monotonic() + 15
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(worker), "the worker outlived its parent"
    finally:
        for pid in (parent.pid, worker):
            if pid:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
