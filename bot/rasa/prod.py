"""Rasa extensions of the production profile (loaded by module path).

``bot.rasa.prod.PostgresTrackerStore`` (endpoints.prod.yml ``tracker_store.type``)
    Rasa's SQL tracker store (same ``events`` table, dialect postgresql) with
    two changes:

    * connections are checked before use (``pool_pre_ping``), so that the first
      message after a PostgreSQL restart does not fail on a dead pooled
      connection;
    * a database error is not hidden. Rasa wraps every tracker store in a
      ``FailSafeTrackerStore`` that catches ``Exception`` and goes on with an
      *empty* tracker (the message is answered as if the conversation had just
      begun, and its events are kept in memory only). Here the error is raised
      as ``TrackerStoreUnavailable``, a ``BaseException`` that passes through it
      and is caught by the channels below.

``bot.rasa.prod.RedisLockStore`` (endpoints.prod.yml ``lock_store.type``)
    Rasa's Redis lock store with atomic tickets: the stock one loses messages
    when two instances take turns of one conversation at the same moment (see
    the class docstring).

``bot.rasa.prod.RestInput`` / ``bot.rasa.prod.SocketIOInput`` (deploy/credentials.prod.yml)
    Rasa's ``rest`` and ``socketio`` channels (same URLs) whose message handler:

    * first checks the action server (``ACTION_HEALTH_URL``, its ``/health``):
      when it is down the message is not processed at all and the person is
      told to send it again in a moment, so that the conversation is unchanged
      and the retry works;
    * turns a tracker store, lock store (Redis) or other failure into the same
      clear answer (HTTP 200, the text in the person's language plus
      ``"custom": {"error": "service_unavailable", "retry": true}``), never a
      500 or an empty reply.

    The REST channel is bot/rasa/rest.py's: the request is checked at the edge
    (bot/edge.py: a JSON object with ``sender`` and ``message``, ``metadata``
    an object if given; otherwise HTTP 400 with ``{"error": ..., "message": ...}``),
    ``input_channel`` cannot be chosen by the client and streaming
    (``?stream=true``) is off.

Importing this module also installs the length limit of every channel
(bot/rasa/limits.py, ``MAX_MESSAGE_CHARS`` or bot/data/limits.yml): Rasa
imports it for its channels before registering them.
"""
from __future__ import annotations

import asyncio
import logging
import os
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Awaitable, Callable, Dict, Optional, Text

import sqlalchemy as sa
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import LOCK_LIFETIME
from rasa.core.lock_store import RedisLockStore as _RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs

from bot.edge import BadRequest, check_body, clean_text  # noqa: F401 - the checks of the REST channel
from bot.rasa import channels, limits
from bot.rasa.rest import RestInput as CheckedRestInput

limits.install()
logger = logging.getLogger(__name__)

UNAVAILABLE = {
    "fr": "Le service est momentanément indisponible et votre message n'a pas pu être traité. "
          "Merci de le renvoyer dans quelques instants : vos réponses précédentes sont conservées.",
    "de": "Der Dienst ist vorübergehend nicht verfügbar, Ihre Nachricht konnte nicht verarbeitet werden. "
          "Bitte senden Sie sie in einigen Augenblicken erneut: Ihre bisherigen Antworten bleiben gespeichert.",
    "en": "The service is temporarily unavailable and your message could not be processed. "
          "Please send it again in a few moments: your previous answers are kept.",
}
ADVISORY_LOCK_KEY = 7263_1001


class TrackerStoreUnavailable(BaseException):
    """The tracker store failed; a BaseException so that FailSafeTrackerStore lets it through."""


# ----------------------------------------------------------------------------- tracker store

