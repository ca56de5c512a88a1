"""Dossier storage with SQLAlchemy: SQLite under var/ by default, PostgreSQL given a URL.

The database URL comes from `BOT_DATABASE_URL` (default
``sqlite:///<repo>/var/dossiers.db``). A dossier is kept as one row with its
JSON document, plus the columns searched on.

One request, one dossier, whatever is retried (issue 15, finding 4): a
dossier may be saved with the request's idempotency key (``save_once``); the
key is UNIQUE in the table, so a second save with the same key, even at the
same moment from another thread or process, stores nothing and gives back the
dossier stored first. A database made before the column existed gets it (and
its unique index) when first opened, on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import string
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy import Column, DateTime, Integer, String, Text, create_engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import declarative_base, sessionmaker

ROOT = Path(__file__).resolve().parent.parent
Base = declarative_base()
STATUSES = ("submitted", "to_correct", "closed")


class DossierRow(Base):
    __tablename__ = "dossiers"
    id = Column(Integer, primary_key=True)
    reference = Column(String(16), unique=True, nullable=False, index=True)
    status = Column(String(16), nullable=False, default="submitted")
    sender_id = Column(String(255), index=True)
    requester_matricule = Column(String(13), index=True)
    request_key = Column(String(128), nullable=True)
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)
    document = Column(Text, nullable=False)


REQUEST_KEY_INDEX = sa.Index("ux_dossiers_request_key", DossierRow.request_key, unique=True)


class HandoffRow(Base):
    __tablename__ = "handoff_cases"
    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, nullable=False)
    sender_id = Column(String(255), index=True)
    status = Column(String(16), nullable=False, default="open")
    document = Column(Text, nullable=False)


class RatingRow(Base):
    """A rating of the help (bot/dossier/feedback.py): no sender id, no text but a masked comment."""
    __tablename__ = "ratings"
    id = Column(Integer, primary_key=True)
    created_on = Column(sa.Date, nullable=False, index=True)
    language = Column(String(8), nullable=False)
    topic = Column(String(64), nullable=False)
    score = Column(Integer, nullable=False)
    comment = Column(Text, nullable=True)


class ReviewRow(Base):
    """A message that ended in a fallback, a re-ask or a handoff, masked (bot/dossier/review.py).
    ``conversation`` is a keyed hash of the sender id (erasure finds the rows of a conversation)."""
    __tablename__ = "misunderstood"
    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, nullable=False, index=True)
    conversation = Column(String(64), index=True)
    language = Column(String(8), nullable=False)
    step = Column(String(64), nullable=False)
    kind = Column(String(16), nullable=False)
    text = Column(Text, nullable=False)


def database_url() -> str:
    url = os.environ.get("BOT_DATABASE_URL")
    if url:
        return url
    var = Path(os.environ.get("BOT_VAR_DIR", ROOT / "var"))
    var.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{var / 'dossiers.db'}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def tune_sqlite(engine: "sa.engine.Engine") -> "sa.engine.Engine":
    """For an SQLite file: a pooled engine on the same URL, in write-ahead-log mode
    with synchronous=NORMAL. Other databases (and in-memory SQLite) are returned as they are.

    WAL lets readers (the CLI, the console, the privacy commands) work while the
    assistant writes, and a commit appends to the log instead of syncing the
    database file twice; a committed transaction survives a crash of the process
    (only a power loss can take back the last ones, never corrupt the file).
    SQLAlchemy 1.4 otherwise opens a new SQLite connection for every session.
    """
    if engine.url.get_backend_name() != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return engine
    tuned = sa.create_engine(engine.url, future=bool(getattr(engine, "_is_future", False)), poolclass=sa.pool.QueuePool,
                             pool_size=4, max_overflow=4, connect_args={"check_same_thread": False})
    sa.event.listen(tuned, "connect", _sqlite_pragmas)
    engine.dispose()
    return tuned


_engines: Dict[str, Any] = {}


def migrate(engine: Any) -> None:
    """Create the tables, and add what later versions added to an existing ``dossiers`` table
    (``request_key`` and its unique index)."""
    Base.metadata.create_all(engine)
    columns = {c["name"] for c in sa.inspect(engine).get_columns(DossierRow.__tablename__)}
    with engine.begin() as conn:
        if "request_key" not in columns:
            conn.execute(sa.text("ALTER TABLE dossiers ADD COLUMN request_key VARCHAR(128)"))
        conn.execute(sa.text("CREATE UNIQUE INDEX IF NOT EXISTS ux_dossiers_request_key ON dossiers (request_key)"))


_engines_lock = threading.Lock()


def _session(url: Optional[str] = None):
    url = url or database_url()
    if url not in _engines:
        with _engines_lock:  # two first requests at once would both create the tables
            if url not in _engines:
                engine = tune_sqlite(create_engine(url, future=True, pool_pre_ping=True))
                migrate(engine)
                _engines[url] = sessionmaker(engine, future=True, expire_on_commit=False)
    return _engines[url]()


def new_reference(year: int, rand: Optional[secrets.SystemRandom] = None) -> str:
    """A reference in the online procedure's style: YYYY-LNNN-LNNN (e.g. 2026-A009-Q804)."""
    rand = rand or secrets.SystemRandom()

    def block() -> str:
        return rand.choice(string.ascii_uppercase) + "".join(rand.choice(string.digits) for _ in range(3))

    return f"{year}-{block()}-{block()}"


