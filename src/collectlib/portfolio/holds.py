"""The credit-hold report: the accounts an ERP must block new orders and deliveries for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from collectlib._checks import check_date, check_each
from collectlib.errors import ValidationError
from collectlib.model import Account, Policy
from collectlib.money import exact
from collectlib.portfolio.exposure import exposure
from collectlib.rules.cadence import CreditHold, hold_of
from collectlib.rules.groups import group_of

__all__ = ["holds"]


@exact
def holds(accounts: Iterable[Account], policy: Policy, on: dt.date) -> tuple[CreditHold, ...]:
    """Return the credit holds of the accounts on hold on ``on``, in the accounts' order.

    Step holds and group holds: the report computes the ``exposure`` of ``accounts``
    itself, and every account of a group above its credit limit is on hold.  A group
    hold needs every account of the group, so ``accounts`` is read once into a tuple
    (a generator reading a file is held in memory); for a portfolio too large for
    that, compute ``exposure`` on a first reading and call ``credit_hold(account,
    policy, on, exposure)`` on a second.  An account id seen twice is a
    ``ValidationError``.

    >>> from datetime import date
    >>> from collectlib import Account
    >>> holds([Account(id="C-1")], Policy(), date(2026, 3, 16))
    ()
    """
    check_date("holds", "on", on)
    if not isinstance(policy, Policy):
        raise ValidationError(f"holds: policy must be a Policy, not {policy!r}")
    read = tuple(check_each("holds", "accounts", accounts, Account))
    over = exposure(read, on).over_limit
    found = []
    for account in read:
        hold = hold_of(account, on, over.get(group_of(account)) if over else None)
        if hold is not None:
            found.append(hold)
    return tuple(found)