class PostgresTrackerStore(SQLTrackerStore):
    """SQLTrackerStore with pre-ping and loud failures (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Instances starting together would race to create the `events` table (Rasa then
        # waits 5 s and retries): one at a time, under a PostgreSQL advisory lock.
        lock_conn = None
        try:
            url = SQLTrackerStore.get_db_url(kwargs.get("dialect", "postgresql"), kwargs.get("host"),
                                             kwargs.get("port"), kwargs.get("db", "rasa.db"), kwargs.get("username"),
                                             kwargs.get("password"), None, kwargs.get("query"))
            lock_engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
            lock_conn = lock_engine.connect()
            lock_conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": ADVISORY_LOCK_KEY})
        except Exception:  # database not up yet: Rasa's own retry loop handles it
            lock_conn = None
        try:
            super().__init__(*args, **kwargs)
        finally:
            if lock_conn is not None:
                try:
                    lock_conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK_KEY})
                    lock_conn.close()
                except Exception:
                    pass
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, pool_recycle=300, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _guard(self, coro: Awaitable[Any]) -> Any:
        try:
            return await coro
        except Exception as exc:
            logger.error("tracker store unavailable: %s", type(exc).__name__)
            raise TrackerStoreUnavailable(type(exc).__name__) from exc

    async def retrieve(self, sender_id: Text):  # type: ignore[override]
        return await self._guard(super().retrieve(sender_id))

    async def retrieve_full_tracker(self, conversation_id: Text):  # type: ignore[override]
        return await self._guard(super().retrieve_full_tracker(conversation_id))

    async def save(self, tracker) -> None:  # type: ignore[override]
        return await self._guard(super().save(tracker))

    async def keys(self):  # type: ignore[override]
        return await self._guard(super().keys())


# ----------------------------------------------------------------------------- lock store

_ISSUE = """
local n = redis.call('INCR', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('SET', KEYS[2], n) end
redis.call('SET', ARGV[1] .. n, '1', 'PX', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return n
"""
_TRY = """
local n = tonumber(ARGV[2])
local s = tonumber(redis.call('GET', KEYS[1]) or '-1')
if s == -1 then return -1 end
while s < n and redis.call('EXISTS', ARGV[1] .. s) == 0 do s = s + 1 end
redis.call('SET', KEYS[1], s, 'KEEPTTL')
if s == n then return 1 end
if s > n then return -2 end
return 0
"""
_RELEASE = """
redis.call('DEL', ARGV[1] .. ARGV[2])
local s = tonumber(redis.call('GET', KEYS[1]) or '-1')
if s == tonumber(ARGV[2]) then redis.call('SET', KEYS[1], s + 1, 'KEEPTTL') end
return 1
"""


class RedisLockStore(_RedisLockStore):
    """Rasa's Redis lock store with atomic tickets (endpoints.prod.yml ``lock_store.type``).

    Rasa Open Source's ``RedisLockStore`` issues and releases tickets with a
    read-modify-write of one JSON value (GET, change, SET). Two Rasa processes
    doing it at the same moment overwrite each other's ticket, both believe
    they hold the lock, both load the same tracker and the second save drops
    the first one's events: a message is lost (seen in tests/prod with 8
    parallel messages on two instances). Here the same first-come first-served
    tickets are kept in Redis counters changed only by Lua scripts (atomic):
    ``INCR`` issues a ticket, a ticket key with a time to live (the lock
    lifetime, ``TICKET_LOCK_LIFETIME``, 60 s) marks it alive, and the "now
    serving" counter moves on when its ticket is released or has expired
    (a crashed process never blocks a conversation for longer). Waiting polls
    every 20 ms instead of every second.
    """

    POLL_SECONDS = 0.02

    def __init__(self, endpoint_config: Any = None, host: Text = "localhost", **kwargs: Any) -> None:
        if endpoint_config is not None:  # loaded by module path: Rasa passes the endpoint config
            kwargs = {**endpoint_config.kwargs, **kwargs}
            host = endpoint_config.url or host
            kwargs.pop("type", None)
        super().__init__(host=host, **kwargs)
        self._issue = self.red.register_script(_ISSUE)
        self._try = self.red.register_script(_TRY)
        self._release = self.red.register_script(_RELEASE)

    def _keys(self, conversation_id: Text):
        base = self.key_prefix + conversation_id
        return base + ":next", base + ":serving", base + ":t:"

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[int, None]:
        from rasa.core.lock_store import LockError

        nxt, serving, tprefix = self._keys(conversation_id)
        ttl_ms = int(lock_lifetime * 1000)
        try:
            ticket = int(self._issue(keys=[nxt, serving], args=[tprefix, ttl_ms, ttl_ms * 10]))
        except Exception as exc:
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc
        try:
            while True:
                try:
                    state = int(self._try(keys=[serving], args=[tprefix, ticket]))
                except Exception as exc:
                    raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc
                if state == 1:
                    break
                if state < 0:
                    raise LockError(f"Lock for conversation '{conversation_id}' expired or was lost.")
                await asyncio.sleep(self.POLL_SECONDS)
            yield ticket
        finally:
            try:
                self._release(keys=[serving], args=[tprefix, ticket])
            except Exception:
                logger.warning("could not release the lock of a conversation")


# ----------------------------------------------------------------------------- health and answers

_session_by_loop: Dict[int, Any] = {}


async def action_server_healthy() -> bool:
    url = os.environ.get("ACTION_HEALTH_URL")
    if not url:
        return True
    import aiohttp

    loop = asyncio.get_running_loop()
    session = _session_by_loop.get(id(loop))
    if session is None or session.closed:
        session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=3))
        _session_by_loop[id(loop)] = session
    try:
        async with session.get(url) as resp:
            return resp.status == 200
    except Exception:
        return False


def unavailable_text(text: Optional[str]) -> str:
    lang = None
    try:
        from bot import language

        lang = language.detect(text or "").lang
    except Exception:
        pass
    if lang in UNAVAILABLE:
        return UNAVAILABLE[lang]
    return "\n".join(UNAVAILABLE[k] for k in ("fr", "de", "en"))


async def _say_unavailable(message: UserMessage, discard_from: Optional[int] = None) -> None:
    out = message.output_channel
    text = unavailable_text(message.text)
    if isinstance(out, CollectingOutputChannel):
        if discard_from is not None:
            del out.messages[discard_from:]  # partial replies built on a failed turn
        await out._persist_message(out._message(message.sender_id, text=text,
                                                custom={"error": "service_unavailable", "retry": True}))
    else:
        await out.send_text_message(message.sender_id, text)


def _sent(message: UserMessage) -> Optional[int]:
    out = message.output_channel
    return len(out.messages) if isinstance(out, CollectingOutputChannel) else None


def guarded(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
    async def handler(message: UserMessage) -> None:
        if not await action_server_healthy():
            logger.warning("action server unavailable: message not processed")
            await _say_unavailable(message)
            return
        before = _sent(message)
        try:
            await on_new_message(message)
        except TrackerStoreUnavailable:
            await _say_unavailable(message, before)
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            logger.error("message not processed: %s", type(exc).__name__, exc_info=True)
            await _say_unavailable(message, before)
            return
        if before is not None and _sent(message) == before and not await action_server_healthy():
            await _say_unavailable(message)
    return handler


# ----------------------------------------------------------------------------- channels

class RestInput(CheckedRestInput):
    """Rasa's REST channel, same URL (/webhooks/rest/webhook), checked at the edge
    (bot/rasa/rest.py) and guarded."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        return super().blueprint(guarded(on_new_message))


class SocketIOInput(channels.SocketIOInput):
    """Rasa's socketio channel (same path, /socket.io), with the room joined
    (bot/rasa/channels.py), guarded."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        return super().blueprint(guarded(on_new_message))
