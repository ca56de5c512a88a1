"""Personal data: retention (`purge`) and the right to erasure (`erase`).

    python -m bot privacy purge --older-than-days 365 [--dry-run]
    python -m bot privacy erase --matricule 1985041212393 [--dry-run]

Both print one JSON object saying what was (or, with ``--dry-run``, would be)
removed, with counts.

Where the data is:

* dossiers and handoff cases: ``BOT_DATABASE_URL`` (bot/dossier/store.py), with the
  ratings (table ``ratings``, bot/dossier/feedback.py) and the misunderstood messages kept
  for review (table ``misunderstood``, bot/dossier/review.py);
* conversations: Rasa's SQL tracker store, table ``events`` (one row per
  event: ``sender_id``, ``type_name``, ``timestamp`` in seconds since the
  epoch, ``data`` the event as JSON), at ``TRACKER_DB_URL`` (any SQLAlchemy
  URL, e.g. ``postgresql://user:pw@127.0.0.1:5432/tracker``) or else the SQLite
  file ``TRACKER_DB`` (default ``$BOT_VAR_DIR/tracker.db``);
* files under ``$BOT_VAR_DIR``: ``documents/<download_token>/*.pdf`` (one per
  dossier), ``transcripts/<conversation key>/<token>.txt`` (bot/dossier/transcript.py),
  ``uploads/<name>`` (a folder or file named by the conversation's
  sender id or by the upload's id/token, as kept in the dossier's
  ``attachments``), ``outbox/*.eml`` (confirmation e-mails when no SMTP server
  is configured).

purge --older-than-days N
    dossiers not changed for N days (``updated_at``) with their PDFs, uploads
    and e-mails; handoff cases created more than N days ago; conversations
    whose last event is older than N days (all their events), ratings and
    misunderstood messages of more than N days, and, in the
    conversations still in use, the events older than N days that belong to an
    earlier session (before the latest ``session_started``), so that Rasa's
    current session is never cut; upload folders and outbox files not modified
    for N days.

erase --matricule NUMBER
    dossiers where the number is the requester's or a person concerned's (with
    their PDFs, uploads and e-mails); handoff cases mentioning it; every
    conversation with an event whose data holds it (written compactly or with
    spaces, dots, hyphens or slashes), and the conversations of the erased
    dossiers and handoff cases (all their events); the misunderstood messages of
    those conversations, and the ratings' comments and misunderstood messages that
    still hold the number or the person's names or e-mail; the uploads named by those
    conversations; the conversations whose events hold it in a signed token
    (``metadata.auth_token``: its claims are base64, the number is not in clear)
    or name one of the erased dossiers' references. Then the log files under
    ``$BOT_VAR_DIR/logs`` have the number, the e-mail addresses and the names of
    the erased dossiers' person replaced by ``<erased>``, and each SQLite
    database (dossiers, conversations) is checkpointed (``PRAGMA
    wal_checkpoint(TRUNCATE)``) and rebuilt (``VACUUM``): deleted rows
    otherwise stay readable in the write-ahead log and in free pages.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

import sqlalchemy as sa

from bot.dossier import store

SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@+=-]{0,254}$")
JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*")
ERASED = "<erased>"
BATCH = 2000

EVENTS = sa.table("events", sa.column("id", sa.Integer), sa.column("sender_id", sa.String),
                  sa.column("type_name", sa.String), sa.column("timestamp", sa.Float),
                  sa.column("data", sa.Text))


# --------------------------------------------------------------------------- where things are

def var_dir() -> Path:
    return Path(os.environ.get("BOT_VAR_DIR", store.ROOT / "var"))


def tracker_url() -> Optional[str]:
    """Rasa's SQL tracker store: TRACKER_DB_URL, or the SQLite file TRACKER_DB (default $BOT_VAR_DIR/tracker.db)."""
    url = os.environ.get("TRACKER_DB_URL")
    if url:
        return url
    path = Path(os.environ.get("TRACKER_DB") or var_dir() / "tracker.db")
    return f"sqlite:///{path}" if path.is_file() else None


