"""``python -m bot serve-web``: the chat page, the widget and the hotline console (bot/web.py)."""
from __future__ import annotations

import argparse
import os


def cmd_serve(args) -> int:
    from bot import web

    web.serve(args.port, args.rasa_url)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("serve-web", help="serve the chat page, the widget and the hotline console")
    p.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", 8000)))
    p.add_argument("--rasa-url", default=os.environ.get("RASA_URL", "http://localhost:5005"))
    p.set_defaults(func=cmd_serve)
