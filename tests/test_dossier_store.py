"""Dossier store: references, round trip, status changes, on a temporary SQLite database."""
import re

import pytest

from bot.dossier import store

REF = re.compile(r"^20\d{2}-[A-Z]\d{3}-[A-Z]\d{3}$")


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'd.db'}"


def test_reference_has_the_procedure_style():
    for _ in range(200):
        assert REF.match(store.new_reference(2026))


def test_save_get_list_and_status(url):
    doc = store.save({"requester": {"matricule": "1985041212345"}, "persons": []}, sender_id="s1", url=url)
    assert REF.match(doc["reference"]) and doc["status"] == "submitted" and doc["created_at"]
    assert store.get(doc["reference"], url=url)["requester"]["matricule"] == "1985041212345"
    assert [d["reference"] for d in store.list_all(url=url)] == [doc["reference"]]
    changed = store.set_status(doc["reference"], "to_correct", note="pièce manquante", url=url)
    assert changed["status"] == "to_correct" and changed["history"][-1]["note"] == "pièce manquante"
    assert store.get(doc["reference"], url=url)["status"] == "to_correct"
    with pytest.raises(ValueError):
        store.set_status(doc["reference"], "lost", url=url)
    with pytest.raises(KeyError):
        store.set_status("2026-A000-A000", "closed", url=url)


def test_references_are_unique(url):
    refs = {store.save({"persons": []}, url=url)["reference"] for _ in range(50)}
    assert len(refs) == 50


# --------------------------------------------------------------------------- one request, one dossier (issue 15.4)

def _rows(url):
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(sa.text("SELECT count(*) FROM dossiers")).scalar_one()
    engine.dispose()
    return n


def test_a_request_key_is_stored_once_even_by_parallel_attempts(url):
    import threading

    first, created = store.save_once({"persons": []}, "chat:k1", sender_id="s1", url=url)
    again, created_again = store.save_once({"persons": [], "other": 1}, "chat:k1", sender_id="s1", url=url)
    assert created and not created_again and again["reference"] == first["reference"] and "other" not in again
    results = []
    barrier = threading.Barrier(8)

    def attempt():
        barrier.wait()
        results.append(store.save_once({"persons": []}, "hotline:k2", url=url))

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len({doc["reference"] for doc, _ in results}) == 1 and sum(c for _, c in results) == 1
    assert _rows(url) == 2
    store.save({"persons": []}, url=url)      # without a key: as before
    store.save({"persons": []}, url=url)
    assert _rows(url) == 4


def test_an_older_database_gets_the_unique_key(tmp_path):
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # the table as created before the key existed
        conn.execute(sa.text("CREATE TABLE dossiers (id INTEGER PRIMARY KEY, reference VARCHAR(16) NOT NULL UNIQUE, "
                             "status VARCHAR(16) NOT NULL, sender_id VARCHAR(255), requester_matricule VARCHAR(13), "
                             "created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, document TEXT NOT NULL)"))
    engine.dispose()
    doc, _ = store.save_once({"persons": []}, "chat:old", url=url)
    assert store.save_once({"persons": []}, "chat:old", url=url) == (doc, False)
    engine = sa.create_engine(url)
    with engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.execute(sa.text("UPDATE dossiers SET request_key = 'chat:old' WHERE reference != :r"), {"r": doc["reference"]})
        conn.execute(sa.text("INSERT INTO dossiers (reference, status, created_at, updated_at, document, request_key) "
                             "VALUES ('2026-X000-X000', 's', '2026-01-01', '2026-01-01', '{}', 'chat:old')"))
    engine.dispose()


def test_a_retried_submission_makes_no_second_dossier_pdf_or_email(tmp_path, monkeypatch):
    """The process died after storing the dossier, before the conversation: the person says yes again."""
    from bot.dossier import builder as dossier
    from bot.dossier import idempotency

    monkeypatch.setenv("BOT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("BOT_DATABASE_URL", f"sqlite:///{tmp_path / 'dossiers.db'}")
    monkeypatch.setenv("BOT_BACKGROUND", "0")
    monkeypatch.delenv("SMTP_HOST", raising=False)
    calls = []
    monkeypatch.setattr(dossier, "produce", lambda ref, send_email=True: calls.append(ref) or store.get(ref))
    doc = {"persons": [], "requester": {"email": "marie@example.lu"}}
    key = idempotency.chat_key(idempotency.new_key(), "s-1", [])
    first = dossier.file(doc, sender_id="s-1", request_key=key)
    second = dossier.file(doc, sender_id="s-1", request_key=key)
    assert second["reference"] == first["reference"] and calls == [first["reference"]]
    assert len(store.list_all()) == 1
    other = dossier.file(doc, sender_id="s-1", request_key=idempotency.chat_key(idempotency.new_key(), "s-1", []))
    assert other["reference"] != first["reference"] and len(calls) == 2


def test_chat_keys():
    from bot.dossier import idempotency

    key = idempotency.new_key()
    assert idempotency.chat_key(key, "s", []) == "chat:" + key
    events = [{"event": "active_loop", "name": "request_form", "timestamp": 10.0},
              {"event": "active_loop", "name": None, "timestamp": 11.0}]
    derived = idempotency.chat_key(None, "s", events)
    assert derived and derived == idempotency.chat_key("bad key!", "s", events)
    assert derived != idempotency.chat_key(None, "other", events)
    assert idempotency.chat_key(None, "s", events + [{"event": "active_loop", "name": "request_form",
                                                      "timestamp": 20.0}]) != derived
    assert idempotency.chat_key(None, "s", []) is None
    assert idempotency.hotline_key(None, "alice", {"a": "1", "csrf": "x"}) == \
        idempotency.hotline_key("", "alice", {"a": "1", "csrf": "y"})
