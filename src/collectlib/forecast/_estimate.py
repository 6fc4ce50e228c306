"""The estimator a prediction runs: a profile's figures for an item, and their blend.

Shared by ``predict_payment``, ``cash_forecast`` and the agenda's risk order, which
call it per item without the public functions' checks.
"""

from __future__ import annotations

import datetime as dt
import math

from collectlib.forecast.profiles import PaymentFigures, PaymentProfile

PRIOR_SETTLEMENTS = 2
"""How many settlements the portfolio's figures count for when blended with a customer's
(the ``k`` of the empirical Bayes shrinkage): a customer with 2 settlements (at least as
late as the item already is) is trusted half, one with 18 at 90 %.  Chosen with
``benchmarks/forecast.py --tune``; docs/explanation/how-collectlib-predicts-payment.md
gives the figures."""

DEFAULT_LATE_PROBABILITY = 0.5
"""With no profile and no fallback: nothing is known, the item is as likely late as not."""


def pick(profile: PaymentProfile | None, disputed: bool) -> PaymentFigures | None:
    """Return the figures of ``profile`` a (``disputed``) item reads, ``None`` without.

    A disputed item reads the disputed settlements, another the undisputed ones;
    either reads the other kind when its own has none.
    """
    if profile is None:
        return None
    figures, other = (
        (profile.disputed, profile.undisputed)
        if disputed
        else (profile.undisputed, profile.disputed)
    )
    return figures if figures.count else other


def figures(
    profile: PaymentProfile | None, disputed: bool, age: int
) -> tuple[float, float, float] | None:
    """Return what a profile says of an item unpaid ``age`` days after its due date.

    The figures (delay, late probability, count) of the settlements at least ``age``
    days late (``pick``'s kind): the item is still unpaid, so the earlier ones do not
    apply to it.  ``None`` when the profile has no such settlement.
    """
    chosen = pick(profile, disputed)
    return None if chosen is None else chosen._from(age)  # the same package's cache


def expect(
    own: tuple[float, float, float] | None, prior: tuple[float, float, float] | None, age: int
) -> tuple[int, float, str]:
    """Return the days after the due date an item is expected, its late probability, basis.

    ``own`` and ``prior`` are the figures (``figures``) of the customer's profile and
    of the fallback for an item unpaid ``age`` days after its due date.
    """
    if own is not None and prior is not None:
        basis = "blended"
        count = own[2]
        total = count + PRIOR_SETTLEMENTS
        delay = (count * own[0] + PRIOR_SETTLEMENTS * prior[0]) / total
        late = (count * own[1] + PRIOR_SETTLEMENTS * prior[1]) / total
    elif own is not None:
        basis, (delay, late, _count) = "customer", own
    elif prior is not None:
        basis, (delay, late, _count) = "portfolio", prior
    else:
        basis, delay, late = "default", 0.0, DEFAULT_LATE_PROBABILITY
    # Unpaid on ``on``: paid on ``on`` at the earliest, and late for sure when overdue.
    return max(math.floor(delay + 0.5), age), 1.0 if age > 0 else late, basis


def shift(day: dt.date, days: int) -> dt.date:
    """Return ``day`` plus ``days``, at most the last date (an expected payment date)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max
