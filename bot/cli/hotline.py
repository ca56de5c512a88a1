"""``python -m bot hotline-hash-password``: a hotline agent's password hash for ``HOTLINE_AGENTS``."""
from __future__ import annotations

import argparse
import getpass
import sys

from bot.hotline import passwords


def cmd_hash_password(args) -> int:
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Again: "):
            print("the passwords differ", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 8:
        print("use at least 8 characters", file=sys.stderr)
        return 1
    hashed = passwords.hash_password(password, iterations=args.iterations)
    print(f"{args.agent}:{hashed}" if args.agent else hashed)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "hotline-hash-password",
        help="hash a hotline agent's password for HOTLINE_AGENTS (reads it from the terminal or stdin)")
    p.add_argument("--agent", help="print NAME:HASH, ready for HOTLINE_AGENTS")
    p.add_argument("--iterations", type=int, default=passwords.PBKDF2_ITERATIONS, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_hash_password)
