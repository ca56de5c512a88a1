"""A dossier a person can keep: PDFs per person and language, the confirmation e-mail through a
real SMTP server on loopback, status notifications, authenticated submissions."""
import email
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from pypdf import PdfReader

from bot.dossier import documents
from bot.dossier import builder as dossier
from bot.dossier import store
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
    "fr": ["Référence", "Caisse nationale de santé", "Tunisie", "3 avril 2027", "T/L", "par voie postale"],
    "de": ["Referenz", "Nationale Gesundheitskasse", "Tunesien", "3. April 2027", "T/L", "per Post"],
    "en": ["Reference", "National Health Fund", "Tunisia", "April 3, 2027", "T/L", "by post"],
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


@pytest.mark.skipif(documents._fonts("a") is None, reason="needs DejaVu (fonts-dejavu-core)")
@pytest.mark.parametrize("first_name, reduced", [("Çağlar Şahin", True), ("Đorđe Dobrić", True),
                                                  ("Ђорђе", True), ("ნინო", False)])
def test_names_in_any_script_are_written_with_the_reduced_font_or_the_whole_one(var, first_name, reduced):
    slots = {**SLOTS, "req_first_name": first_name, "persons": []}
    doc = dossier.submit(slots, "fr", sender_id="s2")
    path = var / "documents" / doc["download_token"] / doc["documents"][0]
    assert first_name in PdfReader(path).pages[0].extract_text()
    regular, _ = documents._fonts(first_name)
    assert (regular.parent == var / "fonts") is reduced
    if reduced:
        assert regular.stat().st_size < 200_000  # the whole DejaVuSans.ttf is ~760 kB


def test_reduced_font_is_built_once(var):
    if documents._fonts("a") is None:
        pytest.skip("needs DejaVu (fonts-dejavu-core)")
    first = documents._fonts("abc")[0]
    mtime = first.stat().st_mtime_ns
    assert documents._fonts("xyz")[0] == first and first.stat().st_mtime_ns == mtime


def test_background_submission_answers_first_then_the_worker_writes_pdfs_and_email(var, monkeypatch):
    from bot.dossier import jobs

    monkeypatch.setenv("BOT_BACKGROUND", "1")
    doc = dossier.submit(SLOTS, "fr", sender_id="bg", background=True)
    assert doc["reference"] and doc["documents"] == ["1.pdf", "2.pdf"] and doc["documents_ready"] is False
    jobs.drain()
    done = store.get(doc["reference"])
    assert done["documents_ready"] is True and done["email_sent"]
    for name in doc["documents"]:
        assert (var / "documents" / doc["download_token"] / name).stat().st_size > 1000
    assert len(list((var / "outbox").glob("*.eml"))) == 1


def test_without_background_work_submission_does_everything_before_answering(var, monkeypatch):
    monkeypatch.setenv("BOT_BACKGROUND", "0")
    doc = dossier.submit(SLOTS, "de", sender_id="fg", background=True)
    assert doc["documents_ready"] is True and doc["email_sent"]


def test_left_undone_work_is_completed_once(var):
    doc = store.save({**dossier.build(SLOTS, "en"), "download_token": "7" * 32, "documents": ["1.pdf", "2.pdf"],
                      "documents_ready": False})
    assert dossier.produce_pending() == 1
    assert dossier.produce_pending() == 0
    assert store.get(doc["reference"])["documents_ready"] is True
    assert len(list((var / "outbox").glob("*.eml"))) == 1
    dossier.produce(doc["reference"])  # already done: nothing sent twice
    assert len(list((var / "outbox").glob("*.eml"))) == 1


def test_a_download_before_the_worker_gets_the_pdf_and_leaves_the_email_to_it(var):
    import http.client
    import threading

    from bot.web import make_server

    doc = store.save({**dossier.build(SLOTS, "fr"), "download_token": "8" * 32, "documents": ["1.pdf", "2.pdf"],
                      "documents_ready": False})
    assert store.find_by_token("8" * 32)["reference"] == doc["reference"]
    assert store.find_by_token("9" * 32) is None
    srv = make_server(0, "http://localhost:5999", host="127.0.0.1")
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        for token, status in (("8" * 32, 200), ("9" * 32, 404)):
            conn = http.client.HTTPConnection("127.0.0.1", srv.server_address[1], timeout=30)
            conn.request("GET", f"/documents/{token}/1.pdf")
            resp = conn.getresponse()
            body = resp.read()
            assert resp.status == status
            assert status != 200 or body.startswith(b"%PDF")
    finally:
        srv.shutdown()
    assert not (var / "outbox").exists()
    assert store.get(doc["reference"])["documents_ready"] is False


def test_a_dossier_erased_while_its_pdfs_are_written_leaves_no_file(var, monkeypatch):
    doc = store.save({**dossier.build(SLOTS, "fr"), "download_token": "6" * 32, "documents": ["1.pdf", "2.pdf"],
                      "documents_ready": False})
    real_write = documents.write_pdfs

    def write_then_erased(d, folder=None):
        paths = real_write(d, folder)
        _erase(doc["reference"])
        return paths

    monkeypatch.setattr(documents, "write_pdfs", write_then_erased)
    assert dossier.produce(doc["reference"]) is None
    assert not (var / "documents" / ("6" * 32)).exists()


def _erase(reference):
    from sqlalchemy import delete

    with store._session() as session:
        session.execute(delete(store.DossierRow).where(store.DossierRow.reference == reference))
        session.commit()


@pytest.mark.parametrize("lang,words", [
    ("fr", ["Document encore à envoyer : certificat de composition de ménage", "125, route d'Esch, L-2980 Luxembourg"]),
    ("de", ["Noch zu sendendes Dokument: Haushaltsbescheinigung", "per Post an 125, route d'Esch"]),
    ("en", ["Document still to be sent: household composition certificate", "by post to 125, route d'Esch"]),
])
def test_the_email_reminds_a_non_resident_which_document_to_send_and_how(lang, words):
    doc = {"reference": "CNS-TEST-1", "language": lang, "fund": "CNS", "persons": [{}],
           "requester": {"first_name": "Marie", "last_name": "Dupont", "email": "m@example.fr"},
           "documents_to_send": ["household_composition"]}
    body = documents.confirmation_email(doc, []).get_content()
    for word in words + ["CNS-TEST-1"]:
        assert word in body, (word, body)
    assert "{" not in body
    # another fund: no CNS address; nothing to send: no reminder
    body = documents.confirmation_email({**doc, "fund": "CMFEP"}, []).get_content()
    assert "CMFEP" in body and "route d'Esch" not in body
    body = documents.confirmation_email({**doc, "documents_to_send": []}, []).get_content()
    assert words[0] not in body and "{" not in body


def test_starttls_checks_the_server_certificate_before_the_password(monkeypatch, tmp_path):
    """Issue 15, finding 8: a server with a certificate nobody signed gets neither the password
    nor the e-mail (starttls without a context checked nothing)."""
    import ssl
    import subprocess

    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            auth_require_tls=True)
    controller.start()
    try:
        for key, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "SMTP_STARTTLS": "1",
                           "SMTP_USER": "bot", "SMTP_PASSWORD": "secret"}.items():
            monkeypatch.setenv(key, value)
        msg = documents.EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "a@example.lu", "b@example.lu", "x"
        msg.set_content("x")
        with pytest.raises(ssl.SSLCertVerificationError):
            documents.send(msg)
        assert inbox.messages == []
    finally:
        controller.stop()
