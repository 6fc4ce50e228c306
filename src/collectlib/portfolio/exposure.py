"""Exposure: what every group of accounts owes, by currency, against its credit limit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from collectlib._checks import check_date, check_each, fail
from collectlib._frozen import FrozenMap
from collectlib.model import Account
from collectlib.money import ZERO, exact
from collectlib.rules.groups import Exposure, GroupExposure, group_of

__all__ = ["exposure"]


class _Line:
    """A group's running sums in one currency while the accounts are read."""

    __slots__ = ("account_ids", "credit_limit", "credits", "not_due", "overdue")

    def __init__(self) -> None:
        self.account_ids: list[str] = []
        self.overdue = ZERO
        self.not_due = ZERO
        self.credits = ZERO
        self.credit_limit: Decimal | None = None


@exact
def exposure(accounts: Iterable[Account], on: dt.date) -> Exposure:
    """Return what each group owes on ``on``, by currency, against its credit limit.

    An account's group is its ``group``, or its own id when it has none.  Per group
    and currency: the net open balance, split into the open debits overdue on ``on``
    (due before it), those not yet due, and the open credits; the accounts; and the
    credit limit, the largest ``credit_limit`` of those accounts (``None``: none has
    one).  Every open item counts, as in the reports.  ``accounts`` may be any
    iterable (a generator reading a file): it is read once, one account at a time,
    and only the sums and the account ids are kept.  An account id seen twice is a
    ``ValidationError``.

    >>> from datetime import date
    >>> from collectlib import Account, Item
    >>> def invoice(id, due, amount):
    ...     return Item(id=id, kind="INVOICE", issue_date=due, due_date=due,
    ...                 amount=amount, open_amount=amount)
    >>> paris = Account(id="C-1", group="Durand", credit_limit="10000",
    ...                 items=[invoice("F-1", date(2026, 2, 1), "8000.00")])
    >>> lyon = Account(id="C-2", group="Durand",
    ...                items=[invoice("F-7", date(2026, 4, 1), "4500.00")])
    >>> durand = exposure([paris, lyon], date(2026, 3, 16)).by_group["Durand"]["EUR"]
    >>> durand.balance, durand.overdue, durand.not_due, durand.credit_limit, durand.over_limit
    (Decimal('12500.00'), Decimal('8000.00'), Decimal('4500.00'), Decimal('10000'), True)
    """
    check_date("exposure", "on", on)
    lines: dict[str, dict[str, _Line]] = {}
    seen: set[str] = set()
    for account in check_each("exposure", "accounts", accounts, Account):
        if account.id in seen:
            fail("exposure", f"account {account.id!r} appears twice")
        seen.add(account.id)
        currencies = lines.setdefault(group_of(account), {})
        line = currencies.get(account.currency)
        if line is None:
            line = currencies[account.currency] = _Line()
        line.account_ids.append(account.id)
        limit = account.credit_limit
        if limit is not None and (line.credit_limit is None or limit > line.credit_limit):
            line.credit_limit = limit
        overdue = not_due = credits = ZERO
        for item in account.items:
            amount = item.open_amount
            if amount > ZERO:
                if item.due_date < on:
                    overdue += amount
                else:
                    not_due += amount
            elif amount:
                credits += amount
        line.overdue += overdue
        line.not_due += not_due
        line.credits += credits
    return Exposure(
        on=on,
        by_group=FrozenMap(
            {
                group: FrozenMap(
                    {
                        currency: GroupExposure(
                            group=group,
                            currency=currency,
                            account_ids=tuple(line.account_ids),
                            balance=line.overdue + line.not_due + line.credits,
                            overdue=line.overdue,
                            not_due=line.not_due,
                            credits=line.credits,
                            credit_limit=line.credit_limit,
                        )
                        for currency, line in currencies.items()
                    }
                )
                for group, currencies in lines.items()
            }
        ),
    )
