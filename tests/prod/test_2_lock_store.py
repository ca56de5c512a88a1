"""Messages of one sender sent at the same time are handled one after the other (Redis lock store)."""
from concurrent.futures import ThreadPoolExecutor

from tests.prod.util import new_sender, unavailable

N = 8


def _turns(events):
    """The tracker's events cut at each user message: [(text, [events until the next one])]."""
    turns = []
    for event in events:
        if event["type"] == "user":
            turns.append((event.get("text"), []))
        elif turns:
            turns[-1][1].append(event)
    return turns


def test_parallel_messages_of_one_sender_are_serialised(prod):
    sender = new_sender("par")
    prod.say(prod.rasa_urls[0], sender, "Bonjour")
    messages = [f"Merci beaucoup {i}" for i in range(N)]
    bases = prod.rasa_urls + [prod.public_url]
    with ThreadPoolExecutor(N) as pool:
        replies = list(pool.map(lambda i: prod.say(bases[i % len(bases)], sender, messages[i], timeout=120),
                                range(N)))
    for reply in replies:
        assert reply and not unavailable(reply), reply
    turns = _turns(prod.events(sender))
    texts = [t for t, _ in turns]
    # no message lost, none twice
    assert sorted(texts) == sorted(["Bonjour"] + messages)
    # each turn ran to its end (the bot answered, then listened) before the next message was taken
    for text, events in turns:
        kinds = [e["type"] for e in events]
        assert "bot" in kinds, (text, kinds)
        assert events[-1]["type"] == "action" and events[-1].get("name") == "action_listen", (text, kinds)
        assert kinds.count("action") >= 1
        listens = [i for i, e in enumerate(events) if e["type"] == "action" and e.get("name") == "action_listen"]
        assert listens == [len(events) - 1], (text, kinds)  # one listen per turn: turns did not interleave
