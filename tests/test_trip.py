from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.validators import trip

TODAY = date(2026, 11, 23)
D = timedelta(days=1)


def test_valid_trip_has_no_codes():
    assert trip.check(TODAY + 10 * D, TODAY + 20 * D, TODAY) == []
    assert trip.check(TODAY, TODAY, TODAY) == []


def test_same_day_return_is_allowed():
    assert trip.check(TODAY + 5 * D, TODAY + 5 * D, TODAY) == []


def test_departure_past():
    assert trip.check(TODAY - D, TODAY + 5 * D, TODAY) == ["departure_past"]


def test_return_past():
    assert trip.check(None, TODAY - D, TODAY) == ["return_past"]
    assert trip.check(TODAY - 5 * D, TODAY - D, TODAY) == [
        "departure_past", "return_past"]


def test_return_before_departure():
    assert trip.check(TODAY + 10 * D, TODAY + 9 * D, TODAY) == [
        "return_before_departure"]


def test_too_far():
    two_years = date(2028, 11, 23)
    assert trip.check(two_years, None, TODAY) == []
    assert trip.check(two_years + D, None, TODAY) == ["too_far"]


def test_lead_time_is_a_warning():
    dep = TODAY + 3 * D
    assert trip.errors(dep, None, TODAY) == []
    assert trip.warnings(dep, None, TODAY, lead_days=5) == ["lead_time"]
    assert trip.check(dep, None, TODAY, lead_days=5) == ["lead_time"]
    assert trip.is_warning("lead_time")
    assert not trip.is_warning("departure_past")
    assert trip.check(TODAY + 5 * D, None, TODAY, lead_days=5) == []
    assert trip.check(dep, None, TODAY) == []
    # a past departure is an error, not also a lead-time warning
    assert trip.check(TODAY - D, None, TODAY, lead_days=5) == [
        "departure_past"]


def test_missing_dates_are_not_checked():
    assert trip.check(None, None, TODAY, lead_days=10) == []


def test_all_codes_are_known():
    codes = set(trip.ERROR_CODES) | set(trip.WARNING_CODES)
    got = set()
    got.update(trip.check(TODAY - D, TODAY - 2 * D, TODAY))
    got.update(trip.check(TODAY + 1000 * D, None, TODAY, lead_days=3))
    got.update(trip.check(TODAY + D, None, TODAY, lead_days=3))
    assert got == codes


dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 1, 1))


@given(dates, dates, st.none() | st.integers(0, 60))
def test_codes_are_consistent(dep, ret, lead):
    codes = trip.check(dep, ret, TODAY, lead)
    assert ("departure_past" in codes) == (dep < TODAY)
    assert ("return_past" in codes) == (ret < TODAY)
    assert ("return_before_departure" in codes) == (ret < dep)
    assert ("too_far" in codes) == (dep > date(2028, 11, 23))
    assert codes == trip.errors(dep, ret, TODAY) + \
        trip.warnings(dep, ret, TODAY, lead)
