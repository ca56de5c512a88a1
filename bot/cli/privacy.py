"""``python -m bot privacy purge|erase``: retention and erasure of personal data (bot/dossier/privacy.py)."""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Dict

from bot.dossier import privacy


def _print(report: Dict[str, Any]) -> None:
    print(json.dumps(report, ensure_ascii=False, indent=2))


def _with_env(args) -> None:
    if getattr(args, "var_dir", None):
        os.environ["BOT_VAR_DIR"] = args.var_dir


def _run(action, args) -> int:
    """Run purge or erase with the command's options; JSON report, or the error with exit 2."""
    _with_env(args)
    target = args.older_than_days if action is privacy.purge else args.matricule
    try:
        report = action(target, dry_run=args.dry_run, database_url=args.database_url,
                        tracker=args.tracker_url or "env")
    except ValueError as exc:
        print(json.dumps({"error": str(exc)}), file=sys.stderr)
        return 2
    _print(report)
    return 0


def cmd_purge(args) -> int:
    return _run(privacy.purge, args)


def cmd_erase(args) -> int:
    return _run(privacy.erase, args)


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError("a whole number of days") from None
    if days < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return days


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("privacy", help="personal data: retention and erasure")
    sub = parser.add_subparsers(dest="privacy_command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--dry-run", action="store_true", help="count only, delete nothing")
        p.add_argument("--database-url", help="dossier database (default: BOT_DATABASE_URL)")
        p.add_argument("--tracker-url", help="Rasa's SQL tracker store (default: TRACKER_DB_URL or TRACKER_DB)")
        p.add_argument("--var-dir", help="folder of documents/, uploads/, outbox/ (default: BOT_VAR_DIR)")

    p = sub.add_parser("purge", help="delete dossiers, handoff cases and conversations older than N days")
    p.add_argument("--older-than-days", type=_days, required=True, metavar="N")
    common(p)
    p.set_defaults(func=cmd_purge)

    p = sub.add_parser("erase", help="erase one person's data everywhere (by identification number)")
    p.add_argument("--matricule", required=True, help="the 13-digit identification number")
    common(p)
    p.set_defaults(func=cmd_erase)
