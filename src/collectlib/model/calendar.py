"""Business days: the weekend and public holidays on which no due date falls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import attrs

from collectlib._checks import check_date, fail, to_frozenset

__all__ = ["BusinessCalendar"]

_ONE_DAY: Final = dt.timedelta(days=1)
_OWNER: Final = "business calendar"


def _weekend(value: Iterable[int]) -> tuple[int, ...]:
    """Read the weekend as a sorted tuple of distinct days; leave a bad value to the check."""
    try:
        return tuple(sorted(set(value)))
    except TypeError:  # not a collection, or days that do not compare: reported by the class
        return value  # type: ignore[return-value]


@attrs.frozen(kw_only=True)
class BusinessCalendar:
    """The days the collection department works: not a weekend day, not a holiday.

    ``weekend`` holds ``date.weekday()`` numbers (Monday 0 to Sunday 6; Saturday and
    Sunday by default; Friday and Saturday in much of the Middle East), kept sorted;
    it leaves at least one business day in the week.  ``holidays`` are dates (a
    frozenset).  Every due date collectlib computes moves to the next business day of
    the policy's calendar (``Policy.calendar``); ``collectlib.calendars.calendar_for``
    builds one from the ``holidays`` package.

    >>> from datetime import date
    >>> calendar = BusinessCalendar(holidays={date(2026, 5, 1)})
    >>> calendar.is_business_day(date(2026, 5, 1)), calendar.is_business_day(date(2026, 5, 4))
    (False, True)
    >>> calendar.next_business_day(date(2026, 5, 1))   # Friday 1 May: Monday
    datetime.date(2026, 5, 4)
    >>> BusinessCalendar(weekend=(5, 7))
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: business calendar: weekend days are 0 (Monday) to 6 \
(Sunday), not 7
    """

    weekend: tuple[int, ...] = attrs.field(default=(5, 6), converter=_weekend)
    holidays: frozenset[dt.date] = attrs.field(factory=frozenset, converter=to_frozenset)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.weekend, tuple):
            fail(_OWNER, f"weekend must be a collection of weekday numbers, not {self.weekend!r}")
        for day in self.weekend:
            if type(day) is not int or not 0 <= day <= 6:
                fail(_OWNER, f"weekend days are 0 (Monday) to 6 (Sunday), not {day!r}")
        if len(self.weekend) == 7:
            fail(_OWNER, "weekend must leave at least one business day in the week")
        if not isinstance(self.holidays, frozenset):
            fail(_OWNER, f"holidays must be a collection of dates, not {self.holidays!r}")
        wrong = [holiday for holiday in self.holidays if type(holiday) is not dt.date]
        if wrong:
            fail(_OWNER, f"holidays must be dates, not {min(wrong, key=repr)!r}")

    def is_business_day(self, day: dt.date) -> bool:
        """Whether ``day`` is neither a weekend day nor a holiday."""
        check_date(_OWNER, "day", day)
        return day.weekday() not in self.weekend and day not in self.holidays

    def next_business_day(self, day: dt.date) -> dt.date:
        """Return ``day`` when it is a business day, else the first business day after it.

        Past 9999-12-31 is a ``ValidationError``.
        """
        check_date(_OWNER, "day", day)
        weekend, holidays = self.weekend, self.holidays
        start = day
        try:
            while day.weekday() in weekend or day in holidays:
                day += _ONE_DAY
        except OverflowError:
            fail(_OWNER, f"no business day from {start} to {dt.date.max}")
        return day