def _shown(url: Optional[str]) -> Optional[str]:
    """The URL without its password, for the report."""
    if not url:
        return None
    try:
        return sa.engine.make_url(url).__repr__()
    except Exception:
        return "<unparsable url>"


def _engine(url: str) -> sa.engine.Engine:
    return sa.create_engine(url, future=True, pool_pre_ping=True)


def _has_events(engine: sa.engine.Engine) -> bool:
    return sa.inspect(engine).has_table("events")


# --------------------------------------------------------------------------- files

def _inside(base: Path, name: str) -> Optional[Path]:
    """base/name when name is a plain file name (no path tricks) and it exists."""
    name = str(name or "").strip()
    if not SAFE_NAME.match(name) or name in (".", ".."):
        return None
    path = base / name
    try:
        path.resolve().relative_to(base.resolve())
    except (ValueError, OSError):
        return None
    return path if path.exists() or path.is_symlink() else None


def _remove(path: Path, dry_run: bool) -> int:
    if dry_run:
        return 1
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except FileNotFoundError:
            return 0
    return 1


def _upload_names(doc: Dict[str, Any]) -> Set[str]:
    """Names an upload of this dossier may be stored under in $BOT_VAR_DIR/uploads."""
    names: Set[str] = set()
    for att in doc.get("attachments") or []:
        if not isinstance(att, dict):
            continue
        for key in ("id", "upload_id", "token", "folder"):
            if att.get(key):
                names.add(str(att[key]))
        if att.get("path"):
            parts = Path(str(att["path"])).parts
            if "uploads" in parts:
                rest = parts[parts.index("uploads") + 1:]
                if rest:
                    names.add(rest[0])
    return names


def _document_folders(docs: Iterable[Dict[str, Any]], dry_run: bool) -> int:
    base = var_dir() / "documents"
    count = 0
    for doc in docs:
        path = _inside(base, doc.get("download_token") or "")
        if path is not None:
            count += _remove(path, dry_run)
    return count


def _uploads(names: Iterable[str], dry_run: bool) -> int:
    base = var_dir() / "uploads"
    count = 0
    for name in sorted(set(names)):
        path = _inside(base, name)
        if path is not None:
            count += _remove(path, dry_run)
    return count


def _emails(needles: Iterable[str], dry_run: bool, older_than: Optional[float] = None) -> int:
    """Outbox e-mails holding one of the needles, or (older_than) not modified since that time."""
    base = var_dir() / "outbox"
    needles = [n for n in needles if n]
    if not base.is_dir() or (not needles and older_than is None):
        return 0
    count = 0
    for path in sorted(base.glob("*.eml")):
        try:
            if older_than is not None:
                hit = path.stat().st_mtime < older_than
            else:
                raw = path.read_text(encoding="utf-8", errors="replace")
                hit = any(n in raw for n in needles)
        except OSError:
            continue
        if hit:
            count += _remove(path, dry_run)
    return count


def _old_files(base: Path, older_than: float, dry_run: bool) -> int:
    if not base.is_dir():
        return 0
    count = 0
    for path in sorted(base.iterdir()):
        try:
            newest = path.stat().st_mtime
            if path.is_dir():
                for sub in path.rglob("*"):
                    newest = max(newest, sub.stat().st_mtime)
        except OSError:
            continue
        if newest < older_than:
            count += _remove(path, dry_run)
    return count


# --------------------------------------------------------------------------- tracker store

def _delete_conversations(conn, senders: Set[str], dry_run: bool) -> int:
    count = 0
    senders = sorted(senders)
    for i in range(0, len(senders), 500):
        chunk = senders[i:i + 500]
        if dry_run:
            count += conn.execute(sa.select(sa.func.count()).select_from(EVENTS)
                                  .where(EVENTS.c.sender_id.in_(chunk))).scalar_one()
        else:
            count += conn.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(chunk))).rowcount or 0
    return count


