"""bot/rasa/prod.py pieces against the real Redis of the production profile."""
import asyncio
import multiprocessing
import os
import uuid

import pytest

from bot.rasa import prod as rasa_prod


def _store():
    return rasa_prod.RedisLockStore(host=os.environ.get("REDIS_HOST", "127.0.0.1"), port=int(os.environ["REDIS_PORT"]),
                                    password=os.environ["REDIS_PASSWORD"], db=0, key_prefix="cnstest")


def _worker(conversation, n, out):
    store = _store()

    async def one():
        async with store.lock(conversation):
            value = int(store.red.get("cnstest:counter:" + conversation) or 0)  # read-modify-write
            await asyncio.sleep(0.002)
            store.red.set("cnstest:counter:" + conversation, value + 1)

    async def main():
        await asyncio.gather(*(one() for _ in range(n)))

    asyncio.run(main())
    out.put(n)


def test_lock_store_excludes_across_processes(prod):
    conversation = uuid.uuid4().hex
    out = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_worker, args=(conversation, 25, out)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    store = _store()
    assert int(store.red.get("cnstest:counter:" + conversation)) == 75
    store.red.delete("cnstest:counter:" + conversation)


def test_a_crashed_holder_does_not_block_the_conversation(prod):
    store = _store()
    conversation = uuid.uuid4().hex

    async def main():
        cm = store.lock(conversation, lock_lifetime=0.5)
        await cm.__aenter__()  # taken, never released: a crash
        started = asyncio.get_running_loop().time()
        async with store.lock(conversation):
            waited = asyncio.get_running_loop().time() - started
        return waited

    waited = asyncio.run(main())
    assert 0.3 < waited < 5


@pytest.mark.parametrize("body,error", [
    ([], "invalid_body"), ({"sender": "a"}, "invalid_message"), ({"sender": 12, "message": "x"}, None),
    ({"sender": "a\u2028b", "message": "x"}, "invalid_sender"), ({"sender": "ok", "message": "a\x00b"}, None),
])
def test_check_body(body, error):
    if error:
        with pytest.raises(rasa_prod.BadRequest) as exc:
            rasa_prod.check_body(body)
        assert exc.value.error == error
    else:
        checked = rasa_prod.check_body(body)
        assert checked["sender"] == str(body["sender"]) and "\x00" not in checked["message"]


def test_unavailable_text_follows_the_language():
    assert "indisponible" in rasa_prod.unavailable_text("Bonjour, je voudrais partir en Tunisie avec mon fils")
    assert "nicht verfügbar" in rasa_prod.unavailable_text("Guten Tag, ich möchte mit meinem Sohn nach Tunesien reisen")
    both = rasa_prod.unavailable_text("ok")
    assert "indisponible" in both and "unavailable" in both


def test_one_request_one_dossier_on_postgresql(prod):
    """Issue 15, finding 4: the request key is UNIQUE in PostgreSQL too, even for parallel attempts."""
    import threading

    from bot.dossier import store

    url = prod.env["BOT_DATABASE_URL"]
    key = "test:" + uuid.uuid4().hex
    results = []
    barrier = threading.Barrier(6)

    def attempt():
        barrier.wait()
        results.append(store.save_once({"persons": [], "test": True}, key, url=url))

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len({doc["reference"] for doc, _ in results}) == 1 and sum(created for _, created in results) == 1
    import sqlalchemy as sa

    with store._session(url) as session:
        session.execute(sa.delete(store.DossierRow).where(store.DossierRow.request_key == key))
        session.commit()
