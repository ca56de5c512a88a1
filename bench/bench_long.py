#!/usr/bin/env python3
"""Long messages against the running assistant (issue 15, finding 1).

    .venv/bin/python bench/bench_long.py [--kb 100] [--seconds 40] [--root DIR] [--url URL]

Starts the assistant as `make run` does (scripts/run.sh of --root, default this
checkout, on bench ports with a temporary BOT_VAR_DIR; MODEL from the
environment or scripts/train.sh), or uses --url, then prints:

* refuse: the time to answer one message of --kb kilobytes on the REST
  channel (median and max of --repeat sends; target < 50 ms);
* another user: p50/p95/max latency of a second user sending short messages
  one after the other for --seconds, first alone, then while a third sends
  --kb messages one after the other (target: p95 unchanged).

Loopback only; every request has a timeout (--timeout), a request that times
out counts as that long.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
SHAPES = {"prose": "Bonjour, je pars au Maroc le 3 mai avec mon fils, marie@example.lu. ", "word": "x"}
SHORT = ["Bonjour", "Quel formulaire pour le Maroc ?", "Et pour la Tunisie ?", "Merci"]


def post(url: str, sender: str, text: str, timeout: float) -> Tuple[float, Optional[list]]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    req = urllib.request.Request(url + "/webhooks/rest/webhook", body, {"Content-Type": "application/json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            reply = json.loads(resp.read())
    except (urllib.error.URLError, OSError, ValueError):
        reply = None
    return time.perf_counter() - started, reply


def pct(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))]


def other_user(url: str, seconds: float, timeout: float, attacker: Optional[Tuple[str, float]] = None):
    """Latencies of a user sending short messages for `seconds`, with an attacker if given."""
    stop = threading.Event()
    sent = [0]

    def attack() -> None:
        text, _ = attacker
        sender = "bench-long-" + uuid.uuid4().hex[:8]
        while not stop.is_set():
            post(url, sender, text, timeout)
            sent[0] += 1

    thread = None
    if attacker:
        thread = threading.Thread(target=attack, daemon=True)
        thread.start()
        time.sleep(0.2)
    sender = "bench-user-" + uuid.uuid4().hex[:8]
    latencies: List[float] = []
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        elapsed, _ = post(url, sender, SHORT[i % len(SHORT)], timeout)
        latencies.append(elapsed)
        i += 1
    stop.set()
    if thread:
        thread.join(timeout + 5)
    return latencies, sent[0]


def wait_ready(url: str, proc: subprocess.Popen, limit: float = 400) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit("the assistant stopped while starting; see its log")
        try:
            with urllib.request.urlopen(url + "/", timeout=2):
                pass
            elapsed, reply = post(url, "bench-warm", "Bonjour", 120)
            if reply:
                return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1)
    raise SystemExit("the assistant did not start in time")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kb", type=int, default=100, help="size of the long message (kilobytes)")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="prose",
                        help="prose (sentences with a date and an e-mail) or word (one word, no blank)")
    parser.add_argument("--repeat", type=int, default=5, help="long messages timed alone")
    parser.add_argument("--seconds", type=float, default=40, help="duration of each p95 run")
    parser.add_argument("--timeout", type=float, default=150, help="per request")
    parser.add_argument("--root", default=str(ROOT), help="the checkout whose scripts/run.sh is started")
    parser.add_argument("--url", help="an assistant already running (nothing is started)")
    parser.add_argument("--port", type=int, default=5215, help="Rasa port of the started assistant")
    args = parser.parse_args(argv)

    proc = None
    work = None
    url = args.url
    if not url:
        root = Path(args.root)
        work = Path(tempfile.mkdtemp(prefix="bench-long-"))
        env = {**os.environ, "RASA_PORT": str(args.port), "WEB_PORT": str(args.port + 1),
               "ACTION_PORT": str(args.port + 2), "BOT_VAR_DIR": str(work)}
        if not env.get("MODEL"):
            env["MODEL"] = str(ROOT / subprocess.run(["scripts/train.sh", "config.yml"], cwd=ROOT, check=True,
                                                     capture_output=True, text=True).stdout.strip())
        log = open(work / "run.log", "w")
        proc = subprocess.Popen(["scripts/run.sh"], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        url = f"http://127.0.0.1:{args.port}"
    try:
        if proc:
            wait_ready(url, proc)
        long_text = (SHAPES[args.shape] * (args.kb * 1000 // len(SHAPES[args.shape]) + 1))[:args.kb * 1000]
        times = []
        for _ in range(args.repeat):
            elapsed, reply = post(url, "bench-long-" + uuid.uuid4().hex[:8], long_text, args.timeout)
            times.append(elapsed)
        print(f"refuse a {args.kb} KB message ({args.shape}): median {statistics.median(times) * 1000:.1f} ms, "
              f"max {max(times) * 1000:.1f} ms ({args.repeat} sends; target < 50 ms); "
              f"answer: {json.dumps(reply, ensure_ascii=False)[:160] if reply else 'none (timeout or error)'}")
        alone, _ = other_user(url, args.seconds, args.timeout)
        loaded, sent = other_user(url, args.seconds, args.timeout, (long_text, args.kb))
        for label, lat in (("alone", alone), (f"with {args.kb} KB messages ({sent} sent)", loaded)):
            print(f"another user, {label}: {len(lat)} messages, p50 {pct(lat, .5) * 1000:.0f} ms, "
                  f"p95 {pct(lat, .95) * 1000:.0f} ms, max {max(lat) * 1000:.0f} ms")
    finally:
        if proc:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(proc.pid, signal.SIGKILL)
        if work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
