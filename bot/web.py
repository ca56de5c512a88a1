"""`python -m bot serve-web`: the chat page, the embeddable widget, uploads and the hotline console.

A Sanic application (the server Rasa itself runs on; one process, the slow parts — PBKDF2, the
databases, the files — in threads). HTML comes from Jinja2 templates (bot/templates/,
autoescaped: bot/templating.py). Routes:

    GET  /                                the demo page (it embeds the widget with one script tag)
    GET  /widget.js, /widget.css, /i18n.js, /socket.io.min.js, /console.css, ...
                                          files of web/ (no listing, no sub-folders)
    GET  /config.js                       window.CHAT_CONFIG = {"rasaUrl": ...}
    POST /conversation                    a new conversation for the widget: {"sender", "uploadToken"}
                                          (bot/dossier/uploads.py new_conversation)
    GET  /documents/<token>/<file>.pdf    a dossier's PDF (bot/dossier/documents.py)
    GET  /transcripts/<token>.txt         a conversation's transcript (bot/dossier/transcript.py)
    POST /upload                          a file from the widget (bot/dossier/uploads.py); raw body with
                                          X-Sender-Id, X-Upload-Token and X-Filename (percent-encoded)
                                          headers, or multipart/form-data with fields "sender",
                                          "token" and "file"
    GET/POST /hotline...                  the hotline console (bot/hotline/console.py); 403 without HOTLINE_AGENTS
    GET  /privacy/<fr|de|en>              the widget's privacy link by default: the assistant's
                                          data-protection answer (303 to WEB_PRIVACY_URL when set)
    GET  /healthz                         "ok"

Every response carries security headers (Content-Security-Policy, nosniff,
Referrer-Policy, frame options). Origins in ``CORS_ORIGINS`` (space separated,
as for the Rasa server) may POST /upload and /conversation from a page that embeds the widget.
Request bodies are read by the routes themselves (streamed), each with its own limit.
The client address given to the console is the peer's, or the last ``X-Forwarded-For`` address
not in ``WEB_TRUSTED_PROXIES`` when the peer is one of those proxies (``client_address``).
"""
from __future__ import annotations

import asyncio
import ipaddress
import itertools
import json
import os
import re
import socket
import threading
from email import policy
from email.parser import BytesParser
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Dict, List, Optional, Tuple
from urllib.parse import parse_qs, unquote

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
DRAIN_LIMIT = 64 * 1024 * 1024  # bodies over a route's limit are read and dropped up to this size
IDLE_SECONDS = 60  # seconds a client may stay silent (slow or stalled uploads are dropped)
_names = itertools.count(1)


def _origins() -> List[str]:
    return [o.rstrip("/") for o in os.environ.get("CORS_ORIGINS", "").split() if o.startswith("http")]


LEGAL_LANGS = ("fr", "de", "en")
LOCAL_PRIVACY = "/privacy/{lang}"


def legal_links() -> Dict[str, str]:
    """The widget header's links, ``{lang}`` standing for the page's language (fr, de, en):
    ``WEB_PRIVACY_URL`` (default the page server's /privacy/{lang}, the assistant's data-protection
    answer: the seeds name no CNS privacy page) and ``WEB_TERMS_URL`` (default none: no link).
    Only http(s) URLs and paths are kept."""
    def clean(value: str) -> str:
        value = value.strip()
        return value if re.match(r"(https?://[^\s\"<>]+|/[^/\s\"<>][^\s\"<>]*)\Z", value) else ""

    return {"privacy": clean(os.environ.get("WEB_PRIVACY_URL", "")) or LOCAL_PRIVACY,
            "terms": clean(os.environ.get("WEB_TERMS_URL", ""))}


def trusted_proxies() -> List[str]:
    """``WEB_TRUSTED_PROXIES``: addresses or networks (space or comma separated) of the reverse
    proxies whose ``X-Forwarded-For`` is believed; unset: none."""
    return [p for p in re.split(r"[\s,]+", os.environ.get("WEB_TRUSTED_PROXIES", "")) if p]


