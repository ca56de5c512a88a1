"""Command line: ``python -m bot <command> ...``, one module per command group.

Each entry of ``SUBCOMMANDS`` is "module:function"; the function receives the
``subparsers`` object of the top-level parser, adds its own parser(s) and sets
``func`` (a callable taking the parsed ``args`` and returning an exit code) with
``set_defaults``. The domain modules know nothing of argparse: the commands
live here and call them.

    rules.py     python -m bot rules explain|resolve|find
    dossiers.py  python -m bot dossiers list|show|pdf|produce-pending|set-status
    privacy.py   python -m bot privacy purge|erase
    feedback.py  python -m bot feedback report, python -m bot review
    hotline.py   python -m bot hotline-hash-password
    web.py       python -m bot serve-web
    bench.py     python -m bot bench-nlu (runs bench/bench_nlu.py)
"""

from __future__ import annotations

import argparse
import importlib
from typing import Callable, Sequence

SUBCOMMANDS: tuple[str, ...] = (
    "bot.cli.rules:register",
    "bot.cli.dossiers:register",
    "bot.cli.web:register",
    "bot.cli.hotline:register",
    "bot.cli.bench:register",
    "bot.cli.privacy:register",
    "bot.cli.feedback:register",
)


def _load(spec: str) -> Callable:
    module_name, _, func_name = spec.partition(":")
    return getattr(importlib.import_module(module_name), func_name or "register")


def build_parser(subcommands: Sequence[str] | None = None) -> argparse.ArgumentParser:
    if subcommands is None:
        subcommands = SUBCOMMANDS
    parser = argparse.ArgumentParser(prog="python -m bot", description="CNS stay-abroad assistant tools")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for spec in subcommands:
        _load(spec)(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)
