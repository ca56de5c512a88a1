"""`python -m bot serve-web`: serve the chat page in web/ and its configuration."""
from __future__ import annotations

import argparse
import functools
import json
import os
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent.parent / "web"


class Handler(SimpleHTTPRequestHandler):
    rasa_url = "http://localhost:5005"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path.split("?")[0] == "/config.js":
            body = ("window.CHAT_CONFIG = " + json.dumps({"rasaUrl": self.rasa_url}) + ";\n").encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/javascript; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy",
                         f"default-src 'self'; connect-src 'self' {self.rasa_url} "
                         f"{self.rasa_url.replace('http', 'ws', 1)}")
        super().end_headers()

    def log_message(self, fmt: str, *args) -> None:  # quieter, no query strings
        print("web:", self.command, self.path.split("?")[0], flush=True)


def serve(port: int, rasa_url: str) -> None:
    handler = functools.partial(type("H", (Handler,), {"rasa_url": rasa_url}), directory=str(WEB_DIR))
    server = ThreadingHTTPServer((os.environ.get("WEB_HOST", "127.0.0.1"), port), handler)
    print(f"chat page on http://localhost:{port}", flush=True)
    server.serve_forever()


def cmd_serve(args) -> int:
    serve(args.port, args.rasa_url)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("serve-web", help="serve the chat page")
    p.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", 8000)))
    p.add_argument("--rasa-url", default=os.environ.get("RASA_URL", "http://localhost:5005"))
    p.set_defaults(func=cmd_serve)
