"""Ratings of the help (issue 17, item 2), stored without personal data.

A rating is one row of the table ``ratings`` in the dossier database: the score (1 helpful,
0 not), the language, the topic answered (or ``request`` after a submitted request), the
day, and an optional comment passed through bot/logmask.mask. No sender id, no other text.

    python -m bot feedback report [--since DATE] [--json]

gives per language and per topic the number of ratings and the share of positive ones.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Dict, List, Optional

import sqlalchemy as sa

from bot import logmask
from bot.dossier import store

MAX_COMMENT = 1000


def record(score: int, language: str, topic: str, comment: Optional[str] = None,
           url: Optional[str] = None, today: Optional[dt.date] = None) -> Dict[str, Any]:
    if score not in (0, 1):
        raise ValueError("score must be 0 or 1")
    text = logmask.mask(comment.strip()[:MAX_COMMENT]) if isinstance(comment, str) and comment.strip() else None
    row = store.RatingRow(created_on=today or dt.datetime.now(dt.timezone.utc).date(),
                          language=str(language or "fr")[:8], topic=str(topic or "general")[:64],
                          score=score, comment=text)
    with store._session(url) as session:
        session.add(row)
        session.commit()
        return {"id": row.id, "on": row.created_on.isoformat(), "language": row.language, "topic": row.topic,
                "score": row.score, "comment": row.comment}


def add_comment(rating_id: int, comment: str, url: Optional[str] = None) -> bool:
    """Attach a (masked) comment to a rating given just before; False when there is none."""
    text = logmask.mask((comment or "").strip()[:MAX_COMMENT])
    if not text:
        return False
    with store._session(url) as session:
        row = session.get(store.RatingRow, rating_id)
        if row is None:
            return False
        row.comment = text
        session.commit()
        return True


def report(since: Optional[dt.date] = None, url: Optional[str] = None) -> Dict[str, Any]:
    """{"since", "total", "positive_share", "by_language": {lang: {...}}, "by_topic": {topic: {...}},
    "comments": [...]}; each group: count, positive, positive_share (0..1, 2 decimals)."""
    with store._session(url) as session:
        query = sa.select(store.RatingRow).order_by(store.RatingRow.created_on, store.RatingRow.id)
        if since:
            query = query.where(store.RatingRow.created_on >= since)
        rows = list(session.execute(query).scalars())
    groups: Dict[str, Dict[str, List[int]]] = {"by_language": defaultdict(list), "by_topic": defaultdict(list)}
    for row in rows:
        groups["by_language"][row.language].append(row.score)
        groups["by_topic"][row.topic].append(row.score)

    def figures(scores: List[int]) -> Dict[str, Any]:
        return {"count": len(scores), "positive": sum(scores),
                "positive_share": round(sum(scores) / len(scores), 2) if scores else None}

    out: Dict[str, Any] = {"since": since.isoformat() if since else None, **figures([r.score for r in rows])}
    for name, group in groups.items():
        out[name] = {key: figures(group[key]) for key in sorted(group)}
    out["comments"] = [{"on": r.created_on.isoformat(), "language": r.language, "topic": r.topic,
                        "score": r.score, "comment": r.comment} for r in rows if r.comment]
    return out
