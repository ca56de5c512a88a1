"""Button payloads (``/intent{json}``) and entity values, checked before the request flow sees
them (issue 15, finding 2). Pure: no Rasa import; the actions (actions/actions.py ``_message``)
pass the tracker's events as dicts.

    parse(text) -> (intent, entities) | None     # "/inform{"fund": "CNS"}" -> ("inform", {"fund": "CNS"})
    offered(events) -> [payload, ...]            # the buttons of the assistant's last turn
    accepted(text, events) -> bool               # a payload that may be taken as one
    clean_entities(entities) -> [entity, ...]    # only text values, of bounded length

Rasa takes any message starting with "/" as an intent with the entities of its JSON, so that
``/inform{"person_name": "<img src=x onerror=alert(1)>"}`` skipped every check of free text.
Here such a message counts only when it is one of the buttons the assistant has just shown
(compared as intent + entities, whatever the spacing of the JSON), or one of the payloads the
chat page sends by itself (``bot/data/limits.yml`` ``payloads.unoffered``: the upload notice);
anything else is plain text with no intent and no entities.
"""
from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from bot.reference import load

PREFIX = "/"


def parse(text: Any) -> Optional[Tuple[str, Dict[str, Any]]]:
    """(intent, entities) of a ``/intent`` or ``/intent{json}`` message; None for anything else
    (plain text, or JSON that is not an object)."""
    if not isinstance(text, str) or not text.startswith(PREFIX):
        return None
    body = text[len(PREFIX):].strip()
    brace = body.find("{")
    intent, raw = (body, "") if brace < 0 else (body[:brace].strip(), body[brace:])
    if not intent or any(c.isspace() or c in "{}[]\"'" for c in intent):
        return None
    entities: Dict[str, Any] = {}
    if raw:
        try:
            entities = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(entities, dict):
            return None
    return intent, entities


def _key(parsed: Tuple[str, Dict[str, Any]]) -> str:
    return json.dumps([parsed[0], parsed[1]], sort_keys=True, ensure_ascii=False)


def last_turn(events: Iterable[Mapping[str, Any]]) -> List[Mapping[str, Any]]:
    """The assistant's messages (``bot`` events) between the last two user messages: what the
    person saw when writing the latest one."""
    events = list(events or [])
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    turn: List[Mapping[str, Any]] = []
    for event in reversed(events[:last_user]):
        if event.get("event") == "user":
            break
        if event.get("event") == "bot":
            turn.append(event)
    return list(reversed(turn))


def offered(events: Iterable[Mapping[str, Any]]) -> List[str]:
    """The payloads of the buttons of the assistant's last turn."""
    payloads = []
    for event in last_turn(events):
        for button in (event.get("data") or {}).get("buttons") or []:
            if isinstance(button, Mapping) and isinstance(button.get("payload"), str):
                payloads.append(button["payload"])
    return payloads


def _unoffered_allowed(parsed: Tuple[str, Dict[str, Any]]) -> bool:
    for rule in load("limits")["payloads"]["unoffered"]:
        if parsed[0] == rule["intent"] and parsed[1] and set(parsed[1]) <= set(rule["entities"]):
            return True
    return False


def accepted(text: Any, events: Iterable[Mapping[str, Any]]) -> bool:
    """Whether a ``/intent{json}`` message may be taken as that intent with those entities."""
    parsed = parse(text)
    if parsed is None:
        return False
    if _unoffered_allowed(parsed):
        return True
    wanted = _key(parsed)
    return any(p is not None and _key(p) == wanted for p in map(parse, offered(events)))


def clean_entities(entities: Iterable[Any]) -> List[Dict[str, Any]]:
    """The entities whose name and value are texts (value of at most ``entities.max_chars``)."""
    limit = int(load("limits")["entities"]["max_chars"])
    kept = []
    for ent in entities or []:
        if not isinstance(ent, Mapping):
            continue
        value = ent.get("value")
        if isinstance(ent.get("entity"), str) and isinstance(value, str) and 0 < len(value) <= limit:
            kept.append(dict(ent))
    return kept


def valid_language(value: Any, events: Iterable[Mapping[str, Any]] = ()) -> Optional[str]:
    """None when the `language` slot holds a supported language; otherwise the one to put back:
    the last supported value the slot had, else the default. Rasa fills that slot from a
    `language` entity before any action runs, so `/inform{"language": "xx"}` reaches it."""
    from bot import language

    supported = language.settings()["supported"]
    if value is None or value in supported:
        return None
    previous = [e.get("value") for e in events or []
                if e.get("event") == "slot" and e.get("name") == "language" and e.get("value") in supported]
    return previous[-1] if previous else language.settings()["default"]
