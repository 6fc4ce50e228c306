"""When an automatic message goes out: the first moment its sending window allows.

An automatic action due on a date is sent at the first instant, at or after the
later of the start of its due date and *now*, that falls on one of the window's
weekdays inside one of its time slots (start included, end excluded), on a business
day of the policy's calendar when it has one.  It is never sent early; outside the
window it waits for the next slot.

Without a time zone, times are local wall-clock times without a time zone, like the
window's.  With the customer's time zone (``Account.timezone``), the window is read
in the customer's local time and the moment is a timezone-aware datetime in that zone.
Across a daylight-saving change the window keeps its wall-clock meaning: a 09:00 slot
starts at 09:00 local time on the day the clocks change, whatever the offset.  A slot
time that the clocks skip (02:30 on a spring-forward night) goes out at the first
moment after the gap (03:00), inside the slot; a slot wholly inside the gap does not
exist that day.  A slot time that occurs twice (01:30 on a fall-back night) is its
first occurrence; a message due later that night may go out in the repeated hour, as
long as the local time is inside the slot.  A slot is assumed to see at most one
change of offset (time zones change theirs at most twice a year).
"""

from __future__ import annotations

import datetime as dt
from typing import Final
from zoneinfo import ZoneInfo

from collectlib._checks import check_instance, check_timezone
from collectlib.errors import ValidationError
from collectlib.model import BusinessCalendar, Policy, SendingWindow

__all__ = ["send_at", "timing"]

_MIDNIGHT: Final = dt.time()
_ONE_DAY: Final = dt.timedelta(days=1)
_TICK: Final = dt.timedelta(microseconds=1)
_NO_OFFSET: Final = dt.timedelta()


def send_at(
    window: SendingWindow,
    due_on: dt.date,
    now: dt.datetime,
    *,
    calendar: BusinessCalendar | None = None,
    timezone: str | None = None,
) -> dt.datetime:
    """Return the first moment at or after ``max(start of due_on, now)`` inside ``window``.

    On a business day of ``calendar`` when one is given.  Without ``timezone``, ``now``
    is a local (naive) datetime and so is the result.  With ``timezone`` (an IANA name,
    the customer's), the window is read in that zone's local time, ``now`` may be aware
    (any zone) or naive (the customer's wall-clock time), and the result is aware, in
    that zone.  The result is inside the window, never before ``now`` nor before
    ``due_on``, and no earlier moment qualifies.

    >>> from datetime import date, datetime, time
    >>> office = SendingWindow(weekdays={0, 1, 2, 3, 4}, slots=[(time(9), time(12))])
    >>> send_at(office, date(2026, 3, 6), datetime(2026, 3, 5, 15, 30))  # due on a Friday
    datetime.datetime(2026, 3, 6, 9, 0)
    >>> send_at(office, date(2026, 3, 6), datetime(2026, 3, 6, 12, 0))   # Friday noon: Monday
    datetime.datetime(2026, 3, 9, 9, 0)
    >>> send_at(office, date(2026, 3, 9), datetime(2026, 3, 9, 8, 0),
    ...         timezone="America/New_York")     # the day after the clocks went forward
    datetime.datetime(2026, 3, 9, 9, 0, tzinfo=zoneinfo.ZoneInfo(key='America/New_York'))
    """
    if not isinstance(window, SendingWindow):
        raise ValidationError(f"send_at: window must be a SendingWindow, not {window!r}")
    if type(due_on) is not dt.date:
        raise ValidationError(f"send_at: due_on must be a date, not {due_on!r}")
    if not isinstance(now, dt.datetime):
        raise ValidationError(f"send_at: now must be a datetime, not {now!r}")
    if calendar is not None:
        check_instance("send_at", "calendar", calendar, BusinessCalendar)
        if window.weekdays <= set(calendar.weekend):
            raise ValidationError(
                "send_at: calendar: the window's weekdays are all weekend days: no moment qualifies"
            )
    check_timezone("send_at", "timezone", timezone, optional=True)
    if timezone is None:
        if now.tzinfo is not None:
            raise ValidationError(
                f"send_at: now must be a local datetime without time zone, not {now!r} "
                "(or give the customer's timezone)"
            )
        return _local(window, calendar, due_on, now)
    zone = ZoneInfo(timezone)
    moment = (now if now.tzinfo is not None else now.replace(tzinfo=zone)).astimezone(zone)
    utc = moment.replace(tzinfo=None) - (moment.utcoffset() or _NO_OFFSET)
    return _zoned(window, calendar, zone, max(due_on, moment.date()), utc)


def _local(
    window: SendingWindow, calendar: BusinessCalendar | None, due_on: dt.date, now: dt.datetime
) -> dt.datetime:
    """Return ``send_at`` in local (naive) time, the arguments checked."""
    start = max(dt.datetime.combine(due_on, _MIDNIGHT), now)
    day, time = start.date(), start.time()
    weekdays, slots = window.weekdays, window.slots
    # A window has a weekday that is a business day and a calendar has finitely many
    # holidays: some day qualifies, unless the dates run out first.
    try:
        while True:
            if day.weekday() in weekdays and (calendar is None or calendar.is_business_day(day)):
                for slot_start, slot_end in slots:
                    if time < slot_end:
                        return dt.datetime.combine(day, max(slot_start, time))
            day += _ONE_DAY
            time = _MIDNIGHT
    except OverflowError:
        raise ValidationError(
            f"send_at: no moment of the sending window from {start} to {dt.date.max}"
        ) from None


