"""The questions of the request, in the order of the online procedure: one entry each.

A question has a name (the form's `requested_slot`; its response is
`utter_q_<name>`, or `utter_q_<name>_other` when the requester does not travel
and the question is about the traveller), the kind of answer it takes (how
`bot.request.flow` reads it), the entity kinds that carry such an answer, the
field it fills (a slot, or a key of the person being added), and when it is
needed. Adding a question is one entry here and its responses in the domain.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, FrozenSet, Mapping, Optional, Tuple

from bot import rules
from bot.request import persons as P

Slots = Mapping[str, Any]


@dataclass(frozen=True)
class Question:
    name: str
    kind: str                      # yes_no, fund, matricule, name, country, purpose, dates, relation,
    #                                insured_status, more_people, attachments, confirm
    field: str                     # the slot (scope "request") or the person's key (scope "person")
    needed: Callable[[Slots, Optional[dict]], bool]
    scope: str = "request"
    fills: FrozenSet[str] = frozenset()
    about_traveller: bool = False  # worded for the traveller when the requester does not travel
    hint: str = "utter_not_understood"  # said when a message answers nothing (before asking again)

    def response(self, slots: Slots) -> str:
        if self.about_traveller and not P.travels(slots):
            return f"utter_q_{self.name}_other"
        return f"utter_q_{self.name}"


def _missing(slot: str) -> Callable[[Slots, Optional[dict]], bool]:
    return lambda s, cur: not s.get(slot)


def _person_missing(key: str) -> Callable[[Slots, Optional[dict]], bool]:
    return lambda s, cur: cur is not None and not cur.get(key)


def _needs_household(s: Slots, cur: Optional[dict]) -> bool:
    return bool(s.get("residence")) and rules.needs_household_certificate(s["residence"]) and not any(
        a.get("type") == "household_composition" for a in (s.get("attachments") or []))


DATES = frozenset({"date", "date_range", "duration"})

REGISTRY: Tuple[Question, ...] = (
    Question("consent", "yes_no", "consent", _missing("consent")),
    Question("fund", "fund", "fund", _missing("fund"), fills=frozenset({"fund"}), hint="utter_invalid_fund"),
    Question("req_matricule", "matricule", "req_matricule", _missing("req_matricule"),
             fills=frozenset({"matricule", "number"}), hint="utter_invalid_matricule_format"),
    Question("req_last_name", "name", "req_last_name", _missing("req_last_name"), fills=frozenset({"person_name"}),
             hint="utter_invalid_name"),
    Question("req_first_name", "name", "req_first_name", _missing("req_first_name"), fills=frozenset({"person_name"}),
             hint="utter_invalid_name"),
    Question("residence", "country", "residence", _missing("residence"), fills=frozenset({"country"}),
             hint="utter_unknown_country"),
    Question("email", "email", "email", _missing("email"), fills=frozenset({"email"}), hint="utter_invalid_email"),
    Question("requester_travels", "yes_no", "requester_travels",
             lambda s, cur: s.get("requester_travels") is None and bool(s.get("persons"))),
    Question("destination", "country", "destination", _missing("destination"), fills=frozenset({"country"}),
             about_traveller=True, hint="utter_unknown_country"),
    Question("purpose", "purpose", "profile",
             lambda s, cur: s.get("destination") == "CA-QC" and not s.get("profile"),
             fills=frozenset({"profile"}), about_traveller=True),
    Question("dates", "dates", "departure", _missing("departure"), fills=DATES, about_traveller=True,
             hint="utter_invalid_date"),
    Question("return_date", "dates", "return_date", _missing("return_date"), fills=DATES, about_traveller=True,
             hint="utter_invalid_date"),
    Question("p_matricule", "matricule", "matricule", _person_missing("matricule"), scope="person",
             fills=frozenset({"matricule", "number"}), hint="utter_invalid_matricule_format"),
    Question("p_last_name", "name", "last_name", _person_missing("last_name"), scope="person",
             fills=frozenset({"person_name"}), hint="utter_invalid_name"),
    Question("p_first_name", "name", "first_name", _person_missing("first_name"), scope="person",
             fills=frozenset({"person_name"}), hint="utter_invalid_name"),
    Question("insured_status", "insured_status", "insured_status",
             # after the first person's names, or once a person is complete without being asked anything
             lambda s, cur: (cur is not None or bool(s.get("persons"))) and not s.get("insured_status"),
             fills=frozenset({"insured_status"})),
    Question("p_relation", "relation", "relation", _person_missing("relation"), scope="person",
             fills=frozenset({"relation"})),
    Question("p_same_trip", "yes_no", "same_trip",
             lambda s, cur: cur is not None and cur.get("same_trip") is None and not cur.get("_shares"),
             scope="person", about_traveller=True),
    Question("p_destination", "country", "destination",
             lambda s, cur: cur is not None and cur.get("same_trip") is False and not cur.get("destination"),
             scope="person", fills=frozenset({"country"}), hint="utter_unknown_country"),
    Question("p_dates", "dates", "departure",
             lambda s, cur: cur is not None and cur.get("same_trip") is False
             and not (cur.get("departure") and cur.get("return_date")),
             scope="person", fills=DATES, hint="utter_invalid_date"),
    Question("more_people", "more_people", "more_people_done",
             lambda s, cur: cur is None and not s.get("more_people_done"), fills=frozenset({"relation"})),
    Question("attachments", "attachments", "attachments", lambda s, cur: cur is None and _needs_household(s, cur),
             fills=frozenset({"upload"})),
    Question("confirm", "confirm", "confirmed", lambda s, cur: cur is None),
)

BY_NAME: Mapping[str, Question] = {q.name: q for q in REGISTRY}


def get(name: Optional[str]) -> Optional[Question]:
    return BY_NAME.get(name or "")


def next_question(slots: Slots, current: Optional[dict]) -> Question:
    """The first question still needed; `current`: the person being added (with `_shares`
    set when that person travels on the shared trip without being asked)."""
    for question in REGISTRY:
        if question.needed(slots, current):
            return question
    return BY_NAME["confirm"]
