#!/usr/bin/env python3
"""Load benchmark: this assistant against the assistant `rasa init` creates, on this machine.

    .venv/bin/python bench/bench_load.py [--users 20] [--doc docs/benchmarks.md | --no-doc]

In one run, one assistant after the other (never both at once: 2 cores):

* this assistant: the model of `scripts/train.sh config.yml`, served by
  `scripts/run.sh` as `make run` starts it (one Rasa process running the
  custom actions, SQLite, the chat page) on bench ports, then (unless
  --no-action-server) with BOT_ACTIONS=server (the actions in rasa-sdk's
  action server, as in production); each conversation is the full
  certificate request (10 messages, ending with a dossier reference);
* the baseline: `rasa init`'s project (copied by Rasa's own scaffold into a
  temporary folder, trained there with the same venv), served by `rasa run`;
  each conversation is its greet/mood story (4 messages, "sad path 1" then
  goodbye).

Measured: training time (a fresh `rasa train` of each, into a temporary
folder), latency p50/p95 of one user sending messages one after the other,
messages per second and p95 of `--users` users at once each playing
`--messages-per-user` messages (whole conversations), errors (any non-200,
empty reply, or, for this assistant, no reference at the end: must be 0), and
the memory of each server process (RSS after the load and its peak, VmHWM).
Prints a table and writes it, with the command, into the `## Load` section of
docs/benchmarks.md. Loopback only; every loop is bounded.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
REF_RE = re.compile(r"\b\d{4}-[A-Z]\d{3}-[A-Z]\d{3}\b")
sys.path.insert(0, str(ROOT))


def request_script() -> List[str]:
    from bot.validators import matricule

    return ["Je voudrais l'attestation pour la Tunisie du 3 au 20 avril", "oui", "CNS",
            matricule.generate("1985-04-12"), "Dupont", "Marie", "Luxembourg", "marie@example.lu", "non", "oui"]


BASELINE_SCRIPT = ["hello", "I am very sad", "yes", "goodbye"]


# --------------------------------------------------------------------------- HTTP

def post(url: str, sender: str, text: str, timeout: float = 120) -> Tuple[float, Optional[list], Optional[str]]:
    """(seconds, reply, error)."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    req = urllib.request.Request(url + "/webhooks/rest/webhook", body, {"Content-Type": "application/json"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            data = json.loads(resp.read())
            status = resp.status
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return time.perf_counter() - start, None, f"{type(exc).__name__}: {exc}"
    elapsed = time.perf_counter() - start
    if status != 200:
        return elapsed, None, f"HTTP {status}"
    if not isinstance(data, list) or not data:
        return elapsed, data, "empty reply"
    return elapsed, data, None


def play(url: str, script: List[str], check_end: Optional[Callable[[list], bool]], prefix: str
         ) -> Tuple[List[float], List[str]]:
    """One whole conversation: latencies and errors."""
    sender = f"{prefix}-{uuid.uuid4().hex[:10]}"
    latencies, errors, reply = [], [], None
    for text in script:
        elapsed, reply, error = post(url, sender, text)
        latencies.append(elapsed)
        if error:
            errors.append(f"{text!r}: {error}")
    if check_end and reply is not None and not check_end(reply):
        errors.append(f"conversation did not end as expected: {json.dumps(reply, ensure_ascii=False)[:200]}")
    return latencies, errors


def pct(values: List[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1)))))
    return ordered[k]


