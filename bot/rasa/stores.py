"""The tracker store of `make run`: Rasa's SQL tracker store on SQLite, tuned.

endpoints.yml ``tracker_store.type: bot.rasa.stores.SQLiteTrackerStore`` (same
``events`` table, arguments and behaviour as ``type: SQL``). What changes:

* the database is in write-ahead-log mode with ``synchronous=NORMAL`` and its
  connections are pooled, as for the dossiers (``bot.dossier.store.tune_sqlite`` says
  why);
* the conversations read or written recently are kept in memory (up to
  ``TRACKER_CACHE_SIZE``, default 2000): reading a conversation back from SQL
  means decoding and replaying every event of it on every turn (~6 ms for a
  finished request), where replaying the kept events takes ~0.2 ms. They
  are used only when the database still holds exactly what it was made
  from: the number of the conversation's rows and its last row id are read on
  every turn (one indexed query), so an erasure or purge by another process
  (``python -m bot privacy``) or any other writer is seen at once.

Another dialect (PostgreSQL in the production profile) is left as Rasa's.
"""
from __future__ import annotations

import os
from collections import OrderedDict
from typing import Any, List, Optional, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dossier.store import tune_sqlite

Signature = Tuple[int, Optional[int]]


def latest_session(events: List[Event]) -> List[Event]:
    """The events Rasa's SQL store gives back for the latest session: from the time of the last
    ``SessionStarted`` on (all of them when there is none), as its query does."""
    starts = [e.timestamp for e in events if isinstance(e, SessionStarted)]
    if not starts:
        return list(events)
    start = max(starts)
    return [e for e in events if e.timestamp >= start]


class SQLiteTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.engine = tune_sqlite(self.engine)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.cache_size = int(os.environ.get("TRACKER_CACHE_SIZE", "2000"))
        self._cache: "OrderedDict[str, Tuple[Signature, Tuple[Event, ...]]]" = OrderedDict()

    def _signature(self, sender_id: str) -> Signature:
        with self.session_scope() as session:
            count, last = session.query(sa.func.count(self.SQLEvent.id), sa.func.max(self.SQLEvent.id)) \
                .filter(self.SQLEvent.sender_id == sender_id).one()
        return int(count), last

    def _keep(self, sender_id: str, signature: Signature, events: Optional[List[Event]]) -> None:
        if self.cache_size <= 0 or not events or not self.domain:
            self._cache.pop(sender_id, None)
            return
        self._cache[sender_id] = (signature, tuple(events))
        self._cache.move_to_end(sender_id)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        signature = self._signature(sender_id)
        kept = self._cache.get(sender_id)
        if kept is not None and kept[0] == signature:
            self._cache.move_to_end(sender_id)
            return DialogueStateTracker.from_events(sender_id, list(kept[1]), self.domain.slots)
        # read after the signature: a write in between only makes the next turn read again
        tracker = await super().retrieve(sender_id)
        self._keep(sender_id, signature, list(tracker.events) if tracker else None)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        self._cache.pop(tracker.sender_id, None)
        await super().save(tracker)
        self._keep(tracker.sender_id, self._signature(tracker.sender_id), latest_session(list(tracker.events)))
