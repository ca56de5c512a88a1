"""Which person of the list a number belongs to when its birth date cannot be the one asked about."""
import datetime as dt

import pytest

from bot.request import persons as P
from bot.validators import matricule

TODAY = dt.date(2026, 12, 6)
MUM = matricule.generate("1984-10-30", 30)


def slots(*relations, numbers=()):
    people = [P.new_person(label=None, relation=r) for r in relations]
    for person, number in zip(people, numbers):
        person["matricule"] = number
    return {"req_matricule": MUM, "persons": people}


@pytest.mark.parametrize("relations, index, born, owner", [
    (("child", "spouse"), 0, "1981-06-06", 1),        # the husband's number asked as the child's
    (("child", "spouse"), 0, "2010-04-21", None),     # a child's number: it fits
    (("child", "child"), 0, "1981-06-06", None),      # nobody else can own it
    (("spouse", "child"), 0, "2019-12-01", 1),        # a toddler's number asked as the spouse's
    (("spouse", "child"), 0, "1985-01-01", None),
    (("parent", "child"), 0, "2019-12-01", 1),        # a parent cannot be younger than the requester
    (("parent", "child"), 0, "1950-03-03", None),     # an older parent's number: it fits
])
def test_owner_by_age(relations, index, born, owner):
    assert P.owner_by_age(slots(*relations), index, matricule.generate(born, 7), TODAY) == owner


def test_a_person_with_a_number_already_owns_nothing_more():
    s = slots("child", "spouse", numbers=(None, matricule.generate("1980-01-01", 9)))
    assert P.owner_by_age(s, 0, matricule.generate("1981-06-06", 7), TODAY) is None