def _token_claims(text: str) -> str:
    """The decoded claims of every signed token (JWT) in `text`, joined (not verified: looked into)."""
    claims = []
    for m in JWT.finditer(text):
        part = m.group(1)
        try:
            claims.append(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("utf-8", "replace"))
        except (binascii.Error, ValueError):
            continue
    return "\n".join(claims)


class _Mentions:
    """Whether an event's data mentions the person: the number (also inside a signed token) or
    the reference of one of their dossiers."""

    def __init__(self, pattern: re.Pattern, references: Iterable[str] = ()):
        self.pattern = pattern
        self.references = [r for r in references if r]

    def search(self, data: str) -> bool:
        if self.pattern.search(data) or any(r in data for r in self.references):
            return True
        return "eyJ" in data and bool(self.pattern.search(_token_claims(data)))


def _scan_events(conn, pattern) -> Set[str]:
    """sender_ids of the conversations with an event whose data matches (keyset pages of BATCH rows)."""
    senders: Set[str] = set()
    last = -1
    while True:
        rows = conn.execute(sa.select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.data)
                            .where(EVENTS.c.id > last).order_by(EVENTS.c.id).limit(BATCH)).all()
        if not rows:
            return senders
        for row in rows:
            if row.sender_id not in senders and row.data and pattern.search(row.data):
                senders.add(row.sender_id)
        last = rows[-1].id


def _purge_tracker(url: Optional[str], cutoff: float, dry_run: bool) -> Dict[str, Any]:
    out: Dict[str, Any] = {"tracker_store": _shown(url), "tracker_conversations": 0, "tracker_events": 0}
    if not url:
        return out
    engine = _engine(url)
    try:
        if not _has_events(engine):
            return out
        with engine.begin() as conn:
            last = sa.func.max(EVENTS.c.timestamp)
            stale = {r[0] for r in conn.execute(sa.select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id)
                                                .having(last < cutoff))}
            out["tracker_conversations"] = len(stale)
            out["tracker_events"] = _delete_conversations(conn, stale, dry_run)
            # earlier sessions of conversations still in use
            starts = EVENTS.alias("starts")
            session_start = (sa.select(sa.func.max(starts.c.timestamp))
                             .where(starts.c.sender_id == EVENTS.c.sender_id,
                                    starts.c.type_name == "session_started")
                             .scalar_subquery())
            others = EVENTS.alias("others")
            last_event = (sa.select(sa.func.max(others.c.timestamp))
                          .where(others.c.sender_id == EVENTS.c.sender_id).scalar_subquery())
            old = sa.and_(EVENTS.c.timestamp < cutoff, EVENTS.c.timestamp < session_start,
                          last_event >= cutoff)
            if dry_run:
                out["tracker_events"] += conn.execute(
                    sa.select(sa.func.count()).select_from(EVENTS).where(old)).scalar_one()
            else:
                out["tracker_events"] += conn.execute(sa.delete(EVENTS).where(old)).rowcount or 0
            if dry_run:
                conn.rollback()
    finally:
        engine.dispose()
    return out


def _erase_tracker(url: Optional[str], pattern, senders: Set[str],
                   dry_run: bool) -> Tuple[Dict[str, Any], Set[str]]:
    out: Dict[str, Any] = {"tracker_store": _shown(url), "tracker_conversations": 0, "tracker_events": 0}
    if not url:
        return out, set()
    engine = _engine(url)
    try:
        if not _has_events(engine):
            return out, set()
        with engine.begin() as conn:
            found = _scan_events(conn, pattern)
            present = set()
            wanted = sorted(found | set(senders))
            for i in range(0, len(wanted), 500):
                present |= {r[0] for r in conn.execute(
                    sa.select(EVENTS.c.sender_id).where(EVENTS.c.sender_id.in_(wanted[i:i + 500])).distinct())}
            out["tracker_conversations"] = len(present)
            out["tracker_events"] = _delete_conversations(conn, present, dry_run)
            if dry_run:
                conn.rollback()
        return out, present
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- what deleted rows leave behind