def measure(url: str, script: List[str], check_end, users: int, per_user: int, sequential: int,
            label: str) -> Dict[str, float]:
    # warm-up: the first messages load lazily (language model, spaCy, PDF fonts)
    for _ in range(2):
        play(url, script, None, "warm")
    # one user, one message after the other
    seq_lat, seq_err = [], []
    conversations = max(1, -(-sequential // len(script)))
    for _ in range(conversations):
        lat, err = play(url, script, check_end, "seq")
        seq_lat += lat
        seq_err += err
    # `users` users at once, each playing whole conversations
    rounds = max(1, -(-per_user // len(script)))
    lat_all: List[float] = []
    err_all: List[str] = []
    lock = threading.Lock()

    def user(_: int) -> None:
        for _ in range(rounds):
            lat, err = play(url, script, check_end, "load")
            with lock:
                lat_all.extend(lat)
                err_all.extend(err)

    start = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        list(pool.map(user, range(users)))
    wall = time.perf_counter() - start
    for e in (seq_err + err_all)[:5]:
        print(f"  {label} error: {e}", file=sys.stderr)
    return {
        "seq_messages": len(seq_lat), "seq_p50_ms": pct(seq_lat, 50) * 1000, "seq_p95_ms": pct(seq_lat, 95) * 1000,
        "load_messages": len(lat_all), "load_seconds": wall, "load_msgs_per_s": len(lat_all) / wall,
        "load_p50_ms": pct(lat_all, 50) * 1000, "load_p95_ms": pct(lat_all, 95) * 1000,
        "errors": len(seq_err) + len(err_all), "conversation_messages": len(script),
    }


# --------------------------------------------------------------------------- processes

def _process(pid: str) -> Optional[Tuple[str, float, float]]:
    """(command line, RSS MB, peak RSS MB) of a process, None when it is gone."""
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    rss, hwm = (re.search(rf"{key}:\s+(\d+)", status) for key in ("VmRSS", "VmHWM"))
    return (cmd, int(rss.group(1)) / 1024, int(hwm.group(1)) / 1024) if rss and hwm else None


def memory(port_flags: Dict[str, str]) -> Dict[str, Tuple[float, float]]:
    """RSS and peak RSS (MB) of the processes whose command line holds each flag."""
    out = {}
    for name, flag in port_flags.items():
        procs = [_process(pid) for pid in os.listdir("/proc") if pid.isdigit()]
        found = [p for p in procs if p and flag in p[0] and "bench_load" not in p[0] and "python" in p[0]]
        out[name] = (sum(p[1] for p in found), sum(p[2] for p in found))
    return out


def memory_of_children(root: int, marker: str) -> Tuple[float, float]:
    """RSS and peak (MB) of the descendants of `root` whose command line holds `marker`."""
    parents: Dict[int, int] = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                parents[int(pid)] = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue

    def descends(pid: int) -> bool:
        ancestor = parents.get(pid)
        while ancestor and ancestor != root:
            ancestor = parents.get(ancestor)
        return ancestor == root

    found = [p for p in (_process(str(pid)) for pid in parents if descends(pid)) if p and marker in p[0]]
    return sum(p[1] for p in found), sum(p[2] for p in found)


def wait_http(url: str, proc: subprocess.Popen, limit: float = 300) -> None:
    end = time.time() + limit
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}) before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise RuntimeError(f"{url} not ready after {limit:.0f}s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)


def timed_train(cmd: List[str], cwd: Path, log: Path, env: Dict[str, str]) -> float:
    """Seconds of a training from nothing: an empty Rasa training cache of its own (Rasa otherwise
    reuses components trained earlier on this machine from ~/.rasa/cache)."""
    cache = Path(tempfile.mkdtemp(prefix="rasa-cache.", dir=log.parent))
    start = time.perf_counter()
    with open(log, "w") as fh:
        code = subprocess.run(cmd, cwd=cwd, env={**env, "RASA_CACHE_DIRECTORY": str(cache)}, stdout=fh, stderr=subprocess.STDOUT, timeout=1800).returncode
    if code != 0:
        raise RuntimeError(f"training failed, see {log}:\n" + log.read_text()[-2000:])
    return time.perf_counter() - start


# --------------------------------------------------------------------------- the two assistants

def train_this(env: Dict[str, str], work: Path) -> Tuple[str, float]:
    """The model `scripts/run.sh` serves, and the time of a fresh `rasa train` of the same inputs."""
    model = subprocess.run(["scripts/train.sh", "config.yml"], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=1800, check=True).stdout.strip().splitlines()[-1]
    print(f"this assistant: model {model}; timing a fresh training ...", file=sys.stderr)
    train_s = timed_train([str(VENV / "rasa"), "train", "--config", "config.yml", "--domain", "domain.yml",
                           "--data", "data", "--out", str(work / "models"), "--fixed-model-name", "bench"],
                          ROOT, work / "train-this.log", env)
    return model, train_s


def bench_this(args, work: Path, env: Dict[str, str], model: str, train_s: float, actions: str) -> Dict[str, object]:
    """`scripts/run.sh` with BOT_ACTIONS=inprocess (`make run`) or =server (rasa-sdk's action server)."""
    ports = {"RASA_PORT": str(args.port), "ACTION_PORT": str(args.port + 1), "WEB_PORT": str(args.port + 2)}
    var = work / f"var-{actions}"
    run_env = {**env, **ports, "BOT_VAR_DIR": str(var), "MODEL": model, "BOT_ACTIONS": actions}
    log = open(work / f"run-{actions}.log", "w")
    proc = subprocess.Popen(["scripts/run.sh"], cwd=ROOT, env=run_env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        url = f"http://127.0.0.1:{args.port}"
        wait_http(url + "/", proc)
        if actions == "server":
            wait_http(f"http://127.0.0.1:{args.port + 1}/health", proc)
        print(f"this assistant (actions: {actions}): measuring ...", file=sys.stderr)
        result = measure(url, request_script(), lambda reply: bool(REF_RE.search(json.dumps(reply))), args.users,
                         args.messages_per_user, args.sequential, "this")
        flags = {"Rasa": f"--port {args.port} ", "chat page": f"--port {args.port + 2} "}
        if actions == "server":
            flags["action server"] = f"--port {args.port + 1} "
        result["memory"] = memory(flags)
        result["memory"]["documents worker"] = memory_of_children(proc.pid, "multiprocessing.spawn")
    finally:
        stop(proc)
        log.close()
    result.update(train_s=train_s, model=model, actions=actions)
    return result


def bench_baseline(args, work: Path, env: Dict[str, str]) -> Dict[str, object]:
    project = work / "rasa-init"
    project.mkdir()
    subprocess.run([str(VENV / "python"), "-c", "from rasa.cli.scaffold import create_initial_project as c; "
                    f"c({str(project)!r})"], env=env, check=True, capture_output=True, timeout=300)
    print("baseline (rasa init): training ...", file=sys.stderr)
    train_s = timed_train([str(VENV / "rasa"), "train", "--out", "models", "--fixed-model-name", "baseline"],
                          project, work / "train-baseline.log", env)
    port = args.port + 10
    log = open(work / "baseline.log", "w")
    proc = subprocess.Popen([str(VENV / "rasa"), "run", "--model", "models/baseline.tar.gz", "--port", str(port),
                             "--interface", "127.0.0.1", "--credentials", "credentials.yml"], cwd=project, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_http(url + "/", proc)
        print("baseline (rasa init): measuring ...", file=sys.stderr)
        result = measure(url, BASELINE_SCRIPT, None, args.users, args.messages_per_user, args.sequential, "baseline")
        result["memory"] = memory({"Rasa": f"--port {port} "})
    finally:
        stop(proc)
        log.close()
    result.update(train_s=train_s, model="rasa init (DIET, TED, UnexpecTED, Memoization, Rule)")
    return result


# --------------------------------------------------------------------------- report

def table(columns: List[Tuple[str, Dict]], users: int) -> str:
    """One column per measured assistant; the ratio compares the first with the last (the baseline)."""
    first, base = columns[0][1], columns[-1][1]

    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}×" if b else "–"

    def row(label: str, key: str, fmt: str) -> Tuple:
        return (label, *[fmt.format(c[key]) for _, c in columns], ratio(first[key], base[key]))

    rows = [
        row("training time (fresh `rasa train`)", "train_s", "{:.1f} s"),
        row(f"1 user, sequential: p50 ({' / '.join(str(c['seq_messages']) for _, c in columns)} messages)",
            "seq_p50_ms", "{:.0f} ms"),
        row("1 user, sequential: p95", "seq_p95_ms", "{:.0f} ms"),
        row(f"{users} users at once: messages/s ({' / '.join(str(c['load_messages']) for _, c in columns)} messages)",
            "load_msgs_per_s", "{:.1f}"),
        row(f"{users} users at once: p50", "load_p50_ms", "{:.0f} ms"),
        row(f"{users} users at once: p95", "load_p95_ms", "{:.0f} ms"),
        ("errors", *[str(c["errors"]) for _, c in columns], ""),
    ]
    for name in ("Rasa", "action server", "documents worker", "chat page"):
        cells = [c["memory"].get(name) if (c["memory"].get(name) or (0,))[0] else None for _, c in columns]
        rows.append((f"memory: {name} (RSS after the load / peak)",
                     *[f"{m[0]:.0f} / {m[1]:.0f} MB" if m else "–" for m in cells],
                     ratio(cells[0][0], cells[-1][0]) if cells[0] and cells[-1] else ""))
    totals = [sum(v[0] for v in c["memory"].values()) for _, c in columns]  # every process of each
    rows.append(("memory: all processes (RSS)", *[f"{t:.0f} MB" for t in totals], ratio(totals[0], totals[-1])))
    lines = ["| | " + " | ".join(name for name, _ in columns) + " | ratio |",
             "|---|" + "---|" * (len(columns) + 1)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def machine() -> str:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", open("/proc/meminfo").read()).group(1))
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, AttributeError):
        pass
    return f"{os.cpu_count()} cores ({cpu or platform.machine()}){mem}, Python {platform.python_version()}"


def section(this: Dict, server: Optional[Dict], base: Dict, args, command: str) -> str:
    from importlib.metadata import version

    today = dt.date.today().isoformat()
    columns = [("this assistant (`make run`)", this)]
    if server:
        columns.append(("this assistant, separate action server", server))
    columns.append(("`rasa init` baseline", base))
    server_line = ("\n- **this assistant, separate action server**: the same with `BOT_ACTIONS=server`: the "
                   "actions in rasa-sdk's action server, called over HTTP, as the production profile runs them "
                   "(for comparison; not a target)." if server else "")
    return f"""## Load

Command: `{command}` (`make bench-load`). Measured on {today}, {machine()}, Rasa {version('rasa')}, one assistant after the other on loopback, REST channel.

- **this assistant (`make run`)**: `scripts/train.sh config.yml` ({this['model']}), started by `scripts/run.sh`: one Rasa process running the custom actions inside it (`bot/rasa/server.py`), the SQLite tracker store (`bot/rasa/stores.py`), and the chat page; each conversation is the full certificate request ({this['conversation_messages']} messages, from the opening sentence to the dossier reference; the last one stores the dossier, writes its PDF and the confirmation e-mail).{server_line}
- **baseline**: the assistant `rasa init --no-prompt` creates, trained in a temporary folder with the same venv and served by `rasa run` (in-memory tracker store, no action server); each conversation is its greet/mood story ({base['conversation_messages']} messages: hello, I am very sad, yes, goodbye).
- *1 user*: one conversation after the other, each message sent when the previous answer arrived; *{args.users} users at once*: {args.users} threads each playing whole conversations ({this['load_messages'] // args.users} / {base['load_messages'] // args.users} messages each), messages/s = all messages / wall time. Two warm-up conversations first. Errors = non-200, empty reply, or (this assistant) no reference at the end; required: 0.
- Training time: a `rasa train` of each into a temporary folder, with an empty training cache of its own. Memory: RSS of each server process after the load, and its peak (VmHWM).

{table(columns, args.users)}

Ratio = this assistant (`make run`) / baseline: above 1 means more time, more memory, or (messages/s) more throughput. Targets of issue 8: p50 for one user no higher than the baseline's, messages/s under {args.users} users at least the baseline's, zero errors, training under 5 minutes. The p95 of this assistant includes the last turn of each request (dossier stored, PDF and e-mail written).
"""


def write_section(doc: Path, text: str) -> None:
    """Replace the `## Load` section (up to the next `## ` heading) or append it; the rest is kept."""
    current = doc.read_text(encoding="utf-8") if doc.exists() else ""
    pattern = re.compile(r"^## Load\b.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        new = pattern.sub(lambda _: text.rstrip("\n") + "\n\n", current, count=1).rstrip("\n") + "\n"
    else:
        new = (current.rstrip("\n") + "\n\n" if current.strip() else "") + text
    tmp = doc.with_suffix(".md.tmp")
    tmp.write_text(new, encoding="utf-8")
    tmp.replace(doc)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--messages-per-user", type=int, default=20,
                        help="messages each concurrent user sends (whole conversations, rounded up)")
    parser.add_argument("--sequential", type=int, default=100, help="messages of the one-user measure")
    parser.add_argument("--port", type=int, default=5650, help="first port (this assistant: +0..2, baseline: +10)")
    parser.add_argument("--doc", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--no-doc", action="store_true", help="print only")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--no-action-server", action="store_true",
                        help="skip the measure of the layout with a separate action server")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 200 or not 1 <= args.messages_per_user <= 1000 or not 1 <= args.sequential <= 5000:
        parser.error("values out of range")
    command = ".venv/bin/python bench/bench_load.py" + "".join(
        f" {a}" for a in (argv if argv is not None else sys.argv[1:]))

    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"}
    for name in ("BOT_DATABASE_URL", "TRACKER_DB", "TRACKER_DB_URL", "SMTP_HOST", "MODEL"):
        env.pop(name, None)
    work = Path(tempfile.mkdtemp(prefix="cns-bench-load."))
    try:
        model, train_s = train_this(env, work)
        this = bench_this(args, work, env, model, train_s, "inprocess")
        server = None if args.no_action_server else bench_this(args, work, env, model, train_s, "server")
        base = bench_baseline(args, work, env)
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    text = section(this, server, base, args, command)
    print(text)
    if not args.no_doc:
        write_section(Path(args.doc), text)
        print(f"written to {args.doc}", file=sys.stderr)
    if this["errors"] or base["errors"] or (server or {}).get("errors"):
        print("errors during the load: the figures do not count", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
