"""Business calendars from the ``holidays`` package (extra ``collectlib[holidays]``).

``calendar_for("FR", years=range(2026, 2031))`` gives a ``BusinessCalendar`` with the
country's public holidays of those years (and of a subdivision: ``subdiv="57"`` for
Moselle's two extra days, ``subdiv="CA"`` for California).  The core never imports this
module: a policy holds the dates themselves, so the rules need no package to read
them.  A date of a year not given is not known to be a holiday: give the years your
agenda runs over, and build the calendar again each year.

>>> from datetime import date
>>> calendar = calendar_for("FR", years=2026)
>>> calendar.next_business_day(date(2026, 5, 1))   # Labour Day, a Friday: Monday
datetime.date(2026, 5, 4)
>>> calendar_for("XX", years=2026)
Traceback (most recent call last):
...
collectlib.errors.ValidationError: calendar_for: country 'XX': no holidays known \
(an ISO 3166 code such as 'FR')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from collectlib._checks import check_id, fail
from collectlib.errors import ConfigurationError
from collectlib.model import BusinessCalendar

__all__ = ["calendar_for"]

_INSTALL = "pip install collectlib[holidays]"


def calendar_for(
    country: str,
    *,
    years: int | Iterable[int],
    subdiv: str | None = None,
    weekend: Iterable[int] = (5, 6),
) -> BusinessCalendar:
    """Return the business calendar of ``country``'s public holidays in ``years``.

    ``country`` is an ISO 3166 code (``"FR"``, ``"US"``), ``subdiv`` one of its
    subdivisions (a state, a region), ``years`` a year or some years (``range(2026,
    2031)``), ``weekend`` the weekday numbers of the weekend (Saturday and Sunday by
    default).  An unknown country or subdivision is a ``ValidationError`` naming it;
    without the ``holidays`` package, a ``ConfigurationError`` says how to install it.
    """
    what = "calendar_for"
    check_id(what, "country", country)
    if subdiv is not None:
        check_id(what, "subdiv", subdiv)
    wanted = _years(what, years)
    try:
        import holidays  # noqa: PLC0415  # the optional dependency, imported when used
    except ImportError:
        raise ConfigurationError(
            f"{what}: the holidays package is not installed: {_INSTALL}"
        ) from None
    try:
        found: Any = holidays.country_holidays(country, subdiv=subdiv, years=wanted)
    except NotImplementedError:
        if subdiv is not None and _known(holidays, country):
            fail(what, f"country {country!r} has no subdivision {subdiv!r}")
        fail(what, f"country {country!r}: no holidays known (an ISO 3166 code such as 'FR')")
    days: frozenset[dt.date] = frozenset(found)
    return BusinessCalendar(weekend=weekend, holidays=days)


def _years(what: str, years: object) -> list[int]:
    """Return ``years`` as a list of years (1 to 9999), or fail naming the argument."""
    chosen: object = [years] if type(years) is int else years
    if isinstance(chosen, str | bytes) or not isinstance(chosen, Iterable):
        fail(what, f"years must be a year or a collection of years, not {years!r}")
    listed = list(chosen)
    if not listed:
        fail(what, "years must name at least one year")
    for year in listed:
        if type(year) is not int or not dt.MINYEAR <= year <= dt.MAXYEAR:
            fail(what, f"years must be whole numbers from 1 to 9999, not {year!r}")
    return listed


def _known(package: Any, country: str) -> bool:
    """Whether the ``holidays`` package knows ``country`` (without a subdivision)."""
    try:
        package.country_holidays(country, years=[])
    except NotImplementedError:
        return False
    return True
