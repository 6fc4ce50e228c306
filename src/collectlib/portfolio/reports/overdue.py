"""The overdue ratio: the share of the receivable that is overdue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import ClassVar

import attrs

from collectlib._checks import check_date, check_each, check_int
from collectlib._frozen import FrozenMap
from collectlib.model import Account
from collectlib.money import ZERO, exact
from collectlib.portfolio.reports._report import CurrencyReport, Row, ratio_of, to_parts

__all__ = ["OverdueRatio", "overdue_ratio"]


@attrs.frozen(kw_only=True)
class OverdueRatio(CurrencyReport):
    """The overdue share of the receivables: ``overdue / receivables``.

    ``receivables`` is the open amount of the debit items (credit notes and
    unallocated payments are not receivables: they would let the ratio pass 1);
    ``overdue`` the part more than ``beyond`` days late (``beyond=0``: every overdue
    debit; 30, 60 or 90 for the "> 30 days" ratios).  ``ratio`` is in [0, 1],
    ``None`` when nothing is receivable.  Over accounts in several currencies,
    ``parts`` holds each currency's ratio (``for_currency("JPY").ratio``), and the
    figures of the whole are a ``RuleViolation``.  Built by ``overdue_ratio``.
    """

    _what: ClassVar[str] = "overdue ratio"
    _parameters: ClassVar[tuple[str, ...]] = ("on", "beyond")

    on: dt.date
    beyond: int = 0
    currency: str | None = None
    """The accounts' currency (``None`` when there was no account, or several currencies)."""
    _receivables: Decimal | None = attrs.field(default=ZERO, alias="receivables")
    _overdue: Decimal | None = attrs.field(default=ZERO, alias="overdue")
    parts: FrozenMap[str, OverdueRatio] = attrs.field(factory=FrozenMap, converter=to_parts)
    """Each currency's overdue ratio, when the accounts are in two currencies or more."""

    def __attrs_post_init__(self) -> None:
        check_date(self._what, "on", self.on)
        check_int(self._what, "beyond", self.beyond, minimum=0)
        self._check_currencies()

    @property
    def receivables(self) -> Decimal:
        """The open amount of the debit items (in one currency)."""
        self._one_currency("receivables")
        return self._receivables  # type: ignore[return-value]  # set in one currency

    @property
    def overdue(self) -> Decimal:
        """The open debits more than ``beyond`` days late (in one currency)."""
        self._one_currency("overdue")
        return self._overdue  # type: ignore[return-value]  # set in one currency

    @property
    def ratio(self) -> float | None:
        """``overdue / receivables``, or ``None`` when nothing is receivable (one currency)."""
        self._one_currency("ratio")
        return ratio_of(self.overdue, self.receivables)

    def _empty(self, currency: str | None) -> OverdueRatio:
        return OverdueRatio(on=self.on, beyond=self.beyond, currency=currency)

    @exact
    def _merge_one(self, other: OverdueRatio) -> OverdueRatio:
        return OverdueRatio(
            on=self.on,
            beyond=self.beyond,
            currency=self.currency,
            receivables=self.receivables + other.receivables,
            overdue=self.overdue + other.overdue,
        )

    def _several(self, parts: FrozenMap[str, OverdueRatio]) -> OverdueRatio:
        return OverdueRatio(
            on=self.on, beyond=self.beyond, receivables=None, overdue=None, parts=parts
        )

    def rows(self) -> list[Row]:
        """One row per currency: on, currency, beyond, receivables, overdue, ratio."""
        if self.parts:
            return [row for part in self.parts.values() for row in part.rows()]
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
    sums: dict[str, list[Decimal]] = {}  # currency -> [receivables, overdue]
    for account in check_each("overdue_ratio", "accounts", accounts, Account):
        figures = sums.get(account.currency)
        if figures is None:
            figures = sums[account.currency] = [ZERO, ZERO]
        for item in account.items:
            amount = item.open_amount
            if amount > ZERO:
                figures[0] += amount
                if item.days_late(on) > beyond:
                    figures[1] += amount
    return OverdueRatio(on=on, beyond=beyond)._of(
        {
            currency: OverdueRatio(
                on=on, beyond=beyond, currency=currency, receivables=receivables, overdue=overdue
            )
            for currency, (receivables, overdue) in sums.items()
        }
    )
