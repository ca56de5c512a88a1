"""A request for a human: the case the hotline agent sees, so that nothing is asked twice."""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional

from bot.dossier import store

# Slots worth showing to an agent (personal data stays in the fund's own database).
SUMMARY_SLOTS = ("fund", "req_matricule", "req_last_name", "req_first_name", "residence", "email",
                 "destination", "departure", "return_date", "profile", "insured_status", "persons",
                 "context_country", "context_profile", "context_topic")


def build_case(slots: Dict[str, Any], events: Iterable[Dict[str, Any]], topic: str,
               rules_applied: Optional[List[str]] = None, last: int = 8) -> Dict[str, Any]:
    """Language, what was asked, the slots filled, the rules that applied, the last messages."""
    messages = []
    for event in events:
        if event.get("event") == "user" and event.get("text"):
            messages.append({"from": "user", "text": event["text"]})
        elif event.get("event") == "bot" and event.get("text"):
            messages.append({"from": "bot", "text": event["text"]})
    return {
        "language": slots.get("language") or "fr",
        "topic": topic,
        "slots": {k: slots[k] for k in SUMMARY_SLOTS if slots.get(k) not in (None, [], "")},
        "rules_applied": list(rules_applied or []),
        "last_messages": messages[-last:],
    }


def record(slots: Dict[str, Any], events: Iterable[Dict[str, Any]], topic: str, sender_id: str,
           rules_applied: Optional[List[str]] = None) -> Dict[str, Any]:
    return store.add_handoff(build_case(slots, events, topic, rules_applied), sender_id=sender_id)
