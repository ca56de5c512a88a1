"""`python -m bot serve-web`: the chat page, the embeddable widget, uploads and the hotline console.

Routes (stdlib http.server, one thread per request):

    GET  /                                the demo page (it embeds the widget with one script tag)
    GET  /widget.js, /widget.css, /i18n.js, /socket.io.min.js, /console.css, ...
                                          files of web/ (no listing, no sub-folders)
    GET  /config.js                       window.CHAT_CONFIG = {"rasaUrl": ...}
    GET  /documents/<token>/<file>.pdf    a dossier's PDF (bot/documents.py)
    POST /upload                          a file from the widget (bot/uploads.py); raw body with
                                          X-Sender-Id and X-Filename (percent-encoded) headers, or
                                          multipart/form-data with fields "sender" and "file"
    GET/POST /hotline...                  the hotline console (bot/console.py); 403 without HOTLINE_AGENTS
    GET  /healthz                         "ok"

Every response carries security headers (Content-Security-Policy, nosniff,
Referrer-Policy, frame options). Origins in ``CORS_ORIGINS`` (space separated,
as for the Rasa server) may POST /upload from a page that embeds the widget.
"""
from __future__ import annotations

import argparse
import json
import os
import re
from email import policy
from email.parser import BytesParser
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, List, Optional, Tuple
from urllib.parse import parse_qs, unquote, urlsplit

from bot import logmask

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
STATIC_RE = re.compile(r"/([a-z0-9][a-z0-9._-]{0,80}\.(?:html|js|css|png|svg|ico|txt|json))\Z")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8", "js": "application/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8", "png": "image/png", "svg": "image/svg+xml",
    "ico": "image/x-icon", "txt": "text/plain; charset=utf-8", "json": "application/json; charset=utf-8",
}
MAX_FORM_BYTES = 100_000
MULTIPART_SLACK = 64 * 1024
DRAIN_LIMIT = 64 * 1024 * 1024  # bodies over the limit are read and dropped up to this size


def _origins() -> List[str]:
    return [o.rstrip("/") for o in os.environ.get("CORS_ORIGINS", "").split() if o.startswith("http")]


