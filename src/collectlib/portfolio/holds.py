"""The credit-hold report: the accounts an ERP must block new orders and deliveries for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from collectlib._checks import check_date, check_each
from collectlib.errors import ValidationError
from collectlib.model import Account, Policy
from collectlib.rules.cadence import CreditHold, credit_hold

__all__ = ["holds"]


def holds(accounts: Iterable[Account], policy: Policy, on: dt.date) -> tuple[CreditHold, ...]:
    """Return the credit holds of the accounts on hold on ``on``, in the accounts' order.

    ``accounts`` may be a generator reading a file: it is read once, one account at a
    time, and only the holds are kept, so the report of a million accounts streams.

    >>> from datetime import date
    >>> from collectlib import Account
    >>> holds([Account(id="C-1")], Policy(), date(2026, 3, 16))
    ()
    """
    check_date("holds", "on", on)
    if not isinstance(policy, Policy):
        raise ValidationError(f"holds: policy must be a Policy, not {policy!r}")
    found = []
    for account in check_each("holds", "accounts", accounts, Account):
        hold = credit_hold(account, policy, on) if account.journal else None
        if hold is not None:
            found.append(hold)
    return tuple(found)
