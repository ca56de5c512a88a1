"""`python -m bot privacy purge|erase` on temporary SQLite databases.

The conversations are written by Rasa's own SQLTrackerStore (the real
``events`` schema), the dossiers and handoff cases by bot/dossier/store.py.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import time
from contextlib import redirect_stdout

import pytest
import sqlalchemy as sa

from bot import cli
from bot.dossier import privacy, store
from bot.validators import matricule

DAY = 86400.0
M1 = matricule.generate("1985-04-12")          # the person to erase
M2 = matricule.generate("2015-06-01", serial=7)  # her child
OTHER = matricule.generate("1970-01-31", serial=55)


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("BOT_DATABASE_URL", f"sqlite:///{tmp_path / 'dossiers.db'}")
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    monkeypatch.delenv("TRACKER_DB_URL", raising=False)
    (tmp_path / "var").mkdir()
    return tmp_path


def _tracker_store(path):
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    domain = Domain.from_dict({"slots": {name: {"type": "any", "mappings": [{"type": "custom"}]}
                                         for name in ("req_matricule", "req_last_name", "persons")},
                               "intents": ["inform"]})
    return SQLTrackerStore(domain, dialect="sqlite", db=str(path))


def _conversation(ts, sender, start, texts, slots=None, new_session_at=None):
    """A conversation saved through Rasa's store; events timestamped from `start` (epoch seconds)."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    t = start
    events = [ActionExecuted("action_session_start", timestamp=t), SessionStarted(timestamp=t + 1),
              ActionExecuted("action_listen", timestamp=t + 2)]
    t += 3
    for text in texts:
        events.append(UserUttered(text, {"name": "inform", "confidence": 1.0}, timestamp=t))
        events.append(BotUttered("ok", timestamp=t + 1))
        events.append(ActionExecuted("action_listen", timestamp=t + 2))
        t += 3
    for key, value in (slots or {}).items():
        events.append(SlotSet(key, value, timestamp=t))
        t += 1
    if new_session_at:
        t = new_session_at
        events += [ActionExecuted("action_session_start", timestamp=t), SessionStarted(timestamp=t + 1),
                   ActionExecuted("action_listen", timestamp=t + 2),
                   UserUttered("bonjour", {"name": "inform", "confidence": 1.0}, timestamp=t + 3)]
    tracker = DialogueStateTracker.from_events(sender, events, ts.domain.slots)
    asyncio.run(ts.save(tracker))


def _count(path, sender=None):
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        q = "SELECT count(*) FROM events" + (" WHERE sender_id = :s" if sender else "")
        n = conn.execute(sa.text(q), {"s": sender}).scalar_one()
    engine.dispose()
    return n


def _dossier(requester, persons, sender, token=None, attachments=()):
    doc = {"requester": {"matricule": requester, "last_name": "Dupont", "first_name": "Marie",
                         "email": "marie@example.lu"},
           "persons": [{"matricule": m, "last_name": "Dupont", "first_name": f"P{i}"} for i, m in enumerate(persons)],
           "attachments": list(attachments)}
    doc = store.save(doc, sender_id=sender)
    if token:
        doc = store.update(doc["reference"], {"download_token": token})
    return doc


def _age_dossier(reference, days):
    old = dt.datetime.utcnow() - dt.timedelta(days=days)
    engine = sa.create_engine(store.database_url())
    with engine.begin() as conn:
        conn.execute(sa.update(store.DossierRow.__table__).where(store.DossierRow.reference == reference)
                     .values(created_at=old, updated_at=old))
    engine.dispose()


def _age_handoffs(days):
    old = dt.datetime.utcnow() - dt.timedelta(days=days)
    engine = sa.create_engine(store.database_url())
    with engine.begin() as conn:
        conn.execute(sa.update(store.HandoffRow.__table__).values(created_at=old))
    engine.dispose()


def _files(var, token, *names):
    folder = var / "documents" / token
    folder.mkdir(parents=True)
    (folder / "1.pdf").write_bytes(b"%PDF-1.4")
    for name in names:
        up = var / "uploads" / name
        up.mkdir(parents=True)
        (up / "household.pdf").write_bytes(b"%PDF-1.4")


def _run(*argv):
    out = io.StringIO()
    with redirect_stdout(out):
        code = cli.main(["privacy", *argv])
    return code, (json.loads(out.getvalue()) if out.getvalue().strip() else None)


