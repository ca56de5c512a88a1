"""The transcript of a conversation, to download from the page server (issue 17, item 2).

``save(events, lang, sender_id)`` writes the conversation (what the person wrote, a tapped
button as its title, and what the assistant said) as plain text headed in the person's
language (responses ``utter_transcript_*`` of domain.yml) to
``$BOT_VAR_DIR/transcripts/<conversation key>/<token>.txt`` and returns the random token;
``GET /transcripts/<token>.txt`` on the page server (bot/web.py) serves it. The folder is
named by the keyed hash of the conversation (bot/dossier/review.py), so that erasure removes
the transcripts of an erased conversation; retention removes them after N days
(bot/dossier/privacy.py).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from bot import payloads, texts
from bot.dossier import review

TOKEN = re.compile(r"^[A-Za-z0-9_-]{24,64}$")


def folder() -> Path:
    from bot.dossier.documents import var_dir

    return var_dir() / "transcripts"


def turns(events: Iterable[Mapping[str, Any]]) -> List[Tuple[str, str]]:
    """("user" | "bot", text) in order; the last user message (the request for the transcript)
    is left out; a button's payload is shown as the title of the button tapped."""
    events = list(events or [])
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    out: List[Tuple[str, str]] = []
    shown: Dict[str, str] = {}
    for event in events[:last_user]:
        if event.get("event") == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            if buttons:
                shown = {b.get("payload"): b.get("title") for b in buttons if isinstance(b, Mapping)}
            if event.get("text"):
                out.append(("bot", str(event["text"])))
        elif event.get("event") == "user":
            text = str(event.get("text") or "")
            if payloads.parse(text) is not None:
                text = shown.get(text) or ""
            if text:
                out.append(("user", text))
    return out


def render(events: Iterable[Mapping[str, Any]], lang: str, now: Optional[dt.datetime] = None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    who = {"user": texts.render("utter_transcript_you", lang), "bot": texts.render("utter_transcript_assistant", lang)}
    lines = [texts.render("utter_transcript_heading", lang, date=now.strftime("%Y-%m-%d %H:%M UTC")), ""]
    for side, text in turns(events):
        lines.append(f"{who[side]} :" if lang == "fr" else f"{who[side]}:")
        lines += ["  " + line for line in text.splitlines() or [""]]
        lines.append("")
    return "\n".join(lines)


def save(events: Iterable[Mapping[str, Any]], lang: str, sender_id: str) -> str:
    token = secrets.token_urlsafe(24)
    path = folder() / (review.conversation_key(sender_id) or "none") / f"{token}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    fd = os.open(str(tmp), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(render(events, lang))
    os.replace(tmp, path)
    return token


def email(events: Iterable[Mapping[str, Any]], lang: str, to: str) -> str:
    """Send the transcript to `to` (the address of the request just sent), through SMTP or the
    outbox like the confirmation e-mail (bot/dossier/documents.py); where it went."""
    from email.message import EmailMessage

    from bot.dossier import documents

    msg = EmailMessage()
    msg["Subject"] = texts.render("utter_transcript_email_subject", lang)
    msg["From"] = os.environ.get("SMTP_FROM", "no-reply@assistant.invalid")
    msg["To"] = to
    msg.set_content(render(events, lang))
    return documents.send(msg)


def find(token: str) -> Optional[Path]:
    if not TOKEN.match(token or ""):
        return None
    base = folder()
    if not base.is_dir():
        return None
    for sub in base.iterdir():
        path = sub / f"{token}.txt"
        if path.is_file():
            return path
    return None


def link(token: str) -> str:
    base = os.environ.get("WEB_PUBLIC_URL", f"http://localhost:{os.environ.get('WEB_PORT', '8000')}")
    return f"{base}/transcripts/{token}.txt"