def save(document: Dict[str, Any], sender_id: Optional[str] = None, url: Optional[str] = None) -> Dict[str, Any]:
    """Store a new dossier; fills reference, status and created_at; returns the document."""
    return _insert(document, sender_id, url, None)[0]


def save_once(document: Dict[str, Any], request_key: str, sender_id: Optional[str] = None,
              url: Optional[str] = None) -> Tuple[Dict[str, Any], bool]:
    """Store the dossier of the request `request_key` unless one is stored already:
    (the dossier, True) when stored now, (the dossier stored first, False) otherwise."""
    if not request_key or not isinstance(request_key, str) or len(request_key) > 128:
        raise ValueError("request_key must be a text of 1 to 128 characters")
    existing = by_request_key(request_key, url)
    if existing is not None:
        return existing, False
    return _insert(document, sender_id, url, request_key)


def by_request_key(request_key: str, url: Optional[str] = None) -> Optional[Dict[str, Any]]:
    with _session(url) as session:
        row = session.execute(select(DossierRow).where(DossierRow.request_key == request_key)).scalar_one_or_none()
        return _doc(row) if row else None


def _insert(document: Dict[str, Any], sender_id: Optional[str], url: Optional[str],
            request_key: Optional[str]) -> Tuple[Dict[str, Any], bool]:
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for _ in range(20):
        doc = dict(document)
        doc["reference"] = new_reference(now.year)
        doc.setdefault("status", "submitted")
        doc["created_at"] = now.isoformat()
        row = DossierRow(reference=doc["reference"], status=doc["status"], sender_id=sender_id,
                         requester_matricule=(doc.get("requester") or {}).get("matricule"),
                         request_key=request_key,
                         created_at=now.replace(tzinfo=None), updated_at=now.replace(tzinfo=None),
                         document=json.dumps(doc, ensure_ascii=False))
        with _session(url) as session:
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                if request_key is not None:
                    existing = by_request_key(request_key, url)
                    if existing is not None:  # the same request, stored meanwhile by another attempt
                        return existing, False
                continue  # the reference was taken: another one
        return doc, True
    raise RuntimeError("could not allocate a unique dossier reference")


def get(reference: str, url: Optional[str] = None) -> Optional[Dict[str, Any]]:
    with _session(url) as session:
        row = session.execute(select(DossierRow).where(DossierRow.reference == reference)).scalar_one_or_none()
        return _doc(row) if row else None


