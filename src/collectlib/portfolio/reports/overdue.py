"""The overdue ratio: the share of the receivable that is overdue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import ClassVar

import attrs

from collectlib._checks import check_date, check_each, check_int
from collectlib.model import Account
from collectlib.money import ZERO, exact
from collectlib.portfolio.reports._report import (
    Report,
    Row,
    merged_currency,
    ratio_of,
    same_currency,
)

__all__ = ["OverdueRatio", "overdue_ratio"]


@attrs.frozen(kw_only=True)
class OverdueRatio(Report):
    """The overdue share of the receivables: ``overdue / receivables``.

    ``receivables`` is the open amount of the debit items (credit notes and
    unallocated payments are not receivables: they would let the ratio pass 1);
    ``overdue`` the part more than ``beyond`` days late (``beyond=0``: every overdue
    debit; 30, 60 or 90 for the "> 30 days" ratios).  ``ratio`` is in [0, 1],
    ``None`` when nothing is receivable.  Built by ``overdue_ratio``.
    """

    _what: ClassVar[str] = "overdue ratio"

    on: dt.date
    beyond: int = 0
    currency: str | None = None
    """The accounts' currency (``None`` when there was no account)."""
    receivables: Decimal = ZERO
    overdue: Decimal = ZERO

    def __attrs_post_init__(self) -> None:
        check_date(self._what, "on", self.on)
        check_int(self._what, "beyond", self.beyond, minimum=0)

    @property
    def ratio(self) -> float | None:
        """``overdue / receivables``, or ``None`` when nothing is receivable."""
        return ratio_of(self.overdue, self.receivables)

    @exact
    def merge(self, other: OverdueRatio) -> OverdueRatio:
        """Return the overdue ratio over both reports' accounts (same date and ``beyond``)."""
        self._check_mergeable(other, "on", "beyond")
        return OverdueRatio(
            on=self.on,
            beyond=self.beyond,
            currency=merged_currency(self._what, self.currency, other.currency),
            receivables=self.receivables + other.receivables,
            overdue=self.overdue + other.overdue,
        )

    def rows(self) -> list[Row]:
        """One row: on, currency, beyond, receivables, overdue, ratio."""
        return [
            {
                "on": self.on,
                "currency": self.currency,
                "beyond": self.beyond,
                "receivables": self.receivables,
                "overdue": self.overdue,
                "ratio": self.ratio,
            }
        ]


@exact
def overdue_ratio(accounts: Iterable[Account], on: dt.date, beyond: int = 0) -> OverdueRatio:
    """Return the share of the open debits that is more than ``beyond`` days late on ``on``.

    >>> from datetime import date
    >>> from collectlib import Account, Item
    >>> d = date(2026, 1, 1)
    >>> account = Account(id="C-1", items=[
    ...     Item(id="F-1", kind="INVOICE", issue_date=d, due_date=d, amount=300, open_amount=300),
    ...     Item(id="F-2", kind="INVOICE", issue_date=d, due_date=date(2026, 2, 20), amount=100,
    ...          open_amount=100)])
    >>> overdue_ratio([account], date(2026, 2, 15)).ratio
    0.75
    >>> overdue_ratio([account], date(2026, 2, 15), beyond=60).ratio
    0.0
    """
    check_date("overdue_ratio", "on", on)
    check_int("overdue_ratio", "beyond", beyond, minimum=0)
    receivables = overdue = ZERO
    currency: str | None = None
    for account in check_each("overdue_ratio", "accounts", accounts, Account):
        currency = same_currency("overdue_ratio", currency, account)
        for item in account.items:
            amount = item.open_amount
            if amount > ZERO:
                receivables += amount
                if item.days_late(on) > beyond:
                    overdue += amount
    return OverdueRatio(
        on=on, beyond=beyond, currency=currency, receivables=receivables, overdue=overdue
    )
