"""The papers of a dossier: one PDF per person concerned, and the confirmation e-mail.

PDFs are written with fpdf2 under `$BOT_VAR_DIR/documents/<token>/`, where the
token is a random value kept in the dossier (the download link does not
reveal the reference). The e-mail goes through SMTP when `SMTP_HOST` is set,
otherwise it is written to `$BOT_VAR_DIR/outbox/` as an .eml file. All words
come from the domain's responses (bot/texts.py).
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import smtplib
import ssl
import unicodedata
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Dict, List, Optional

from bot import countries, rules, texts
from bot.wording import format_date

ROOT = Path(__file__).resolve().parent.parent
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu",)
logger = logging.getLogger(__name__)


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


# The documents' characters: Latin (with the extended letters of Turkish,
# Bosnian, Portuguese ... names), Greek, Cyrillic, general punctuation, euro.
# DejaVu is cut down to these once (fontTools, which fpdf2 already uses) and
# cached under $BOT_VAR_DIR/fonts: a PDF then takes ~1/3 of the time, because
# fpdf2 parses and subsets the whole font file for every document. A text
# with a character outside these ranges is written with the whole font.
FONT_RANGES = ((0x20, 0x24F), (0x370, 0x52F), (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20AC, 0x20AC))


def _covered(text: str) -> bool:
    return all(any(lo <= ord(ch) <= hi for lo, hi in FONT_RANGES) for ch in text if ch not in "\n\t")


def _reduced_font(path: Path) -> Path:
    """`path` cut down to FONT_RANGES, built once and cached (atomic rename)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    stat = path.stat()
    cached = var_dir() / "fonts" / f"{path.stem}-{stat.st_size}-{int(stat.st_mtime)}-{len(FONT_RANGES)}.ttf"
    if cached.exists():
        return cached
    cached.parent.mkdir(parents=True, exist_ok=True)
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "FFTM NOT subset": an unused table, dropped
    options = subset.Options()
    options.layout_features, options.name_IDs, options.hinting, options.notdef_outline = [], ["*"], False, True
    font = TTFont(str(path))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for lo, hi in FONT_RANGES for c in range(lo, hi + 1)])
    subsetter.subset(font)
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    font.save(str(tmp))
    os.replace(tmp, cached)
    return cached


def _fonts(text: str) -> Optional[tuple]:
    """(regular, bold) font files for `text`, or None when DejaVu is not installed."""
    for folder in FONT_DIRS:
        regular, bold = Path(folder, "DejaVuSans.ttf"), Path(folder, "DejaVuSans-Bold.ttf")
        if regular.exists() and bold.exists():
            if not _covered(text):
                return regular, bold
            try:
                return _reduced_font(regular), _reduced_font(bold)
            except Exception:  # a cache that cannot be written: the whole font works too
                logger.warning("could not cut the PDF font down; using the whole font", exc_info=True)
                return regular, bold
    return None


def _pdf(lines: Dict[str, str], lang: str) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    nl = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    title = texts.render("utter_doc_title", lang)
    body = texts.render("utter_doc_body", lang, **lines)
    footer = texts.render("utter_doc_footer", lang, **lines)

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    font, clean = "helvetica", _latin1
    files = _fonts(title + body + footer)
    if files:
        pdf.add_font("dejavu", "", str(files[0]))
        pdf.add_font("dejavu", "B", str(files[1]))
        font, clean = "dejavu", (lambda s: s)
    pdf.set_title(clean(title))
    pdf.set_font(font, "B", 13)
    pdf.multi_cell(0, 7, clean(title), **nl)
    pdf.ln(3)
    pdf.set_font(font, "", 11)
    for line in body.split("\n"):
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
    pdf.multi_cell(0, 5, clean(footer), **nl)
    return bytes(pdf.output())


def new_token() -> str:
    """The random part of a dossier's download links; digits only, so that a link in a chat
    message does not read as words of some language."""
    return "".join(secrets.choice("0123456789") for _ in range(32))


def names(doc: Dict[str, Any]) -> List[str]:
    """The file names of a dossier's PDFs: one per person concerned."""
    return [f"{n}.pdf" for n in range(1, len(doc.get("persons") or []) + 1)]


def folder_of(doc: Dict[str, Any]) -> Path:
    return var_dir() / "documents" / doc["download_token"]


def ready(doc: Dict[str, Any]) -> bool:
    """PDFs written and e-mail sent (or its failure recorded). Dossiers stored before
    `documents_ready` existed count as ready."""
    return doc.get("documents_ready", True) is not False


def write_pdfs(doc: Dict[str, Any], folder: Optional[Path] = None) -> List[Path]:
    """One PDF per person concerned; returns their paths."""
    lang = doc.get("language") or "fr"
    doc.setdefault("download_token", new_token())
    folder = folder or folder_of(doc)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, person in zip(names(doc), doc.get("persons") or []):
        path = folder / name
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(_pdf(person_lines(doc, person), lang))
        os.replace(tmp, path)  # a download never sees half a file
        paths.append(path)
    return paths


def remove(doc: Dict[str, Any]) -> None:
    import shutil

    if doc.get("download_token"):
        shutil.rmtree(folder_of(doc), ignore_errors=True)


def attachment_name(doc: Dict[str, Any], name: str) -> str:
    """The name a person sees for a stored PDF: "<reference>-<n>.pdf"."""
    return f"{doc['reference']}-{name}"


_DOCUMENT_KEYS = {"household_composition": "household_composition_certificate"}


def documents_note(doc: Dict[str, Any], lang: str) -> str:
    """The e-mail's reminder of the documents still to be sent (a non-resident's
    household composition certificate), and how: to the fund with the reference,
    by post to the CNS's address when the CNS is the fund. '' when none."""
    from bot import reference

    keys = [k for k in doc.get("documents_to_send") or ()]
    if not keys:
        return ""
    docs = reference.forms()["documents"]
    names = []
    for key in keys:
        entry = docs.get(_DOCUMENT_KEYS.get(key, key))
        names.append(entry["name"].get(lang) or entry["name"]["en"] if entry else key)
    fund = doc.get("fund") or "CNS"
    try:
        fund_label = f"{rules.fund_name(fund, lang)}, {fund}"
    except KeyError:
        fund_label = fund
    how = ""
    if fund == "CNS":
        how = texts.render("utter_doc_email_documents_how_cns", lang,
                           address=", ".join(rules.contact("cns")["address"]))
    return texts.render("utter_doc_email_documents", lang, documents=", ".join(names), fund=fund_label,
                        reference=doc["reference"], how=how)


def confirmation_email(doc: Dict[str, Any], pdfs: List[Path]) -> EmailMessage:
    lang = doc.get("language") or "fr"
    req = doc.get("requester") or {}
    params = {"reference": doc["reference"], "first_name": req.get("first_name", ""),
              "last_name": req.get("last_name", ""), "persons": len(doc.get("persons") or []),
              "documents_note": documents_note(doc, lang)}
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
                # the server's certificate and name are checked before the password is sent
                smtp.starttls(context=ssl.create_default_context())
            if os.environ.get("SMTP_USER"):
                smtp.login(os.environ["SMTP_USER"], os.environ.get("SMTP_PASSWORD", ""))
            smtp.send_message(msg)
        return f"smtp://{host}:{port}"
    outbox = var_dir() / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{dt.datetime.utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.eml"
    path.write_bytes(bytes(msg))
    return str(path)