def _in(address: str, networks: List[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    for net in networks:
        try:
            if ip in ipaddress.ip_network(net, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(peer: str, forwarded_for: Optional[str], proxies: Optional[List[str]] = None) -> str:
    """The client's address: the peer's, unless the peer is a trusted proxy; then the right-most
    ``X-Forwarded-For`` address that is not a trusted proxy (what the proxy itself saw)."""
    proxies = trusted_proxies() if proxies is None else proxies
    if not proxies or not _in(peer, proxies):
        return peer
    hops = [h.strip() for h in (forwarded_for or "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _in(hop, proxies):
            try:
                return str(ipaddress.ip_address(hop.strip("[]")))
            except ValueError:
                return peer  # a malformed header: fall back to the proxy's own address
    return peer


def page_csp(rasa_url: str) -> str:
    rasa = rasa_url.rstrip("/")
    ws = re.sub(r"^http", "ws", rasa)
    return (f"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self' {rasa} {ws}; object-src 'none'; base-uri 'none'; "
            f"form-action 'self'; frame-ancestors 'self'")


def _multipart(ctype: str, body: bytes, sender: str, token: str) -> Tuple[str, str, str, bytes]:
    """(sender, token, filename, data) from a multipart/form-data body with fields "sender", "token", "file"."""
    msg = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + ctype.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n" + body)
    if not msg.is_multipart():
        raise ValueError("not multipart")
    name, data = None, None
    for part in msg.iter_parts():
        field = part.get_param("name", header="content-disposition")
        if field == "sender":
            sender = (part.get_payload(decode=True) or b"").decode("utf-8", "replace").strip()
        elif field == "token":
            token = (part.get_payload(decode=True) or b"").decode("utf-8", "replace").strip()
        elif field == "file":
            name = part.get_filename() or ""
            data = part.get_payload(decode=True) or b""
    if data is None:
        raise ValueError("no file")
    return sender, token, name or "", data


def create_app(rasa_url: str, console=None):
    """The Sanic application. ``console``: a bot.hotline.console.Console (default: from HOTLINE_AGENTS)."""
    from sanic import Sanic
    from sanic.response import HTTPResponse

    from bot.hotline import console as console_mod
    from bot.dossier import uploads
    from bot.templating import render

    rasa_url = rasa_url.rstrip("/")
    console = console if console is not None else console_mod.Console()
    app = Sanic(f"chat_page_{next(_names)}", configure_logging=False)
    app.config.REQUEST_MAX_SIZE = DRAIN_LIMIT
    app.config.REQUEST_TIMEOUT = IDLE_SECONDS
    app.config.RESPONSE_TIMEOUT = 120
    app.config.KEEP_ALIVE_TIMEOUT = 30
    app.config.ACCESS_LOG = False
    app.config.NOISY_EXCEPTIONS = False
    app.ctx.console = console
    app.ctx.rasa_url = rasa_url
    csp = page_csp(rasa_url)

    def respond(status: int, body: bytes, content_type: str,
                headers: Optional[List[Tuple[str, str]]] = None, csp_value: Optional[str] = None) -> HTTPResponse:
        res = HTTPResponse(body=body, status=status, content_type=content_type)
        for name, value in headers or []:
            res.headers.add(name, value)
        value = csp_value or csp
        res.headers["Content-Security-Policy"] = value
        res.headers["X-Frame-Options"] = "DENY" if "frame-ancestors 'none'" in value else "SAMEORIGIN"
        return res

    def not_found() -> HTTPResponse:
        return respond(404, b"not found\n", "text/plain; charset=utf-8")

    def as_json(status: int, obj: dict, headers: Optional[List[Tuple[str, str]]] = None) -> HTTPResponse:
        return respond(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"),
                       "application/json; charset=utf-8", [("Cache-Control", "no-store")] + list(headers or []))

    def cors(request) -> List[Tuple[str, str]]:
        """Let pages on CORS_ORIGINS that embed the widget POST /upload and /conversation."""
        origin = (request.headers.get("Origin") or "").rstrip("/")
        if origin and origin in _origins():
            return [("Access-Control-Allow-Origin", origin), ("Vary", "Origin"),
                    ("Access-Control-Allow-Methods", "POST, OPTIONS"),
                    ("Access-Control-Allow-Headers", "Content-Type, X-Sender-Id, X-Upload-Token, X-Filename"),
                    ("Access-Control-Max-Age", "600")]
        return []

    def length_of(request) -> Optional[int]:
        try:
            length = int(request.headers.get("Content-Length", ""))
        except ValueError:
            return None
        return length if length >= 0 else None

    async def read_body(request, limit: int) -> Optional[bytes]:
        """The whole body, or None when it is longer than ``limit`` (then read and dropped)."""
        chunks, size = [], 0
        while True:
            chunk = await request.stream.read()
            if chunk is None:
                break
            size += len(chunk)
            if size <= limit:
                chunks.append(chunk)
        return b"".join(chunks) if size <= limit else None

    async def in_thread(func, *args):
        return await asyncio.get_running_loop().run_in_executor(None, func, *args)

    @app.on_response
    async def security_headers(request, response):
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        response.headers["Server"] = "chat-page"
        print(logmask.mask(f"web: {request.method} {request.path[:200]} {response.status}"),
              flush=True)  # no query strings

    # --- pages and files ------------------------------------------------------------------
    async def index(request):
        links = legal_links()
        body = await in_thread(lambda: render("index.html", rasa_url=rasa_url, privacy_url=links["privacy"],
                                              terms_url=links["terms"]))
        return respond(200, body, CONTENT_TYPES["html"], [("Cache-Control", "no-cache")])

    async def privacy(request, lang: str):
        if lang not in LEGAL_LANGS:
            return not_found()
        configured = legal_links()["privacy"]
        if configured != LOCAL_PRIVACY:
            return respond(303, b"", "text/plain; charset=utf-8",
                           [("Location", configured.replace("{lang}", lang)), ("Cache-Control", "no-cache")])
        from bot.answers.topics import data_protection
        from bot.texts import render as say_text

        texts = [say_text(s.response, lang, **s.params) for s in data_protection(lang)]
        body = await in_thread(lambda: render("privacy.html", lang=lang, texts=texts))
        return respond(200, body, CONTENT_TYPES["html"], [("Cache-Control", "no-cache")])

    async def config_js(request):
        body = ("window.CHAT_CONFIG = " + json.dumps({"rasaUrl": rasa_url}) + ";\n").encode()
        return respond(200, body, "application/javascript; charset=utf-8", [("Cache-Control", "no-cache")])

    async def healthz(request):
        return respond(200, b"ok\n", "text/plain; charset=utf-8", [("Cache-Control", "no-store")])

    async def static(request, path: str = ""):
        m = STATIC_RE.match(request.path)
        file = WEB_DIR / m.group(1) if m else None
        if file is None or not file.is_file():
            return not_found()
        data = await in_thread(file.read_bytes)
        return respond(200, data, CONTENT_TYPES[file.suffix[1:]], [("Cache-Control", "no-cache")])

    async def document(request, token: str, name: str):
        """A dossier's PDF, by its random token: /documents/<token>/<file>.pdf"""
        from bot.dossier.documents import var_dir

        if not (re.fullmatch(r"[A-Za-z0-9_-]{16,64}", token) and re.fullmatch(r"[A-Z0-9-]{1,40}\.pdf", name)):
            return not_found()
        file = var_dir() / "documents" / token / name
        if not file.is_file():
            await in_thread(_produce_missing, token)
        if not file.is_file():
            return not_found()
        data = await in_thread(file.read_bytes)
        return respond(200, data, "application/pdf",
                       [("Content-Disposition", f'attachment; filename="{name}"'), ("Cache-Control", "no-store")])

    async def transcript_file(request, name: str):
        """A conversation's transcript, by its random token: /transcripts/<token>.txt"""
        from bot.dossier import transcript

        m = re.fullmatch(r"([A-Za-z0-9_-]{24,64})\.txt", name)
        file = await in_thread(transcript.find, m.group(1)) if m else None
        if file is None:
            return not_found()
        data = await in_thread(file.read_bytes)
        return respond(200, data, "text/plain; charset=utf-8",
                       [("Content-Disposition", 'attachment; filename="conversation.txt"'),
                        ("Cache-Control", "no-store")])

    # --- the widget's conversation and uploads ---------------------------------------------
    async def options(request, path: str = ""):
        headers = cors(request) if request.path in ("/upload", "/conversation") else []
        return respond(204, b"", "text/plain; charset=utf-8", headers)

    async def conversation(request):
        if request.method in ("GET", "HEAD"):
            return not_found()
        await read_body(request, 0)
        return as_json(201, await in_thread(uploads.new_conversation), cors(request))

    async def upload(request):
        if request.method in ("GET", "HEAD"):
            return not_found()  # uploads are never served back
        headers = cors(request)
        length = length_of(request)
        if length is None:
            res = as_json(411, {"ok": False, "reason": "bad_request"}, headers)
            res.headers["Connection"] = "close"
            return res
        ctype = request.headers.get("Content-Type", "")
        multipart = ctype.lower().startswith("multipart/form-data")
        sender = request.headers.get("X-Sender-Id") or request.args.get("sender") or ""
        token = request.headers.get("X-Upload-Token") or ""
        name = unquote(request.headers.get("X-Filename") or "")
        if not multipart:
            if not uploads.valid_sender(sender) or not uploads.check_token(sender, token):
                await read_body(request, 0)
                return as_json(400 if not uploads.valid_sender(sender) else 403,
                               {"ok": False, "reason": "bad_sender"}, headers)
            use = await in_thread(uploads.usage, sender)
            reason = "too_many_files" if use["files_left"] == 0 else \
                "too_large" if length > use["bytes_left"] else None
            if reason:
                await read_body(request, 0)
                return as_json(413 if reason == "too_large" else 409, {"ok": False, "reason": reason, **use},
                               headers)
            data = await read_body(request, uploads.MAX_TOTAL_BYTES)
        else:
            data = await read_body(request, uploads.MAX_TOTAL_BYTES + MULTIPART_SLACK)
        if data is None:
            return as_json(413, {"ok": False, "reason": "too_large"}, headers)
        if multipart:
            try:
                sender, token, name, data = _multipart(ctype, data, sender, token)
            except ValueError:
                return as_json(400, {"ok": False, "reason": "bad_request"}, headers)
            if not uploads.valid_sender(sender) or not uploads.check_token(sender, token):
                return as_json(400 if not uploads.valid_sender(sender) else 403,
                               {"ok": False, "reason": "bad_sender"}, headers)
        try:
            entry = await in_thread(uploads.save, sender, name, data)
        except uploads.Refused as exc:
            status = {"too_large": 413, "bad_type": 415, "too_many_files": 409,
                      "storage_full": 507}.get(exc.code, 400)
            return as_json(status, {"ok": False, "reason": exc.code, **uploads.usage(sender)}, headers)
        print(f"web: upload {entry['id']} ({entry['type']}, {entry['size']} bytes)", flush=True)
        return as_json(201, {"ok": True, **{k: entry[k] for k in ("id", "name", "size", "type")},
                             **uploads.usage(sender)}, headers)

    # --- the hotline console ----------------------------------------------------------------
    async def hotline(request, path: str = ""):
        form: Dict[str, List[str]] = {}
        if request.method == "POST":
            length = length_of(request)
            raw = await read_body(request, MAX_FORM_BYTES if length is None or length <= MAX_FORM_BYTES else 0)
            if raw is None:
                return respond(413, b"form too large\n", "text/plain; charset=utf-8", csp_value=console_mod.CSP)
            if request.headers.get("Content-Type", "").split(";")[0].strip() == "application/x-www-form-urlencoded":
                form = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
        cookies: Dict[str, str] = {}
        try:
            jar = SimpleCookie(request.headers.get("Cookie") or "")
            cookies = {k: v.value for k, v in jar.items()}
        except CookieError:
            pass
        req = console_mod.Request(method="GET" if request.method == "HEAD" else request.method, path=request.path,
                                  query=parse_qs(request.query_string), form=form, cookies=cookies,
                                  client=client_address(request.ip or "", request.headers.get("X-Forwarded-For")))
        try:
            res = await in_thread(app.ctx.console.handle, req)
        except Exception as exc:  # noqa: BLE001 - never show a stack trace to the browser
            print(logmask.mask(f"web: console error {type(exc).__name__}: {exc}"), flush=True)
            res = console_mod.Response(500, console_mod.page("error"))
        return respond(res.status, res.body, res.content_type, [("Cache-Control", "no-store")] + res.headers,
                       csp_value=console_mod.CSP)

    app.add_route(index, "/", methods=["GET", "HEAD"])
    app.add_route(index, "/index.html", methods=["GET", "HEAD"], name="index_html")
    app.add_route(config_js, "/config.js", methods=["GET", "HEAD"])
    app.add_route(healthz, "/healthz", methods=["GET", "HEAD"])
    app.add_route(privacy, "/privacy/<lang:str>", methods=["GET", "HEAD"])
    app.add_route(conversation, "/conversation", methods=["GET", "HEAD", "POST"], stream=True)
    app.add_route(upload, "/upload", methods=["GET", "HEAD", "POST"], stream=True)
    app.add_route(options, "/upload", methods=["OPTIONS"], name="upload_options")
    app.add_route(options, "/conversation", methods=["OPTIONS"], name="conversation_options")
    app.add_route(document, "/documents/<token:str>/<name:str>", methods=["GET", "HEAD"])
    app.add_route(transcript_file, "/transcripts/<name:str>", methods=["GET", "HEAD"])
    app.add_route(hotline, "/hotline", methods=["GET", "HEAD", "POST"], stream=True)
    app.add_route(hotline, "/hotline/<path:path>", methods=["GET", "HEAD", "POST"], stream=True,
                  name="hotline_pages")
    app.add_route(static, "/<path:path>", methods=["GET", "HEAD"])

    @app.exception(Exception)
    async def errors(request, exc):
        from sanic.exceptions import SanicException

        status = getattr(exc, "status_code", 500) if isinstance(exc, SanicException) else 500
        if status == 500:
            print(logmask.mask(f"web: error {type(exc).__name__}: {exc}"), flush=True)
        text = {404: "not found", 405: "method not allowed", 413: "too large"}.get(status, "error")
        return respond(status, (text + "\n").encode(), "text/plain; charset=utf-8")

    return app


def _produce_missing(token: str) -> None:
    """A link followed before the background worker wrote the PDFs (or after a crash): write them now."""
    from bot.dossier import builder as dossier
    from bot.dossier import store

    doc = store.find_by_token(token)
    if doc is not None:
        try:
            dossier.produce(doc["reference"], send_email=False)
        except Exception:  # noqa: BLE001 - answered as "not found"; the worker or produce_pending retries
            pass


class BackgroundServer:
    """The application served from a thread with its own event loop (tests, tools).

    ``serve_forever()``, ``shutdown()``, ``server_close()`` and ``server_address`` as
    socketserver's servers have them; ``port=0`` picks a free port.
    """

    def __init__(self, app, host: str, port: int):
        self.app = app
        # several applications started in one process: Sanic's start-up rewrite of its own request
        # handling (TouchUp) must start from the original methods each time, as in its test mode
        type(app).test_mode = True
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))
        self.sock.listen(128)
        self.server_address = self.sock.getsockname()
        self.loop: Optional[asyncio.AbstractEventLoop] = None
        self._stop: Optional[asyncio.Event] = None
        self._done = threading.Event()
        self._started = threading.Event()

    @property
    def console(self):
        return self.app.ctx.console

    def serve_forever(self, poll_interval: float = 0.5) -> None:  # noqa: ARG002 - socketserver's signature
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._serve())
        finally:
            self.loop.close()
            self._done.set()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        server = await self.app.create_server(sock=self.sock, return_asyncio_server=True, access_log=False)
        await server.startup()
        await server.before_start()
        await server.after_start()
        self._started.set()
        await self._stop.wait()
        await server.before_stop()
        server.close()
        await server.wait_closed()
        for conn in list(server.connections):  # as Sanic's own shutdown: idle ones now, the others soon
            conn.close_if_idle()
        for _ in range(50):
            if not server.connections:
                break
            await asyncio.sleep(0.1)
        for conn in list(server.connections):
            conn.abort()
        await server.after_stop()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def shutdown(self) -> None:
        if self.loop is not None and self._stop is not None:
            self.loop.call_soon_threadsafe(self._stop.set)
            self._done.wait(10)

    def server_close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def make_server(port: int, rasa_url: str, host: Optional[str] = None, console=None) -> BackgroundServer:
    return BackgroundServer(create_app(rasa_url, console), host or os.environ.get("WEB_HOST", "127.0.0.1"), port)


def serve(port: int, rasa_url: str) -> None:
    logmask.install()  # every log record of this process is masked, as in production
    app = create_app(rasa_url)
    state = "on" if app.ctx.console.enabled else "off (HOTLINE_AGENTS unset)"
    host = os.environ.get("WEB_HOST", "127.0.0.1")
    print(f"chat page on http://localhost:{port} (hotline console {state})", flush=True)
    app.run(host=host, port=port, workers=1, access_log=False, motd=False)
