"""Files a person attaches in the web chat (household composition certificate, ...).

Limits per conversation (sender id): at most ``MAX_FILES`` files and
``MAX_TOTAL_BYTES`` bytes in total. Only PDF, JPEG and PNG are accepted, and the
type is decided by the file's first bytes (its "magic number"), never by its
name or by the Content-Type the browser claims.

Accepted files are stored as ``$BOT_VAR_DIR/uploads/<sender>/<id>`` (no
extension, never served back by the page server) with an index
``$BOT_VAR_DIR/uploads/<sender>/index.json`` (a JSON list of entries). A refused
file raises ``Refused`` whose ``code`` is one of ``REASONS``; the widget shows a
text for it in the person's language (web/i18n.js).

    sniff(data) -> mime | None
    clean_name(name) -> str
    check(entries, name, data) -> mime           pure; raises Refused
    save(sender, name, data) -> entry            {id, name, size, type, sha256, created_at}
    list_uploads(sender) -> [entry]
    get(sender, upload_id) -> entry + {"path"} | None
    usage(sender) -> {"files", "bytes", "files_left", "bytes_left"}

Uploads are bound to the conversation that the page server opened: ``new_conversation()``
(``POST /conversation``) gives the widget a random sender id and ``token_for(sender)``, an
HMAC-SHA256 of the sender id with a server secret (``UPLOAD_SECRET``, else a random key kept in
``$BOT_VAR_DIR/upload.key``); ``POST /upload`` needs both (``check_token``), so knowing a
conversation id is not enough to upload into it.

All conversations together hold at most ``UPLOADS_MAX_TOTAL_MB`` megabytes (default 2048):
past it every upload is refused with ``storage_full`` (``total_bytes()`` counts the folder).

The widget then sends ``/inform{"upload_id": "<id>"}``; ``as_entity(sender, id)``
gives the ``upload`` entity bot/request/flow.py expects ({"id", "name", "size", "type"}).
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import unicodedata
from pathlib import Path
from typing import Any, Dict, List, Optional



def _limits() -> tuple:
    """The online procedure's limits (regimes.yml procedures.online_request.attachments, guide)."""
    try:
        from bot import reference

        spec = reference.regimes()["procedures"]["online_request"]["attachments"]
        return int(spec["max_files"]), int(spec["max_total_mb"])
    except Exception:  # the data is tested elsewhere; keep the guide's numbers
        return 15, 20


MAX_FILES, _MAX_MB = _limits()
MAX_TOTAL_BYTES = _MAX_MB * 1024 * 1024  # "20 MB" read as MiB, for all files of one conversation
MAX_NAME = 120

TYPES = {  # mime -> (magic prefix, usual extension)
    "application/pdf": (b"%PDF-", "pdf"),
    "image/jpeg": (b"\xff\xd8\xff", "jpg"),
    "image/png": (b"\x89PNG\r\n\x1a\n", "png"),
}
REASONS = ("empty", "bad_type", "too_many_files", "too_large", "bad_sender", "bad_request", "storage_full")

SENDER_RE = re.compile(r"[A-Za-z0-9_-]{8,64}\Z")
ID_RE = re.compile(r"[A-Za-z0-9_-]{8,64}\Z")

_lock = threading.Lock()


class Refused(ValueError):
    """The file is refused; ``code`` is one of REASONS."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def root() -> Path:
    base = os.environ.get("BOT_VAR_DIR") or str(Path(__file__).resolve().parent.parent / "var")
    return Path(base) / "uploads"


def valid_sender(sender: Optional[str]) -> bool:
    return bool(sender) and bool(SENDER_RE.match(sender))


# --- the conversation's upload token ----------------------------------------------------------

def _secret() -> bytes:
    """``UPLOAD_SECRET``, else the random key of ``$BOT_VAR_DIR/upload.key`` (created once, mode 600)."""
    env = os.environ.get("UPLOAD_SECRET")
    if env:
        return env.encode("utf-8")
    path = root().parent / "upload.key"
    with _lock:
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".upload.key.{os.getpid()}.part")
            fd = os.open(str(tmp), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
            try:
                os.link(tmp, path)  # the first writer wins; the others read its key
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        return path.read_text(encoding="ascii").strip().encode("ascii")


def token_for(sender: str) -> str:
    """The upload token of a conversation: HMAC-SHA256 of its sender id with the server secret."""
    digest = hmac.new(_secret(), b"upload:" + str(sender).encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def check_token(sender: Optional[str], token: Optional[str]) -> bool:
    """Did the page server give this token to this conversation? (constant-time comparison)"""
    if not valid_sender(sender) or not token or len(token) > 100:
        return False
    return hmac.compare_digest(token_for(sender), str(token))


def new_conversation() -> Dict[str, str]:
    """A new conversation for the widget: a random sender id and its upload token."""
    sender = secrets.token_hex(16)
    return {"sender": sender, "uploadToken": token_for(sender)}


# --- the total disk cap -------------------------------------------------------------------

def max_total_bytes() -> int:
    """The cap of all conversations' uploads together (``UPLOADS_MAX_TOTAL_MB``, default 2048)."""
    try:
        mb = float(os.environ.get("UPLOADS_MAX_TOTAL_MB") or 2048)
    except ValueError:
        mb = 2048
    return int(mb * 1024 * 1024)