def compact(url: Optional[str]) -> bool:
    """For an SQLite file: move the write-ahead log into the database and empty it, then rebuild
    the file without the free pages that still hold deleted rows. Other databases: nothing."""
    if not url:
        return False
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return False
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("VACUUM")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    return True


def _person_texts(number: str, docs: Iterable[Dict[str, Any]]) -> List[str]:
    """The names and e-mail addresses the erased dossiers give for the person with this number."""
    found: Set[str] = set()
    for doc in docs:
        req = doc.get("requester") or {}
        people = [p for p in doc.get("persons") or [] if isinstance(p, dict) and p.get("matricule") == number]
        if req.get("matricule") == number:
            people.append(req)
            if isinstance(req.get("email"), str):
                found.add(req["email"])
        for person in people:
            for key in ("first_name", "last_name"):
                if isinstance(person.get(key), str) and len(person[key].strip()) >= 2:
                    found.add(person[key].strip())
    return sorted(found, key=len, reverse=True)


def _scrub_logs(pattern: re.Pattern, texts: Iterable[str], dry_run: bool) -> int:
    """Replace the number (also inside signed tokens) and the person's names and e-mail in the
    log files (also the rotated ones) by <erased>; the number of files changed."""
    base = var_dir() / "logs"
    if not base.is_dir():
        return 0
    words = [t for t in texts if t]
    names = re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(map(re.escape, words)), re.IGNORECASE) if words else None
    count = 0
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        try:
            raw = path.read_text(encoding="utf-8", errors="surrogateescape")
        except OSError:
            continue
        clean = JWT.sub(lambda m: ERASED if pattern.search(_token_claims(m.group(0))) else m.group(0), raw)
        clean = pattern.sub(ERASED, clean)
        if names is not None:
            clean = names.sub(ERASED, clean)
        if clean == raw:
            continue
        count += 1
        if not dry_run:
            tmp = path.with_name(path.name + ".erasing")
            tmp.write_text(clean, encoding="utf-8", errors="surrogateescape")
            os.replace(tmp, path)
    return count


def _delete_ids(conn, table, ids: List[int], chunk: int = 500) -> None:
    """Delete the rows of ``table`` with these ids, a bounded IN list at a time."""
    for i in range(0, len(ids), chunk):
        conn.execute(sa.delete(table).where(table.id.in_(ids[i:i + chunk])))


def _erase_reviews(url: str, pattern: re.Pattern, texts: Iterable[str], senders: Set[str],
                   dry_run: bool) -> Tuple[int, int]:
    """Delete the misunderstood messages of these conversations, and the ones and the ratings
    whose (masked) text still holds the number or one of `texts`; (ratings, messages)."""
    from bot.dossier import review

    words = [t for t in texts if t]
    names = re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(map(re.escape, words)), re.IGNORECASE) if words else None

    def holds(text: Optional[str]) -> bool:
        return bool(text) and (pattern.search(text) is not None or (names is not None and names.search(text) is not None))

    keys = {review.conversation_key(s) for s in senders if s}
    engine = _engine(url)
    try:
        with engine.begin() as conn:
            ratings = [r.id for r in conn.execute(sa.select(store.RatingRow.id, store.RatingRow.comment)
                                                  .where(store.RatingRow.comment.isnot(None))) if holds(r.comment)]
            messages = [r.id for r in conn.execute(sa.select(store.ReviewRow.id, store.ReviewRow.conversation,
                                                             store.ReviewRow.text))
                        if r.conversation in keys or holds(r.text)]
            if not dry_run:
                _delete_ids(conn, store.RatingRow, ratings)
                _delete_ids(conn, store.ReviewRow, messages)
    finally:
        engine.dispose()
    return len(ratings), len(messages)


