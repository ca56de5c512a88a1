"""`make bench-nlu` (= `python bench/bench_nlu.py` = `python -m bot bench-nlu`): language
understanding measured per language on held-out data.

Trains (or reuses) the model of config.yml on data/ only, then reads
tests/nlu/heldout_<lang>.yml (never trained on) and prints, per language:
intent accuracy and macro-F1, entity precision/recall/F1 per entity type, date
normalisation accuracy, language identification accuracy (four words or more,
and on one- to three-word messages: how often the detector commits and how often
it is right when it does), the time to parse one message (median, p95), and how
many held-out messages also occur word for word in the training data (with the
intent macro-F1 on the others). Entity, intent and language misses go to stderr.
Relative dates in the held-out files are written for today = 2026-11-23.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.text import LANGS  # noqa: E402
TODAY = dt.date(2026, 11, 23)
ENTITY_TYPES = ("country", "date", "date_range", "duration", "matricule", "email", "fund", "relation", "profile")


def _load(lang: str, split: str = "heldout"):
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(ROOT / "tests" / "nlu" / f"{split}_{lang}.yml")).nlu_examples


def _overlap(lang: str, texts: List[str]) -> List[bool]:
    """Which held-out messages also appear, word for word (after folding), in the training data:
    short common messages ("yes", "hello") written independently by both sides."""
    import re

    from rasa.shared.nlu.training_data.loading import load_data

    from bot.text import fold

    def key(text: str) -> str:
        return re.sub(r"\W+", " ", fold(text)).strip()

    trained = {key(ex.get("text")) for f in sorted((ROOT / "data" / lang).glob("*.yml"))
               for ex in load_data(str(f)).nlu_examples}
    return [key(t) in trained for t in texts]


def _macro_f1(gold: List[str], pred: List[str]) -> float:
    labels = sorted(set(gold))
    scores = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, pred))
        fp = sum(p == label and g != label for g, p in zip(gold, pred))
        fn = sum(g == label and p != label for g, p in zip(gold, pred))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def _entity_counts(examples, lang_of) -> Tuple[Dict[str, Counter], Tuple[int, int]]:
    from bot import extraction

    counts: Dict[str, Counter] = defaultdict(Counter)
    dates_ok = dates_all = 0
    for ex in examples:
        text = ex.get("text")
        gold = Counter((e["entity"], str(e["value"])) for e in ex.get("entities") or [] if e["entity"] in ENTITY_TYPES)
        found = extraction.extract(text, lang_of(text), TODAY)
        pred = Counter((e["entity"], str(e["value"])) for e in found if e["entity"] in ENTITY_TYPES)
        if gold != pred:
            missed = sorted((gold - pred).elements())
            extra = sorted((pred - gold).elements())
            print(f"  entity miss: {text!r}: missed {missed} extra {extra}", file=sys.stderr)
        for key in gold | pred:
            tp = min(gold[key], pred[key])
            counts[key[0]]["tp"] += tp
            counts[key[0]]["fp"] += pred[key] - tp
            counts[key[0]]["fn"] += gold[key] - tp
        for e in ex.get("entities") or []:
            if e["entity"] in ("date", "date_range", "duration"):
                dates_all += 1
                spans = [f for f in found if f["start"] < e["end"] and e["start"] < f["end"]]
                dates_ok += any(str(f["value"]) == str(e["value"]) for f in spans)
    return counts, (dates_ok, dates_all)


def _prf(c: Counter) -> Tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _model() -> str:
    out = subprocess.run([str(ROOT / "scripts" / "train.sh"), "config.yml"], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


async def _parse_all(model: str, texts: List[str]) -> Tuple[List[dict], List[float]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(ROOT / model))
    await agent.parse_message("warm up")
    results, times = [], []
    for text in texts:
        t0 = time.perf_counter()
        results.append(await agent.parse_message(text))
        times.append(time.perf_counter() - t0)
    return results, times


def run(model: str, split: str = "heldout") -> List[str]:
    from bot import language

    lines = [
        "| language | messages | intent accuracy | intent macro-F1 | date normalisation | language id (≥4 words) "
        "| language id 1–3 words: commits / right when committed | parse median | parse p95 "
        "| also in training data | intent macro-F1 on the others |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    entity_lines = ["| language | entity | precision | recall | F1 | support |", "|---|---|---|---|---|---|"]
    for lang in LANGS:
        examples = _load(lang, split)
        texts = [ex.get("text") for ex in examples]
        parsed, times = asyncio.run(_parse_all(model, texts))
        gold = [ex.get("intent") for ex in examples]
        pred = [(p.get("intent") or {}).get("name") for p in parsed]
        acc = sum(g == p for g, p in zip(gold, pred)) / len(gold)
        seen = _overlap(lang, texts)
        f1 = _macro_f1(gold, pred)
        long_ok = long_n = short_commit = short_right = short_n = 0
        for text in texts:
            words = len(language.WORD.findall(language.NOT_WORDS.sub(" ", text)))
            detection = language.detect(text)
            # a request for another language is right when it yields the requested language
            found = lang if detection.how == "request" else detection.lang
            if words >= 4:
                long_n += 1
                long_ok += found == lang
                if found != lang:
                    print(f"  {lang} language miss: {text!r} -> {found}", file=sys.stderr)
            else:
                short_n += 1
                short_commit += found is not None
                short_right += found == lang
        counts, (dates_ok, dates_all) = _entity_counts(examples, lambda t: language.detect(t).lang)
        times_ms = sorted(t * 1000 for t in times)
        p95 = times_ms[min(len(times_ms) - 1, int(len(times_ms) * 0.95))]
        lines.append(
            f"| {lang} | {len(examples)} | {acc:.3f} | {f1:.3f} | "
            f"{dates_ok / dates_all if dates_all else 1:.3f} ({dates_ok}/{dates_all}) | "
            f"{long_ok / long_n if long_n else 1:.3f} ({long_n}) | "
            f"{short_commit}/{short_n} / {short_right / short_commit if short_commit else 1:.3f} | "
            f"{statistics.median(times_ms):.1f} ms | {p95:.1f} ms | {sum(seen)} | "
            f"{_macro_f1([g for g, o in zip(gold, seen) if not o], [p for p, o in zip(pred, seen) if not o]):.3f} |")
        for etype in ENTITY_TYPES:
            c = counts.get(etype)
            if not c or not (c["tp"] + c["fn"]):
                continue
            p, r, f = _prf(c)
            entity_lines.append(f"| {lang} | {etype} | {p:.3f} | {r:.3f} | {f:.3f} | {c['tp'] + c['fn']} |")
        errors = [(t, g, p) for t, g, p in zip(texts, gold, pred) if g != p]
        for text, g, p in errors[:40]:
            print(f"  {lang} intent miss: {text!r}: {g} -> {p}", file=sys.stderr)
    return lines + [""] + entity_lines


def cmd_bench(args) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.disable(logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # otherwise Rasa's structlog prints every parse on stdout
    model = args.model or _model()
    table = run(model, args.split)
    print(f"model: {model}")
    print("\n".join(table))
    return 0


def parser(p: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """The options of the benchmark (also those of ``python -m bot bench-nlu``, bot/cli/bench.py)."""
    p = p or argparse.ArgumentParser(prog="bench/bench_nlu.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--model", help="a trained model (default: train or reuse the one of config.yml)")
    p.add_argument("--split", default="heldout",
                   help="tests/nlu/<split>_<lang>.yml (default: heldout, the set that is reported)")
    return p


if __name__ == "__main__":
    sys.exit(cmd_bench(parser().parse_args()))