def test_purge_deletes_what_is_older_than_n_days(env):
    var = env / "var"
    now = time.time()
    ts = _tracker_store(env / "tracker.db")
    _conversation(ts, "old", now - 400 * DAY, ["Je pars en Tunisie", M1], {"req_matricule": M1})
    _conversation(ts, "long", now - 500 * DAY, ["ancienne session"], new_session_at=now - 2 * DAY)
    _conversation(ts, "recent", now - 3 * DAY, ["Je pars au Maroc"])
    old = _dossier(M1, [M1], "old", token="1" * 32)
    new = _dossier(OTHER, [OTHER], "recent", token="2" * 32)
    _age_dossier(old["reference"], 400)
    store.add_handoff({"slots": {"req_matricule": M1}}, sender_id="old")
    _age_handoffs(400)
    store.add_handoff({"slots": {}}, sender_id="recent")
    _files(var, "1" * 32)
    _files(var, "2" * 32)
    (var / "outbox").mkdir()
    (var / "outbox" / "a.eml").write_text(f"Subject: {old['reference']}\n")
    (var / "outbox" / "b.eml").write_text(f"Subject: {new['reference']}\n")
    long_before = _count(env / "tracker.db", "long")

    code, dry = _run("purge", "--older-than-days", "365", "--dry-run")
    assert code == 0 and dry["dry_run"] is True
    assert store.get(old["reference"]) is not None and _count(env / "tracker.db", "old") > 0

    code, report = _run("purge", "--older-than-days", "365")
    assert code == 0
    assert {k: report[k] for k in ("dossiers", "handoff_cases", "tracker_conversations", "documents", "emails")} == \
        {"dossiers": 1, "handoff_cases": 1, "tracker_conversations": 1, "documents": 1, "emails": 1}
    assert report["references"] == [old["reference"]]
    assert report["tracker_events"] == dry["tracker_events"] > 0
    assert store.get(old["reference"]) is None and store.get(new["reference"]) is not None
    assert len(store.list_handoffs()) == 1
    assert _count(env / "tracker.db", "old") == 0
    assert _count(env / "tracker.db", "recent") > 0
    # the conversation still in use keeps its current session, loses the old one
    kept = _count(env / "tracker.db", "long")
    assert 0 < kept < long_before
    tracker = asyncio.run(ts.retrieve("long"))
    assert tracker is not None and tracker.latest_message.text == "bonjour"
    assert not (var / "documents" / ("1" * 32)).exists() and (var / "documents" / ("2" * 32)).exists()
    assert not (var / "outbox" / "a.eml").exists() and (var / "outbox" / "b.eml").exists()
    # running it again removes nothing more
    code, again = _run("purge", "--older-than-days", "365")
    assert again["dossiers"] == again["tracker_events"] == again["handoff_cases"] == 0


def test_erase_removes_a_person_everywhere(env):
    var = env / "var"
    now = time.time()
    ts = _tracker_store(env / "tracker.db")
    spaced = f"{M1[:4]} {M1[4:8]} {M1[8:11]} {M1[11:]}"
    _conversation(ts, "typed-spaced", now - DAY, ["Bonjour", f"mon matricule est {spaced}"])
    _conversation(ts, "in-slot", now - DAY, ["Bonjour"], {"req_matricule": M1})
    _conversation(ts, "dossier-only", now - DAY, ["Bonjour"])
    _conversation(ts, "unrelated", now - DAY, ["Bonjour", OTHER], {"req_matricule": OTHER})
    as_requester = _dossier(M1, [M1, M2], "dossier-only", token="3" * 32,
                            attachments=[{"id": "up-123", "name": "household.pdf", "status": "received"}])
    as_concerned = _dossier(OTHER, [OTHER, M1], "x-sender", token="4" * 32)
    unrelated = _dossier(OTHER, [OTHER], "unrelated", token="5" * 32)
    store.add_handoff({"slots": {"req_matricule": M1}}, sender_id="handoff-sender")
    store.add_handoff({"slots": {"req_matricule": OTHER}}, sender_id="unrelated")
    _files(var, "3" * 32, "up-123", "typed-spaced")
    _files(var, "4" * 32)
    _files(var, "5" * 32, "unrelated")
    (var / "outbox").mkdir()
    (var / "outbox" / "a.eml").write_text(f"Subject: {as_requester['reference']}\n")
    (var / "outbox" / "c.eml").write_text(f"Subject: {unrelated['reference']}\n")

    code, dry = _run("erase", "--matricule", spaced, "--dry-run")
    assert code == 0 and dry["dossiers"] == 2 and dry["tracker_conversations"] == 3
    assert store.get(as_requester["reference"]) is not None and _count(env / "tracker.db", "in-slot") > 0
    assert (var / "uploads" / "up-123").exists()

    code, report = _run("erase", "--matricule", M1)
    assert code == 0
    assert report["dossiers"] == 2
    assert sorted(report["references"]) == sorted([as_requester["reference"], as_concerned["reference"]])
    assert report["handoff_cases"] == 1
    assert report["tracker_conversations"] == 3          # typed-spaced, in-slot, dossier-only
    assert report["tracker_events"] == dry["tracker_events"] > 0
    assert report["documents"] == 2
    assert report["uploads"] == 2                          # up-123 (attachment), typed-spaced (conversation)
    assert report["emails"] == 1
    assert store.get(as_requester["reference"]) is None and store.get(as_concerned["reference"]) is None
    assert store.get(unrelated["reference"]) is not None
    assert [h["sender_id"] if "sender_id" in h else h["slots"] for h in store.list_handoffs()] \
        == [{"req_matricule": OTHER}]
    for sender in ("typed-spaced", "in-slot", "dossier-only"):
        assert _count(env / "tracker.db", sender) == 0
        assert asyncio.run(ts.retrieve(sender)) is None
    assert _count(env / "tracker.db", "unrelated") > 0
    assert (var / "documents" / ("5" * 32)).exists() and (var / "uploads" / "unrelated").exists()
    assert not (var / "uploads" / "up-123").exists() and not (var / "documents" / ("3" * 32)).exists()
    assert not (var / "outbox" / "a.eml").exists() and (var / "outbox" / "c.eml").exists()
    # nothing of the number is left in the databases
    for url in (store.database_url(), f"sqlite:///{env / 'tracker.db'}"):
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            for table in sa.inspect(engine).get_table_names():
                for row in conn.execute(sa.text(f"SELECT * FROM {table}")):
                    assert M1 not in json.dumps([str(v) for v in row])
        engine.dispose()
    # idempotent
    code, again = _run("erase", "--matricule", M1)
    assert code == 0 and again["dossiers"] == again["tracker_events"] == again["uploads"] == 0