def _erase_transcripts(pattern: re.Pattern, texts: Iterable[str], senders: Set[str], dry_run: bool) -> int:
    """Remove the transcripts of these conversations and those holding the number or one of `texts`."""
    from bot.dossier import review

    base = var_dir() / "transcripts"
    if not base.is_dir():
        return 0
    words = [t for t in texts if t]
    names = re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(map(re.escape, words)), re.IGNORECASE) if words else None
    keys = {review.conversation_key(s) for s in senders if s}
    count = 0
    for sub in sorted(p for p in base.iterdir() if p.is_dir()):
        if sub.name in keys:
            count += sum(1 for _ in sub.glob("*.txt"))
            if not dry_run:
                shutil.rmtree(sub, ignore_errors=True)
            continue
        for path in sorted(sub.glob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            if pattern.search(text) or (names is not None and names.search(text)):
                count += _remove(path, dry_run)
    return count


# --------------------------------------------------------------------------- the two operations

def _matricule_pattern(number: str) -> re.Pattern:
    """The 13 digits, possibly with one separator (space, dot, hyphen, slash, no-break space) between two."""
    return re.compile(r"(?<!\d)" + r"[\s.\-/\u00a0\u202f]?".join(number) + r"(?!\d)")


def purge(older_than_days: int, now: Optional[dt.datetime] = None, dry_run: bool = False,
          database_url: Optional[str] = None, tracker: Optional[str] = "env") -> Dict[str, Any]:
    """Delete what is older than `older_than_days` days; returns the counts."""
    if older_than_days < 0:
        raise ValueError("older_than_days must be >= 0")
    now = now or dt.datetime.now(dt.timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.timezone.utc)
    cutoff = now - dt.timedelta(days=older_than_days)
    cutoff_naive = cutoff.astimezone(dt.timezone.utc).replace(tzinfo=None)
    report: Dict[str, Any] = {"action": "purge", "older_than_days": older_than_days,
                              "cutoff": cutoff.replace(microsecond=0).isoformat(), "dry_run": dry_run}
    url = database_url or store.database_url()
    engine = _engine(url)
    try:
        store.migrate(engine)
        with engine.begin() as conn:
            rows = conn.execute(sa.select(store.DossierRow.id, store.DossierRow.reference,
                                          store.DossierRow.document)
                                .where(store.DossierRow.updated_at < cutoff_naive)).all()
            docs = [json.loads(r.document) for r in rows]
            handoffs = conn.execute(sa.select(sa.func.count()).select_from(store.HandoffRow)
                                    .where(store.HandoffRow.created_at < cutoff_naive)).scalar_one()
            ratings = conn.execute(sa.select(sa.func.count()).select_from(store.RatingRow)
                                   .where(store.RatingRow.created_on < cutoff_naive.date())).scalar_one()
            reviews = conn.execute(sa.select(sa.func.count()).select_from(store.ReviewRow)
                                   .where(store.ReviewRow.created_at < cutoff_naive)).scalar_one()
            if not dry_run:
                ids = [r.id for r in rows]
                _delete_ids(conn, store.DossierRow, ids)
                conn.execute(sa.delete(store.HandoffRow).where(store.HandoffRow.created_at < cutoff_naive))
                conn.execute(sa.delete(store.RatingRow).where(store.RatingRow.created_on < cutoff_naive.date()))
                conn.execute(sa.delete(store.ReviewRow).where(store.ReviewRow.created_at < cutoff_naive))
    finally:
        engine.dispose()
    report["database"] = _shown(url)
    report["dossiers"] = len(docs)
    report["references"] = sorted(d.get("reference") for d in docs if d.get("reference"))
    report["handoff_cases"] = handoffs
    report["ratings"] = ratings
    report["misunderstood"] = reviews
    report.update(_purge_tracker(tracker_url() if tracker == "env" else tracker, cutoff.timestamp(), dry_run))
    report["documents"] = _document_folders(docs, dry_run)
    ts = cutoff.timestamp()
    report["uploads"] = _uploads({n for d in docs for n in _upload_names(d)}, dry_run) \
        + _old_files(var_dir() / "uploads", ts, dry_run)
    report["emails"] = _emails(report["references"], dry_run) + _emails((), dry_run, older_than=ts)
    report["transcripts"] = _old_files(var_dir() / "transcripts", ts, dry_run)
    report["compacted"] = [] if dry_run else \
        [_shown(u) for u in (url, tracker_url() if tracker == "env" else tracker) if compact(u)]
    return report


def erase(matricule: str, dry_run: bool = False, database_url: Optional[str] = None,
          tracker: Optional[str] = "env") -> Dict[str, Any]:
    """Erase a person's data everywhere, by identification number; returns the counts."""
    number = re.sub(r"[\s.\-/\u00a0\u202f]", "", str(matricule or ""))
    if not re.fullmatch(r"\d{13}", number):
        raise ValueError("the identification number must have 13 digits")
    report: Dict[str, Any] = {"action": "erase", "dry_run": dry_run}
    url = database_url or store.database_url()
    engine = _engine(url)
    docs: List[Dict[str, Any]] = []
    senders: Set[str] = set()
    try:
        store.migrate(engine)
        with engine.begin() as conn:
            dossier_ids = []
            for row in conn.execute(sa.select(store.DossierRow.id, store.DossierRow.sender_id,
                                              store.DossierRow.document)
                                    .where(sa.or_(store.DossierRow.requester_matricule == number,
                                                  store.DossierRow.document.contains(number)))):
                doc = json.loads(row.document)
                req = (doc.get("requester") or {}).get("matricule")
                concerned = {p.get("matricule") for p in doc.get("persons") or [] if isinstance(p, dict)}
                if req == number or number in concerned or number in row.document:
                    docs.append(doc)
                    dossier_ids.append(row.id)
                    if row.sender_id:
                        senders.add(row.sender_id)
            handoff_ids = []
            for row in conn.execute(sa.select(store.HandoffRow.id, store.HandoffRow.sender_id,
                                              store.HandoffRow.document)):
                if _matricule_pattern(number).search(row.document or ""):
                    handoff_ids.append(row.id)
                    if row.sender_id:
                        senders.add(row.sender_id)
            if not dry_run:
                _delete_ids(conn, store.DossierRow, dossier_ids)
                _delete_ids(conn, store.HandoffRow, handoff_ids)
    finally:
        engine.dispose()
    report["database"] = _shown(url)
    report["dossiers"] = len(docs)
    report["references"] = sorted(d.get("reference") for d in docs if d.get("reference"))
    report["handoff_cases"] = len(handoff_ids)
    tracker = tracker_url() if tracker == "env" else tracker
    tracker_report, conversations = _erase_tracker(
        tracker, _Mentions(_matricule_pattern(number), report["references"]), senders, dry_run)
    report.update(tracker_report)
    report["ratings"], report["misunderstood"] = _erase_reviews(
        url, _matricule_pattern(number), _person_texts(number, docs), senders | set(conversations), dry_run)
    report["transcripts"] = _erase_transcripts(_matricule_pattern(number), _person_texts(number, docs),
                                               senders | set(conversations), dry_run)
    report["documents"] = _document_folders(docs, dry_run)
    report["uploads"] = _uploads({n for d in docs for n in _upload_names(d)} | senders | conversations, dry_run)
    report["emails"] = _emails([number] + report["references"], dry_run)
    report["logs"] = _scrub_logs(_matricule_pattern(number), _person_texts(number, docs), dry_run)
    report["compacted"] = [] if dry_run else [_shown(u) for u in (url, tracker) if compact(u)]
    return report
