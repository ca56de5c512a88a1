"""The papers of a dossier: one PDF per person concerned, and the confirmation e-mail.

PDFs are written with fpdf2 under `$BOT_VAR_DIR/documents/<token>/`, where the
token is a random value kept in the dossier (the download link does not
reveal the reference). The e-mail goes through SMTP when `SMTP_HOST` is set,
otherwise it is written to `$BOT_VAR_DIR/outbox/` as an .eml file. All words
come from the domain's responses (bot/texts.py).
"""
from __future__ import annotations

import datetime as dt
import os
import secrets
import smtplib
import unicodedata
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Dict, List, Optional

from bot import countries, rules, texts
from bot.advisor import format_date

ROOT = Path(__file__).resolve().parent.parent
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu",)


def var_dir() -> Path:
    return Path(os.environ.get("BOT_VAR_DIR", ROOT / "var"))


def _latin1(text: str) -> str:
    """Core PDF fonts only know Latin-1: keep what fits, decompose the rest."""
    text = text.replace("–", "-").replace("—", "-").replace("’", "'").replace("“", '"').replace("”", '"')
    out = []
    for ch in text:
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            out.append(base or "?")
    return "".join(out)


def person_lines(doc: Dict[str, Any], person: Dict[str, Any]) -> Dict[str, str]:
    lang = doc.get("language") or "fr"
    req = doc.get("requester") or {}
    return {
        "reference": doc["reference"],
        "created": format_date((doc.get("created_at") or "")[:10], lang),
        "fund": rules.fund_name(doc["fund"], lang) if doc.get("fund") else "",
        "requester": f"{req.get('first_name', '')} {req.get('last_name', '')}".strip(),
        "requester_matricule": req.get("matricule") or "",
        "residence": countries.name(req["residence_country"], lang) if req.get("residence_country") else "",
        "email": req.get("email") or "",
        "first_name": person.get("first_name") or "",
        "last_name": person.get("last_name") or "",
        "matricule": person.get("matricule") or "",
        "destination": countries.name(person["destination"], lang) if person.get("destination") else "",
        "departure": format_date(person.get("departure"), lang),
        "return_date": format_date(person.get("return"), lang),
        "form": person.get("form") or "-",
        "delivery": texts.render(f"utter_doc_delivery_{doc.get('delivery') or 'post'}", lang),
    }


def _pdf(lines: Dict[str, str], lang: str) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    nl = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    font, clean = "helvetica", _latin1
    for folder in FONT_DIRS:
        regular, bold = Path(folder, "DejaVuSans.ttf"), Path(folder, "DejaVuSans-Bold.ttf")
        if regular.exists() and bold.exists():
            pdf.add_font("dejavu", "", str(regular))
            pdf.add_font("dejavu", "B", str(bold))
            font, clean = "dejavu", (lambda s: s)
            break
    pdf.set_title(clean(texts.render("utter_doc_title", lang)))
    pdf.set_font(font, "B", 13)
    pdf.multi_cell(0, 7, clean(texts.render("utter_doc_title", lang)), **nl)
    pdf.ln(3)
    pdf.set_font(font, "", 11)
    for line in texts.render("utter_doc_body", lang, **lines).split("\n"):
        if not line.strip():
            pdf.ln(3)
            continue
        label, sep, value = line.partition(" : ") if " : " in line else line.partition(": ")
        if sep:
            pdf.set_font(font, "B", 10)
            pdf.cell(88, 7, clean(label.strip()))
            pdf.set_font(font, "", 11)
            pdf.multi_cell(0, 7, clean(value.strip()), **nl)
        else:
            pdf.multi_cell(0, 6, clean(line), **nl)
    pdf.ln(4)
    pdf.set_font(font, "", 9)
    pdf.multi_cell(0, 5, clean(texts.render("utter_doc_footer", lang, **lines)), **nl)
    return bytes(pdf.output())


def write_pdfs(doc: Dict[str, Any], folder: Optional[Path] = None) -> List[Path]:
    """One PDF per person concerned; returns their paths."""
    lang = doc.get("language") or "fr"
    # digits only: a link in a chat message must not read as words of some language
    token = doc.setdefault("download_token", "".join(secrets.choice("0123456789") for _ in range(32)))
    folder = folder or var_dir() / "documents" / token
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, person in enumerate(doc.get("persons") or [], 1):
        path = folder / f"{n}.pdf"
        path.write_bytes(_pdf(person_lines(doc, person), lang))
        paths.append(path)
    return paths


def attachment_name(doc: Dict[str, Any], name: str) -> str:
    """The name a person sees for a stored PDF: "<reference>-<n>.pdf"."""
    return f"{doc['reference']}-{name}"


def confirmation_email(doc: Dict[str, Any], pdfs: List[Path]) -> EmailMessage:
    lang = doc.get("language") or "fr"
    req = doc.get("requester") or {}
    params = {"reference": doc["reference"], "first_name": req.get("first_name", ""),
              "last_name": req.get("last_name", ""), "persons": len(doc.get("persons") or [])}
    msg = EmailMessage()
    msg["Subject"] = texts.render("utter_doc_email_subject", lang, **params)
    msg["From"] = os.environ.get("SMTP_FROM", "no-reply@assistant.invalid")
    msg["To"] = req.get("email", "")
    msg.set_content(texts.render("utter_doc_email_body", lang, **params))
    for path in pdfs:
        msg.add_attachment(path.read_bytes(), maintype="application", subtype="pdf",
                           filename=attachment_name(doc, path.name))
    return msg


def send(msg: EmailMessage) -> str:
    """Send through SMTP_HOST[:SMTP_PORT] (STARTTLS with SMTP_STARTTLS=1), or write to the outbox."""
    host = os.environ.get("SMTP_HOST")
    if host:
        port = int(os.environ.get("SMTP_PORT", "25"))
        with smtplib.SMTP(host, port, timeout=20) as smtp:
            if os.environ.get("SMTP_STARTTLS") == "1":
                smtp.starttls()
            if os.environ.get("SMTP_USER"):
                smtp.login(os.environ["SMTP_USER"], os.environ.get("SMTP_PASSWORD", ""))
            smtp.send_message(msg)
        return f"smtp://{host}:{port}"
    outbox = var_dir() / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{dt.datetime.utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.eml"
    path.write_bytes(bytes(msg))
    return str(path)
