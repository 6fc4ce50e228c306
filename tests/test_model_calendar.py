"""BusinessCalendar: the weekend and the holidays, checked when built."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectlib import BusinessCalendar, ValidationError
from collectlib.strategies import business_calendars

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
LABOUR_DAY = dt.date(2026, 5, 1)  # a Friday
assert LABOUR_DAY.weekday() == FRI


def test_saturday_and_sunday_are_the_default_weekend() -> None:
    calendar = BusinessCalendar()
    assert calendar.weekend == (SAT, SUN)
    assert calendar.holidays == frozenset()
    assert [calendar.is_business_day(dt.date(2026, 5, n)) for n in range(1, 5)] == [
        True,
        False,
        False,
        True,
    ]


def test_a_holiday_and_the_weekend_after_it_move_to_monday() -> None:
    calendar = BusinessCalendar(holidays={LABOUR_DAY})
    assert calendar.next_business_day(LABOUR_DAY) == dt.date(2026, 5, 4)
    assert calendar.next_business_day(dt.date(2026, 4, 30)) == dt.date(2026, 4, 30)


def test_a_friday_and_saturday_weekend() -> None:
    calendar = BusinessCalendar(weekend=[FRI, SAT])
    assert calendar.weekend == (FRI, SAT)
    assert calendar.next_business_day(LABOUR_DAY) == dt.date(2026, 5, 3)  # Sunday works


def test_the_weekend_is_kept_sorted_and_without_repeats() -> None:
    assert BusinessCalendar(weekend=[SUN, SAT, SUN]) == BusinessCalendar(weekend=(SAT, SUN))
    assert hash(BusinessCalendar(weekend={SUN, SAT})) == hash(BusinessCalendar())


def test_no_weekend_and_no_holiday_is_every_day() -> None:
    calendar = BusinessCalendar(weekend=(), holidays=())
    assert all(calendar.is_business_day(dt.date(2026, 5, n)) for n in range(1, 32))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"weekend": 5}, r"weekend must be a collection of weekday numbers, not 5"),
        ({"weekend": (5, 7)}, r"weekend days are 0 \(Monday\) to 6 \(Sunday\), not 7"),
        ({"weekend": (True,)}, r"weekend days are 0 \(Monday\) to 6 \(Sunday\), not True"),
        ({"weekend": ("5",)}, r"weekend days are 0 \(Monday\) to 6 \(Sunday\), not '5'"),
        ({"weekend": (5, "6")}, r"weekend days are 0 \(Monday\) to 6 \(Sunday\), not '6'"),
        ({"weekend": range(7)}, r"weekend must leave at least one business day in the week"),
        ({"holidays": 3}, r"holidays must be a collection of dates, not 3"),
        ({"holidays": ["2026-05-01"]}, r"holidays must be dates, not '2026-05-01'"),
        (
            {"holidays": [dt.datetime(2026, 5, 1)]},
            r"holidays must be dates, not datetime.datetime\(2026, 5, 1, 0, 0\)",
        ),
    ],
)
def test_a_bad_calendar_is_a_validation_error_naming_the_field(
    fields: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=rf"^business calendar: {message}"):
        BusinessCalendar(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["is_business_day", "next_business_day"])
@pytest.mark.parametrize("day", [None, "2026-05-01", dt.datetime(2026, 5, 1)])
def test_the_day_asked_about_must_be_a_date(method: str, day: object) -> None:
    with pytest.raises(ValidationError, match=r"^business calendar: day must be a date"):
        getattr(BusinessCalendar(), method)(day)


def test_no_business_day_before_the_dates_run_out() -> None:
    last = dt.date.max  # a Friday
    with pytest.raises(ValidationError, match=r"no business day from 9999-12-31 to 9999-12-31"):
        BusinessCalendar(holidays={last}).next_business_day(last)


@given(business_calendars(), st.dates(max_value=dt.date(9999, 1, 1)))
def test_the_next_business_day_is_the_first_business_day_on_or_after(
    calendar: BusinessCalendar, day: dt.date
) -> None:
    moved = calendar.next_business_day(day)
    assert moved >= day
    assert calendar.is_business_day(moved)
    assert (moved == day) is calendar.is_business_day(day)
    between = day
    while between < moved:
        assert not calendar.is_business_day(between)
        between += dt.timedelta(days=1)
    assert calendar.next_business_day(moved) == moved


def test_the_end_of_the_dates_is_named_by_the_calendar() -> None:
    last = dt.date.max
    with pytest.raises(ValidationError) as raised:
        BusinessCalendar(holidays={last}).next_business_day(last)
    assert str(raised.value) == "business calendar: no business day from 9999-12-31 to 9999-12-31"


def test_holidays_of_several_wrong_types_name_one_of_them() -> None:
    with pytest.raises(ValidationError) as raised:
        BusinessCalendar(holidays=["2026-05-01", 3])
    assert str(raised.value) == "business calendar: holidays must be dates, not '2026-05-01'"
