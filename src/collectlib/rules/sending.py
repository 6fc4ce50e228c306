"""When an automatic message goes out: the first moment its sending window allows.

An automatic action due on a date is sent at the first instant, at or after the
later of the start of its due date and *now*, that falls on one of the window's
weekdays inside one of its time slots (start included, end excluded).  It is never
sent early; outside the window it waits for the next slot.  Times are local wall-
clock times, without a time zone, like the window's.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from collectlib.errors import ValidationError
from collectlib.model import Policy, SendingWindow

__all__ = ["send_at", "timing"]

_MIDNIGHT: Final = dt.time()
_ONE_DAY: Final = dt.timedelta(days=1)


def send_at(window: SendingWindow, due_on: dt.date, now: dt.datetime) -> dt.datetime:
    """Return the first moment at or after ``max(start of due_on, now)`` inside ``window``.

    ``now`` is a local (naive) datetime.  The result is inside the window, never
    before ``now`` nor before ``due_on``, and no earlier moment qualifies.

    >>> from datetime import date, datetime, time
    >>> office = SendingWindow(weekdays={0, 1, 2, 3, 4}, slots=[(time(9), time(12))])
    >>> send_at(office, date(2026, 3, 6), datetime(2026, 3, 5, 15, 30))  # due on a Friday
    datetime.datetime(2026, 3, 6, 9, 0)
    >>> send_at(office, date(2026, 3, 6), datetime(2026, 3, 6, 12, 0))   # Friday noon: Monday
    datetime.datetime(2026, 3, 9, 9, 0)
    """
    if not isinstance(window, SendingWindow):
        raise ValidationError(f"send_at: window must be a SendingWindow, not {window!r}")
    if type(due_on) is not dt.date:
        raise ValidationError(f"send_at: due_on must be a date, not {due_on!r}")
    if not isinstance(now, dt.datetime):
        raise ValidationError(f"send_at: now must be a datetime, not {now!r}")
    if now.tzinfo is not None:
        raise ValidationError(
            f"send_at: now must be a local datetime without time zone, not {now!r}"
        )
    start = max(dt.datetime.combine(due_on, _MIDNIGHT), now)
    day, time = start.date(), start.time()
    # A window has at least one weekday, so some day of the next seven has a slot;
    # the start day comes back a week later when its slots are all over.
    for _ in range(8):
        if day.weekday() in window.weekdays:
            for slot_start, slot_end in window.slots:
                if time < slot_end:
                    return dt.datetime.combine(day, max(slot_start, time))
        day += _ONE_DAY
        time = _MIDNIGHT
    raise AssertionError(
        "unreachable: a sending window has at least one weekday"
    )  # pragma: no cover


def timing(
    policy: Policy, automatic: bool, to_be_confirmed: bool, due_on: dt.date, on: dt.date
) -> tuple[int, bool, dt.datetime | None]:
    """Return the late days, whether a person confirms first, and the sending time.

    The one rule every proposal and agenda row follows, seen on the day ``on``:
    ``late_days`` counts from ``due_on`` (0 when not yet due); an automatic action
    needs confirmation when it is ``to_be_confirmed`` or when it is more than
    ``policy.automatic_max_late_days`` days late (no stale message goes out by
    itself); the sending time is ``send_at`` from the start of the day ``on`` for an
    automatic action that needs no confirmation, else ``None``.
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
    return late, False, send_at(window, due_on, dt.datetime.combine(on, _MIDNIGHT))