def total_bytes(base: Optional[Path] = None) -> int:
    """Bytes stored under the uploads folder (every conversation, index files included)."""
    total = 0
    for dirpath, _, files in os.walk(base or root()):
        for name in files:
            try:
                total += os.stat(os.path.join(dirpath, name)).st_size
            except OSError:
                continue
    return total


def sniff(data: bytes) -> Optional[str]:
    """The mime type given by the content's first bytes, or None."""
    for mime, (magic, _) in TYPES.items():
        if data.startswith(magic):
            return mime
    return None


def clean_name(name: Optional[str]) -> str:
    """A displayable file name: last path part, no control characters, at most MAX_NAME characters."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().strip(".")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + "." + ext) if dot and len(ext) <= 8 else name[:MAX_NAME]
    return name or "document"


def check(entries: List[Dict[str, Any]], name: str, data: bytes) -> str:
    """Would this file be accepted after `entries`? Returns its mime type or raises Refused."""
    if not data:
        raise Refused("empty")
    if len(entries) >= MAX_FILES:
        raise Refused("too_many_files")
    if sum(int(e.get("size") or 0) for e in entries) + len(data) > MAX_TOTAL_BYTES:
        raise Refused("too_large")
    mime = sniff(data)
    if mime is None:
        raise Refused("bad_type")
    return mime


def _folder(sender: str, base: Optional[Path] = None) -> Path:
    if not valid_sender(sender):
        raise Refused("bad_sender")
    return (base or root()) / sender


def list_uploads(sender: str, base: Optional[Path] = None) -> List[Dict[str, Any]]:
    try:
        index = _folder(sender, base) / "index.json"
    except Refused:
        return []
    if not index.is_file():
        return []
    try:
        entries = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def usage(sender: str, base: Optional[Path] = None) -> Dict[str, int]:
    entries = list_uploads(sender, base)
    used = sum(int(e.get("size") or 0) for e in entries)
    return {"files": len(entries), "bytes": used, "files_left": max(0, MAX_FILES - len(entries)),
            "bytes_left": max(0, MAX_TOTAL_BYTES - used)}


def save(sender: str, name: Optional[str], data: bytes, base: Optional[Path] = None) -> Dict[str, Any]:
    """Check and store one file; returns its index entry. Raises Refused."""
    folder = _folder(sender, base)
    with _lock:  # check + write must not interleave (one conversation's limits, the total cap)
        entries = list_uploads(sender, base)
        mime = check(entries, name or "", data)
        if total_bytes(base) + len(data) > max_total_bytes():
            raise Refused("storage_full")
        folder.mkdir(parents=True, exist_ok=True)
        upload_id = secrets.token_urlsafe(12)
        tmp = folder / f".{upload_id}.part"
        tmp.write_bytes(data)
        tmp.replace(folder / upload_id)
        entry = {
            "id": upload_id,
            "name": clean_name(name),
            "size": len(data),
            "type": mime,
            "sha256": hashlib.sha256(data).hexdigest(),
            "created_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        }
        index_tmp = folder / ".index.json.part"
        index_tmp.write_text(json.dumps(entries + [entry], ensure_ascii=False, indent=1), encoding="utf-8")
        index_tmp.replace(folder / "index.json")
    return entry


def get(sender: str, upload_id: str, base: Optional[Path] = None) -> Optional[Dict[str, Any]]:
    """The entry of an upload of this conversation, with its ``path``; None if unknown."""
    if not (upload_id and ID_RE.match(str(upload_id))):
        return None
    for entry in list_uploads(sender, base):
        if entry.get("id") == upload_id:
            path = _folder(sender, base) / upload_id
            return {**entry, "path": str(path)} if path.is_file() else None
    return None


def as_entity(sender: str, upload_id: str, base: Optional[Path] = None) -> Optional[Dict[str, Any]]:
    """The ``upload`` entity of bot/request/flow.py for ``/inform{"upload_id": ...}``, or None if unknown."""
    entry = get(sender, upload_id, base)
    if entry is None:
        return None
    return {"entity": "upload", "value": {k: entry[k] for k in ("id", "name", "size", "type")}}
