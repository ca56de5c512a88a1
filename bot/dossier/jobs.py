"""Work done after the answer: a dossier's PDFs and its confirmation e-mail.

Writing the PDFs (fonts, subsetting) costs far more than a conversation turn.
The process that answers (Rasa with the actions inside, or the action server)
hands it to one worker process and answers at once: the person gets the
reference without waiting, and the worker uses the machine's other core.

* ``run_later(func, *args)`` runs a module-level function in the worker;
  it returns False (and the caller does the work itself) when background work
  is switched off (``BOT_BACKGROUND=0``, as the unit tests and the CLI do by
  not asking for it) or the worker cannot be started.
* The worker is started with ``spawn`` (a fresh interpreter importing only
  ``bot``), never forked from a Rasa process holding a model and sockets.
* ``drain()`` waits for what was handed over (at exit, and in tests).
* The worker watches the process that started it and exits as soon as that
  one is gone (killed, crashed): a spawned worker is not a daemon of the
  operating system and would otherwise live on alone (issue 15, finding 8).
Nothing is lost when the process dies before the worker finished: the
dossier is stored first, a download produces missing PDFs on the spot
(bot/web.py) and ``bot.dossier.produce_pending`` catches up at start.
"""
from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Callable, List, Optional

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_pool: Optional[ProcessPoolExecutor] = None
_pending: List[Future] = []


def enabled() -> bool:
    return os.environ.get("BOT_BACKGROUND", "1") != "0"


WATCH_SECONDS = 1.0


def _watch_parent(parent: int) -> None:
    """In the worker: exit when the process that started it is no longer its parent."""
    while True:
        time.sleep(WATCH_SECONDS)
        if os.getppid() != parent:
            os._exit(0)


def _worker_start(parent: int) -> None:
    """Initializer of the worker process: start watching its parent."""
    threading.Thread(target=_watch_parent, args=(parent,), name="watch-parent", daemon=True).start()


def _get_pool() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                    initializer=_worker_start, initargs=(os.getpid(),))
        atexit.register(drain)
    return _pool


def _done(future: Future) -> None:
    with _lock:
        if future in _pending:
            _pending.remove(future)
    exc = future.exception()
    if exc is not None:
        logger.error("background work failed: %s", type(exc).__name__, exc_info=exc)


def run_later(func: Callable[..., Any], *args: Any) -> bool:
    """Hand ``func(*args)`` to the worker; False when the caller must do it now."""
    global _pool
    if not enabled():
        return False
    with _lock:
        try:
            future = _get_pool().submit(func, *args)
        except Exception:  # a broken or shut-down pool: start afresh next time, do it now
            logger.warning("background worker unavailable; working in the foreground", exc_info=True)
            _pool = None
            return False
        _pending.append(future)
    future.add_done_callback(_done)
    return True


def drain(timeout: float = 60.0) -> None:
    """Wait for the work handed over so far."""
    with _lock:
        pending = list(_pending)
    for future in pending:
        try:
            future.result(timeout)
        except Exception:  # logged by _done
            pass
