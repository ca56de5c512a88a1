"""A dossier a person can keep: PDFs per person and language, the confirmation e-mail through a
real SMTP server on loopback, status notifications, authenticated submissions."""
import email
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from pypdf import PdfReader

from bot import documents, dossier, store
from bot.validators import matricule

ANNA = matricule.generate("1985-04-12", 123)
LEO = matricule.generate("2014-06-01", 124)

SLOTS = {
    "fund": "CNS", "req_matricule": ANNA, "req_last_name": "Dupont", "req_first_name": "Marie",
    "residence": "FR", "email": "marie.dupont@example.fr", "destination": "TN",
    "departure": "2027-04-03", "return_date": "2027-04-20", "insured_status": "main",
    "persons": [{"matricule": LEO, "last_name": "Dupont", "first_name": "Léo", "relation": "child",
                 "destination": "TN", "departure": "2027-04-03", "return_date": "2027-04-20"}],
    "attachments": [{"type": "household_composition", "status": "to_send"}],
}

EXPECTED = {
    "fr": ["Référence", "Caisse nationale de santé", "Tunisie", "3 avril 2027", "T/L 4", "par voie postale"],
    "de": ["Referenz", "Nationale Gesundheitskasse", "Tunesien", "3. April 2027", "T/L 4", "per Post"],
    "en": ["Reference", "National Health Fund", "Tunisia", "April 3, 2027", "T/L 4", "by post"],
}


@pytest.fixture
def var(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("BOT_DATABASE_URL", f"sqlite:///{tmp_path / 'd.db'}")
    monkeypatch.delenv("SMTP_HOST", raising=False)
    return tmp_path


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch):
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    yield inbox
    controller.stop()


@pytest.mark.parametrize("lang", ["fr", "de", "en"])
def test_one_pdf_per_person_in_the_dossier_language(var, lang):
    doc = dossier.submit(SLOTS, lang, sender_id="s1")
    assert len(doc["documents"]) == 2
    for n, name in enumerate(doc["documents"]):
        text = PdfReader(var / "documents" / doc["download_token"] / name).pages[0].extract_text()
        for fact in EXPECTED[lang] + [doc["reference"], ["Marie", "Léo"][n]]:
            assert fact in text, (lang, fact, text)


def test_confirmation_email_goes_through_smtp_with_the_pdfs(var, smtp):
    doc = dossier.submit(SLOTS, "de", sender_id="s2")
    for _ in range(50):
        if smtp.messages:
            break
        time.sleep(0.05)
    (rcpt, msg), = smtp.messages
    assert rcpt == ["marie.dupont@example.fr"]
    assert doc["reference"] in msg["Subject"] and "Referenz" in msg["Subject"]
    attachments = [p for p in msg.walk() if p.get_content_type() == "application/pdf"]
    assert [a.get_filename() for a in attachments] == [f"{doc['reference']}-{n}" for n in doc["documents"]]
    assert doc["email_sent"].startswith("smtp://")


def test_without_smtp_the_email_lands_in_the_outbox(var):
    doc = dossier.submit(SLOTS, "fr", sender_id="s3")
    assert (var / "outbox").is_dir() and doc["email_sent"].endswith(".eml")
    assert doc["delivery"] == "post" and doc["authenticated"] is False
    assert doc["documents_to_send"] == ["household_composition"]


def test_authenticated_dossier_is_delivered_in_the_espace(var):
    doc = dossier.submit({**SLOTS, "authenticated": True}, "en", sender_id="s4")
    assert doc["authenticated"] is True and doc["delivery"] == "espace"


def test_status_change_is_told_once(var):
    doc = dossier.submit(SLOTS, "fr", sender_id="s5")
    assert dossier.notifications("s5") == []
    store.set_status(doc["reference"], "to_correct", note="Il manque le certificat.")
    says = dossier.notifications("s5")
    assert [s.response for s in says] == ["utter_status_to_correct"]
    assert says[0].params == {"reference": doc["reference"], "note": "Il manque le certificat."}
    assert dossier.notifications("s5") == []
    assert [s.response for s in dossier.status_overview(ANNA)] == ["utter_status_line_to_correct"]
    assert [s.response for s in dossier.notifications(None, ANNA)] == []
