"""Plausibility checks on a trip's dates.  Pure functions, no I/O.

    check(departure, return_, today, lead_days=None) -> list[str]
    errors(departure, return_, today) -> list[str]
    warnings(departure, return_, today, lead_days=None) -> list[str]

Reason codes (in this order when several apply):

* ``departure_past``          departure before today (today itself is fine)
* ``return_past``             return before today
* ``return_before_departure`` return strictly before departure; returning on
                              the day of departure is ALLOWED (day trip)
* ``too_far``                 departure more than 2 years after today
                              (``today + 2 years`` itself is still accepted),
                              most likely a typo in the year
* ``lead_time``               WARNING only: departure (today or later) is
                              less than ``lead_days`` days from today, so the
                              certificate may not arrive in time

``check`` returns the errors followed by the warnings; use ``errors`` /
``warnings`` (or ``is_warning(code)``) to tell refusals from warnings.
Missing dates (``None``) are simply not checked.
"""
from __future__ import annotations

from datetime import date
from typing import List, Optional

from dateutil.relativedelta import relativedelta

__all__ = ["check", "errors", "warnings", "is_warning", "ERROR_CODES",
           "WARNING_CODES", "MAX_YEARS_AHEAD"]

MAX_YEARS_AHEAD = 2
ERROR_CODES = ("departure_past", "return_past", "return_before_departure",
               "too_far")
WARNING_CODES = ("lead_time",)


def is_warning(code: str) -> bool:
    return code in WARNING_CODES


def errors(departure: Optional[date], return_: Optional[date],
           today: date) -> List[str]:
    """Blocking problems with the dates."""
    out: List[str] = []
    if departure is not None and departure < today:
        out.append("departure_past")
    if return_ is not None and return_ < today:
        out.append("return_past")
    if departure is not None and return_ is not None and return_ < departure:
        out.append("return_before_departure")
    if departure is not None and \
            departure > today + relativedelta(years=MAX_YEARS_AHEAD):
        out.append("too_far")
    return out


def warnings(departure: Optional[date], return_: Optional[date],
             today: date, lead_days: Optional[int] = None) -> List[str]:
    """Non-blocking remarks (``lead_time``)."""
    out: List[str] = []
    if lead_days is not None and departure is not None and \
            today <= departure and (departure - today).days < lead_days:
        out.append("lead_time")
    return out


def check(departure: Optional[date], return_: Optional[date], today: date,
          lead_days: Optional[int] = None) -> List[str]:
    """All reason codes: errors first, then warnings."""
    return errors(departure, return_, today) + \
        warnings(departure, return_, today, lead_days)
