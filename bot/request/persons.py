"""The persons of a request and their trips, read from the request's slots.

The request's slots hold one shared trip (`destination`, `departure`,
`return_date`: the trip of the requester, or of the first traveller when the
requester does not travel) and a list `persons` of the co-insured persons.
A person's own `destination`, `departure` or `return_date`, when set, replaces
the shared one for that person only. `requester_travels` False: the requester
fills in for the others and is not a traveller.

Pure: used by the flow, the summary, the dossier and the hotline alike, so
that what the person sees is what is stored.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Dict, List, Mapping, Optional

from bot.reference import load
from bot.validators import matricule as matricule_mod
from bot.wording import name_forms, who

TRIP = ("destination", "departure", "return_date")
#: The fields a person of the list carries.
FIELDS = ("label", "relation", "matricule", "last_name", "first_name", "same_trip") + TRIP
RELATIONS = ("self", "spouse", "partner", "child", "parent", "other")


@lru_cache(maxsize=1)
def labels() -> Mapping[str, Any]:
    return load("relations")["labels"]


def relation_of(label: Optional[str]) -> str:
    """The normalised relation of a label ("son" -> "child")."""
    entry = labels().get(label or "other") or labels()["other"]
    return entry["relation"]


def sex_differs(label: Optional[str], other: Optional[str]) -> bool:
    """Whether two labels say different sexes ("daughter" and "son")."""
    sexes = load("relations").get("sex", {})
    return bool(sexes.get(label or "") and sexes.get(other or "") and sexes[label] != sexes[other])


def named(person: Mapping[str, Any], lang: str) -> Dict[str, str]:
    """`who`/`who_gen`/`who_dat` of a person: their first name once known, else their label."""
    if person.get("first_name"):
        return name_forms(person["first_name"], lang)
    return who(person.get("label"), lang)


def new_person(label: Optional[str] = None, **values: Any) -> Dict[str, Any]:
    person = {key: None for key in FIELDS}
    person["label"] = label
    if label:
        person["relation"] = relation_of(label)
    person.update(values)
    return person


def travels(slots: Mapping[str, Any]) -> bool:
    """Whether the requester is one of the travellers (unless said otherwise, yes)."""
    return slots.get("requester_travels") is not False


def shares_trip(slots: Mapping[str, Any], index: int) -> bool:
    """Whether person `index` of the list travels on the shared trip without being asked:
    the first traveller when the requester stays at home."""
    return index == 0 and not travels(slots)


def trip_of(slots: Mapping[str, Any], person: Mapping[str, Any]) -> Dict[str, Optional[str]]:
    """A person's trip: their own values where they have some, else the shared trip."""
    return {key: person.get(key) or slots.get(key) for key in TRIP}


def requester(slots: Mapping[str, Any]) -> Dict[str, Any]:
    return {"label": None, "relation": "self", "matricule": slots.get("req_matricule"),
            "last_name": slots.get("req_last_name"), "first_name": slots.get("req_first_name"),
            "same_trip": True, **{key: slots.get(key) for key in TRIP}}


def others(slots: Mapping[str, Any]) -> List[Dict[str, Any]]:
    return [dict(p) for p in (slots.get("persons") or [])]


def travellers(slots: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """Everyone who travels, requester first when they do, each with their trip."""
    out = [requester(slots)] if travels(slots) else []
    for person in others(slots):
        out.append({**person, **trip_of(slots, person), "relation": person.get("relation") or "other"})
    return out


def is_complete(slots: Mapping[str, Any], index: int) -> bool:
    """Whether nothing is left to ask about person `index` of the list."""
    person = (slots.get("persons") or [])[index]
    if not (person.get("matricule") and person.get("last_name") and person.get("first_name")
            and person.get("relation")):
        return False
    if person.get("same_trip") is True or shares_trip(slots, index):
        return True
    if person.get("same_trip") is False:
        return bool(person.get("destination") and person.get("departure") and person.get("return_date"))
    return False


def pending(slots: Mapping[str, Any]) -> Optional[int]:
    """The index of the first person of the list with something left to ask, or None."""
    for index in range(len(slots.get("persons") or [])):
        if not is_complete(slots, index):
            return index
    return None


def find_by_name(slots: Mapping[str, Any], words: List[str]) -> List[int]:
    """Indexes of the listed persons whose first name is one of `words` (folded); -1: the requester."""
    from bot.text import fold

    wanted = set(words)
    found = []
    first = slots.get("req_first_name")
    if first and all(part in wanted for part in fold(first).split()):
        found.append(-1)
    for index, person in enumerate(slots.get("persons") or []):
        name = person.get("first_name")
        if name and all(part in wanted for part in fold(name).split()):
            found.append(index)
    return found


def _years_between(earlier: dt.date, later: dt.date) -> int:
    return later.year - earlier.year - ((later.month, later.day) < (earlier.month, earlier.day))


def owner_by_age(slots: Mapping[str, Any], index: int, number: str, today: dt.date) -> Optional[int]:
    """The person of the list a number given for person `index` belongs to when its birth date
    cannot be theirs: another age than the one said for them, a "child" born before the requester
    was 12, a spouse under 16 (thresholds: relations.yml `age_check`). The owner is the first other person of the other kind still
    without a number; None when the number fits or nobody else can own it."""
    persons = slots.get("persons") or []
    born = matricule_mod.birth_date(number)
    if born is None:
        return None
    age = _years_between(born, today)
    stated = persons[index].get("age")
    if stated is not None and abs(stated - age) > 1:
        # "Luka (18), Mia (13)": the number of a 13-year-old is Mia's, whoever was asked about
        for other, person in enumerate(persons):
            if other != index and not person.get("matricule") and person.get("age") is not None \
                    and abs(person["age"] - age) <= 1:
                return other
    wanted = _other_kind(slots, index, born, today)
    for other, person in enumerate(persons):
        if other != index and person.get("relation") in wanted and not person.get("matricule"):
            return other
    return None


def misfits(slots: Mapping[str, Any], index: int, number: str, today: dt.date) -> bool:
    """Whether a number cannot be that of the person at `index` by its date of birth (a "child"
    born before the requester was 12, a spouse under 16, a parent born after the requester was 12)."""
    born = matricule_mod.birth_date(number)
    return born is not None and bool(_other_kind(slots, index, born, today))


def _other_kind(slots: Mapping[str, Any], index: int, born: dt.date, today: dt.date) -> tuple:
    """The relations a person born on `born` may be, when not the one of the person at `index`."""
    spec = load("relations")["age_check"]
    relation = (slots.get("persons") or [])[index].get("relation")
    wanted: tuple = ()
    req_born = matricule_mod.birth_date(slots.get("req_matricule") or "")
    if relation in spec["children"] and req_born is not None \
            and _years_between(req_born, born) < spec["child_after_years"]:
        wanted = tuple(spec["adults"])
    elif relation in spec["adults"] and relation != "parent" and _years_between(born, today) < spec["adult_min_age"]:
        wanted = tuple(spec["children"])
    elif relation == "parent" and req_born is not None and _years_between(born, req_born) < spec["child_after_years"]:
        wanted = tuple(a for a in spec["adults"] if a != "parent") + tuple(spec["children"])  # no parent of theirs
    return wanted
