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
from collectlib.portfolio.reports._report import CurrencyReport, Row, ratio_of, to_parts

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
class QualificationRate(CurrencyReport):
    """The item status report: how much of the overdue receivable carries a status.

    Overdue items are open debits whose due date is before ``on``; an item is
    **qualified** when it carries a status (any status).  The report keeps one
    ``Tally`` per collector and status, ``cells[(collector, status)]``, where status
    ``None`` counts the overdue items without status and collector ``None`` the
    accounts without collector; every other figure derives from it.
    ``rate_by_count`` and ``rate_by_amount`` are in [0, 1], ``None`` when nothing is
    overdue.

    Over accounts in several currencies, ``parts`` holds each currency's report
    (``for_currency("JPY").overdue_amount``); the counts and ``rate_by_count`` are the
    whole portfolio's, ``by_collector`` gives each collector's report over its
    currencies, and every amount of the whole (``cells``, ``overdue_amount``,
    ``qualified_amount``, ``rate_by_amount``, ``by_status``) is a ``RuleViolation``.
    Built by ``qualification_rate``.
    """

    _what: ClassVar[str] = "qualification rate"
    _parameters: ClassVar[tuple[str, ...]] = ("on",)

    on: dt.date
    currency: str | None = None
    """The accounts' currency (``None`` when there was no account, or several currencies)."""
    _cells: FrozenMap[_CellKey, Tally] | None = attrs.field(factory=FrozenMap, alias="cells")
    parts: FrozenMap[str, QualificationRate] = attrs.field(factory=FrozenMap, converter=to_parts)
    """Each currency's report, when the accounts are in two currencies or more."""

    def __attrs_post_init__(self) -> None:
        check_date(self._what, "on", self.on)
        self._check_currencies()

    @property
    def cells(self) -> FrozenMap[_CellKey, Tally]:
        """The overdue items per collector and status, ``cells[(collector, status)]``."""
        self._one_currency("cells")
        return self._cells  # type: ignore[return-value]  # set in a one-currency report

    @exact
    def _sum(self, qualified_only: bool) -> Tally:
        total = _NO_TALLY
        for (_collector, status), tally in self.cells.items():
            if status is not None or not qualified_only:
                total = _added(total, tally)
        return total

    def _count(self, qualified_only: bool) -> int:
        if self.parts:  # a count adds up across currencies
            return sum(part._sum(qualified_only).count for part in self.parts.values())
        return self._sum(qualified_only).count

    @property
    def overdue_count(self) -> int:
        """How many items are overdue."""
        return self._count(qualified_only=False)

    @property
    def overdue_amount(self) -> Decimal:
        """The open amount of the overdue items (in one currency)."""
        self._one_currency("overdue_amount")
        return self._sum(qualified_only=False).amount

    @property
    def qualified_count(self) -> int:
        """How many overdue items carry a status."""
        return self._count(qualified_only=True)

    @property
    def qualified_amount(self) -> Decimal:
        """The open amount of the overdue items that carry a status (in one currency)."""
        self._one_currency("qualified_amount")
        return self._sum(qualified_only=True).amount

    @property
    def rate_by_count(self) -> float | None:
        """``qualified_count / overdue_count``, or ``None`` when nothing is overdue."""
        return ratio_of(self.qualified_count, self.overdue_count)

    @property
    def rate_by_amount(self) -> float | None:
        """``qualified_amount / overdue_amount``, or ``None`` when nothing is overdue."""
        self._one_currency("rate_by_amount")
        return ratio_of(self.qualified_amount, self.overdue_amount)

    @property
    @exact
    def by_status(self) -> FrozenMap[str, Tally]:
        """The overdue items per status code (qualified items only), codes sorted."""
        self._one_currency("by_status")
        totals: dict[str, Tally] = {}
        for (_collector, status), tally in self.cells.items():
            if status is not None:
                totals[status] = _added(totals.get(status, _NO_TALLY), tally)
        return FrozenMap(dict(sorted(totals.items())))

    @property
    def by_collector(self) -> FrozenMap[str | None, QualificationRate]:
        """The report restricted to each collector's accounts (``None``: no collector, last)."""
        if self.parts:
            by_currency = {code: part.by_collector for code, part in self.parts.items()}
            collectors = sorted(
                {c for own in by_currency.values() for c in own}, key=lambda c: (c is None, c or "")
            )
            return FrozenMap(
                {
                    collector: self._of(
                        {
                            code: own[collector]
                            for code, own in by_currency.items()
                            if collector in own
                        }
                    )
                    for collector in collectors
                }
            )
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

    def _empty(self, currency: str | None) -> QualificationRate:
        return QualificationRate(on=self.on, currency=currency)

    @exact
    def _merge_one(self, other: QualificationRate) -> QualificationRate:
        cells = dict(self.cells)
        for key, tally in other.cells.items():
            cells[key] = _added(cells.get(key, _NO_TALLY), tally)
        return QualificationRate(on=self.on, currency=self.currency, cells=FrozenMap(cells))

    def _several(self, parts: FrozenMap[str, QualificationRate]) -> QualificationRate:
        return QualificationRate(on=self.on, cells=None, parts=parts)

    def rows(self) -> list[Row]:
        """One row per collector and status: on, currency, collector, status, count, amount.

        Status ``None`` is the overdue items without status.  Rows are sorted by
        collector, then status (``None`` last in both); over several currencies, each
        currency's rows in turn (codes sorted).
        """
        if self.parts:
            return [row for part in self.parts.values() for row in part.rows()]
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
    by_currency: dict[str, dict[_CellKey, list[Any]]] = {}
    for account in check_each("qualification_rate", "accounts", accounts, Account):
        cells = by_currency.get(account.currency)
        if cells is None:
            cells = by_currency[account.currency] = {}
        collector = account.collector
        for item in account.items:
            if item.is_overdue(on):
                cell = cells.get((collector, item.status))
                if cell is None:
                    cells[(collector, item.status)] = [1, item.open_amount]
                else:
                    cell[0] += 1
                    cell[1] += item.open_amount
    return QualificationRate(on=on)._of(
        {
            currency: QualificationRate(
                on=on,
                currency=currency,
                cells=FrozenMap(
                    {
                        key: Tally(count=count, amount=amount)
                        for key, (count, amount) in cells.items()
                    }
                ),
            )
            for currency, cells in by_currency.items()
        }
    )
