"""``python -m bot bench-nlu``: runs bench/bench_nlu.py (the benchmark lives beside
bench/bench_load.py, outside the package; the command is kept for habit and docs)."""
from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "bench_nlu.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_nlu", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cmd_bench(args) -> int:
    return _bench().cmd_bench(args)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("bench-nlu", help="measure language understanding on the held-out data")
    _bench().parser(p)
    p.set_defaults(func=cmd_bench)
