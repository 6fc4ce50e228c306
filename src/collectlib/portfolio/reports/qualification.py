"""The qualification rate: how much of the overdue receivable carries a status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from collectlib._checks import check_amount, check_date, check_each, check_int
from collectlib._frozen import FrozenMap
from collectlib.model import Account
from collectlib.money import ZERO, coerce_amount, exact
from collectlib.portfolio.reports._report import (
    Report,
    Row,
    merged_currency,
    ratio_of,
    same_currency,
)

__all__ = ["QualificationRate", "Tally", "qualification_rate"]


@attrs.frozen(kw_only=True)
class Tally:
    """A number of items and their total open amount (a total: up to 30 digits before the point).

    >>> Tally(count=2, amount=Decimal("150.00")) + Tally(count=1, amount=Decimal("20"))
    Tally(count=3, amount=Decimal('170.00'))
    """

    count: int = 0
    amount: Decimal = attrs.field(default=ZERO, converter=coerce_amount)

    def __attrs_post_init__(self) -> None:
        check_int("tally", "count", self.count, minimum=0)
        check_amount("tally", "amount", self.amount, total=True)

    @exact
    def __add__(self, other: Tally) -> Tally:
        if type(other) is not Tally:
            return NotImplemented
        return _added(self, other)


def _added(first: Tally, second: Tally) -> Tally:
    """``first + second`` in the caller's context (the library's, for the reports)."""
    return Tally(count=first.count + second.count, amount=first.amount + second.amount)


_NO_TALLY = Tally()
_CellKey = tuple[str | None, str | None]


def _cell_order(cell: tuple[_CellKey, Tally]) -> tuple[bool, str, bool, str]:
    """Sort cells by collector, then status, ``None`` last in both."""
    (collector, status), _tally = cell
    return (collector is None, collector or "", status is None, status or "")


@attrs.frozen(kw_only=True)
class QualificationRate(Report):
    """The item status report: how much of the overdue receivable carries a status.

    Overdue items are open debits whose due date is before ``on``; an item is
    **qualified** when it carries a status (any status).  The report keeps one
    ``Tally`` per collector and status, ``cells[(collector, status)]``, where status
    ``None`` counts the overdue items without status and collector ``None`` the
    accounts without collector; every other figure derives from it.
    ``rate_by_count`` and ``rate_by_amount`` are in [0, 1], ``None`` when nothing is
    overdue.  Built by ``qualification_rate``.
    """

    _what: ClassVar[str] = "qualification rate"

    on: dt.date
    currency: str | None = None
    """The accounts' currency (``None`` when there was no account)."""
    cells: FrozenMap[_CellKey, Tally] = attrs.field(factory=FrozenMap)

    def __attrs_post_init__(self) -> None:
        check_date(self._what, "on", self.on)

    @exact
    def _sum(self, qualified_only: bool) -> Tally:
        total = _NO_TALLY
        for (_collector, status), tally in self.cells.items():
            if status is not None or not qualified_only:
                total = _added(total, tally)
        return total

    @property
    def overdue_count(self) -> int:
        """How many items are overdue."""
        return self._sum(qualified_only=False).count

    @property
    def overdue_amount(self) -> Decimal:
        """The open amount of the overdue items."""
        return self._sum(qualified_only=False).amount

    @property
    def qualified_count(self) -> int:
        """How many overdue items carry a status."""
        return self._sum(qualified_only=True).count

    @property
    def qualified_amount(self) -> Decimal:
        """The open amount of the overdue items that carry a status."""
        return self._sum(qualified_only=True).amount

    @property
    def rate_by_count(self) -> float | None:
        """``qualified_count / overdue_count``, or ``None`` when nothing is overdue."""
        return ratio_of(self.qualified_count, self.overdue_count)

    @property
    def rate_by_amount(self) -> float | None:
        """``qualified_amount / overdue_amount``, or ``None`` when nothing is overdue."""
        return ratio_of(self.qualified_amount, self.overdue_amount)

    @property
    @exact
    def by_status(self) -> FrozenMap[str, Tally]:
        """The overdue items per status code (qualified items only), codes sorted."""
        totals: dict[str, Tally] = {}
        for (_collector, status), tally in self.cells.items():
            if status is not None:
                totals[status] = _added(totals.get(status, _NO_TALLY), tally)
        return FrozenMap(dict(sorted(totals.items())))

    @property
    def by_collector(self) -> FrozenMap[str | None, QualificationRate]:
        """The report restricted to each collector's accounts (``None``: no collector, last)."""
        cells: dict[str | None, dict[_CellKey, Tally]] = {}
        for key, tally in sorted(self.cells.items(), key=_cell_order):
            cells.setdefault(key[0], {})[key] = tally
        return FrozenMap(
            {
                collector: QualificationRate(
                    on=self.on, currency=self.currency, cells=FrozenMap(own)
                )
                for collector, own in cells.items()
            }
        )

    @exact
    def merge(self, other: QualificationRate) -> QualificationRate:
        """Return the report over both reports' accounts (same date, same currency)."""
        self._check_mergeable(other, "on")
        cells = dict(self.cells)
        for key, tally in other.cells.items():
            cells[key] = _added(cells.get(key, _NO_TALLY), tally)
        return QualificationRate(
            on=self.on,
            currency=merged_currency(self._what, self.currency, other.currency),
            cells=FrozenMap(cells),
        )

    def rows(self) -> list[Row]:
        """One row per collector and status: on, currency, collector, status, count, amount.

        Status ``None`` is the overdue items without status.  Rows are sorted by
        collector, then status (``None`` last in both).
        """
        return [
            {
                "on": self.on,
                "currency": self.currency,
                "collector": collector,
                "status": status,
                "count": tally.count,
                "amount": tally.amount,
            }
            for (collector, status), tally in sorted(self.cells.items(), key=_cell_order)
        ]


@exact
def qualification_rate(accounts: Iterable[Account], on: dt.date) -> QualificationRate:
    """Return the share of the overdue items (open debits due before ``on``) carrying a status.

    ``accounts`` is read once, one account at a time; give each account once (the
    report keeps no account ids, so it cannot tell).  Statuses are the items'
    current ones.

    >>> from datetime import date
    >>> from collectlib import Account, Item
    >>> d = date(2026, 1, 31)
    >>> account = Account(id="C-1", collector="ana", items=[
    ...     Item(id="F-1", kind="INVOICE", issue_date=d, due_date=d, amount=300,
    ...          open_amount=300, status="promise"),
    ...     Item(id="F-2", kind="INVOICE", issue_date=d, due_date=d, amount=100,
    ...          open_amount=100)])
    >>> report = qualification_rate([account], date(2026, 3, 1))
    >>> report.rate_by_count, report.rate_by_amount
    (0.5, 0.75)
    >>> qualification_rate([], date(2026, 3, 1)).rate_by_count is None
    True
    """
    check_date("qualification_rate", "on", on)
    cells: dict[_CellKey, list[Any]] = {}
    currency: str | None = None
    for account in check_each("qualification_rate", "accounts", accounts, Account):
        currency = same_currency("qualification_rate", currency, account)
        collector = account.collector
        for item in account.items:
            if item.is_overdue(on):
                cell = cells.get((collector, item.status))
                if cell is None:
                    cells[(collector, item.status)] = [1, item.open_amount]
                else:
                    cell[0] += 1
                    cell[1] += item.open_amount
    return QualificationRate(
        on=on,
        currency=currency,
        cells=FrozenMap(
            {key: Tally(count=count, amount=amount) for key, (count, amount) in cells.items()}
        ),
    )