def containing(fields: Dict[str, Any], url: Optional[str] = None) -> List[Dict[str, Any]]:
    """Dossiers whose document has these top-level values (e.g. a download token); the text
    search narrows in SQL, the comparison on the parsed document decides."""
    needles = [json.dumps({k: v}, ensure_ascii=False)[1:-1] for k, v in fields.items()]
    with _session(url) as session:
        query = select(DossierRow).order_by(DossierRow.created_at, DossierRow.id)
        for needle in needles:
            query = query.where(DossierRow.document.contains(needle, autoescape=True))
        docs = [_doc(row) for row in session.execute(query).scalars()]
    return [d for d in docs if all(d.get(k) == v for k, v in fields.items())]


def find_by_token(token: str, url: Optional[str] = None) -> Optional[Dict[str, Any]]:
    """The dossier whose download token is `token`."""
    found = containing({"download_token": token}, url)
    return found[0] if found else None


def list_all(url: Optional[str] = None, sender_id: Optional[str] = None,
             matricule: Optional[str] = None) -> List[Dict[str, Any]]:
    """All dossiers, or those of a conversation and/or of a requester."""
    from sqlalchemy import or_

    with _session(url) as session:
        query = select(DossierRow).order_by(DossierRow.created_at, DossierRow.id)
        if sender_id and matricule:
            query = query.where(or_(DossierRow.sender_id == sender_id, DossierRow.requester_matricule == matricule))
        elif sender_id:
            query = query.where(DossierRow.sender_id == sender_id)
        elif matricule:
            query = query.where(DossierRow.requester_matricule == matricule)
        return [_doc(row) for row in session.execute(query).scalars()]


def update(reference: str, fields: Dict[str, Any], url: Optional[str] = None) -> Dict[str, Any]:
    """Merge `fields` into a stored dossier's document."""
    with _session(url) as session:
        row = session.execute(select(DossierRow).where(DossierRow.reference == reference)).scalar_one()
        doc = {**_doc(row), **fields}
        row.document = json.dumps(doc, ensure_ascii=False)
        row.updated_at = dt.datetime.utcnow().replace(microsecond=0)
        session.commit()
        return doc


def set_status(reference: str, status: str, note: Optional[str] = None, url: Optional[str] = None) -> Dict[str, Any]:
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    with _session(url) as session:
        row = session.execute(select(DossierRow).where(DossierRow.reference == reference)).scalar_one_or_none()
        if row is None:
            raise KeyError(reference)
        doc = _doc(row)
        doc["status"] = status
        doc.setdefault("history", []).append(
            {"status": status, "note": note, "at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()})
        row.status = status
        row.document = json.dumps(doc, ensure_ascii=False)
        row.updated_at = dt.datetime.utcnow().replace(microsecond=0)
        session.commit()
        return doc


def _doc(row: DossierRow) -> Dict[str, Any]:
    doc = json.loads(row.document)
    doc["status"] = row.status
    return doc


def add_handoff(case: Dict[str, Any], sender_id: Optional[str] = None, url: Optional[str] = None) -> Dict[str, Any]:
    """Record a request for a human with what the agent needs to know (bot/dossier/handoff.py builds it)."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    with _session(url) as session:
        row = HandoffRow(created_at=now.replace(tzinfo=None), sender_id=sender_id, status="open",
                         document=json.dumps({**case, "created_at": now.isoformat()}, ensure_ascii=False))
        session.add(row)
        session.commit()
        return {**json.loads(row.document), "id": row.id, "status": row.status}


def list_handoffs(url: Optional[str] = None) -> List[Dict[str, Any]]:
    with _session(url) as session:
        rows = session.execute(select(HandoffRow).order_by(HandoffRow.id.desc())).scalars()
        return [{**json.loads(r.document), "id": r.id, "status": r.status} for r in rows]