def test_purge_and_erase_cover_ratings_and_misunderstood_messages(env):
    from bot.dossier import feedback, review

    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=40)
    review.record("vieux message", "fallback", "fr", "general", None, "c-old", now=old)
    review.record("nouveau message", "fallback", "fr", "general", None, "c-new")
    review.record(f"mon numéro {M1[:4]} {M1[4:]}", "reask", "de", "req_matricule", None, "c-x")
    feedback.record(1, "fr", "ask_ehic", today=old.date())
    feedback.record(0, "en", "request")
    code, report = _run("purge", "--older-than-days", "30", "--dry-run")
    assert report["ratings"] == 1 and report["misunderstood"] == 1 and len(review.listing()) == 3
    code, report = _run("purge", "--older-than-days", "30")
    assert code == 0 and report["ratings"] == 1 and report["misunderstood"] == 1
    assert feedback.report()["count"] == 1
    # the number is masked when stored: nothing of it is left to erase, and the rows of others stay
    assert "<matricule>" in review.listing()[-1]["text"]
    code, report = _run("erase", "--matricule", M1)
    assert report["misunderstood"] == 0 and len(review.listing()) == 2


def test_erase_rejects_a_malformed_number(env, capsys):
    assert cli.main(["privacy", "erase", "--matricule", "12345"]) == 2
    assert "13 digits" in capsys.readouterr().err


def test_purge_rejects_negative_days(env):
    with pytest.raises(SystemExit):
        cli.main(["privacy", "purge", "--older-than-days", "-1"])
    with pytest.raises(ValueError):
        privacy.purge(-1)


def test_without_tracker_store_only_the_dossiers_are_handled(env):
    doc = _dossier(M1, [M1], "s")
    report = privacy.erase(M1)
    assert report["dossiers"] == 1 and report["tracker_store"] is None and report["tracker_events"] == 0
    assert store.get(doc["reference"]) is None


def test_tracker_url_from_env_hides_the_password(env, monkeypatch):
    monkeypatch.setenv("TRACKER_DB_URL", "postgresql://bot:s3cret@127.0.0.1:5432/tracker")
    assert privacy.tracker_url() == "postgresql://bot:s3cret@127.0.0.1:5432/tracker"
    assert "s3cret" not in privacy._shown(privacy.tracker_url())


def test_paths_outside_the_folders_are_never_removed(env):
    base = env / "var" / "uploads"
    base.mkdir(parents=True)
    (env / "keep.txt").write_text("x")
    for name in ("../keep.txt", "..", "/etc/passwd", "a/../../keep.txt", ""):
        assert privacy._inside(base, name) is None
    assert (env / "keep.txt").exists()