def _zoned(
    window: SendingWindow,
    calendar: BusinessCalendar | None,
    zone: ZoneInfo,
    day: dt.date,
    not_before: dt.datetime | None,
) -> dt.datetime:
    """Return ``send_at`` in ``zone``: the first moment from ``day`` (local) and ``not_before``.

    ``not_before`` is a naive UTC datetime, or ``None`` for the start of ``day``.
    """
    weekdays, slots = window.weekdays, window.slots
    start = day
    try:
        while True:
            if day.weekday() in weekdays and (calendar is None or calendar.is_business_day(day)):
                found = [
                    moment
                    for slot_start, slot_end in slots
                    if (
                        moment := _first_moment(
                            zone,
                            dt.datetime.combine(day, slot_start),
                            dt.datetime.combine(day, slot_end),
                            not_before,
                        )
                    )
                    is not None
                ]
                if found:
                    return min(found).replace(tzinfo=dt.timezone.utc).astimezone(zone)
            day += _ONE_DAY
    except OverflowError:
        raise ValidationError(
            f"send_at: no moment of the sending window from {start} to {dt.date.max}"
        ) from None


def _first_moment(
    zone: ZoneInfo, start: dt.datetime, end: dt.datetime, not_before: dt.datetime | None
) -> dt.datetime | None:
    """Return the first UTC moment, at or after ``not_before``, whose local time is in a slot.

    The slot is ``[start, end)`` in ``zone``'s wall-clock time; moments are naive UTC
    datetimes.  For each UTC offset the zone may have in the slot, the moments with
    that offset whose wall-clock time is in the slot form one interval; the first
    moment of the earliest one is the answer (``None``: the clocks skip the slot).
    """
    offsets = {
        wall.replace(tzinfo=zone, fold=fold).utcoffset() or _NO_OFFSET
        for wall in (start, end)
        for fold in (0, 1)
    }
    found = [
        moment
        for offset in offsets
        if (moment := _first_with_offset(zone, start, end, offset, not_before)) is not None
    ]
    return min(found, default=None)


def _first_with_offset(
    zone: ZoneInfo,
    start: dt.datetime,
    end: dt.datetime,
    offset: dt.timedelta,
    not_before: dt.datetime | None,
) -> dt.datetime | None:
    """Return the first UTC moment at ``offset`` whose local time is in ``[start, end)``.

    At or after ``not_before``; ``None`` when the zone does not have that offset then.
    """
    low, high = start - offset, end - offset
    if not_before is not None and not_before > low:
        low = not_before
    if low >= high:
        return None
    if _offset_at(zone, low) == offset:
        return low
    last = high - _TICK
    if _offset_at(zone, last) != offset:
        return None
    return _change(zone, low, last, offset)


def _offset_at(zone: ZoneInfo, utc: dt.datetime) -> dt.timedelta:
    """Return the UTC offset of ``zone`` at the naive UTC moment ``utc``."""
    return zone.fromutc(utc.replace(tzinfo=zone)).utcoffset() or _NO_OFFSET


def _change(
    zone: ZoneInfo, low: dt.datetime, high: dt.datetime, offset: dt.timedelta
) -> dt.datetime:
    """Return the first moment in ``(low, high]`` where ``zone`` has ``offset``.

    ``low`` has another offset and ``high`` this one: the offset changes once in
    between, found by halving the interval down to the microsecond.
    """
    while high - low > _TICK:
        middle = low + (high - low) // 2
        if _offset_at(zone, middle) == offset:
            high = middle
        else:
            low = middle
    return high


def timing(
    policy: Policy,
    automatic: bool,
    to_be_confirmed: bool,
    due_on: dt.date,
    on: dt.date,
    timezone: str | None = None,
) -> tuple[int, bool, dt.datetime | None]:
    """Return the late days, whether a person confirms first, and the sending time.

    The one rule every proposal and agenda row follows, seen on the day ``on``:
    ``late_days`` counts from ``due_on`` (0 when not yet due); an automatic action
    needs confirmation when it is ``to_be_confirmed`` or when it is more than
    ``policy.automatic_max_late_days`` days late (no stale message goes out by
    itself); the sending time is ``send_at`` from the start of the day ``on`` (in the
    customer's ``timezone`` when given: then an aware datetime) on a business day of
    the policy's calendar, for an automatic action that needs no confirmation, else
    ``None``.
    """
    late = (on - due_on).days
    late = max(late, 0)
    if not automatic:
        return late, False, None
    limit = policy.automatic_max_late_days
    confirm = to_be_confirmed or (limit is not None and late > limit)
    window = policy.sending_window
    if confirm or window is None:
        return late, confirm, None
    if timezone is None:
        return (
            late,
            False,
            _local(window, policy.calendar, due_on, dt.datetime.combine(on, _MIDNIGHT)),
        )
    return late, False, _zoned(window, policy.calendar, ZoneInfo(timezone), max(due_on, on), None)