class Handler(BaseHTTPRequestHandler):
    server_version = "chat-page"
    sys_version = ""
    timeout = 60  # seconds a client may stay silent (slow or stalled uploads are dropped)
    rasa_url = "http://localhost:5005"
    console = None  # bot.console.Console, set by make_server
    csp: Optional[str] = None
    extra_headers: List[Tuple[str, str]] = []

    # --- plumbing ------------------------------------------------------------------------
    def version_string(self) -> str:
        return self.server_version

    def _page_csp(self) -> str:
        rasa = self.rasa_url.rstrip("/")
        ws = re.sub(r"^http", "ws", rasa)
        return (f"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                f"connect-src 'self' {rasa} {ws}; object-src 'none'; base-uri 'none'; "
                f"form-action 'self'; frame-ancestors 'self'")

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", self.csp or self._page_csp())
        if (self.csp or "").find("frame-ancestors 'none'") >= 0:
            self.send_header("X-Frame-Options", "DENY")
        else:
            self.send_header("X-Frame-Options", "SAMEORIGIN")
        self.send_header("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        for name, value in self.extra_headers:
            self.send_header(name, value)
        super().end_headers()

    def _send(self, status: int, body: bytes, content_type: str,
              headers: Optional[List[Tuple[str, str]]] = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers or []:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, obj: dict) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"),
                   "application/json; charset=utf-8", [("Cache-Control", "no-store")])

    def _cors(self) -> None:
        """Let pages on CORS_ORIGINS that embed the widget POST /upload."""
        origin = (self.headers.get("Origin") or "").rstrip("/")
        if origin and origin in _origins():
            self.extra_headers = self.extra_headers + [
                ("Access-Control-Allow-Origin", origin), ("Vary", "Origin"),
                ("Access-Control-Allow-Methods", "POST, OPTIONS"),
                ("Access-Control-Allow-Headers", "Content-Type, X-Sender-Id, X-Filename"),
                ("Access-Control-Max-Age", "600")]

    def log_message(self, fmt: str, *args) -> None:  # quieter, no query strings
        print(logmask.mask(f"web: {self.command} {self.path.split('?')[0][:200]}"), flush=True)

    # --- GET -----------------------------------------------------------------------------
    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        self.extra_headers = []
        self.csp = None
        path = urlsplit(self.path).path
        if path == "/hotline" or path.startswith("/hotline/"):
            self._console()
            return
        if path.startswith("/documents/"):
            self._document(path)
            return
        if path == "/config.js":
            body = ("window.CHAT_CONFIG = " + json.dumps({"rasaUrl": self.rasa_url}) + ";\n").encode()
            self._send(200, body, "application/javascript; charset=utf-8", [("Cache-Control", "no-cache")])
            return
        if path == "/healthz":
            self._send(200, b"ok\n", "text/plain; charset=utf-8", [("Cache-Control", "no-store")])
            return
        if path in ("/", "/index.html"):
            html = (WEB_DIR / "index.html").read_text(encoding="utf-8")
            from html import escape

            body = html.replace("__RASA_URL__", escape(self.rasa_url, quote=True)).encode("utf-8")
            self._send(200, body, CONTENT_TYPES["html"], [("Cache-Control", "no-cache")])
            return
        m = STATIC_RE.match(path)
        file = WEB_DIR / m.group(1) if m else None
        if file is None or not file.is_file() or file.name == "index.html":
            self._send(404, b"not found\n", "text/plain; charset=utf-8")
            return
        self._send(200, file.read_bytes(), CONTENT_TYPES[file.suffix[1:]], [("Cache-Control", "no-cache")])

    def _document(self, path: str) -> None:
        """A dossier's PDF, by its random token: /documents/<token>/<file>.pdf"""
        from bot.documents import var_dir

        parts = path.split("/")
        ok = len(parts) == 4 and re.fullmatch(r"[A-Za-z0-9_-]{16,64}", parts[2]) \
            and re.fullmatch(r"[A-Z0-9-]{1,40}\.pdf", parts[3])
        file = var_dir() / "documents" / parts[2] / parts[3] if ok else None
        if file and not file.is_file():
            self._produce_missing(parts[2])
        if not file or not file.is_file():
            self._send(404, b"not found\n", "text/plain; charset=utf-8")
            return
        self._send(200, file.read_bytes(), "application/pdf",
                   [("Content-Disposition", f'attachment; filename="{parts[3]}"'), ("Cache-Control", "no-store")])

    @staticmethod
    def _produce_missing(token: str) -> None:
        """A link followed before the background worker wrote the PDFs (or after a crash): write them now."""
        from bot import dossier, store

        doc = store.find_by_token(token)
        if doc is not None:
            try:
                dossier.produce(doc["reference"], send_email=False)
            except Exception:  # noqa: BLE001 - answered as "not found"; the worker or produce_pending retries
                pass

    # --- POST ----------------------------------------------------------------------------
    def do_OPTIONS(self) -> None:  # noqa: N802
        self.extra_headers = []
        self.csp = None
        if urlsplit(self.path).path == "/upload":
            self._cors()
        self._send(204, b"", "text/plain; charset=utf-8")

    def do_POST(self) -> None:  # noqa: N802
        self.extra_headers = []
        self.csp = None
        path = urlsplit(self.path).path
        if path == "/upload":
            self._cors()
            self._upload()
            return
        if path == "/hotline" or path.startswith("/hotline/"):
            self._console()
            return
        self._send(404, b"not found\n", "text/plain; charset=utf-8")

    def _length(self) -> Optional[int]:
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return None
        return length if length >= 0 else None

    def _drain(self, length: int) -> None:
        if length > DRAIN_LIMIT:
            self.close_connection = True
            return
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 16))
            if not chunk:
                break
            length -= len(chunk)

    def _upload(self) -> None:
        from bot import uploads

        length = self._length()
        if length is None:
            self._json(411, {"ok": False, "reason": "bad_request"})
            self.close_connection = True
            return
        ctype = self.headers.get("Content-Type", "")
        multipart = ctype.lower().startswith("multipart/form-data")
        query = parse_qs(urlsplit(self.path).query)
        sender = self.headers.get("X-Sender-Id") or (query.get("sender") or [""])[0]
        name = unquote(self.headers.get("X-Filename") or "")
        if not multipart:
            if not uploads.valid_sender(sender):
                self._drain(length)
                self._json(400, {"ok": False, "reason": "bad_sender"})
                return
            use = uploads.usage(sender)
            reason = "too_many_files" if use["files_left"] == 0 else \
                "too_large" if length > use["bytes_left"] else None
            if reason:
                self._drain(length)
                self._json(413 if reason == "too_large" else 409, {"ok": False, "reason": reason, **use})
                return
        elif length > uploads.MAX_TOTAL_BYTES + MULTIPART_SLACK:
            self._drain(length)
            self._json(413, {"ok": False, "reason": "too_large"})
            return
        data = self.rfile.read(length) if length else b""
        if multipart:
            try:
                sender, name, data = _multipart(ctype, data, sender)
            except ValueError:
                self._json(400, {"ok": False, "reason": "bad_request"})
                return
        try:
            entry = uploads.save(sender, name, data)
        except uploads.Refused as exc:
            status = {"too_large": 413, "bad_type": 415, "too_many_files": 409}.get(exc.code, 400)
            self._json(status, {"ok": False, "reason": exc.code, **uploads.usage(sender)})
            return
        print(f"web: upload {entry['id']} ({entry['type']}, {entry['size']} bytes)", flush=True)
        self._json(201, {"ok": True, **{k: entry[k] for k in ("id", "name", "size", "type")},
                         **uploads.usage(sender)})

    # --- the hotline console -------------------------------------------------------------
    def _console(self) -> None:
        from bot import console as console_mod

        self.csp = console_mod.CSP
        form: Dict[str, List[str]] = {}
        if self.command == "POST":
            length = self._length()
            if length is None or length > MAX_FORM_BYTES:
                self._drain(length or 0)
                self._send(413, b"form too large\n", "text/plain; charset=utf-8")
                return
            raw = self.rfile.read(length)
            if self.headers.get("Content-Type", "").split(";")[0].strip() == "application/x-www-form-urlencoded":
                form = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
        cookies: Dict[str, str] = {}
        try:
            jar = SimpleCookie(self.headers.get("Cookie") or "")
            cookies = {k: v.value for k, v in jar.items()}
        except CookieError:
            pass
        split = urlsplit(self.path)
        req = console_mod.Request(method=self.command if self.command != "HEAD" else "GET", path=split.path,
                                  query=parse_qs(split.query), form=form, cookies=cookies,
                                  client=self.client_address[0])
        try:
            res = self.console.handle(req)
        except Exception as exc:  # noqa: BLE001 - never show a stack trace to the browser
            print(logmask.mask(f"web: console error {type(exc).__name__}: {exc}"), flush=True)
            res = console_mod.Response(500, console_mod.page("Error", "<p>Something went wrong.</p>"))
        self._send(res.status, res.body, res.content_type,
                   [("Cache-Control", "no-store")] + res.headers)