def test_after_erase_no_file_holds_the_number_names_or_email(env, monkeypatch):
    """Issue 15, finding 3: grep the raw files (databases and their write-ahead logs, logs,
    PDFs, outbox) after erase. The stores stay open, as in a running assistant."""
    import base64
    import re

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot import auth
    from bot.dossier import builder as dossier
    from bot.rasa.stores import SQLiteTrackerStore

    monkeypatch.setenv("BOT_BACKGROUND", "0")
    monkeypatch.delenv("SMTP_HOST", raising=False)
    var = env / "var"
    first, last, mail = "Zéphyrine", "Quennevaux", "zephyrine.q@example.lu"
    doc = dossier.file({"language": "fr", "fund": "CNS", "authenticated": True, "delivery": "espace",
                        "requester": {"matricule": M1, "first_name": first, "last_name": last, "email": mail,
                                      "residence_country": "LU"},
                        "persons": [{"matricule": M1, "first_name": first, "last_name": last, "relation": "self",
                                     "destination": "TN", "departure": "2027-04-03", "return": "2027-04-20",
                                     "form": "T/L 4"}],
                        "attachments": [], "documents_to_send": []}, sender_id="c-typed")
    ref = doc["reference"]
    assert list((var / "documents").rglob("*.pdf")) and list((var / "outbox").glob("*.eml"))
    other = store.save({"requester": {"matricule": OTHER, "last_name": "Other"}, "persons": []}, sender_id="c-other")

    domain = Domain.from_dict({"intents": ["inform"], "slots": {}})
    tracker_store = SQLiteTrackerStore(domain=domain, dialect="sqlite", db=str(env / "tracker.db"))
    token = auth.make_token(M1, first, last, "secret-for-the-test-0123456789abcdef")

    def conversation(sender, texts, metadata=None):
        events = [ActionExecuted("action_listen")]
        for text in texts:
            events += [UserUttered(text, {"name": "inform", "confidence": 1.0}, metadata=metadata),
                       BotUttered(f"ok {text[:20]}"), ActionExecuted("action_listen")]
        asyncio.run(tracker_store.save(DialogueStateTracker.from_events(sender, events, domain.slots)))

    conversation("c-typed", [f"{first} {last}", M1, mail, "oui"])
    conversation("c-token", ["bonjour", "où en est ma demande ?"], metadata={"auth_token": token})
    conversation("c-ref", [f"le dossier {ref} est-il prêt ?"])
    conversation("c-other", ["bonjour", OTHER])
    logs = var / "logs"
    logs.mkdir()
    (logs / "rasa.log.1").write_text(f"DEBUG user said '{first} {last}', {M1[:4]} {M1[4:]} <{mail}>\n")
    (logs / "rasa.log").write_text(f"INFO metadata {{'auth_token': '{token}'}} for {last.upper()}\nINFO other line\n")
    # issue 17: a misunderstood message of her conversation (a name no slot held yet: not masked),
    # and a rating whose comment names her; the others' stay
    from bot.dossier import feedback, review
    review.record(f"c'est {first} {last} qui part", "reask", "fr", "req_first_name", None, "c-typed")
    review.record("euh quoi", "fallback", "fr", "general", None, "c-other")
    feedback.record(0, "fr", "request", f"trop long pour {last}")
    feedback.record(1, "fr", "request", "très bien")
    from bot.dossier import transcript
    transcript.save([{"event": "user", "text": f"{first} {last}"}, {"event": "bot", "text": "ok"},
                     {"event": "user", "text": "/transcript"}], "fr", "c-typed")
    transcript.save([{"event": "user", "text": "bonjour"}, {"event": "user", "text": "/transcript"}], "fr", "c-other")

    code, report = _run("erase", "--matricule", M1)
    assert code == 0 and report["dossiers"] == 1 and report["logs"] == 2
    assert report["ratings"] == 1 and report["misunderstood"] == 1 and report["transcripts"] == 1
    assert len(list((var / "transcripts").rglob("*.txt"))) == 1
    assert [r["text"] for r in review.listing()] == ["euh quoi"]
    assert [c["comment"] for c in feedback.report()["comments"]] == ["très bien"]
    assert report["tracker_conversations"] == 3 and len(report["compacted"]) == 2

    needles = [M1.encode(), last.encode(), last.upper().encode(), mail.encode(), first.encode(),
               "Z\\u00e9phyrine".encode(), ref.encode()]
    jwt_part = re.compile(rb"eyJ[A-Za-z0-9_-]*\.([A-Za-z0-9_-]+)\.")
    files = [p for p in env.rglob("*") if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files)   # the databases are still open, as in a running server
    for path in files:
        raw = path.read_bytes()
        for needle in needles:
            assert needle not in raw, (path.name, needle)
        assert M1.encode() not in re.sub(rb"\D", b"", raw.replace(OTHER.encode(), b"")), path.name
        for m in jwt_part.finditer(raw):
            claims = base64.urlsafe_b64decode(m.group(1) + b"=" * (-len(m.group(1)) % 4))
            assert M1.encode() not in claims, path.name
    # what belongs to others is still there
    assert store.get(other["reference"]) is not None and asyncio.run(tracker_store.retrieve("c-other")) is not None
    assert "INFO other line" in (logs / "rasa.log").read_text()
