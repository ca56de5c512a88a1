"""Dossier storage with SQLAlchemy: SQLite under var/ by default, PostgreSQL given a URL.

The database URL comes from `BOT_DATABASE_URL` (default
``sqlite:///<repo>/var/dossiers.db``). A dossier is kept as one row with its
JSON document, plus the columns searched on.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import string
from pathlib import Path
from typing import Any, Dict, List, Optional

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
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)
    document = Column(Text, nullable=False)


class HandoffRow(Base):
    __tablename__ = "handoff_cases"
    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, nullable=False)
    sender_id = Column(String(255), index=True)
    status = Column(String(16), nullable=False, default="open")
    document = Column(Text, nullable=False)


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


def _session(url: Optional[str] = None):
    url = url or database_url()
    if url not in _engines:
        engine = tune_sqlite(create_engine(url, future=True, pool_pre_ping=True))
        Base.metadata.create_all(engine)
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
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for _ in range(20):
        doc = dict(document)
        doc["reference"] = new_reference(now.year)
        doc.setdefault("status", "submitted")
        doc["created_at"] = now.isoformat()
        row = DossierRow(reference=doc["reference"], status=doc["status"], sender_id=sender_id,
                         requester_matricule=(doc.get("requester") or {}).get("matricule"),
                         created_at=now.replace(tzinfo=None), updated_at=now.replace(tzinfo=None),
                         document=json.dumps(doc, ensure_ascii=False))
        with _session(url) as session:
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                continue
        return doc
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
    """Record a request for a human with what the agent needs to know (bot/handoff.py builds it)."""
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
