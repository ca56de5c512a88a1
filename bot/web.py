"""`python -m bot serve-web`: serve the chat page in web/ and its configuration."""
from __future__ import annotations

import argparse
import functools
import json
import os
import re
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent.parent / "web"


class Handler(SimpleHTTPRequestHandler):
    rasa_url = "http://localhost:5005"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = self.path.split("?")[0]
        if path.startswith("/documents/"):
            self._document(path)
            return
        if path == "/config.js":
            body = ("window.CHAT_CONFIG = " + json.dumps({"rasaUrl": self.rasa_url}) + ";\n").encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/javascript; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def _document(self, path: str) -> None:
        """A dossier's PDF, by its random token: /documents/<token>/<file>.pdf"""
        from bot.documents import var_dir

        parts = path.split("/")
        ok = len(parts) == 4 and re.fullmatch(r"[A-Za-z0-9_-]{16,64}", parts[2]) \
            and re.fullmatch(r"[A-Z0-9-]{1,40}\.pdf", parts[3])
        file = var_dir() / "documents" / parts[2] / parts[3] if ok else None
        if not file or not file.is_file():
            self.send_error(404)
            return
        body = file.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Disposition", f'attachment; filename="{parts[3]}"')
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

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
