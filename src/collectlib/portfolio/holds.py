"""The credit-hold report: the accounts an ERP must block new orders and deliveries for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from collectlib._checks import check_date
from collectlib.errors import ValidationError
from collectlib.model import Account, Policy
from collectlib.rules.cadence import CreditHold, credit_hold

__all__ = ["holds"]


def holds(accounts: Iterable[Account], policy: Policy, on: dt.date) -> Iterator[CreditHold]:
    """Yield the credit hold of every account on hold on ``on``, in the accounts' order.

    A stream: ``accounts`` may be a generator reading a file, read once, one account at
    a time, so the report of a million accounts holds one account at a time.

    >>> from datetime import date
    >>> from collectlib import Account
    >>> list(holds([Account(id="C-1")], Policy(), date(2026, 3, 16)))
    []
    """
    check_date("holds", "on", on)
    if not isinstance(policy, Policy):
        raise ValidationError(f"holds: policy must be a Policy, not {policy!r}")
    for account in accounts:
        if not isinstance(account, Account):
            raise ValidationError(f"holds: accounts must hold Account records, not {account!r}")
        hold = credit_hold(account, policy, on) if account.journal else None
        if hold is not None:
            yield hold
