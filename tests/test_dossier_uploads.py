"""Uploads from the web chat: limits (15 files, 20 MB per conversation), type by content, storage, HTTP."""
from __future__ import annotations

import http.client
import json
import threading
from urllib.parse import quote

import pytest

from bot.dossier import uploads
from bot.hotline.console import Console
from bot.web import make_server

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
SENDER = "0123456789abcdef0123456789abcdef"
MB20 = 20 * 1024 * 1024


def pdf_of(size: int) -> bytes:
    return PDF + b"0" * (size - len(PDF))


@pytest.fixture()
def var(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_VAR_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture()
def server(var):
    srv = make_server(0, "http://localhost:5999", host="127.0.0.1", console=Console({}))
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def post(port, data: bytes, name="doc.pdf", sender=SENDER, headers=None, token=True):
    """POST /upload; ``token=True``: the conversation's own upload token, a string: that one, None: none."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    hdrs = {"Content-Type": "application/octet-stream", "X-Filename": quote(name)}
    if sender is not None:
        hdrs["X-Sender-Id"] = sender
    if token is True and sender is not None and uploads.valid_sender(sender):
        token = uploads.token_for(sender)
    if isinstance(token, str):
        hdrs["X-Upload-Token"] = token
    hdrs.update(headers or {})
    conn.request("POST", "/upload", body=data, headers=hdrs)
    res = conn.getresponse()
    body = res.read()
    conn.close()
    return res.status, json.loads(body), dict(res.getheaders())


# --- pure checks -------------------------------------------------------------------------

def test_limits_come_from_the_guide():
    assert uploads.MAX_FILES == 15
    assert uploads.MAX_TOTAL_BYTES == 20 * 1024 * 1024


@pytest.mark.parametrize("data, mime", [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"),
                                        (b"GIF89a....", None), (b"<html>", None), (b"", None),
                                        (b"PK\x03\x04 zip named pdf", None)])
def test_type_is_decided_by_content(data, mime):
    assert uploads.sniff(data) == mime


def test_file_named_pdf_with_other_content_is_refused():
    with pytest.raises(uploads.Refused) as exc:
        uploads.check([], "certificat.pdf", b"MZ\x90\x00 this is an executable")
    assert exc.value.code == "bad_type"
    # a real PNG named .pdf is a PNG
    assert uploads.check([], "certificat.pdf", PNG) == "image/png"


def test_fifteen_files_accepted_sixteenth_refused():
    entries = [{"size": 10} for _ in range(14)]
    assert uploads.check(entries, "a.pdf", PDF) == "application/pdf"  # the 15th
    with pytest.raises(uploads.Refused) as exc:
        uploads.check(entries + [{"size": 10}], "a.pdf", PDF)  # the 16th
    assert exc.value.code == "too_many_files"


def test_twenty_megabytes_in_total():
    entries = [{"size": MB20 - 1000}]
    assert uploads.check(entries, "a.pdf", pdf_of(1000)) == "application/pdf"  # exactly 20 MB
    with pytest.raises(uploads.Refused) as exc:
        uploads.check(entries, "a.pdf", pdf_of(1001))  # one byte more
    assert exc.value.code == "too_large"
    with pytest.raises(uploads.Refused):
        uploads.check([], "big.pdf", pdf_of(MB20 + 1))


def test_empty_file_refused():
    with pytest.raises(uploads.Refused) as exc:
        uploads.check([], "a.pdf", b"")
    assert exc.value.code == "empty"


@pytest.mark.parametrize("raw, clean", [
    ("C:\\Users\\x\\menage.pdf", "menage.pdf"), ("../../etc/passwd", "passwd"), ("a\x00b\x1f.pdf", "ab.pdf"),
    ("", "document"), ("..", "document"), ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
])
def test_clean_name(raw, clean):
    assert uploads.clean_name(raw) == clean


def test_save_stores_file_and_index(var):
    entry = uploads.save(SENDER, "ménage.pdf", PDF)
    folder = var / "uploads" / SENDER
    assert (folder / entry["id"]).read_bytes() == PDF
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert index == [entry]
    assert entry["name"] == "ménage.pdf" and entry["type"] == "application/pdf" and entry["size"] == len(PDF)
    got = uploads.get(SENDER, entry["id"])
    assert got["path"] == str(folder / entry["id"])
    assert uploads.as_entity(SENDER, entry["id"]) == {
        "entity": "upload", "value": {"id": entry["id"], "name": "ménage.pdf", "size": len(PDF),
                                      "type": "application/pdf"}}
    assert uploads.get(SENDER, "unknown-id-123") is None
    assert uploads.get("another-sender-1234", entry["id"]) is None
    assert uploads.usage(SENDER)["files_left"] == 14


@pytest.mark.parametrize("sender", ["../../etc", "a/b", "short", "", None, "x" * 65, "été-1234567"])
def test_bad_sender_refused(var, sender):
    with pytest.raises(uploads.Refused) as exc:
        uploads.save(sender, "a.pdf", PDF)
    assert exc.value.code == "bad_sender"
    assert not (var / "uploads").exists() or not any((var / "uploads").iterdir())


# --- over HTTP ---------------------------------------------------------------------------

def test_http_upload_accepted(server, var):
    status, body, _ = post(server, PDF, name="Certificat ménage.pdf")
    assert status == 201 and body["ok"] is True
    assert body["name"] == "Certificat ménage.pdf" and body["type"] == "application/pdf"
    assert (var / "uploads" / SENDER / body["id"]).is_file()
    assert body["files_left"] == 14


def test_http_fifteen_files_then_refused(server):
    for i in range(15):
        status, body, _ = post(server, PNG if i % 2 else JPEG, name=f"p{i}.png")
        assert status == 201, (i, body)
    status, body, _ = post(server, PDF)
    assert status == 409 and body == {**body, "ok": False, "reason": "too_many_files"}


def test_http_twenty_megabytes_then_refused(server, var):
    status, body, _ = post(server, pdf_of(MB20 - 1000), name="big.pdf")
    assert status == 201, body
    status, body, _ = post(server, pdf_of(1000), name="last.pdf")
    assert status == 201, body  # exactly 20 MB in total
    status, body, _ = post(server, pdf_of(10), name="one-more.pdf")
    assert status == 413 and body["reason"] == "too_large"
    assert len(json.loads((var / "uploads" / SENDER / "index.json").read_text())) == 2


def test_http_single_file_over_limit_refused(server, var):
    status, body, _ = post(server, pdf_of(MB20 + 1), name="huge.pdf")
    assert status == 413 and body["reason"] == "too_large"
    assert not (var / "uploads" / SENDER).exists()


def test_http_wrong_type_with_pdf_name_refused(server, var):
    status, body, _ = post(server, b"<script>alert(1)</script>", name="attestation.pdf",
                           headers={"Content-Type": "application/pdf"})
    assert status == 415 and body["reason"] == "bad_type"
    assert not (var / "uploads" / SENDER / "index.json").exists()


def test_http_empty_and_bad_sender(server):
    status, body, _ = post(server, b"")
    assert status == 400 and body["reason"] == "empty"
    status, body, _ = post(server, PDF, sender="../../../tmp")
    assert status == 400 and body["reason"] == "bad_sender"
    status, body, _ = post(server, PDF, sender=None)
    assert status == 400 and body["reason"] == "bad_sender"


def test_http_multipart(server, var):
    boundary = "----cnsboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"sender\"\r\n\r\n{SENDER}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n{uploads.token_for(SENDER)}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scan.png\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + PNG + f"\r\n--{boundary}--\r\n".encode()
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
    conn.request("POST", "/upload", body=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    res = conn.getresponse()
    data = json.loads(res.read())
    assert res.status == 201, data
    assert data["name"] == "scan.png" and data["type"] == "image/png"
    assert (var / "uploads" / SENDER / data["id"]).read_bytes() == PNG


def test_uploads_are_never_served_back(server, var):
    _, body, _ = post(server, PDF)
    for path in (f"/uploads/{SENDER}/{body['id']}", f"/upload?id={body['id']}", f"/{body['id']}"):
        conn = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
        conn.request("GET", path)
        res = conn.getresponse()
        assert res.status == 404, path
        assert PDF not in res.read()


def test_cors_only_for_configured_origins(server, monkeypatch):
    monkeypatch.setenv("CORS_ORIGINS", "https://www.example.lu")
    _, _, headers = post(server, PDF, headers={"Origin": "https://www.example.lu"})
    assert headers.get("Access-Control-Allow-Origin") == "https://www.example.lu"
    _, _, headers = post(server, PDF, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in headers


# --- uploads bound to the conversation, total disk cap (issue 15, item 8) --------------------

def test_upload_needs_the_token_given_to_the_conversation(server, var):
    other = "fedcba9876543210fedcba9876543210"
    for token in (None, "", "x" * 43, uploads.token_for(other)):
        status, body, _ = post(server, PDF, token=token)
        assert status == 403 and body["reason"] == "bad_sender", token
    assert not (var / "uploads" / SENDER).exists()
    assert post(server, PDF)[0] == 201  # its own token


def test_conversation_route_gives_a_new_sender_and_its_token(server, var):
    def call(method):
        conn = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
        conn.request(method, "/conversation")
        res = conn.getresponse()
        return res.status, res.read()

    status, raw = call("POST")
    first = json.loads(raw)
    assert status == 201 and uploads.valid_sender(first["sender"])
    assert uploads.check_token(first["sender"], first["uploadToken"])
    second = json.loads(call("POST")[1])
    assert second["sender"] != first["sender"] and second["uploadToken"] != first["uploadToken"]
    status, body, _ = post(server, PDF, sender=first["sender"], token=first["uploadToken"])
    assert status == 201, body
    assert post(server, PDF, sender=second["sender"], token=first["uploadToken"])[0] == 403
    assert call("GET")[0] == 404


def test_token_secret_from_environment_or_a_private_key_file(var, monkeypatch):
    monkeypatch.delenv("UPLOAD_SECRET", raising=False)
    token = uploads.token_for(SENDER)
    key = var / "upload.key"
    assert key.is_file() and key.stat().st_mode & 0o777 == 0o600
    assert uploads.token_for(SENDER) == token  # the same key next time (and after a restart)
    monkeypatch.setenv("UPLOAD_SECRET", "another secret")
    assert uploads.token_for(SENDER) != token
    assert not uploads.check_token(SENDER, token)
    assert uploads.check_token(SENDER, uploads.token_for(SENDER))
    assert not uploads.check_token("../../etc", uploads.token_for("../../etc"))


def test_total_disk_cap_across_conversations(var, monkeypatch):
    monkeypatch.setenv("UPLOADS_MAX_TOTAL_MB", str(4000 / 1024 / 1024))  # 4000 bytes for everyone
    assert uploads.max_total_bytes() == 4000
    uploads.save(SENDER, "a.pdf", pdf_of(2500))
    with pytest.raises(uploads.Refused) as exc:
        uploads.save("fedcba9876543210fedcba9876543210", "b.pdf", pdf_of(2000))  # another conversation
    assert exc.value.code == "storage_full"
    assert uploads.total_bytes() < 4000
    monkeypatch.delenv("UPLOADS_MAX_TOTAL_MB")
    assert uploads.max_total_bytes() == 2048 * 1024 * 1024


def test_http_disk_cap_refused_with_507(server, var, monkeypatch):
    monkeypatch.setenv("UPLOADS_MAX_TOTAL_MB", str(3000 / 1024 / 1024))
    assert post(server, pdf_of(2000))[0] == 201
    status, body, _ = post(server, pdf_of(2000), sender="fedcba9876543210fedcba9876543210")
    assert status == 507 and body["reason"] == "storage_full"
