"""``python -m bot feedback report`` and ``python -m bot review``: what people thought of the help
(bot/dossier/feedback.py) and the messages the assistant did not understand (bot/dossier/review.py)."""
from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any, Dict

from bot.dossier import feedback, review


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError("a date YYYY-MM-DD") from None


def _share(group: Dict[str, Any]) -> str:
    share = group.get("positive_share")
    return "-" if share is None else f"{round(share * 100)} %"


def cmd_report(args) -> int:
    figures = feedback.report(args.since)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return 0
    print(f"ratings{' since ' + args.since.isoformat() if args.since else ''}: {figures['count']}, "
          f"positive {_share(figures)}")
    for title, key in (("per language", "by_language"), ("per topic", "by_topic")):
        print(f"\n{title}:")
        print(f"  {'':24} {'count':>6} {'positive':>9}")
        for name, group in figures[key].items():
            print(f"  {name:24} {group['count']:>6} {_share(group):>9}")
    if figures["comments"]:
        print("\ncomments:")
        for c in figures["comments"]:
            print(f"  {c['on']} {c['language']} {c['topic']} {'+' if c['score'] else '-'} {c['comment']}")
    return 0


def cmd_review(args) -> int:
    rows = review.listing(args.since)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        print(f"{row['at']}  {row['language']}  {row['step']:<20} {row['kind']:<8} {row['text']}")
    print(f"{len(rows)} message(s)")
    return 0


def register(subparsers) -> None:
    fb = subparsers.add_parser("feedback", help="ratings of the help given")
    fb_sub = fb.add_subparsers(dest="feedback_command", metavar="ACTION")
    fb_sub.required = True
    rep = fb_sub.add_parser("report", help="count and share positive, per language and per topic")
    rep.add_argument("--since", type=_date, help="only ratings from this day on (YYYY-MM-DD)")
    rep.add_argument("--json", action="store_true")
    rep.set_defaults(func=cmd_report)

    rv = subparsers.add_parser("review", help="messages that ended in a fallback, a re-ask or a handoff (masked)")
    rv.add_argument("--since", type=_date, help="only messages from this day on (YYYY-MM-DD)")
    rv.add_argument("--json", action="store_true")
    rv.set_defaults(func=cmd_review)