def _multipart(ctype: str, body: bytes, sender: str) -> Tuple[str, str, bytes]:
    """(sender, filename, data) from a multipart/form-data body with fields "sender" and "file"."""
    msg = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + ctype.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n" + body)
    if not msg.is_multipart():
        raise ValueError("not multipart")
    name, data = None, None
    for part in msg.iter_parts():
        field = part.get_param("name", header="content-disposition")
        if field == "sender":
            sender = (part.get_payload(decode=True) or b"").decode("utf-8", "replace").strip()
        elif field == "file":
            name = part.get_filename() or ""
            data = part.get_payload(decode=True) or b""
    if data is None:
        raise ValueError("no file")
    return sender, name or "", data


def make_server(port: int, rasa_url: str, host: Optional[str] = None, console=None) -> ThreadingHTTPServer:
    from bot.console import Console

    attrs = {"rasa_url": rasa_url.rstrip("/"), "console": console if console is not None else Console()}
    server = ThreadingHTTPServer((host or os.environ.get("WEB_HOST", "127.0.0.1"), port),
                                 type("H", (Handler,), attrs))
    server.daemon_threads = True
    return server


def serve(port: int, rasa_url: str) -> None:
    logmask.install()  # every log record of this process is masked, as in production
    server = make_server(port, rasa_url)
    state = "on" if server.RequestHandlerClass.console.enabled else "off (HOTLINE_AGENTS unset)"
    print(f"chat page on http://localhost:{port} (hotline console {state})", flush=True)
    server.serve_forever()


def cmd_serve(args) -> int:
    serve(args.port, args.rasa_url)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("serve-web", help="serve the chat page, the widget and the hotline console")
    p.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", 8000)))
    p.add_argument("--rasa-url", default=os.environ.get("RASA_URL", "http://localhost:5005"))
    p.set_defaults(func=cmd_serve)
